/**
 * The official working-day calendar in the database: shipped from seeds/calendar (State Council
 * arrangements via chinese-days), editable by an admin. A year not in calendar_years, or one
 * entered by hand and not yet confirmed complete, is unknown.
 */
import fs from "node:fs";
import path from "node:path";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { calendarDays, calendarYears } from "#db/schema";
import { takeTurn } from "./locks.server";
import { CALENDAR_DAY_KIND_LABELS, calendarDayKey, workCalendarSchema, type CalendarDayKind, type WorkCalendar } from "~/domain/calendar";
import { festivalCoverage } from "~/domain/festivals";

const SHIPPED = path.resolve("seeds/calendar/cn-official.json");

export function readShippedCalendar(): WorkCalendar & { source: string } {
  const raw = JSON.parse(fs.readFileSync(SHIPPED, "utf8"));
  const cal = workCalendarSchema.parse({ years: raw.years, days: raw.days });
  return { ...cal, source: `${raw.source}@${raw.sourceVersion}` };
}

/**
 * Add the shipped years this database does not have yet, and their days to a year an admin
 * added by hand. Shipped years already present (possibly edited by an admin) are left alone.
 * Returns the years added or filled.
 */
export async function ensureOfficialCalendar(db: Db): Promise<number[]> {
  const shipped = readShippedCalendar();
  const present = await db.select({ year: calendarYears.year, source: calendarYears.source }).from(calendarYears);
  const have = new Set(present.map((r) => r.year));
  // A year an admin added by hand before the release that ships it ("添加年度" on a deadline's
  // warning) gets the shipped days once, beside the admin's own (which win): before, it stayed
  // empty — unknown — or, with one day entered, counted as known with 春节 as working days.
  const byHand = new Set(present.filter((r) => r.source === "admin").map((r) => r.year));
  const add = shipped.years.filter((y) => !have.has(y) || byHand.has(y));
  if (!add.length) return [];
  const rows = Object.entries(shipped.days)
    .filter(([day]) => add.includes(Number(day.slice(0, 4))))
    .map(([day, d]) => ({ day, kind: d.kind, name: d.name ?? null, source: shipped.source }));
  for (let i = 0; i < rows.length; i += 500)
    await db
      .insert(calendarDays)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing();
  await db
    .insert(calendarYears)
    .values(add.map((year) => ({ year, source: shipped.source, complete: true })))
    .onConflictDoUpdate({ target: calendarYears.year, set: { source: sql`${shipped.source} || '+admin'`, complete: true, updatedAt: new Date() } });
  return add;
}

/**
 * A year counts as known only once its whole arrangement is in: shipped, or entered by hand and
 * confirmed complete by an admin (confirmYear). An empty year would read as "no holidays at all",
 * and a year with only 元旦 typed in as one whose 春节 is working days — both silencing the
 * warnings. A confirmed year that has lost every holiday is unknown again.
 */
const hasHolidays = sql<boolean>`exists (select 1 from ${calendarDays} d where d.day >= make_date(${calendarYears.year}, 1, 1) and d.day < make_date(${calendarYears.year} + 1, 1, 1) and d.kind = 'holiday')`;

export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const years = (
    await db
      .select({ year: calendarYears.year })
      .from(calendarYears)
      .where(and(eq(calendarYears.complete, true), hasHolidays))
      .orderBy(asc(calendarYears.year))
  ).map((r) => r.year);
  const rows = await db.select().from(calendarDays);
  const days: WorkCalendar["days"] = {};
  for (const r of rows) days[r.day] = r.name ? { kind: r.kind, name: r.name } : { kind: r.kind };
  return { years, days };
}

export async function listCalendarYears(db: Db) {
  return db
    .select({
      year: calendarYears.year,
      source: calendarYears.source,
      complete: calendarYears.complete,
      updatedAt: calendarYears.updatedAt,
      holidays: sql<number>`(select count(*)::int from ${calendarDays} d where extract(year from d.day) = ${calendarYears.year} and d.kind = 'holiday')`,
      workdays: sql<number>`(select count(*)::int from ${calendarDays} d where extract(year from d.day) = ${calendarYears.year} and d.kind = 'workday')`,
    })
    .from(calendarYears)
    .orderBy(asc(calendarYears.year));
}

export async function listCalendarDays(db: Db, year: number) {
  return db.select().from(calendarDays).where(sql`extract(year from ${calendarDays.day}) = ${year}`).orderBy(asc(calendarDays.day));
}

/** Start a year the shipped data lacks; it stays unknown (deadlines in it keep warning) until its days are entered and confirmed. */
export async function addCalendarYear(db: Db, year: number) {
  await db.insert(calendarYears).values({ year, source: "admin" }).onConflictDoNothing();
}

export class CalendarYearEmptyError extends Error {
  constructor(year: number, missing?: { festivals: string[]; entered: string[] }, message?: string) {
    super(
      message ??
        (missing
          ? `${year} 年还没有录入${missing.festivals.join("、")}的放假日（已录入：${missing.entered.join("、") || "无"}）。请按国务院公布的放假安排录入完整后再确认。`
          : `${year} 年还没有录入放假日，请先录入国务院公布的放假安排再确认。`),
    );
  }
}

/**
 * An admin says the year's arrangement is all entered (complete) — or not yet (reopened): only
 * then do its deadlines count its days and stop warning. A year without a holiday, or without a
 * holiday on or near each statutory festival (`festivalCoverage`: 清明 or 中秋 forgotten would have
 * been counted as working days without a warning), cannot be complete.
 */
