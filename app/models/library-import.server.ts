/**
 * Importing a source document (policy document or past reply letter) into the library:
 * read the file (text in UTF-8 / GBK / UTF-16, Markdown, DOCX), split it into candidate
 * paragraphs (app/domain/paragraph-import.ts), find which are already in the library (exact,
 * near, contained), and import the user's choices in the caller's transaction — the whole
 * document or nothing. Functions take (db, params) and never open their own transaction.
 */
import { createHash } from "node:crypto";
import { setImmediate } from "node:timers/promises";
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { readUntrusted, UnreadableFileError } from "~/untrusted/untrusted-files.server";
import { libraryDocuments } from "#db/schema";
import { DEFAULT_MAX_PARAGRAPH_CHARS, DEFAULT_MAX_TOTAL_CHARS, decodeTextBuffer, splitIntoCandidates, validateImportText, type Candidate } from "~/domain/paragraph-import";
import { analyseImportText, type DocumentFields, type ImportAnalysis } from "~/domain/import-analysis";
import { isoDateInTimeZone } from "~/domain/calendar";
import { parseTags, suggestTags, type DocumentKind, type ImportAction, type ParagraphKind, type ParagraphStatus, updateTarget } from "~/domain/library";
import { buildSimilarityIndex, findDuplicates, newFigures, type DuplicateKind } from "~/domain/similarity";
import { duplicateCandidates } from "./library-search.server";
import { createParagraph, getParagraph, recordParagraphUse, reviseParagraph } from "./paragraph.server";
import { findProposalByNumber } from "./proposal.server";

/** Largest source file accepted (a policy DOCX is typically well under 1 MB). */
export const MAX_LIBRARY_FILE_BYTES = 10 * 1024 * 1024;
/** The most candidate paragraphs one import plan holds. */
export const MAX_LIBRARY_PLAN_CANDIDATES = 3000;
/** The plan posts up to six fields per candidate (action, title, tags, split, seen, merge). */
export const MAX_LIBRARY_PLAN_FIELDS = MAX_LIBRARY_PLAN_CANDIDATES * 6 + 50;
/**
 * The largest form field of an import step: pasted text (2,000,000 characters, up to 6 MB) or the
 * plan's candidates as JSON, which adds each candidate's heading path and fields to its text. Left
 * as generous as when the plan also carried the file (it now stays on the server); not measured
 * closer.
 */
export const MAX_LIBRARY_PLAN_FIELD_BYTES = Math.ceil((MAX_LIBRARY_FILE_BYTES * 4) / 3) + 4 * 1024 * 1024;
export const MAX_TITLE_CHARS = 80;

/** A refused import: zh-CN messages for the user; nothing was written. */
export class LibraryImportError extends Error {
  constructor(public messages: string[]) {
    super(messages.join(" "));
    this.name = "LibraryImportError";
  }
}

/** An 更新 target changed after the user saw it: the plan shown next is their new baseline. */
export class LibraryVersionChangedError extends LibraryImportError {
  constructor(
    readonly item: number,
    message: string,
  ) {
    super([message]);
    this.name = "LibraryVersionChangedError";
  }
}

export type SourceText = {
  fileName: string;
  mediaType: string;
  content: Buffer;
  /** "utf-8", "gb18030", "utf-16le", "utf-16be", "docx" */
  encoding: string;
  text: string;
  /** zh-CN remarks worth showing (e.g. the file was read as GBK). */
  notes: string[];
};

const DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

function startsWith(bytes: Buffer, sig: number[]) {
  return sig.every((b, i) => bytes[i] === b);
}

/** Past this many characters a text is checked and analysed in the untrusted-file worker (~35 ms on the server's thread at most). */
const OFF_THREAD_CHARS = 50_000;

async function checkText(text: string): Promise<void> {
  let problems: string[];
  if (text.length <= OFF_THREAD_CHARS) problems = validateImportText(text).errors.map((e) => e.message);
  else {
    const r = await readUntrusted({ kind: "import-check", text }).catch(offThreadRefusal);
    problems = "problems" in r ? r.problems : [TEXT_UNREADABLE];
  }
  if (problems.length) throw new LibraryImportError(problems);
}

const TEXT_UNREADABLE = "文件内容无法读取。";
function offThreadRefusal(e: unknown): never {
  throw new LibraryImportError([e instanceof UnreadableFileError && e.tooCostly ? e.message : TEXT_UNREADABLE]);
}

