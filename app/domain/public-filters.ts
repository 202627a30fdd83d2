/** The public list's query (/public, its JSON and feed): only these, validated, bad values dropped — never an error page. */
import { z } from "zod";
import { cleanText } from "./proposal";
import { optionalQueryText, optionalYear } from "./query-params";

/** The longest search the public list takes; a longer one (a sentence pasted from a reply) is cut here, and the page says so. */
export const PUBLIC_QUERY_MAX = 100;

export const publicFiltersSchema = z.object({
  // cut, not dropped: dropped, the page showed every reply under an empty box without a word
  q: z
    .string()
    .optional()
    .catch(undefined)
    .transform((s) => (s ? Array.from(cleanText(s)).slice(0, PUBLIC_QUERY_MAX).join("").trim() || undefined : undefined)),
  year: optionalYear,
  meeting: optionalQueryText(100),
  /** A topic: a library tag of the paragraphs the reply used (专精特新, 智能终端 …). */
  topic: optionalQueryText(40),
  // past the last page is said by the page (没有第 N 页); it read page 10,001 as page 1 without a word
  page: z.coerce
    .number()
    .catch(1)
    .default(1)
    .transform((n) => (Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), 1_000_000) : 1)),
});
export type PublicFilters = z.output<typeof publicFiltersSchema>;

/** Whether the search asked for was longer than the list takes (publicFiltersSchema cut it). */
export function queryWasCut(raw: string | null): boolean {
  return raw !== null && Array.from(cleanText(raw)).length > PUBLIC_QUERY_MAX;
}

/**
 * A listed reply's page on the public site: the proposal's latest published reply is /public/:id,
 * an earlier one (answered again after 再办理) ?round=N. `suffix` ".docx": its Word file.
 */
export function publicReplyPath(r: { id: number; round: number; latest: boolean }, suffix = ""): string {
  return `/public/${r.id}${suffix}${r.latest ? "" : `?round=${r.round}`}`;
}
