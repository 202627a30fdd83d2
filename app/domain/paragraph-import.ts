/**
 * Paragraph import (段落导入): turns the text of a policy document or a reply
 * letter into candidate library paragraphs. Pure and browser-safe: no I/O.
 *
 * Pipeline: bytes → `decodeTextBuffer` → `validateImportText` →
 * `normalizeSourceBlocks` (undo PDF-extraction artefacts) → `splitIntoCandidates`
 * (+ `parseLetterFrame` for letters) → the UI's accept / merge / split / discard.
 *
 * Text policy (why): the library keeps the source wording so that the original
 * letters can be rebuilt word for word. Only extraction artefacts are removed:
 * BOM, \r, zero-width characters, page-break rules (`---`), hard line wraps,
 * indentation, markdown markers (`#`, `**`). Spaces inside a line ("103 家",
 * "2020 年", "战略性 支柱") are kept exactly; full-width and no-break spaces
 * inside a line become one ASCII space each. Two exceptions, both reported in
 * `Candidate.notes`: a character doubled across a page break ("推动专|专精特新")
 * is dropped, and a responsible-units parenthetical standing alone after a
 * paragraph ("（市商务局、…）") is appended to that paragraph. Such responsibility
 * tags of policy plans ("（市工业和信息化局牵头，…配合）", "（责任单位：…）",
 * "责任单位：…") are then split off into `Candidate.annotation`: a reply quotes
 * the measure, not who in the city government is in charge of it.
 */

// ---------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------

export type ImportKind = "policy" | "letter";

export type CandidateKind = "heading" | "paragraph" | "table" | "box";

export type CandidateLevel = 0 | 1 | 2 | 3;

export interface Candidate {
  index: number;
  kind: CandidateKind;
  /**
   * 0 = document title or text before the first section; 1 = 一、; 2 = （一）;
   * 3 = 1. / （1） / 专栏 inside a section. A plain paragraph takes the level
   * of the section it sits in.
   */
  level: CandidateLevel;
  /** Canonical headings above, including the candidate's own heading: ["三、重点任务", "（一）构建产业发展新格局"]. */
  headingPath: string[];
  /** Proposed short title for the library ("完善顶层设计"). */
  title: string;
  /** Source numbering ("一、", "(一)", "1. "), kept so the original can be rebuilt as marker + lead + text. */
  marker?: string;
  /** Inline lead heading sentence with its punctuation ("完善顶层设计。"); not part of `text`. */
  lead?: string;
  /** The body. Tables: rows joined by "\n", cells by "\t". Boxes: items joined by "\n". */
  text: string;
  /** Responsibility tags that ended the paragraph in its source, without their brackets. */
  annotation?: string;
  /** The second half of a split paragraph: merged back, it joins with no line break (it read "…120万元；\n对首次…"). */
  continues?: boolean;
  rows?: string[][];
  /** zh-CN notes about automatic fixes the user should be able to check. */
  notes?: string[];
}

export interface LetterFrame {
  authority?: string;
  documentNumber?: string;
  title?: string;
  /** e.g. "东莞市政协第十三届六次会议" */
  session?: string;
  /** The proposal number as a string ("10121"), never an integer. */
  proposalNumber?: string;
  addressee?: string;
  /** The 案由, without 《》. */
  caseTitle?: string;
  signer?: string;
  handler?: string;
  phone?: string;
  /** ISO date (YYYY-MM-DD). */
  date?: string;
  disclosure?: string;
}

export interface SourceBlock {
  kind: "text" | "table";
  /** Clean text of the paragraph (markdown markers stripped). Tables: rows joined by "\n", cells by "\t". */
  text: string;
  rows?: string[][];
  /** Structure hint: the `#` depth the source gave this line. */
  markdownLevel?: number;
  /** Structure hint: the text the source wrapped in `**…**` at the start of the paragraph. */
  boldLead?: string;
  notes: string[];
}

// ---------------------------------------------------------------------------
// Character classes and small helpers
// ---------------------------------------------------------------------------

const TERMINAL = new Set(["。", "！", "？", "；", "：", "…", "!", "?", ";", ":"]);
const CLOSERS = new Set(["”", "’", '"', "'", "』", "」", "）", ")", "〕", "】", "》"]);
const OPEN_TO_CLOSE: Record<string, string> = { "（": "）", "(": ")", "〔": "〕", "【": "】" };
const CLOSE_TO_OPEN: Record<string, string> = { "）": "（", ")": "(", "〕": "〔", "】": "【" };

/** Characters that legitimately double in Chinese (人人, 层层, 扎扎实实): never treated as a page-break duplicate. */
const REDUPLICABLE = new Set(
  Array.from("人天年月日家户个各处层步渐常时刚仅恰往偏明稍多重累谢看试想说等事样条点滴纷频屡匆悄默深紧牢实稳好早久足整统大高远小轻慢快认真扎踏清楚干净明白快乐平安热闹密麻哈呵嘻"),
);

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;
const ASCII_WORD = /[A-Za-z0-9]/;

/** Display width in full-width units: ASCII counts half (line-wrap detection). */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c < 0x2e80 || (c >= 0xff61 && c <= 0xff9f) ? 0.5 : 1;
  }
  return w;
}

function lastChar(s: string): string {
  // Only the tail: paragraphs grow line by line and must not be rescanned.
  const chars = Array.from(s.slice(-2));
  return chars[chars.length - 1] ?? "";
}

function firstChar(s: string): string {
  return Array.from(s)[0] ?? "";
}

/** Does the text end a sentence (。！？；：… possibly followed by closing quotes), or end with "。（units）"? */
export function endsSentence(text: string): boolean {
  // The tail is enough (and keeps joining long paragraphs linear).
  const s = (text.length > 400 ? text.slice(-400) : text).trimEnd();
  const chars = Array.from(s);
  let i = chars.length - 1;
  while (i >= 0 && CLOSERS.has(chars[i]!)) {
    if (TERMINAL.has(chars[i - 1] ?? "")) return true;
    i--;
  }
  if (i >= 0 && TERMINAL.has(chars[i]!)) return true;
  // "…协调机制。（市工业和信息化局）": a trailing parenthetical after a full stop.
  const last = chars[chars.length - 1] ?? "";
  const open = CLOSE_TO_OPEN[last];
  if (open) {
    let depth = 0;
    for (let j = chars.length - 1; j >= 0; j--) {
      const c = chars[j]!;
      if (CLOSE_TO_OPEN[c]) depth++;
      else if (OPEN_TO_CLOSE[c]) {
        depth--;
        if (depth === 0) return j === 0 || TERMINAL.has(chars[j - 1]!);
      }
    }
  }
  return false;
}

