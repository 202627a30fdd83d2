/**
 * The draft of a reply as the handler edits it: Letter blocks that remember which library
 * paragraph version they came from, plus the choices made while drafting. Pure and
 * browser-safe: the editor, the server actions and the tests all use it.
 */
import { diffArrays, diffChars } from "diff";
import { MAX_DIFF_EDITS } from "./library";
import { leadNumbers, typedLeadOf } from "./typed-lead";
import { z } from "zod";
import {
  DISCLOSURES,
  isValidPhone,
  LEFTOVER_PLACEHOLDER,
  letterBlockSchema,
  OUTCOMES,
  sanitizeText,
  type Disclosure,
  type LetterBlock,
  type LetterInput,
  type Outcome,
} from "./letter";

export const blockSourceSchema = z.object({
  paragraphId: z.number().int(),
  versionId: z.number().int(),
  versionNo: z.number().int(),
  title: z.string(),
  /** The library text as inserted; the block is "edited" when its text differs. */
  originalText: z.string(),
  /** When the version's facts were current: "今年" in it means that year. */
  asOf: z.string().nullable().optional(),
});
export type BlockSource = z.output<typeof blockSourceSchema>;

export const draftBlockSchema = z.intersection(letterBlockSchema, z.object({ id: z.string().min(1).max(40), source: blockSourceSchema.optional() }));
export type DraftBlock = LetterBlock & { id: string; source?: BlockSource };

export const draftSchema = z.object({
  blocks: z.array(draftBlockSchema).max(2000),
  outcome: z.enum(OUTCOMES).nullable(),
  disclosure: z.enum(DISCLOSURES).nullable(),
  disclosureReason: z.string().nullable(),
  phone: z.string(),
  printSignerName: z.boolean(),
  /** Overrides the addressee from the template (e.g. the lead unit of a 会办意见). */
  addressee: z.string().nullable().optional(),
});
export type Draft = {
  blocks: DraftBlock[];
  outcome: Outcome | null;
  disclosure: Disclosure | null;
  disclosureReason: string | null;
  phone: string;
  printSignerName: boolean;
  addressee?: string | null;
};

export const OUTCOME_LABELS: Record<Outcome, string> = { A: "A 已解决或采纳", B: "B 正在解决或列入计划", C: "C 因条件限制留作参考" };

export function emptyDraft(phone: string, printSignerName: boolean): Draft {
  return { blocks: [], outcome: null, disclosure: null, disclosureReason: null, phone, printSignerName };
}

let counter = 0;
/** Block ids only need to be unique within one draft. */
export function newBlockId(): string {
  counter = (counter + 1) % 1_000_000;
  return `b${Date.now().toString(36)}${counter.toString(36)}`;
}

/** The text a block is compared by (paragraph lead included). */
export function blockText(b: LetterBlock): string {
  if (b.type === "paragraph") return (b.lead ? b.lead.text : "") + b.text;
  if (b.type === "heading") return b.text;
  return b.rows.map((r) => r.join("\t")).join("\n");
}

/** Numbering that opens a lead ("三、", "（二）", "3."): renumbering a reused section is not an edit of its wording. */
// (not "3.5亿元": a figure that opens the text is wording)
const LEAD_NUMBER = /^\s*(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+[.．、](?!\d))/;

/**
 * A section heading typed at the start of a paragraph ("一、完善顶层设计。…") in a letter whose
 * other sections carry theirs as 行内标题 at that level: made a 行内标题 too, so the sections look
 * alike (typedLeadOf says which openings are such headings). Letter 108 went out with 一、 and 二、
 * plain and 三、 to 八、 bold; answering like it carried the mix into a new signed letter. A letter
 * with no such leads is left as written.
 */
export function liftTypedLeads<B extends LetterBlock>(blocks: readonly B[]): B[] {
  const numbers = leadNumbers(blocks.flatMap((b) => (b.type === "paragraph" && b.lead ? [b.lead] : [])));
  return blocks.map((b) => {
    if (b.type !== "paragraph" || b.lead) return b;
    const typed = typedLeadOf(b.text, numbers);
    if (!typed) return b;
    const s = b.text.trimStart();
    return { ...b, lead: { level: typed.level, text: typed.heading }, text: s.slice(typed.heading.length) };
  });
}

