/**
 * Publication of replies on the public site: a record per published letter, independent of
 * the proposal's later state, withdrawn only by an admin with a reason (kept in the history).
 */
import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { earlierRepliesToPublish, queueConditions } from "./proposal.server";
import { batches, letters, proposals, publications, type FieldChange } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { may } from "~/domain/permissions";
import { cleanText } from "~/domain/proposal";
import { STATE_LABELS } from "~/domain/workflow";
import { recordEvent } from "./event.server";
import { VersionConflictError } from "./proposal.server";
import { WorkflowRefusedError } from "./workflow.server";

/**
 * The proposal's replies 公开 puts on the public site: the latest signed letter when the guard found
 * it may go up (`latest`, workflow.ts publishesLatestReply), and every earlier reply sent 主动公开
 * before a 不满意 and never published (earlierRepliesToPublish). Oldest first.
 */
export async function lettersToPublish(db: Db, r: { proposalId: number; state: string; latest: boolean }) {
  const earlier = await db
    .select({ id: sql<number>`owed.id`, documentNumber: sql<string | null>`owed.document_number`, earlier: sql<boolean>`true` })
    .from(sql`letters owed`)
    .where(earlierRepliesToPublish(r.proposalId, sql`${r.state}`))
    .orderBy(sql`owed.round`);
  if (!r.latest) return earlier;
  const [latest] = await db
    .select({ id: letters.id, documentNumber: letters.documentNumber, earlier: sql<boolean>`false` })
    .from(letters)
    .where(and(eq(letters.proposalId, r.proposalId), eq(letters.state, "signed")))
    .orderBy(desc(letters.round))
    .limit(1);
  return latest && !earlier.some((l) => l.id === latest.id) ? [...earlier, latest] : earlier;
}

/** Put them up (inside the 公开 transition); returns the history's line naming them. */
export async function recordPublication(db: Db, r: { proposalId: number; state: string; actorId: string; latest: boolean }): Promise<FieldChange> {
  const owed = await lettersToPublish(db, r);
  if (!owed.length) throw new WorkflowRefusedError(r.latest ? "答复函尚未签发，不能公开。" : "没有待公开的答复。");
  const rows = await db
    .insert(publications)
    .values(owed.map((l) => ({ proposalId: r.proposalId, letterId: l.id, publishedBy: r.actorId })))
    .onConflictDoNothing()
    .returning({ letterId: publications.letterId });
  if (rows.length < owed.length) throw new WorkflowRefusedError("该答复已在公开网站上。");
  return { field: "publication", label: "公开的答复", from: null, to: owed.map((l) => l.documentNumber ?? "答复函").join("、") };
}

/** The proposal's publications, newest first, withdrawn ones included (for its page). */
export async function listPublications(db: Db, proposalId: number) {
  return db
    .select({
      id: publications.id,
      documentNumber: letters.documentNumber,
      round: letters.round,
      publishedAt: publications.publishedAt,
      publishedBy: sql<string | null>`(select display_name from users u where u.id = ${publications.publishedBy})`,
      withdrawnAt: publications.withdrawnAt,
      withdrawnBy: sql<string | null>`(select display_name from users u where u.id = ${publications.withdrawnBy})`,
      withdrawalReason: publications.withdrawalReason,
      // A withdrawn earlier reply (before 再办理) that is not back up: it can be republished.
      restorable: sql<boolean>`${publications.withdrawnAt} is not null and (${publications.letterId} <> ${latestSignedLetterId(proposalId)} or ${publishClosed(proposalId)}) and not exists (select 1 from publications p2 where p2.letter_id = ${publications.letterId} and p2.withdrawn_at is null)`,
    })
    .from(publications)
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(eq(publications.proposalId, proposalId))
    .orderBy(desc(publications.id));
}

/**
 * Take the proposal's replies — or one of them (`publicationId`, after 再办理 there are two) —
 * off the public site at once (list, page, downloads, search all read the active publications).
 * The reason is required and goes into the history. When the latest reply comes off, a
 * proposal still 已公开 goes back to 已答复, so the reply can be published again when fixed; an
 * earlier reply comes back with republishEarlierReply.
 */