/** The whole text is one bracketed group: "（征求意见稿）", "（市商务局、市投促局）". */
function isWholeParenthetical(text: string): boolean {
  const s = text.trim();
  const close = OPEN_TO_CLOSE[s[0] ?? ""];
  if (!close || s.length < 3 || s.length > 500) return false;
  let depth = 0;
  const chars = Array.from(s);
  for (let j = 0; j < chars.length; j++) {
    const c = chars[j]!;
    if (OPEN_TO_CLOSE[c]) depth++;
    else if (CLOSE_TO_OPEN[c]) {
      depth--;
      if (depth === 0) return j === chars.length - 1;
    }
  }
  return false;
}

// ---------------------------------------------------------------------------
// Chinese numbers and dates
// ---------------------------------------------------------------------------

const CN_DIGIT: Record<string, number> = {
  〇: 0,
  "○": 0,
  零: 0,
  Ｏ: 0,
  O: 0,
  o: 0,
  "0": 0,
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  "1": 1,
  "2": 2,
  "3": 3,
  "4": 4,
  "5": 5,
  "6": 6,
  "7": 7,
  "8": 8,
  "9": 9,
};

/** "十九" → 19, "二十一" → 21, "十" → 10, "5" → 5. */
export function parseChineseNumber(s: string): number | undefined {
  const t = s.trim();
  if (/^\d+$/.test(t)) return Number(t);
  if (!/^[〇○零一二三四五六七八九十百]+$/.test(t)) return undefined;
  let total = 0;
  let current = 0;
  for (const ch of t) {
    if (ch === "百") {
      total += (current || 1) * 100;
      current = 0;
    } else if (ch === "十") {
      total += (current || 1) * 10;
      current = 0;
    } else {
      current = CN_DIGIT[ch] ?? 0;
    }
  }
  return total + current;
}

const DATE_RE = /^\s*([0-9〇○零ＯOo一二三四五六七八九]{4})\s*年\s*([0-9一二三四五六七八九十]{1,3})\s*月\s*([0-9一二三四五六七八九十]{1,3})\s*日\s*$/;

/**
 * "二〇二一年五月十九日" / "二○二一年五月十九日" (U+25CB, as in letter 109) / "2021年1月18日" → ISO date.
 * Returns undefined for anything else, including impossible dates.
 */
export function parseChineseDate(text: string): string | undefined {
  const m = DATE_RE.exec(text);
  if (!m) return undefined;
  const yearDigits = Array.from(m[1]!).map((c) => CN_DIGIT[c]);
  if (yearDigits.some((d) => d === undefined)) return undefined;
  const year = Number(yearDigits.join(""));
  const month = parseChineseNumber(m[2]!);
  const day = parseChineseNumber(m[3]!);
  if (!month || !day || month > 12 || day > 31) return undefined;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return undefined;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------
// Line patterns
// ---------------------------------------------------------------------------

const DOC_NUMBER_RE = /^([\u4e00-\u9fff]{1,12})\s*[〔［[【(（]\s*(\d{4})\s*[〕］\]】)）]\s*(\d{1,5})\s*号$/;
const SIGNATURE_FIELD_RE = /^(领导签字|签发人|签发|承办人姓名|承办人|经办人|联系人|联系电话|公开方式|抄送)\s*[:：]/;
const LABEL_RE = /^(附件|附錄|附录)\s*\d*\s*[:：]?$/;
const AUTHORITY_DOC_RE = /^[\u4e00-\u9fff]{2,24}文件$/;
const TITLE_RE = /^(?:[\u4e00-\u9fff]{2,20}?)?关于[^。！？；]{2,}的(答复|通知|意见|实施意见|决定|办法|方案|规划|报告|函|批复|请示|复函)$/;
const TITLE_END_RE = /的(答复|通知|意见|实施意见|决定|办法|方案|规划|报告|函|批复|请示|复函)$/;
const ORG_RE = /^[\u4e00-\u9fff（）()]{2,30}(人民政府|政府|局|委员会|委|办公室|办|厅|部|院|会|中心)$/;
const OPENING_RE = /提出的《([\s\S]+?)》[\s\S]*?收悉/;
const SEAL_RE = /^[（(]\s*[\u4e00-\u9fff]*印章\s*[）)]$/;

interface MarkerInfo {
  /** 1 = 一、 2 = （一） 3 = 1. / （1）; "box" = 专栏N; "appendix" = 附表 / 附件N 标题. */
  type: 1 | 2 | 3 | "box" | "appendix";
  /** Number in the sequence (一 → 1). */
  n: number;
  /** Marker as written in the source, with its trailing spaces. */
  raw: string;
  /** Canonical form used in headingPath: "一、", "（一）", "1.", "（1）", "专栏1：", "附表：". */
  canonical: string;
  /** The text after the marker. */
  rest: string;
  arabicParen?: boolean;
}

function parseMarker(text: string): MarkerInfo | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^([一二三四五六七八九十]{1,3})\s*、\s*/.exec(text))) {
    return { type: 1, n: parseChineseNumber(m[1]!) ?? 0, raw: m[0], canonical: `${m[1]}、`, rest: text.slice(m[0].length) };
  }
  if ((m = /^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*/.exec(text))) {
    return { type: 2, n: parseChineseNumber(m[1]!) ?? 0, raw: m[0], canonical: `（${m[1]}）`, rest: text.slice(m[0].length) };
  }
  if ((m = /^[（(]\s*(\d{1,2})\s*[）)]\s*/.exec(text))) {
    return { type: 3, n: Number(m[1]), raw: m[0], canonical: `（${m[1]}）`, rest: text.slice(m[0].length), arabicParen: true };
  }
  // "1." "1．" "1、" "1·" — but not "1.5 万家".
  if ((m = /^(\d{1,2})\s*[.．、·•]\s*(?![\d.．])/.exec(text))) {
    return { type: 3, n: Number(m[1]), raw: m[0], canonical: `${m[1]}.`, rest: text.slice(m[0].length) };
  }
  if ((m = /^专栏\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[:：.．、]?\s*/.exec(text))) {
    return { type: "box", n: parseChineseNumber(m[1]!) ?? 0, raw: m[0], canonical: `专栏${m[1]}：`, rest: text.slice(m[0].length) };
  }
  if ((m = /^(附表|附件)\s*(\d{0,2})\s*[.．、:：]?\s*(?=[^\s\d])/.exec(text))) {
    return { type: "appendix", n: Number(m[2] || 1), raw: m[0], canonical: `${m[1]}${m[2]}：`, rest: text.slice(m[0].length) };
  }
  return undefined;
}

function stripEndPunct(s: string): string {
  return s.replace(/[。！？；：:;!?，,、\s]+$/u, "");
}

/**
 * A numbered line that is a heading on its own (no sentence follows on the
 * same line). Items "1." must be short and clause-free, because a wrapped item
 * ("3.以战略性新兴产业基地、…为核心区" | "域，聚焦…") looks the same.
 */
