/** Character classes and numeral helpers for the proofreading rules. */

import { daysInMonth } from "../calendar";
export const HAN_CLASS = "\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u3007";
const HAN_RE = new RegExp(`^[${HAN_CLASS}]$`);
export const isHan = (c: string | undefined): boolean => !!c && HAN_RE.test(c);
export const isDigit = (c: string | undefined): boolean => !!c && c >= "0" && c <= "9";
export const isLatin = (c: string | undefined): boolean => !!c && /^[A-Za-z]$/.test(c);
/** Full-width (Chinese) punctuation. */
export const isCnPunct = (c: string | undefined): boolean => !!c && /^[，。、；：？！“”‘’（）《》〈〉【】〔〕…—～·]$/.test(c);
export const CN_NUMERAL_CHARS = "〇零一二三四五六七八九十百千万亿两";
export const isCnNumeral = (c: string | undefined): boolean => !!c && CN_NUMERAL_CHARS.includes(c);

export const CN_DIGIT: Record<string, number> = { 〇: 0, 零: 0, "○": 0, O: 0, Ｏ: 0, "0": 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 … 九十九 → number; null when not a small Chinese numeral. */
export function cnNumber(s: string): number | null {
  if (!s) return null;
  if (/^[一二三四五六七八九]$/.test(s)) return CN_DIGIT[s];
  const m = /^([一二三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? CN_DIGIT[m[1]] : 1) * 10 + (m[2] ? CN_DIGIT[m[2]] : 0);
  return null;
}

const SMALL = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
export function toCnNumber(n: number): string {
  if (n < 10) return SMALL[n] || "〇";
  const t = Math.floor(n / 10);
  const u = n % 10;
  return (t === 1 ? "" : SMALL[t]) + "十" + SMALL[u];
}

/** 二〇二一年五月十九日 (also with ○/O/0/零 as zero) → ISO date, or null. */
export function parseChineseDate(s: string): string | null {
  const m = /^([〇○OＯ0零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/.exec(s);
  if (!m) return null;
  const y = Number([...m[1]].map((c) => CN_DIGIT[c]).join(""));
  const mo = cnNumber(m[2]);
  const d = cnNumber(m[3]);
  if (!mo || !d || !dayExists(y, mo, d)) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Is there such a day (2021年2月30日 and 4月31日 are none)? */
export function dayExists(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  return d <= daysInMonth(y, mo);
}

/** 2021年5月19日 → ISO date, or null. */
export function parseArabicDate(s: string): string | null {
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(s);
  if (!m || !dayExists(Number(m[1]), Number(m[2]), Number(m[3]))) return null;
  return `${m[1]}-${m[2].padStart(2, "0")}-${m[3].padStart(2, "0")}`;
}

export function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function countOccurrences(hay: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  let i = hay.indexOf(needle);
  while (i >= 0) {
    n++;
    i = hay.indexOf(needle, i + 1);
  }
  return n;
}
