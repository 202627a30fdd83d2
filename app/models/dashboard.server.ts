/** The figures behind each role's home page. */
import { and, asc, eq, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, proposals } from "#db/schema";
import { addDays } from "~/domain/calendar";
import { DUE_SOON_DAYS } from "~/domain/deadlines";
import type { ProposalQueue } from "~/domain/proposal-filters";
import { queueConditions } from "./proposal.server";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { deadlineSelection, effectiveDue, listDeadlines, proposalDeadline, type DeadlineRow } from "./deadline.server";

export async function countsByState(db: Db, scope: { handlerId?: string }) {
  const rows = await db
    .select({ state: proposals.state, n: sql<number>`count(*)::int` })
    .from(proposals)
    .where(scope.handlerId ? eq(proposals.handlerId, scope.handlerId) : undefined)
    .groupBy(proposals.state);
  return Object.fromEntries(rows.map((r) => [r.state, r.n])) as Record<string, number>;
}

/**
 * Rows the home page lists of each task and of 超期与7日内到期: together about a screenful (the
 * page was three screens of 60 rows at 20 each); each list links to all of them on the proposal list.
 */
export const TASK_ROWS = 8;
export const URGENT_ROWS = 10;

/**
 * One of the home page's task lists: the first `limit` proposals by deadline, and how many the
 * list holds in all (the proposal list's `?queue=` shows them all).
 */
export async function taskQueue(db: Db, queue: ProposalQueue, scope: { handlerId?: string }, limit = TASK_ROWS) {
  const where: SQL[] = queueConditions(queue);
  if (scope.handlerId) where.push(eq(proposals.handlerId, scope.handlerId));
  // Two queries, not count(*) over (): the count reads only the queue's partial index
  // (proposals_open_due_idx / proposals_publish_due_idx), the rows stop after `limit`.
  const [[{ total }], rows] = await Promise.all([
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(proposals)
      .where(and(...where)),
    db
      .select({
        id: proposals.id,
        number: proposals.number,
        title: proposals.title,
        state: proposals.state,
        meeting: batches.meeting,
        ...deadlineSelection,
      })
      .from(proposals)
      .innerJoin(batches, eq(batches.id, proposals.batchId))
      .where(and(...where))
      .orderBy(asc(sql`coalesce(${proposals.extendedDue}, ${proposals.due})`), asc(proposals.id))
      .limit(limit),
  ]);
  return {
    total,
    // Each task with its deadline, counted as everywhere else (proposalDeadline).
    items: rows.map(({ due, extendedDue, repliedOn, dueWarnings, batchRules, ...r }) => ({
      ...r,
      deadline: proposalDeadline({ due, extendedDue, repliedOn, state: r.state, dueWarnings, batchRules }),
    })),
  };
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

/**
 * Each role's home page at any size: counts and the chart computed in SQL, and at most a
 * screenful of overdue and due-this-week rows (the full list is the proposal list's 期限 filter).
 */
export async function dashboard(db: Db, p: { today: string; scope: { handlerId?: string }; listLimit?: number }) {
  const weeks = 8;
  const where: SQL[] = [notInArray(proposals.state, [...CLOCK_STOPPED_STATES]), sql`${effectiveDue} is not null`];
  if (p.scope.handlerId) where.push(eq(proposals.handlerId, p.scope.handlerId));
  const day = (n: number) => sql`(${p.today}::date + ${n}::int)`;
  const weekCounts = Array.from({ length: weeks }, (_, w) => sql`count(*) filter (where ${effectiveDue} >= ${day(w * 7)} and ${effectiveDue} <= ${day(w * 7 + 6)})::int`);
  const [[agg], urgent, counts] = await Promise.all([
    db
      .select({
        open: sql<number>`count(*)::int`,
        overdue: sql<number>`count(*) filter (where ${effectiveDue} < ${p.today}::date)::int`,
        week: sql<number>`count(*) filter (where ${effectiveDue} >= ${p.today}::date and ${effectiveDue} <= ${day(DUE_SOON_DAYS)})::int`,
        weeks: sql<number[]>`array[${sql.join(weekCounts, sql`, `)}]`,
      })
      .from(proposals)
      .where(and(...where)),
    listDeadlines(db, { today: p.today, handlerId: p.scope.handlerId, dueWithin: DUE_SOON_DAYS, limit: p.listLimit ?? URGENT_ROWS }),
    countsByState(db, p.scope),
  ]);
  const chart = [{ label: "已超期", from: null as string | null, count: agg?.overdue ?? 0, overdue: true }];
  for (let w = 0; w < weeks; w++) {
    const from = addDays(p.today, w * 7);
    chart.push({ label: from.slice(5), from, count: Number(agg?.weeks?.[w] ?? 0), overdue: false });
  }
  return {
    counts,
    overdueCount: agg?.overdue ?? 0,
    dueThisWeekCount: agg?.week ?? 0,
    /** Overdue first, then due this week, soonest first; at most `listLimit`. */
    urgent,
    chart,
    openTotal: agg?.open ?? 0,
  };
}
