/**
 * A change of the 工作日历 as one step: the days written, the deadlines that depend on them
 * computed again (each move in its proposal's history, the handlers told), and the audit entry —
 * so no caller can change the calendar and leave the stored deadlines false.
 */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { addCalendarYear, confirmCalendarYear, deleteCalendarDay, ensureOfficialCalendar, readShippedCalendar, setCalendarDay } from "./calendar.server";
import { recordAudit } from "./audit.server";
import { recomputeDeadlines } from "./deadline.server";

export type CalendarChange =
  /** `days`: one day, or a run set at once (a holiday of several days); `seen`: each day as the page showed it */
  | { intent: "set"; days: string[]; kind: "holiday" | "workday"; name: string | null; seen: (day: string) => { seen?: string; shownYear?: number } }
  | { intent: "delete"; day: string; seenDay?: string }
  | { intent: "add_year"; year: number }
  | { intent: "shipped" }
  | { intent: "confirm_year" | "reopen_year"; year: number };

/** In words, for the history and the audit log. */
function inWords(c: CalendarChange, year: number): string {
  switch (c.intent) {
    case "set": {
      const first = c.days[0]!;
      const last = c.days.at(-1)!;
      return `${first}${last !== first ? ` 至 ${last}` : ""} 设为${c.kind === "holiday" ? "放假" : "调休上班"}${c.name ? `（${c.name}）` : ""}`;
    }
    case "delete":
      return `${c.day} 恢复为平常日`;
    case "add_year":
      return `添加 ${year} 年度`;
    case "confirm_year":
      return `确认 ${year} 年安排已录入完整`;
    case "reopen_year":
      return `撤销确认 ${year} 年安排（重新视为未知）`;
    case "shipped":
      return "导入内置日历";
  }
}

/** 从内置数据补充缺少的年度 when the database has every shipped year already. */
export class CalendarNothingShippedError extends Error {
  constructor(lastShipped: number) {
    super(`内置日历的年度（至 ${lastShipped} 年）均已在日历中，没有可补充的年度。更晚的年度请在上方添加，按国务院公布的安排录入后确认。`);
  }
}

/** Applies the change in the caller's transaction; answers the year it concerns. */
export async function changeCalendar(db: Db, r: { change: CalendarChange; actor: SessionUser; address: string | null }): Promise<number> {
  const c = r.change;
  let year: number;
  if (c.intent === "confirm_year" || c.intent === "reopen_year") {
    await confirmCalendarYear(db, c.year, c.intent === "confirm_year");
    year = c.year;
  } else if (c.intent === "set") {
    year = Number(c.days[0]!.slice(0, 4));
    for (const day of c.days) await setCalendarDay(db, { day, kind: c.kind, name: c.name, ...c.seen(day) });
  } else if (c.intent === "delete") {
    await deleteCalendarDay(db, c.day, c.seenDay);
    year = Number(c.day.slice(0, 4));
  } else if (c.intent === "add_year") {
    await addCalendarYear(db, c.year);
    year = c.year;
  } else {
    const added = await ensureOfficialCalendar(db);
    // nothing to add: said, and nothing recomputed or audited (it answered 已保存 for nothing)
    if (!added.length) throw new CalendarNothingShippedError(Math.max(...readShippedCalendar().years));
    year = added.at(-1)!;
  }
  const what = inWords(c, year);
  await recomputeDeadlines(db, { reason: `日历调整：${what}`, actorId: r.actor.id, answeredInDoubt: true });
  await recordAudit(db, { actor: r.actor, address: r.address, action: "calendar_changed", target: String(year), detail: what });
  return year;
}
