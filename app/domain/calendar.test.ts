import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import {
  CalendarYearUnknownError,
  EMPTY_CALENDAR,
  addDays,
  addWorkingDays,
  compareIsoDates,
  dayOfWeek,
  daysBetween,
  isIsoDate,
  isWorkingDay,
  isoDateInTimeZone,
  nearestWorkingDay,
  workCalendarSchema,
  workingDayStatus,
  workingDaysBetween,
  type WorkCalendar,
} from "~/domain/calendar";

const seedPath = path.resolve("seeds/calendar/cn-official.json");
const seed = JSON.parse(readFileSync(seedPath, "utf8")) as Record<string, unknown>;
const cal: WorkCalendar = workCalendarSchema.parse(seed);

describe("ISO date helpers", () => {
  it("accepts only real YYYY-MM-DD dates", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2100-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2024-2-1")).toBe(false);
    expect(isIsoDate("2024-13-01")).toBe(false);
    expect(isIsoDate("2024-04-31")).toBe(false);
    expect(isIsoDate("2024-01-01T00:00:00Z")).toBe(false);
    expect(isIsoDate(20240101)).toBe(false);
  });

  it("does day arithmetic across month, year and leap-day boundaries", () => {
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-29", 1)).toBe("2024-03-01");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2025-01-01", -1)).toBe("2024-12-31");
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2024-03-10", "2024-03-01")).toBe(-9);
    expect(compareIsoDates("2024-01-02", "2024-01-10")).toBe(-1);
    expect(compareIsoDates("2024-01-10", "2024-01-10")).toBe(0);
  });

  it("knows the weekday", () => {
    expect(dayOfWeek("2024-02-04")).toBe(0); // Sunday
    expect(dayOfWeek("2023-04-23")).toBe(0); // Sunday
    expect(dayOfWeek("2024-02-10")).toBe(6); // Saturday
  });

  it("throws on an invalid date instead of rolling it over", () => {
    expect(() => addDays("2023-02-29", 1)).toThrow(RangeError);
  });

  it("gives today's date in Beijing time, not UTC", () => {
    expect(isoDateInTimeZone(new Date("2024-02-03T17:00:00Z"))).toBe("2024-02-04");
    expect(isoDateInTimeZone(new Date("2024-02-03T15:59:59Z"))).toBe("2024-02-03");
  });
});

describe("generated seed seeds/calendar/cn-official.json", () => {
  it("records its source and the package version", () => {
    const pkg = JSON.parse(readFileSync(path.resolve("node_modules/chinese-days/package.json"), "utf8")) as { version: string };
    expect(seed.source).toBe("chinese-days");
    expect(seed.sourceVersion).toBe(pkg.version);
  });

  it("covers a contiguous run of years from 2004 to at least 2026", () => {
    expect(cal.years[0]).toBe(2004);
    expect(cal.years.at(-1)).toBeGreaterThanOrEqual(2026);
    cal.years.forEach((y, i) => expect(y).toBe(2004 + i));
  });
});

