/**
 * Proposal rules shared by the registration form, the bulk import and the CLI:
 * one zod schema for a proposal's registrable fields, proposer parsing, and the
 * field-by-field diff that the history records. Pure: safe in the browser.
 */
import { z } from "zod";
import { foldFullWidthDigits } from "./full-width";
import { sanitizeField } from "./letter";
import { parseChineseNumber } from "./paragraph-import";

export const BUREAU_ROLES = ["lead", "co", "split"] as const;
export type BureauRole = (typeof BUREAU_ROLES)[number];
export const BUREAU_ROLE_LABELS: Record<BureauRole, string> = { lead: "主办", co: "会办", split: "分办" };
const ROLE_BY_LABEL: Record<string, BureauRole> = { 主办: "lead", 会办: "co", 分办: "split", 协办: "co" };

/** The header row of the spreadsheet the government office sends with each batch. */
export const SHEET_COLUMNS = ["会议", "提案号", "案由", "提案者", "办理方式", "交办日期"] as const;
/** Columns the importer reads when present (主办单位 for 会办 replies). */
export const OPTIONAL_SHEET_COLUMNS = ["收到日期", "备注", "主办单位"] as const;

export type ProposerKind = "body" | "member";
export type Proposer = { kind: ProposerKind; name: string };

const MAX = { meeting: 100, number: 40, title: 500, notes: 5000, proposer: 100, proposers: 200 };

/**
 * The letter's text hygiene (sanitizeField, as sanitizeText but a U+FFFD kept for the field's check: one kind of line break — U+2028 and Word's VT are line
 * breaks, not characters inside a 案由 —, no control characters or BOMs, no bidi controls — a name
 * posted with U+202E showed reversed on every page (a fuzz run) —, an emoji's joiner kept), then
 * full-width spaces folded and the ends trimmed. One rule for fields and letters:
 * a 案由 printed by the template broke its line at a U+2028 the field had kept.
 */
export function cleanText(s: string): string {
  return sanitizeField(s)
    .replace(/\u3000/g, " ")
    .trim();
}

/**
 * A one-line field (案由, 主办单位, a proposer's name): cleanText, and a line break — an Excel cell
 * wrapped with Alt+Enter — joins the text, with a space only between two Latin letters or digits.
 * Kept, it vanished at the first edit (a one-line input cannot hold it), which then recorded a
 * 案由 change nobody made, and the same sheet imported again was refused as "案由不同".
 */
export function cleanLine(s: string): string {
  return cleanText(s).replace(/\s*\n\s*/g, (m: string, at: number, all: string) =>
    /[A-Za-z0-9]/.test(all[at - 1] ?? "") && /[A-Za-z0-9]/.test(all[at + m.length] ?? "") ? " " : "",
  );
}

/**
 * "第10121号" / "10121号" / " 10121 " / "１０１２１" → "10121". Numbers are strings: 10121 and
 * 20210100 share a session. Full-width digits and dashes (pasted from Word) are the same number:
 * "20210100－1" and "20210100-1" are one proposal. (Letter case is kept as typed: numbers stored
 * before would no longer match.)
 */
export function normalizeProposalNumber(raw: string): string {
  return cleanText(raw)
    .normalize("NFKC")
    .replace(/^第\s*/, "")
    .replace(/\s*号$/, "")
    .replace(/\s+/g, "")
    .replace(/[\u2010-\u2015\u2212]/g, "-");
}

/** Ordinary names of bodies that file proposals: parties, federations, committees, groups. */
const BODY_PATTERN = /(会|党|联|组|界|部|院|局|委|所|团|社|中心|支部|小组)$/;
/** Bodies by their usual short names, whatever their length (民盟, 妇联, 致公党). */
const KNOWN_BODY = /^(东莞市|市|区|县|镇)?(民革|民盟|民建|民进|农工|致公|九三|台盟|工商联|妇联|团市委|共青团|总工会|科协|侨联|台联|青联|文联|残联|工会)/;
/** Endings only a body's name has (a person's may end in 会 or 党: 欧阳建会). */
const CLEAR_BODY_ENDING = /(委员会|委会|支部|小组|中心|协会|商会|联合会|学会|研究会|促进会|界别|工作组)$/;
/** Endings a person's given name can have too (王建党, 刘国会, 李建社): a body's name with them is longer. */
const NAME_LIKE_ENDING = /(党|会|社)$/;

