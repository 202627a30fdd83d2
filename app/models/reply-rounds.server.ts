/** Which reply each letter round of a proposal is (app/domain/reply-rounds.ts), from its letters and history. */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, letters } from "#db/schema";
import { replyNumbers } from "~/domain/reply-rounds";
import { FEEDBACK_LABELS } from "~/domain/workflow";

export async function replyNumbersOf(db: Db, proposalId: number): Promise<Map<number, number>> {
  const [rounds, starts] = await Promise.all([
    db.select({ round: letters.round, createdAt: letters.createdAt }).from(letters).where(eq(letters.proposalId, proposalId)),
    // 再办理 begins with a 不满意 recorded (workflow.server.ts, record_feedback).
    db
      .select({ at: events.at })
      .from(events)
      .where(
        and(
          eq(events.proposalId, proposalId),
          eq(events.kind, "record_feedback"),
          sql`${events.changes} @> ${JSON.stringify([{ field: "feedback", to: FEEDBACK_LABELS.dissatisfied }])}::jsonb`,
        ),
      ),
  ]);
  return replyNumbers(
    rounds,
    starts.map((s) => s.at),
  );
}