describe("workingDayStatus on the official calendar", () => {
  it.each([
    ["2024-02-04", "2024 春节调休 Sunday"],
    ["2024-02-18", "2024 春节调休 Sunday"],
    ["2023-04-23", "2023 劳动节调休 Sunday"],
    ["2023-05-06", "2023 劳动节调休 Saturday"],
    ["2021-02-07", "2021 春节调休 Sunday"],
    ["2021-02-20", "2021 春节调休 Saturday"],
    ["2024-10-12", "2024 国庆调休 Saturday"],
  ])("%s (%s) is a working day", (date) => {
    expect(dayOfWeek(date) === 0 || dayOfWeek(date) === 6).toBe(true);
    expect(workingDayStatus(cal, date)).toBe("working");
    expect(isWorkingDay(cal, date)).toBe(true);
  });

  it("the whole 2024 Spring Festival week 02-10..02-17 is rest, weekdays included", () => {
    for (let d = "2024-02-10"; d <= "2024-02-17"; d = addDays(d, 1)) {
      expect(workingDayStatus(cal, d), d).toBe("rest");
    }
    expect(workingDayStatus(cal, "2024-02-09")).toBe("working");
    expect(workingDayStatus(cal, "2024-02-19")).toBe("working");
  });

  it("the 2021 Spring Festival 02-11..02-17 is rest", () => {
    for (let d = "2021-02-11"; d <= "2021-02-17"; d = addDays(d, 1)) {
      expect(workingDayStatus(cal, d), d).toBe("rest");
    }
    expect(workingDayStatus(cal, "2021-02-18")).toBe("working");
  });

  it("includes the 2020 Spring Festival extension (through 02-02)", () => {
    expect(workingDayStatus(cal, "2020-01-31")).toBe("rest"); // a Friday
    expect(workingDayStatus(cal, "2020-02-03")).toBe("working");
  });

  it("ordinary days follow the weekday rule", () => {
    expect(workingDayStatus(cal, "2024-03-04")).toBe("working"); // Monday
    expect(workingDayStatus(cal, "2024-03-02")).toBe("rest"); // Saturday
    expect(workingDayStatus(cal, "2024-03-03")).toBe("rest"); // Sunday
  });

  it("a weekday holiday is rest", () => {
    expect(workingDayStatus(cal, "2024-10-01")).toBe("rest"); // Tuesday, 国庆节
    expect(workingDayStatus(cal, "2024-05-01")).toBe("rest"); // Wednesday, 劳动节
  });

  it("an uncovered year is unknown, not 'no holidays'", () => {
    expect(workingDayStatus(cal, "2027-01-04")).toBe("unknown"); // a plain Monday
    expect(workingDayStatus(cal, "2027-01-02")).toBe("unknown"); // a Saturday
    expect(workingDayStatus(cal, "2003-06-02")).toBe("unknown");
    expect(() => isWorkingDay(cal, "2027-01-04")).toThrow(CalendarYearUnknownError);
    expect(() => isWorkingDay(cal, "2027-01-04")).toThrow("2027年");
  });

  it("an empty calendar knows nothing", () => {
    expect(workingDayStatus(EMPTY_CALENDAR, "2024-03-04")).toBe("unknown");
  });
});

