/** Which reply each letter round of a proposal is (app/domain/reply-rounds.ts), from its letters and history. */
import { and, eq, min, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, letters } from "#db/schema";
import { replyNumbers } from "~/domain/reply-rounds";
import { FEEDBACK_LABELS } from "~/domain/workflow";

// 再办理 begins with a 不满意 recorded (workflow.server.ts, record_feedback).
const dissatisfiedFeedback = (proposalId: number) =>
  and(
    eq(events.proposalId, proposalId),
    eq(events.kind, "record_feedback"),
    sql`${events.changes} @> ${JSON.stringify([{ field: "feedback", to: FEEDBACK_LABELS.dissatisfied }])}::jsonb`,
  );

/** When the first 再办理 began: what was decided before it belongs to the first reply. */
export async function firstRehandlingAt(db: Db, proposalId: number): Promise<Date | null> {
  const [row] = await db
    .select({ at: min(events.at) })
    .from(events)
    .where(dissatisfiedFeedback(proposalId));
  return row?.at ? new Date(row.at) : null;
}

export async function replyNumbersOf(db: Db, proposalId: number): Promise<Map<number, number>> {
  const [rounds, starts] = await Promise.all([
    db.select({ round: letters.round, createdAt: letters.createdAt }).from(letters).where(eq(letters.proposalId, proposalId)),
    db.select({ at: events.at }).from(events).where(dissatisfiedFeedback(proposalId)),
  ]);
  return replyNumbers(
    rounds,
    starts.map((s) => s.at),
  );
}
