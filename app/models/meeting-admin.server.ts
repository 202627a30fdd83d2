/**
 * 会议 kept right after the fact: a name registered with a typo is corrected once for all its
 * proposals (改名), and one 会议 registered under two names becomes one (合并). Each proposal moved
 * gets an entry in its history and a new version (a page opened before refuses its stale save
 * instead of putting the old name back), and the public site sees the change at once (its stamp
 * follows the published proposals' updated_at).
 */
import { and, asc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, events, proposals } from "#db/schema";
import { FIELD_LABELS, meetingKey } from "~/domain/proposal";
import { listBatches, rulesOf } from "./deadline.server";
import { takeTurn } from "./locks.server";
import { sameMeeting } from "./meeting.server";

export const MAX_MEETING_LENGTH = 100;

export type MeetingRow = { id: number; meeting: string; proposals: number; firstAssigned: string | null; lastAssigned: string | null; ownRules: boolean };

/** Every 会议 with how many proposals it holds and when they were assigned, newest first. */
export async function listMeetingsForAdmin(db: Db): Promise<MeetingRow[]> {
  return (await listBatches(db))
    .map((b) => ({ id: b.id, meeting: b.meeting, proposals: b.proposals, firstAssigned: b.firstAssigned, lastAssigned: b.lastAssigned, ownRules: b.customised }))
    .sort((a, b) => (b.lastAssigned ?? "").localeCompare(a.lastAssigned ?? "") || a.id - b.id);
}

/** A change refused for the user to read; `field` says which of the form's fields it is about. */
export class MeetingChangeRefused extends Error {
  constructor(
    message: string,
    readonly field: "name" | "into" | null = null,
  ) {
    super(message);
  }
}

/** The 会议 as the page showed it, locked for the transaction; refused when it changed meanwhile. */
async function lockSeen(db: Db, id: number, seen: string) {
  const [row] = await db.select({ id: batches.id, meeting: batches.meeting, rules: batches.rules }).from(batches).where(eq(batches.id, id)).for("update");
  if (!row) throw new MeetingChangeRefused(`会议“${seen}”已被其他人合并或删除，未作更改。页面已刷新为最新状态。`);
  if (row.meeting !== seen) throw new MeetingChangeRefused(`会议“${seen}”刚被其他人改名为“${row.meeting}”，未作更改。请确认后再操作。`);
  return row;
}

/** Moves (or renames) a 会议's proposals: a new version each and one history entry each, in bulk. */
async function recordMove(db: Db, p: { batchId: number; into: number; from: string; to: string; actorId: string; comment: string }) {
  // rows locked in id order first, as every change of many proposals takes them (one UPDATE locks in
  // its scan's order, and deadlocked against 分派所选 — found by the concurrency review)
  await db.select({ id: proposals.id }).from(proposals).where(eq(proposals.batchId, p.batchId)).orderBy(asc(proposals.id)).for("update");
  const moved = await db
    .update(proposals)
    .set({ batchId: p.into, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(eq(proposals.batchId, p.batchId))
    .returning({ id: proposals.id });
  const change = [{ field: "meeting", label: FIELD_LABELS.meeting ?? "届次/会议", from: p.from, to: p.to }];
  for (let i = 0; i < moved.length; i += 1000)
    await db.insert(events).values(moved.slice(i, i + 1000).map((m) => ({ proposalId: m.id, actorId: p.actorId, kind: "updated", comment: p.comment, changes: change })));
  return moved.length;
}

/** 改名: the corrected name for the 会议 and every proposal in it. A name another 会议 has is refused (that is 合并). */
export async function renameMeeting(db: Db, p: { batchId: number; seen: string; name: string; actorId: string }): Promise<{ moved: number; from: string; to: string }> {
  // after registrations and edits that may be creating or filling a 会议 of that name
  await takeTurn(db, "proposal-registration");
  const current = await lockSeen(db, p.batchId, p.seen);
  const name = meetingKey(p.name);
  if (!name) throw new MeetingChangeRefused("请填写新的会议名称。", "name");
  if (name.length > MAX_MEETING_LENGTH) throw new MeetingChangeRefused(`会议名称不能超过 ${MAX_MEETING_LENGTH} 个字符。`, "name");
  if (name === current.meeting) throw new MeetingChangeRefused("名称与现在的相同，未作更改。", "name");
  const [other] = await db
    .select({ meeting: batches.meeting })
    .from(batches)
    .where(and(sameMeeting(name), ne(batches.id, p.batchId)))
    .limit(1);
  if (other) throw new MeetingChangeRefused(`已有会议“${other.meeting}”。如两者是同一会议，请用“合并到”把本会议的提案并入该会议。`, "name");
  await db.update(batches).set({ meeting: name }).where(eq(batches.id, p.batchId));
  const moved = await recordMove(db, { batchId: p.batchId, into: p.batchId, from: current.meeting, to: name, actorId: p.actorId, comment: "会议更名" });
  return { moved, from: current.meeting, to: name };
}

/**
 * 合并: the proposals of one 会议 moved into another, which keeps its name and 期限规则; the emptied
 * 会议 is removed. Refused when a 提案号 is in both (two proposals would have one number) or when
 * their 期限规则 differ (the moved proposals' deadlines would change without anyone deciding it).
 */
export async function mergeMeeting(db: Db, p: { fromId: number; seen: string; intoId: number; actorId: string }): Promise<{ moved: number; from: string; into: string }> {
  if (p.fromId === p.intoId) throw new MeetingChangeRefused("请选择另一个会议。", "into");
  // (the turn serialises every merge, rename and registration: the two rows are then locked in any order)
  await takeTurn(db, "proposal-registration");
  const from = await lockSeen(db, p.fromId, p.seen);
  const [into] = await db.select({ meeting: batches.meeting, rules: batches.rules }).from(batches).where(eq(batches.id, p.intoId)).for("update");
  if (!into) throw new MeetingChangeRefused("要并入的会议已不存在（可能刚被合并），请重新选择。", "into");
  const clash = await db
    .select({ number: proposals.number })
    .from(proposals)
    .where(and(eq(proposals.batchId, p.fromId), sql`${proposals.number} in (select number from proposals where batch_id = ${p.intoId})`))
    .orderBy(asc(proposals.number))
    .limit(6);
  if (clash.length) {
    const shown = clash
      .slice(0, 5)
      .map((c) => c.number)
      .join("、");
    throw new MeetingChangeRefused(`两个会议都有提案号 ${shown}${clash.length > 5 ? " 等" : ""}，合并后会重号，未作更改。请先核对这些提案（是否重复登记）。`, "into");
  }
  if (JSON.stringify(rulesOf(from.rules)) !== JSON.stringify(rulesOf(into.rules)))
    throw new MeetingChangeRefused("两个会议的期限规则不同，合并会改变本会议提案的办理期限，未作更改。请先在“期限规则”中把两者设为相同。", "into");
  const moved = await recordMove(db, { batchId: p.fromId, into: p.intoId, from: from.meeting, to: into.meeting, actorId: p.actorId, comment: `会议合并：并入“${into.meeting}”` });
  await db.delete(batches).where(eq(batches.id, p.fromId));
  return { moved, from: from.meeting, into: into.meeting };
}
