/**
 * A section heading typed at the start of a paragraph's text ("一、完善顶层设计。制定出台…") where the
 * letter's other sections carry theirs as 行内标题: letter 108 went out with 一、 and 二、 so among
 * 三、 to 八、. Read narrowly — a sentence that merely opens with a numeral is no heading: 一、二季度…,
 * 一、是加强统筹。, 十、百、千企业… — and only for a number the letter's headings at that level leave
 * open (one of theirs missing, or the next).
 */
import { cnNumber } from "./proofread/util";

export type LeadLevel = 1 | 2;

const MARKER: Record<LeadLevel, RegExp> = {
  1: /^([一二三四五六七八九十]{1,3})、/,
  2: /^[（(]([一二三四五六七八九十]{1,3})[）)]/,
};

/** The numbers the 行内标题 at each level carry (三、… → 3 at level 1). */
export function leadNumbers(leads: readonly { level: number; text: string }[]): Map<LeadLevel, Set<number>> {
  const out = new Map<LeadLevel, Set<number>>();
  for (const l of leads) {
    if (l.level !== 1 && l.level !== 2) continue;
    const m = MARKER[l.level].exec(l.text.trimStart());
    const n = m ? cnNumber(m[1]!) : null;
    if (n) out.set(l.level, (out.get(l.level) ?? new Set()).add(n));
  }
  return out;
}

/** The heading typed at the start of `text` (its length in `text` after leading spaces), or null. */
export function typedLeadOf(text: string, numbers: ReadonlyMap<LeadLevel, ReadonlySet<number>>): { level: LeadLevel; heading: string } | null {
  const s = text.trimStart();
  for (const level of [1, 2] as const) {
    const taken = numbers.get(level);
    if (!taken?.size) continue;
    const m = MARKER[level].exec(s);
    const n = m ? cnNumber(m[1]!) : null;
    if (!m || !n || taken.has(n) || n > Math.max(...taken) + 1) continue;
    const after = s.slice(m[0].length);
    // 一、二季度 / 一、是加强… / 十、百、千… : a list or a sentence, not a heading
    if (/^[一二三四五六七八九十百千万、是]/.test(after)) continue;
    const h = /^[^。！？：\n]{2,30}[。：]/.exec(after);
    if (!h || /[0-9０-９%％]|季度/.test(h[0]) || !after.slice(h[0].length).trim()) continue;
    return { level, heading: m[0] + h[0] };
  }
  return null;
}