export function isEditedFromLibrary(b: DraftBlock): boolean {
  if (!b.source) return false;
  // Spaces are no wording: library text read from a PDF keeps "2020 年", "1.5 万家", which the letter
  // drops (公文 set no space there) — that read as 已修改, and 新版本 offered "连同您的修改一起替换".
  const norm = (t: string) => sanitizeText(t).replace(/\s+/g, "").replace(LEAD_NUMBER, "");
  return norm(blockText(b)) !== norm(b.source.originalText);
}

/**
 * A 主送 the same as the 主办单位 is no override of it: the editor shows the 主办单位 in the field
 * when the draft has none, and posted back unchanged it must not pin the old unit once the
 * proposal's 主办单位 is corrected.
 */
export function withoutDefaultAddressee(d: Draft, leadUnit: string | null | undefined): Draft {
  return d.addressee != null && d.addressee.trim() === (leadUnit ?? "").trim() ? { ...d, addressee: null } : d;
}

/** Text that XML cannot hold or that Word pasted in is cleaned at every boundary, not only in forms. */
export function sanitizeDraft(d: Draft): Draft {
  const c = (t: string) => sanitizeText(t);
  return {
    ...d,
    blocks: d.blocks.map((b) =>
      b.type === "table"
        ? { ...b, rows: b.rows.map((r) => r.map(c)) }
        : b.type === "paragraph"
          ? { ...b, text: c(b.text), ...(b.lead ? { lead: { ...b.lead, text: c(b.lead.text) } } : {}) }
          : { ...b, text: c(b.text) },
    ),
    disclosureReason: d.disclosureReason == null ? null : c(d.disclosureReason),
    phone: c(d.phone).trim(),
    ...(d.addressee != null ? { addressee: c(d.addressee) } : {}),
  };
}

export type DraftOp =
  | { op: "up" | "down" | "remove"; index: number }
  | { op: "add"; kind: "heading1" | "heading2" | "paragraph"; index: number }
  | { op: "insert"; index: number; block: DraftBlock };

/** Reorder, remove, add: returns a new draft, never mutates. Out-of-range ops change nothing. */
export function applyDraftOp(d: Draft, o: DraftOp): Draft {
  const blocks = [...d.blocks];
  const i = o.index;
  switch (o.op) {
    case "up":
      if (i > 0 && i < blocks.length) [blocks[i - 1], blocks[i]] = [blocks[i], blocks[i - 1]];
      break;
    case "down":
      if (i >= 0 && i < blocks.length - 1) [blocks[i + 1], blocks[i]] = [blocks[i], blocks[i + 1]];
      break;
    case "remove":
      if (i >= 0 && i < blocks.length) blocks.splice(i, 1);
      break;
    case "add": {
      const block: DraftBlock =
        o.kind === "paragraph" ? { id: newBlockId(), type: "paragraph", text: "" } : { id: newBlockId(), type: "heading", level: o.kind === "heading1" ? 1 : 2, text: "" };
      blocks.splice(Math.max(0, Math.min(i, blocks.length)), 0, block);
      break;
    }
    case "insert":
      blocks.splice(Math.max(0, Math.min(i, blocks.length)), 0, o.block);
      break;
  }
  return { ...d, blocks };
}