function isStandaloneHeadingLine(text: string, lenient: boolean): boolean {
  if (text.length > 80) return false;
  const mk = parseMarker(text);
  if (!mk) return false;
  if (mk.type === "box" || mk.type === "appendix") return mk.rest.length <= 40;
  const body = mk.rest.trim();
  if (!body) return false;
  const inner = body.replace(/[。！？]$/, "");
  if (/[。！？；]/.test(inner)) return false;
  const length = Array.from(body).length;
  if (mk.type === 3) return !endsSentence(body) && length <= 24 && !/[，,；;、]/.test(body);
  return length <= (lenient ? 40 : 30);
}

/** A line that is always a paragraph of its own (frame lines, dates, labels, headings). */
function isHardLine(text: string, md: number | undefined, boldOnly: boolean): boolean {
  const t = text.trim();
  return (
    md !== undefined ||
    boldOnly ||
    DOC_NUMBER_RE.test(t.replace(/\s+/g, "")) ||
    parseChineseDate(t) !== undefined ||
    SIGNATURE_FIELD_RE.test(t) ||
    LABEL_RE.test(t) ||
    SEAL_RE.test(t) ||
    AUTHORITY_DOC_RE.test(t)
  );
}

// ---------------------------------------------------------------------------
// Normalisation: raw text → blocks
// ---------------------------------------------------------------------------

interface Line {
  text: string; // trimmed, markdown stripped
  trailing: boolean; // source line ended with whitespace
  gap: "none" | "blank" | "page"; // what separated it from the previous content line
  md?: number;
  boldLead?: string;
  boldRest?: string;
}

type Item = { kind: "line"; line: Line } | { kind: "table"; rows: string[][]; gap: Line["gap"] };

/** BOM, line endings, zero-width characters; full-width / no-break spaces → ASCII space. */
function cleanRaw(raw: string): string {
  return raw
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .replace(/\u200B|\u200C|\u200D|\u2060|\uFEFF/g, "")
    .replace(/[\u3000\u00A0\u2002\u2003\u2009\u202F]/g, " ")
    .replace(/[\f\v]/g, "\n");
}

const RULE_RE = /^\s*(?:-{3,}|\*{3,}|_{3,}|—{3,})\s*$/;
/**
 * A page number on a line of its own, as text copied from a PDF or a printed 公文 carries it
 * ("— 2 —", "-2-", "第 2 页 共 5 页", "2/5"): a page break, never library content — it became a
 * paragraph of its own, or was glued into a sentence split across the pages ("企— 2 —业").
 */
