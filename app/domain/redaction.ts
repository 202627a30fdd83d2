/**
 * The public version of a reply letter (政府信息公开), and the 〖…〗 redaction marks.
 *
 * What a published reply shows (decided here, in one place):
 * - the letter itself: mark, 文号, title, addressee, opening, body, date, 公开方式;
 * - not the internal sign-off block: 领导签字 / 承办人姓名 / 联系电话 are left out (bureaus
 *   publish the reply text without the officer's contact details); the seal placeholder
 *   （承办单位印章） becomes the issuing authority's name, as a published 落款 reads;
 * - contact details inside the text (mobile numbers, landlines, e-mail addresses, ID card
 *   numbers) are masked with ■, one per character;
 * - text an officer marked with 〖…〗 is replaced by ■ of the same length. The letter's fields
 *   are read as one text in reading order (title; addressee, opening, then each block: a
 *   heading, a paragraph's lead and text, a table's caption and cells), so a mark may open in a
 *   heading and close in the paragraph after it. A forgotten mark must not publish what was meant
 *   to be hidden: an unclosed 〖 masks to the end of the letter, and a 〗 with nothing open masks
 *   its field up to it. The proofreader names both as must-fix (`redaction.unbalanced`).
 * - values never printed (outcome, the reason for non-disclosure) are dropped, because the
 *   public Letter value also travels to the browser as loader data.
 *
 * The official letter keeps the marked text and only drops the markers: the renderers call
 * `stripRedactionMarks` on every piece of text they print.
 *
 * Pure and browser-safe.
 */
import { letterPlainText, sanitizeText, type Letter, type LetterBlock } from "./letter";
export { printedSignatureLines } from "./letter";

/** 〖 U+3016 opens text to be redacted in the public version; 〗 U+3017 closes it. */
export const REDACTION_OPEN = "\u3016";
export const REDACTION_CLOSE = "\u3017";
/** ■ U+25A0: one per hidden character. */
export const REDACTION_CHAR = "\u25A0";

const MARKS = /[\u3016\u3017]/g;

/** The official text: the 〖〗 markers removed, the text between them kept. */
export function stripRedactionMarks(text: string): string {
  return text.replace(MARKS, "");
}

/** Does the text hold any 〖 or 〗 marker? */
export function hasRedactionMarks(text: string): boolean {
  return /[\u3016\u3017]/.test(text);
}

const maskAll = (text: string) => text.replace(/[^\n]/gu, REDACTION_CHAR);

/**
 * A redactor for fields read in order: each call replaces the characters between 〖 and 〗 with ■
 * (line breaks are kept, so paragraphs stay paragraphs) and drops the markers, and a mark left
 * open goes on into the next call's field. Nested marks are fine. A 〗 with nothing open masks its
 * field up to it (its 〖 was forgotten: hiding too much is the safe side).
 */
export function markedRedactor(): (text: string) => string {
  let depth = 0;
  return (text) => {
    let out = "";
    for (const ch of text) {
      if (ch === REDACTION_OPEN) depth++;
      else if (ch === REDACTION_CLOSE) {
        if (depth > 0) depth--;
        else out = maskAll(out);
      } else out += depth > 0 && ch !== "\n" ? REDACTION_CHAR : ch;
    }
    return out;
  };
}

/** One field on its own: see `markedRedactor` (an unclosed 〖 masks everything after it). */
export function redactMarked(text: string): string {
  return markedRedactor()(text);
}

/**
 * Where the marks of fields read in order do not pair: each 〖 never closed and each 〗 with
 * nothing open, as [field index, offset in that field] (UTF-16 offsets).
 */
export function unbalancedMarks(fields: readonly string[]): { open: [number, number][]; stray: [number, number][] } {
  const open: [number, number][] = [];
  const stray: [number, number][] = [];
  fields.forEach((text, f) => {
    for (let i = 0; i < text.length; i++) {
      if (text[i] === REDACTION_OPEN) open.push([f, i]);
      else if (text[i] === REDACTION_CLOSE) {
        if (open.length) open.pop();
        else stray.push([f, i]);
      }
    }
  });
  return { open, stray };
}

// ---------------------------------------------------------------------------
// Contact details
// ---------------------------------------------------------------------------

/**
 * The patterns run on a "shadow" of the text in which full-width digits and punctuation are
 * mapped to ASCII one UTF-16 unit for one, so １３８…, ０７６９－… are found too and the
 * match positions are valid in the original.
 */
