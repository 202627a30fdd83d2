/**
 * Deadline reminders: the scheduled scan that tells each open proposal's handler (or the
 * registrars, before assignment) that its deadline is near or past. Its own module: it reads
 * deadlines (deadline.server.ts) and writes notices (notification.server.ts), and deadline.server
 * resolves notices when a deadline moves.
 */
import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, notifications, proposals, users } from "#db/schema";
import { deadlineDoubts, deadlineStatus, describeDeadlineStatus, remindersDue } from "~/domain/deadlines";
import { mayEver, rolesWith } from "~/domain/permissions";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { effectiveDue, rulesOf } from "./deadline.server";
import { notify } from "./notification.server";

/** A reminder's text, as the reminder job writes it (the scale data set writes the same). */
export function reminderMessage(kind: "overdue" | "due_soon", p: { number: string; due: string }, today: string, note = ""): string {
  if (kind === "overdue") return `第${p.number}号提案已超过办理期限（${p.due}）。${note}`;
  // Days left as every page counts them (deadlineStatus), dated, since a notice is read later.
  return `第${p.number}号提案将于 ${p.due} 到期（截至 ${today}：${describeDeadlineStatus(deadlineStatus({ due: p.due, today }))}）。${note}`;
}

/**
 * Reminders for open proposals: N days before the due date (per the batch's rules) and once
 * overdue. Idempotent (dedupe keys), and catches up on days missed in the last week. To the
 * handler, or the registrars (admins, where there is no registrar) when there is none or the
 * handler's account is disabled.
 *
 * Each notice is written in its own transaction with the proposal's row held and read again: a
 * reply sent, a 改派 or an extension committed while the scan ran would otherwise meet a notice
 * it could not see yet (so not resolve), left open about an answered proposal or for the
 * previous handler. Call it with the database, not inside a transaction.
 */
export async function createDeadlineReminders(db: Db, today: string) {
  const rows = await db
    .select({
      id: proposals.id,
      number: proposals.number,
      handlerId: proposals.handlerId,
      handlerDisabled: users.disabled,
      handlerRole: users.role,
      due: effectiveDue,
      rules: batches.rules,
      dueWarnings: proposals.dueWarnings,
      extended: sql<boolean>`${proposals.extendedDue} is not null`,
    })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(users, eq(users.id, proposals.handlerId))
    .where(and(notInArray(proposals.state, [...CLOCK_STOPPED_STATES]), sql`${effectiveDue} is not null`));
  // Those who assign (the policy's proposal.assign): the registrars, or the admins where nobody
  // else holds it — the admin assigns as the system's fallback — else an unassigned or orphaned
  // proposal would remind nobody.
  const mayAssign = await db
    .select({ id: users.id, role: users.role })
    .from(users)
    .where(and(inArray(users.role, rolesWith("proposal.assign")), eq(users.disabled, false)));
  const staff = mayAssign.filter((u) => u.role !== "admin");
  const assigners = (staff.length ? staff : mayAssign).map((u) => u.id);
  const weekAgo = new Date(`${today}T00:00:00Z`);
  weekAgo.setUTCDate(weekAgo.getUTCDate() - 7);
  const since = weekAgo.toISOString().slice(0, 10);
  const wanted: { p: (typeof rows)[number]; userIds: string[]; kind: "overdue" | "due_soon"; message: string; dedupeKey: string }[] = [];
  for (const p of rows) {
    // a handler who left (disabled) or no longer holds a handler's role cannot act: those who assign are told
    const handlerActs = p.handlerId && !p.handlerDisabled && p.handlerRole && mayEver({ role: p.handlerRole }, "proposal.draft");
    const userIds = handlerActs ? [p.handlerId!] : assigners;
    // said as the pages say it: a date in a year the calendar does not cover is not certain; and
    // those who assign are told why it comes to them
    const doubts = deadlineDoubts({ warnings: p.dueWarnings, extended: Boolean(p.extended), answered: false, onTime: null });
    const notes = [...(handlerActs ? [] : [p.handlerId ? "承办人账号已停用或不再是承办人，请改派" : "尚未分派承办人"]), ...doubts.map((d) => `⚠ ${d}`)];
    const note = notes.length ? `${notes.join("；")}。` : "";
    if (p.due < today) {
      wanted.push({ p, userIds, kind: "overdue", message: reminderMessage("overdue", p, today, note), dedupeKey: `overdue:${p.id}:${p.due}` });
      continue;
    }
    const latest = remindersDue(p.due, today, rulesOf(p.rules).reminderDays, since).at(-1); // only the nearest reminder if several were missed
    if (latest)
      wanted.push({
        p,
        userIds,
        kind: "due_soon",
        message: reminderMessage("due_soon", p, today, note),
        dedupeKey: `due:${p.id}:${p.due}:${latest.daysBefore}`,
      });
  }
  // Those already sent (most, on every run after the first) are left out in one query.
  const keys = wanted.map((w) => w.dedupeKey);
  const sent = new Set(
    keys.length
      ? (await db.select({ userId: notifications.userId, key: notifications.dedupeKey }).from(notifications).where(inArray(notifications.dedupeKey, keys))).map(
          (n) => `${n.userId}|${n.key}`,
        )
      : [],
  );
  let created = 0;
  for (const w of wanted) {
    const userIds = w.userIds.filter((u) => !sent.has(`${u}|${w.dedupeKey}`));
    if (!userIds.length) continue;
    created += await db.transaction(async (tx) => {
      const [now] = await tx.select({ state: proposals.state, handlerId: proposals.handlerId, due: effectiveDue }).from(proposals).where(eq(proposals.id, w.p.id)).for("share");
      if (!now || (CLOCK_STOPPED_STATES as readonly string[]).includes(now.state) || now.handlerId !== w.p.handlerId || now.due !== w.p.due) return 0;
      return notify(tx, { userIds, proposalId: w.p.id, kind: w.kind, message: w.message, dedupeKey: w.dedupeKey });
    });
  }
  return created;
}
