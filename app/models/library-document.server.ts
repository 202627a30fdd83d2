/**
 * The library's documents (a policy, a past letter): the list, one document, its file and tags, and
 * who may read a letter whole, as disclosed or not at all (documentAccess).
 */
import type { SessionUser } from "~/auth/lucia.server";
import { type Visibility, visibilityFor } from "./access.server";
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { libraryDocuments, paragraphs, proposals, users } from "#db/schema";
import { HIDDEN_LETTER_LABEL, type DocumentKind } from "~/domain/library";
import { rulesInForce } from "./redaction.server";
import { replacedByCorrection, type ReuseScope, reusableBy } from "./reply-rounds.server";
import { redactText } from "~/domain/redaction";
import { compileRules } from "~/domain/redaction-rules";
import { letterProposalIdSql } from "./paragraph.server";

export async function listLibraryDocuments(db: Db) {
  return db
    .select({
      id: libraryDocuments.id,
      kind: libraryDocuments.kind,
      title: libraryDocuments.title,
      letterNumber: libraryDocuments.letterNumber,
      asOf: libraryDocuments.asOf,
      importedAt: libraryDocuments.importedAt,
      summary: libraryDocuments.summary,
    })
    .from(libraryDocuments)
    .orderBy(asc(libraryDocuments.id));
}

export async function getLibraryDocument(db: Db, id: number) {
  const [row] = await db
    .select({
      id: libraryDocuments.id,
      kind: libraryDocuments.kind,
      title: libraryDocuments.title,
      fileName: libraryDocuments.fileName,
      mediaType: libraryDocuments.mediaType,
      size: libraryDocuments.size,
      sha256: libraryDocuments.sha256,
      encoding: libraryDocuments.encoding,
      letterNumber: libraryDocuments.letterNumber,
      letterFrame: libraryDocuments.letterFrame,
      proposalId: proposals.id,
      proposalNumber: proposals.number,
      proposalHandlerId: proposals.handlerId,
      asOf: libraryDocuments.asOf,
      summary: libraryDocuments.summary,
      importedAt: libraryDocuments.importedAt,
      importedByName: users.displayName,
    })
    .from(libraryDocuments)
    .leftJoin(users, eq(users.id, libraryDocuments.importedBy))
    .leftJoin(proposals, eq(proposals.id, letterProposalIdSql()))
    .where(eq(libraryDocuments.id, id));
  return row ?? null;
}

/**
 * Whether a past letter, imported into the library, was disclosed so that those who may not open
 * its proposal may read it: where the system holds the signed letter of that 文号, exactly when
 * that letter may be reused as disclosed (reusableBy: 主动公开 or 依申请公开, not withdrawn from the
 * public site, not corrected to 不予公开, not being corrected); a letter from before the system, by
 * the 公开方式 printed in the file.
 */
function disclosedLetterSql(scope: ReuseScope) {
  return sql<boolean>`case when exists (select 1 from letters l where l.document_number = ${libraryDocuments.letterNumber} and l.state = 'signed')
    then exists (select 1 from letters l join proposals p on p.id = l.proposal_id
      where l.document_number = ${libraryDocuments.letterNumber} and l.state = 'signed' and not ${replacedByCorrection("l")} and ${reusableBy(scope, { letter: "l", proposal: "p" })})
    else coalesce(${libraryDocuments.letterFrame}->>'disclosure', '') in ('主动公开', '依申请公开') end`;
}

/**
 * How a reader may read an imported past letter, as its proposal (decision 009, as reuse):
 * `full` — a policy document, or the reader may open the proposal; `public` — the reply was
 * disclosed (disclosedLetterSql): its page in public wording, without the file (it prints the
 * handler's name and phone); `hidden` — its 文号 only, not its addressee, 案由 or file.
 */
export type DocumentAccess = "full" | "public" | "hidden";

export function documentAccess(d: LetterDocumentRef & { disclosed: boolean }, vis: Visibility): DocumentAccess {
  if (mayReadWhole(d, vis)) return "full";
  return d.disclosed ? "public" : "hidden";
}

type LetterDocumentRef = { kind: string; proposalId: number | null; proposalHandlerId: string | null };

/** A policy document, a letter of no registered proposal, or one whose proposal the reader may open. */
function mayReadWhole(d: LetterDocumentRef, vis: Visibility): boolean {
  return d.kind !== "letter" || d.proposalId === null || vis.canSee({ handlerId: d.proposalHandlerId });
}

