import { parseWithZod } from "@conform-to/zod/v4";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { missingYearsMessage, workCalendarSchema, type WorkCalendar } from "~/domain/calendar";
import { reassignmentAskable } from "~/domain/workflow";
import {
  DEFAULT_DEADLINE_RULES,
  calendarDoubts,
  deadlineDoubts,
  deadlineNotes,
  deadlineWarningsShown,
  addCalendarMonths,
  applyExtension,
  computeDueDates,
  deadlineRulesFormSchema,
  deadlineRulesSchema,
  deadlineStatus,
  describeDeadlineStatus,
  isReassignmentWindowOpen,
  reminderSchedule,
  remindersDue,
  validateDueDate,
  type DeadlineRules,
} from "~/domain/deadlines";

const cal: WorkCalendar = workCalendarSchema.parse(JSON.parse(readFileSync(path.resolve("seeds/calendar/cn-official.json"), "utf8")));
/** A fixed calendar so tests about "uncovered years" do not depend on the package version. */
const cal2024: WorkCalendar = {
  years: [2024],
  days: Object.fromEntries(Object.entries(cal.days).filter(([d]) => d.startsWith("2024-"))),
};

describe("addCalendarMonths", () => {
  it.each([
    ["2024-03-15", 3, "2024-06-15"],
    ["2024-10-15", 3, "2025-01-15"],
    ["2023-11-30", 3, "2024-02-29"], // leap year
    ["2022-11-30", 3, "2023-02-28"],
    ["2024-01-31", 1, "2024-02-29"],
    ["2023-01-31", 1, "2023-02-28"],
    ["2024-08-31", 3, "2024-11-30"],
    ["2024-05-31", 1, "2024-06-30"],
    ["2024-02-29", 3, "2024-05-29"],
    ["2024-02-29", 12, "2025-02-28"],
    ["2024-02-29", 48, "2028-02-29"],
    ["2099-11-30", 3, "2100-02-28"], // 2100 is not a leap year
    ["1999-11-30", 3, "2000-02-29"], // 2000 is
    ["2024-03-31", -1, "2024-02-29"],
    ["2024-01-15", -1, "2023-12-15"],
    ["2024-06-15", 0, "2024-06-15"],
  ])("%s + %i months → %s", (from, n, expected) => {
    expect(addCalendarMonths(from, n)).toBe(expected);
  });

  it("rejects invalid input", () => {
    expect(() => addCalendarMonths("2023-02-29", 1)).toThrow(RangeError);
    expect(() => addCalendarMonths("2024-01-01", 0.5)).toThrow(RangeError);
  });
});

