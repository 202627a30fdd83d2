/**
 * 公文校对 on a draft being written: findings of the letter the draft builds (proofreadLetter),
 * tied to the draft's blocks so the editor can mark them and apply a fix to the right block.
 */
import { type Draft, type DraftBlock, draftToLetterInput, type ProposalFacts } from "./draft";
import { type Letter, type LetterTemplate, sanitizeText, tryBuildLetter } from "./letter";
import { memo } from "./memo";
import { type Finding, proofreadLetter, proofreadText } from "./proofread";

export type DraftFinding = Finding & { part: string; blockId: string | null; blockIndex: number | null };

/**
 * The reply template's own wording, 关于对…的答复 as the bureau's letters 108 and 109 have it: the
 * title is built from the template, so a finding on it under every draft is one no handler can act
 * on (decision 010). The checker still reports it in the library, the CLI and `proofreadLetter`.
 */
const templateWording = (f: Finding & { part: string }) => f.part === "title" && f.rule === "structure.title" && f.excerpt === "关于对";

export function proofreadDraftLetter(letter: Letter, blocks: readonly DraftBlock[], opts: { requireSignature?: boolean } = {}): DraftFinding[] {
  return proofreadLetter(letter, opts)
    .filter((f) => !templateWording(f))
    .map((f) => {
      const m = /^sections\.(\d+)$/.exec(f.part);
      const i = m ? Number(m[1]) : null;
      const found = writtenThen({ ...f, blockIndex: i, blockId: i != null ? (blocks[i]?.id ?? null) : null }, i != null ? blocks[i] : undefined, letter.date);
      // a table's caption and cells are edited in its own form: a fix offered there would count in
      // 修正全部必须修改项 and never apply, so the finding names what to change and the clerk does it
      if (i != null && blocks[i]?.type === "table") {
        const { suggestion: _, ...byHand } = found;
        return byHand;
      }
      return found;
    });
}

/**
 * 今年3月 in a library paragraph means the year it was written, not the letter's: the checker said
 * to write the letter's year (改正 made a 2021 event 2026年3月), beside the 时效 note saying it was
 * written in 2021 (a review). For a block from the library with its 资料截至 date in another year,
 * the relative date is read from that date, and the message says so.
 */
function writtenThen(f: DraftFinding, b: DraftBlock | undefined, letterDate: string | null): DraftFinding {
  const asOf = b?.source?.asOf;
  if (f.rule !== "date.relative" || !asOf || !/^\d{4}-\d{2}-\d{2}$/.test(asOf) || asOf.slice(0, 4) === letterDate?.slice(0, 4)) return f;
  const text = printed(asPrinted(b));
  if (text == null) return f;
  const then = proofreadText(text, { letterDate: asOf }).find((g) => g.rule === "date.relative" && g.offset === f.offset && g.length === f.length);
  const { suggestion: _, ...rest } = f;
  return {
    ...rest,
    message: `“${f.excerpt}”写于${asOf.slice(0, 4)}年（段落库资料截至 ${asOf}）${then?.suggestion ? `，指的是“${then.suggestion}”` : ""}：请写明具体时间，并核对这一内容现在是否仍然适用。`,
    ...(then?.suggestion ? { suggestion: then.suggestion } : {}),
  };
}

/** Findings of the letter this draft builds now (none while it cannot be built: the draft's own checks say why). */
export function proofreadDraft(template: LetterTemplate, facts: ProposalFacts, draft: Draft): DraftFinding[] {
  const built = tryBuildLetter(template, draftToLetterInput(facts, draft));
  return built.ok ? proofreadDraftLetter(built.letter, draft.blocks) : [];
}

/** The block's text as printed (and as the checker saw it): an inline lead, then the text. */
function printed(b: DraftBlock): string | null {
  if (b.type === "heading") return b.text;
  if (b.type === "paragraph") return (b.lead?.text ?? "") + b.text;
  return null;
}

/**
 * The block as the letter prints it (cleaned and trimmed, as the builder does): findings' offsets
 * count from there, so a block typed with a leading "　　" or a pasted zero-width space is fixed
 * on this text; the printed letter is the same either way.
 */
function asPrinted(b: DraftBlock): DraftBlock {
  const clean = (t: string) => sanitizeText(t).trim();
  if (b.type === "heading") return { ...b, text: clean(b.text) };
  if (b.type === "paragraph") return { ...b, text: clean(b.text), ...(b.lead ? { lead: { ...b.lead, text: clean(b.lead.text) } } : {}) };
  return b;
}

