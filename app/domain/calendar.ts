/**
 * Working-day calendar (工作日历): the official holiday / make-up-workday (调休)
 * arrangements as data, plus pure date math on ISO calendar dates.
 *
 * Dates are plain `YYYY-MM-DD` strings meaning calendar days in China; all
 * arithmetic is done in UTC so no local time zone can shift a day.
 *
 * An override is only meaningful for a covered year: a year the State Council
 * has not announced (or nobody has entered) is "unknown", never "no holidays",
 * because a weekday-only rule is wrong in China (e.g. Sunday 2024-02-04 was a
 * working day).
 */
import { z } from "zod";

export type IsoDate = string;

export type CalendarDayKind = "holiday" | "workday";

export interface CalendarDayOverride {
  kind: CalendarDayKind;
  name?: string;
}

export interface WorkCalendar {
  /** Years whose arrangements are known; overrides outside them are ignored. */
  years: number[];
  /** Overrides on top of the default rule (Mon–Fri work, Sat–Sun rest). */
  days: Record<IsoDate, CalendarDayOverride>;
}

export type DayStatus = "working" | "rest" | "unknown";

/** How a day reads on the admin's page (its `seen` field): "kind:name", or "" for an ordinary day. */
export const calendarDayKey = (d: { kind: string; name: string | null } | null | undefined) => (d ? `${d.kind}:${d.name ?? ""}` : "");

export const CALENDAR_DAY_KIND_LABELS: Record<CalendarDayKind, string> = {
  holiday: "放假",
  workday: "调休上班",
};

// ---------------------------------------------------------------------------
// ISO date helpers
// ---------------------------------------------------------------------------

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date written `YYYY-MM-DD` (rejects 2023-02-29). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== "string") return false;
  const m = ISO_RE.exec(value);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

