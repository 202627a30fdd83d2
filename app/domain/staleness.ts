/**
 * Staleness (时效性) of a library paragraph: figures such as "2020年全市共收储
 * 土地13239亩" go out of date, and a reply that quotes them years later reads
 * as careless. Pure and browser-safe.
 *
 * The rule (each is checked; any one makes the paragraph stale). `today` is the
 * date of the letter being written:
 * 1. age (library maintenance only, when `maxAgeDays` is given): `asOf` is more
 *    than `maxAgeDays` before `today`. Drafting never flags by age alone;
 * 1b. relative time: "今年3月", "去年", "近两年" in a text current as of an
 *    earlier year than `today`'s;
 * 2. data years: the newest year the text reports on is older than last year
 *    (newest < currentYear − 1) → "数据截至2021年，可能已过时". A report in
 *    early 2024 may still quote 2023 figures, hence "− 1";
 * 3. target years: the latest target year has passed (latest < currentYear)
 *    and no newer data year is given → "目标年份已过".
 * A year counts as a target when it follows 到 / 至 / 力争 / 预计 / 计划 (not
 * 截至), precedes 年目标, or is either end of a range: a range names a plan
 * period ("行动计划（2021-2025年）"). "2019年至今" is a data year.
 * Years are 4-digit Arabic or Chinese-numeral ("二〇二一年") between 1949 and
 * 2100, followed by 年 (spaces allowed: "2021 年"), or either end of a range.
 */

export interface StalenessInput {
  /** ISO date the content was current (e.g. the source document's date). */
  asOf?: string;
  text: string;
  /** ISO date or Date; "now" is a parameter so that the rule is testable. */
  today: string | Date;
  /**
   * Maximum age of `asOf` in days, for the library's maintenance view only. Omitted (drafting),
   * age alone flags nothing: staleness there is about what the text says.
   */
  maxAgeDays?: number;
}

export interface StalenessResult {
  stale: boolean;
  /** zh-CN, one per rule that fired. */
  reasons: string[];
  /** Distinct years mentioned, ascending. */
  yearsMentioned: number[];
  /** Years used as data (not targets), ascending. */
  dataYears: number[];
  /** Years used as targets, ascending. */
  targetYears: number[];
  /** The words that date the text ("今年3月", "截至2020年底", "2021—2025年"), to mark in it. */
  phrases: string[];
}

/** Time words that mean "the year it was written": wrong once the year has changed. */
const RELATIVE_TIME = /(今年|去年|前年|明年|本年度|本年|近[两三五]年)(?:以来|年底|年初|上半年|下半年|\d{1,2}\s*月(?:份|底|初)?)?/g;

function yearPhrase(text: string, year: number): string | null {
  const m = new RegExp(
    `(?:截[至止]\\s*)?${year}\\s*年(?:底|末|初|以来|上半年|下半年|\\d{1,2}\\s*月)?|${year}\\s*[-－—–~～至到]{1,2}\\s*\\d{4}\\s*年?|\\d{4}\\s*[-－—–~～至到]{1,2}\\s*${year}\\s*年?`,
  ).exec(text);
  return m ? m[0] : null;
}

export const DEFAULT_MAX_AGE_DAYS = 365;

const CN_DIGIT: Record<string, string> = {
  〇: "0",
  "○": "0",
  零: "0",
  Ｏ: "0",
  一: "1",
  二: "2",
  三: "3",
  四: "4",
  五: "5",
  六: "6",
  七: "7",
  八: "8",
  九: "9",
};

const DASH = "-－—–~～至到";
const YEAR = "(?:\\d{4}|[〇○零Ｏ一二三四五六七八九]{4})";
const RANGE_RE = new RegExp(`(?<![\\d])(${YEAR})\\s*年?\\s*[${DASH}]{1,2}\\s*(${YEAR})(?![\\d])`, "g");
const SINGLE_RE = new RegExp(`(?<![\\d])(${YEAR})(?=\\s*年)`, "g");
const TARGET_BEFORE = /(到|至|力争|预计|计划|目标)\s*$/;
/** "截至2021年底" reports data, although it ends in 至. */
const AS_OF_BEFORE = /截[至止]\s*$/;