/** "等5位委员", "等五名政协委员", "等５位委员共同提出": the count phrase of a proposer cell (one pattern for the names and the total). */
const COUNT_PHRASE = /等\s*([0-9]+|[一二两三四五六七八九十百]+)\s*(?:位|名)?\s*(?:政协)?委员(?:共同)?(?:提出|联名)?$/;

const CN_DIGIT: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** 五 → 5, 十二 → 12, 二十 → 20, 一百零五 → not read (null). */
function smallChineseNumber(s: string): number | null {
  if (/^[0-9]+$/.test(s)) return Number(s);
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(s);
  if (!m || (!m[2] && m[1] && m[3])) return null;
  if (!m[2]) return m[1] ? CN_DIGIT[m[1]]! : null;
  return (m[1] ? CN_DIGIT[m[1]]! : 1) * 10 + (m[3] ? CN_DIGIT[m[3]]! : 0);
}

/** A proposer cell as the parsers read it: cleaned, full-width digits folded, the trailing 共同提出/联名 gone. */
function proposerCell(raw: string): string {
  return cleanText(raw)
    .replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
    .replace(/(共同)?(提出|联名)$/, "")
    .trim();
}

/** Two-character surnames: "欧阳 明明" is one name written with a space, not two people. */
const COMPOUND_SURNAME =
  /^(欧阳|司马|上官|诸葛|东方|皇甫|尉迟|公孙|慕容|令狐|司徒|司空|夏侯|长孙|宇文|端木|西门|南宫|独孤|万俟|闻人|轩辕|澹台|申屠|太史|呼延|钟离|宗政|濮阳|淳于|单于|赫连)$/;
/** Words that follow a name in a cell without being one: "张三 常委". */
const TITLE = /^(政协)?(委员|常委|主委|副主委|主席|副主席|秘书长|副秘书长|同志)$/;
/**
 * A person's name: two to four hanzi of any block (刘䶮, 王𠮷 and 李﨑 are outside the basic block:
 * they were not taken for names, and the names either side of them were glued into one), or a
 * transcribed name in parts joined by a middle dot (阿依古丽·买买提).
 */
const PERSON_NAME = /^(?:\p{Script=Han}{2,4}|\p{Script=Han}{1,12}(?:[·・•]\p{Script=Han}{1,12})+)$/u;
const isBodyName = (x: string) => KNOWN_BODY.test(x) || (BODY_PATTERN.test(x) && x.length >= 4);

/**
 * Names apart by whitespace, when that is surely what they are: two or more spaces between whole
 * names ("张三  李四"), or one space between people's names — a body may come first ("民建市委会
 * 张三", "张三　李四"). Not a name padded to three characters ("张　三"), a two-character surname
 * ("欧阳 明明"), a title ("张三 常委"), a body written in parts ("中国民主同盟 东莞市委员会",
 * "民建 市委会"), Latin letters ("Zhang San").
 */
function splitBySpaces(cell: string): string[] | null {
  const wide = cell.split(/\s{2,}/);
  if (wide.length > 1 && wide.every((x) => x.length >= 2)) return wide;
  const pieces = cell.split(/\s+/);
  if (pieces.length < 2 || pieces.some((x) => TITLE.test(x))) return null;
  const people = isBodyName(pieces[0]!) ? pieces.slice(1) : pieces;
  // (a piece that opens with a place is a body's: "民建 市委会")
  if (!people.every((x) => PERSON_NAME.test(x) && !isBodyName(x) && !/^(东莞|市|区|县|镇)/.test(x))) return null;
  if (pieces.some((x, i) => COMPOUND_SURNAME.test(x) && i + 1 < pieces.length)) return null;
  return pieces;
}