const PAGE_NUMBER_RE = /^\s*(?:[—–\-－]+\s*\d{1,4}\s*[—–\-－]+|第\s*\d{1,4}\s*页(?:\s*[,，、/／]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*[/／]\s*\d{1,4})\s*$/;

function toItems(raw: string): Item[] {
  const lines = cleanRaw(raw).split("\n");
  // Groups of consecutive non-blank lines; a tab-only line counts as an (empty) table cell.
  const groups: { lines: string[]; gap: Line["gap"] }[] = [];
  let gap: Line["gap"] = "none";
  let current: string[] | null = null;
  for (const l of lines) {
    const isRule = RULE_RE.test(l) || PAGE_NUMBER_RE.test(l);
    const blank = isRule || (/^[ \t]*$/.test(l) && !/\t/.test(l));
    if (blank) {
      if (current) {
        groups.push({ lines: current, gap });
        current = null;
        gap = "blank";
      }
      if (isRule) gap = "page";
      else if (gap === "none" && groups.length > 0) gap = "blank";
      continue;
    }
    if (!current) current = [];
    current.push(l);
  }
  if (current) groups.push({ lines: current, gap });

  const isTabular = (g: string[]) => g.length >= 2 && (g.every((l) => l.startsWith("\t")) || g.every((l) => l.includes("\t") && !/^\s*$/.test(l.replace(/\t/g, ""))));

  const items: Item[] = [];
  for (let gi = 0; gi < groups.length; gi++) {
    const g = groups[gi]!;
    // A table is ≥ 2 consecutive tabular groups (one row each) or one group of tab-separated rows.
    if (isTabular(g.lines)) {
      const allTabStart = g.lines.every((l) => l.startsWith("\t"));
      if (!allTabStart) {
        // Normalised form: one row per line, cells separated by tabs.
        items.push({ kind: "table", rows: g.lines.map((l) => l.split("\t").map((c) => c.trim())), gap: g.gap });
        continue;
      }
      let gj = gi;
      while (gj + 1 < groups.length && isTabular(groups[gj + 1]!.lines) && groups[gj + 1]!.lines.every((l) => l.startsWith("\t"))) gj++;
      if (gj > gi) {
        const rows = groups.slice(gi, gj + 1).map((gr) => gr.lines.map((l) => l.trim()));
        items.push({ kind: "table", rows, gap: g.gap });
        gi = gj;
        continue;
      }
    }
    g.lines.forEach((l, k) => {
      const trailing = /[ \t]$/.test(l);
      let text = l.trim();
      if (!text) return;
      let md: number | undefined;
      const mdm = /^(#{1,6})\s+(.*)$/.exec(text);
      if (mdm) {
        md = mdm[1]!.length;
        text = mdm[2]!.trim();
      }
      let boldLead: string | undefined;
      let boldRest: string | undefined;
      const bm = /^\*\*(.+?)\*\*\s*(.*)$/.exec(text);
      if (bm) {
        boldLead = bm[1]!.trim();
        boldRest = bm[2]!.replace(/\*\*/g, "");
        text = boldLead + boldRest;
      } else {
        text = text.replace(/\*\*(.+?)\*\*/g, "$1");
      }
      if (!text) return;
      items.push({ kind: "line", line: { text, trailing, gap: k === 0 ? g.gap : "none", md, boldLead, boldRest } });
    });
  }
  return items;
}

interface WrapInfo {
  wrapped: boolean;
  width: number;
  useTrailing: boolean;
}

/** Hard-wrapped text (letter 109): most lines are about the same width and stop mid-sentence. */
function detectWrap(lines: Line[]): WrapInfo {
  const content = lines.filter((l) => l.md === undefined);
  if (content.length < 6) return { wrapped: false, width: 0, useTrailing: false };
  const widths = content.map((l) => displayWidth(l.text));
  const mid = content.filter((l, i) => widths[i]! >= 12 && widths[i]! <= 45 && !endsSentence(l.text)).length;
  const wrapped = mid / content.length >= 0.5;
  const sorted = widths.filter((w) => w <= 60).sort((a, b) => a - b);
  const width = sorted[Math.floor(sorted.length * 0.9)] ?? 30;
  const trailingShare = content.filter((l) => l.trailing).length / content.length;
  return { wrapped, width, useTrailing: trailingShare > 0.03 && trailingShare < 0.8 };
}

/**
 * The paragraph being built: its first and last physical lines and its text
 * as parts. Checks look at the tail or at short texts only, so that joining
 * thousands of wrapped lines stays linear (no rescanning, no re-flattening).
 */
interface OpenBlock {
  block: SourceBlock;
  first: Line;
  last: Line;
  joined: boolean;
  parts: string[];
  length: number;
  /** The last ≤ 400 characters. */
  tail: string;
}

/** The whole text when it is short enough to examine (≤ 500 characters), else the tail. */
function openText(open: OpenBlock): string {
  return open.length <= 500 ? open.parts.join("") : open.tail;
}

function breaksBetween(open: OpenBlock, b: Line, wrap: WrapInfo): boolean {
  const text = openText(open);
  const a = open.first;
  // A joined paragraph is never a frame line; checking only the first line keeps this linear.
  if (!open.joined && isHardLine(a.text, a.md, a.boldLead !== undefined && !a.boldRest)) return true;
  if (isHardLine(b.text, b.md, false)) return true;
  if ((open.length <= 500 && isWholeParenthetical(text)) || isWholeParenthetical(b.text)) return true;
  if (b.boldLead !== undefined) return true;
  if (open.length <= 200 && TITLE_RE.test(text.replace(/\s+/g, ""))) return true;
  const bMarker = parseMarker(b.text);
  if (wrap.wrapped) {
    if (wrap.useTrailing && open.last.trailing) return true;
    const short = displayWidth(open.last.text) < wrap.width * 0.8;
    if (short && endsSentence(text)) return true;
    if (short && open.length <= 80 && isStandaloneHeadingLine(text, true)) return true;
    if (bMarker && (bMarker.type === 1 || bMarker.type === 2 || bMarker.type === "box" || bMarker.type === "appendix")) return true;
    return false;
  }
  if (endsSentence(text)) return true;
  if (open.length <= 80 && isStandaloneHeadingLine(text, false)) return true;
  if (bMarker) return true;
  return false;
}

/** "关于对东莞市政协第十三届六次会议" + "第20210100号提案的答复": a title wrapped over two lines. */
function isSplitTitle(open: OpenBlock, b: Line): boolean {
  if (open.joined || open.length > 100) return false;
  const at = openText(open).replace(/\s+/g, "");
  const bt = b.text.replace(/\s+/g, "");
  return /^关于/.test(at) && !TITLE_END_RE.test(at) && TITLE_END_RE.test(bt) && displayWidth(bt) <= 40 && !endsSentence(at);
}

/**
 * Undo the PDF-extraction artefacts and return one block per paragraph, with
 * the markdown / bold markers stripped from the text but kept as hints.
 */
export function normalizeSourceBlocks(raw: string): SourceBlock[] {
  const items = toItems(raw);
  const wrap = detectWrap(items.flatMap((it) => (it.kind === "line" ? [it.line] : [])));
  const blocks: SourceBlock[] = [];
  let open: OpenBlock | null = null;
  const close = () => {
    if (open && open.parts.length > 1) open.block.text = open.parts.join("");
    open = null;
  };

  for (const it of items) {
    if (it.kind === "table") {
      close();
      blocks.push({ kind: "table", rows: it.rows, text: it.rows.map((r) => r.join("\t")).join("\n"), notes: [] });
      continue;
    }
    const line = it.line;
    const splitTitle = open !== null && isSplitTitle(open, line);
    if (open && (splitTitle || !breaksBetween(open, line, wrap))) {
      const o: OpenBlock = open;
      let next = line.text;
      const prevLast = lastChar(o.tail);
      // A character repeated across a page break ("推动专|专精特新") is an extraction/typing slip.
      const pageJoin = line.gap === "page" || (!wrap.wrapped && line.gap === "blank");
      if (pageJoin && CJK.test(prevLast) && firstChar(next) === prevLast && !REDUPLICABLE.has(prevLast)) {
        const context = Array.from(o.tail.slice(-6)).slice(-3).join("") + Array.from(next.slice(0, 8)).slice(0, 4).join("");
        next = next.slice(prevLast.length);
        o.block.notes.push(`分页处重复的“${prevLast}”已删除（原文：“${context}”）`);
      }
      const sep = (ASCII_WORD.test(prevLast) && ASCII_WORD.test(firstChar(next))) || (splitTitle && o.last.trailing) ? " " : "";
      const piece = sep + next;
      o.parts.push(piece);
      o.length += piece.length;
      o.tail = (o.tail + piece).slice(-400);
      o.last = line;
      o.joined = !splitTitle || o.joined;
      continue;
    }
    close();
    const block: SourceBlock = { kind: "text", text: line.text, notes: [] };
    if (line.md !== undefined) block.markdownLevel = line.md;
    if (line.boldLead !== undefined) block.boldLead = line.boldLead;
    blocks.push(block);
    open = { block, first: line, last: line, joined: false, parts: [line.text], length: line.text.length, tail: line.text.slice(-400) };
  }
  close();
  return blocks;
}

/** Clean text: one paragraph per block separated by a blank line; tables as tab-separated rows. */
export function normalizeSourceText(raw: string): string {
  return normalizeSourceBlocks(raw)
    .map((b) => b.text)
    .join("\n\n");
}

// ---------------------------------------------------------------------------
// Letter frame
// ---------------------------------------------------------------------------

interface FrameLocation {
  frame: LetterFrame;
  bodyStart: number;
  bodyEnd: number;
}

function fieldValue(text: string): string | undefined {
  const v = text.replace(/^[^:：]*[:：]/, "").trim();
  return v || undefined;
}

function locateLetterFrame(blocks: SourceBlock[]): FrameLocation {
  const frame: LetterFrame = {};
  const texts = blocks.map((b) => (b.kind === "text" ? b.text.trim() : ""));
  const opening = texts.findIndex((t) => OPENING_RE.test(t));
  // With an opening sentence everything above it is frame; without one, only a run of frame-like lines at the top.
  let bodyStart = opening >= 0 ? opening + 1 : 0;
  const head = opening >= 0 ? opening + 1 : blocks.length;
  for (let i = 0; i < head; i++) {
    const t = texts[i]!;
    const compact = t.replace(/\s+/g, "");
    if (DOC_NUMBER_RE.test(compact)) {
      frame.documentNumber = compact;
    } else if (TITLE_RE.test(compact)) {
      frame.title = compact;
      const m = /^关于对?(.+?)第([0-9A-Za-z-]+)号提案的答复$/.exec(compact);
      if (m) {
        frame.session = m[1];
        frame.proposalNumber = m[2];
      }
    } else if (i === opening) {
      frame.caseTitle = OPENING_RE.exec(t)![1]!.replace(/\s+/g, "");
    } else if (/[:：]$/.test(t) && !/[。！？]/.test(t) && Array.from(t).length <= 40) {
      frame.addressee = t.replace(/[:：]$/, "").trim();
    } else if (!frame.documentNumber && !frame.title && ORG_RE.test(compact)) {
      frame.authority = compact;
    } else if (opening < 0) {
      break;
    } else {
      continue;
    }
    if (opening < 0) bodyStart = i + 1;
  }

  // The closing block starts at the first 领导签字 / 承办人 / 联系电话 / 公开方式 / 印章 line.
  let bodyEnd = blocks.length;
  for (let i = bodyStart; i < blocks.length; i++) {
    if (SIGNATURE_FIELD_RE.test(texts[i]!) || SEAL_RE.test(texts[i]!)) {
      bodyEnd = i;
      break;
    }
  }
  // A closing without fields: "东莞市工业和信息化局" / "二〇二一年五月十九日" at the end.
  if (bodyEnd === blocks.length && bodyEnd > bodyStart && parseChineseDate(texts[bodyEnd - 1]!)) {
    bodyEnd--;
    if (bodyEnd > bodyStart && ORG_RE.test(texts[bodyEnd - 1]!.replace(/\s+/g, ""))) bodyEnd--;
  }
  for (let i = bodyEnd; i < blocks.length; i++) {
    const t = texts[i]!;
    const field = /^([^:：]+)[:：]/.exec(t)?.[1]?.trim();
    const date = parseChineseDate(t);
    if (date) frame.date = date;
    else if (field === "领导签字" || field === "签发人" || field === "签发") frame.signer = fieldValue(t);
    else if (field === "承办人姓名" || field === "承办人" || field === "经办人" || field === "联系人") frame.handler = fieldValue(t);
    else if (field === "联系电话") frame.phone = fieldValue(t)?.replace(/\s+/g, "");
    else if (field === "公开方式") frame.disclosure = fieldValue(t);
  }
  for (const k of Object.keys(frame) as (keyof LetterFrame)[]) if (frame[k] === undefined) delete frame[k];
  return { frame, bodyStart, bodyEnd };
}

/**
 * The letter frame of a reply letter: authority mark, 发文字号, title, addressee,
 * 案由 (from "您提出的《…》的提案收悉"), and the closing block (领导签字 / 承办人姓名 /
 * 联系电话 / date / 公开方式). Accepts raw or normalised text.
 */
export function parseLetterFrame(text: string): LetterFrame {
  return locateLetterFrame(normalizeSourceBlocks(text)).frame;
}

// ---------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------

const MAX_TITLE = 24;

function shorten(s: string, max = MAX_TITLE): string {
  const chars = Array.from(s);
  return chars.length > max ? stripEndPunct(chars.slice(0, max).join("")) + "…" : s;
}

/** Title for text without a heading: the first clause; after 一是/二是 when the text lists sub-points. */
export function titleFromText(text: string): string {
  let t = text.trim().replace(/^(?:[一二三四五六七八九十]+是|首先|其次|再次|最后)[，,]?/, "");
  const mk = parseMarker(t);
  if (mk && mk.type !== "appendix") t = mk.rest.trim();
  const clauses = t.split(/(?<=[，。；：！？,;:!?\n])/);
  let title = clauses[0] ?? t;
  // "到2025年，…" says little on its own: take the next clause too.
  if (displayWidth(stripEndPunct(title)) < 6 && clauses.length > 1) title += clauses[1];
  return shorten(stripEndPunct(title.trim()) || stripEndPunct(t));
}

function clampLevel(n: number): CandidateLevel {
  return Math.max(0, Math.min(3, n)) as CandidateLevel;
}

/** Split "完善顶层设计。制定出台…" into the lead sentence and the body, when the first sentence is heading-like. */
function splitLead(rest: string): { lead: string; body: string } | undefined {
  const chars = Array.from(rest);
  const stop = chars.findIndex((c) => c === "。" || c === "！" || c === "？" || c === "：");
  if (stop <= 0 || stop >= chars.length - 1) return undefined;
  const lead = chars.slice(0, stop + 1).join("");
  const body = chars
    .slice(stop + 1)
    .join("")
    .trim();
  const commas = (lead.match(/[，,]/g) ?? []).length;
  if (chars.length === 0 || stop + 1 > 31 || commas > 1 || /[；;]/.test(lead) || !body) return undefined;
  return { lead, body };
}

export interface SplitOptions {
  kind: ImportKind;
}

/**
 * Split a document into candidate library paragraphs. Accepts the raw source
 * text (it is normalised here; markdown hints then help find the title) or
 * text already passed through `normalizeSourceText`. For letters the frame
 * (see `parseLetterFrame`) is left out.
 */
export function splitIntoCandidates(text: string, options: SplitOptions): Candidate[] {
  // "2026年3月1日（此件公开发布）": the date, and the document's 公开 note on a line of its own (below)
  const blocks = normalizeSourceBlocks(text.replace(/(日)[ \t\u3000]*([（(][ \t\u3000]*此件[^）)\n]{0,12}[）)])[ \t\u3000]*$/gm, "$1\n\n$2"));
  let start = 0;
  let end = blocks.length;
  if (options.kind === "letter") {
    const loc = locateLetterFrame(blocks);
    start = loc.bodyStart;
    end = loc.bodyEnd;
  }

  const out: Candidate[] = [];
  // The current section: canonical headings with their levels (1..3).
  let path: { level: 1 | 2 | 3; text: string; n: number; type: MarkerInfo["type"] }[] = [];
  let box: Candidate | null = null;
  let pendingCaption: { title: string; marker: string } | null = null;
  let sawSection = false;

  const push = (c: Omit<Candidate, "index">): Candidate => {
    const cand = { ...c, index: out.length } as Candidate;
    if (cand.notes && cand.notes.length === 0) delete cand.notes;
    out.push(cand);
    return cand;
  };
  const pathTexts = () => path.map((p) => p.text);
  const sectionLevel = () => clampLevel(path.length ? path[path.length - 1]!.level : 0);
  const setPath = (level: 1 | 2 | 3, entry: string, n: number, type: MarkerInfo["type"]) => {
    path = path.filter((p) => p.level < level);
    path.push({ level, text: entry, n, type });
  };
  const previous = () => out[out.length - 1];

  let attachmentList = false;
  for (let i = start; i < end; i++) {
    const b = blocks[i]!;
    if (b.kind === "table") {
      box = null;
      const caption = pendingCaption;
      pendingCaption = null;
      const headingPath = caption ? [caption.marker + caption.title] : pathTexts();
      const cand: Omit<Candidate, "index"> = {
        kind: "table",
        level: caption ? 1 : clampLevel(sectionLevel() + 1),
        headingPath,
        title: caption?.title ?? titleFromText(b.rows?.[0]?.join(" ") ?? "表格"),
        text: b.text,
        rows: b.rows,
      };
      if (caption) {
        // The caption was pushed as a heading while we did not know a table followed: fold it in.
        const prev = previous();
        if (prev && prev.kind === "heading" && prev.title === caption.title) out.pop();
      }
      push(cand);
      continue;
    }
    pendingCaption = null;
    const t = b.text.trim();
    const compact = t.replace(/\s+/g, "");

    // Frame and noise lines of policy documents (a government notice around the 实施意见).
    if (options.kind === "policy") {
      if (LABEL_RE.test(t) || DOC_NUMBER_RE.test(compact) || AUTHORITY_DOC_RE.test(compact) || parseChineseDate(t)) continue;
      // The notice's list of attachments ("附件：1.名单" and the "2.指南" lines under it): the frame,
      // not text — it came out as headings, the first with a doubled colon ("：1.东莞市…名单").
      if (/^附件\s*[:：]\s*\d{1,2}\s*[.．、]/.test(compact)) {
        attachmentList = true;
        continue;
      }
      if (attachmentList && /^\d{1,2}\s*[.．、]/.test(compact) && !/[。；]/.test(t) && Array.from(t).length <= 60) continue;
      attachmentList = false;
      const next = blocks[i + 1];
      if (ORG_RE.test(compact) && next?.kind === "text" && parseChineseDate(next.text)) continue; // signature + date
      const prev = previous();
      if (prev?.kind === "heading" && prev.level === 0 && /[:：]$/.test(t) && !/[。！？]/.test(t) && Array.from(t).length <= 60 && /通知|函$/.test(prev.title)) continue; // addressee
    }

    // "（此件公开发布）" after the date: the document's 公开 note, not its text (it was merged into the
    // last paragraph and would have gone into letters with it).
    if (/^[（(]\s*此件[^）)]{0,12}[）)]$/.test(t)) continue;
    // "（征求意见稿）" after the title, "（市商务局、…）" after a paragraph.
    if (isWholeParenthetical(t)) {
      const prev = previous();
      if (!prev) continue; // a source note above everything else
      if (prev.kind === "heading" && prev.level === 0) {
        prev.text += t;
        prev.title += t;
      } else if (prev.kind === "paragraph" || prev.kind === "box") {
        prev.text += (prev.kind === "box" ? "\n" : "") + t;
        (prev.notes ??= []).push(`单独成行的括注“${shorten(t, 16)}”已并入上一段`);
      } else {
        push({ kind: "paragraph", level: sectionLevel(), headingPath: pathTexts(), title: titleFromText(t), text: t });
      }
      continue;
    }

    const mk = parseMarker(t);

    // Document titles: markdown h1 without numbering, "关于…的通知/意见", or the first unpunctuated line.
    const titleLike =
      !mk &&
      (TITLE_RE.test(compact) ||
        (b.markdownLevel === 1 && options.kind === "policy") ||
        (options.kind === "policy" && out.length === 0 && !endsSentence(t) && displayWidth(t) <= 60));
    if (titleLike && !sawSection) {
      box = null;
      push({ kind: "heading", level: 0, headingPath: [], title: t, text: t, ...(b.notes.length ? { notes: [...b.notes] } : {}) });
      continue;
    }

    // "（7）" right after "（六）" is a typo for "（七）": keep it on level 2.
    let mkLevel = mk?.type;
    const last2 = [...path].reverse().find((p) => p.level === 2);
    if (mk?.arabicParen && last2 && last2.n === mk.n - 1 && !path.some((p) => p.level === 3)) mkLevel = 2;

    // Inside a 专栏: everything up to the next section heading belongs to the box.
    if (box && (!mk || mkLevel === 3) && b.markdownLevel === undefined) {
      box.text += (box.text ? "\n" : "") + t;
      if (b.notes.length) (box.notes ??= []).push(...b.notes);
      continue;
    }
    box = null;

    if (mk?.type === "box") {
      const entry = mk.canonical + stripEndPunct(mk.rest.trim());
      // A box belongs to its section, not to the numbered item just before it.
      path = path.filter((p) => p.level < 3);
      box = push({
        kind: "box",
        level: clampLevel(sectionLevel() + 1),
        headingPath: [...pathTexts(), entry],
        title: entry,
        marker: mk.raw,
        text: "",
        notes: [...b.notes],
      });
      continue;
    }

    if (mk?.type === "appendix") {
      sawSection = true;
      const title = stripEndPunct(mk.rest.trim());
      path = [{ level: 1, text: mk.canonical + title, n: mk.n, type: "appendix" }];
      pendingCaption = { title, marker: mk.canonical };
      push({ kind: "heading", level: 1, headingPath: pathTexts(), title, marker: mk.raw, text: title });
      continue;
    }

    if (mk) {
      const level = mkLevel as 1 | 2 | 3;
      if (level <= 2) sawSection = true;
      const rest = mk.rest.trim();
      let lead: string | undefined;
      let body: string;
      let standalone = false;
      if (b.boldLead !== undefined) {
        const boldMk = parseMarker(b.boldLead);
        lead = (boldMk ? boldMk.rest : b.boldLead).trim();
        body = t.slice(t.indexOf(b.boldLead) + b.boldLead.length).trim();
        if (!body) {
          standalone = true;
          body = lead;
          lead = undefined;
        }
      } else if (b.markdownLevel !== undefined || isStandaloneHeadingLine(t, true)) {
        standalone = true;
        body = rest;
      } else {
        const split = splitLead(rest);
        lead = split?.lead;
        body = split ? split.body : rest;
      }
      if (standalone) {
        const title = stripEndPunct(body);
        setPath(level, mk.canonical + title, mk.n, mk.type);
        push({ kind: "heading", level, headingPath: pathTexts(), title, marker: mk.raw, text: body, notes: [...b.notes] });
        continue;
      }
      if (lead !== undefined) {
        const title = stripEndPunct(lead);
        setPath(level, mk.canonical + title, mk.n, mk.type);
        push({ kind: "paragraph", level, headingPath: pathTexts(), title, marker: mk.raw, lead, text: body, notes: [...b.notes] });
        continue;
      }
      push({
        kind: "paragraph",
        level: clampLevel(Math.max(level, sectionLevel())),
        headingPath: pathTexts(),
        title: titleFromText(body),
        marker: mk.raw,
        text: body,
        notes: [...b.notes],
      });
      continue;
    }

    // Markdown heading without numbering (rare): a heading at the current depth.
    if (b.markdownLevel !== undefined) {
      push({ kind: "heading", level: clampLevel(sectionLevel() || 1), headingPath: pathTexts(), title: stripEndPunct(t), text: t, notes: [...b.notes] });
      continue;
    }

    push({ kind: "paragraph", level: sectionLevel(), headingPath: pathTexts(), title: titleFromText(t), text: t, notes: [...b.notes] });
  }

  for (const c of out) {
    if (c.notes && c.notes.length === 0) delete c.notes;
    if (c.kind === "box" && !c.text) c.text = c.title; // a 专栏 heading with no items
    if (c.kind === "paragraph") {
      const split = splitAnnotation(c.text);
      if (split.annotation) {
        c.text = split.text;
        c.annotation = split.annotation;
      }
    }
  }
  return out;
}

