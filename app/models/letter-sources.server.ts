/**
 * The paragraph library in drafts: a block made from a library version remembers it; on every
 * save the claim is checked against the stored version; newer and retired versions are offered
 * or named; the uses are recorded for 段落使用情况.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { paragraphUses, paragraphs, paragraphVersions } from "#db/schema";
import { blockText, isEditedFromLibrary, newBlockId, type Draft, type DraftBlock } from "~/domain/draft";
import { getParagraph } from "./paragraph.server";
import { WorkflowRefusedError } from "./workflow.server";

/** A draft block made from a library paragraph's current version; it remembers that version. */
export async function libraryBlock(db: Db, paragraphId: number): Promise<DraftBlock> {
  const p = await getParagraph(db, paragraphId);
  if (!p?.currentVersionId) throw new WorkflowRefusedError("段落库中没有这个段落。");
  if (p.status !== "active") throw new WorkflowRefusedError(`段落“${p.title}”已停用，不能再插入。`);
  return blockFromVersion({ paragraphId: p.id, versionId: p.currentVersionId, versionNo: p.version, title: p.title, kind: p.kind, body: p.body, lead: p.lead, asOf: p.asOf });
}

/**
 * The block a library version inserts as: its inline lead kept ("三、系统规划引领。"), its
 * responsibility tags left out (they are kept in `annotation`, not in `body`).
 */
type VersionLead = { level: 1 | 2; text: string; standalone?: boolean } | null;

/** A library paragraph as inserted: a standalone heading it carries comes first, as a heading block. */
export async function libraryBlocks(db: Db, paragraphId: number): Promise<DraftBlock[]> {
  const block = await libraryBlock(db, paragraphId);
  const p = (await getParagraph(db, paragraphId))!;
  const lead = p.lead as VersionLead;
  return lead?.standalone ? [{ id: newBlockId(), type: "heading", level: lead.level, text: lead.text }, block] : [block];
}

/** A library version as a block is made from it (what a draft's block remembers of its source). */
export type SourceVersion = { paragraphId: number; versionId: number; versionNo: number; title: string; kind: string; body: string; lead: VersionLead; asOf?: string | null };

export function blockFromVersion(v: SourceVersion): DraftBlock {
  const source = { paragraphId: v.paragraphId, versionId: v.versionId, versionNo: v.versionNo, title: v.title, ...(v.asOf ? { asOf: v.asOf } : {}) };
  if (v.kind === "table") {
    const rows = v.body.split("\n").map((l) => l.split("\t"));
    return { id: newBlockId(), type: "table", rows, headerRows: 1, source: { ...source, originalText: rows.map((r) => r.join("\t")).join("\n") } };
  }
  const lead = v.lead && !v.lead.standalone ? { level: v.lead.level, text: v.lead.text } : null;
  return { id: newBlockId(), type: "paragraph", text: v.body, ...(lead ? { lead } : {}), source: { ...source, originalText: (lead?.text ?? "") + v.body } };
}

/**
 * A block's claim to come from the library is checked against the library: the version must
 * belong to the paragraph, and the text it is compared with (verbatim or edited) is the stored
 * version's, never what the browser sent. A claim that does not hold is dropped.
 */
export async function verifySources(db: Db, draft: Draft): Promise<Draft> {
  const ids = [...new Set(draft.blocks.flatMap((b) => (b.source ? [b.source.versionId] : [])))].filter((id) => Number.isInteger(id) && id > 0 && id <= 2_147_483_647);
  if (!ids.length) return draft.blocks.some((b) => b.source) ? { ...draft, blocks: draft.blocks.map(({ source: _s, ...b }) => b as DraftBlock) } : draft;
  const rows = await db
    .select({
      versionId: paragraphVersions.id,
      paragraphId: paragraphVersions.paragraphId,
      number: paragraphVersions.number,
      title: paragraphs.title,
      kind: paragraphVersions.kind,
      body: paragraphVersions.body,
      lead: paragraphVersions.lead,
      asOf: paragraphVersions.asOf,
    })
    .from(paragraphVersions)
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphVersions.paragraphId))
    .where(inArray(paragraphVersions.id, ids));
  const byId = new Map(rows.map((r) => [r.versionId, r]));
  return {
    ...draft,
    blocks: draft.blocks.map((b) => {
      if (!b.source) return b;
      const v = byId.get(b.source.versionId);
      if (!v || v.paragraphId !== b.source.paragraphId) {
        const { source: _dropped, ...rest } = b;
        return rest as DraftBlock;
      }
      const stored = blockFromVersion({
        paragraphId: v.paragraphId,
        versionId: v.versionId,
        versionNo: v.number,
        title: v.title,
        kind: v.kind,
        body: v.body,
        lead: v.lead,
        asOf: v.asOf,
      });
      return { ...b, source: stored.source };
    }),
  };
}

/**
 * Blocks whose library paragraph has a newer version, with that version's text and the block's
 * text now (the handler decides; accepting replaces their own edits too, so they see them). A
 * retired paragraph offers nothing: it can no longer be taken.
 */
