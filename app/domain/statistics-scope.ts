/** The scope of 办理情况统计 from a query string or CLI flags: a year of 交办, a 会议, or both; bad values dropped. */
import { z } from "zod";
import { cleanText } from "./proposal";

export const statisticsScopeSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  meeting: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined)),
});

export function scopeLabel(f: { year?: number; meeting?: string }): string {
  return [f.year ? `${f.year}年交办` : null, f.meeting ?? null].filter(Boolean).join(" · ") || "全部提案";
}