/**
 * The import's first look at a checked text: kind (when "auto"), document fields and candidates, or
 * their number past `maxCandidates`. Large texts are analysed in the untrusted-file worker.
 */
export async function analyseLibraryText(p: { text: string; kind: DocumentKind | "auto"; fileName: string; maxCandidates?: number }): Promise<ImportAnalysis> {
  const params = { ...p, maxCandidates: p.maxCandidates ?? MAX_LIBRARY_PLAN_CANDIDATES };
  if (p.text.length <= OFF_THREAD_CHARS) return analyseImportText(params);
  const r = await readUntrusted({ kind: "import-analysis", text: p.text, documentKind: p.kind, fileName: p.fileName, maxCandidates: params.maxCandidates }).catch(offThreadRefusal);
  if (!("analysis" in r)) throw new LibraryImportError([TEXT_UNREADABLE]);
  return r.analysis;
}

/** Read an uploaded source file into text, refusing what cannot be imported with a clear message. */
export async function readLibrarySource(file: { fileName: string; content: Buffer }): Promise<SourceText> {
  const { fileName, content } = file;
  const ext = (/\.([^.]+)$/.exec(fileName)?.[1] ?? "").toLowerCase();
  if (content.length === 0) throw new LibraryImportError(["文件是空的（0 字节），请选择包含正文的文件。"]);
  if (content.length > MAX_LIBRARY_FILE_BYTES)
    throw new LibraryImportError([`文件过大（${(content.length / 1024 / 1024).toFixed(1)} MB），上限为 ${MAX_LIBRARY_FILE_BYTES / 1024 / 1024} MB。请拆分后分别导入。`]);
  const isZip = startsWith(content, [0x50, 0x4b, 0x03, 0x04]);
  if (startsWith(content, [0xd0, 0xcf, 0x11, 0xe0])) throw new LibraryImportError(["这是旧版 Word（.doc）文件，无法直接读取。请在 Word 中另存为 .docx 或纯文本（.txt）后再导入。"]);
  if (startsWith(content, [0x25, 0x50, 0x44, 0x46])) throw new LibraryImportError(["暂不支持 PDF。请先将 PDF 转为 Word（.docx）或纯文本（.txt）后再导入。"]);
  if (ext === "docx" || isZip) {
    const notDocx = "文件不是有效的 Word 文档（.docx）：内容无法按 DOCX 读取。请在 Word 中重新另存为 .docx，或导出为纯文本后导入。";
    if (!isZip || !content.includes(Buffer.from("word/document.xml"))) throw new LibraryImportError([notDocx]);
    let r: Awaited<ReturnType<typeof readUntrusted>>;
    try {
      // In the untrusted-file reader: a crafted document cannot take the server down. The text
      // stops past the import's limit (a text longer than that is refused whatever it holds).
      r = await readUntrusted({ kind: "docx-text", bytes: new Uint8Array(content), maxChars: DEFAULT_MAX_TOTAL_CHARS + 1 });
    } catch (e) {
      throw new LibraryImportError([e instanceof UnreadableFileError && e.tooCostly ? e.message : notDocx]);
    }
    if (!("text" in r)) throw new LibraryImportError([notDocx]);
    if (r.cut) throw new LibraryImportError([`文件过大（超过 ${DEFAULT_MAX_TOTAL_CHARS} 字），上限为 ${DEFAULT_MAX_TOTAL_CHARS} 字，请拆分后分别导入。`]);
    const text = r.text;
    await checkText(text);
    return { fileName, mediaType: DOCX_TYPE, content, encoding: "docx", text, notes: [] };
  }
  const decoded = decodeTextBuffer(new Uint8Array(content.buffer, content.byteOffset, content.length));
  await checkText(decoded.text);
  const notes = decoded.encoding === "gb18030" ? ["文件不是 UTF-8 编码，已按 GBK（GB18030）编码读取，请核对文字是否正确。"] : [];
  return { fileName, mediaType: ext === "md" ? "text/markdown" : "text/plain", content, encoding: decoded.encoding, text: decoded.text, notes };
}

/** Text pasted into the import page, kept as a UTF-8 .txt file. */
export async function readPastedText(text: string, fileName = "粘贴的文本.txt"): Promise<SourceText> {
  await checkText(text);
  return { fileName, mediaType: "text/plain", content: Buffer.from(text, "utf8"), encoding: "utf-8", text, notes: [] };
}

// ---------------------------------------------------------------------------
// Plan
// ---------------------------------------------------------------------------

