import { describe, expect, it } from "vitest";
import type { WorkCalendar } from "./calendar";
import { computeStatistics, percent, type StatRow } from "./statistics";
import { ignoredYear, resolveStatisticsScope, statisticsScopeQuery } from "./statistics-scope";

const cal: WorkCalendar = { years: [2026], days: { "2026-10-01": { kind: "holiday", name: "国庆节" }, "2026-10-02": { kind: "holiday", name: "国庆节" } } };
const row = (over: Partial<StatRow>): StatRow => ({
  id: 1,
  bureauRole: "lead",
  state: "replied",
  handlerName: "李泳",
  due: "2026-09-30",
  repliedOn: null,
  feedback: null,
  outcome: null,
  ...over,
});

describe("computeStatistics", () => {
  it("counts on time and late replies, late by working days, and open overdue work", () => {
    const s = computeStatistics(
      [
        row({ id: 1, repliedOn: "2026-09-30", outcome: "A", feedback: "satisfied", state: "closed" }),
        // due Wed 09-30; replied Mon 10-05: 10-01/02 are holidays, 10-03/04 a weekend → 1 working day late
        row({ id: 2, repliedOn: "2026-10-05", outcome: "B", feedback: "dissatisfied", state: "rehandling" }),
        row({ id: 3, state: "drafting", due: "2026-11-01", handlerName: "王芳" }),
        row({ id: 4, bureauRole: "co", state: "closed", repliedOn: "2026-09-20", handlerName: "王芳" }),
        row({ id: 5, state: "transferred_out", due: "2026-11-01", handlerName: null }),
      ],
      cal,
      "2026-11-30",
    );
    expect(s.total).toBe(5);
    expect(s.byRoleState.lead).toEqual({ total: 4, closed: 1, rehandling: 1, drafting: 1, transferred_out: 1 });
    expect(s.byRoleState.co).toEqual({ total: 1, closed: 1 });
    expect(s.timeliness).toEqual({ replied: 3, onTime: 2, late: 1, lateDays: { total: 1, max: 1, approximate: false }, openOverdue: 1 });
    expect(s.outcomes).toEqual({ A: 1, B: 1, C: 0, none: 0 });
    expect(s.satisfaction).toMatchObject({ satisfied: 1, dissatisfied: 1, answered: 2, satisfiedRate: 0.5 });
    expect(s.byHandler).toEqual([
      { name: "李泳", assigned: 2, replied: 2, onTime: 1, late: 1, openOverdue: 0, rehandled: 0 },
      { name: "王芳", assigned: 2, replied: 1, onTime: 1, late: 0, openOverdue: 1, rehandled: 0 },
    ]);
  });

  it("two handlers of one name are two rows in 承办人, not one with both figures added", () => {
    const s = computeStatistics(
      [
        row({ id: 1, handlerId: "u1", handlerName: "张伟", repliedOn: "2026-09-30" }),
        row({ id: 2, handlerId: "u2", handlerName: "张伟", repliedOn: "2026-10-05" }),
        row({ id: 3, handlerId: "u2", handlerName: "张伟", state: "drafting", due: "2026-11-01" }),
      ],
      cal,
      "2026-11-30",
    );
    expect(s.byHandler).toEqual([
      { name: "张伟", assigned: 2, replied: 1, onTime: 0, late: 1, openOverdue: 1, rehandled: 0 },
      { name: "张伟", assigned: 1, replied: 1, onTime: 1, late: 0, openOverdue: 0, rehandled: 0 },
    ]);
  });

  it("按时/超期 are about the first reply; 再办理's new replies are counted apart, against their own deadline", () => {
    const s = computeStatistics(
      [
        // late first reply (1 working day), re-handled and answered again in time
        row({ id: 1, repliedOn: "2026-10-05", state: "closed", rehandling: { due: "2026-11-20", repliedOn: "2026-11-10" } }),
        // first reply on time, the new reply not yet sent and overdue
        row({ id: 2, repliedOn: "2026-09-29", state: "rehandling", rehandling: { due: "2026-11-20", repliedOn: null } }),
        // first reply on time, the new one late
        row({ id: 3, repliedOn: "2026-09-29", state: "replied", rehandling: { due: "2026-11-20", repliedOn: "2026-11-23" } }),
      ],
      cal,
      "2026-11-30",
    );
    expect(s.timeliness).toEqual({ replied: 3, onTime: 2, late: 1, lateDays: { total: 1, max: 1, approximate: false }, openOverdue: 0 });
    expect(s.rehandling).toEqual({ total: 3, replied: 2, onTime: 1, late: 1, openOverdue: 1 });
    expect(s.byHandler).toEqual([{ name: "李泳", assigned: 3, replied: 3, onTime: 2, late: 1, openOverdue: 1, rehandled: 2 }]);
    // a first reply whose deadline was not kept (re-handled before it was): still answered
    expect(computeStatistics([row({ repliedOn: "2026-09-20", due: null, rehandling: { due: null, repliedOn: null } })], cal, "2026-11-30").timeliness).toMatchObject({
      replied: 1,
      onTime: 0,
      late: 0,
    });
  });

  it("满意度 counts the answers to this bureau's replies, not to a 会办 proposal (the lead unit asks its proposer); a new reply with no known deadline is neither 按时 nor 超期", () => {
    const s = computeStatistics(
      [
        row({ id: 1, repliedOn: "2026-09-20", state: "closed", feedback: "satisfied" }),
        row({ id: 2, bureauRole: "co", repliedOn: "2026-09-20", state: "closed", feedback: "satisfied" }),
        row({ id: 3, bureauRole: "co", repliedOn: "2026-09-20", state: "closed", feedback: "dissatisfied" }),
        row({ id: 4, repliedOn: "2026-09-20", state: "replied", rehandling: { due: null, repliedOn: "2026-11-02" } }),
      ],
      cal,
      "2026-11-30",
    );
    expect(s.satisfaction).toMatchObject({ satisfied: 1, dissatisfied: 0, answered: 1, satisfiedRate: 1 });
    expect(s.rehandling).toEqual({ total: 1, replied: 1, onTime: 0, late: 0, openOverdue: 0 });
  });

  it("counts calendar days, and says so, where the calendar lacks the year", () => {
    const s = computeStatistics([row({ due: "2027-01-04", repliedOn: "2027-01-11" })], cal, "2027-02-01");
    expect(s.timeliness.lateDays).toEqual({ total: 7, max: 7, approximate: true });
  });

  it("a reply ten years after its deadline (a mistyped 交办日期) is counted, not a failed statistics page", () => {
    const s = computeStatistics([row({ due: "2014-05-30", repliedOn: "2026-11-02" })], cal, "2026-11-30");
    expect(s.timeliness).toMatchObject({ replied: 1, late: 1 });
    expect(s.timeliness.lateDays.approximate).toBe(true);
    expect(s.timeliness.lateDays.max).toBeGreaterThan(3000);
  });

  it("a proposal transferred out (已调出) is not its former handler's work in 承办人", () => {
    const s = computeStatistics(
      [row({ id: 1, handlerId: "u1", repliedOn: "2026-09-30" }), row({ id: 2, handlerId: "u1", state: "transferred_out", due: "2026-11-01" })],
      cal,
      "2026-11-30",
    );
    expect(s.byHandler).toEqual([{ name: "李泳", assigned: 1, replied: 1, onTime: 1, late: 0, openOverdue: 0, rehandled: 0 }]);
    expect(s.byRoleState.lead).toEqual({ total: 2, replied: 1, transferred_out: 1 });
  });

  it("after 再办理 and 改派 the first reply is its maker's in 承办人, the new round the current handler's", () => {
    const s = computeStatistics(
      [
        row({
          id: 1,
          handlerId: "u2",
          handlerName: "王芳",
          state: "rehandling",
          repliedOn: "2026-10-05",
          rehandling: { due: "2026-11-20", repliedOn: null },
          firstHandler: { id: "u1", name: "李泳" },
        }),
        // 王芳 answered the 再办理 of another (its first reply 李泳's): her row says so
        row({
          id: 3,
          handlerId: "u2",
          handlerName: "王芳",
          state: "replied",
          repliedOn: "2026-09-10",
          rehandling: { due: "2026-12-20", repliedOn: "2026-11-25" },
          firstHandler: { id: "u1", name: "李泳" },
        }),
        // the same handler both rounds: one row, counted once
        row({ id: 2, handlerId: "u1", state: "rehandling", repliedOn: "2026-09-29", rehandling: { due: "2027-01-05", repliedOn: null }, firstHandler: { id: "u1", name: "李泳" } }),
      ],
      cal,
      "2026-11-30",
    );
    expect(s.byHandler).toEqual([
      { name: "李泳", assigned: 3, replied: 3, onTime: 2, late: 1, openOverdue: 0, rehandled: 0 },
      { name: "王芳", assigned: 2, replied: 0, onTime: 0, late: 0, openOverdue: 1, rehandled: 1 },
    ]);
    expect(s.timeliness).toMatchObject({ replied: 3, onTime: 2, late: 1 });
  });

  it("a 再办理 reply followed by another 不满意 counts in 再办理 and for whoever submitted it, each proposal once in their 承办", () => {
    const s = computeStatistics(
      [
        // 李泳 answered first (late), 王芳 the first 再办理 (on time), 赵晓 the second (late), the third is open and overdue
        row({
          id: 1,
          handlerId: "u2",
          handlerName: "王芳",
          state: "rehandling",
          repliedOn: "2026-07-10",
          due: "2026-07-01",
          firstHandler: { id: "u1", name: "李泳" },
          earlierRehandlings: [
            { due: "2026-09-01", repliedOn: "2026-08-20", handler: { id: "u2", name: "王芳" } },
            { due: "2026-10-01", repliedOn: "2026-10-09", handler: { id: "u3", name: "赵晓" } },
            { due: "2026-11-01", repliedOn: "2026-10-30", handler: { id: "u3", name: "赵晓" } },
          ],
          rehandling: { due: "2026-11-20", repliedOn: null },
        }),
        // whose reply is not known (no submission in the history): the current handler's
        row({
          id: 2,
          handlerId: "u1",
          state: "replied",
          repliedOn: "2026-06-01",
          earlierRehandlings: [{ due: "2026-09-01", repliedOn: "2026-08-01", handler: null }],
          rehandling: { due: "2026-12-01", repliedOn: "2026-11-02" },
        }),
      ],
      cal,
      "2026-11-30",
    );
    // six rounds of 再办理: four of the first proposal (three answered), two of the second
    expect(s.rehandling).toEqual({ total: 6, replied: 5, onTime: 4, late: 1, openOverdue: 1 });
    expect(s.byHandler).toEqual([
      { name: "李泳", assigned: 2, replied: 2, onTime: 1, late: 1, openOverdue: 0, rehandled: 2 },
      { name: "王芳", assigned: 1, replied: 0, onTime: 0, late: 0, openOverdue: 1, rehandled: 1 },
      { name: "赵晓", assigned: 1, replied: 0, onTime: 0, late: 0, openOverdue: 0, rehandled: 2 },
    ]);
  });

  it("formats rates", () => {
    expect(percent(6 / 7)).toBe("85.7%");
    expect(percent(null)).toBe("—");
  });
});