describe("computeDueDates", () => {
  it("lead: reply due 3 calendar months after 交办, reassignment window in working days", () => {
    expect(computeDueDates({ assignedOn: "2024-03-04", bureauRole: "lead", calendar: cal })).toEqual({
      replyDue: "2024-06-04",
      due: "2024-06-04",
      reassignmentWindowEnds: "2024-03-11",
      warnings: [],
    });
  });

  it("再办理: the reply is due months after the re-handling starts (3 by default, as the batch says), not after 交办", () => {
    const first = computeDueDates({ assignedOn: "2024-03-04", bureauRole: "lead", calendar: cal });
    const again = computeDueDates({ assignedOn: "2024-03-04", bureauRole: "lead", calendar: cal, rehandlingFrom: "2025-09-10" });
    expect(first.due).toBe("2024-06-04");
    expect(again).toMatchObject({ replyDue: "2025-12-10", due: "2025-12-10", warnings: [] });
    const shorter = computeDueDates({
      assignedOn: "2024-03-04",
      bureauRole: "lead",
      calendar: cal,
      rehandlingFrom: "2025-09-10",
      rules: { ...DEFAULT_DEADLINE_RULES, rehandlingMonths: 2 },
    });
    expect(shorter.due).toBe("2025-11-10");
    // Landing on a rest day is said in the re-handling's own words.
    const sunday = computeDueDates({ assignedOn: "2024-03-04", bureauRole: "lead", calendar: cal, rehandlingFrom: "2025-08-09" });
    expect(sunday.warnings).toEqual(["再办理期限 2025-11-09 为休息日，期限不顺延，请在此前的工作日办结"]);
  });

  it("the reassignment window stretches across the 2024 Spring Festival and counts the 调休 Sunday", () => {
    // 交办 Tue 02-06: 02-07, 02-08, 02-09, (02-10..17 holiday), Sun 02-18, Mon 02-19.
    // A weekday-only rule would wrongly give 02-13.
    const r = computeDueDates({ assignedOn: "2024-02-06", bureauRole: "lead", calendar: cal });
    expect(r.reassignmentWindowEnds).toBe("2024-02-19");
    expect(r.replyDue).toBe("2024-05-06");
  });

  it("a window starting on a 调休 Sunday does not count the 交办 day", () => {
    // 交办 Sun 02-04 (a working day): 02-05, 06, 07, 08, 09
    expect(computeDueDates({ assignedOn: "2024-02-04", bureauRole: "lead", calendar: cal }).reassignmentWindowEnds).toBe("2024-02-09");
  });

  it("co-handling: the 会办意见 is due 1 month after 交办; no warning about the lead unit's date", () => {
    // replyDue 2024-06-15 is a Saturday, but that is the lead unit's concern.
    expect(computeDueDates({ assignedOn: "2024-03-15", bureauRole: "co", calendar: cal })).toEqual({
      replyDue: "2024-06-15",
      coHandlingDue: "2024-04-15",
      due: "2024-04-15",
      reassignmentWindowEnds: "2024-03-22",
      warnings: [],
    });
  });

  it("split behaves like lead", () => {
    const r = computeDueDates({ assignedOn: "2024-03-04", bureauRole: "split", calendar: cal });
    expect(r.due).toBe("2024-06-04");
    expect(r.coHandlingDue).toBeUndefined();
  });

  it("month-end 交办 clamps (11-30 → 02-29 in 2024)", () => {
    const r = computeDueDates({ assignedOn: "2023-11-30", bureauRole: "lead", calendar: cal });
    expect(r.replyDue).toBe("2024-02-29");
  });

  describe("a due date on a rest day", () => {
    // 交办 2024-02-01 → 2024-05-01, 劳动节 (05-01..05-05 off).
    const base = { assignedOn: "2024-02-01", bureauRole: "lead" as const, calendar: cal };

    it("by default does not move, with a warning", () => {
      const r = computeDueDates(base);
      expect(r.replyDue).toBe("2024-05-01");
      expect(r.warnings).toEqual(["答复期限 2024-05-01 为休息日（劳动节），期限不顺延，请在此前的工作日办结"]);
    });

    it("moves to the next working day when configured", () => {
      const rules: DeadlineRules = { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "next_working_day" };
      const r = computeDueDates({ ...base, rules });
      expect(r.replyDue).toBe("2024-05-06");
      expect(r.warnings).toEqual(["答复期限 2024-05-01 为休息日（劳动节），已顺延至 2024-05-06"]);
    });

    it("moves to the previous working day when configured", () => {
      const rules: DeadlineRules = { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "previous_working_day" };
      expect(computeDueDates({ ...base, rules }).replyDue).toBe("2024-04-30");
    });

    it("a plain Saturday is also a rest day", () => {
      const r = computeDueDates({ assignedOn: "2024-03-15", bureauRole: "lead", calendar: cal });
      expect(r.replyDue).toBe("2024-06-15");
      expect(r.warnings).toEqual(["答复期限 2024-06-15 为休息日，期限不顺延，请在此前的工作日办结"]);
    });
  });

  it("an uncovered year gives 'unknown' and warnings, never a guess", () => {
    const r = computeDueDates({ assignedOn: "2024-12-27", bureauRole: "lead", calendar: cal2024 });
    expect(r.reassignmentWindowEnds).toBe("unknown");
    expect(r.replyDue).toBe("2025-03-27");
    expect(r.warnings).toEqual([
      "工作日历未覆盖 2025年，请管理员在“管理 → 工作日历”录入当年的节假日安排；无法判断答复期限 2025-03-27 是否为休息日",
      "工作日历未覆盖 2025年，请管理员在“管理 → 工作日历”录入当年的节假日安排；无法计算申请调整截止日期",
    ]);
  });

  it("uses custom rules", () => {
    const rules = deadlineRulesSchema.parse({
      replyMonths: 2,
      coHandlingMonths: 1,
      reassignmentWorkingDays: 3,
      reminderDays: [7],
    });
    const r = computeDueDates({ assignedOn: "2024-03-04", bureauRole: "lead", rules, calendar: cal });
    expect(r.replyDue).toBe("2024-05-04"); // a Saturday, but also a 劳动节 rest day
    expect(r.reassignmentWindowEnds).toBe("2024-03-07");
  });

  it("throws on an invalid 交办 date", () => {
    expect(() => computeDueDates({ assignedOn: "2024-02-30", bureauRole: "lead", calendar: cal })).toThrow(RangeError);
  });
});

