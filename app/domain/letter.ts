/**
 * The reply letter as a plain value, and the rules that build and check it.
 *
 * One `Letter` value feeds both renderings (app/letters/docx.server.ts and
 * app/letters/LetterPreview.tsx). It holds no database types: a frozen letter
 * is stored as this value (validate it back with `letterSchema`).
 *
 * Pure and browser-safe: no I/O, no node imports. Layout figures live in the
 * renderers; this module decides *what* is printed, never *where*.
 */
import { foldFullWidthDigits } from "./full-width";
import { z } from "zod";

// ---------------------------------------------------------------------------
// The value
// ---------------------------------------------------------------------------

export const LETTER_KINDS = ["reply", "co_handling_opinion"] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const DISCLOSURES = ["主动公开", "依申请公开", "不予公开"] as const;
export type Disclosure = (typeof DISCLOSURES)[number];

export const OUTCOMES = ["A", "B", "C"] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type DateStyle = "chinese" | "arabic";
export type HeadingLevel = 1 | 2;

/** A block of the letter body. */
export type LetterBlock =
  /** A heading on its own line: level 1 一、 (黑体), level 2 （一） (楷体). */
  | { type: "heading"; level: HeadingLevel; text: string }
  /**
   * A body paragraph. `lead` is an inline bold heading that opens the paragraph
   * ("三、系统规划引领。" followed by the text, as in 东工信函〔2021〕108号).
   */
  | { type: "paragraph"; text: string; lead?: { level: HeadingLevel; text: string } }
  /** A real table; `headerRows` leading rows are header rows (repeated on each page). */
  | { type: "table"; caption?: string; rows: string[][]; headerRows?: number };

export interface LetterSignature {
  /** 领导签字 in the bureau's template. */
  leaderLabel: string;
  /** Printed after the label; null leaves "领导签字：" empty for a handwritten signature. */
  leaderName: string | null;
  /** Defaults to 承办人姓名. */
  handlerLabel?: string;
  handlerName: string;
  /** Defaults to 联系电话. */
  phoneLabel?: string;
  phone: string;
  /** （承办单位印章） */
  sealLine: string;
}

export interface Letter {
  kind: LetterKind;
  /** 发文机关标志, e.g. 东莞市工业和信息化局. */
  authority: string;
  /** 东工信函〔2021〕108号; null for a draft that has no number yet. */
  documentNumber: string | null;
  title: string;
  /** Explicit line split of the title; otherwise renderers call `wrapTitle(title)`. */
  titleLines?: string[];
  /** 主送, without the trailing colon (renderers add "："). */
  addressee: string;
  opening: string;
  sections: LetterBlock[];
  signature: LetterSignature;
  /** 成文日期, ISO YYYY-MM-DD; null while drafting. */
  date: string | null;
  dateStyle: DateStyle;
  /** null → no 公开方式 line (as in 109). */
  disclosure: Disclosure | null;
  /** Required by `letterProblems` for 不予公开; never printed. */
  disclosureReason?: string | null;
  /** 办理结果分类; never printed. */
  outcome?: Outcome | null;
  /** Prints a 草稿 watermark. */
  draft: boolean;
}

export const DEFAULT_HANDLER_LABEL = "承办人姓名";
export const DEFAULT_PHONE_LABEL = "联系电话";
export const DISCLOSURE_LABEL = "公开方式";

const headingLevelSchema = z.union([z.literal(1), z.literal(2)]);

export const letterBlockSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("heading"), level: headingLevelSchema, text: z.string() }),
  z.object({
    type: z.literal("paragraph"),
    text: z.string(),
    lead: z.object({ level: headingLevelSchema, text: z.string() }).optional(),
  }),
  z.object({
    type: z.literal("table"),
    caption: z.string().optional(),
    rows: z.array(z.array(z.string())),
    headerRows: z.number().int().min(0).optional(),
  }),
]);

const isoDateSchema = z.string().refine(isValidIsoDate, "不是有效的日期（YYYY-MM-DD）");

