/**
 * The official working-day calendar in the database: shipped from seeds/calendar (State Council
 * arrangements via chinese-days), editable by an admin. A year not in calendar_years, or one
 * with no holidays entered yet, is unknown.
 */
import fs from "node:fs";
import path from "node:path";
import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { calendarDays, calendarYears } from "#db/schema";
import { workCalendarSchema, type CalendarDayKind, type WorkCalendar } from "~/domain/calendar";

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
    .values(add.map((year) => ({ year, source: shipped.source })))
    .onConflictDoUpdate({ target: calendarYears.year, set: { source: sql`${shipped.source} || '+admin'`, updatedAt: new Date() } });
  return add;
}

/**
 * A year counts as known only once its holidays are in (entered, or the shipped data): a year
 * added but still empty would otherwise read as "no holidays at all" and silence every warning.
 */
const hasHolidays = sql<boolean>`exists (select 1 from ${calendarDays} d where d.day >= make_date(${calendarYears.year}, 1, 1) and d.day < make_date(${calendarYears.year} + 1, 1, 1) and d.kind = 'holiday')`;

export async function loadCalendar(db: Db): Promise<WorkCalendar> {
  const years = (await db.select({ year: calendarYears.year }).from(calendarYears).where(hasHolidays).orderBy(asc(calendarYears.year))).map((r) => r.year);
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

/** Start a year the shipped data lacks; it stays unknown (deadlines in it keep warning) until its holidays are entered. */
export async function addCalendarYear(db: Db, year: number) {
  await db.insert(calendarYears).values({ year, source: "admin" }).onConflictDoNothing();
}

export async function setCalendarDay(db: Db, p: { day: string; kind: CalendarDayKind; name: string | null }) {
  await db
    .insert(calendarDays)
    .values({ day: p.day, kind: p.kind, name: p.name, source: "admin" })
    .onConflictDoUpdate({ target: calendarDays.day, set: { kind: p.kind, name: p.name, source: "admin" } });
  await touchYear(db, Number(p.day.slice(0, 4)));
}

export async function deleteCalendarDay(db: Db, day: string) {
  await db.delete(calendarDays).where(eq(calendarDays.day, day));
  await touchYear(db, Number(day.slice(0, 4)));
}

async function touchYear(db: Db, year: number) {
  await db.update(calendarYears).set({ updatedAt: new Date() }).where(eq(calendarYears.year, year));
}
