/**
 * 延期: a handler or registrar asks for a later deadline with a reason; an admin or leader decides;
 * an approved one holds until the deadline computed anew is later still.
 */
import { deadlineContext } from "./deadline.server";
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { extensions, proposals } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { applyExtension } from "~/domain/deadlines";
import { cleanText } from "~/domain/proposal";
import { may } from "~/domain/permissions";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { recordEvent } from "./event.server";
import { DEADLINE_NOTICES, notify, resolveNotices, userIdsWhoMay } from "./notification.server";
import { loadForWorkflow, WorkflowRefusedError } from "./workflow.server";

export async function listExtensions(db: Db, proposalId: number) {
  return db
    .select({
      id: extensions.id,
      reason: extensions.reason,
      oldDue: extensions.oldDue,
      newDue: extensions.newDue,
      status: extensions.status,
      requestedAt: extensions.requestedAt,
      decidedAt: extensions.decidedAt,
      decisionComment: extensions.decisionComment,
      requestedBy: sql<string>`(select display_name from users u where u.id = ${extensions.requestedBy})`,
      decidedBy: sql<string | null>`(select display_name from users u where u.id = ${extensions.decidedBy})`,
    })
    .from(extensions)
    .where(eq(extensions.proposalId, proposalId))
    .orderBy(asc(extensions.id));
}

/**
 * Why the proposal cannot be extended to newDue now (null: it can) — asked at the request and
 * again at the approval, where the deadline may have moved or the reply gone out since.
 */
function extensionRefusal(
  p: { state: string; due: string | null; extendedDue: string | null; assignedOn: string },
  newDue: string,
): { clockStopped: boolean; reason: string } | null {
  if ((CLOCK_STOPPED_STATES as readonly string[]).includes(p.state)) return { clockStopped: true, reason: "该提案已答复或已调出" };
  const current = p.extendedDue ?? p.due;
  if (!current) return { clockStopped: false, reason: "该提案尚无办理期限" };
  const check = applyExtension(current, newDue, p.assignedOn);
  return check.ok ? null : { clockStopped: false, reason: check.reason };
}

export async function requestExtension(db: Db, r: { proposalId: number; newDue: string; reason: string; actor: SessionUser }) {
  // The proposal held until the request commits: a second request at once (a double click, the
  // registrar too) then finds this one pending, and a reply sent meanwhile either lapses it or
  // is seen below (nothing left to extend).
  await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, r.proposalId)).for("update");
  const p = await loadForWorkflow(db, r.proposalId);
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (!may(r.actor, "extension.request", p)) throw new WorkflowRefusedError("只有本提案的承办人或登记员可以申请延期。");
  const refusal = extensionRefusal(p, r.newDue);
  if (refusal) throw new WorkflowRefusedError(refusal.clockStopped ? `${refusal.reason}，无需延期。` : refusal.reason);
  const current = (p.extendedDue ?? p.due)!;
  const [pending] = await db
    .select({ id: extensions.id })
    .from(extensions)
    .where(and(eq(extensions.proposalId, p.id), eq(extensions.status, "requested")));
  if (pending) throw new WorkflowRefusedError("已有待审批的延期申请。");
  await db.insert(extensions).values({ proposalId: p.id, requestedBy: r.actor.id, reason: cleanText(r.reason), oldDue: current, newDue: r.newDue });
  await recordEvent(db, {
    proposalId: p.id,
    actorId: r.actor.id,
    kind: "extension_requested",
    comment: cleanText(r.reason),
    changes: [{ field: "due", label: "申请延期至", from: current, to: r.newDue }],
  });
  await notify(db, { proposalId: p.id, userIds: await userIdsWhoMay(db, "extension.approve"), kind: "extension", message: `第${p.number}号提案申请延期至 ${r.newDue}。` });
}

