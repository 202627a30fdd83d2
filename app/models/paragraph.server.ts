/**
 * Library paragraphs: create, revise (a new immutable version), retire, read, versions and
 * their diffs, uses (where a paragraph went, which version, verbatim or edited), settings. The
 * documents they came from are in library-document.server.ts.
 * Functions take (db, params) and never open their own transaction.
 */
import type { Visibility } from "./access.server";
import { and, asc, desc, eq, gt, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { batches, libraryDocuments, paragraphs, paragraphUses, paragraphVersions, proposals, users } from "#db/schema";
import { DEFAULT_STALE_AFTER_DAYS, diffTexts, parseTags, type ParagraphKind, type ParagraphStatus, type UseMode } from "~/domain/library";
import { stalenessOf } from "~/domain/staleness";
import { foldedMeeting } from "./meeting.server";
import { indexParagraph } from "./library-search.server";
import { getSetting, SETTING_KEYS, setSetting } from "./settings.server";

export class ParagraphVersionConflictError extends Error {
  constructor() {
    super("该段落已被其他人修改，生成了新的版本。请查看最新内容后再保存，您填写的内容已保留。");
    this.name = "ParagraphVersionConflictError";
  }
}

export class ParagraphNotFoundError extends Error {
  constructor(id: number) {
    super(`段落 #${id} 不存在。`);
    this.name = "ParagraphNotFoundError";
  }
}

export type ParagraphContent = {
  title: string;
  body: string;
  tags: readonly string[];
  asOf: string | null;
  /** Inline lead the paragraph opens with ("三、系统规划引领。"); undefined keeps the current one on revise. */
  lead?: { level: 1 | 2; text: string; standalone?: boolean } | null;
  /** Responsibility tags (policy plans); undefined keeps the current ones on revise. */
  annotation?: string | null;
};

/** Add a paragraph with its first version, and index it. */
export async function createParagraph(
  db: Db,
  params: ParagraphContent & {
    kind?: ParagraphKind;
    sourceDocumentId?: number | null;
    sourceSection?: string | null;
    note?: string | null;
    ownerId: string | null;
    actorId: string | null;
  },
): Promise<{ id: number; versionId: number }> {
  const tags = parseTags(params.tags);
  const [p] = await db
    .insert(paragraphs)
    .values({
      title: params.title,
      tags,
      kind: params.kind ?? "paragraph",
      ownerId: params.ownerId,
      sourceDocumentId: params.sourceDocumentId ?? null,
      asOf: params.asOf,
      createdBy: params.actorId,
    })
    .returning({ id: paragraphs.id });
  const [v] = await db
    .insert(paragraphVersions)
    .values({
      paragraphId: p.id,
      number: 1,
      title: params.title,
      body: params.body,
      tags,
      kind: params.kind ?? "paragraph",
      sourceDocumentId: params.sourceDocumentId ?? null,
      sourceSection: params.sourceSection ?? null,
      asOf: params.asOf,
      lead: params.lead ?? null,
      annotation: params.annotation ?? null,
      note: params.note ?? null,
      authorId: params.actorId,
    })
    .returning({ id: paragraphVersions.id });
  await db.update(paragraphs).set({ currentVersionId: v.id, version: 1 }).where(eq(paragraphs.id, p.id));
  await indexParagraph(db, { id: p.id, title: params.title, tags, body: params.body });
  return { id: p.id, versionId: v.id };
}

/**
 * Save an edit as a new version. `expectedVersion` is the version the editor read: the
 * UPDATE checks it, so two people saving the same version cannot both win.
 */
export async function reviseParagraph(
  db: Db,
  params: ParagraphContent & {
    id: number;
    expectedVersion: number;
    note?: string | null;
    sourceDocumentId?: number | null;
    sourceSection?: string | null;
    actorId: string | null;
  },
): Promise<{ changed: boolean; versionId: number; number: number }> {
  const current = await getParagraph(db, params.id);
  if (!current) throw new ParagraphNotFoundError(params.id);
  if (current.version !== params.expectedVersion) throw new ParagraphVersionConflictError();
  const tags = parseTags(params.tags);
  const unchanged =
    current.title === params.title &&
    current.body === params.body &&
    current.tags.join("\u0000") === tags.join("\u0000") &&
    (current.asOf ?? null) === (params.asOf ?? null) &&
    (params.lead === undefined || JSON.stringify(params.lead) === JSON.stringify(current.lead ?? null)) &&
    (params.annotation === undefined || params.annotation === (current.annotation ?? null));
  if (unchanged) return { changed: false, versionId: current.currentVersionId!, number: current.version };
  const number = params.expectedVersion + 1;
  // The version in the WHERE makes the check and the claim one atomic step (a racing writer waits, then finds 0 rows).
  const claimed = await db
    .update(paragraphs)
    .set({ version: number, updatedAt: new Date() })
    .where(and(eq(paragraphs.id, params.id), eq(paragraphs.version, params.expectedVersion)))
    .returning({ id: paragraphs.id });
  if (claimed.length === 0) throw new ParagraphVersionConflictError();
  const [v] = await db
    .insert(paragraphVersions)
    .values({
      paragraphId: params.id,
      number,
      title: params.title,
      body: params.body,
      tags,
      kind: current.kind,
      sourceDocumentId: params.sourceDocumentId === undefined ? current.sourceDocumentId : params.sourceDocumentId,
      sourceSection: params.sourceSection === undefined ? current.sourceSection : params.sourceSection,
      asOf: params.asOf,
      lead: params.lead === undefined ? current.lead : params.lead,
      annotation: params.annotation === undefined ? current.annotation : params.annotation,
      note: params.note ?? null,
      authorId: params.actorId,
    })
    .returning({ id: paragraphVersions.id });
  await db
    .update(paragraphs)
    .set({
      currentVersionId: v.id,
      title: params.title,
      tags,
      asOf: params.asOf,
      ...(params.sourceDocumentId !== undefined ? { sourceDocumentId: params.sourceDocumentId } : {}),
    })
    .where(eq(paragraphs.id, params.id));
  await indexParagraph(db, { id: params.id, title: params.title, tags, body: params.body });
  return { changed: true, versionId: v.id, number };
}

/** Retire (stop offering) or reactivate a paragraph. Its versions and uses stay. */
export async function setParagraphStatus(db: Db, params: { id: number; status: ParagraphStatus; actorId: string | null }) {
  const updated = await db
    .update(paragraphs)
    .set(
      params.status === "retired"
        ? { status: "retired", retiredAt: new Date(), retiredBy: params.actorId, updatedAt: new Date() }
        : { status: "active", retiredAt: null, retiredBy: null, updatedAt: new Date() },
    )
    .where(and(eq(paragraphs.id, params.id), ne(paragraphs.status, params.status)))
    .returning({ id: paragraphs.id });
  return { changed: updated.length > 0 };
}

/**
 * Set the paragraph's owner if it is still `expectedOwnerId` (the one the user saw): false when
 * someone changed it in between, so that their change is not undone unseen.
 */
export async function setParagraphOwner(db: Db, params: { id: number; ownerId: string | null; expectedOwnerId: string | null }): Promise<boolean> {
  const rows = await db
    .update(paragraphs)
    .set({ ownerId: params.ownerId })
    .where(and(eq(paragraphs.id, params.id), sql`${paragraphs.ownerId} is not distinct from ${params.expectedOwnerId}`))
    .returning({ id: paragraphs.id });
  return rows.length > 0;
}

const owner = alias(users, "owner");

export async function getParagraph(db: Db, id: number) {
  const [row] = await db
    .select({
      id: paragraphs.id,
      title: paragraphs.title,
      status: paragraphs.status,
      kind: paragraphs.kind,
      tags: paragraphs.tags,
      version: paragraphs.version,
      asOf: paragraphs.asOf,
      currentVersionId: paragraphs.currentVersionId,
      ownerId: paragraphs.ownerId,
      ownerName: owner.displayName,
      sourceDocumentId: paragraphs.sourceDocumentId,
      sourceDocumentTitle: libraryDocuments.title,
      sourceDocumentKind: libraryDocuments.kind,
      sourceLetterNumber: libraryDocuments.letterNumber,
      sourceSection: paragraphVersions.sourceSection,
      body: paragraphVersions.body,
      lead: paragraphVersions.lead,
      annotation: paragraphVersions.annotation,
      createdAt: paragraphs.createdAt,
      updatedAt: paragraphs.updatedAt,
      retiredAt: paragraphs.retiredAt,
    })
    .from(paragraphs)
    .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphs.currentVersionId))
    .leftJoin(owner, eq(owner.id, paragraphs.ownerId))
    .leftJoin(libraryDocuments, eq(libraryDocuments.id, paragraphs.sourceDocumentId))
    .where(eq(paragraphs.id, id));
  return row ?? null;
}