/** A library paragraph a candidate duplicates, at the version the plan was made against. */
/** `newFigures`: numbers the candidate has and the library paragraph has not (new data: not linked by default). */
export type LibraryMatch = {
  paragraphId: number;
  title: string;
  status: ParagraphStatus;
  kind: DuplicateKind;
  score: number;
  version: number;
  newFigures: string[];
  /** A near copy, worded differently (基本同步 → 大体同步): spaces, punctuation and full-/half-width forms alone make an exact one. */
  reworded: boolean;
};

export type PlanItem = {
  candidate: Candidate;
  title: string;
  tags: string[];
  action: ImportAction;
  /** Paragraphs already in the library that this candidate duplicates, best first. */
  matches: LibraryMatch[];
  /** 更新: the paragraph and version the user saw when choosing it (the import refuses if it changed since). */
  seen?: { paragraphId: number; version: number } | null;
};

/** Library duplicates of each candidate (headings and very short texts have none). */
export async function matchCandidates(db: Db, candidates: readonly Candidate[]): Promise<LibraryMatch[][]> {
  const checkable = candidates.map((c) => c.kind !== "heading");
  const library = await duplicateCandidates(
    db,
    candidates.filter((_, i) => checkable[i]).map((c) => c.text),
  );
  if (library.size === 0) return candidates.map(() => []);
  const index = buildSimilarityIndex([...library.values()].map((p) => ({ id: String(p.id), text: p.body })));
  const out: LibraryMatch[][] = [];
  for (const [i, c] of candidates.entries()) {
    // Each candidate is compared with every paragraph any of them resembles: for a plan of 2,900
    // candidates that held the server's thread 2.2 s in one piece; now in slices, others between.
    if (i % MATCHES_PER_SLICE === MATCHES_PER_SLICE - 1) await setImmediate();
    if (!checkable[i]) {
      out.push([]);
      continue;
    }
    out.push(
      findDuplicates(c.text, index)
        .slice(0, 5)
        .map((m) => {
          const p = library.get(Number(m.id))!;
          return {
            paragraphId: p.id,
            title: p.title,
            status: p.status,
            kind: m.kind,
            score: m.score,
            version: p.version,
            newFigures: newFigures(c.text, p.body),
            // the same after normalizeForCompare (spaces, punctuation, full-width forms) is "exact":
            // a near copy differs in its words or figures
            reworded: m.kind === "near",
          };
        }),
    );
  }
  return out;
}
const MATCHES_PER_SLICE = 20;

/** What the importer proposes for a candidate: skip headings, link duplicates of active paragraphs, create the rest. */
export function defaultItem(
  candidate: Candidate,
  matches: LibraryMatch[],
  previous: Candidate | undefined,
  documentTags: readonly string[] = [],
): Omit<PlanItem, "candidate" | "matches"> {
  // A paragraph right under a standalone heading ("一、聚焦产业链优势环节…") is best named by that heading.
  const underHeading =
    previous?.kind === "heading" && previous.level > 0 && candidate.kind === "paragraph" && !candidate.lead && previous.headingPath.join("|") === candidate.headingPath.join("|");
  const title = (underHeading ? previous!.title : candidate.title).slice(0, MAX_TITLE_CHARS);
  const tags = parseTags([...documentTags, ...suggestTags(`${title}\n${candidate.text}`)]);
  let action: ImportAction = "create";
  if (candidate.kind === "heading") action = "skip";
  // Linked, a near or partial copy with figures the library lacks (250 家 where it says 103 家)
  // would leave the library without them: created unless the person links it or updates the
  // paragraph. One that contains a whole library paragraph reuses it as it is (its extra figures
  // are in its own lead-in): linked.
  // A near copy worded differently is linked as an appearance of the paragraph, edited (003's copy of
  // 002's 行业协会 paragraph; a letter's edited use) — its own wording stays in its document — and
  // the plan says it is reworded (m.reworded), so a revision can be made an update instead.
  else if (matches.some((m) => m.status === "active" && (m.kind === "exact" || m.kind === "contains" || m.newFigures.length === 0))) action = "link";
  return { title, tags, action };
}

export type ItemChoice = Partial<Pick<PlanItem, "title" | "tags" | "action" | "seen">>;

/**
 * The import plan: candidates (fresh from the text, or as edited by the user), their library
 * matches, and per candidate the user's choice or the default.
 */