describe("workCalendarSchema", () => {
  it("rejects an override in a year that is not covered", () => {
    const r = workCalendarSchema.safeParse({ years: [2024], days: { "2025-01-01": { kind: "holiday" } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain("2025-01-01");
  });

  it("rejects an invalid date key or kind", () => {
    expect(workCalendarSchema.safeParse({ years: [2023], days: { "2023-02-29": { kind: "holiday" } } }).success).toBe(false);
    expect(workCalendarSchema.safeParse({ years: [2024], days: { "2024-02-04": { kind: "work" } } }).success).toBe(false);
  });

  it("sorts and de-duplicates years and drops metadata", () => {
    const r = workCalendarSchema.parse({ source: "x", years: [2025, 2024, 2025], days: {} });
    expect(r).toEqual({ years: [2024, 2025], days: {} });
  });

  it("an edited calendar overrides the default rule", () => {
    const edited = workCalendarSchema.parse({
      years: [2024],
      days: { "2024-03-04": { kind: "holiday", name: "临时放假" }, "2024-03-02": { kind: "workday" } },
    });
    expect(workingDayStatus(edited, "2024-03-04")).toBe("rest");
    expect(workingDayStatus(edited, "2024-03-02")).toBe("working");
  });
});

describe("addWorkingDays", () => {
  it("skips the Spring Festival and counts the 调休 Sunday", () => {
    expect(addWorkingDays(cal, "2024-02-08", 1)).toEqual({ ok: true, date: "2024-02-09" });
    expect(addWorkingDays(cal, "2024-02-08", 2)).toEqual({ ok: true, date: "2024-02-18" });
    expect(addWorkingDays(cal, "2024-02-08", 5)).toEqual({ ok: true, date: "2024-02-21" });
  });

  it("counts a 调休 Saturday before the holiday", () => {
    // 2024-02-02 (Fri) → 02-04 (Sun, workday) → 02-05 (Mon)
    expect(addWorkingDays(cal, "2024-02-02", 1)).toEqual({ ok: true, date: "2024-02-04" });
  });

  it("does not count the start day and returns it for n = 0", () => {
    expect(addWorkingDays(cal, "2024-02-10", 0)).toEqual({ ok: true, date: "2024-02-10" });
    expect(addWorkingDays(cal, "2024-03-04", 1)).toEqual({ ok: true, date: "2024-03-05" });
  });

  it("counts backwards", () => {
    expect(addWorkingDays(cal, "2024-02-19", -1)).toEqual({ ok: true, date: "2024-02-18" });
    expect(addWorkingDays(cal, "2024-02-19", -2)).toEqual({ ok: true, date: "2024-02-09" });
  });

  it("crosses a covered year boundary", () => {
    // 2024-12-31 (Tue) → 2025-01-01 holiday → 01-02 (Thu)
    expect(addWorkingDays(cal, "2024-12-31", 1)).toEqual({ ok: true, date: "2025-01-02" });
  });

  it("reports the missing year instead of guessing", () => {
    const last = cal.years.at(-1)!;
    expect(addWorkingDays(cal, `${last}-12-28`, 5)).toEqual({ ok: false, missingYears: [last + 1] });
  });

  it("reports every missing year a long walk would touch", () => {
    const last = cal.years.at(-1)!;
    expect(addWorkingDays(cal, `${last}-12-01`, 300)).toEqual({ ok: false, missingYears: [last + 1, last + 2] });
  });

  it("rejects a fractional count", () => {
    expect(() => addWorkingDays(cal, "2024-02-08", 1.5)).toThrow(RangeError);
  });
});

describe("workingDaysBetween", () => {
  it("counts working days in (from, to]", () => {
    expect(workingDaysBetween(cal, "2024-02-08", "2024-02-21")).toEqual({ ok: true, days: 5 });
    expect(workingDaysBetween(cal, "2024-02-09", "2024-02-17")).toEqual({ ok: true, days: 0 });
    expect(workingDaysBetween(cal, "2024-03-04", "2024-03-04")).toEqual({ ok: true, days: 0 });
    expect(workingDaysBetween(cal, "2024-03-01", "2024-03-08")).toEqual({ ok: true, days: 5 });
  });

  it("is antisymmetric", () => {
    expect(workingDaysBetween(cal, "2024-02-21", "2024-02-08")).toEqual({ ok: true, days: -5 });
  });

  it("agrees with addWorkingDays", () => {
    for (const n of [1, 3, 5, 10, 20, 60]) {
      const r = addWorkingDays(cal, "2023-09-25", n);
      expect(r.ok).toBe(true);
      if (r.ok) expect(workingDaysBetween(cal, "2023-09-25", r.date)).toEqual({ ok: true, days: n });
    }
  });

  it("reports missing years", () => {
    const last = cal.years.at(-1)!;
    expect(workingDaysBetween(cal, `${last}-12-01`, `${last + 1}-01-10`)).toEqual({
      ok: false,
      missingYears: [last + 1],
    });
  });
});

describe("nearestWorkingDay", () => {
  it("moves forward or backward off a holiday", () => {
    expect(nearestWorkingDay(cal, "2024-02-10")).toEqual({ ok: true, date: "2024-02-18" });
    expect(nearestWorkingDay(cal, "2024-02-10", -1)).toEqual({ ok: true, date: "2024-02-09" });
    expect(nearestWorkingDay(cal, "2024-10-01")).toEqual({ ok: true, date: "2024-10-08" });
    expect(nearestWorkingDay(cal, "2024-03-04")).toEqual({ ok: true, date: "2024-03-04" });
  });

  it("reports an uncovered year", () => {
    const last = cal.years.at(-1)!;
    expect(nearestWorkingDay(cal, `${last + 1}-01-01`)).toEqual({ ok: false, missingYears: [last + 1] });
  });
});

describe("calendarRange", () => {
  it("one entry sets a run of days (a holiday of several days in one step), within a year and a month", async () => {
    const { calendarRange } = await import("./calendar");
    expect(calendarRange("2027-02-06", "2027-02-12")).toEqual({ days: ["2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11", "2027-02-12"] });
    expect(calendarRange("2027-05-01", null)).toEqual({ days: ["2027-05-01"] });
    expect(calendarRange("2027-05-01", "2027-05-01")).toEqual({ days: ["2027-05-01"] });
    expect(calendarRange("2027-05-05", "2027-05-01")).toEqual({ problem: "结束日期不能早于开始日期" });
    expect(calendarRange("2027-12-31", "2028-01-02")).toEqual({ problem: "一次只能设置同一年内的日期" });
    expect(calendarRange("2027-01-01", "2027-03-01")).toEqual({ problem: "一次最多设置 31 天" });
  });
});
