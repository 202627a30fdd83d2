/**
 * 公文校对 (proofreading before signing): a pure checker for 提案答复 reply letters.
 *
 * Rules follow GB/T 15834-2011 (标点符号用法), GB/T 15835-2011 (出版物上数字用法) and GB/T 9704-2012
 * (党政机关公文格式), plus the checklist items the bureau's reviewers apply; the rule list with sources
 * is in the proofreading reference (shared/reference/proofreading.md). The research recommended
 * textlint-rule-prh for the word-pair list and @node-rs/jieba for word segmentation. We did not
 * adopt them: jieba is a native (napi) module with a 14 MB dictionary that cannot run in the
 * browser, where the editor shows findings as the clerk types, and prh's job (fixed wrong → right
 * pairs) is covered by a small data file, app/domain/proofread-words.json. Segmentation is replaced
 * by narrow heuristics: duplicated characters are checked against a list of real reduplications and
 * word-boundary contexts (市|市场监管局, 往年|年度) and against the words of the document itself; the
 * character 一 is only taken for a dash in a chain of two or more between short noun phrases.
 * Everything here is pure TypeScript with no Node APIs, so it runs on the server and in the browser.
 *
 * Severity ("must" blocks signing) is calibrated on published texts: a pattern that the three
 * published policy documents in seeds/source contain (half-width brackets, 2021-2025年, 》、《,
 * spaces around numbers, 截止目前) is reported as "should", never "must".
 */
import { type Letter, blockLines, disclosureLine, formatLetterDate, isValidIsoDate, signatureLines } from "./letter";
import { mapRange, normalizeText } from "./proofread/normalize";
import { REDACTION_CLOSE, REDACTION_OPEN, unbalancedMarks } from "./redaction";
import { dateRules, docNumberRules, droppedChar, findLetterDate, structureRules, styleRules, swappedChars } from "./proofread/rules-doc";
import {
  charDuplicate,
  charEmoji,
  charPrivateUse,
  charLookalike,
  charOutsideGb2312,
  numbers,
  punctBalance,
  punctDoubled,
  punctEllipsisDash,
  punctEnumComma,
  punctModifierComma,
  punctListComma,
  punctClauseComma,
  punctHalfwidth,
  punctQuotes,
  punctRange,
  punctYiDash,
  resolveQuotes,
  spacing,
  wordPairs,
} from "./proofread/rules-text";
import type { Doc, Finding, Para, ProofreadOptions, RawFinding } from "./proofread/types";

export { SEVERITY_LABELS } from "./proofread/types";
export type { Finding, ProofreadOptions, Severity } from "./proofread/types";
export { WORD_PAIRS } from "./proofread/rules-text";

/** Rule ids with their default severity (for the UI's legend and the bench). */
export const RULES = {
  "date.zero-circle": "must",
  "date.format": "must",
  "date.invalid": "must",
  "date.docnumber-year": "must",
  "date.style": "should",
  "date.relative": "should",
  "docnumber.format": "must",
  "structure.title": "should",
  "structure.addressee": "must",
  "structure.numbering": "must",
  "structure.heading-punct": "should",
  "structure.placeholder": "must",
  "structure.signature": "must",
  "structure.required": "should",
  "structure.seal": "check",
  "structure.lead-style": "should",
  "structure.duplicate-heading": "must",
  "structure.repeated-paragraph": "must",
  "punct.halfwidth": "must",
  "punct.quotes": "must",
  "punct.unbalanced": "must",
  "punct.nested-title": "should",
  "punct.enum-comma": "should",
  "punct.range": "should",
  "punct.yi-dash": "must",
  "punct.doubled": "must",
  "punct.ellipsis": "must",
  "punct.dash": "must",
  "punct.interpunct": "should",
  "char.duplicate": "should",
  "char.dropped": "should",
  "char.lookalike": "must",
  "char.font": "check",
  "char.emoji": "must",
  "char.private-use": "must",
  wordpair: "should",
  spacing: "should",
  "spacing.line-end": "should",
  "number.range-unit": "must",
  "number.mixed": "must",
  "number.numeral-style": "should",
  "number.unit": "should",
  "style.self-reference": "should",
  "style.abbreviation": "should",
  "style.redundant": "should",
  "redaction.unbalanced": "must",
} as const;