export async function planLibraryImport(
  db: Db,
  params: { text: string; kind: DocumentKind; candidates?: Candidate[]; choices?: (ItemChoice | undefined)[]; documentTags?: string[] },
): Promise<PlanItem[]> {
  const candidates = params.candidates ?? splitIntoCandidates(params.text, { kind: params.kind });
  const matches = await matchCandidates(db, candidates);
  return candidates.map((candidate, i) => {
    const defaults = defaultItem(candidate, matches[i]!, candidates[i - 1], params.documentTags);
    const choice = params.choices?.[i] ?? {};
    let action = choice.action ?? defaults.action;
    // A link or an update needs a duplicate to point at — except an 更新 the user chose against a
    // version they saw: it stays, and the import refuses it rather than quietly creating or linking.
    const chosenUpdate = action === "update" && choice.seen;
    if ((action === "link" && matches[i]!.length === 0) || (action === "update" && !chosenUpdate && !updateTarget(matches[i]!)))
      action = defaults.action === action ? "create" : defaults.action;
    return {
      candidate,
      title: (choice.title?.trim() || defaults.title).slice(0, MAX_TITLE_CHARS),
      tags: choice.tags ? parseTags(choice.tags) : defaults.tags,
      action,
      matches: matches[i]!,
      seen: choice.seen ?? null,
    };
  });
}

// ---------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------

function paragraphKindOf(c: Candidate): ParagraphKind {
  return c.kind === "box" ? "box" : c.kind === "table" ? "table" : "paragraph";
}

export type ImportSummary = { documentId: number; created: number; linked: number; updated: number; skipped: number; paragraphIds: number[] };

/**
 * Import a document with the given plan. Run it in one transaction: a refusal (a file
 * imported before, a paragraph too long, a link to a paragraph that is gone) throws and
 * nothing is written.
 */