/** What blocks sign-off from the draft itself, with the field it concerns (zh-CN). */
export function draftProblems(d: Draft, opts: { requireOutcome: boolean; requireDisclosure: boolean }): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  if (!d.blocks.some((b) => (b.type === "paragraph" && b.text.trim()) || b.type === "table")) out.push({ field: "blocks", message: "答复正文不能为空：请至少写一段正文" });
  // The same checks as signing's (letterProblems): a draft they would refuse is refused at 提交签发, with the block named.
  d.blocks.forEach((b, i) => {
    if (b.type !== "table" && !blockText(b).trim()) out.push({ field: `block-${i}`, message: `第 ${i + 1} 段是空的：请填写或删除` });
    if (b.type === "table" && !b.rows.some((r) => r.some((c) => c.trim()))) out.push({ field: `block-${i}`, message: `第 ${i + 1} 段的表格是空的：请填写或删除` });
    const placeholder = LEFTOVER_PLACEHOLDER.exec(`${blockText(b)}${b.type === "table" && b.caption ? `\n${b.caption}` : ""}`);
    if (placeholder) out.push({ field: `block-${i}`, message: `第 ${i + 1} 段还有未替换的占位符 ${placeholder[0]}` });
  });
  // a heading heads what follows it: the last block one stood alone above the signature (printed so too)
  const last = d.blocks.length - 1;
  if (last >= 0 && d.blocks[last]!.type === "heading" && blockText(d.blocks[last]!).trim())
    out.push({ field: `block-${last}`, message: `第 ${last + 1} 段是标题，其后没有正文：请补写正文，或删除该标题` });
  if (opts.requireOutcome && !d.outcome) out.push({ field: "outcome", message: "请选择办理结果分类" });
  if (opts.requireDisclosure && !d.disclosure) out.push({ field: "disclosure", message: "请选择公开方式" });
  if (d.disclosure && d.disclosure !== "主动公开" && !d.disclosureReason?.trim()) out.push({ field: "disclosureReason", message: `选择“${d.disclosure}”须说明理由` });
  if (!d.phone.trim()) out.push({ field: "phone", message: "请填写承办人联系电话" });
  else if (!isValidPhone(d.phone)) out.push({ field: "phone", message: "联系电话格式不正确，例如 28685020 或 0769-28685020" });
  return out;
}

export type ProposalFacts = {
  meeting: string;
  number: string;
  title: string;
  proposers: { kind: "body" | "member"; name: string }[];
  proposerTotal?: number | null;
  leadUnit?: string | null;
  handlerName: string;
};

/** The LetterInput for buildLetter: proposal facts + the draft (+ signing facts once signed). */
export function draftToLetterInput(p: ProposalFacts, d: Draft, signing?: { documentNumber: string; date: string; leaderName: string }): LetterInput {
  return {
    meeting: p.meeting,
    proposalNumber: p.number,
    proposalTitle: p.title,
    proposers: p.proposers,
    proposerTotal: p.proposerTotal ?? null,
    leadUnit: p.leadUnit ?? null,
    addressee: d.addressee ?? null,
    documentNumber: signing?.documentNumber ?? null,
    sections: d.blocks.map(({ id: _id, source: _source, ...b }) => b as LetterBlock),
    handlerName: p.handlerName,
    phone: d.phone,
    leaderName: signing?.leaderName ?? null,
    printSignerName: d.printSignerName,
    date: signing?.date ?? null,
    disclosure: d.disclosure,
    disclosureReason: d.disclosureReason,
    outcome: d.outcome,
    draft: !signing,
  };
}

/** The draft as readable lines, for revision diffs. */
export function draftLines(d: Draft): string[] {
  // As the letter reads: headings as written (no markup), the outcome by its name.
  const lines = d.blocks.map((b) => blockText(b));
  // 主送 is the template's unless set (a 会办意见's unit): a change of it is a change of the letter
  if (d.addressee?.trim()) lines.unshift(`主送：${d.addressee.trim()}`);
  lines.push(
    `办理结果：${d.outcome ? OUTCOME_LABELS[d.outcome] : "未选"}`,
    `公开方式：${d.disclosure ?? "未选"}${d.disclosureReason ? `（${d.disclosureReason}）` : ""}`,
    `联系电话：${d.phone}`,
  );
  return lines;
}

export type DiffPart = { value: string; added?: boolean; removed?: boolean };

/**
 * Character diff (Chinese has no word boundaries) between two texts. A change split by one or two
 * unchanged characters reads as one: 2.9 → 3.1 is [-2.9][+3.1], not [-2][+3].[-9][+1] (which read
 * as "23.91").
 */
