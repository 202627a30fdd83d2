/**
 * One-off sweep for drafts damaged by React 18's NUL padding (app/react-stream-padding.server.ts):
 * a textarea turned each padding byte into U+FFFD and a save without JavaScript stored it. The
 * padding was *added* to the text, so deleting every U+FFFD restores what the handler wrote.
 * Drafts get a new revision (kind "repair", history kept); signed letters are frozen and only listed.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { letterRevisions, letters } from "#db/schema";
import { sanitizeDraft, type Draft } from "~/domain/draft";
import { recordEvent } from "./event.server";
import { getSetting, markOnce, SETTING_KEYS } from "./settings.server";

const HAS_FFFD = sql`position(chr(65533) in ${letterRevisions.draft}::text) > 0`;

export type RepairReport = { repaired: { proposalId: number; letterId: number; removed: number }[]; signedWithFffd: { documentNumber: string | null; letterId: number }[] };

function countFffd(d: unknown): number {
  return (JSON.stringify(d).match(/\uFFFD/g) ?? []).length;
}

export async function repairReplacementCharacters(db: Db): Promise<RepairReport> {
  const rows = await db
    .select({
      letterId: letters.id,
      state: letters.state,
      proposalId: letters.proposalId,
      documentNumber: letters.documentNumber,
      revisionId: letterRevisions.id,
      revisionNo: letterRevisions.revisionNo,
      draft: letterRevisions.draft,
    })
    .from(letters)
    .innerJoin(letterRevisions, eq(letterRevisions.id, letters.currentRevisionId))
    .where(HAS_FFFD);
  const report: RepairReport = { repaired: [], signedWithFffd: [] };
  for (const r of rows) {
    if (r.state !== "draft") {
      report.signedWithFffd.push({ documentNumber: r.documentNumber, letterId: r.letterId });
      continue;
    }
    const draft = sanitizeDraft(r.draft as Draft);
    const removed = countFffd(r.draft) - countFffd(draft);
    const [max] = await db
      .select({ n: sql<number>`max(${letterRevisions.revisionNo})` })
      .from(letterRevisions)
      .where(eq(letterRevisions.letterId, r.letterId));
    const [rev] = await db
      .insert(letterRevisions)
      .values({ letterId: r.letterId, revisionNo: Number(max.n) + 1, draft, kind: "repair", createdBy: null })
      .returning({ id: letterRevisions.id });
    // Only if nobody saved meanwhile; otherwise their save (sanitized now) already dropped the characters.
    const moved = await db
      .update(letters)
      .set({ currentRevisionId: rev.id })
      .where(and(eq(letters.id, r.letterId), eq(letters.currentRevisionId, r.revisionId)))
      .returning({ id: letters.id });
    if (!moved.length) {
      await db.delete(letterRevisions).where(eq(letterRevisions.id, rev.id));
      continue;
    }
    await recordEvent(db, {
      proposalId: r.proposalId,
      actorId: null,
      kind: "draft_repaired",
      comment: `删除了答复稿中 ${removed} 个乱码字符“�”（由页面传输缺陷引入，原文未丢失）。`,
    });
    report.repaired.push({ proposalId: r.proposalId, letterId: r.letterId, removed });
  }
  return report;
}

/** At start: the sweep runs once per database. */
export async function repairOnce(db: Db): Promise<RepairReport | null> {
  if ((await getSetting(db, SETTING_KEYS.textRepairDoneAt)) !== null) return null;
  const report = await repairReplacementCharacters(db);
  await markOnce(db, SETTING_KEYS.textRepairDoneAt);
  return report;
}
