/**
 * The paragraph library (段落库): statuses, labels, tags, the search text model and the
 * ranking formula, highlighting and version diffs. Pure and browser-safe: the models
 * (app/models/paragraph*.server.ts) store and query what this module computes.
 *
 * Search model (why): Chinese has no spaces, so text is indexed as character bigrams of a
 * normalised form (NFKC, lower case, no whitespace or punctuation — the same idea as
 * similarity.ts). A query term matches a paragraph when the normalised term occurs in the
 * normalised title, tags or body. The score of a term is a BM25-style weight of how often
 * it occurs in the body (with a fixed pivot length, so no global statistics are needed)
 * plus a bonus when it occurs in the title or the tags. The same formula applied to one
 * bigram gives that bigram's "impact" in the paragraph; because every occurrence of a term
 * contains an occurrence of each of its bigrams, a term never scores more than any of its
 * bigrams' impacts. The search index keeps, per bigram, the paragraphs with the highest
 * impacts, and that inequality lets it prove when its top results are the true top results
 * (see app/models/library-search.server.ts).
 */
import { diffArrays } from "diff";
import { memo } from "./memo";
import type { DuplicateKind } from "./similarity";

// ---------------------------------------------------------------------------
// Statuses, kinds, labels
// ---------------------------------------------------------------------------

export const PARAGRAPH_STATUSES = ["active", "retired"] as const;
export type ParagraphStatus = (typeof PARAGRAPH_STATUSES)[number];
export const PARAGRAPH_STATUS_LABELS: Record<ParagraphStatus, string> = { active: "在用", retired: "已停用" };