export async function listVersions(db: Db, paragraphId: number) {
  return db
    .select({
      id: paragraphVersions.id,
      number: paragraphVersions.number,
      title: paragraphVersions.title,
      body: paragraphVersions.body,
      tags: paragraphVersions.tags,
      asOf: paragraphVersions.asOf,
      note: paragraphVersions.note,
      sourceSection: paragraphVersions.sourceSection,
      sourceDocumentId: paragraphVersions.sourceDocumentId,
      sourceDocumentTitle: libraryDocuments.title,
      sourceLetterNumber: libraryDocuments.letterNumber,
      authorName: users.displayName,
      createdAt: paragraphVersions.createdAt,
    })
    .from(paragraphVersions)
    .leftJoin(users, eq(users.id, paragraphVersions.authorId))
    .leftJoin(libraryDocuments, eq(libraryDocuments.id, paragraphVersions.sourceDocumentId))
    .where(eq(paragraphVersions.paragraphId, paragraphId))
    .orderBy(desc(paragraphVersions.number));
}

/** What changed between two versions of a paragraph (by version number). */
export async function compareVersions(db: Db, params: { paragraphId: number; from: number; to: number }) {
  const rows = await db
    .select({ number: paragraphVersions.number, title: paragraphVersions.title, body: paragraphVersions.body, tags: paragraphVersions.tags, asOf: paragraphVersions.asOf })
    .from(paragraphVersions)
    .where(and(eq(paragraphVersions.paragraphId, params.paragraphId), inArray(paragraphVersions.number, [params.from, params.to])));
  const a = rows.find((r) => r.number === params.from);
  const b = rows.find((r) => r.number === params.to);
  if (!a || !b) return null;
  return {
    from: a.number,
    to: b.number,
    title: a.title === b.title ? null : { from: a.title, to: b.title },
    tags: a.tags.join("、") === b.tags.join("、") ? null : { from: a.tags.join("、"), to: b.tags.join("、") },
    asOf: a.asOf === b.asOf ? null : { from: a.asOf, to: b.asOf },
    body: diffTexts(a.body, b.body),
  };
}

