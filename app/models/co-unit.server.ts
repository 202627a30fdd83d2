/**
 * 会办单位 of a proposal the bureau leads: the units asked, the day each opinion arrived, and the
 * confirmation 提交签发 and 签发 ask for while an opinion is missing.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { coUnits, proposals } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { cleanText } from "~/domain/proposal";
import { may, whoMay } from "~/domain/permissions";
import { coUnitsEditable } from "~/domain/workflow";
import { recordEvent } from "./event.server";
import { label, WorkflowRefusedError } from "./workflow.server";

export async function listCoUnits(db: Db, proposalId: number) {
  return db.select().from(coUnits).where(eq(coUnits.proposalId, proposalId)).orderBy(asc(coUnits.id));
}

/**
 * The proposal held while its units change, refused once they are no longer editable. The
 * change counts as a change of the proposal (its version): a 提交签发 or 签发 from a page that
 * showed the units before is refused and shown them again — a signature's "已确认 missing
 * opinions" must be about the units the signer saw.
 */
async function lockCoUnits(db: Db, proposalId: number, actor: SessionUser) {
  const [p] = await db
    .select({ state: proposals.state, bureauRole: proposals.bureauRole, assignedOn: proposals.assignedOn, handlerId: proposals.handlerId })
    .from(proposals)
    .where(eq(proposals.id, proposalId))
    .for("update");
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (!may(actor, "proposal.manage_co_units", p)) throw new WorkflowRefusedError(`只有${whoMay("proposal.manage_co_units")}可以维护会办单位。`);
  if (!coUnitsEditable(p))
    throw new WorkflowRefusedError(p.bureauRole !== "lead" ? "只有本局主办的提案才登记会办单位。" : `当前状态为“${label(p.state)}”：会办单位及其意见已随答复定稿，不能再修改。`);
  await db
    .update(proposals)
    .set({ version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(eq(proposals.id, proposalId));
  return p;
}

export async function addCoUnit(db: Db, r: { proposalId: number; name: string; actor: SessionUser }) {
  await lockCoUnits(db, r.proposalId, r.actor);
  const name = cleanText(r.name);
  if (!name) throw new WorkflowRefusedError("请填写会办单位名称。");
  // A lone surrogate (a broken paste) reaches the server as U+FFFD, which cleanText keeps for the
  // field's check: unchecked here, "市科技�" was stored, listed and printed in the 会办 line.
  if (name.includes("\uFFFD")) throw new WorkflowRefusedError("会办单位名称中有无法识别的字符（�），请重新输入。");
  const rows = await db.insert(coUnits).values({ proposalId: r.proposalId, name }).onConflictDoNothing().returning({ id: coUnits.id });
  if (!rows.length) throw new WorkflowRefusedError(`会办单位“${name}”已在列表中。`);
  await recordEvent(db, { proposalId: r.proposalId, actorId: r.actor.id, kind: "co_unit_added", changes: [{ field: "coUnit", label: "会办单位", from: null, to: name }] });
}

/** A unit added by mistake: removed, and the removal kept in the history. */
export async function removeCoUnit(db: Db, r: { proposalId: number; coUnitId: number; actor: SessionUser }) {
  await lockCoUnits(db, r.proposalId, r.actor);
  const [u] = await db
    .delete(coUnits)
    .where(and(eq(coUnits.id, r.coUnitId), eq(coUnits.proposalId, r.proposalId)))
    .returning();
  if (!u) throw new Response("会办单位不存在。", { status: 404 });
  await recordEvent(db, { proposalId: r.proposalId, actorId: r.actor.id, kind: "co_unit_removed", changes: [{ field: "coUnit", label: "会办单位", from: u.name, to: null }] });
}

/** Units whose 会办意见 has not arrived, for the confirmation before 提交签发 / 签发. */
export async function missingCoOpinions(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db
    .select({ name: coUnits.name })
    .from(coUnits)
    .where(and(eq(coUnits.proposalId, proposalId), isNull(coUnits.opinionReceivedOn)))
    .orderBy(asc(coUnits.id));
  return rows.map((r) => r.name);
}

export async function markCoOpinion(db: Db, r: { proposalId: number; coUnitId: number; receivedOn: string | null; actor: SessionUser; today: string }) {
  // The day the opinion arrived, which may be earlier than the day it is entered — never later than today.
  const p = await lockCoUnits(db, r.proposalId, r.actor);
  if (r.receivedOn && r.receivedOn > r.today) throw new WorkflowRefusedError("收到日期不能晚于今天。");
  if (r.receivedOn && r.receivedOn < p.assignedOn) throw new WorkflowRefusedError(`收到日期不能早于交办日期（${p.assignedOn}）。`);
  // the state before, for the history (a date reset or undone shows what it was)
  const [before] = await db
    .select({ receivedOn: coUnits.opinionReceivedOn })
    .from(coUnits)
    .where(and(eq(coUnits.id, r.coUnitId), eq(coUnits.proposalId, r.proposalId)))
    .for("update");
  if (!before) throw new Response("会办单位不存在。", { status: 404 });
  const [u] = await db.update(coUnits).set({ opinionReceivedOn: r.receivedOn }).where(eq(coUnits.id, r.coUnitId)).returning();
  const shown = (d: string | null) => (d ? `${d} 已收到` : "未收到");
  await recordEvent(db, {
    proposalId: r.proposalId,
    actorId: r.actor.id,
    kind: "co_opinion",
    changes: [{ field: "coOpinion", label: `${u!.name}会办意见`, from: shown(before.receivedOn), to: shown(r.receivedOn) }],
  });
}
