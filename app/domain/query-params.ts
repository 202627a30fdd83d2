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
