/** The public list's query (/public, its JSON and feed): only these, validated, bad values dropped — never an error page. */
import { z } from "zod";
import { optionalQueryText, optionalYear } from "./query-params";

export const publicFiltersSchema = z.object({
  q: optionalQueryText(100),
  year: optionalYear,
  meeting: optionalQueryText(100),
  /** A topic: a library tag of the paragraphs the reply used (专精特新, 智能终端 …). */
  topic: optionalQueryText(40),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
export type PublicFilters = z.output<typeof publicFiltersSchema>;
