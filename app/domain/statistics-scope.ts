/** The scope of 办理情况统计 from a query string or CLI flags: a year of 交办, a 会议, or both; bad values dropped. */
import { z } from "zod";
import { optionalQueryText, optionalYear } from "./query-params";

export const statisticsScopeSchema = z.object({ year: optionalYear, meeting: optionalQueryText(100) });

export function scopeLabel(f: { year?: number; meeting?: string }): string {
  return [f.year ? `${f.year}年交办` : null, f.meeting ?? null].filter(Boolean).join(" · ") || "全部提案";
}

/**
 * The scope a query string asks for, as the page and its XLSX both read it: nothing chosen is the
 * latest year with proposals, 全部年度 is year=all (the XLSX without parameters gave all years while
 * the page showed the latest).
 */
export function resolveStatisticsScope(params: Record<string, string>, years: readonly number[]): { year?: number; meeting?: string } {
  const parsed = statisticsScopeSchema.parse(params);
  return parsed.year || parsed.meeting || params.year === "all" ? parsed : { year: years[0] };
}

/** The query string that asks for this scope (resolveStatisticsScope): all years named as year=all. */
export function statisticsScopeQuery(scope: { year?: number; meeting?: string }): string {
  const q = new URLSearchParams();
  q.set("year", scope.year ? String(scope.year) : "all");
  if (scope.meeting) q.set("meeting", scope.meeting);
  return q.toString();
}

/** A year asked for that is no year (year=99999, year=abc): dropped by resolveStatisticsScope, which the page then says. */
export function ignoredYear(params: Record<string, string>): string | null {
  const raw = params.year?.trim();
  if (!raw || raw === "all" || statisticsScopeSchema.parse({ year: raw }).year) return null;
  return raw.slice(0, 20);
}