/** Words that make a bracketed tail a list of responsible units rather than part of the measure. */
const UNIT_WORDS = /(牵头|配合|负责|责任单位|参与单位|协办|主办|各镇街|各园区)/;
const UNIT_NAME = /^(市|区|县|省|各|镇|街道|牵头单位|配合单位|责任单位|主要责任单位|人民银行|中国人民银行)/;
const OPENERS: Record<string, string> = { "）": "（", ")": "(", "〕": "〔" };

/** The bracketed group that ends the text (nested brackets allowed: "〔…各园区、镇（街）按职责分工负责〕"), with where it starts. */
function trailingGroup(text: string): { start: number; inner: string } | null {
  const s = text.replace(/[。；;\s]+$/u, "");
  const close = s[s.length - 1] ?? "";
  if (!OPENERS[close]) return null;
  let depth = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i]!;
    if (OPENERS[c]) depth++;
    else if (c === "（" || c === "(" || c === "〔") {
      depth--;
      if (depth === 0) return { start: i, inner: s.slice(i + 1, -1) };
    }
  }
  return null;
}
const TRAILING_LABEL = /(?<=[。；;])\s*((?:主要)?责任单位[：:][^。]{2,300})[。]?\s*$/u;

/**
 * Split the responsibility tags off the end of a policy paragraph:
 * "…产业集群。（市工业和信息化局牵头，市发展改革委配合）" → text "…产业集群。",
 * annotation "市工业和信息化局牵头，市发展改革委配合". Only a tail that names units
 * (市…局 with 牵头/配合/负责, or a 责任单位： label) is taken; "（2021—2025年）" stays.
 */