// ---------------------------------------------------------------------------
// Uses
// ---------------------------------------------------------------------------

export type UseInput = {
  paragraphId: number;
  /** The version used; the current one when omitted. */
  versionId?: number;
  letterRevisionId?: number | null;
  documentId?: number | null;
  letterNumber?: string | null;
  proposalId?: number | null;
  section?: string | null;
  mode: UseMode;
  /** The wording as used, when it differs from the version. */
  text?: string | null;
  frozen?: boolean;
  usedBy?: string | null;
};

/** Record that a letter (or document) used a paragraph version. The drafting editor calls this on insertion. */
export async function recordParagraphUse(db: Db, use: UseInput) {
  let versionId = use.versionId;
  if (!versionId) {
    const [p] = await db.select({ v: paragraphs.currentVersionId }).from(paragraphs).where(eq(paragraphs.id, use.paragraphId));
    if (!p?.v) throw new ParagraphNotFoundError(use.paragraphId);
    versionId = p.v;
  }
  const [row] = await db
    .insert(paragraphUses)
    .values({
      paragraphId: use.paragraphId,
      versionId,
      letterRevisionId: use.letterRevisionId ?? null,
      documentId: use.documentId ?? null,
      letterNumber: use.letterNumber ?? null,
      proposalId: use.proposalId ?? null,
      section: use.section ?? null,
      mode: use.mode,
      text: use.mode === "edited" ? (use.text ?? null) : null,
      frozen: use.frozen ?? false,
      usedBy: use.usedBy ?? null,
    })
    .returning({ id: paragraphUses.id });
  return row.id;
}

const usedVersion = alias(paragraphVersions, "used_version");

/**
 * The proposal an imported letter answers: stored at import, or found by its frame (会议 +
 * 提案号) — the proposal may be registered after the letter was imported.
 */
export function letterProposalIdSql() {
  return sql<number | null>`coalesce(${libraryDocuments.proposalId}, (select pr.id from ${proposals} pr join ${batches} b on b.id = pr.batch_id
    where ${foldedMeeting(sql`b.meeting`)} = ${foldedMeeting(sql`${libraryDocuments.letterFrame}->>'session'`)}
      and pr.number = ${libraryDocuments.letterFrame}->>'proposalNumber' order by pr.id limit 1))`;
}