/**
 * One proposer's name: spaces that pad a name to the width of three (张　三, 欧阳 明明) or split a
 * body's name (民建 市委会) are not part of it. Any other space stays as typed: gluing what may be
 * two names ("张三　刘䶮" became one proposer 张三刘䶮, printed so on the letter) is never right.
 */
function proposerName(part: string): string {
  const joined = part.replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, "");
  return joined === part || [...joined].length <= 4 || isBodyName(joined) ? joined : part.replace(/\s+/g, " ");
}

/**
 * Split a proposer cell into proposers. "殷毓德委员" is one member; "民建市委会" one body;
 * "张三、李四" two members. A trailing 委员 marks a member and is not part of the name.
 */
export function parseProposers(raw: string, kindHint?: ProposerKind): Proposer[] {
  const text = proposerCell(raw).replace(COUNT_PHRASE, "");
  const parts = text
    .split(/[、，,；;/／|｜\n]+/)
    .flatMap((p) => splitBySpaces(cleanText(p).replace(/\s+(?=(政协)?委员$)/, "")) ?? [p])
    .map((p) => proposerName(cleanText(p)))
    .filter(Boolean);
  return parts.map((part) => {
    if (part.endsWith("委员") && !part.endsWith("委员会")) return { kind: "member", name: part.slice(0, -2).trim() || part };
    // the form's "委员" (its default) still knows a 党派 or 团体 by its name: a member and a body co-sign
    // (张伟、民建东莞市委员会 was addressed as "张伟、民建东莞市委员会委员" on the signed letter)
    if (kindHint === "member") return { kind: KNOWN_BODY.test(part) || (part.length >= 4 && CLEAR_BODY_ENDING.test(part)) ? "body" : "member", name: part };
    if (kindHint) return { kind: kindHint, name: part };
    // a person's name may end in 党, 会 or 社 (王建党, 刘国会): a body's name is longer, or a known short name
    const body = KNOWN_BODY.test(part) || (BODY_PATTERN.test(part) && part.length > 2 && (part.length >= 4 || !NAME_LIKE_ENDING.test(part)));
    return { kind: body ? "body" : "member", name: part };
  });
}

/** "张三、李四等3位委员": the number of members who signed, when more signed than are named (null otherwise). */
export function parseProposerTotal(raw: string): number | null {
  const m = COUNT_PHRASE.exec(proposerCell(raw));
  return m ? smallChineseNumber(m[1]!) : null;
}

/** How proposers read in lists and search: 民建市委会 / 殷毓德委员 / 张三、李四委员 / 张三、李四等3位委员. */
export function formatProposers(list: Proposer[], total?: number | null): string {
  const bodies = list.filter((p) => p.kind === "body").map((p) => p.name);
  const members = list.filter((p) => p.kind === "member").map((p) => p.name);
  const parts = [...bodies];
  if (members.length) parts.push(total && total > members.length ? `${members.join("、")}等${total}位委员` : members.join("、") + "委员");
  return parts.join("、");
}

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "请填写有效日期（年-月-日）")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "不是有效的日期")
  .refine((s) => s >= "2000-01-01" && s <= "2100-12-31", "日期超出合理范围");