export function shadowOf(text: string): string {
  return (
    text
      // full-width forms as ASCII
      .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
      // any dash or minus typed between digit groups (0769—22831234, 138‐0013‐8000) as "-"
      .replace(/[\u2010-\u2015\u2212\uFE58\uFE63]/g, "-")
      // any space as " ": typed in full-width mode, 138　0013　8000 was published unmasked (a review)
      .replace(/[\t\u00A0\u2000-\u200A\u202F\u205F\u3000]/g, " ")
      // a dot between a number's groups: 138.0013.8000 (groups of 3–4 then 4 digits, so not a
      // decimal: 13.5, 1380.5, 13800000000.1234元) and 0769.22831234 (area code, then the number)
      .replace(/(?<=(?<![0-9])[0-9]{3,4})\.(?=[0-9]{4}(?![0-9]))/g, "-")
      .replace(/(?<=(?<![0-9])0[0-9]{2,3})\.(?=[2-9][0-9]{6,7}(?![0-9]))/g, "-")
  );
}

const NOT_DIGIT_BEFORE = "(?<![0-9])";
const NOT_DIGIT_AFTER = "(?![0-9])";
/** Amounts and counts are not phone numbers: "13800000000元". */
const NOT_A_QUANTITY = "(?!\\s*(?:元|万|亿|千|百|台|件|个|家|人|户|吨|辆|平方|米|%|号|名|次|份|项|条|位|所|年|月|日|\\.[0-9]))";

const CONTACT_PATTERNS: RegExp[] = [
  // e-mail
  /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  // 18-digit resident ID (birth date checked loosely); 15-digit old IDs only when labelled below
  new RegExp(`${NOT_DIGIT_BEFORE}[1-9][0-9]{5}(?:18|19|20)[0-9]{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])`, "g"),
  // mobile: 13800138000, 138-0013-8000, 138 0013 8000, +86 13800138000
  new RegExp(`${NOT_DIGIT_BEFORE}(?:\\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}${NOT_DIGIT_AFTER}${NOT_A_QUANTITY}`, "g"),
  // landline with area code: 0769-28685020, (0769)28685020, 0769 2868 5020, 076928685020, with an extension
  new RegExp(`${NOT_DIGIT_BEFORE}(?:\\(0[0-9]{2,3}\\)|0[0-9]{2,3}[- ]?)[- ]?[2-9][0-9]{2,3}[- ]?[0-9]{4}(?:(?:转|-|ext\\.?)[0-9]{1,6})?${NOT_DIGIT_AFTER}`, "g"),
];

/** A number right after a contact label: 联系电话：28685020, 手机 13800138000, 电话是22831234, 请拨22831234, 身份证号：440… */
const LABELLED =
  /(?:联系电话|联系方式|电话号码|电话|手机号码|手机号|手机|座机|传真|固话|热线|请拨打|请拨|拨打|致电|Tel|TEL|tel|身份证号码|身份证号|身份证)(?:是|为)?[:：\s]*((?:\+?[0-9](?:[0-9()-]|[ ](?![0-9]{4}\s*年)){5,}[0-9Xx])(?:(?:转|ext\.?)[0-9]{1,6})?)/g;

/**
 * QQ and WeChat accounts after their label — QQ：123456789, QQ群 123456789, 微信号wangwu_2021, 微信：138… —
 * as personal a contact as a phone number. (A 微信公众号 named in Chinese is not an account id: left.)
 */
const MESSENGER =
  /(?:QQ|qq|Qq)(?:群|号码|号)?(?:是|为)?[:：\s]*([1-9][0-9]{4,11})(?![0-9])|(?:微信号|微信|WeChat|Wechat|wechat|weixin)(?:是|为)?[:：\s]*([A-Za-z][-_A-Za-z0-9]{5,19}|\+?[0-9][0-9 -]{5,18}[0-9])(?![-_A-Za-z0-9])/g;

/** More numbers after a labelled one: 联系电话：22831234、22831235 (each masked). */
const MORE_LABELLED = new RegExp(
  // not a date (2024-03-01) nor an amount or a count after the list's comma
  `\\s*[、，,/／和及或]\\s*(?![0-9]{4}[-/.年][0-9]{1,2})((?:\\+?[0-9](?:[0-9()-]|[ ](?![0-9]{4}\\s*年)){5,}[0-9Xx]))${NOT_DIGIT_AFTER}${NOT_A_QUANTITY}`,
  "y",
);