export async function outdatedSources(db: Db, draft: Draft) {
  const ids = [...new Set(draft.blocks.flatMap((b) => (b.source ? [b.source.paragraphId] : [])))];
  if (!ids.length) return [];
  const rows = await db
    .select({ id: paragraphs.id, version: paragraphs.version, versionId: paragraphs.currentVersionId, body: paragraphVersions.body, title: paragraphs.title })
    .from(paragraphs)
    .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphs.currentVersionId))
    .where(and(inArray(paragraphs.id, ids), eq(paragraphs.status, "active")));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return draft.blocks.flatMap((b, index) => {
    const cur = b.source ? byId.get(b.source.paragraphId) : undefined;
    if (!b.source || !cur || cur.versionId === b.source.versionId) return [];
    return [
      {
        index,
        blockId: b.id,
        paragraphId: cur.id,
        title: cur.title,
        fromVersion: b.source.versionNo,
        toVersion: cur.version,
        toVersionId: cur.versionId!,
        newText: cur.body,
        oldText: b.source.originalText,
        currentText: b.type === "paragraph" || b.type === "heading" ? b.text : blockText(b),
        edited: isEditedFromLibrary(b),
      },
    ];
  });
}

/**
 * Blocks whose library paragraph has been retired since: inserting it alone is refused, but a
 * past letter reused whole (参照此函起草, 插入整封正文) brings its paragraphs as they were — the
 * editor says which ones are retired, so the text is checked before it goes out again.
 */
export async function retiredSources(db: Db, draft: Draft) {
  const ids = [...new Set(draft.blocks.flatMap((b) => (b.source ? [b.source.paragraphId] : [])))];
  if (!ids.length) return [];
  const rows = await db
    .select({ id: paragraphs.id, title: paragraphs.title })
    .from(paragraphs)
    .where(and(inArray(paragraphs.id, ids), eq(paragraphs.status, "retired")));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return draft.blocks.flatMap((b, index) => {
    const p = b.source ? byId.get(b.source.paragraphId) : undefined;
    return p ? [{ index, blockId: b.id, paragraphId: p.id, title: p.title }] : [];
  });
}

/**
 * Take the newer library version into one block (only when the handler accepts it) — the version
 * the page showed the difference to (`versionId`): one saved since was never shown, so it is refused
 * and the page shows the new difference.
 */
export async function acceptLibraryUpdate(db: Db, draft: Draft, blockId: string, versionId?: number): Promise<Draft> {
  const i = draft.blocks.findIndex((b) => b.id === blockId);
  const b = draft.blocks[i];
  if (!b?.source) return draft;
  const fresh = await libraryBlock(db, b.source.paragraphId);
  if (versionId !== undefined && fresh.source && fresh.source.versionId !== versionId)
    throw new WorkflowRefusedError(`段落“${fresh.source.title}”在您查看之后又更新为第 ${fresh.source.versionNo} 版：请核对页面上新的差异后再采用。`);
  const blocks = [...draft.blocks];
  blocks[i] = { ...fresh, id: b.id, ...(b.type === "paragraph" && b.lead && fresh.type === "paragraph" ? { lead: b.lead } : {}) } as DraftBlock;
  return { ...draft, blocks };
}

/**
 * Keep paragraph_uses true for this proposal's draft: one row per paragraph it draws on, with
 * the version and whether it was edited. On signing the rows are frozen (the snapshot).
 */
export async function syncParagraphUses(
  db: Db,
  r: { proposalId: number; revisionId: number; draft: Draft; actorId: string | null; frozen?: boolean; letterNumber?: string | null },
) {
  const open = await db
    .select()
    .from(paragraphUses)
    .where(and(eq(paragraphUses.proposalId, r.proposalId), eq(paragraphUses.frozen, false), isNotNull(paragraphUses.letterRevisionId)));
  const wanted = new Map<number, DraftBlock>();
  for (const b of r.draft.blocks) if (b.source && !wanted.has(b.source.paragraphId)) wanted.set(b.source.paragraphId, b);
  for (const u of open) if (!wanted.has(u.paragraphId)) await db.delete(paragraphUses).where(eq(paragraphUses.id, u.id));
  for (const [paragraphId, b] of wanted) {
    const edited = isEditedFromLibrary(b);
    const values = {
      versionId: b.source!.versionId,
      letterRevisionId: r.revisionId,
      mode: (edited ? "edited" : "verbatim") as "edited" | "verbatim",
      text: edited ? blockText(b) : null,
      frozen: r.frozen ?? false,
      letterNumber: r.letterNumber ?? null,
    };
    const existing = open.find((u) => u.paragraphId === paragraphId);
    if (existing) await db.update(paragraphUses).set(values).where(eq(paragraphUses.id, existing.id));
    else await db.insert(paragraphUses).values({ ...values, paragraphId, proposalId: r.proposalId, usedBy: r.actorId });
  }
}
