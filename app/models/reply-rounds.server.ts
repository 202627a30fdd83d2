/** Which reply each letter round of a proposal is (app/domain/reply-rounds.ts), from its letters and history. */
import { and, eq, min, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, letters } from "#db/schema";
import { replyNumbers } from "~/domain/reply-rounds";
import { FEEDBACK_LABELS } from "~/domain/workflow";

/** 再办理 begins with a 不满意 recorded (workflow.server.ts, record_feedback): the change it writes, as JSON for `changes @>`. */
export const DISSATISFIED_CHANGE = JSON.stringify([{ field: "feedback", to: FEEDBACK_LABELS.dissatisfied }]);

const dissatisfiedFeedback = (proposalId: number) =>
  and(eq(events.proposalId, proposalId), eq(events.kind, "record_feedback"), sql`${events.changes} @> ${DISSATISFIED_CHANGE}::jsonb`);

/**
 * A letter replaced by a 更正 (found wrong; signed or not, it is not the reply): its proposal's next
 * round was started with no 不满意 between them, so that round re-issues the same reply
 * (app/domain/reply-rounds.ts). `letter`: the SQL alias of the letters row.
 */
export function replacedByCorrection(letter: string) {
  const col = (c: string) => sql.raw(`${letter}.${c}`);
  return sql`exists (select 1 from letters nxt where nxt.proposal_id = ${col("proposal_id")} and nxt.round = ${col("round")} + 1
    and not exists (select 1 from events e where e.proposal_id = nxt.proposal_id and e.kind = 'record_feedback'
      and e.changes @> ${DISSATISFIED_CHANGE}::jsonb
      and e.at >= ${col("created_at")} and e.at < nxt.created_at))`;
}

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