function runRules(doc: Doc): RawFinding[] {
  const out: RawFinding[] = [];
  const push = (f: RawFinding) => out.push(f);
  const claimed = new Set<number>();
  docNumberRules(doc, push);
  dateRules(doc, push);
  for (const f of out) if (f.rule === "date.zero-circle") claimed.add(f.start);
  punctYiDash(doc, push, claimed);
  charLookalike(doc, push, claimed);
  charOutsideGb2312(doc, push);
  charEmoji(doc, push);
  // before the spacing rule: a Word bullet's fix takes the tab after it too
  charPrivateUse(doc, push);
  const quotes = resolveQuotes(doc);
  punctQuotes(doc, push, quotes);
  punctHalfwidth(doc, push);
  punctBalance(doc, push);
  punctEnumComma(doc, push);
  punctModifierComma(doc, push);
  punctListComma(doc, push);
  punctClauseComma(doc, push);
  punctDoubled(doc, push);
  punctEllipsisDash(doc, push);
  punctRange(doc, push);
  charDuplicate(doc, push);
  droppedChar(doc, push);
  swappedChars(doc, push);
  wordPairs(doc, push);
  spacing(doc, push);
  numbers(doc, push);
  structureRules(doc, push);
  styleRules(doc, push);
  // one fix per character: a later overlapping finding keeps its message but loses its fix
  // (which fix holds each character, not a list searched per finding: thousands of findings in a
  // pasted run of punctuation made that quadratic)
  const fixOf = new Map<number, number>();
  const insertions: number[] = [];
  out.forEach((f, n) => {
    if (f.suggestion === undefined) return;
    let overlaps = insertions.some((x) => f.start < x && f.end > x);
    if (f.start === f.end) overlaps ||= fixOf.has(f.start - 1) && fixOf.get(f.start - 1) === fixOf.get(f.start);
    for (let i = f.start; i < f.end && !overlaps; i++) overlaps = fixOf.has(i);
    if (overlaps) delete f.suggestion;
    else if (f.start === f.end) insertions.push(f.start);
    else for (let i = f.start; i < f.end; i++) fixOf.set(i, n);
  });
  // the same rule at the same place once — the must-fix one where both were found: a "should" read
  // first hid a must-fix at the same place (a wrong-level heading number passed as 序号不连续)
  const kept = new Map<string, RawFinding>();
  for (const f of out) {
    const k = `${f.rule}@${f.start}-${f.end}`;
    const before = kept.get(k);
    if (!before || (f.severity === "must" && before.severity !== "must")) kept.set(k, f);
  }
  return [...kept.values()];
}

function newDoc(text: string, paras: Para[], mode: Doc["mode"], opts: ProofreadOptions): Doc {
  return {
    text,
    paras,
    mode,
    letterDate: opts.letterDate && isValidIsoDate(opts.letterDate) ? opts.letterDate : null,
    dateStyle: opts.dateStyle ?? null,
    authority: opts.authority ?? null,
    resolved: text,
    docNumberSpans: [],
  };
}

const byPosition = (a: Finding, b: Finding) => a.offset - b.offset || a.length - b.length || a.rule.localeCompare(b.rule);

/**
 * Check free text (a paragraph, a .txt file). Wrapped lines and page breaks are joined before
 * checking, so a character duplicated across a line break ("专\n专精特新") is found and a 《…》
 * title wrapping a line is not "unbalanced". Without `letterDate`, the 成文日期 written at the end
 * of the text (二〇二一年五月十九日) is used; without `authority`, a header line ending in 局/委/办.
 */
