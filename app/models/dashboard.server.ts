/** The figures behind each role's home page. */
import { and, asc, eq, inArray, notInArray, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, proposals } from "#db/schema";
import { addDays } from "~/domain/calendar";
import { DUE_SOON_DAYS } from "~/domain/deadlines";
import type { ProposalQueue } from "~/domain/proposal-filters";
import { earlierReplyOwedSql, latestReplyOwedSql, queueConditions } from "./proposal.server";
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
  if (queue === "publish") return publishQueue(db, scope, limit);
  return queueTasks(db, queueConditions(queue), scope, limit);
}

async function queueTasks(db: Db, where: SQL[], scope: { handlerId?: string }, limit: number) {
  if (scope.handlerId) where = [...where, eq(proposals.handlerId, scope.handlerId)];
  // Two queries, not count(*) over (): the count reads only the queue's partial index
  // (proposals_open_due_idx / proposals_publish_due_idx), the rows stop after `limit`.
  const [[{ total }], rows] = await Promise.all([
    db
      .select({ total: sql<number>`count(*)::int` })
      .from(proposals)
      .where(and(...where)),
    taskRows(db, where).limit(limit),
  ]);
  return { total, items: rows.map(withDeadline) };
}

const taskRows = (db: Db, where: SQL[]) =>
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
    .orderBy(asc(sql`coalesce(${proposals.extendedDue}, ${proposals.due})`), asc(proposals.id));

type TaskRow = Awaited<ReturnType<typeof taskRows>>[number];

// Each task with its deadline, counted as everywhere else (proposalDeadline).
const withDeadline = ({ due, extendedDue, repliedOn, dueWarnings, batchRules, ...r }: TaskRow) => ({
  ...r,
  deadline: proposalDeadline({ due, extendedDue, repliedOn, state: r.state, dueWarnings, batchRules }),
});

/**
 * 待公开 in its two parts (proposal.server.ts): the latest replies owed, read as before from their
 * partial index, and the few proposals owing an earlier reply, read whole and merged in — the
 * union queueConditions gives the list took the home page's 待公开 from ~3.6 to ~10 ms on the
 * scale set (its outer join read every proposal).
 */
async function publishQueue(db: Db, scope: { handlerId?: string }, limit: number) {
  const [latest, earlier] = await Promise.all([
    queueTasks(db, [latestReplyOwedSql], scope, limit),
    db
      .select({ id: proposals.id, alsoLatest: sql<boolean>`${latestReplyOwedSql}` })
      .from(proposals)
      .where(and(earlierReplyOwedSql, scope.handlerId ? eq(proposals.handlerId, scope.handlerId) : undefined)),
  ]);
  // those owing their latest reply too are in the first part already
  const more = earlier.filter((p) => !p.alsoLatest).map((p) => p.id);
  const items = [...latest.items, ...(more.length ? (await taskRows(db, [inArray(proposals.id, more)])).map(withDeadline) : [])];
  // as the SQL orders them: by deadline, none last, then id
  const due = (t: (typeof items)[number]) => t.deadline?.due ?? "\uffff";
  items.sort((a, b) => due(a).localeCompare(due(b)) || a.id - b.id);
  return { total: latest.total + more.length, items: items.slice(0, limit) };
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