export function splitAnnotation(text: string): { text: string; annotation?: string } {
  const group = trailingGroup(text);
  if (group && group.start > 0 && group.inner.length <= 300) {
    const inner = group.inner.trim();
    if (UNIT_NAME.test(inner) && (UNIT_WORDS.test(inner) || /^[市区县省][^，,。]*?(局|委|办|院|会|中心|政府)(、|$)/.test(inner))) {
      return { text: text.slice(0, group.start).trimEnd(), annotation: inner };
    }
  }
  const label = TRAILING_LABEL.exec(text);
  if (label) return { text: text.slice(0, label.index).trimEnd(), annotation: label[1]!.trim() };
  return { text };
}

/** Normalise, split and (for letters) parse the frame in one call. */
export function importDocument(raw: string, options: SplitOptions): { text: string; candidates: Candidate[]; frame?: LetterFrame } {
  const text = normalizeSourceText(raw);
  const candidates = splitIntoCandidates(raw, options);
  return options.kind === "letter" ? { text, candidates, frame: parseLetterFrame(raw) } : { text, candidates };
}

// ---------------------------------------------------------------------------
// Candidate editing (the UI's accept / merge / split / discard step)
// ---------------------------------------------------------------------------

function reindex(list: Candidate[]): Candidate[] {
  return list.map((c, index) => (c.index === index ? c : { ...c, index }));
}

