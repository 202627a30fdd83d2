/**
 * Publication of replies on the public site: a record per published letter, independent of
 * the proposal's later state, withdrawn only by an admin with a reason (kept in the history).
 */
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { queueConditions } from "./proposal.server";
import { batches, letters, proposals, publications } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { may } from "~/domain/permissions";
import { cleanText } from "~/domain/proposal";
import { STATE_LABELS } from "~/domain/workflow";
import { recordEvent } from "./event.server";
import { VersionConflictError } from "./proposal.server";
import { WorkflowRefusedError } from "./workflow.server";

/** Put the proposal's latest signed letter on the public site (inside the 公开 transition). */
export async function recordPublication(db: Db, r: { proposalId: number; actorId: string }) {
  const [letter] = await db
    .select({ id: letters.id })
    .from(letters)
    .where(and(eq(letters.proposalId, r.proposalId), eq(letters.state, "signed")))
    .orderBy(desc(letters.round))
    .limit(1);
  if (!letter) throw new WorkflowRefusedError("答复函尚未签发，不能公开。");
  const rows = await db
    .insert(publications)
    .values({ proposalId: r.proposalId, letterId: letter.id, publishedBy: r.actorId })
    .onConflictDoNothing()
    .returning({ id: publications.id });
  if (!rows.length) throw new WorkflowRefusedError("该答复已在公开网站上。");
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
    })
    .from(publications)
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(eq(publications.proposalId, proposalId))
    .orderBy(desc(publications.id));
}

/**
 * Take the proposal's replies off the public site at once (list, page, downloads, search all
 * read the active publications). The reason is required and goes into the history; a
 * proposal still 已公开 goes back to 已答复, so the reply can be published again when fixed.
 */
export async function withdrawPublication(db: Db, r: { proposalId: number; expectedVersion: number; actor: SessionUser; reason: string }) {
  if (!may(r.actor, "publication.withdraw")) throw new WorkflowRefusedError("只有系统管理员可以撤回公开的答复。");
  const reason = cleanText(r.reason);
  if (!reason) throw new WorkflowRefusedError("撤回公开须说明原因。");
  const [p] = await db.select({ state: proposals.state, version: proposals.version }).from(proposals).where(eq(proposals.id, r.proposalId));
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  const withdrawn = await db
    .update(publications)
    .set({ withdrawnAt: new Date(), withdrawnBy: r.actor.id, withdrawalReason: reason })
    .where(and(eq(publications.proposalId, r.proposalId), isNull(publications.withdrawnAt)))
    .returning({ letterId: publications.letterId });
  if (!withdrawn.length) throw new WorkflowRefusedError("该提案没有正在公开的答复。");
  const to = p.state === "published" ? "replied" : p.state;
  await db
    .update(proposals)
    .set({ state: to, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(eq(proposals.id, r.proposalId));
  await recordEvent(db, {
    proposalId: r.proposalId,
    actorId: r.actor.id,
    kind: "publication_withdrawn",
    comment: reason,
    changes: to !== p.state ? [{ field: "state", label: "状态", from: STATE_LABELS.published, to: STATE_LABELS.replied }] : [],
  });
  return { letters: withdrawn.length };
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