export async function withdrawPublication(db: Db, r: { proposalId: number; expectedVersion: number; actor: SessionUser; reason: string; publicationId?: number | null }) {
  if (!may(r.actor, "publication.withdraw")) throw new WorkflowRefusedError("只有系统管理员可以撤回公开的答复。");
  const reason = cleanText(r.reason);
  if (!reason) throw new WorkflowRefusedError("撤回公开须说明原因。");
  const [p] = await db.select({ state: proposals.state, version: proposals.version }).from(proposals).where(eq(proposals.id, r.proposalId));
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  const withdrawn = await db
    .update(publications)
    .set({ withdrawnAt: new Date(), withdrawnBy: r.actor.id, withdrawalReason: reason })
    .where(and(eq(publications.proposalId, r.proposalId), isNull(publications.withdrawnAt), r.publicationId ? eq(publications.id, r.publicationId) : undefined))
    .returning({ letterId: publications.letterId });
  if (!withdrawn.length) throw new WorkflowRefusedError(r.publicationId ? "这份答复已不在公开网站上。" : "该提案没有正在公开的答复。");
  const latestStillPublic = await db
    .select({ id: publications.id })
    .from(publications)
    .where(and(eq(publications.proposalId, r.proposalId), isNull(publications.withdrawnAt), eq(publications.letterId, latestSignedLetterId(r.proposalId))));
  const to = p.state === "published" && !latestStillPublic.length ? "replied" : p.state;
  // The version in the WHERE: a 不满意 recorded meanwhile (再办理) is never overwritten with 已答复.
  const moved = await db
    .update(proposals)
    .set({ state: to, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(and(eq(proposals.id, r.proposalId), eq(proposals.version, r.expectedVersion)))
    .returning({ id: proposals.id });
  if (!moved.length) throw new VersionConflictError();
  const numbers = await documentNumbersOf(
    db,
    withdrawn.map((w) => w.letterId),
  );
  await recordEvent(db, {
    proposalId: r.proposalId,
    actorId: r.actor.id,
    kind: "publication_withdrawn",
    comment: reason,
    changes: [
      { field: "publication", label: "撤回的答复", from: numbers, to: null },
      ...(to !== p.state ? [{ field: "state", label: "状态", from: STATE_LABELS.published, to: STATE_LABELS.replied }] : []),
    ],
  });
  return { letters: withdrawn.length };
}

/** The states 公开 starts from (workflow.ts): in others (再办理) a withdrawn latest reply is restored here instead. */
const PUBLISH_FROM = ["replied", "closed"];
const publishClosed = (proposalId: number) => sql`(select p.state not in ('replied', 'closed') from ${proposals} p where p.id = ${proposalId})`; // = PUBLISH_FROM

const latestSignedLetterId = (proposalId: number) => sql`(select l.id from ${letters} l where l.proposal_id = ${proposalId} and l.state = 'signed' order by l.round desc limit 1)`;

async function documentNumbersOf(db: Db, letterIds: number[]) {
  const rows = await db.select({ n: letters.documentNumber }).from(letters).where(inArray(letters.id, letterIds)).orderBy(letters.round);
  return rows.map((r) => r.n ?? "答复函").join("、");
}

/**
 * Put a withdrawn reply back on the public site: an earlier one (before 再办理), or the latest
 * while 再办理 is under way (公开 is not open then). Otherwise the latest goes back through 公开.
 */
export async function republishEarlierReply(db: Db, r: { proposalId: number; expectedVersion: number; actor: SessionUser; publicationId: number }) {
  // put back what was taken down: as for the latest reply (workflow.ts, "publish"), the withdrawer's call
  if (!may(r.actor, "publication.withdraw")) throw new WorkflowRefusedError("只有系统管理员可以重新公开已撤回的答复。");
  const [p] = await db.select({ version: proposals.version, state: proposals.state }).from(proposals).where(eq(proposals.id, r.proposalId));
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  const [was] = await db
    .select({ letterId: publications.letterId, withdrawnAt: publications.withdrawnAt, latest: sql<boolean>`${publications.letterId} = ${latestSignedLetterId(r.proposalId)}` })
    .from(publications)
    .where(and(eq(publications.id, r.publicationId), eq(publications.proposalId, r.proposalId)));
  if (!was?.withdrawnAt) throw new WorkflowRefusedError("这份答复没有被撤回。");
  if (was.latest && PUBLISH_FROM.includes(p.state)) throw new WorkflowRefusedError("最新一次答复请用“公开”重新公开。");
  const rows = await db
    .insert(publications)
    .values({ proposalId: r.proposalId, letterId: was.letterId, publishedBy: r.actor.id })
    .onConflictDoNothing()
    .returning({ id: publications.id });
  if (!rows.length) throw new WorkflowRefusedError("这份答复已在公开网站上。");
  const bumped = await db
    .update(proposals)
    .set({ version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(and(eq(proposals.id, r.proposalId), eq(proposals.version, r.expectedVersion)))
    .returning({ id: proposals.id });
  if (!bumped.length) throw new VersionConflictError();
  await recordEvent(db, { proposalId: r.proposalId, actorId: r.actor.id, kind: "publication_restored", comment: await documentNumbersOf(db, [was.letterId]), changes: [] });
}

/** 待公开: sent, 主动公开, not on the public site (the registrar's queue; the home page shows it through taskQueue). */
export async function pendingPublications(db: Db) {
  return db
    .select({ id: proposals.id, number: proposals.number, title: proposals.title, state: proposals.state, meeting: batches.meeting })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .where(and(...queueConditions("publish")))
    .orderBy(proposals.id);
}
