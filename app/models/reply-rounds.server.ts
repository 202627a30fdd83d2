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

/**
 * Whose signed letters a user may reuse: a handler who may read only their own proposals
 * (Visibility.scope with a handlerId) reuses their own letters and replies signed as disclosed
 * (主动公开 or 依申请公开, the letter's own frozen choice, and that of every correction signed
 * after it), unless an admin withdrew it from the public site — never a 不予公开 reply or a 会办意见
 * of another's proposal, whose wording stays as hidden as the proposal (decision 009).
 */
export type ReuseScope = { handlerId?: string };

export function reusableBy(scope: ReuseScope, alias: { letter: string; proposal: string }) {
  if (scope.handlerId === undefined) return sql`true`;
  const col = (t: string, c: string) => sql.raw(`${t}.${c}`);
  // Disclosed, and so is every correction signed after it: a reply corrected to 不予公开 (its text
  // found unfit to publish) takes the wording it replaced out of others' reach as well. A later
  // round after a 不满意 (再办理) is another reply, not a correction: it leaves this one as it is.
  const disclosed = (t: string) => sql`coalesce(${sql.raw(t)}.final_letter->>'disclosure', '') in ('主动公开', '依申请公开')`;
  // Taken off the public site by an admin (every publication of it withdrawn, none standing): its
  // wording was found unfit to show, so it no longer reaches those who see it only as disclosed.
  const withdrawn = sql`(exists (select 1 from publications pub where pub.letter_id = ${col(alias.letter, "id")} and pub.withdrawn_at is not null)
    and not exists (select 1 from publications pub where pub.letter_id = ${col(alias.letter, "id")} and pub.withdrawn_at is null))`;
  return sql`(${col(alias.proposal, "handler_id")} = ${scope.handlerId} or (${col(alias.proposal, "bureau_role")} <> 'co' and ${disclosed(alias.letter)} and not ${withdrawn} and not exists (
    select 1 from letters later where later.proposal_id = ${col(alias.letter, "proposal_id")} and later.state = 'signed' and later.round > ${col(alias.letter, "round")}
      and not ${disclosed("later")}
      and not exists (select 1 from events e where e.proposal_id = later.proposal_id and e.kind = 'record_feedback'
        and e.changes @> ${DISSATISFIED_CHANGE}::jsonb
        and e.at > ${col(alias.letter, "created_at")} and e.at <= later.created_at))))`;
}
