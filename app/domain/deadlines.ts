/**
 * Deadline rules for a batch of 交办: reply due, 会办意见 due, the
 * reassignment window, reminders, extensions and overdue status. Pure.
 *
 * Decisions:
 * - "N months after 交办" keeps the day of month (03-15 + 3 → 06-15) and clamps
 *   to the month end when that day does not exist (11-30 + 3 → 02-28/29).
 * - A calendar-month due date does NOT move when it falls on a rest day
 *   (dueOnRestDay: "keep", the default): the 交办 notices count calendar
 *   months, and moving the date later risks a late reply. A warning asks to
 *   finish on the preceding working day. Configurable per batch:
 *   "next_working_day" (顺延) or "previous_working_day" (提前).
 * - The reassignment window counts working days on the official calendar,
 *   excluding the 交办 day itself; an uncovered year gives "unknown", never a guess.
 * - A due date is inclusive: replying on the due date is on time.
 */
import { z } from "zod";
import {
  addDays,
  addWorkingDays,
  compareIsoDates,
  daysBetween,
  daysInMonth,
  formatIsoDate,
  isIsoDate,
  missingYearsMessage,
  nearestWorkingDay,
  parseIsoDate,
  workingDayStatus,
  yearOf,
  type IsoDate,
  type WorkCalendar,
} from "./calendar";
import { type BureauRole, CLOCK_STOPPED_STATES } from "./workflow";

export const DUE_ON_REST_DAY_POLICIES = ["keep", "next_working_day", "previous_working_day"] as const;
export type DueOnRestDayPolicy = (typeof DUE_ON_REST_DAY_POLICIES)[number];
export const DUE_ON_REST_DAY_LABELS: Record<DueOnRestDayPolicy, string> = {
  keep: "不调整（到期日即使为休息日也不顺延）",
  next_working_day: "顺延至下一个工作日",
  previous_working_day: "提前至上一个工作日",
};

export interface DeadlineRules {
  /** 答复期限：交办后几个自然月。 */
  replyMonths: number;
  /** 会办意见期限：交办后几个自然月。 */
  coHandlingMonths: number;
  /** 申请调整期限：交办后几个工作日。 */
  reassignmentWorkingDays: number;
  /** 到期前几天提醒，按天数从大到小。 */
  reminderDays: number[];
  /** 月份期限落在休息日时如何处理。 */
  dueOnRestDay: DueOnRestDayPolicy;
  /** 再办理期限：提案者不满意、开始再办理后几个自然月（旧批次规则中没有时为 3）。 */
  rehandlingMonths?: number;
}

/**
 * 7日内到期: a deadline with seven days or fewer left — so the day the 7-day reminder arrives
 * (剩余 7 天) the proposal is on the home page's urgent list too (it counted six).
 */
export const DUE_SOON_DAYS = 7;

export const DEFAULT_DEADLINE_RULES: Readonly<DeadlineRules> = Object.freeze({
  replyMonths: 3,
  coHandlingMonths: 1,
  reassignmentWorkingDays: 5,
  reminderDays: [15, 7, 3],
  dueOnRestDay: "keep",
  rehandlingMonths: 3,
});

const intField = (label: string, min: number, max: number) =>
  z.preprocess(
    // (a form hands an emptied field over as missing: asked for by its name)
    (v) => (v === undefined || v === "" ? undefined : Number(v)),
    z
      .number({ error: (issue) => (issue.input === undefined ? `请填写${label}` : `${label}须为数字`) })
      .int(`${label}须为整数`)
      .min(min, `${label}不能小于 ${min}`)
      .max(max, `${label}不能大于 ${max}`),
  );

const ruleFields = {
  replyMonths: intField("答复期限（月）", 1, 12),
  coHandlingMonths: intField("会办意见期限（月）", 1, 12),
  reassignmentWorkingDays: intField("申请调整期限（工作日）", 0, 30),
  reminderDays: z
    .array(intField("提醒天数", 1, 90))
    .max(10, "提醒最多设置 10 个")
    .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
  dueOnRestDay: z.enum(DUE_ON_REST_DAY_POLICIES, { error: "请选择到期日遇休息日的处理方式" }).default("keep"),
  /** 再办理 after 不满意: a new reply is due this many months after the re-handling starts. */
  rehandlingMonths: intField("再办理期限（月）", 1, 12).default(3),
};
const coHandlingNotLater: [(r: { coHandlingMonths: number; replyMonths: number }) => boolean, { path: string[]; message: string }] = [
  (r) => r.coHandlingMonths <= r.replyMonths,
  { path: ["coHandlingMonths"], message: "会办意见期限不能晚于答复期限" },
];