/** Accepts 2021-03-05, 2021/3/5, 2021.3.5, 2021年3月5日; returns ISO or the input unchanged (to fail validation). */
export function normalizeDateInput(raw: string): string {
  const s = foldFullWidthDigits(cleanText(raw));
  // a time after it is Excel's text for a date-time cell ("2026/3/20 0:00"): the day is the date
  const m = s.match(/^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$/);
  if (!m) return s;
  return `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
}

/**
 * A typed date, as every form takes it: 2026-11-30, 2026/11/30, 2026.11.30 or 2026年11月30日,
 * normalised to ISO. Forms use a text field (not type="date"), so it reads 年-月-日 in any browser.
 */
export const dateInputSchema = z.string().transform(normalizeDateInput).pipe(isoDate);
/**
 * The same, optional: "" or missing → null. (No `z.literal("")` on the output side: conform's
 * coercion turns "" into undefined there too, and an emptied field was refused as 无效输入.)
 */
export const optionalDateInputSchema = z
  .string()
  .optional()
  .transform((s) => (s && cleanText(s) ? normalizeDateInput(s) : null))
  .pipe(isoDate.nullable());

/**
 * How a 会议 name is folded into one spelling: the same meeting typed with spaces, ASCII brackets
 * or full-width digits (pasted from Word, typed by another clerk: "十四届 二次会议(2021)",
 * "十四届二次会议（２０２１）") is one batch, not a second one with the same numbers again. The
 * characters of `from` become those of `to`; those of `drop` go. SQL folds older names the same
 * way with `translate(meeting, from || drop, to)`, so this stays a plain character map.
 */
export const MEETING_FOLD = { from: "()０１２３４５６７８９", to: "（）0123456789", drop: " \u3000\u00a0\t\r\n" } as const;

/**
 * A new name for a registered 会议 names a meeting: some words, not only a bracketed year or
 * a number — "（2021）" renamed a 会议 and went out on its published replies.
 */
export function meetingNameProblem(name: string): string | null {
  return (meetingKey(name)
    .replace(/（[^）]*）/g, "")
    .match(/\p{Script=Han}/gu)?.length ?? 0) >= 2
    ? null
    : "会议名称应写出会议，如 东莞市政协第十三届六次会议";
}

/** A 会议 name in the one spelling it is stored and compared in (MEETING_FOLD). */
export function meetingKey(name: string): string {
  let out = "";
  for (const ch of cleanText(name)) {
    if (MEETING_FOLD.drop.includes(ch)) continue;
    const i = MEETING_FOLD.from.indexOf(ch);
    out += i >= 0 ? MEETING_FOLD.to[i] : ch;
  }
  return out;
}

/**
 * A 会议 name read as the meeting it names: its 届 and 次 (东莞市政协第十四届五次会议, 十四届五次会议,
 * 政协东莞市第十四届委员会第五次会议), the year in brackets when given, the notes in brackets other
 * than the year (（规模测试）), the words before the 届 (the body: 东莞市政协) and any after the 会议
 * (the tail: 闭会期间 — then the name is not a meeting's name alone). Null when it names no 届 and 次.
 */
export type MeetingSession = { term: number; session: number; year: string | null; note: string; body: string; tail: string };

const SESSION_RE = /第?([一二三四五六七八九十]+)届(?:委员会)?第?([一二三四五六七八九十]+)次(?:全体)?(?:会议)?/;

export function meetingSession(name: string): MeetingSession | null {
  const key = meetingKey(name);
  const m = SESSION_RE.exec(key);
  const term = m ? parseChineseNumber(m[1]!) : undefined;
  const session = m ? parseChineseNumber(m[2]!) : undefined;
  if (!m || term === undefined || session === undefined) return null;
  const before = key.slice(0, m.index);
  const after = key.slice(m.index + m[0].length);
  const notes = [...(before + after).matchAll(/（([^）]*)）/g)].map((n) => n[1]!);
  const year = notes.find((n) => /^(?:19|20)\d\d年?$/.test(n));
  return {
    term,
    session,
    year: year ? year.slice(0, 4) : null,
    note: notes.filter((n) => n !== year).join("；"),
    body: before.replace(/（[^）]*）/g, ""),
    tail: after.replace(/（[^）]*）/g, ""),
  };
}

/**
 * Do two names name the same meeting? The same 届 and 次, no two different years, the same notes in
 * brackets, nothing after the 会议 in either, and the same body — or none in one of them: the short
 * name "十四届五次会议" is 东莞市政协第十四届五次会议. Anything else (东莞市人大, 2025年东莞市政协,
 * …会议闭会期间) is another name, as before. A clerk typing the short name must not open a second
 * 会议 beside the one registered, nor a longer text be taken into it.
 */
export function sameSession(a: MeetingSession, b: MeetingSession): boolean {
  return (
    a.term === b.term &&
    a.session === b.session &&
    (a.year === null || b.year === null || a.year === b.year) &&
    a.note === b.note &&
    a.tail === "" &&
    b.tail === "" &&
    (a.body === b.body || a.body === "" || b.body === "")
  );
}

/**
 * 会议 names newest first, by their 届 and 次 ("第十四届五次会议" before "第十三届六次会议", "十三届六次"
 * before "十三届五次"); a name without them after those, by the characters. Sorting by the characters
 * alone put 十三届三次 before 二次 and 五次 before 四次.
 */
export function compareMeetingsNewestFirst(a: string, b: string): number {
  const x = meetingSession(a);
  const y = meetingSession(b);
  if (x && y) return y.term - x.term || y.session - x.session || a.localeCompare(b, "zh-CN");
  if (x && !y) return -1;
  if (y && !x) return 1;
  return a.localeCompare(b, "zh-CN");
}

const requiredLine = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .transform(cleanLine)
    .pipe(z.string().min(1, `请填写${label}`).max(max, `${label}不能超过 ${max} 个字符`));

/** The registrable fields of a proposal, as every boundary (form, import, CLI) hands them in. */
export const proposalInputSchema = z.object({
  meeting: z
    .string({ error: "请填写届次/会议" })
    .transform(meetingKey)
    .pipe(z.string().min(1, "请填写届次/会议").max(MAX.meeting, `届次/会议不能超过 ${MAX.meeting} 个字符`)),
  number: z
    .string({ error: "请填写提案号" })
    .transform(normalizeProposalNumber)
    .pipe(
      z
        .string()
        .min(1, "请填写提案号")
        .max(MAX.number, `提案号不能超过 ${MAX.number} 个字符`)
        .regex(/^[0-9A-Za-z]+(?:-[0-9A-Za-z]+)*$/, "提案号只能包含数字、字母和连字符（连字符在两段之间），例如 10121 或 20210100-1"),
    ),
  title: requiredLine("案由", MAX.title),
  proposers: z
    .array(
      z.object({
        kind: z.enum(["body", "member"]),
        name: z
          .string()
          .transform(cleanLine)
          .pipe(z.string().min(1).max(MAX.proposer, `提案者名称不能超过 ${MAX.proposer} 个字符`)),
      }),
    )
    .min(1, "请至少填写一位提案者")
    .max(MAX.proposers, `提案者不能超过 ${MAX.proposers} 位`)
    // each proposer answers the feedback once: a name twice (张伟、张伟委员) cannot be told apart
    .refine((list) => new Set(list.map((p) => p.name)).size === list.length, {
      message: "提案者重复：同一名称只能填写一次（同名的两位委员请加以区分，如“张伟（经济界）”）",
    }),
  /** Members who signed when the cell says "等N位委员" and names fewer: kept, never dropped. */
  proposerTotal: z.number().int().min(1, "联名人数至少为 1").max(999, "联名人数过大").nullable().optional(),
  bureauRole: z.enum(BUREAU_ROLES, { error: "请选择办理方式（主办/会办/分办）" }),
  assignedOn: z.string({ error: "请填写交办日期" }).transform(normalizeDateInput).pipe(isoDate),
  receivedOn: z
    .string()
    .optional()
    .transform((s) => (s && cleanText(s) ? normalizeDateInput(s) : undefined))
    .pipe(isoDate.optional()),
  notes: z
    .string()
    .optional()
    .transform((s) => cleanText(s ?? ""))
    .pipe(z.string().max(MAX.notes, `备注不能超过 ${MAX.notes} 个字符`)),
  /** 会办: the lead unit our 会办意见 goes to. */
  leadUnit: z
    .string()
    .optional()
    .transform((s) => cleanLine(s ?? "") || undefined)
    .pipe(z.string().max(100, "主办单位名称过长").optional()),
});
export type ProposalInput = z.output<typeof proposalInputSchema>;

/** A 会办 proposal's opinion goes to its 主办单位: without it there is nobody to send it to. */
export function leadUnitProblem(i: { bureauRole: BureauRole; leadUnit?: string | null }): string | null {
  return i.bureauRole === "co" && !i.leadUnit ? "会办提案须填写主办单位（会办意见送往的单位）" : null;
}

/**
 * 收到日期 is the day the bureau received the proposal it was assigned: not before the 交办日期 (the
 * co-unit opinion's 收到日期 is held to the same), and not a day still to come — either is a typo.
 */
export function receivedOnProblem(i: { assignedOn: string; receivedOn?: string | null }, today: string): string | null {
  if (!i.receivedOn) return null;
  if (i.receivedOn < i.assignedOn) return `收到日期 ${i.receivedOn} 早于交办日期 ${i.assignedOn}，请核对`;
  if (i.receivedOn > today) return `收到日期 ${i.receivedOn} 晚于今天（${today}），请核对`;
  return null;
}

/** The named members must not outnumber the stated total ("张三、李四、王五等2位委员" is a typo to fix). */
export function proposerTotalProblem(i: { proposers: Proposer[]; proposerTotal?: number | null }): string | null {
  const named = i.proposers.filter((p) => p.kind === "member").length;
  return i.proposerTotal && i.proposerTotal < named ? `写明了 ${named} 位委员，但“等${i.proposerTotal}位委员”人数更少，请核对` : null;
}

export function bureauRoleFromLabel(label: string): BureauRole | undefined {
  const s = cleanText(label);
  return (BUREAU_ROLES as readonly string[]).includes(s) ? (s as BureauRole) : ROLE_BY_LABEL[s];
}

/** zod issues → { field: first message } for showing next to form fields. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "_form");
    if (!out[key]) out[key] = issue.message;
  }
  return out;
}

export const FIELD_LABELS: Record<string, string> = {
  meeting: "届次/会议",
  number: "提案号",
  title: "案由",
  proposers: "提案者",
  proposerKind: "提案者类别",
  bureauRole: "办理方式",
  assignedOn: "交办日期",
  receivedOn: "收到日期",
  notes: "备注",
  leadUnit: "主办单位",
  state: "状态",
  handler: "承办人",
  attachment: "原件",
};

type Comparable = Record<string, string | null | undefined>;

/** The history's "old → new" list: only fields whose displayed value changed. */
export function diffFields(before: Comparable, after: Comparable): { field: string; label: string; from: string | null; to: string | null }[] {
  const keys = Object.keys(after);
  const changes = [];
  for (const key of keys) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if ((from ?? "") !== (to ?? "")) changes.push({ field: key, label: FIELD_LABELS[key] ?? key, from, to });
  }
  return changes;
}

/** Display form of a proposal's registrable fields, as the history shows them. */
export function displayFields(p: ProposalInput): Comparable {
  return {
    meeting: p.meeting,
    number: p.number,
    title: p.title,
    proposers: formatProposers(p.proposers, p.proposerTotal),
    bureauRole: BUREAU_ROLE_LABELS[p.bureauRole],
    assignedOn: p.assignedOn,
    receivedOn: p.receivedOn ?? null,
    notes: p.notes || null,
    leadUnit: p.leadUnit ?? null,
  };
}

/** How far after today a 交办日期 may lie before it is taken for a typo and refused. */
export const FUTURE_ASSIGNMENT_HORIZON_DAYS = 30;

/**
 * 交办 is a past event: a date after today is accepted with a warning (a batch registered a day
 * early), beyond the horizon refused — "2062" for "2026" would otherwise set a deadline decades away.
 */
export function assignedOnProblem(assignedOn: string, today: string): { refuse: string } | { warn: string } | null {
  if (assignedOn <= today) return null;
  const days = Math.round((Date.parse(`${assignedOn}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
  if (days > FUTURE_ASSIGNMENT_HORIZON_DAYS)
    return { refuse: `交办日期 ${assignedOn} 比今天（${today}）晚 ${days} 天，超过 ${FUTURE_ASSIGNMENT_HORIZON_DAYS} 天，请核对是否输入有误` };
  return { warn: `交办日期 ${assignedOn} 晚于今天（${today}），请确认无误` };
}
