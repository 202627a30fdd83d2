/** The figures behind each role's home page. */
import { and, asc, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, proposals } from "#db/schema";
import { addDays } from "~/domain/calendar";
import { listDeadlines, proposalDeadline, type DeadlineRow } from "./deadline.server";

export async function countsByState(db: Db, scope: { handlerId?: string }) {
  const rows = await db
    .select({ state: proposals.state, n: sql<number>`count(*)::int` })
    .from(proposals)
    .where(scope.handlerId ? eq(proposals.handlerId, scope.handlerId) : undefined)
    .groupBy(proposals.state);
  return Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
}

export async function proposalsInStates(db: Db, states: string[], scope: { handlerId?: string }, limit = 20) {
  const where: SQL[] = [inArray(proposals.state, states)];
  if (scope.handlerId) where.push(eq(proposals.handlerId, scope.handlerId));
  return (
    db
      .select({
        id: proposals.id,
        number: proposals.number,
        title: proposals.title,
        state: proposals.state,
        meeting: batches.meeting,
        due: proposals.due,
        extendedDue: proposals.extendedDue,
        repliedOn: proposals.repliedOn,
        dueWarnings: proposals.dueWarnings,
      })
      .from(proposals)
      .innerJoin(batches, eq(batches.id, proposals.batchId))
      .where(and(...where))
      .orderBy(asc(sql`coalesce(${proposals.extendedDue}, ${proposals.due})`), asc(proposals.id))
      .limit(limit)
      // Each task with its deadline, counted as everywhere else (proposalDeadline).
      .then((rows) =>
        rows.map(({ due, extendedDue, repliedOn, dueWarnings, ...r }) => ({ ...r, deadline: proposalDeadline({ due, extendedDue, repliedOn, state: r.state, dueWarnings }) })),
      )
  );
}

/** Weekly buckets for the chart: overdue, then the next `weeks` weeks starting today. */
export function dueChart(rows: DeadlineRow[], today: string, weeks = 8) {
  const buckets = [{ label: "已超期", from: null as string | null, count: rows.filter((r) => r.due < today).length, overdue: true }];
  for (let w = 0; w < weeks; w++) {
    const from = addDays(today, w * 7);
    const to = addDays(today, w * 7 + 6);
    buckets.push({ label: from.slice(5), from, count: rows.filter((r) => r.due >= from && r.due <= to).length, overdue: false });
  }
  return buckets;
}

export async function dashboard(db: Db, p: { today: string; scope: { handlerId?: string } }) {
  const deadlines = await listDeadlines(db, { today: p.today, handlerId: p.scope.handlerId });
  const weekEnd = addDays(p.today, 6);
  return {
    counts: await countsByState(db, p.scope),
    overdue: deadlines.filter((d) => d.level === "overdue"),
    dueThisWeek: deadlines.filter((d) => d.due >= p.today && d.due <= weekEnd),
    chart: dueChart(deadlines, p.today),
    openTotal: deadlines.length,
  };
}