function toYear(s: string): number | undefined {
  const digits = Array.from(s).map((c) => (/\d/.test(c) ? c : CN_DIGIT[c]));
  if (digits.some((d) => d === undefined)) return undefined;
  const y = Number(digits.join(""));
  return y >= 1949 && y <= 2100 ? y : undefined;
}

function toDate(d: string | Date): Date | undefined {
  if (d instanceof Date) return Number.isNaN(d.getTime()) ? undefined : d;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(d);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** Years in the text, split into data years and target years (see the module comment). */
export function extractYears(text: string): { all: number[]; data: number[]; target: number[] } {
  const data = new Set<number>();
  const target = new Set<number>();
  const covered: [number, number][] = [];
  for (const m of text.matchAll(RANGE_RE)) {
    const a = toYear(m[1]!);
    const b = toYear(m[2]!);
    if (a === undefined || b === undefined || b < a || b - a > 30) continue;
    covered.push([m.index!, m.index! + m[0].length]);
    // A range names a plan period ("行动计划（2021-2025年）", "2022-2025 年，培育…"): both ends are targets.
    target.add(a);
    target.add(b);
  }
  for (const m of text.matchAll(SINGLE_RE)) {
    if (covered.some(([s, e]) => m.index! >= s && m.index! < e)) continue;
    const y = toYear(m[1]!);
    if (y === undefined) continue;
    const before = text.slice(Math.max(0, m.index! - 4), m.index!);
    const after = text.slice(m.index! + m[0].length, m.index! + m[0].length + 8);
    if ((TARGET_BEFORE.test(before) && !AS_OF_BEFORE.test(before)) || /^\s*年\s*(目标|前|之前)/.test(after)) target.add(y);
    else data.add(y);
  }
  const sort = (s: Set<number>) => [...s].sort((x, y) => x - y);
  return { all: sort(new Set([...data, ...target])), data: sort(data), target: sort(target) };
}

/** Is this paragraph (or its source) likely out of date? See the module comment for the rule. */
export function stalenessOf(input: StalenessInput): StalenessResult {
  const today = toDate(input.today);
  if (!today) throw new RangeError(`无效的日期：${String(input.today)}`);
  const currentYear = today.getUTCFullYear();
  const reasons: string[] = [];
  const phrases: string[] = [];
  const asOf = input.asOf ? toDate(input.asOf) : undefined;

  if (asOf && input.maxAgeDays !== undefined) {
    const age = Math.floor((today.getTime() - asOf.getTime()) / 86_400_000);
    if (age > input.maxAgeDays) reasons.push(`内容截至${input.asOf!.slice(0, 10)}，已超过${input.maxAgeDays}天，请核对是否需要更新`);
  }

  // "今年3月" written in 2021 means March 2021; read in a later letter it means the wrong year.
  if (asOf && asOf.getUTCFullYear() < currentYear) {
    const found = [...new Set([...input.text.matchAll(RELATIVE_TIME)].map((m) => m[0]))];
    if (found.length) {
      reasons.push(`“${found.join("”“")}”写于${asOf.getUTCFullYear()}年，请改为具体年份`);
      phrases.push(...found);
    }
  }

  const years = extractYears(input.text);
  const newestData = years.data.length ? years.data[years.data.length - 1]! : undefined;
  if (newestData !== undefined && newestData < currentYear - 1) {
    reasons.push(`数据截至${newestData}年，可能已过时`);
    const p = yearPhrase(input.text, newestData);
    if (p) phrases.push(p);
  }
  const latestTarget = years.target.length ? years.target[years.target.length - 1]! : undefined;
  if (latestTarget !== undefined && latestTarget < currentYear && (newestData === undefined || newestData <= latestTarget)) {
    reasons.push(`文中目标年份${latestTarget}年已过，表述可能需要更新`);
    const p = yearPhrase(input.text, latestTarget);
    if (p) phrases.push(p);
  }

  return { stale: reasons.length > 0, reasons, yearsMentioned: years.all, dataYears: years.data, targetYears: years.target, phrases };
}