/** Validates a stored Letter value (e.g. the frozen letter of a signed revision). */
export const letterSchema = z.object({
  kind: z.enum(LETTER_KINDS),
  authority: z.string(),
  documentNumber: z.string().nullable(),
  title: z.string(),
  titleLines: z.array(z.string()).optional(),
  addressee: z.string(),
  opening: z.string(),
  sections: z.array(letterBlockSchema),
  signature: z.object({
    leaderLabel: z.string(),
    leaderName: z.string().nullable(),
    handlerLabel: z.string().optional(),
    handlerName: z.string(),
    phoneLabel: z.string().optional(),
    phone: z.string(),
    sealLine: z.string(),
  }),
  date: isoDateSchema.nullable(),
  dateStyle: z.enum(["chinese", "arabic"]),
  disclosure: z.enum(DISCLOSURES).nullable(),
  disclosureReason: z.string().nullable().optional(),
  outcome: z.enum(OUTCOMES).nullable().optional(),
  draft: z.boolean(),
}) satisfies z.ZodType<Letter>;

// ---------------------------------------------------------------------------
// Text hygiene
// ---------------------------------------------------------------------------

/* eslint-disable no-control-regex */
const LINE_ENDINGS = /\r\n?|[\u000B\u000C\u2028\u2029\u0085]/g; // CRLF, CR, Word's VT line break, FF, LS, PS, NEL
const XML_INVALID = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\uFFFE\uFFFF]/g;
/** U+FFFD only ever marks bytes lost in decoding (e.g. React 18's NUL padding read back by a textarea). */
const REPLACEMENT = /\uFFFD/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * Invisible junk pasted from Word and web pages, and bidirectional controls (a paragraph opening
 * with U+202E read backwards). U+200D (ZWJ) is kept: emoji sequences need it; U+200C (ZWNJ) is not:
 * Chinese has no use for it, and kept in a 会议 name it made a second 会议 that looked the same.
 */