function replaceIn(b: DraftBlock, offset: number, length: number, replacement: string): DraftBlock {
  if (b.type === "heading") return { ...b, text: b.text.slice(0, offset) + replacement + b.text.slice(offset + length) };
  if (b.type !== "paragraph") return b;
  const lead = b.lead?.text.length ?? 0;
  if (b.lead && offset + length <= lead) return { ...b, lead: { ...b.lead, text: b.lead.text.slice(0, offset) + replacement + b.lead.text.slice(offset + length) } };
  if (offset >= lead) return { ...b, text: b.text.slice(0, offset - lead) + replacement + b.text.slice(offset - lead + length) };
  return b; // straddles the lead and the text: left to the clerk
}

export type DraftFix = { blockId: string; offset: number; length: number; excerpt: string; replacement: string };

/**
 * Apply fixes to the draft's blocks, right to left within a block. A fix whose excerpt is no
 * longer where it was (the text changed since) is skipped, never applied somewhere else.
 */
export function applyDraftFixes(draft: Draft, fixes: readonly DraftFix[]): { draft: Draft; applied: number } {
  let applied = 0;
  const blocks = draft.blocks.map((b) => {
    const mine = fixes.filter((f) => f.blockId === b.id).sort((x, y) => y.offset - x.offset);
    if (!mine.length) return b;
    const start = asPrinted(b);
    let out = start;
    let lastStart = Number.POSITIVE_INFINITY;
    for (const f of mine) {
      const text = printed(out);
      if (text == null || f.offset + f.length > lastStart || text.slice(f.offset, f.offset + f.length) !== f.excerpt) continue;
      const next = replaceIn(out, f.offset, f.length, f.replacement);
      if (next !== out) {
        out = next;
        applied++;
        lastStart = f.offset;
      }
    }
    return out === start ? b : out;
  });
  return { draft: { ...draft, blocks }, applied };
}

/**
 * Corrections made one at a time, looked at: a doubled character may be two words meeting
 * (共和国|国民经济), and a relative date becomes a year that changes what the sentence says.
 */
const ONE_BY_ONE = new Set(["char.duplicate", "date.relative"]);

/**
 * The fixes "改正本段全部" applies: every finding of one block with exactly one right answer, whatever
 * its severity — a library paragraph copied from a PDF carries a space at every digit ("103 家"),
 * each its own 建议修改 and 改正, and one paragraph took 13 clicks (a review).
 */
export function blockFixes(findings: readonly DraftFinding[], blockId: string): DraftFix[] {
  return findings
    .filter((f) => f.blockId === blockId && f.suggestion !== undefined && !ONE_BY_ONE.has(f.rule))
    .map((f) => ({ blockId, offset: f.offset, length: f.length, excerpt: f.excerpt, replacement: f.suggestion! }));
}

/** The fixes "修正全部必须修改项" applies: must-fix findings in the body with exactly one right answer. */
export function mustFixes(findings: readonly DraftFinding[]): DraftFix[] {
  return findings
    .filter((f) => f.severity === "must" && f.suggestion !== undefined && f.blockId)
    .map((f) => ({ blockId: f.blockId!, offset: f.offset, length: f.length, excerpt: f.excerpt, replacement: f.suggestion! }));
}

/**
 * A library paragraph on its own: the text rules only — its numbering and the letter's structure
 * are judged in the letter it goes into (a paragraph may well start at "（三）").
 */
export function proofreadParagraph(text: string): Finding[] {
  return proofreadText(text).filter((f) => !f.rule.startsWith("structure."));
}

const countFindings = memo((text: string) => {
  const fs = proofreadParagraph(text);
  return { must: fs.filter((f) => f.severity === "must").length, should: fs.filter((f) => f.severity === "should").length };
});

/** Counts for a list badge (library paragraphs); tables and empty bodies have none. */
export function proofreadCounts(text: string | null): { must: number; should: number } | undefined {
  return text ? { ...countFindings(text) } : undefined;
}

/** Findings in words: up to three quoted (with their fix), then 等. */
export const listFindings = (fs: readonly DraftFinding[]) =>
  fs
    .slice(0, 3)
    .map((f) => (f.suggestion === "" ? `删去“${f.excerpt}”` : `“${f.excerpt}”${f.suggestion !== undefined ? `→“${f.suggestion}”` : ""}`))
    .join("、") + (fs.length > 3 ? " 等" : "");

/**
 * The must-fix findings a submission keeps, as said to the leader with the reason, and compared
 * after 退回: the reason given then is offered again only while the same findings stand (it was
 * offered for others, and the leader read it beside them).
 */
export const keptFindingsSummary = (must: readonly DraftFinding[]) => `保留 ${must.length} 处必须修改项（${listFindings(must)}）`;