export function proofreadText(text: string, opts: ProofreadOptions = {}): Finding[] {
  const norm = normalizeText(text);
  const doc = newDoc(
    norm.text,
    norm.paras.map((p) => ({ ...p, kind: "text" as const })),
    "text",
    opts,
  );
  if (!doc.letterDate) doc.letterDate = findLetterDate(doc)?.iso ?? null;
  if (!doc.authority) {
    const header = doc.paras.slice(0, 3).map((p) => norm.text.slice(p.start, p.end).trim());
    const isReply = /答复|东[^\s〔]{1,6}函〔/.test(norm.text.slice(0, 400));
    doc.authority = isReply ? (header.find((h) => /^[\u4e00-\u9fff]{4,20}(?:局|委员会|办公室|厅)$/.test(h)) ?? null) : null;
    // no header line (a PDF copy starts with the 文号): the 机关代字 names the bureau, 东工信函 → 市工信局
    const code = isReply && !doc.authority ? /^\s*([\u4e00-\u9fff]{3,8}?)[函发字办]?[〔[［【(（]/.exec(norm.text.slice(0, 60)) : null;
    if (code && code[1].length >= 3) doc.authority = `市${code[1].slice(1)}局`;
  }
  const findings: Finding[] = runRules(doc).map((f) => {
    const [a, b] = mapRange(norm.map, f.start, f.end);
    return {
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      excerpt: text.slice(a, b),
      offset: a,
      length: b - a,
      ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
    };
  });
  // spaces at line ends (the normaliser trims them, so they are found on the source)
  let pos = 0;
  for (const line of text.split("\n")) {
    // counted back from the line's end: a regex anchored at $ tried every space of a long run
    // (quadratic: 40,000 spaces inside a line took 2–3 s)
    const end = line.endsWith("\r") ? line.length - 1 : line.length;
    let from = end;
    while (from > 0 && " \t\u3000\u00A0".includes(line[from - 1]!)) from--;
    if (from < end && line.trim()) {
      findings.push({
        rule: "spacing.line-end",
        severity: "should",
        message: "行末有多余的空格，应删除。",
        excerpt: line.slice(from, end),
        offset: pos + from,
        length: end - from,
        suggestion: "",
      });
    }
    pos += line.length + 1;
  }
  return findings.sort(byPosition);
}

/** Paragraphs shorter than this may repeat on purpose (特此函复。, 感谢您对我局工作的支持。). */
const REPEATED_PARAGRAPH_MIN_CHARS = 20;

/**
 * Check a whole Letter value part by part: "documentNumber" | "title" | "addressee" | "opening" |
 * `sections.${i}` | "signature" | "date" | "disclosure". Offsets are relative to the part's text:
 * a heading's text; a paragraph's lead followed by its text (as printed); a table's caption and
 * rows (cells joined with a tab, rows with a newline); the signature lines joined with a newline
 * (领导签字：…, 承办人姓名：…, 联系电话：…); the formatted 成文日期; the 公开方式 line.
 * `requireSignature`: the letter is being sent, so an empty 领导签字 (and a missing date) must be fixed.
 */
export function proofreadLetter(letter: Letter, opts: { requireSignature?: boolean } = {}): (Finding & { part: string })[] {
  const parts: { part: string; text: string; para: Omit<Para, "start" | "end"> }[] = [];
  if (letter.documentNumber) parts.push({ part: "documentNumber", text: letter.documentNumber, para: { kind: "documentNumber" } });
  parts.push({ part: "title", text: letter.title, para: { kind: "title" } });
  parts.push({ part: "addressee", text: letter.addressee, para: { kind: "addressee" } });
  parts.push({ part: "opening", text: letter.opening, para: { kind: "opening" } });
  letter.sections.forEach((b, i) => {
    const text = blockLines(b).join("\n");
    if (b.type === "heading") parts.push({ part: `sections.${i}`, text, para: { kind: "heading", level: b.level } });
    else if (b.type === "paragraph")
      parts.push({ part: `sections.${i}`, text, para: b.lead ? { kind: "lead-paragraph", level: b.lead.level, leadLength: b.lead.text.length } : { kind: "text" } });
    else parts.push({ part: `sections.${i}`, text, para: { kind: "table" } });
  });
  parts.push({ part: "signature", text: signatureLines(letter).join("\n"), para: { kind: "signature" } });
  const dateText = letter.date && isValidIsoDate(letter.date) ? formatLetterDate(letter.date, letter.dateStyle) : "";
  parts.push({ part: "date", text: dateText, para: { kind: "date" } });
  parts.push({ part: "disclosure", text: disclosureLine(letter) ?? "", para: { kind: "disclosure" } });

  // one Doc: parts joined with "\n"; a part with line breaks becomes several paragraphs of its kind
  let text = "";
  const paras: Para[] = [];
  const starts: number[] = [];
  parts.forEach((p, k) => {
    if (k > 0) text += "\n";
    starts.push(text.length);
    let off = text.length;
    p.text.split("\n").forEach((line, j) => {
      paras.push({ ...p.para, start: off, end: off + line.length, ...(j > 0 ? { leadLength: undefined, kind: p.para.kind === "lead-paragraph" ? "text" : p.para.kind } : {}) });
      off += line.length + 1;
    });
    text += p.text;
  });
  const doc = newDoc(text, paras, "letter", { letterDate: letter.date, dateStyle: letter.dateStyle, authority: letter.authority });
  const out: (Finding & { part: string })[] = runRules(doc).map((f) => {
    let k = starts.length - 1;
    while (k > 0 && starts[k] > f.start) k--;
    const base = starts[k];
    const end = Math.min(f.end, base + parts[k].text.length);
    return {
      part: parts[k].part,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      excerpt: text.slice(f.start, end),
      offset: f.start - base,
      length: end - f.start,
      ...(f.suggestion !== undefined ? { suggestion: f.suggestion } : {}),
    };
  });

  // the model's own parts
  if (letter.documentNumber && !out.some((f) => f.part === "documentNumber" && f.rule === "docnumber.format")) {
    if (!/^[\u4e00-\u9fff]+〔(?:19|20)\d{2}〕[1-9]\d*号$/.test(letter.documentNumber)) {
      out.push({
        part: "documentNumber",
        rule: "docnumber.format",
        severity: "must",
        message: "发文字号格式应为“代字〔年份〕序号号”（GB/T 9704-2012 7.2.5）。",
        excerpt: letter.documentNumber,
        offset: 0,
        length: letter.documentNumber.length,
      });
    }
  }
  // The same paragraph twice: inserted again from the library or a past letter right after its copy
  // printed it twice, and no rule said so (a review). Compared without white space and its lead; short
  // lines (特此函复。) may well repeat.
  const seen = new Map<string, number>();
  letter.sections.forEach((b, i) => {
    if (b.type !== "paragraph") return;
    const key = b.text.replace(/\s+/g, "");
    if (key.length < REPEATED_PARAGRAPH_MIN_CHARS) return;
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, i);
      return;
    }
    const part = parts.find((p) => p.part === `sections.${i}`)!;
    out.push({
      part: part.part,
      rule: "structure.repeated-paragraph",
      severity: "must",
      message: `与第 ${first + 1} 段的文字相同：同一段印了两遍，请删去其中一段。`,
      excerpt: part.text,
      offset: 0,
      length: part.text.length,
    });
  });
  // 〖〗 marks, read across the fields as the public version reads them: one left unpaired hides
  // more than meant there (fail closed), and that is still not what the officer marked
  const marked = parts.filter((p) => ["title", "addressee", "opening"].includes(p.part) || p.part.startsWith("sections."));
  const marks = unbalancedMarks(marked.map((p) => p.text));
  const unpaired = [
    { at: marks.open, mark: REDACTION_OPEN, message: "“〖”没有对应的“〗”：公开版本会从这里起隐去到全文末尾。请在要隐去的文字末尾加“〗”。" },
    {
      at: marks.stray,
      mark: REDACTION_CLOSE,
      message: "“〗”没有对应的“〖”：公开版本会隐去它所在这一栏（行内标题、正文或表格的一格）从开头到这里的文字。请在要隐去的文字开头加“〖”。",
    },
  ];
  for (const { at, mark, message } of unpaired)
    for (const [f, i] of at) out.push({ part: marked[f]!.part, rule: "redaction.unbalanced", severity: "must", message, excerpt: mark, offset: i, length: 1 });
  if (opts.requireSignature) {
    if (!letter.signature.leaderName?.trim()) {
      out.push({
        part: "signature",
        rule: "structure.signature",
        severity: "must",
        message: `“${letter.signature.leaderLabel}”为空：发出的答复函须由领导签字。`,
        excerpt: `${letter.signature.leaderLabel}：`,
        offset: 0,
        length: letter.signature.leaderLabel.length + 1,
      });
    }
    if (!dateText) out.push({ part: "date", rule: "structure.required", severity: "must", message: "缺少成文日期。", excerpt: "", offset: 0, length: 0 });
  }
  if (letter.kind === "reply" && !letter.disclosure) {
    out.push({
      part: "disclosure",
      rule: "structure.required",
      severity: "should",
      message: "缺少“公开方式”（主动公开/依申请公开/不予公开）。",
      excerpt: "",
      offset: 0,
      length: 0,
    });
  }
  return out.sort((a, b) => parts.findIndex((p) => p.part === a.part) - parts.findIndex((p) => p.part === b.part) || byPosition(a, b));
}

/** Apply every finding that has a suggestion (non-overlapping, right to left). Idempotent. */
export function applyFixes(text: string, findings: Finding[]): string {
  const fixes = findings
    .filter((f) => f.suggestion !== undefined && text.slice(f.offset, f.offset + f.length) === f.excerpt)
    .sort((a, b) => b.offset - a.offset || b.length - a.length);
  let out = text;
  let limit = Number.POSITIVE_INFINITY;
  for (const f of fixes) {
    if (f.offset + f.length > limit) continue; // overlaps a fix already applied
    out = out.slice(0, f.offset) + f.suggestion + out.slice(f.offset + f.length);
    limit = f.offset;
  }
  return out;
}