export async function importLibraryDocument(
  db: Db,
  params: {
    source: Pick<SourceText, "fileName" | "mediaType" | "content" | "encoding">;
    document: DocumentFields;
    items: PlanItem[];
    actorId: string | null;
    onProgress?: (done: number, total: number) => void;
  },
): Promise<ImportSummary> {
  const { source, document: doc, items } = params;
  const sha256 = createHash("sha256").update(source.content).digest("hex");
  const [existing] = await db
    .select({ id: libraryDocuments.id, title: libraryDocuments.title, letterNumber: libraryDocuments.letterNumber, at: libraryDocuments.importedAt })
    .from(libraryDocuments)
    .where(eq(libraryDocuments.sha256, sha256));
  if (existing) throw new LibraryImportError([`该文件已于 ${isoDateInTimeZone(existing.at)} 导入（${importedName(existing)}），无需重复导入。`]);
  const sameLetter = doc.kind === "letter" ? await findImportedLetter(db, doc.letterNumber) : null;
  if (sameLetter) throw new LibraryImportError([alreadyImportedLetter(doc.letterNumber!)]);
  const problems: string[] = [];
  items.forEach((it, i) => {
    if (it.action === "skip") return;
    if (!it.candidate.text.trim()) problems.push(`第 ${i + 1} 段没有正文。`);
    if (it.candidate.text.length > DEFAULT_MAX_PARAGRAPH_CHARS) problems.push(`第 ${i + 1} 段超过 ${DEFAULT_MAX_PARAGRAPH_CHARS} 字，请先拆分。`);
    if (!it.title.trim()) problems.push(`第 ${i + 1} 段缺少标题。`);
  });
  if (problems.length) throw new LibraryImportError(problems);

  const frame = doc.frame;
  const proposal = doc.kind === "letter" && frame?.session && frame.proposalNumber ? await findProposalByNumber(db, frame.session, frame.proposalNumber) : null;
  const [d] = await db
    .insert(libraryDocuments)
    .values({
      kind: doc.kind,
      title: doc.title,
      fileName: source.fileName,
      mediaType: source.mediaType,
      size: source.content.length,
      sha256,
      content: source.content,
      encoding: source.encoding,
      letterNumber: doc.kind === "letter" ? doc.letterNumber : null,
      letterFrame: doc.kind === "letter" && frame ? (frame as Record<string, string>) : null,
      proposalId: proposal?.id ?? null,
      asOf: doc.asOf,
      summary: { created: 0, linked: 0, updated: 0, skipped: 0 },
      importedBy: params.actorId,
    })
    .returning({ id: libraryDocuments.id });

  const summary: ImportSummary = { documentId: d.id, created: 0, linked: 0, updated: 0, skipped: 0, paragraphIds: [] };
  const letterUse = {
    documentId: d.id,
    letterNumber: doc.kind === "letter" ? doc.letterNumber : null,
    proposalId: proposal?.id ?? null,
    // A past letter was sent long ago, a policy document is not a draft: neither is offered newer versions.
    frozen: true,
    usedBy: params.actorId,
  };
  const note = `导入自《${doc.title}》`;
  // Which candidate updated which library paragraph: a second update of the same one would meet
  // the first one's new version and be told, wrongly, that someone else had changed it.
  const updatedBy = new Map<number, number>();
  for (const [i, it] of items.entries()) {
    const c = it.candidate;
    const section = c.headingPath.at(-1) ?? null;
    const sourceSection = c.headingPath.join(" / ") || null;
    if (it.action === "skip") summary.skipped++;
    else if (it.action === "create") {
      const p = await createParagraph(db, {
        title: it.title.trim(),
        body: c.text,
        lead: leadOf(c, items[i - 1]?.candidate),
        annotation: c.annotation ?? null,
        tags: it.tags,
        asOf: doc.asOf,
        kind: paragraphKindOf(c),
        sourceDocumentId: d.id,
        sourceSection,
        note,
        ownerId: params.actorId,
        actorId: params.actorId,
      });
      // A letter used the paragraph; a policy document is already its recorded source.
      if (doc.kind === "letter") await recordParagraphUse(db, { ...letterUse, paragraphId: p.id, versionId: p.versionId, section, mode: "verbatim" });
      summary.created++;
      summary.paragraphIds.push(p.id);
    } else if (it.action === "link") {
      if (it.matches.length === 0) throw new LibraryImportError([`第 ${i + 1} 段没有可关联的库中段落。`]);
      for (const m of it.matches) {
        const target = await getParagraph(db, m.paragraphId);
        if (!target) throw new LibraryImportError([`第 ${i + 1} 段要关联的段落 #${m.paragraphId} 已不存在，请重新检查。`]);
        const verbatim = m.kind === "exact";
        await recordParagraphUse(db, { ...letterUse, paragraphId: target.id, section, mode: verbatim ? "verbatim" : "edited", text: verbatim ? null : c.text });
        summary.paragraphIds.push(target.id);
      }
      summary.linked++;
    } else {
      const m = updateTarget(it.matches);
      const target = m ? await getParagraph(db, m.paragraphId) : null;
      if (!target && it.seen)
        throw new LibraryVersionChangedError(i, `第 ${i + 1} 段要更新的段落 #${it.seen.paragraphId} 在您检查之后已被修改，已不再与本段相同或相近：请重新选择处理方式。`);
      if (!target) throw new LibraryImportError([`第 ${i + 1} 段没有可更新的库中段落。`]);
      const earlier = updatedBy.get(target.id);
      if (earlier !== undefined)
        throw new LibraryImportError([`第 ${earlier + 1} 段和第 ${i + 1} 段都要更新库中段落“${target.title}”：请只让其中一段更新，另一段选择新增或不导入。`]);
      updatedBy.set(target.id, i);
      // Someone edited the paragraph after the user compared it: updating now would replace
      // text they never saw. The refreshed plan shows the current version to decide again.
      if (it.seen && (it.seen.paragraphId !== target.id || it.seen.version !== target.version))
        throw new LibraryVersionChangedError(i, `第 ${i + 1} 段要更新的段落“${target.title}”在您检查之后已被修改（现为第 ${target.version} 版）：请查看后重新选择。`);
      const r = await reviseParagraph(db, {
        id: target.id,
        expectedVersion: target.version,
        title: target.title,
        body: c.text,
        lead: leadOf(c, items[i - 1]?.candidate),
        annotation: c.annotation ?? null,
        tags: parseTags([...target.tags, ...it.tags]),
        asOf: doc.asOf ?? target.asOf,
        note: `据《${doc.title}》更新`,
        sourceDocumentId: d.id,
        sourceSection,
        actorId: params.actorId,
      });
      if (doc.kind === "letter") await recordParagraphUse(db, { ...letterUse, paragraphId: target.id, versionId: r.versionId, section, mode: "verbatim" });
      summary.updated++;
      summary.paragraphIds.push(target.id);
    }
    params.onProgress?.(i + 1, items.length);
  }
  await db
    .update(libraryDocuments)
    .set({ summary: { created: summary.created, linked: summary.linked, updated: summary.updated, skipped: summary.skipped } })
    .where(eq(libraryDocuments.id, d.id));
  return summary;
}