export const DOCUMENT_KINDS = ["policy", "letter"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = { policy: "政策文件", letter: "答复函" };

/** What a paragraph is: plain text, a 专栏 box (items on lines), or a table (rows on lines, cells by tabs). */
export const PARAGRAPH_KINDS = ["paragraph", "box", "table"] as const;
export type ParagraphKind = (typeof PARAGRAPH_KINDS)[number];
export const PARAGRAPH_KIND_LABELS: Record<ParagraphKind, string> = { paragraph: "段落", box: "专栏", table: "表格" };

export const USE_MODES = ["verbatim", "edited"] as const;
export type UseMode = (typeof USE_MODES)[number];
export const USE_MODE_LABELS: Record<UseMode, string> = { verbatim: "原样使用", edited: "修改后使用" };

/** What the import does with a candidate paragraph. */
export const IMPORT_ACTIONS = ["create", "link", "update", "skip"] as const;
export type ImportAction = (typeof IMPORT_ACTIONS)[number];
export const IMPORT_ACTION_LABELS: Record<ImportAction, string> = {
  create: "导入为新段落",
  link: "关联库中已有段落（不重复入库）",
  update: "用本段更新库中段落（生成新版本）",
  skip: "不导入",
};

export const DUPLICATE_KIND_LABELS = {
  exact: "完全相同",
  near: "近似（个别字词或数字不同）",
  contains: "本段包含库中段落",
  contained: "本段是库中段落的一部分",
} as const;

/** Default age after which an "as of" date makes a paragraph stale (configurable in the library). */
export const DEFAULT_STALE_AFTER_DAYS = 365;

// ---------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------

export const MAX_TAGS = 12;
export const MAX_TAG_LENGTH = 20;

/**
 * Topics officers file paragraphs under, with the wording that suggests them. Only a
 * suggestion at import: every tag stays editable and free text is allowed.
 */
export const TAG_VOCABULARY: { tag: string; terms: string[] }[] = [
  { tag: "智能终端", terms: ["智能终端", "智能移动终端", "智能手机"] },
  { tag: "先进制造业集群", terms: ["先进制造业集群", "产业集群"] },
  { tag: "专精特新", terms: ["专精特新"] },
  { tag: "科技成果转化", terms: ["科技成果转化", "成果转化"] },
  { tag: "土地保障", terms: ["土地", "用地", "空间保障"] },
  { tag: "招商引资", terms: ["招商"] },
  { tag: "人才", terms: ["人才"] },
  { tag: "金融支持", terms: ["融资", "金融", "基金"] },
  { tag: "5G", terms: ["5G"] },
  { tag: "集成电路", terms: ["集成电路", "半导体", "芯片"] },
  { tag: "数字化转型", terms: ["数字化", "工业互联网", "智能制造"] },
  { tag: "企业服务", terms: ["企莞家", "对企服务", "服务企业"] },
  { tag: "创新平台", terms: ["实验室", "创新中心", "新型研发机构", "科学城"] },
  { tag: "产业链", terms: ["产业链", "强链补链", "链主"] },
  { tag: "组织领导", terms: ["组织领导", "协调机制", "工作专班"] },
];

const TAG_SEPARATORS = /[,，、;；\s]+/;

/** How many distinct tags were typed (parseTags keeps at most MAX_TAGS, so a form checks this first). */
export function countTags(input: string): number {
  return new Set(
    input
      .split(TAG_SEPARATORS)
      .map((t) => t.trim().slice(0, MAX_TAG_LENGTH))
      .filter(Boolean),
  ).size;
}

/** Tags from a free-text field: split on commas / 、 / spaces, trimmed, deduplicated, bounded. */
export function parseTags(input: string | readonly string[] | null | undefined): string[] {
  const parts = typeof input === "string" ? input.split(TAG_SEPARATORS) : [...(input ?? [])];
  const out: string[] = [];
  for (const p of parts) {
    const t = p.trim().slice(0, MAX_TAG_LENGTH);
    if (t && !out.includes(t)) out.push(t);
    if (out.length >= MAX_TAGS) break;
  }
  return out;
}

/** Tags suggested by the wording of a text (see TAG_VOCABULARY). */
export function suggestTags(text: string): string[] {
  const norm = normalizeForSearch(text);
  return TAG_VOCABULARY.filter((v) => v.terms.some((t) => norm.includes(normalizeForSearch(t)))).map((v) => v.tag);
}

// ---------------------------------------------------------------------------
// Search text
// ---------------------------------------------------------------------------

const QUOTES = /[“”„‟«»「」『』‘’‚‛"'`´]/g;
const DROP = /[\s\p{P}\p{S}]/gu;

function normalizeChar(ch: string): string {
  const c = ch.charCodeAt(0);
  // Most characters of a letter are CJK unified ideographs, ASCII letters or digits: their normal
  // form is themselves (or the lower case), without the cost of normalize() and two expressions,
  // which was most of the library search's own time (the unit test compares both for every BMP code point).
  if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) return ch;
  if (c >= 0x41 && c <= 0x5a) return String.fromCharCode(c + 32);
  return ch.normalize("NFKC").toLowerCase().replace(QUOTES, "").replace(DROP, "");
}

/**
 * Normalised text with, for each of its code points, the UTF-16 offset of the source
 * character it came from (so that matches can be highlighted in the original wording).
 * Character by character, so that the normalised text and the map always agree.
 */
export function normalizeWithMap(text: string): { norm: string; map: number[] } {
  let norm = "";
  const map: number[] = [];
  let offset = 0;
  for (const ch of text) {
    const n = normalizeChar(ch);
    for (const c of n) {
      norm += c;
      map.push(offset);
    }
    offset += ch.length;
  }
  return { norm, map };
}

/** NFKC, lower case, no whitespace, punctuation or symbols: "汇集49 个单位" = "汇集49个单位". */
export function normalizeForSearch(text: string): string {
  let norm = "";
  for (const ch of text) norm += normalizeChar(ch);
  return norm;
}

/** Length in code points (what PostgreSQL's length() counts in a UTF-8 database). */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Overlapping character bigrams of a normalised string, with their counts. */
export function bigramCounts(norm: string): Map<string, number> {
  const chars = Array.from(norm);
  const out = new Map<string, number>();
  for (let i = 0; i + 1 < chars.length; i++) {
    const g = chars[i]! + chars[i + 1]!;
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Distinct bigrams of a normalised string, in order of first occurrence. */
export function bigrams(norm: string): string[] {
  return [...bigramCounts(norm).keys()];
}

/** Separator between tags in the stored search text: a symbol, so no normalised term contains it. */
export const TAG_SEPARATOR = "|";

export interface SearchDocument {
  searchTitle: string;
  searchTags: string;
  searchBody: string;
  /** Code points of searchBody. */
  bodyLength: number;
  /** Every distinct bigram of title, tags and body. */
  grams: string[];
  /** The impact of each gram (see the module comment). */
  impacts: Map<string, number>;
}

/** The ranking constants. Changing them requires `paragraphs:reindex`. */
export const RANKING = {
  k1: 1.2,
  b: 0.75,
  /** Body length (normalised characters) at which the length normalisation is neutral. */
  pivot: 200,
  titleBonus: 2,
  tagBonus: 1.5,
} as const;

/** BM25-style saturation of a body term frequency; 0 when tf is 0. */
export function termWeight(tf: number, bodyLength: number): number {
  const { k1, b, pivot } = RANKING;
  return (tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * bodyLength) / pivot));
}

/** Score of one term (or impact of one gram) in a paragraph. */
export function termScore(tfBody: number, bodyLength: number, inTitle: boolean, inTags: boolean): number {
  return termWeight(tfBody, bodyLength) + (inTitle ? RANKING.titleBonus : 0) + (inTags ? RANKING.tagBonus : 0);
}

/** The largest score one term can reach (tf → ∞, in the title and the tags). */
export const MAX_TERM_SCORE = RANKING.k1 + 1 + RANKING.titleBonus + RANKING.tagBonus;

export function buildSearchDocument(p: { title: string; tags: readonly string[]; body: string }): SearchDocument {
  const searchTitle = normalizeForSearch(p.title);
  const tagNorms = p.tags.map(normalizeForSearch).filter(Boolean);
  const searchTags = tagNorms.join(TAG_SEPARATOR);
  const searchBody = normalizeForSearch(p.body);
  const bodyLength = codePointLength(searchBody);
  const body = bigramCounts(searchBody);
  const title = bigramCounts(searchTitle);
  const tags = new Set(tagNorms.flatMap((t) => bigrams(t)));
  const impacts = new Map<string, number>();
  for (const g of new Set([...body.keys(), ...title.keys(), ...tags])) {
    impacts.set(g, termScore(body.get(g) ?? 0, bodyLength, title.has(g), tags.has(g)));
  }
  return { searchTitle, searchTags, searchBody, bodyLength, grams: [...impacts.keys()], impacts };
}

/** Non-overlapping occurrences of `term` in `text` (what the SQL `replace` count gives). */
export function countOccurrences(text: string, term: string): number {
  if (!term) return 0;
  let n = 0;
  for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) n++;
  return n;
}