function checkIndex(list: readonly Candidate[], i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= list.length) throw new RangeError(`候选段落序号 ${i} 不存在`);
}

/**
 * Merge candidates i..j (inclusive) into one. The separator defaults to ""
 * when the earlier text stops mid-sentence (a wrongly split sentence) and "\n"
 * otherwise. A heading merged with what follows becomes that paragraph's lead.
 */
export function mergeCandidates(list: readonly Candidate[], i: number, j: number, options: { separator?: string } = {}): Candidate[] {
  checkIndex(list, i);
  checkIndex(list, j);
  const [from, to] = i <= j ? [i, j] : [j, i];
  if (from === to) return reindex([...list]);
  const parts = list.slice(from, to + 1);
  const tables = parts.filter((c) => c.kind === "table");
  if (tables.length > 0 && tables.length < parts.length) throw new Error("表格不能与段落合并");
  const first = parts[0]!;
  const notes = parts.flatMap((c) => c.notes ?? []);
  let merged: Candidate;
  if (tables.length) {
    const rows = parts.flatMap((c) => c.rows ?? []);
    merged = { ...first, rows, text: rows.map((r) => r.join("\t")).join("\n") };
  } else {
    let rest = parts;
    let lead = first.lead;
    let marker = first.marker;
    if (first.kind === "heading" && parts.length > 1) {
      lead = first.lead ?? first.text;
      marker = first.marker;
      rest = parts.slice(1);
    }
    let text = "";
    for (const c of rest) {
      // Later parts keep their own numbering and lead inside the merged text.
      const piece = c === first ? c.text : (c.marker ?? "") + (c.lead ?? "") + c.text;
      if (!text) {
        text = piece;
        continue;
      }
      const sep = options.separator ?? (c.continues ? "" : endsSentence(text) ? "\n" : "");
      text += sep + piece;
    }
    merged = {
      ...first,
      kind: parts.some((c) => c.kind === "box") ? "box" : "paragraph",
      text,
      ...(lead !== undefined ? { lead } : {}),
      ...(marker !== undefined ? { marker } : {}),
    };
    if (lead === undefined) delete merged.lead;
  }
  if (notes.length) merged.notes = notes;
  else delete merged.notes;
  return reindex([...list.slice(0, from), merged, ...list.slice(to + 1)]);
}

/**
 * Split candidate i at a character offset of its text (for a table: at a row
 * index). The second part keeps the heading path and gets a title from its
 * first clause; the lead and marker stay with the first part.
 */
