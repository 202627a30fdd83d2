/** The scope of 办理情况统计 from a query string or CLI flags: a year of 交办, a 会议, or both; bad values dropped. */
import { z } from "zod";
import { optionalQueryText, optionalYear } from "./query-params";

export const statisticsScopeSchema = z.object({ year: optionalYear, meeting: optionalQueryText(100) });

export function scopeLabel(f: { year?: number; meeting?: string }): string {
  return [f.year ? `${f.year}年交办` : null, f.meeting ?? null].filter(Boolean).join(" · ") || "全部提案";
}
