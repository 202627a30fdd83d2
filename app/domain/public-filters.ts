/** The public list's query (/public, its JSON and feed): only these, validated, bad values dropped — never an error page. */
import { z } from "zod";
import { cleanText } from "./proposal";

export const publicFiltersSchema = z.object({
  q: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined)),
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  meeting: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined)),
  /** A topic: a library tag of the paragraphs the reply used (专精特新, 智能终端 …). */
  topic: z
    .string()
    .max(40)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined)),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type PublicFilters = z.output<typeof publicFiltersSchema>;