/**
 * The documents among `ids` (all, when left out) that lists name by their 文号 only for this
 * reader: past letters whose proposal the reader may not open — disclosed or not; a disclosed one
 * is read on its own page in public wording (getReadableLibraryDocument), its title here could
 * name what a redaction rule hides.
 */
export async function documentsNamedByNumber(db: Db, vis: Visibility, ids?: readonly (number | null)[]): Promise<Set<number>> {
  // a reader of every proposal sees every letter
  if (!vis.scope.handlerId) return new Set();
  const wanted = ids && [...new Set(ids.filter((i): i is number => i !== null))];
  if (wanted && !wanted.length) return new Set();
  const rows = await db
    .select({ id: libraryDocuments.id, kind: libraryDocuments.kind, proposalId: proposals.id, proposalHandlerId: proposals.handlerId })
    .from(libraryDocuments)
    .leftJoin(proposals, eq(proposals.id, letterProposalIdSql()))
    .where(and(eq(libraryDocuments.kind, "letter"), wanted ? inArray(libraryDocuments.id, wanted) : undefined));
  return new Set(rows.filter((r) => !mayReadWhole(r, vis)).map((r) => r.id));
}

/** A hidden document's name: its 文号, as its own page shows it. */
export function hiddenDocumentTitle(d: { letterNumber: string | null }): string {
  return d.letterNumber ?? HIDDEN_LETTER_LABEL;
}

/**
 * A library document as this reader may read it (null: none), with how (documentAccess). A past
 * letter read as disclosed comes with its wording as the public reads it: the redaction rules for
 * its proposal and the 〖〗 marks applied to its title, addressee and 案由, its file name not given.
 */
export async function getReadableLibraryDocument(db: Db, r: { id: number; user: SessionUser }) {
  const document = await getLibraryDocument(db, r.id);
  if (!document) return null;
  const vis = await visibilityFor(db, r.user);
  let disclosed = true;
  if (!mayReadWhole(document, vis)) {
    const [row] = await db
      .select({ disclosed: disclosedLetterSql(vis.scope) })
      .from(libraryDocuments)
      .where(eq(libraryDocuments.id, document.id));
    disclosed = Boolean(row?.disclosed);
  }
  const access = documentAccess({ ...document, disclosed }, vis);
  if (access !== "public") return { document, access };
  const rules = compileRules((await rulesInForce(db)).filter((x) => x.proposalId == null || x.proposalId === document.proposalId));
  const red = (t: string) => redactText(t, rules);
  const frame = document.letterFrame;
  return {
    document: {
      ...document,
      title: red(document.title),
      fileName: null,
      // what the public reading of a letter holds: not its officer's name and phone (the reason its
      // file is withheld), which the frame also keeps
      letterFrame: frame && publicFrame(frame, red),
    },
    access,
  };
}

/** The parts of a letter's frame a reader of its public wording may see, redacted. */
function publicFrame(frame: Record<string, string>, red: (t: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ["date", "session", "proposalNumber", "documentNumber", "disclosure"] as const) if (frame[key]) out[key] = frame[key];
  if (frame.addressee) out.addressee = red(frame.addressee);
  if (frame.caseTitle) out.caseTitle = red(frame.caseTitle);
  return out;
}

export async function getLibraryDocumentFile(db: Db, id: number) {
  const [row] = await db
    .select({ fileName: libraryDocuments.fileName, mediaType: libraryDocuments.mediaType, encoding: libraryDocuments.encoding, content: libraryDocuments.content })
    .from(libraryDocuments)
    .where(eq(libraryDocuments.id, id));
  return row ?? null;
}

/** Tags in use (for the filter), most used first. */
export async function listLibraryTags(db: Db) {
  const rows = await db.execute(sql`select tag, count(*)::int as n from ${paragraphs}, unnest(${paragraphs.tags}) as tag group by tag order by n desc, tag limit 100`);
  const list = (Array.isArray(rows) ? rows : (rows as unknown as { rows: unknown[] }).rows) as { tag: string; n: number }[];
  return list.map((r) => ({ tag: r.tag, count: Number(r.n) }));
}

export type DocumentSummary = { id: number; kind: DocumentKind; title: string; letterNumber: string | null };