/**
 * A local number (7 or 8 digits, no area code) after a contact person or "联系": 联系人：李泳（28685020）,
 * 联系人及电话：李泳，28685020, 请与我局产业科联系，22831234. Mobiles and numbers with an area code are
 * found anywhere (CONTACT_PATTERNS).
 */
const CONTACT_PERSON = new RegExp(
  // (a bare 联系 only with a separator after it: "联系人员覆盖…" is no contact)
  `(?:联系人[^\\n：:0-9]{0,4}[:：]?\\s*[\\u4e00-\\u9fa5·]{1,6}[\\s（(，,、：:]*|联系[\\s（(，,、：:]+)${NOT_DIGIT_BEFORE}([2-9][0-9]{6,7})${NOT_DIGIT_AFTER}${NOT_A_QUANTITY}`,
  "g",
);

function maskRanges(text: string, ranges: [number, number][]): string {
  if (!ranges.length) return text;
  const hide = new Uint8Array(text.length);
  for (const [a, b] of ranges) hide.fill(1, a, b);
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    // keep spaces and line breaks inside a masked number, so the text keeps its shape
    out += hide[i] && !/\s/.test(c) ? REDACTION_CHAR : c;
  }
  return out;
}

/** Masks mobile numbers, landlines, e-mail addresses, ID card numbers and QQ/WeChat accounts with ■ (one per character). */
export function maskContactDetails(text: string): string {
  const shadow = shadowOf(text);
  const ranges: [number, number][] = [];
  for (const re of CONTACT_PATTERNS) for (const m of shadow.matchAll(re)) ranges.push([m.index!, m.index! + m[0].length]);
  for (const m of shadow.matchAll(LABELLED)) {
    const start = m.index! + m[0].length - m[1].length;
    ranges.push([start, m.index! + m[0].length]);
    MORE_LABELLED.lastIndex = m.index! + m[0].length;
    for (let more = MORE_LABELLED.exec(shadow); more; more = MORE_LABELLED.exec(shadow)) ranges.push([more.index + more[0].length - more[1]!.length, more.index + more[0].length]);
  }
  for (const m of shadow.matchAll(CONTACT_PERSON)) ranges.push([m.index! + m[0].length - m[1]!.length, m.index! + m[0].length]);
  for (const m of shadow.matchAll(MESSENGER)) {
    const id = m[1] ?? m[2]!;
    ranges.push([m.index! + m[0].length - id.length, m.index! + m[0].length]);
  }
  return maskRanges(text, ranges);
}

/**
 * The letter's own contact number (its 联系电话), wherever the text repeats it — in a table cell
 * alone, after a name — written with or without separators: it is known exactly, so nothing
 * else need be guessed. Fewer than 5 digits is no number to look for.
 */
export function ownNumberMatcher(phone: string): RuleMatcher | null {
  const digits = shadowOf(phone).replace(/[^0-9]/g, "");
  if (digits.length < 5) return null;
  const re = new RegExp(`${NOT_DIGIT_BEFORE}${[...digits].join("[- ]?")}${NOT_DIGIT_AFTER}`, "g");
  return (text) => [...shadowOf(text).matchAll(re)].map((m) => [m.index!, m.index! + m[0].length] as [number, number]);
}

// ---------------------------------------------------------------------------
// Redaction rules (data: exact text or a pattern, for every letter or one)
// ---------------------------------------------------------------------------

/** Where a redaction rule matches in a text: [start, end) ranges (compiled in redaction-rules.ts). */
export type RuleMatcher = (text: string) => Iterable<[number, number]>;

function maskRules(text: string, rules: readonly RuleMatcher[]): string {
  if (!rules.length) return text;
  const ranges: [number, number][] = [];
  for (const match of rules) for (const range of match(text)) ranges.push(range);
  return maskRanges(text, ranges);
}

/**
 * One piece of text as published: sanitized, marked text hidden, the rules applied, contact
 * details masked. `marked`: the redactor of the fields read before it (a mark may span fields).
 */
export function redactText(text: string, rules: readonly RuleMatcher[] = [], marked: (text: string) => string = redactMarked): string {
  return maskContactDetails(maskRules(marked(sanitizeText(text)), rules));
}

// ---------------------------------------------------------------------------
// The letter
// ---------------------------------------------------------------------------