describe("the statistics' scope, as the page and its XLSX read it", () => {
  const years = [2026, 2025];
  it("nothing chosen is the latest year; 全部年度 is year=all; the export link asks for what the page shows", () => {
    expect(resolveStatisticsScope({}, years)).toEqual({ year: 2026 });
    expect(resolveStatisticsScope({ year: "all" }, years)).toEqual({});
    expect(resolveStatisticsScope({ year: "2025", meeting: "十四届二次会议" }, years)).toEqual({ year: 2025, meeting: "十四届二次会议" });
    for (const params of [{}, { year: "all" }, { year: "2025" }, { meeting: "十四届二次会议" }, { year: "all", meeting: "十四届二次会议" }] as Record<string, string>[]) {
      const shown = resolveStatisticsScope(params, years);
      expect(resolveStatisticsScope(Object.fromEntries(new URLSearchParams(statisticsScopeQuery(shown))), years), JSON.stringify(params)).toEqual(shown);
    }
  });
  it("a year that is no year is dropped for the latest, and said (the page showed 2026 without a word)", () => {
    expect(resolveStatisticsScope({ year: "99999" }, years)).toEqual({ year: 2026 });
    expect(ignoredYear({ year: "99999" })).toBe("99999");
    expect(ignoredYear({ year: "abc" })).toBe("abc");
    for (const ok of [{}, { year: "all" }, { year: "2025" }, { year: " 2025 " }] as Record<string, string>[]) expect(ignoredYear(ok)).toBeNull();
  });
});