/** For stored rules; numbers may arrive as strings. Reminder days are de-duplicated and sorted descending. */
export const deadlineRulesSchema = z.object(ruleFields).refine(...coHandlingNotLater);

/** The reminder days as typed: 15、7、3, 15,7,3 or 15 7 3. */
export const reminderDaysOf = (s = "") => s.split(/[,，、\s]+/).filter(Boolean);

/**
 * 期限规则's form for one batch, in the browser and on the server: the rules as typed, the batch,
 * and the rules the form was opened with (`stamp`, and `opened` for merging with a colleague's save).
 */
export const deadlineRulesFormSchema = z
  .object({
    ...ruleFields,
    reminderDays: z.preprocess((typed) => reminderDaysOf(typeof typed === "string" ? typed : ""), ruleFields.reminderDays),
    // asked for when emptied (the stored rules' default is for batches saved before it existed)
    rehandlingMonths: intField("再办理期限（月）", 1, 12),
    batchId: z.coerce.number().int().positive().max(2_147_483_647),
    stamp: z.string().max(200),
    opened: z.string().max(2000).optional(),
  })
  .refine(...coHandlingNotLater);

// ---------------------------------------------------------------------------

/** Adds calendar months, clamping to the last day of the target month. */
export function addCalendarMonths(iso: IsoDate, n: number): IsoDate {
  if (!Number.isInteger(n)) throw new RangeError("月数必须为整数");
  const { year, month, day } = parseIsoDate(iso);
  const index = year * 12 + (month - 1) + n;
  const y = Math.floor(index / 12);
  const m = (index % 12) + 1;
  return formatIsoDate(y, m, Math.min(day, daysInMonth(y, m)));
}

export interface DueDates {
  /** 答复期限 (for 会办: the lead unit's reply date, for information). */
  replyDue: IsoDate;
  /** 会办意见期限, only for 会办. */
  coHandlingDue?: IsoDate;
  /** The date this bureau's own deliverable is due: coHandlingDue for 会办, else replyDue. */
  due: IsoDate;
  /** Last day on which a reassignment may be requested. */
  reassignmentWindowEnds: IsoDate | "unknown";
  warnings: string[];
}

export interface ComputeDueDatesInput {
  /** 交办日期. */
  assignedOn: IsoDate;
  bureauRole: BureauRole;
  rules?: DeadlineRules;
  calendar: WorkCalendar;
  /** When 再办理 started (proposer 不满意): the reply is due from then, not from 交办. */
  rehandlingFrom?: IsoDate | null;
}

function restDayName(cal: WorkCalendar, iso: IsoDate): string {
  const name = cal.days[iso]?.name;
  return name ? `（${name}）` : "";
}

function adjustForRestDay(cal: WorkCalendar, label: string, due: IsoDate, policy: DueOnRestDayPolicy, warnings: string[]): IsoDate {
  const status = workingDayStatus(cal, due);
  if (status === "working") return due;
  if (status === "unknown") {
    warnings.push(`${missingYearsMessage([yearOf(due)])}；无法判断${label} ${due} 是否为休息日`);
    return due;
  }
  if (policy === "keep") {
    warnings.push(`${label} ${due} 为休息日${restDayName(cal, due)}，期限不顺延，请在此前的工作日办结`);
    return due;
  }
  const direction = policy === "next_working_day" ? 1 : -1;
  const moved = nearestWorkingDay(cal, due, direction);
  if (!moved.ok) {
    warnings.push(`${missingYearsMessage(moved.missingYears)}；${label} ${due} 为休息日，未能调整`);
    return due;
  }
  warnings.push(`${label} ${due} 为休息日${restDayName(cal, due)}，已${direction === 1 ? "顺延" : "提前"}至 ${moved.date}`);
  return moved.date;
}

