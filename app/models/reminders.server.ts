/**
 * Deadline reminders: the scheduled scan that tells each open proposal's handler (or the
 * registrars, before assignment) that its deadline is near or past. Its own module: it reads
 * deadlines (deadline.server.ts) and writes notices (notification.server.ts), and deadline.server
 * resolves notices when a deadline moves.
 */
import { and, eq, notInArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, proposals } from "#db/schema";
import { deadlineStatus, describeDeadlineStatus, remindersDue } from "~/domain/deadlines";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { effectiveDue, rulesOf } from "./deadline.server";
import { notify, userIdsWithRole } from "./notification.server";

/**
 * Reminders for open proposals: N days before the due date (per the batch's rules) and once
 * overdue. Idempotent (dedupe keys), and catches up on days missed in the last week.
 */
export async function createDeadlineReminders(db: Db, today: string) {
  const rows = await db
    .select({ id: proposals.id, number: proposals.number, handlerId: proposals.handlerId, due: effectiveDue, rules: batches.rules })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .where(and(notInArray(proposals.state, [...CLOCK_STOPPED_STATES]), sql`${effectiveDue} is not null`));
  const registrars = await userIdsWithRole(db, ["registrar"]);
  let created = 0;
  const weekAgo = new Date(`${today}T00:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - 7);
  const since = weekAgo.toISOString().slice(0, 10);
  for (const p of rows) {
    const to = p.handlerId ? [p.handlerId] : registrars;
    if (p.due < today) {
      created += await notify(db, {
        userIds: to,
        proposalId: p.id,
        kind: "overdue",
        message: `第${p.number}号提案已超过办理期限（${p.due}）。`,
        dedupeKey: `overdue:${p.id}:${p.due}`,
      });
      continue;
    }
    const due = remindersDue(p.due, today, rulesOf(p.rules).reminderDays, since);
    const latest = due.at(-1); // only the nearest reminder if several were missed
    if (latest)
      created += await notify(db, {
        userIds: to,
        proposalId: p.id,
        kind: "due_soon",
        // Days left as every page counts them (deadlineStatus), dated, since a notice is read later.
        message: `第${p.number}号提案将于 ${p.due} 到期（截至 ${today}：${describeDeadlineStatus(deadlineStatus({ due: p.due, today }))}）。`,
        dedupeKey: `due:${p.id}:${p.due}:${latest.daysBefore}`,
      });
  }
  return created;
}
