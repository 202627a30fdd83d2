/** Query-string fields shared by the public list and the statistics scope: bad values are dropped, never an error page. */
import { z } from "zod";
import { cleanText } from "./proposal";

/** Optional text, cleaned; over `max` characters or empty after cleaning → not given. */
export const optionalQueryText = (max: number) =>
  z
    .string()
    .max(max)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined));

/** Optional four-digit year in a sensible range. */
export const optionalYear = z.coerce.number().int().min(2000).max(2100).optional().catch(undefined);

/**
 * The id of a stored row (an int4 in PostgreSQL) from an address or a form: "1e10", "-1" or
 * "abc" is no id at all (a 404 or a field error), never a query the database refuses (a 500).
 */
export const recordId = z
  // written out in decimal digits only (Number() read /proposals/0x1, 1e0 and +1 as proposal 1: one record, many addresses)
  .union([z.number(), z.string().regex(/^[1-9]\d{0,9}$/)])
  .transform(Number)
  .pipe(z.number().int().positive().max(2_147_483_647));

/**
 * An address's query string as an object, fields left empty dropped (a filter form sends every
 * field, `?meeting=&q=x`): what a page's query schema parses. The last of a repeated key counts.
 */
export function queryOf(url: string | URL): Record<string, string> {
  return Object.fromEntries([...new URL(url).searchParams].filter(([, v]) => v !== ""));
}