/** Reference implementation of the score (the SQL in the search model must agree with it). */
export function scoreDocument(doc: Pick<SearchDocument, "searchTitle" | "searchTags" | "searchBody" | "bodyLength">, terms: readonly string[]): number {
  let score = 0;
  for (const t of terms) {
    const tf = countOccurrences(doc.searchBody, t);
    const inTitle = doc.searchTitle.includes(t);
    const inTags = doc.searchTags.includes(t);
    if (!tf && !inTitle && !inTags) return 0;
    score += termScore(tf, doc.bodyLength, inTitle, inTags);
  }
  return score;
}

export const MAX_QUERY_TERMS = 8;
export const MAX_TERM_LENGTH = 40;

/**
 * Terms of a search box query: split on whitespace and separators, normalised, deduplicated.
 * Every term must occur (as a contiguous string, ignoring spaces and punctuation).
 */
export function parseSearchQuery(q: string): string[] {
  const out: string[] = [];
  for (const part of q.split(/[\s,，、;；|]+/)) {
    const t = Array.from(normalizeForSearch(part)).slice(0, MAX_TERM_LENGTH).join("");
    if (t && !out.includes(t)) out.push(t);
    if (out.length >= MAX_QUERY_TERMS) break;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Highlighting
// ---------------------------------------------------------------------------

export type Segment = { text: string; hit: boolean };
export type Highlighted = { segments: Segment[]; clippedStart: boolean; clippedEnd: boolean; hits: number };

// A search result list highlights the same paragraphs for query after query: their normal form
// is remembered per text (it was most of highlighting's cost).
const normalizedForMatching = memo((text: string) => {
  const { norm, map } = normalizeWithMap(text);
  return { norm, map, normChars: Array.from(norm) };
}, 500_000);

/** Ranges [start, end) of the original text where normalised terms occur, merged. */
export function matchRanges(text: string, terms: readonly string[]): [number, number][] {
  const { norm, map, normChars } = normalizedForMatching(text);
  // Code point index → UTF-16 index in norm, to translate indexOf results.
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (!term) continue;
    const len = codePointLength(term);
    let cp = 0;
    let u16 = 0;
    for (let at = norm.indexOf(term); at >= 0; at = norm.indexOf(term, at + term.length)) {
      while (u16 < at) u16 += normChars[cp++]!.length;
      const first = cp;
      const last = cp + len - 1;
      const start = map[first]!;
      const endChar = text.codePointAt(map[last]!)!;
      const end = map[last]! + (endChar > 0xffff ? 2 : 1);
      ranges.push([start, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function snapToCodePoint(text: string, i: number): number {
  // Never cut a surrogate pair in half.
  if (i > 0 && i < text.length && /[\uDC00-\uDFFF]/.test(text[i]!) && /[\uD800-\uDBFF]/.test(text[i - 1]!)) return i - 1;
  return i;
}

/**
 * The text as segments with the matched terms marked. With `window`, only about that many
 * characters around the first match are kept (a search-result snippet).
 */
export function highlight(text: string, terms: readonly string[], opts: { window?: number; before?: number } = {}): Highlighted {
  const ranges = matchRanges(text, terms);
  let from = 0;
  let to = text.length;
  if (opts.window && text.length > opts.window) {
    const first = ranges[0]?.[0] ?? 0;
    from = snapToCodePoint(text, Math.max(0, Math.min(first - (opts.before ?? 30), text.length - opts.window)));
    to = snapToCodePoint(text, Math.min(text.length, from + opts.window));
  }
  const segments: Segment[] = [];
  let at = from;
  let hits = 0;
  for (const [s, e] of ranges) {
    if (e <= from || s >= to) continue;
    const start = Math.max(s, from);
    const end = Math.min(e, to);
    if (start > at) segments.push({ text: text.slice(at, start), hit: false });
    segments.push({ text: text.slice(start, end), hit: true });
    hits++;
    at = end;
  }
  if (at < to) segments.push({ text: text.slice(at, to), hit: false });
  return { segments, clippedStart: from > 0, clippedEnd: to < text.length, hits };
}

// ---------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------

export type DiffPart = { text: string; op: "same" | "add" | "del" };

/** Beyond this many inserted or deleted tokens a diff says "replaced" instead of searching on (its cost grows with the edits). */
export const MAX_DIFF_EDITS = 2000;

/** Diff tokens: a run of Latin letters / digits (a figure such as "13239" or "9661.1") or one other character. */
export function diffTokens(text: string): string[] {
  return text.match(/[A-Za-z0-9]+(?:[.,．][0-9]+)*%?|[\s\S]/gu) ?? [];
}

/**
 * Diff of two versions. Chinese has no word boundaries, so characters are the unit, except
 * that a figure changes as a whole ("13239" → "15872", not "1[3239→5872]").
 */
export function diffTexts(before: string, after: string): DiffPart[] {
  const parts: DiffPart[] = [];
  // Two texts rewritten throughout cost the diff seconds of CPU (10,000 characters: ~10 s):
  // past this many edits they are shown as the old text replaced by the new one.
  const changes = diffArrays(diffTokens(before), diffTokens(after), { maxEditLength: MAX_DIFF_EDITS });
  if (!changes) return [...(before ? [{ text: before, op: "del" as const }] : []), ...(after ? [{ text: after, op: "add" as const }] : [])];
  for (const c of changes) {
    const op = c.added ? "add" : c.removed ? "del" : "same";
    const text = c.value.join("");
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else if (text) parts.push({ text, op });
  }
  return parts;
}

/** Source label for display: "东工信函〔2021〕108号 · 四、创新成果转化". */
/** What a past letter is called where its title may not be shown and it has no 文号 (decision 009). */
export const HIDDEN_LETTER_LABEL = "往年答复函";

export function sourceLabel(p: { documentTitle?: string | null; letterNumber?: string | null; section?: string | null }): string {
  const doc = p.letterNumber || p.documentTitle || "";
  return [doc, p.section].filter(Boolean).join(" · ");
}

/**
 * Where a candidate can be split, for the import page: after each sentence (body text,
 * offsets in code points), or between table rows.
 */
export function splitPoints(c: { kind: string; text: string; rows?: string[][] }): { offset: number; label: string }[] {
  if (c.kind === "table") {
    const rows = c.rows ?? [];
    return rows.slice(0, -1).map((r, i) => ({ offset: i + 1, label: `第 ${i + 1} 行（${(r.find(Boolean) ?? "").slice(0, 12)}）之后` }));
  }
  const chars = Array.from(c.text);
  const out: { offset: number; label: string }[] = [];
  for (let i = 0; i < chars.length - 1; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1]!;
    const ends = /[。！？；\n]/.test(ch) && !/[”’」』）)]/.test(next);
    const closes = /[”’」』]/.test(ch) && /[。！？；]/.test(chars[i - 1] ?? "");
    // "。\n" or "？！": one place to split, offered once, after the last mark or the line break
    // (two entries read the same in the list); before a space it is offered here, the space not being one
    if ((!ends && !closes) || /[。！？；\n]/.test(next)) continue;
    const tail = chars
      .slice(Math.max(0, i - 7), i + 1)
      .join("")
      .replace(/\n/g, "");
    out.push({ offset: i + 1, label: `在“…${tail}”之后` });
    if (out.length >= 60) break;
  }
  return out;
}

/**
 * How a letter reference matches a stored 文号 ("东工信函〔2021〕108号"): a LIKE pattern (prefix and
 * year when given) and a regex that stops "108号" from matching "1108号". One rule for every search.
 */
export function letterNumberPatterns(ref: { prefix: string | null; year: number | null; no: number }): { like: string; regex: string } {
  return { like: `${ref.prefix ?? "%"}${ref.year ? `〔${ref.year}〕` : "%"}${ref.no}号`, regex: `[^0-9]${ref.no}号$` };
}

export type ReferenceQuery = { kind: "letter"; year: number | null; no: number; prefix: string | null } | { kind: "proposal"; number: string };

/**
 * A search for a past reply by its number: "108号", "〔2021〕108号", "东工信函〔2021〕108号"
 * (文号), or "第10121号提案", "10121号提案", "提案10121" (提案号). Anything else: null.
 */
export function parseReferenceQuery(q: string): ReferenceQuery | null {
  const s = q.normalize("NFKC").replace(/\s+/g, "");
  const proposal = /^(?:第?(\d{3,10})号?提案|提案(?:号)?[:：]?(\d{3,10})号?)$/u.exec(s);
  if (proposal) return { kind: "proposal", number: (proposal[1] ?? proposal[2])! };
  const letter = /^(?:([\p{Script=Han}]{1,8}?)?[〔[(（]?(\d{4})[〕\])）])?(?:第)?(\d{1,5})号$/u.exec(s);
  if (letter) return { kind: "letter", year: letter[2] ? Number(letter[2]) : null, no: Number(letter[3]), prefix: letter[1] ?? null };
  return null;
}

/** The library paragraph an import's 更新 revises: the candidate's best exact or near duplicate. */
export function updateTarget<M extends { kind: DuplicateKind }>(matches: readonly M[]): M | undefined {
  return matches.find((m) => m.kind === "exact" || m.kind === "near");
}