/** Throws RangeError on an invalid date; rules are assumed validated by deadlineRulesSchema. */
export function computeDueDates({ assignedOn, bureauRole, rules = DEFAULT_DEADLINE_RULES, calendar, rehandlingFrom }: ComputeDueDatesInput): DueDates {
  parseIsoDate(assignedOn);
  const warnings: string[] = [];

  const rehandling = rehandlingFrom && bureauRole !== "co" ? rehandlingFrom : null;
  const replyDue = adjustForRestDay(
    calendar,
    rehandling ? "再办理期限" : "答复期限",
    rehandling ? addCalendarMonths(rehandling, rules.rehandlingMonths ?? 3) : addCalendarMonths(assignedOn, rules.replyMonths),
    rules.dueOnRestDay,
    bureauRole === "co" ? [] : warnings, // a 会办 unit is not answerable for the lead unit's date
  );

  let coHandlingDue: IsoDate | undefined;
  if (bureauRole === "co") {
    coHandlingDue = adjustForRestDay(calendar, "会办意见期限", addCalendarMonths(assignedOn, rules.coHandlingMonths), rules.dueOnRestDay, warnings);
  }

  let reassignmentWindowEnds: IsoDate | "unknown";
  const window = addWorkingDays(calendar, assignedOn, rules.reassignmentWorkingDays);
  if (window.ok) {
    reassignmentWindowEnds = window.date;
  } else {
    reassignmentWindowEnds = "unknown";
    warnings.push(`${missingYearsMessage(window.missingYears)}；无法计算申请调整截止日期`);
  }

  return {
    replyDue,
    ...(coHandlingDue ? { coHandlingDue } : {}),
    due: coHandlingDue ?? replyDue,
    reassignmentWindowEnds,
    warnings,
  };
}

/** For WorkflowContext.reassignmentWindowOpen: the window includes its last day. */
export function isReassignmentWindowOpen(windowEnds: IsoDate | "unknown", today: IsoDate): boolean | "unknown" {
  if (windowEnds === "unknown") return "unknown";
  return compareIsoDates(today, windowEnds) <= 0;
}

export type DateCheck<T = object> = ({ ok: true } & T) | { ok: false; reason: string };

/** A due date must be a real date strictly after 交办. */
export function validateDueDate(assignedOn: IsoDate, due: IsoDate): DateCheck {
  if (!isIsoDate(due)) return { ok: false, reason: `期限日期无效：${String(due)}` };
  if (!isIsoDate(assignedOn)) return { ok: false, reason: `交办日期无效：${String(assignedOn)}` };
  if (compareIsoDates(due, assignedOn) <= 0) {
    return { ok: false, reason: `期限（${due}）须晚于交办日期（${assignedOn}）` };
  }
  return { ok: true };
}

/** An approved extension (延期) replaces the due date; it must move it later. */
export function applyExtension(currentDue: IsoDate, newDue: IsoDate, assignedOn: IsoDate): DateCheck<{ due: IsoDate }> {
  const basic = validateDueDate(assignedOn, newDue);
  if (!basic.ok) return basic;
  if (!isIsoDate(currentDue)) return { ok: false, reason: `原期限日期无效：${String(currentDue)}` };
  if (compareIsoDates(newDue, currentDue) <= 0) {
    return { ok: false, reason: `延期后的期限（${newDue}）须晚于原期限（${currentDue}）` };
  }
  return { ok: true, due: newDue };
}

// ---------------------------------------------------------------------------

export type DeadlineLevel = "ok" | "soon" | "overdue" | "done";

export interface DeadlineStatus {
  /** Calendar days from today (or from the reply, once replied) to the due date; negative when late. */
  daysLeft: number;
  level: DeadlineLevel;
  /** Only once replied. */
  onTime?: boolean;
  /** Days past the due date: while overdue, or at the reply if it was late. */
  daysLate?: number;
}

export function deadlineStatus({
  due,
  today,
  repliedOn,
  soonDays = DEFAULT_DEADLINE_RULES.reminderDays[0]!,
}: {
  due: IsoDate;
  today: IsoDate;
  repliedOn?: IsoDate | null;
  soonDays?: number;
}): DeadlineStatus {
  if (repliedOn) {
    // The clock stops at the reply.
    const daysLeft = daysBetween(repliedOn, due);
    return { daysLeft, level: "done", onTime: daysLeft >= 0, daysLate: Math.max(0, -daysLeft) };
  }
  const daysLeft = daysBetween(today, due);
  if (daysLeft < 0) return { daysLeft, level: "overdue", daysLate: -daysLeft };
  return { daysLeft, level: daysLeft <= soonDays ? "soon" : "ok" };
}