const INVISIBLE = /[\u200B\u200C\u2060\uFEFF\u00AD\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
const ODD_SPACES = /[\u00A0\u2007\u202F]/g;
/* eslint-enable no-control-regex */

/**
 * Makes text safe for XML 1.0 and tidy: strips control characters (except \t
 * and \n), lone surrogates and U+FFFE/U+FFFF; turns CRLF/CR/VT/LS/PS into \n;
 * removes zero-width spaces, BOMs, soft hyphens and U+FFFD; NBSP → space. Emoji and
 * the ideographic space U+3000 are kept. Idempotent.
 */
export function sanitizeText(s: string): string {
  return sanitizeField(s).replace(REPLACEMENT, "");
}

/**
 * sanitizeText for a typed or imported field, less one step: a U+FFFD stays. There it marks a
 * character lost in decoding (a GBK sheet read wrongly), and removed, "301\uFFFD23" became 30123 —
 * another proposal's number — where kept, the field's check refuses it.
 */
export function sanitizeField(s: string): string {
  return s.replace(LINE_ENDINGS, "\n").replace(LONE_SURROGATE, "").replace(XML_INVALID, "").replace(INVISIBLE, "").replace(ODD_SPACES, " ");
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

export function isValidIsoDate(iso: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const dim = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= dim;
}

/** 〇 is U+3007 IDEOGRAPHIC NUMBER ZERO; never U+25CB WHITE CIRCLE or a Latin 0. */
const CN_DIGITS = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"] as const;

/** 1..31 as 一 … 十 … 十九, 二十, 二十一 … 三十一. */
function chineseSmallNumber(n: number): string {
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  const units = n % 10;
  return (tens === 1 ? "" : CN_DIGITS[tens]) + "十" + (units === 0 ? "" : CN_DIGITS[units]);
}

/**
 * 成文日期. chinese: 二〇二一年五月十九日 (year digit by digit, month and day
 * as numbers: 十月十日, 十二月三十一日); arabic: 2021年5月19日.
 * Throws RangeError for anything that is not a real ISO date.
 */
export function formatLetterDate(iso: string, style: DateStyle): string {
  if (!isValidIsoDate(iso)) throw new RangeError(`不是有效的日期：${iso}`);
  const [y, m, d] = iso.split("-");
  const month = Number(m);
  const day = Number(d);
  if (style === "arabic") return `${Number(y)}年${month}月${day}日`;
  const year = [...y].map((c) => CN_DIGITS[Number(c)]).join("");
  return `${year}年${chineseSmallNumber(month)}月${chineseSmallNumber(day)}日`;
}

// ---------------------------------------------------------------------------
// 发文字号
// ---------------------------------------------------------------------------

export interface DocumentNumberParts {
  prefix: string;
  year: number;
  seq: number;
}

/** 东工信函〔2021〕108号: year in 〔〕 (U+3014/U+3015), no leading zeros. */
export function formatDocumentNumber({ prefix, year, seq }: DocumentNumberParts): string {
  const p = prefix.replace(/\s+/g, "");
  if (!p) throw new RangeError("发文字号缺少机关代字");
  if (!Number.isInteger(year) || year < 1900 || year > 2999) throw new RangeError(`年份无效：${year}`);
  if (!Number.isInteger(seq) || seq < 1) throw new RangeError(`序号无效：${seq}`);
  return `${p}〔${year}〕${seq}号`;
}

/**
 * Reads 东工信函〔2021〕108号 back. Tolerates spaces anywhere ("东工信函〔2021〕109 号"),
 * leading zeros, and the brackets people type instead of 〔〕: [] ［］ 【】 () （）.
 */
export function parseDocumentNumber(s: string): DocumentNumberParts | null {
  const t = foldFullWidthDigits(sanitizeText(s)).replace(/[\s\u3000]+/g, "");
  const m = /^(.+?)[〔[［【(（](\d{4})[〕\]］】)）]0*(\d+)号$/.exec(t);
  if (!m) return null;
  const seq = Number(m[3]);
  const year = Number(m[2]);
  // only what formatDocumentNumber can write back and the database can hold (int4)
  if (seq < 1 || seq > 2_147_483_647 || year < 1900 || year > 2999) return null;
  return { prefix: m[1], year, seq };
}

// ---------------------------------------------------------------------------
// 主送 (addressee)
// ---------------------------------------------------------------------------

export type LetterProposer = { kind: "body" | "member"; name: string };

/**
 * The addressee line from the proposers, in their filed order:
 * - bodies are named in full and joined with 、: 民建市委会 / 民建市委会、致公党市委会;
 * - members: one → 殷毓德委员; two or three → 张三、李四、王五委员;
 *   more than three → the first two and the count: 张三、李四等5位委员
 *   (the count includes every member, named or not);
 * - bodies come first, then the members: 民建市委会、殷毓德委员.
 * - a stated total larger than the names ("张三、李四等3位委员") is printed as registered;
 * A trailing 委员 typed into a name is not doubled; duplicates are dropped.
 */
export function addresseeFor(proposers: readonly LetterProposer[], total?: number | null): string {
  const seen = new Set<string>();
  const bodies: string[] = [];
  const members: string[] = [];
  for (const p of proposers) {
    let name = sanitizeText(p.name).trim();
    if (p.kind === "member" && name.endsWith("委员") && !name.endsWith("委员会")) name = name.slice(0, -2).trim();
    if (!name) continue;
    const key = `${p.kind}:${name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    (p.kind === "body" ? bodies : members).push(name);
  }
  const parts: string[] = [];
  if (bodies.length) parts.push(bodies.join("、"));
  // As registered: "张三、李四等3位委员" keeps its count even when fewer are named.
  const count = Math.max(members.length, total ?? 0);
  if (count > members.length && members.length) parts.push(`${members.slice(0, 3).join("、")}等${count}位委员`);
  else if (members.length === 1) parts.push(`${members[0]}委员`);
  else if (members.length >= 2 && members.length <= 3) parts.push(`${members.join("、")}委员`);
  else if (members.length > 3) parts.push(`${members.slice(0, 2).join("、")}等${members.length}位委员`);
  return parts.join("、");
}

// ---------------------------------------------------------------------------
// Placeholders
// ---------------------------------------------------------------------------

/** The placeholders a template may use. */
export const LETTER_PLACEHOLDERS = ["会议", "提案号", "案由", "提案者", "主办单位", "发文机关"] as const;
export type LetterPlaceholder = (typeof LETTER_PLACEHOLDERS)[number];

export type FillResult = { ok: true; text: string } | { ok: false; missing: string[]; unknown: string[] };

/**
 * Fills {名称} placeholders. A placeholder is *unknown* when it is neither one of
 * LETTER_PLACEHOLDERS nor a key of `values`, or when braces do not pair up
 * ("{案由" is reported as unknown); it is *missing* when its value is absent or
 * blank. Either is an error: a letter never prints "{案由}".
 */
export function fillPlaceholders(pattern: string, values: Readonly<Record<string, string | null | undefined>>): FillResult {
  const missing: string[] = [];
  const unknown: string[] = [];
  const known = new Set<string>([...LETTER_PLACEHOLDERS, ...Object.keys(values)]);
  let out = "";
  let i = 0;
  while (i < pattern.length) {
    const ch = pattern[i];
    if (ch === "{") {
      const close = pattern.indexOf("}", i + 1);
      const nextOpen = pattern.indexOf("{", i + 1);
      if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
        const end = nextOpen === -1 ? pattern.length : nextOpen;
        pushOnce(unknown, pattern.slice(i, end));
        i = end;
        continue;
      }
      const name = pattern.slice(i + 1, close).trim();
      if (!name || !known.has(name)) pushOnce(unknown, name || "{}");
      else {
        const v = values[name];
        if (v == null || v.trim() === "") pushOnce(missing, name);
        else out += v;
      }
      i = close + 1;
    } else if (ch === "}") {
      pushOnce(unknown, "}");
      i++;
    } else {
      out += ch;
      i++;
    }
  }
  if (missing.length || unknown.length) return { ok: false, missing, unknown };
  return { ok: true, text: out };
}

function pushOnce(list: string[], v: string) {
  if (!list.includes(v)) list.push(v);
}

/** A placeholder left in the text ({单位名称}, ｛…｝, {}): signing refuses it, and so does 提交签发 (draftProblems). */
export const LEFTOVER_PLACEHOLDER = /[{｛][^{}｛｝]*[}｝]/;

// ---------------------------------------------------------------------------
// Templates
// ---------------------------------------------------------------------------

/**
 * A letter template: data, one JSON file per bureau and kind in templates/.
 * Adding a bureau means adding a file; nothing here names a bureau.
 */
export const letterTemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "模板编号只能用小写字母、数字和连字符"),
    name: z.string().min(1),
    kind: z.enum(LETTER_KINDS),
    authority: z.string().min(1),
    numberPrefix: z.string().min(1),
    titlePattern: z.string().min(1),
    /**
     * Where a title that needs two lines breaks: after the text this placeholder
     * (or literal) produces, e.g. "{会议}" keeps 第…号提案 together on line two.
     */
    titleBreakAfter: z.string().optional(),
    /** Addressee: {提案者} for a reply, {主办单位} for a 会办意见. */
    addresseePattern: z.string().min(1),
    openingPattern: z.string().min(1),
    signature: z.object({
      leaderLabel: z.string().min(1).default("领导签字"),
      handlerLabel: z.string().min(1).default(DEFAULT_HANDLER_LABEL),
      phoneLabel: z.string().min(1).default(DEFAULT_PHONE_LABEL),
      sealLine: z.string().min(1).default("（承办单位印章）"),
    }),
    dateStyle: z.enum(["chinese", "arabic"]).default("chinese"),
    /** Print the 公开方式 line after the date. */
    showDisclosureLine: z.boolean(),
    /** Print the signing leader's name after 领导签字 by default (109 does, 108 does not). */
    printSignerName: z.boolean().default(false),
    /** Whether signing needs an 办理结果分类 (A/B/C). */
    requireOutcome: z.boolean().default(true),
    /** How this city names the outcome categories (labels vary by city). */
    outcomeLabels: z
      .object({ A: z.string().min(1), B: z.string().min(1), C: z.string().min(1) })
      .default({ A: "A 已解决或采纳", B: "B 正在解决或列入计划", C: "C 因条件限制留作参考" }),
  })
  .superRefine((t, ctx) => {
    for (const key of ["titlePattern", "addresseePattern", "openingPattern"] as const) {
      const probe = fillPlaceholders(t[key], Object.fromEntries(LETTER_PLACEHOLDERS.map((p) => [p, "x"])));
      if (!probe.ok) ctx.addIssue({ code: "custom", path: [key], message: `未知占位符：${probe.unknown.join("、")}` });
    }
  });

export type LetterTemplate = z.output<typeof letterTemplateSchema>;

/** Validates a template read from JSON; throws a zod error listing what is wrong. */
export function parseLetterTemplate(json: unknown): LetterTemplate {
  return letterTemplateSchema.parse(json);
}

/** What a letter is built from: the proposal, the draft body and the signing facts. */
export const letterInputSchema = z.object({
  meeting: z.string(),
  proposalNumber: z.string(),
  proposalTitle: z.string(),
  proposers: z.array(z.object({ kind: z.enum(["body", "member"]), name: z.string() })).default([]),
  /** Members who signed, when more than are named ("等3位委员"). */
  proposerTotal: z.number().int().positive().nullable().optional(),
  /** 主办单位, the addressee of a 会办意见. */
  leadUnit: z.string().nullable().optional(),
  /** Overrides the addressee computed from the pattern. */
  addressee: z.string().nullable().optional(),
  /** A formatted number, its parts (prefix from the template), or null for a draft. */
  documentNumber: z
    .union([z.string(), z.object({ year: z.number().int(), seq: z.number().int() })])
    .nullable()
    .optional(),
  sections: z.array(letterBlockSchema),
  handlerName: z.string(),
  phone: z.string(),
  leaderName: z.string().nullable().optional(),
  /** Overrides the template's printSignerName. */
  printSignerName: z.boolean().optional(),
  date: isoDateSchema.nullable().optional(),
  disclosure: z.enum(DISCLOSURES).nullable().optional(),
  disclosureReason: z.string().nullable().optional(),
  outcome: z.enum(OUTCOMES).nullable().optional(),
  draft: z.boolean().optional(),
});
export type LetterInput = z.input<typeof letterInputSchema>;

/** Thrown by buildLetter; `errors` are the zh-CN messages tryBuildLetter returns. */
export class LetterTemplateError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join("；"));
    this.name = "LetterTemplateError";
  }
}

export type BuildLetterResult = { ok: true; letter: Letter } | { ok: false; errors: string[] };

const FIELD_LABELS: Record<string, string> = { title: "标题", addressee: "主送", opening: "开头语" };

/** Strips 《》 that people include when typing 案由; the template adds its own. */
function bareProposalTitle(t: string): string {
  return t
    .trim()
    .replace(/^《(.*)》$/s, "$1")
    .trim();
}

/** Builds a Letter; placeholder problems come back as zh-CN errors, never as "{案由}" in print. */
export function tryBuildLetter(template: LetterTemplate, input: LetterInput): BuildLetterResult {
  const parsed = letterInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((iss) => `${iss.path.join(".") || "输入"}：${iss.message}`) };
  }
  const i = parsed.data;
  const clean = (s: string | null | undefined) => (s == null ? s : sanitizeText(s).trim());
  const values: Record<string, string | null | undefined> = {
    会议: clean(i.meeting),
    提案号: clean(i.proposalNumber)?.replace(/^第|号$/g, ""),
    案由: bareProposalTitle(clean(i.proposalTitle) ?? ""),
    提案者: addresseeFor(i.proposers, i.proposerTotal),
    主办单位: clean(i.leadUnit),
    发文机关: template.authority,
  };
  const errors: string[] = [];
  const filled: Record<"title" | "addressee" | "opening", string> = { title: "", addressee: "", opening: "" };
  const patterns = { title: template.titlePattern, addressee: template.addresseePattern, opening: template.openingPattern };
  for (const field of ["title", "addressee", "opening"] as const) {
    if (field === "addressee" && i.addressee && i.addressee.trim()) {
      filled.addressee = clean(i.addressee)!.replace(/[:：]$/, "");
      continue;
    }
    const r = fillPlaceholders(patterns[field], values);
    if (r.ok) filled[field] = r.text;
    else {
      if (r.missing.length) errors.push(`${FIELD_LABELS[field]}缺少：${r.missing.join("、")}`);
      if (r.unknown.length) errors.push(`${FIELD_LABELS[field]}有未知占位符：${r.unknown.join("、")}`);
    }
  }
  let documentNumber: string | null = null;
  if (typeof i.documentNumber === "string") documentNumber = clean(i.documentNumber) || null;
  else if (i.documentNumber) {
    try {
      documentNumber = formatDocumentNumber({ prefix: template.numberPrefix, ...i.documentNumber });
    } catch (e) {
      errors.push(`发文字号无效：${(e as Error).message}`);
    }
  }
  if (errors.length) return { ok: false, errors };

  let titleLines: string[] | undefined;
  if (template.titleBreakAfter && textWidthEm(filled.title) > TITLE_MAX_EM) {
    const r = fillPlaceholders(template.titleBreakAfter, values);
    const marker = r.ok ? r.text : null;
    const at = marker ? filled.title.indexOf(marker) : -1;
    if (marker && at >= 0) {
      const cut = at + marker.length;
      const lines = [filled.title.slice(0, cut), filled.title.slice(cut)];
      if (lines.every((l) => l && textWidthEm(l) <= TITLE_MAX_EM)) titleLines = lines;
    }
  }

  const printName = i.printSignerName ?? template.printSignerName;
  const letter: Letter = {
    kind: template.kind,
    authority: template.authority,
    documentNumber,
    title: filled.title,
    ...(titleLines ? { titleLines } : {}),
    addressee: filled.addressee,
    opening: filled.opening,
    sections: i.sections.map(cleanBlock),
    signature: {
      leaderLabel: template.signature.leaderLabel,
      leaderName: printName ? clean(i.leaderName) || null : null,
      handlerLabel: template.signature.handlerLabel,
      handlerName: clean(i.handlerName) ?? "",
      phoneLabel: template.signature.phoneLabel,
      phone: clean(i.phone) ?? "",
      sealLine: template.signature.sealLine,
    },
    date: i.date ?? null,
    dateStyle: template.dateStyle,
    disclosure: template.showDisclosureLine ? (i.disclosure ?? null) : null,
    disclosureReason: i.disclosureReason ?? null,
    outcome: i.outcome ?? null,
    draft: i.draft ?? false,
  };
  return { ok: true, letter };
}

/** Like tryBuildLetter, but throws LetterTemplateError on a missing or unknown placeholder. */
export function buildLetter(template: LetterTemplate, input: LetterInput): Letter {
  const r = tryBuildLetter(template, input);
  if (!r.ok) throw new LetterTemplateError(r.errors);
  return r.letter;
}

function cleanBlock(b: LetterBlock): LetterBlock {
  const s = (t: string) => sanitizeText(t).trim();
  switch (b.type) {
    case "heading":
      return { type: "heading", level: b.level, text: s(b.text) };
    case "paragraph":
      return b.lead ? { type: "paragraph", text: s(b.text), lead: { level: b.lead.level, text: s(b.lead.text) } } : { type: "paragraph", text: s(b.text) };
    case "table":
      return {
        type: "table",
        ...(b.caption != null ? { caption: s(b.caption) } : {}),
        rows: b.rows.map((r) => r.map(s)),
        ...(b.headerRows != null ? { headerRows: b.headerRows } : {}),
      };
  }
}

// ---------------------------------------------------------------------------
// Title wrapping (shared by both renderers)
// ---------------------------------------------------------------------------

/** 二号 (22 pt) characters across the 156 mm type area: 442 pt / 22 pt. */
export const TITLE_MAX_EM = 20;

/** Width in em: CJK and full-width characters 1, ASCII and half-width 0.5. */
export function textWidthEm(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    w += c < 0x2000 || (c >= 0xff61 && c <= 0xffdc) ? 0.5 : 1;
  }
  return w;
}

/**
 * Splits a title into lines of at most `maxEm`, breaking at a meaningful place:
 * after 会议, before 第…号, after ， 、 ） 》, after 的 or before 关于; never inside
 * 第…号, a number, a Latin word or a 《》 name when there is another choice. Breaks
 * that let the rest fit on one line come first, then the best-scored one, then the
 * fuller line, so a two-line title reads as in the seeds
 * (关于对东莞市政协第十三届六次会议 / 第10121号提案的答复).
 */
export function wrapTitle(title: string, maxEm = TITLE_MAX_EM): string[] {
  const t = title.trim();
  if (textWidthEm(t) <= maxEm) return [t];
  const chars = [...t];
  // Positions (indices into chars) where a break may fall, scored: higher is better.
  // Never (while there is another choice): inside 第…号提案, a number or a Latin word, or after an
  // opening mark (…提案《 / 关于…). Rather not: inside a 《》 name — a long one must break somewhere.
  const never = new Set<number>();
  const ratherNot = new Set<number>();
  const markSpan = (re: RegExp, into: Set<number>) => {
    for (const m of t.matchAll(re)) {
      const start = [...t.slice(0, m.index)].length;
      const len = [...m[0]].length;
      for (let k = start + 1; k < start + len; k++) into.add(k);
    }
  };
  markSpan(/第[^第号]{1,20}号(提案)?/g, never);
  markSpan(/[A-Za-z0-9.%-]+/g, never);
  markSpan(/《[^》]{0,40}》/g, ratherNot);
  const banned = (k: number) => never.has(k) || /[《（“〔【〈]$/.test(chars.slice(0, k).join(""));
  const score = (k: number): number => {
    if (banned(k) || ratherNot.has(k)) return -1;
    const before = chars.slice(0, k).join("");
    const after = chars.slice(k).join("");
    if (/会议$/.test(before)) return 5;
    if (/^第[^第号]{1,20}号/.test(after)) return 4;
    if (/[，、）》]$/.test(before)) return 3;
    if (/的$/.test(before) || /^关于/.test(after)) return 2;
    if (/^[，。、；：）》]/.test(after)) return -1; // no line may start with closing punctuation
    return 0;
  };
  const lines: string[] = [];
  let rest = chars;
  while (textWidthEm(rest.join("")) > maxEm) {
    const offset = chars.length - rest.length;
    // every break that keeps this line within the measure
    const candidates: number[] = [];
    for (let k = 1, width = 0; k < rest.length; k++) {
      width += textWidthEm(rest[k - 1]);
      if (width > maxEm) break;
      candidates.push(k);
    }
    // prefer breaks that finish the title on the next line, then the best-scored break,
    // then the fuller line (the seeds' titles are long over short) — among the allowed ones: a
    // break finishing the title inside 第…号提案 (…号提 / 案（…）的答复) is no choice while another is
    const allowed = candidates.filter((k) => !banned(offset + k));
    const usable = allowed.length ? allowed : candidates;
    const finishing = usable.filter((k) => textWidthEm(rest.slice(k).join("")) <= maxEm);
    const pool = finishing.length ? finishing : usable;
    let best = pool.length ? pool[pool.length - 1] : 1;
    for (const k of pool) if (score(offset + k) > score(offset + best)) best = k;
    lines.push(rest.slice(0, best).join(""));
    rest = rest.slice(best);
  }
  if (rest.length) lines.push(rest.join(""));
  return lines;
}

/**
 * The title as printed: `titleLines` when they spell the title (a stale split
 * left behind by an edit is ignored), otherwise `wrapTitle(title)`.
 */
export function titleLinesOf(letter: Letter): string[] {
  const title = sanitizeText(letter.title).trim();
  const lines = letter.titleLines?.map((l) => sanitizeText(l).trim()).filter(Boolean);
  const squash = (s: string) => s.replace(/\s+/g, "");
  if (lines?.length && squash(lines.join("")) === squash(title)) return lines;
  return wrapTitle(title);
}

/** A paragraph's text as printed paragraphs: a line break in the text starts a new paragraph. */
export function splitParagraphs(text: string): string[] {
  return sanitizeText(text)
    .split("\n")
    .map((t) => t.trim())
    .filter(Boolean);
}

// ---------------------------------------------------------------------------
// Reading order
// ---------------------------------------------------------------------------

export function signatureLines(letter: Letter): string[] {
  const s = letter.signature;
  return [`${s.leaderLabel}：${s.leaderName ?? ""}`, `${s.handlerLabel ?? DEFAULT_HANDLER_LABEL}：${s.handlerName}`, `${s.phoneLabel ?? DEFAULT_PHONE_LABEL}：${s.phone}`];
}

/**
 * The signature lines a renderer prints: those of `signatureLines` whose label is not empty.
 * Templates always have labels (the template schema requires them); only the public version
 * empties them, to leave the block out (the plain text then has no bare "：" lines either).
 */
export function printedSignatureLines(letter: Letter): string[] {
  const s = letter.signature;
  const labels = [s.leaderLabel, s.handlerLabel ?? DEFAULT_HANDLER_LABEL, s.phoneLabel ?? DEFAULT_PHONE_LABEL];
  return signatureLines(letter).filter((_, i) => labels[i] !== "");
}

export function addresseeLine(letter: Letter): string {
  return `${letter.addressee.replace(/[:：]\s*$/, "")}：`;
}

export function disclosureLine(letter: Letter): string | null {
  return letter.disclosure ? `${DISCLOSURE_LABEL}：${letter.disclosure}` : null;
}

export function blockLines(b: LetterBlock): string[] {
  switch (b.type) {
    case "heading":
      return [b.text];
    case "paragraph":
      return [(b.lead ? b.lead.text : "") + b.text];
    case "table":
      return [...(b.caption ? [b.caption] : []), ...b.rows.map((r) => r.join("\t"))];
  }
}

/** The letter as plain-text lines in reading order (sanitized). */
export function letterPlainLines(letter: Letter): string[] {
  const lines = [
    letter.authority,
    ...(letter.documentNumber ? [letter.documentNumber] : []),
    letter.title,
    addresseeLine(letter),
    letter.opening,
    ...letter.sections.flatMap(blockLines),
    ...printedSignatureLines(letter),
    letter.signature.sealLine,
    ...(letter.date ? [formatLetterDate(letter.date, letter.dateStyle)] : []),
    ...(disclosureLine(letter) ? [disclosureLine(letter)!] : []),
  ];
  return lines.map(sanitizeText);
}

/** The letter as plain text: authority, number, title, addressee, opening, blocks, signature, date, 公开方式. */
export function letterPlainText(letter: Letter): string {
  return letterPlainLines(letter).join("\n");
}

// ---------------------------------------------------------------------------
// What blocks signing
// ---------------------------------------------------------------------------

/** Landlines 28685020 / 0769-28685020 / (0769)28685020, with an optional extension; mobiles 13800138000. */
const PHONE = /^(?:(?:\+?86[- ]?)?1[3-9]\d{9}|(?:\(?0\d{2,3}\)?[- ]?)?[2-9]\d{6,7}(?:(?:转|-|—|ext\.?)\d{1,6})?)$/;

export function isValidPhone(phone: string): boolean {
  return PHONE.test(phone.replace(/\s+/g, ""));
}

export interface LetterProblemOptions {
  /** Default: true for a reply. */
  requireDisclosure?: boolean;
  /** Default: true for a reply. */
  requireOutcome?: boolean;
}

/** zh-CN problems that block signing; an empty list means the letter may be signed. */
export function letterProblems(letter: Letter, options: LetterProblemOptions = {}): string[] {
  const isReply = letter.kind === "reply";
  const requireDisclosure = options.requireDisclosure ?? isReply;
  const requireOutcome = options.requireOutcome ?? isReply;
  const problems: string[] = [];
  const blank = (s: string | null | undefined) => !s?.trim();

  if (blank(letter.authority)) problems.push("缺少发文机关");
  if (blank(letter.title)) problems.push("缺少标题");
  if (blank(letter.addressee)) problems.push("缺少主送对象");
  if (blank(letter.opening)) problems.push("缺少开头语");

  const fields: [string, string | null | undefined][] = [
    ["发文机关", letter.authority],
    ["发文字号", letter.documentNumber],
    ["标题", letter.title],
    ["主送", letter.addressee],
    ["开头语", letter.opening],
    ...(letter.titleLines ?? []).map((l): [string, string] => ["标题", l]),
  ];
  const contentBlocks = letter.sections.filter((b) =>
    b.type === "table" ? b.rows.some((r) => r.some((c) => c.trim())) : !blank(b.text) || (b.type === "paragraph" && !blank(b.lead?.text)),
  );
  if (!contentBlocks.length) problems.push("正文为空");
  letter.sections.forEach((b, idx) => {
    const n = idx + 1;
    if (b.type === "table") {
      if (!b.rows.length || !b.rows.some((r) => r.some((c) => c.trim()))) problems.push(`正文第${n}块：表格为空`);
      b.rows.forEach((r) => r.forEach((c) => fields.push([`正文第${n}块表格`, c])));
      if (b.caption) fields.push([`正文第${n}块表题`, b.caption]);
    } else {
      if (blank(b.text) && (b.type === "heading" || blank(b.lead?.text))) problems.push(`正文第${n}段为空`);
      fields.push([`正文第${n}段`, b.text]);
      if (b.type === "paragraph" && b.lead) fields.push([`正文第${n}段小标题`, b.lead.text]);
    }
  });
  for (const [label, value] of fields) {
    const m = value ? LEFTOVER_PLACEHOLDER.exec(value) : null;
    if (m) problems.push(`${label}中有未填写的占位符：${m[0]}`);
  }

  if (letter.documentNumber && !parseDocumentNumber(letter.documentNumber)) problems.push(`发文字号格式不正确：${letter.documentNumber}`);
  if (blank(letter.signature.handlerName)) problems.push("缺少承办人姓名");
  if (blank(letter.signature.phone)) problems.push("缺少联系电话");
  else if (!isValidPhone(letter.signature.phone)) problems.push(`联系电话格式不正确：${letter.signature.phone}`);
  if (letter.date != null && !isValidIsoDate(letter.date)) problems.push(`成文日期无效：${letter.date}`);
  if (requireDisclosure && !letter.disclosure) problems.push("未选择公开方式");
  if (letter.disclosure === "不予公开" && blank(letter.disclosureReason)) problems.push("不予公开须说明理由");
  if (requireOutcome && !letter.outcome) problems.push("未选择办理结果分类（A/B/C）");
  return problems;
}