export function textDiff(before: string, after: string): DiffPart[] {
  // bounded as the library's diff is: texts rewritten throughout are shown as replaced
  const changes = diffChars(before, after, { maxEditLength: MAX_DIFF_EDITS });
  if (!changes) return [...(before ? [{ value: before, removed: true }] : []), ...(after ? [{ value: after, added: true }] : [])];
  const out: DiffPart[] = [];
  let removed = "";
  let added = "";
  const flush = () => {
    if (removed) out.push({ value: removed, removed: true });
    if (added) out.push({ value: added, added: true });
    removed = added = "";
  };
  changes.forEach((c, i) => {
    if (c.removed) removed += c.value;
    else if (c.added) added += c.value;
    else if ((removed || added) && [...c.value].length <= 2 && !c.value.includes("\n") && i + 1 < changes.length) {
      // a short unchanged stretch between two changes: part of both sides of one change
      removed += c.value;
      added += c.value;
    } else {
      flush();
      out.push({ value: c.value });
    }
  });
  flush();
  return out;
}

/**
 * A diff to read: long unchanged stretches between (or around) the changes shrink to their
 * ends with a count of what is left out, so the changes are on screen, not at the bottom of
 * a 2,000-character paragraph. A diff without changes is left whole.
 */
export function foldUnchanged(parts: readonly DiffPart[], context = 40): (DiffPart & { folded?: number })[] {
  if (!parts.some((p) => p.added || p.removed)) return [...parts];
  return parts.flatMap((p, i) => {
    if (p.added || p.removed) return [p];
    const chars = [...p.value];
    const keepStart = i === 0 ? 0 : context;
    const keepEnd = i === parts.length - 1 ? 0 : context;
    const dropped = chars.length - keepStart - keepEnd;
    if (dropped <= context) return [p];
    return [
      ...(keepStart ? [{ value: chars.slice(0, keepStart).join("") }] : []),
      { value: "", folded: dropped },
      ...(keepEnd ? [{ value: chars.slice(chars.length - keepEnd).join("") }] : []),
    ];
  });
}

/**
 * What changed between two drafts, paragraph by paragraph: the paragraphs are lined up first (an
 * unchanged one stays whole, a moved or new one is one block), and only a paragraph rewritten in
 * place is compared character by character. One character diff over the whole letter mixed the
 * words of different paragraphs ("三、系统规划引领。会同下一步…", 2.9 → 3.1 read as "23.91") and the
 * leader could not tell what had changed.
 */
export function draftDiff(before: Draft | null, after: Draft): DiffPart[] {
  const lines: DiffPart[][] = [];
  const whole = (list: string[], kind: "added" | "removed") => {
    for (const value of list) lines.push([{ value, [kind]: true }]);
  };
  const hunks = diffArrays(before ? draftLines(before) : [], draftLines(after));
  for (let i = 0; i < hunks.length; i++) {
    const h = hunks[i]!;
    if (!h.added && !h.removed) {
      for (const value of h.value) lines.push([{ value }]);
      continue;
    }
    const next = hunks[i + 1];
    if (!h.removed || !next?.added) {
      whole(h.value, h.added ? "added" : "removed");
      continue;
    }
    // paragraphs replaced in place: the same position's old and new text compared where they are
    // still the same paragraph (most of it kept), else the old shown removed and the new added
    i++;
    const [was, now] = [h.value, next.value];
    for (let k = 0; k < Math.max(was.length, now.length); k++) {
      const [a, b] = [was[k], now[k]];
      if (a === undefined || b === undefined) {
        if (a !== undefined) whole([a], "removed");
        if (b !== undefined) whole([b], "added");
        continue;
      }
      const parts = textDiff(a, b);
      const kept = parts.filter((p) => !p.added && !p.removed).reduce((n, p) => n + [...p.value].length, 0);
      if (kept * 2 >= Math.max([...a].length, [...b].length)) lines.push(parts);
      else {
        whole([a], "removed");
        whole([b], "added");
      }
    }
  }
  return lines.flatMap((line, i) => (i ? [{ value: "\n" }, ...line] : line));
}

export const DISCLOSURE_TO_WORKFLOW: Record<Disclosure, "public" | "on_request" | "not_public"> = { 主动公开: "public", 依申请公开: "on_request", 不予公开: "not_public" };