export function splitCandidate(list: readonly Candidate[], i: number, atOffset: number): Candidate[] {
  checkIndex(list, i);
  const c = list[i]!;
  if (c.kind === "table") {
    const rows = c.rows ?? [];
    if (!Number.isInteger(atOffset) || atOffset <= 0 || atOffset >= rows.length) throw new RangeError("拆分位置必须在表格的两行之间");
    const a = rows.slice(0, atOffset);
    const b = rows.slice(atOffset);
    return reindex([
      ...list.slice(0, i),
      { ...c, rows: a, text: a.map((r) => r.join("\t")).join("\n") },
      { ...c, rows: b, text: b.map((r) => r.join("\t")).join("\n"), title: `${c.title}（续）` },
      ...list.slice(i + 1),
    ]);
  }
  const chars = Array.from(c.text);
  if (!Number.isInteger(atOffset) || atOffset <= 0 || atOffset >= chars.length) throw new RangeError("拆分位置必须在段落正文中间");
  const aText = chars.slice(0, atOffset).join("").trimEnd();
  const bText = chars.slice(atOffset).join("").trimStart();
  if (!aText || !bText) throw new RangeError("拆分后不能出现空段落");
  const first: Candidate = { ...c, text: aText };
  const second: Candidate = {
    index: 0,
    kind: c.kind === "heading" ? "paragraph" : c.kind,
    level: c.level,
    headingPath: [...c.headingPath],
    title: titleFromText(bText),
    text: bText,
    continues: true,
  };
  return reindex([...list.slice(0, i), first, second, ...list.slice(i + 1)]);
}

/** Remove candidate i. */
export function discardCandidate(list: readonly Candidate[], i: number): Candidate[] {
  checkIndex(list, i);
  return reindex([...list.slice(0, i), ...list.slice(i + 1)]);
}

// ---------------------------------------------------------------------------
// Input validation and decoding
// ---------------------------------------------------------------------------

export type ImportIssueCode = "empty" | "binary" | "mojibake" | "too_long" | "paragraph_too_long";

export interface ImportIssue {
  code: ImportIssueCode;
  message: string;
}

export interface ValidateOptions {
  /** Longest acceptable paragraph, in characters (default 20 000). */
  maxParagraphChars?: number;
  /** Longest acceptable document, in characters (default 2 000 000). */
  maxTotalChars?: number;
}

export const DEFAULT_MAX_PARAGRAPH_CHARS = 20_000;
export const DEFAULT_MAX_TOTAL_CHARS = 2_000_000;

/** Typical fragments of UTF-8 Chinese read as GBK: "，" → "锛", "。" → "銆", "的" → "鐨". */
const UTF8_AS_GBK = /[锛銆鐨鍦鏄浜涓鎴闂瀵绗璇鏈嶅姟]/g;

/**
 * Refuse input the importer cannot handle: empty text, binary content (NUL or
 * control characters), mis-decoded text (U+FFFD, GBK read as Latin-1 / UTF-8
 * read as GBK), oversized paragraphs or documents. Messages are zh-CN.
 */
export function validateImportText(raw: string, options: ValidateOptions = {}): { ok: boolean; errors: ImportIssue[] } {
  const maxPara = options.maxParagraphChars ?? DEFAULT_MAX_PARAGRAPH_CHARS;
  const maxTotal = options.maxTotalChars ?? DEFAULT_MAX_TOTAL_CHARS;
  const errors: ImportIssue[] = [];
  const text = raw.replace(/^\uFEFF/, "");
  if (!text.trim()) {
    return { ok: false, errors: [{ code: "empty", message: "文件内容为空，请选择包含正文的文本文件。" }] };
  }
  // Refused before anything reads it character by character: an 8-million-character paragraph in
  // a 24 KB Word file ran the server out of memory in the checks below (a fuzz run, 2026-12-01).
  if (text.length > maxTotal) return { ok: false, errors: [{ code: "too_long", message: `文件过大（${text.length} 字），上限为 ${maxTotal} 字，请拆分后分别导入。` }] };
  if (text.includes("\u0000")) {
    errors.push({ code: "binary", message: "文件包含空字符（NUL），可能是二进制文件（如 Word、PDF、图片），请先另存为纯文本（.txt）再导入。" });
  } else {
    const controls = (text.match(/[\u0001-\u0008\u000E-\u001F\u007F]/g) ?? []).length;
    if (controls > 0 && controls / text.length > 0.001) {
      errors.push({ code: "binary", message: `文件包含 ${controls} 个控制字符，看起来不是纯文本，请先另存为纯文本（.txt）再导入。` });
    }
  }
  const length = text.length;
  const replacement = (text.match(/\uFFFD/g) ?? []).length;
  if (replacement >= 3 || (replacement > 0 && replacement / length > 0.01)) {
    errors.push({ code: "mojibake", message: `文本中有 ${replacement} 个无法识别的字符（�），文件编码可能有误，请以 UTF-8 或 GBK 编码重新导出。` });
  } else {
    const nonAscii = text.match(/[^\u0000-\u007F]/g) ?? [];
    const latin1 = nonAscii.filter((c) => c >= "\u00A0" && c <= "\u00FF").length;
    const cjk = nonAscii.filter((c) => CJK.test(c)).length;
    const cjkPunct = (text.match(/[，。、；：]/g) ?? []).length;
    const gbkLike = (text.match(UTF8_AS_GBK) ?? []).length;
    if (nonAscii.length >= 8 && latin1 / nonAscii.length > 0.3 && cjk < latin1) {
      errors.push({ code: "mojibake", message: "文本看起来是乱码（中文被按西文编码读取），请确认文件编码为 UTF-8 或 GBK 后重新导入。" });
    } else if (cjk >= 20 && cjkPunct === 0 && gbkLike / cjk > 0.08) {
      errors.push({ code: "mojibake", message: "文本看起来是乱码（UTF-8 文件被按 GBK 读取），请确认文件编码后重新导入。" });
    }
  }
  if (length > maxTotal) {
    errors.push({ code: "too_long", message: `文件过大（${length} 字），上限为 ${maxTotal} 字，请拆分后分别导入。` });
  } else if (!errors.some((e) => e.code === "binary")) {
    const blocks = normalizeSourceBlocks(text);
    const at = blocks.findIndex((b) => b.text.length > maxPara);
    if (at >= 0) {
      errors.push({
        code: "paragraph_too_long",
        message: `第 ${at + 1} 段超过 ${maxPara} 字（实际 ${blocks[at]!.text.length} 字），可能缺少分段或不是正文，请检查文件。`,
      });
    }
  }
  return { ok: errors.length === 0, errors };
}

export type TextEncodingName = "utf-8" | "utf-16le" | "utf-16be" | "gb18030";

/**
 * Decode an uploaded file: UTF-8 (with or without BOM), UTF-16 with BOM,
 * otherwise GB18030 (a superset of GBK and GB2312, what Chinese Windows saves).
 */
export function decodeTextBuffer(bytes: Uint8Array): { text: string; encoding: TextEncodingName; bom: boolean } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: "utf-8", bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder("utf-16le", { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: "utf-16le", bom: true };
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder("utf-16be", { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: "utf-16be", bom: true };
  }
  try {
    return { text: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes), encoding: "utf-8", bom: false };
  } catch {
    return { text: new TextDecoder("gb18030").decode(bytes), encoding: "gb18030", bom: false };
  }
}