/** Where a paragraph was used, newest first, with the version used and whether a newer one exists. */
export async function listParagraphUses(db: Db, paragraphId: number) {
  const rows = await db
    .select({
      id: paragraphUses.id,
      versionNumber: usedVersion.number,
      versionBody: usedVersion.body,
      letterRevisionId: paragraphUses.letterRevisionId,
      documentId: paragraphUses.documentId,
      documentKind: libraryDocuments.kind,
      documentTitle: libraryDocuments.title,
      letterNumber: paragraphUses.letterNumber,
      proposalId: proposals.id,
      proposalNumber: proposals.number,
      proposalTitle: proposals.title,
      proposalHandlerId: proposals.handlerId,
      section: paragraphUses.section,
      mode: paragraphUses.mode,
      text: paragraphUses.text,
      frozen: paragraphUses.frozen,
      usedAt: paragraphUses.usedAt,
      /** An imported letter's own date (成文日期), more telling than when it was imported. */
      letterDate: sql<string | null>`${libraryDocuments.letterFrame}->>'date'`,
      usedByName: users.displayName,
      currentVersion: paragraphs.version,
    })
    .from(paragraphUses)
    .innerJoin(usedVersion, eq(usedVersion.id, paragraphUses.versionId))
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphUses.paragraphId))
    .leftJoin(libraryDocuments, eq(libraryDocuments.id, paragraphUses.documentId))
    .leftJoin(proposals, eq(proposals.id, sql`coalesce(${paragraphUses.proposalId}, ${letterProposalIdSql()})`))
    .leftJoin(users, eq(users.id, paragraphUses.usedBy))
    .where(eq(paragraphUses.paragraphId, paragraphId))
    .orderBy(desc(paragraphUses.usedAt), desc(paragraphUses.id));
  return rows.map((r) => ({
    ...r,
    /** In a letter (drafted here, or an imported past letter), as opposed to appearing in a policy document. */
    inLetter: r.letterRevisionId !== null || r.letterNumber !== null || r.documentKind === "letter",
    outdated: !r.frozen && r.versionNumber < r.currentVersion,
  }));
}

/**
 * Drafts (never signed letters) that use an older version than the current one: listed on
 * the paragraph's page and flagged in the drafting editor, which offers the difference.
 */
export async function listOutdatedDraftUses(db: Db, paragraphId: number) {
  return db
    .select({
      id: paragraphUses.id,
      letterRevisionId: paragraphUses.letterRevisionId,
      letterNumber: paragraphUses.letterNumber,
      proposalId: paragraphUses.proposalId,
      proposalHandlerId: proposals.handlerId,
      versionId: paragraphUses.versionId,
      versionNumber: usedVersion.number,
      currentVersion: paragraphs.version,
      currentVersionId: paragraphs.currentVersionId,
    })
    .from(paragraphUses)
    .innerJoin(usedVersion, eq(usedVersion.id, paragraphUses.versionId))
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphUses.paragraphId))
    .leftJoin(proposals, eq(proposals.id, paragraphUses.proposalId))
    .where(and(eq(paragraphUses.paragraphId, paragraphId), eq(paragraphUses.frozen, false), isNotNull(paragraphUses.letterRevisionId), lt(usedVersion.number, paragraphs.version)))
    .orderBy(asc(paragraphUses.id));
}

/** The paragraphs a letter (revision or imported document) draws on, in the order used, with the version it keeps. */
export async function listParagraphsUsedBy(db: Db, by: { letterRevisionId: number } | { documentId: number }) {
  return db
    .select({
      useId: paragraphUses.id,
      paragraphId: paragraphs.id,
      title: paragraphs.title,
      status: paragraphs.status,
      section: paragraphUses.section,
      mode: paragraphUses.mode,
      versionId: paragraphUses.versionId,
      versionNumber: usedVersion.number,
      versionBody: usedVersion.body,
      text: paragraphUses.text,
      currentVersion: paragraphs.version,
      createdHere: sql<boolean>`(${paragraphs.sourceDocumentId} is not distinct from ${paragraphUses.documentId} and ${usedVersion.number} = 1)`,
    })
    .from(paragraphUses)
    .innerJoin(usedVersion, eq(usedVersion.id, paragraphUses.versionId))
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphUses.paragraphId))
    .where("letterRevisionId" in by ? eq(paragraphUses.letterRevisionId, by.letterRevisionId) : eq(paragraphUses.documentId, by.documentId))
    .orderBy(asc(paragraphUses.id));
}