export function parseIsoDate(iso: IsoDate): { year: number; month: number; day: number } {
  if (!isIsoDate(iso)) throw new RangeError(`无效日期：${String(iso)}（应为 YYYY-MM-DD）`);
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return { year: y, month: m, day: d };
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** month is 1–12. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function toUtcMs(iso: IsoDate): number {
  const { year, month, day } = parseIsoDate(iso);
  return Date.UTC(year, month - 1, day);
}

function fromUtcMs(ms: number): IsoDate {
  const d = new Date(ms);
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(iso: IsoDate, n: number): IsoDate {
  return fromUtcMs(toUtcMs(iso) + n * DAY_MS);
}

/** Calendar days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** -1 / 0 / 1; ISO strings of valid dates also sort lexicographically. */
export function compareIsoDates(a: IsoDate, b: IsoDate): -1 | 0 | 1 {
  const d = toUtcMs(a) - toUtcMs(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(iso: IsoDate): number {
  return new Date(toUtcMs(iso)).getUTCDay();
}

export function yearOf(iso: IsoDate): number {
  return parseIsoDate(iso).year;
}

/** The calendar date at `instant` in a time zone (default Beijing time), for "today". */
/** One formatter per time zone: building an Intl.DateTimeFormat costs far more than formatting (profiled: ~9 % of a home page's CPU, `today()` per row). */
const isoDateFormats = new Map<string, Intl.DateTimeFormat>();

export function isoDateInTimeZone(instant: Date = new Date(), timeZone = "Asia/Shanghai"): IsoDate {
  let format = isoDateFormats.get(timeZone);
  if (!format) {
    // en-CA formats as YYYY-MM-DD.
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    isoDateFormats.set(timeZone, format);
  }
  return format.format(instant);
}

// ---------------------------------------------------------------------------
// Calendar data
// ---------------------------------------------------------------------------

const isoDateSchema = z.string().refine(isIsoDate, { message: "日期格式应为 YYYY-MM-DD" });

export const calendarDayOverrideSchema = z.object({
  kind: z.enum(["holiday", "workday"]),
  name: z.string().trim().max(100).optional(),
});

/** Validates calendar data (the seed JSON, an admin edit). Extra keys such as `source` are dropped. */
export const workCalendarSchema = z
  .object({
    years: z.array(z.number().int().min(1900).max(2999)),
    days: z.record(isoDateSchema, calendarDayOverrideSchema),
  })
  .superRefine((cal, ctx) => {
    const covered = new Set(cal.years);
    for (const iso of Object.keys(cal.days)) {
      if (isIsoDate(iso) && !covered.has(yearOf(iso))) {
        ctx.addIssue({
          code: "custom",
          path: ["days", iso],
          message: `${iso} 所在年度未列入已覆盖年份，该调整无效`,
        });
      }
    }
  })
  .transform(
    (cal): WorkCalendar => ({
      years: [...new Set(cal.years)].sort((a, b) => a - b),
      days: cal.days,
    }),
  );

export const EMPTY_CALENDAR: WorkCalendar = { years: [], days: {} };

export function isYearCovered(cal: WorkCalendar, year: number): boolean {
  return cal.years.includes(year);
}

export function workingDayStatus(cal: WorkCalendar, iso: IsoDate): DayStatus {
  const year = yearOf(iso);
  if (!isYearCovered(cal, year)) return "unknown";
  const override = cal.days[iso];
  if (override) return override.kind === "workday" ? "working" : "rest";
  const dow = dayOfWeek(iso);
  return dow === 0 || dow === 6 ? "rest" : "working";
}

/** Convenience when the caller has already ensured coverage; throws on an unknown year. */
export function isWorkingDay(cal: WorkCalendar, iso: IsoDate): boolean {
  const status = workingDayStatus(cal, iso);
  if (status === "unknown") {
    throw new CalendarYearUnknownError([yearOf(iso)]);
  }
  return status === "working";
}

export class CalendarYearUnknownError extends Error {
  constructor(readonly missingYears: number[]) {
    super(missingYearsMessage(missingYears));
    this.name = "CalendarYearUnknownError";
  }
}

export function missingYearsMessage(years: number[]): string {
  return `工作日历未覆盖 ${years.map((y) => `${y}年`).join("、")}，请管理员在“管理 → 工作日历”录入当年的节假日安排`;
}

export type WorkingDaysResult<T> = ({ ok: true } & T) | { ok: false; missingYears: number[] };

/** Safety bound: no deadline rule walks further than this many calendar days. */
const MAX_SCAN_DAYS = 3660;
/** 2000-01-01 to 2100-12-31, the range every date is accepted in, and a little more. */
const MAX_SPAN_DAYS = 37_000;

/**
 * The n-th working day after `start` (`start` itself is not counted; n < 0
 * counts backwards; n = 0 returns `start`). If the walk enters a year the
 * calendar does not cover, it reports every uncovered year the walk would
 * touch (estimated with the weekday rule only to find them) and no date.
 */
export function addWorkingDays(cal: WorkCalendar, start: IsoDate, n: number): WorkingDaysResult<{ date: IsoDate }> {
  if (!Number.isInteger(n)) throw new RangeError("工作日数必须为整数");
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let date = start;
  const missing = new Set<number>();
  let scanned = 0;
  while (remaining > 0) {
    date = addDays(date, step);
    if (++scanned > MAX_SCAN_DAYS) throw new RangeError("工作日推算超出范围");
    const status = workingDayStatus(cal, date);
    if (status === "unknown") {
      missing.add(yearOf(date));
      const dow = dayOfWeek(date);
      if (dow !== 0 && dow !== 6) remaining--;
    } else if (status === "working") {
      remaining--;
    }
  }
  if (missing.size > 0) return { ok: false, missingYears: [...missing].sort((a, b) => a - b) };
  return { ok: true, date };
}

/**
 * Working days in the half-open range (from, to]: the k with
 * addWorkingDays(from, k) === to when `to` is a working day. When `to` is
 * before `from` the result is -workingDaysBetween(cal, to, from).
 */
export function workingDaysBetween(cal: WorkCalendar, from: IsoDate, to: IsoDate): WorkingDaysResult<{ days: number }> {
  const span = daysBetween(from, to);
  // A count between two known dates is as long as their distance, bounded: every stored date lies
  // in 2000–2100 (the forms' range). MAX_SCAN_DAYS bounds open-ended walks, not this: a reply ten
  // years after its deadline (a mistyped 交办日期) made the statistics page fail.
  if (Math.abs(span) > MAX_SPAN_DAYS) throw new RangeError("工作日推算超出范围");
  const sign = span < 0 ? -1 : 1;
  const lo = span < 0 ? to : from;
  let count = 0;
  const missing = new Set<number>();
  for (let i = 1; i <= Math.abs(span); i++) {
    const date = addDays(lo, i);
    const status = workingDayStatus(cal, date);
    if (status === "unknown") missing.add(yearOf(date));
    else if (status === "working") count++;
  }
  if (missing.size > 0) return { ok: false, missingYears: [...missing].sort((a, b) => a - b) };
  return { ok: true, days: sign * count };
}

/** The first working day on or after `iso` (or on or before, with direction -1). */
export function nearestWorkingDay(cal: WorkCalendar, iso: IsoDate, direction: 1 | -1 = 1): WorkingDaysResult<{ date: IsoDate }> {
  let date = iso;
  for (let i = 0; i <= 60; i++) {
    const status = workingDayStatus(cal, date);
    if (status === "unknown") return { ok: false, missingYears: [yearOf(date)] };
    if (status === "working") return { ok: true, date };
    date = addDays(date, direction);
  }
  throw new RangeError(`${iso} 前后 60 天内没有工作日，日历数据可能有误`);
}

/** Longest run of days one entry of 工作日历 sets (春节 is 8 or 9 days; a month leaves room). */
export const MAX_CALENDAR_RANGE_DAYS = 31;

/**
 * The days from `from` to `until` (inclusive) that one entry sets — a holiday of several days in
 * one step (a year's arrangement took some 35 submissions, one a day) — or why not.
 */
export function calendarRange(from: IsoDate, until: IsoDate | null | undefined): { days: IsoDate[] } | { problem: string } {
  if (!until || until === from) return { days: [from] };
  if (until < from) return { problem: "结束日期不能早于开始日期" };
  if (until.slice(0, 4) !== from.slice(0, 4)) return { problem: "一次只能设置同一年内的日期" };
  const span = daysBetween(from, until) + 1;
  if (span > MAX_CALENDAR_RANGE_DAYS) return { problem: `一次最多设置 ${MAX_CALENDAR_RANGE_DAYS} 天` };
  return { days: Array.from({ length: span }, (_, i) => addDays(from, i)) };
}