/** Short zh-CN text for a list cell: 剩余 5 天 / 今天到期 / 已超期 3 天 / 按时答复 / 超期 2 天答复. */
export function describeDeadlineStatus(s: DeadlineStatus): string {
  if (s.level === "done") return s.onTime ? "按时答复" : `超期 ${s.daysLate} 天答复`;
  if (s.level === "overdue") return `已超期 ${s.daysLate} 天`;
  if (s.daysLeft === 0) return "今天到期";
  return `剩余 ${s.daysLeft} 天`;
}

export interface Reminder {
  daysBefore: number;
  on: IsoDate;
}

export function reminderSchedule(due: IsoDate, reminderDays: readonly number[]): Reminder[] {
  return [...new Set(reminderDays)]
    .filter((d) => Number.isInteger(d) && d > 0)
    .sort((a, b) => b - a)
    .map((daysBefore) => ({ daysBefore, on: addDays(due, -daysBefore) }));
}

/**
 * Reminders falling in (since, today]; `since` defaults to yesterday, i.e.
 * exactly today's. Pass the last run date so a missed day is caught up.
 * The caller skips proposals already replied.
 */
export function remindersDue(due: IsoDate, today: IsoDate, reminderDays: readonly number[], since: IsoDate = addDays(today, -1)): Reminder[] {
  return reminderSchedule(due, reminderDays).filter((r) => compareIsoDates(r.on, since) > 0 && compareIsoDates(r.on, today) <= 0);
}

/**
 * The warnings that make a stored deadline unverified: the calendar does not cover a year it
 * depends on. Shown wherever the deadline shows (page, list, dashboard, exports), not only on
 * the proposal's page. Rest-day notes ("已顺延至 …") are information, not doubt.
 */
/** How a warning about a year the calendar does not cover begins: "工作日历未覆盖". */
export const CALENDAR_DOUBT_PREFIX = missingYearsMessage([]).split(" ")[0]!;

export function calendarDoubts(warnings: readonly string[] | null | undefined): string[] {
  return (warnings ?? []).filter((w) => w.startsWith(CALENDAR_DOUBT_PREFIX));
}

/**
 * The doubts to show beside a deadline. An extension is a date the leader chose, not computed on
 * the calendar; an answer in time needs no checking either — unless the batch moves a deadline on
 * a rest day to the working day before (`earlierOnRestDay`): once the year is entered the deadline
 * may come earlier, and an answer on time now may be late then. An answer judged late by a date
 * in a year not covered may still change verdict once that year is entered: its doubts stay.
 */
export function deadlineDoubts(p: {
  warnings: readonly string[] | null | undefined;
  extended: boolean;
  answered: boolean;
  onTime: boolean | null | undefined;
  earlierOnRestDay?: boolean;
}): string[] {
  return p.extended || (p.answered && p.onTime !== false && !p.earlierOnRestDay) ? [] : calendarDoubts(p.warnings);
}

/**
 * What the exports' 期限提示 says beside a deadline: its doubts, and while it runs on the rules'
 * date also the rest-day notes the proposal's page shows ("…为休息日，期限不顺延，请在此前的工作日
 * 办结", "已顺延至 …") — a deadline kept on a Sunday read as an ordinary date in the spreadsheet. An
 * extended deadline is the leader's date: the notes about the rules' date do not apply to it.
 */
export function deadlineNotes(p: Parameters<typeof deadlineDoubts>[0]): string[] {
  const doubts = deadlineDoubts(p);
  if (p.answered || p.extended) return doubts;
  return [...doubts, ...(p.warnings ?? []).filter((w) => !w.startsWith(CALENDAR_DOUBT_PREFIX))];
}

/**
 * The deadline's warnings a proposal's page lists: all of them while it runs; once the reply went
 * out only those that leave 按时 in doubt (`doubts`) — "工作日历未覆盖 2027年…" stayed under a reply
 * sent on time, and read as something still to do.
 */
export function deadlineWarningsShown(
  p: { state: string; repliedOn: string | null; dueWarnings: readonly string[] },
  deadline: { doubts: readonly string[] } | null,
): readonly string[] {
  const answered = p.repliedOn !== null && (CLOCK_STOPPED_STATES as readonly string[]).includes(p.state);
  return answered ? (deadline?.doubts ?? []) : p.dueWarnings;
}
