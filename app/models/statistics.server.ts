/** 办理情况统计 for a year (of 交办) or a 会议: the rows behind app/domain/statistics.ts, and the most reused paragraphs. */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { type AnyPgColumn, alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { batches, events, paragraphUses, proposals, users } from "#db/schema";
import type { Outcome } from "~/domain/letter";
import { computeStatistics, type StatRow } from "~/domain/statistics";
import type { FeedbackResult, ProposalState } from "~/domain/workflow";
import { loadCalendar } from "./calendar.server";
import { listMeetings, ofLatestSignedLetter } from "./proposal.server";
import { canonicalMeeting, sameMeeting } from "./meeting.server";
import { DISSATISFIED_CHANGE, replacedByCorrection } from "./reply-rounds.server";
import { resolveStatisticsScope } from "~/domain/statistics-scope";
import { meetingKey } from "~/domain/proposal";

export type StatisticsScope = { year?: number; meeting?: string };

function scopeWhere(f: StatisticsScope): SQL[] {
  const where: SQL[] = [];
  if (f.year) where.push(sql`${proposals.assignedOn} >= make_date(${f.year}, 1, 1) and ${proposals.assignedOn} < make_date(${f.year} + 1, 1, 1)`);
  if (f.meeting) where.push(sameMeeting(f.meeting));
  return where;
}

// two people of one name are told apart by their user name
const distinctName = (u: { id: AnyPgColumn; displayName: AnyPgColumn; username: AnyPgColumn }) =>
  sql<
    string | null
  >`${u.displayName} || case when exists (select 1 from users u2 where u2.display_name = ${u.displayName} and u2.id <> ${u.id}) then '（' || ${u.username} || '）' else '' end`;
const firstHandler = alias(users, "first_handler");
const submitter = alias(users, "submitter");

/**
 * 再办理 replies the proposal's columns no longer hold: a 不满意 registered on a 再办理 reply
 * started the next round over them, keeping them in its history entry (`restore`). Not one taken
 * back by 更正征询意见 (the next step after it, deadline recomputations aside): that put them back.
 * Whose reply: who submitted the letter last before that 不满意. Registrations from before the
 * entries kept their columns (the nineteenth session) cannot be counted.
 */
async function earlierRehandlingReplies(db: Db, where: SQL[]) {
  const rows = await db
    .select({
      proposalId: events.proposalId,
      repliedOn: sql<string | null>`${events.restore}->>'repliedOn'`,
      due: sql<string | null>`coalesce(${events.restore}->>'extendedDue', ${events.restore}->>'due')`,
      handlerId: submitter.id,
      handlerName: distinctName(submitter),
    })
    .from(events)
    .innerJoin(proposals, eq(proposals.id, events.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(
      submitter,
      sql`${submitter.id} = (select s.actor_id from events s where s.proposal_id = ${events.proposalId} and s.kind = 'submit' and s.id < ${events.id} order by s.id desc limit 1)`,
    )
    .where(
      and(
        ...where,
        eq(events.kind, "record_feedback"),
        sql`${events.changes} @> ${DISSATISFIED_CHANGE}::jsonb`,
        sql`${events.restore}->>'rehandlingFrom' is not null`,
        sql`not exists (select 1 from events c where c.proposal_id = ${events.proposalId} and c.kind = 'feedback_corrected' and c.id > ${events.id}
          and not exists (select 1 from events m where m.proposal_id = c.proposal_id and m.id > ${events.id} and m.id < c.id and m.kind <> 'deadline_recomputed'))`,
      ),
    )
    .orderBy(events.id);
  const byProposal = new Map<number, NonNullable<StatRow["earlierRehandlings"]>>();
  for (const r of rows)
    byProposal.set(r.proposalId, [
      ...(byProposal.get(r.proposalId) ?? []),
      { due: r.due, repliedOn: r.repliedOn, handler: r.handlerId && r.handlerName ? { id: r.handlerId, name: r.handlerName } : null },
    ]);
  return byProposal;
}

export async function statisticsFor(db: Db, f: StatisticsScope, today: string) {
  const where = scopeWhere(f);
  const rows = await db
    .select({
      id: proposals.id,
      bureauRole: proposals.bureauRole,
      state: proposals.state,
      handlerId: users.id,
      handlerName: distinctName(users),
      firstHandlerId: firstHandler.id,
      firstHandlerName: distinctName(firstHandler),
      due: sql<string | null>`coalesce(${proposals.extendedDue}, ${proposals.due})`,
      repliedOn: proposals.repliedOn,
      firstRepliedOn: proposals.firstRepliedOn,
      firstDue: proposals.firstDue,
      rehandlingFrom: proposals.rehandlingFrom,
      feedback: proposals.feedback,
      outcome: ofLatestSignedLetter<string | null>(sql`l.final_letter->>'outcome'`),
    })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(users, eq(users.id, proposals.handlerId))
    .leftJoin(firstHandler, eq(firstHandler.id, proposals.firstHandlerId))
    .where(where.length ? and(...where) : undefined);
  const earlier = await earlierRehandlingReplies(db, where);
  const stats = computeStatistics(
    rows.map(
      ({ firstRepliedOn, firstDue, rehandlingFrom, firstHandlerId, firstHandlerName, ...r }) =>
        ({
          ...r,
          // After 再办理 the columns hold the new round; the first reply is kept beside them.
          ...(rehandlingFrom ? { repliedOn: firstRepliedOn, due: firstDue, rehandling: { due: r.due, repliedOn: r.repliedOn } } : {}),
          firstHandler: rehandlingFrom && firstHandlerId && firstHandlerName ? { id: firstHandlerId, name: firstHandlerName } : null,
          earlierRehandlings: earlier.get(r.id) ?? [],
          state: r.state as ProposalState,
          feedback: r.feedback as FeedbackResult | null,
          outcome: (r.outcome as Outcome | null) ?? null,
        }) satisfies StatRow,
    ),
    await loadCalendar(db),
    today,
  );
  return { ...stats, topParagraphs: await mostReusedParagraphs(db, f) };
}

/** A signed letter replaced by a 更正 before it was sent: its uses stay frozen with it, but the reply that went out is the corrected one. */
const correctedAway = sql`exists (select 1 from letters l where l.document_number = ${paragraphUses.letterNumber} and ${replacedByCorrection("l")})`;

/** The library paragraphs used in the most of these proposals' letters: signed (or imported) ones, not drafts still being written nor letters corrected before they were sent. */
export async function mostReusedParagraphs(db: Db, f: StatisticsScope, limit = 10) {
  const where = [...scopeWhere(f), eq(paragraphUses.frozen, true), sql`not ${correctedAway}`];
  return (
    db
      .select({
        paragraphId: paragraphUses.paragraphId,
        title: sql<string>`(select p.title from paragraphs p where p.id = ${paragraphUses.paragraphId})`,
        proposals: sql<number>`count(distinct ${proposals.id})::int`,
        uses: sql<number>`count(*)::int`,
      })
      .from(paragraphUses)
      // A use recorded from an imported letter (the library's own history) names the letter, not the proposal.
      .innerJoin(
        proposals,
        sql`${proposals.id} = coalesce(${paragraphUses.proposalId}, (select l.proposal_id from letters l where l.document_number = ${paragraphUses.letterNumber} limit 1))`,
      )
      .innerJoin(batches, eq(batches.id, proposals.batchId))
      .where(where.length ? and(...where) : undefined)
      .groupBy(paragraphUses.paragraphId)
      .orderBy(desc(sql`count(distinct ${proposals.id})`), desc(sql`count(*)`), paragraphUses.paragraphId)
      .limit(limit)
  );
}

/** The years (of 交办) that have proposals, newest first. */
export async function statisticsYears(db: Db): Promise<number[]> {
  const rows = await db.selectDistinct({ y: sql<number>`extract(year from ${proposals.assignedOn})::int` }).from(proposals);
  return rows.map((r) => r.y).sort((a, b) => b - a);
}

/**
 * The scope the page, its XLSX and the CLI read from the same parameters (resolveStatisticsScope),
 * the 会议 as it is registered: a short name (十三届六次会议) is the registered one, as in
 * registration (the CLI took it and the page showed zeros); a 会议 not registered is dropped and
 * returned as `unknownMeeting`, to be said (a report of zeros read as a 会议 without proposals).
 */
export async function statisticsScope(db: Db, params: Record<string, string>) {
  const years = await statisticsYears(db);
  const scope = resolveStatisticsScope(params, years);
  let unknownMeeting: string | null = null;
  if (scope.meeting) {
    const registered = await canonicalMeeting(db, scope.meeting);
    if ((await listMeetings(db)).some((m) => meetingKey(m) === meetingKey(registered))) scope.meeting = registered;
    else {
      unknownMeeting = scope.meeting;
      delete scope.meeting;
      if (!scope.year && params.year !== "all") scope.year = years[0];
    }
  }
  return { scope, years, unknownMeeting };
}

export type StatisticsResult = Awaited<ReturnType<typeof statisticsFor>>;