/** A block's text in reading order (as printed): a paragraph's lead before its text, a table's caption before its cells. */
function redactBlock(b: LetterBlock, red: (text: string) => string): LetterBlock {
  switch (b.type) {
    case "heading":
      return { type: "heading", level: b.level, text: red(b.text) };
    case "paragraph": {
      const lead = b.lead ? { lead: { level: b.lead.level, text: red(b.lead.text) } } : {};
      return { type: "paragraph", text: red(b.text), ...lead };
    }
    case "table": {
      const caption = b.caption !== undefined ? { caption: red(b.caption) } : {};
      return { type: "table", ...caption, rows: b.rows.map((r) => r.map(red)), ...(b.headerRows !== undefined ? { headerRows: b.headerRows } : {}) };
    }
  }
}

/**
 * A letter's blocks as the public reads them — each text as `publicLetter` makes it (marks read
 * across the blocks, the rules, contact details, the letter's own number `phone`) — keeping what
 * else a block carries (a draft block's id and library source). For wording that reaches someone
 * only because it was disclosed (another handler's reply reused, decision 009).
 */
export function publicBlocks<B extends LetterBlock>(
  blocks: readonly B[],
  letter: { phone: string; title: string; addressee: string; opening: string },
  given: readonly RuleMatcher[] = [],
): B[] {
  const { red } = letterRedactor(letter.phone, given);
  // the fields before the body first, as publicLetter reads them: a mark left open there hides the body too
  for (const field of [letter.title, letter.addressee, letter.opening]) red(field);
  return blocks.map((b) => ({ ...b, ...redactBlock(b, red) }));
}

/**
 * One letter's text as published, field by field in reading order (title, addressee, opening, then
 * the blocks): the marks carried across the fields, the rules and the letter's own number applied.
 */
function letterRedactor(phone: string, given: readonly RuleMatcher[]) {
  const own = ownNumberMatcher(phone);
  const rules = own ? [...given, own] : given;
  const marked = markedRedactor();
  return { rules, red: (t: string) => redactText(t, rules, marked) };
}

/** The public version of a (signed) letter: see the rules at the top of this module. */
export function publicLetter(letter: Letter, given: readonly RuleMatcher[] = []): Letter {
  const { rules, red } = letterRedactor(letter.signature.phone ?? "", given);
  // the title's lines are the title again, read on their own
  const titleLineMarks = markedRedactor();
  const authority = stripRedactionMarks(sanitizeText(letter.authority));
  return {
    kind: letter.kind,
    authority,
    documentNumber: letter.documentNumber ? stripRedactionMarks(letter.documentNumber) : null,
    title: red(letter.title),
    ...(letter.titleLines ? { titleLines: letter.titleLines.map((t) => redactText(t, rules, titleLineMarks)) } : {}),
    addressee: red(letter.addressee),
    opening: red(letter.opening),
    sections: letter.sections.map((b) => redactBlock(b, red)),
    // Empty labels: the renderers print no 领导签字 / 承办人 / 联系电话 line (printedSignatureLines).
    signature: { leaderLabel: "", leaderName: null, handlerLabel: "", handlerName: "", phoneLabel: "", phone: "", sealLine: authority },
    date: letter.date,
    dateStyle: letter.dateStyle,
    disclosure: letter.disclosure,
    disclosureReason: null,
    outcome: null,
    draft: false,
  };
}

// ---------------------------------------------------------------------------
// Which replies are public
// ---------------------------------------------------------------------------

/**
 * A reply is on the public site while its publication stands (recorded by the 公开 action,
 * which checks the disclosure, and not withdrawn) and its disclosure is 主动公开. Both are
 * checked: the disclosure is the rule, the publication says it was done. The proposal's later
 * state (feedback, 办结, 再办理) does not matter: the proposal's disclosure is its latest
 * round's, so a reply of an earlier round (`laterRound`: a newer one exists) stands on the
 * check made when it was published.
 */
export function isPublished(p: { withdrawnAt: Date | string | null; disclosure: string | null; laterRound?: boolean }): boolean {
  return p.withdrawnAt == null && (p.disclosure === "public" || p.laterRound === true);
}

/** Whether the public version hides anything (marked text, a rule, contact details): the page says so. */
export function isRedacted(publicVersion: Letter): boolean {
  return letterPlainText(publicVersion).includes(REDACTION_CHAR);
}