/**
 * What an imported document did to the library, for its page: the paragraphs it uses (a letter
 * records each; a policy document its links to paragraphs already in the library) and those it
 * updated — a policy document's update records no use, and was missing from its page.
 * `origin`: created here (version 1 from this document), updated here, or a reuse.
 */
export async function listDocumentParagraphs(db: Db, documentId: number) {
  const used = await listParagraphsUsedBy(db, { documentId });
  const revised = await db
    .select({
      versionId: paragraphVersions.id,
      paragraphId: paragraphs.id,
      title: paragraphs.title,
      status: paragraphs.status,
      section: paragraphVersions.sourceSection,
      versionNumber: paragraphVersions.number,
      currentVersion: paragraphs.version,
    })
    .from(paragraphVersions)
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphVersions.paragraphId))
    // written by this document's import (its transaction: the same now()), not a later edit, which
    // keeps the paragraph's source document
    .innerJoin(libraryDocuments, and(eq(libraryDocuments.id, documentId), eq(libraryDocuments.importedAt, paragraphVersions.createdAt)))
    .where(and(eq(paragraphVersions.sourceDocumentId, documentId), gt(paragraphVersions.number, 1)))
    .orderBy(asc(paragraphVersions.id));
  const revisedIds = new Set(revised.map((r) => r.versionId));
  const rows = used.map((u) => ({
    key: `use-${u.useId}`,
    paragraphId: u.paragraphId,
    title: u.title,
    status: u.status,
    section: u.section,
    versionNumber: u.versionNumber,
    currentVersion: u.currentVersion,
    mode: u.mode as UseMode | "updated",
    origin: (u.createdHere ? "created" : revisedIds.has(u.versionId) ? "updated" : "reused") as "created" | "updated" | "reused",
  }));
  const listed = new Set(used.map((u) => u.versionId));
  for (const r of revised) {
    if (listed.has(r.versionId)) continue;
    rows.push({ key: `version-${r.versionId}`, ...r, section: r.section?.split(" / ").at(-1) ?? null, mode: "updated", origin: "updated" });
  }
  return rows;
}

// ---------------------------------------------------------------------------
// Settings and staleness
// ---------------------------------------------------------------------------

/** Age (days) after which a paragraph's "as of" date flags it as possibly out of date. */
export async function getStaleAfterDays(db: Db): Promise<number> {
  const n = Number(await getSetting(db, SETTING_KEYS.libraryStaleDays));
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_STALE_AFTER_DAYS;
}

export async function setStaleAfterDays(db: Db, days: number) {
  await setSetting(db, SETTING_KEYS.libraryStaleDays, String(days));
}

export function stalenessFlags(p: { asOf: string | null; body: string }, today: Date, staleAfterDays: number): string[] {
  return stalenessOf({ asOf: p.asOf ?? undefined, text: p.body, today, maxAgeDays: staleAfterDays }).reasons;
}

/** Users who may own library paragraphs (for the owner select). */
export async function listLibraryOwners(db: Db, roles: readonly string[]) {
  return db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(and(eq(users.disabled, false), inArray(users.role, roles as ("admin" | "registrar" | "handler" | "leader" | "viewer")[])))
    .orderBy(asc(users.displayName));
}

/**
 * "Where used", as one viewer may see it: a use in a proposal they may not open keeps only what
 * is public inside the bureau — a signed letter's 文号 — and loses the proposal, its title, the
 * draft's wording and the heading of the part it went into; an unsigned draft of such a proposal is not listed at all.
 */
export function scopeUses<U extends { proposalId: number | null; proposalHandlerId: string | null; frozen?: boolean; documentId?: number | null }>(uses: U[], vis: Visibility) {
  return uses.flatMap((u) => {
    const { proposalHandlerId, ...rest } = u;
    if (u.proposalId === null || vis.canSee({ handlerId: proposalHandlerId })) return [{ ...rest, hidden: false }];
    if (!u.frozen && !u.documentId) return [];
    // the imported letter's title names the proposal; its date is not its 文号 either
    return [
      {
        ...rest,
        proposalId: null,
        proposalNumber: null,
        proposalTitle: null,
        text: null,
        versionBody: null,
        letterRevisionId: null,
        // the heading of the letter's part it went into is that letter's wording too
        ...("section" in rest ? { section: null } : {}),
        ...("documentTitle" in rest ? { documentTitle: null, letterDate: null } : {}),
        hidden: true,
      },
    ];
  });
}