/**
 * The heading a paragraph carries in its source, numbering included: its inline lead
 * ("三、系统规划引领。"), or the standalone heading right above it that names its section
 * ("二、加强产业链招商和供应链招商…", as in letter 109).
 */
export function leadOf(c: Candidate, previous?: Candidate): { level: 1 | 2; text: string; standalone?: boolean } | null {
  if (c.kind !== "paragraph") return null;
  if (c.lead) return { level: c.level >= 2 ? 2 : 1, text: `${c.marker ?? ""}${c.lead}` };
  if (previous?.kind === "heading" && previous.level > 0 && previous.headingPath.join("|") === c.headingPath.join("|")) {
    return { level: previous.level >= 2 ? 2 : 1, text: `${previous.marker ?? ""}${previous.text}`, standalone: true };
  }
  return null;
}

/** Plan with the defaults and import: the CLI and the demo data. */
export async function importWithDefaults(
  db: Db,
  params: {
    source: SourceText;
    kind?: DocumentKind | "auto";
    asOf?: string | null;
    tags?: string[];
    actorId: string | null;
    onProgress?: (done: number, total: number) => void;
    /** a near copy worded differently: linked as an edited use (the default, as on the page), or the library paragraph updated to it */
    reworded?: "link" | "update";
  },
) {
  // the page's first look at the text, split once (no plan-size limit here: the CLI has no form to carry)
  const analysis = analyseImportText({ text: params.source.text, kind: params.kind ?? "auto", fileName: params.source.fileName, maxCandidates: Number.POSITIVE_INFINITY });
  if ("tooMany" in analysis) throw new Error("no candidate limit was set"); // for the type: cannot happen
  const { kind, document, candidates } = analysis;
  if (params.asOf !== undefined && params.asOf !== null) document.asOf = params.asOf;
  const planned = await planLibraryImport(db, { text: params.source.text, kind, candidates, documentTags: params.tags });
  const items =
    params.reworded === "update"
      ? planned.map((it) => {
          const m = it.matches[0];
          return it.action === "link" && m?.reworded && m.kind === "near" ? { ...it, action: "update" as const, seen: { paragraphId: m.paragraphId, version: m.version } } : it;
        })
      : planned;
  const summary = await importLibraryDocument(db, { source: params.source, document, items, actorId: params.actorId, onProgress: params.onProgress });
  return { ...summary, document, items };
}

/**
 * The candidates linked to a library paragraph they reword (the plan's reworded near copies): what
 * the library keeps is the old wording, so whoever imports is told which (the CLI said only 关联 2 处).
 */
export function rewordedLinks(items: readonly PlanItem[]): { index: number; title: string; paragraphId: number; paragraphTitle: string }[] {
  return items.flatMap((it, index) => {
    const m = it.matches[0];
    return it.action === "link" && m?.reworded ? [{ index, title: it.title, paragraphId: m.paragraphId, paragraphTitle: m.title }] : [];
  });
}

/**
 * A past letter already in the library under its 文号: the same letter with a byte changed (a line
 * ending, a trailing newline) passed the file's hash and was imported twice — 109号 listed twice as a
 * source, each paragraph's uses doubled.
 */
export async function findImportedLetter(db: Db, letterNumber: string | null) {
  if (!letterNumber) return null;
  const [row] = await db.select({ id: libraryDocuments.id }).from(libraryDocuments).where(eq(libraryDocuments.letterNumber, letterNumber)).limit(1);
  return row ?? null;
}

/**
 * Said to whoever imports a letter already there: by its 文号 only — its title names the proposal
 * it answered, which the importer may not be allowed to open (decision 009).
 */
export function alreadyImportedLetter(letterNumber: string): string {
  return `${letterNumber} 已经导入过段落库，无需重复导入。`;
}

/** A document already imported, as a refusal names it: a letter by its 文号 (as above), other files by title. */
export function importedName(d: { title: string; letterNumber: string | null }): string {
  return d.letterNumber ?? `《${d.title}》`;
}

export async function findImportedFile(db: Db, content: Buffer) {
  const sha256 = createHash("sha256").update(content).digest("hex");
  const [row] = await db
    .select({ id: libraryDocuments.id, title: libraryDocuments.title, letterNumber: libraryDocuments.letterNumber })
    .from(libraryDocuments)
    .where(eq(libraryDocuments.sha256, sha256));
  return row ?? null;
}
