/** The append-only history. There is deliberately no update or delete here. */
import { and, asc, eq, gt, max } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, users, type FieldChange } from "#db/schema";
import { meanwhileMessage } from "~/domain/events";
import { formatTime } from "~/ui/datetime";

export async function recordEvent(
  db: Db,
  e: { proposalId: number; actorId: string | null; kind: string; comment?: string | null; changes?: FieldChange[]; restore?: Record<string, unknown> },
) {
  await db.insert(events).values({
    proposalId: e.proposalId,
    actorId: e.actorId,
    kind: e.kind,
    comment: e.comment ?? null,
    changes: e.changes ?? [],
    restore: e.restore ?? null,
  });
}

export async function listEvents(db: Db, proposalId: number) {
  return db
    .select({
      id: events.id,
      at: events.at,
      kind: events.kind,
      comment: events.comment,
      changes: events.changes,
      actorName: users.displayName,
    })
    .from(events)
    .leftJoin(users, eq(users.id, events.actorId))
    .where(eq(events.proposalId, proposalId))
    .orderBy(asc(events.id));
}

/** The proposal's last history entry (0: none), for a page's forms to send back as `seenEvent`. */
export async function lastEventId(db: Db, proposalId: number): Promise<number> {
  const [row] = await db
    .select({ id: max(events.id) })
    .from(events)
    .where(eq(events.proposalId, proposalId));
  return Number(row?.id ?? 0);
}

/** What the history gained after entry `afterId` (the last one a page showed): for a refusal that names it. */
export async function listEventsAfter(db: Db, r: { proposalId: number; afterId: number }) {
  return db
    .select({ id: events.id, at: events.at, kind: events.kind, actorId: events.actorId, actorName: users.displayName })
    .from(events)
    .leftJoin(users, eq(users.id, events.actorId))
    .where(and(eq(events.proposalId, r.proposalId), gt(events.id, r.afterId)))
    .orderBy(asc(events.id));
}

/**
 * The refusal of an action taken from an older page: who did what since. `seen` is the form's
 * hidden `seenEvent` (the page's last history entry); anything else gives the general message.
 */
export async function meanwhileRefusal(db: Db, r: { proposalId: number; seen: unknown; userId: string; tail?: string }): Promise<string> {
  const seen = typeof r.seen === "string" && /^\d{1,15}$/.test(r.seen) ? Number(r.seen) : null;
  if (seen === null) return meanwhileMessage([], r.tail);
  const rows = await listEventsAfter(db, { proposalId: r.proposalId, afterId: seen });
  return meanwhileMessage(
    rows.map((e) => ({ kind: e.kind, actorName: e.actorName, self: e.actorId === r.userId, time: formatTime(e.at, "monthDay") })),
    r.tail,
  );
}
