/** The append-only history. There is deliberately no update or delete here. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, users, type FieldChange } from "#db/schema";

export async function recordEvent(db: Db, e: { proposalId: number; actorId: string | null; kind: string; comment?: string | null; changes?: FieldChange[] }) {
  await db.insert(events).values({
    proposalId: e.proposalId,
    actorId: e.actorId,
    kind: e.kind,
    comment: e.comment ?? null,
    changes: e.changes ?? [],
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