describe("isReassignmentWindowOpen", () => {
  it("includes the last day", () => {
    expect(isReassignmentWindowOpen("2024-02-19", "2024-02-19")).toBe(true);
    expect(isReassignmentWindowOpen("2024-02-19", "2024-02-20")).toBe(false);
    expect(isReassignmentWindowOpen("2024-02-19", "2024-02-06")).toBe(true);
    expect(isReassignmentWindowOpen("unknown", "2024-02-06")).toBe("unknown");
  });
});

describe("deadlineRulesSchema", () => {
  it("accepts the defaults", () => {
    expect(deadlineRulesSchema.parse(DEFAULT_DEADLINE_RULES)).toEqual(DEFAULT_DEADLINE_RULES);
  });

  it("coerces form strings, de-duplicates and sorts reminders, defaults the rest-day policy", () => {
    expect(
      deadlineRulesSchema.parse({
        replyMonths: "3",
        coHandlingMonths: "1",
        reassignmentWorkingDays: "5",
        reminderDays: ["3", "15", "7", "7"],
      }),
    ).toEqual(DEFAULT_DEADLINE_RULES);
  });

  it("refuses nonsense with zh-CN messages", () => {
    const r = deadlineRulesSchema.safeParse({ ...DEFAULT_DEADLINE_RULES, replyMonths: 0 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("答复期限（月）不能小于 1");

    const r2 = deadlineRulesSchema.safeParse({ ...DEFAULT_DEADLINE_RULES, replyMonths: 1, coHandlingMonths: 2 });
    expect(r2.error?.issues[0]?.message).toBe("会办意见期限不能晚于答复期限");

    const r3 = deadlineRulesSchema.safeParse({ ...DEFAULT_DEADLINE_RULES, reassignmentWorkingDays: 2.5 });
    expect(r3.error?.issues[0]?.message).toBe("申请调整期限（工作日）须为整数");

    expect(deadlineRulesSchema.safeParse({ ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "sometimes" }).success).toBe(false);
    expect(deadlineRulesSchema.safeParse({ ...DEFAULT_DEADLINE_RULES, reminderDays: [0] }).success).toBe(false);
  });
});

describe("deadlineRulesFormSchema (期限规则's form, as conform hands it over)", () => {
  const submit = (fields: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries({ batchId: "3", stamp: "s", ...fields })) f.append(k, v);
    return parseWithZod(f, { schema: deadlineRulesFormSchema });
  };
  const typed = { replyMonths: "3", coHandlingMonths: "1", reassignmentWorkingDays: "5", rehandlingMonths: "3", reminderDays: "15、7、3", dueOnRestDay: "keep" };

  it("reads the rules as typed: reminder days with 、, commas or spaces", () => {
    const r = submit({ ...typed, reminderDays: "3，15 7,7" });
    expect(r.status === "success" && r.value).toMatchObject({ ...DEFAULT_DEADLINE_RULES, batchId: 3, stamp: "s" });
  });

  it("an emptied field is asked for by its name, not called 'not a number'", () => {
    const r = submit({ ...typed, replyMonths: "" });
    expect(r.reply().error).toEqual({ replyMonths: ["请填写答复期限（月）"] });
    // 再办理期限 too (the stored rules' default of 3 saved an emptied field as 3)
    expect(submit({ ...typed, rehandlingMonths: "" }).reply().error).toEqual({ rehandlingMonths: ["请填写再办理期限（月）"] });
  });

  it("no reminder days at all is allowed (no reminders)", () => {
    const r = submit({ ...typed, reminderDays: "" });
    expect(r.status === "success" && r.value.reminderDays).toEqual([]);
  });

  it("a wrong reminder day and a 会办 period longer than the reply's are refused with their fields", () => {
    expect(Object.entries(submit({ ...typed, reminderDays: "15、0" }).reply().error ?? {})).toEqual([["reminderDays[1]", ["提醒天数不能小于 1"]]]);
    expect(submit({ ...typed, coHandlingMonths: "4" }).reply().error).toEqual({ coHandlingMonths: ["会办意见期限不能晚于答复期限"] });
  });
});

describe("validateDueDate and applyExtension", () => {
  it("refuses a due date before or on 交办", () => {
    expect(validateDueDate("2024-03-04", "2024-03-01")).toEqual({
      ok: false,
      reason: "期限（2024-03-01）须晚于交办日期（2024-03-04）",
    });
    expect(validateDueDate("2024-03-04", "2024-03-04").ok).toBe(false);
    expect(validateDueDate("2024-03-04", "2024-06-04")).toEqual({ ok: true });
    expect(validateDueDate("2024-03-04", "2024-02-30")).toEqual({ ok: false, reason: "期限日期无效：2024-02-30" });
  });

  it("an extension must move the due date later", () => {
    expect(applyExtension("2024-06-04", "2024-07-04", "2024-03-04")).toEqual({ ok: true, due: "2024-07-04" });
    expect(applyExtension("2024-06-04", "2024-06-04", "2024-03-04")).toEqual({
      ok: false,
      reason: "延期后的期限（2024-06-04）须晚于原期限（2024-06-04）",
    });
    expect(applyExtension("2024-06-04", "2024-05-01", "2024-03-04").ok).toBe(false);
  });

  it("an extension can never land before 交办", () => {
    expect(applyExtension("2024-06-04", "2024-02-01", "2024-03-04")).toEqual({
      ok: false,
      reason: "期限（2024-02-01）须晚于交办日期（2024-03-04）",
    });
  });
});

describe("deadlineStatus", () => {
  const due = "2024-06-04";

  it("ok, soon, due today, overdue", () => {
    expect(deadlineStatus({ due, today: "2024-05-01", soonDays: 15 })).toEqual({ daysLeft: 34, level: "ok" });
    expect(deadlineStatus({ due, today: "2024-05-25", soonDays: 15 })).toEqual({ daysLeft: 10, level: "soon" });
    expect(deadlineStatus({ due, today: "2024-05-20", soonDays: 15 })).toEqual({ daysLeft: 15, level: "soon" });
    expect(deadlineStatus({ due, today: due, soonDays: 15 })).toEqual({ daysLeft: 0, level: "soon" });
    expect(deadlineStatus({ due, today: "2024-06-07", soonDays: 15 })).toEqual({
      daysLeft: -3,
      level: "overdue",
      daysLate: 3,
    });
  });

  it("soonDays defaults to the first reminder (15)", () => {
    expect(deadlineStatus({ due, today: "2024-05-20" }).level).toBe("soon");
    expect(deadlineStatus({ due, today: "2024-05-19" }).level).toBe("ok");
  });

  it("the clock stops at the reply", () => {
    expect(deadlineStatus({ due, today: "2024-12-31", repliedOn: "2024-06-04" })).toEqual({
      daysLeft: 0,
      level: "done",
      onTime: true,
      daysLate: 0,
    });
    expect(deadlineStatus({ due, today: "2024-12-31", repliedOn: "2024-05-30" })).toMatchObject({
      daysLeft: 5,
      onTime: true,
    });
    expect(deadlineStatus({ due, today: "2024-12-31", repliedOn: "2024-06-06" })).toEqual({
      daysLeft: -2,
      level: "done",
      onTime: false,
      daysLate: 2,
    });
  });

  it("counts lateness across a month and a leap day", () => {
    expect(deadlineStatus({ due: "2024-02-28", today: "2024-03-01" }).daysLate).toBe(2);
    expect(deadlineStatus({ due: "2023-02-28", today: "2023-03-01" }).daysLate).toBe(1);
  });

  it("describes itself in Chinese", () => {
    expect(describeDeadlineStatus(deadlineStatus({ due, today: "2024-05-30" }))).toBe("剩余 5 天");
    expect(describeDeadlineStatus(deadlineStatus({ due, today: due }))).toBe("今天到期");
    expect(describeDeadlineStatus(deadlineStatus({ due, today: "2024-06-07" }))).toBe("已超期 3 天");
    expect(describeDeadlineStatus(deadlineStatus({ due, today: "2024-07-01", repliedOn: "2024-06-01" }))).toBe("按时答复");
    expect(describeDeadlineStatus(deadlineStatus({ due, today: "2024-07-01", repliedOn: "2024-06-06" }))).toBe("超期 2 天答复");
  });
});

describe("reminders", () => {
  const due = "2024-06-15";

  it("lists the schedule, most distant first", () => {
    expect(reminderSchedule(due, [3, 15, 7, 7])).toEqual([
      { daysBefore: 15, on: "2024-05-31" },
      { daysBefore: 7, on: "2024-06-08" },
      { daysBefore: 3, on: "2024-06-12" },
    ]);
  });

  it("fires on the exact day by default", () => {
    expect(remindersDue(due, "2024-05-31", [15, 7, 3])).toEqual([{ daysBefore: 15, on: "2024-05-31" }]);
    expect(remindersDue(due, "2024-06-08", [15, 7, 3])).toEqual([{ daysBefore: 7, on: "2024-06-08" }]);
    expect(remindersDue(due, "2024-06-01", [15, 7, 3])).toEqual([]);
    expect(remindersDue(due, "2024-06-16", [15, 7, 3])).toEqual([]);
  });

  it("catches up missed days since the last run", () => {
    expect(remindersDue(due, "2024-06-09", [15, 7, 3], "2024-05-30")).toEqual([
      { daysBefore: 15, on: "2024-05-31" },
      { daysBefore: 7, on: "2024-06-08" },
    ]);
    expect(remindersDue(due, "2024-06-09", [15, 7, 3], "2024-06-08")).toEqual([]);
  });
});

describe("calendarDoubts", () => {
  it("keeps the unknown-year warnings and drops the rest-day notes", () => {
    const unknown = `${missingYearsMessage([2027])}；无法判断答复期限 2027-03-01 是否为休息日`;
    expect(calendarDoubts([unknown, "答复期限 2026-10-01 为休息日（国庆节），已顺延至 2026-10-09"])).toEqual([unknown]);
    expect(calendarDoubts(null)).toEqual([]);
  });

  it("beside a deadline: none for an extension or an answer in time; kept while open or answered late", () => {
    const unknown = `${missingYearsMessage([2027])}；无法判断答复期限 2027-03-01 是否为休息日`;
    const warnings = [unknown];
    expect(deadlineDoubts({ warnings, extended: false, answered: false, onTime: null })).toEqual([unknown]);
    expect(deadlineDoubts({ warnings, extended: true, answered: false, onTime: null })).toEqual([]);
    expect(deadlineDoubts({ warnings, extended: false, answered: true, onTime: true })).toEqual([]);
    expect(deadlineDoubts({ warnings, extended: false, answered: true, onTime: false })).toEqual([unknown]);
    // a batch that moves a deadline on a rest day to the working day before: the deadline may come
    // earlier once the year is entered, so an answer on time now is not certain (it read 按时答复)
    expect(deadlineDoubts({ warnings, extended: false, answered: true, onTime: true, earlierOnRestDay: true })).toEqual([unknown]);
  });
});

describe("the exports' 期限提示 (deadlineNotes)", () => {
  it("says a running deadline falls on a rest day, as the page does; not once answered, nor beside an extension", () => {
    const restDay = "答复期限 2026-11-01 为休息日，期限不顺延，请在此前的工作日办结";
    const unknown = `${missingYearsMessage([2027])}；无法判断会办意见期限 2027-03-01 是否为休息日`;
    const warnings = [restDay, unknown];
    expect(deadlineNotes({ warnings, extended: false, answered: false, onTime: null })).toEqual([unknown, restDay]);
    expect(deadlineNotes({ warnings, extended: true, answered: false, onTime: null })).toEqual([]);
    expect(deadlineNotes({ warnings, extended: false, answered: true, onTime: true })).toEqual([]);
    expect(deadlineNotes({ warnings, extended: false, answered: true, onTime: false })).toEqual([unknown]);
  });
});

describe("the deadline's warnings a proposal's page shows", () => {
  const doubt = "工作日历未覆盖 2027年，无法判断答复期限 2027-03-01 是否为休息日，请人工核对";
  it("lists them all while the proposal runs; after a reply sent on time none, after one in doubt only the doubts", () => {
    expect(deadlineWarningsShown({ state: "drafting", repliedOn: null, dueWarnings: [doubt] }, { doubts: [doubt] })).toEqual([doubt]);
    expect(deadlineWarningsShown({ state: "replied", repliedOn: "2026-12-01", dueWarnings: [doubt] }, { doubts: [] })).toEqual([]);
    expect(deadlineWarningsShown({ state: "published", repliedOn: "2027-03-01", dueWarnings: [doubt] }, { doubts: [doubt] })).toEqual([doubt]);
  });
  it("the 申请调整 window only while one can still be asked", () => {
    expect(["received", "assigned", "reassignment_requested"].every(reassignmentAskable)).toBe(true);
    expect(["acknowledged", "drafting", "rehandling", "replied"].some(reassignmentAskable)).toBe(false);
  });
});