export async function decideExtension(db: Db, r: { proposalId: number; extensionId: number; approve: boolean; comment?: string | null; actor: SessionUser }) {
  if (!may(r.actor, "extension.approve")) throw new WorkflowRefusedError("只有系统管理员或签发领导可以审批延期。");
  // Bound to the proposal the request names: an extension of another proposal is not found here.
  const [ext] = await db
    .select()
    .from(extensions)
    .where(and(eq(extensions.id, r.extensionId), eq(extensions.proposalId, r.proposalId)));
  if (!ext) throw new Response("延期申请不存在。", { status: 404 });
  if (ext.status !== "requested") throw new WorkflowRefusedError("该延期申请已被处理。");
  // Deadlines take turns (deadlineContext's lock, taken before any proposal's row as everywhere):
  // a recompute of deadlines (new rules, a calendar fix) running meanwhile read the old extension
  // and wrote it back over this one.
  await deadlineContext(db);
  // The proposal held until this decision commits: a 不满意 (new round, new deadline) or a reply
  // sent meanwhile waits, so the check below sees the deadline the approval will move.
  await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.id, r.proposalId)).for("update");
  if (r.approve) {
    // Checked again now: since the request the reply may have gone out, or the deadline moved
    // (再办理, a corrected 交办日期, new rules) — approving it then could move the deadline back.
    const now = (await loadForWorkflow(db, ext.proposalId))!;
    const refusal = extensionRefusal(now, ext.newDue);
    if (refusal?.clockStopped) throw new WorkflowRefusedError(`${refusal.reason}，这项延期申请已不再需要，请选择不批准。`);
    if (refusal)
      throw new WorkflowRefusedError(
        `办理期限现为 ${now.extendedDue ?? now.due ?? "未定"}，这项申请（延期至 ${ext.newDue}）已不适用：${refusal.reason}。请选择不批准，需要时由承办人重新申请。`,
      );
  }
  // The status in the WHERE makes two simultaneous decisions impossible.
  const done = await db
    .update(extensions)
    .set({ status: r.approve ? "approved" : "rejected", decidedBy: r.actor.id, decidedAt: new Date(), decisionComment: r.comment ? cleanText(r.comment) : null })
    .where(and(eq(extensions.id, ext.id), eq(extensions.status, "requested")))
    .returning({ id: extensions.id });
  if (!done.length) throw new WorkflowRefusedError("该延期申请已被处理。");
  const p = (await loadForWorkflow(db, ext.proposalId))!;
  if (r.approve) {
    const current = p.extendedDue ?? p.due;
    await db
      .update(proposals)
      .set({ extendedDue: ext.newDue, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
      .where(eq(proposals.id, p.id));
    await recordEvent(db, {
      proposalId: p.id,
      actorId: r.actor.id,
      kind: "extension_approved",
      comment: r.comment ?? null,
      changes: [{ field: "due", label: "办理期限", from: current, to: ext.newDue }],
    });
  } else {
    await recordEvent(db, { proposalId: p.id, actorId: r.actor.id, kind: "extension_rejected", comment: r.comment ?? null });
  }
  // An approved extension moves the deadline: reminders about the old date are over.
  // (an earlier decision told to the handler is superseded by this one)
  await resolveNotices(db, {
    proposalId: p.id,
    kinds: r.approve ? ["extension", "extension_decided", ...DEADLINE_NOTICES] : ["extension", "extension_decided"],
    dateMoved: r.approve,
  });
  // To whoever handles the proposal now (after 改派, the one who asked can no longer open it).
  await notify(db, {
    proposalId: p.id,
    userIds: [p.handlerId ?? ext.requestedBy],
    kind: "extension_decided",
    message: `第${p.number}号提案的延期申请${r.approve ? `已批准，新期限 ${ext.newDue}` : "未获批准"}。`,
  });
}

export async function pendingExtensions(db: Db) {
  return db
    .select({ id: extensions.id, proposalId: extensions.proposalId, number: proposals.number, oldDue: extensions.oldDue, newDue: extensions.newDue, reason: extensions.reason })
    .from(extensions)
    .innerJoin(proposals, eq(proposals.id, extensions.proposalId))
    .where(eq(extensions.status, "requested"))
    .orderBy(asc(extensions.id));
}
