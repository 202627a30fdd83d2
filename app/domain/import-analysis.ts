/**
 * What the library import makes of a source text before anyone chooses anything: its kind
 * (letter or policy), the document's proposed title and date, and its candidate paragraphs.
 * Pure, so it can run in the untrusted-file worker: on a large text it takes seconds
 * (2,000,000 characters of short paragraphs: ~8 s), which on the server's own thread
 * held every other request for that long.
 */
import type { DocumentKind } from "./library";
import { type Candidate, type LetterFrame, normalizeSourceBlocks, parseChineseDate, parseLetterFrame, splitIntoCandidates } from "./paragraph-import";

export type DocumentFields = {
  kind: DocumentKind;
  title: string;
  asOf: string | null;
  letterNumber: string | null;
  frame: LetterFrame | null;
};

/** A letter has a 发文字号 or the "您提出的《…》的提案收悉" opening. */
export function detectKind(text: string): DocumentKind {
  const f = parseLetterFrame(text);
  if (f.caseTitle) return "letter";
  if (!f.documentNumber) return "policy";
  // A 发文字号 alone heads any 公文 (东府办〔2026〕99号 a policy notice, which was taken for a reply):
  // a reply is a 函, answers a proposal, or names its handler, phone or 公开方式 at the end.
  return /函/.test(f.documentNumber) || /答复/.test(f.title ?? "") || f.handler || f.phone || f.disclosure ? "letter" : "policy";
}

/** Title, date and letter frame proposed for a document; the user can change them. `candidates`: the text's, if already split. */
export function documentDefaults(text: string, kind: DocumentKind, fileName: string, candidates?: readonly Candidate[]): DocumentFields {
  if (kind === "letter") {
    const frame = parseLetterFrame(text);
    const title = [frame.documentNumber, frame.title].filter(Boolean).join(" ") || fileName.replace(/\.[^.]+$/, "");
    return { kind, title: title.slice(0, 200), asOf: frame.date ?? null, letterNumber: frame.documentNumber ?? null, frame };
  }
  const heading = (candidates ?? splitIntoCandidates(text, { kind })).find((c) => c.kind === "heading" && c.level === 0);
  // The latest date written on a line of its own is the document's date (东府〔2021〕10号: 2021年1月18日).
  const dates = normalizeSourceBlocks(text)
    .map((b) => parseChineseDate(b.text))
    .filter((d): d is string => Boolean(d))
    .sort();
  return { kind, title: (heading?.title ?? fileName.replace(/\.[^.]+$/, "")).slice(0, 200), asOf: dates.at(-1) ?? null, letterNumber: null, frame: null };
}

export type ImportAnalysis = { tooMany: number } | { kind: DocumentKind; document: DocumentFields; candidates: Candidate[] };

/** Kind (when "auto"), document fields and candidates of an already checked text; past `maxCandidates` only their number. */
export function analyseImportText(p: { text: string; kind: DocumentKind | "auto"; fileName: string; maxCandidates: number }): ImportAnalysis {
  const kind = p.kind === "auto" ? detectKind(p.text) : p.kind;
  const candidates = splitIntoCandidates(p.text, { kind });
  if (candidates.length > p.maxCandidates) return { tooMany: candidates.length };
  return { kind, document: documentDefaults(p.text, kind, p.fileName, candidates), candidates };
}