export async function confirmCalendarYear(db: Db, year: number, complete: boolean) {
  // after a colleague's day change in progress, not beside it (the check read the days before it)
  await takeTurn(db, "deadlines");
  const [row] = await db.select({ ok: hasHolidays, complete: calendarYears.complete }).from(calendarYears).where(eq(calendarYears.year, year));
  // a year not in the calendar, or already as asked: nothing to do — said, not "已保存" and an audit entry for nothing
  if (!row) throw new CalendarYearEmptyError(year, undefined, `${year} 年尚未建立日历，无需${complete ? "确认" : "撤销确认"}。`);
  if (row.complete === complete) throw new CalendarYearEmptyError(year, undefined, `${year} 年安排${complete ? "已确认录入完整" : "尚未确认"}，无需重复操作。`);
  if (complete) {
    if (!row.ok) throw new CalendarYearEmptyError(year);
    const holidays = (await listCalendarDays(db, year)).filter((d) => d.kind === "holiday");
    const { missing, entered } = festivalCoverage(year, new Set(holidays.map((d) => d.day)));
    if (missing.length) throw new CalendarYearEmptyError(year, { festivals: missing, entered });
  }
  await db.update(calendarYears).set({ complete, updatedAt: new Date() }).where(eq(calendarYears.year, year));
}

export class CalendarDayChangedError extends Error {}

/**
 * A year known complete (shipped, or confirmed by an admin) keeps a holiday on or near each
 * statutory festival: a change that takes the last one away is refused (it left the year "known"
 * with 中秋 a working day, and deadlines counted it without a warning). Called after the change,
 * inside its transaction, so a refusal undoes it.
 */
async function keepFestivals(db: Db, day: string) {
  const year = Number(day.slice(0, 4));
  const [row] = await db.select({ complete: calendarYears.complete }).from(calendarYears).where(eq(calendarYears.year, year));
  if (!row?.complete) return;
  const holidays = (await listCalendarDays(db, year)).filter((d) => d.kind === "holiday");
  const { missing } = festivalCoverage(year, new Set(holidays.map((d) => d.day)));
  if (missing.length)
    throw new CalendarDayChangedError(`改后 ${year} 年的${missing.join("、")}没有放假日，而 ${year} 年的安排已确认完整。如确需更改，请先撤销确认 ${year} 年安排，改好后再确认。`);
}

/**
 * `seen`: the day as the admin's page showed it. Set differently meanwhile (another admin), the
 * save is refused naming what it is now: it silently replaced the other's entry.
 */
/**
 * The day must still be as the page showed it (`seen`: its calendarDayKey; undefined: unchecked).
 * Changes to the calendar take the deadlines' turn first: `for update` locks no row for a day not
 * entered yet, and two admins saving the same new day at once both passed and one was overwritten.
 */
async function checkDaySeen(db: Db, day: string, seen: string | undefined, shownYear?: number) {
  await takeTurn(db, "deadlines");
  if (seen === undefined) return;
  const [now] = await db.select({ kind: calendarDays.kind, name: calendarDays.name }).from(calendarDays).where(eq(calendarDays.day, day)).for("update");
  if (calendarDayKey(now) === seen) return;
  const what = now ? `“${CALENDAR_DAY_KIND_LABELS[now.kind as CalendarDayKind]}${now.name ? `（${now.name}）` : ""}”` : "";
  // a day of a year the page did not list: it was never shown, so it is not replaced unseen either
  if (shownYear !== undefined && shownYear !== Number(day.slice(0, 4)))
    throw new CalendarDayChangedError(`${day} 已设为${what}，本页显示的是 ${shownYear} 年，没有列出这一天：请切换到 ${day.slice(0, 4)} 年核对后再修改。`);
  throw new CalendarDayChangedError(
    now ? `${day} 在您打开本页后已被设为${what}：请看下方最新的安排，如仍要修改请再次操作。` : `${day} 在您打开本页后已被恢复为普通日：请看下方最新的安排，如仍要修改请再次操作。`,
  );
}

/** `seen` as the page showed the day ("" when not entered); `shownYear`: the year the page listed (a day of another year was not shown). */
export async function setCalendarDay(db: Db, p: { day: string; kind: CalendarDayKind; name: string | null; seen?: string; shownYear?: number }) {
  await checkDaySeen(db, p.day, p.seen, p.shownYear);
  await db
    .insert(calendarDays)
    .values({ day: p.day, kind: p.kind, name: p.name, source: "admin" })
    .onConflictDoUpdate({ target: calendarDays.day, set: { kind: p.kind, name: p.name, source: "admin" } });
  if (p.kind !== "holiday") await keepFestivals(db, p.day);
  await touchYear(db, Number(p.day.slice(0, 4)));
}

export async function deleteCalendarDay(db: Db, day: string, seen?: string) {
  await checkDaySeen(db, day, seen);
  await db.delete(calendarDays).where(eq(calendarDays.day, day));
  await keepFestivals(db, day);
  const year = Number(day.slice(0, 4));
  await touchYear(db, year);
  // A year entered by hand whose last holiday is gone is being entered again: the first day typed
  // back in must not make it known without a new 确认.
  await db
    .update(calendarYears)
    .set({ complete: false })
    .where(and(eq(calendarYears.year, year), eq(calendarYears.source, "admin"), sql`not ${hasHolidays}`));
}

async function touchYear(db: Db, year: number) {
  await db.update(calendarYears).set({ updatedAt: new Date() }).where(eq(calendarYears.year, year));
}
