/**
 * Free text → the paragraphs the rules check. A .txt made from a PDF has one visual line per
 * line (letter 109), a markdown rendering has `---` page breaks that split words (letter 108):
 * both are joined into logical paragraphs first, keeping a map back to the source offsets.
 */

export interface Normalized {
  text: string;
  /** map[i] = source offset of text[i]; map[text.length] = source length. "\n" between paragraphs maps to the source line end. */
  map: number[];
  paras: { start: number; end: number }[];
}

interface Line {
  /** Source offsets of the kept characters. */
  offs: number[];
  chars: string;
  pageBreakBefore: boolean;
  markdownHeading: boolean;
}

const EDGE_SPACE = /[ \t\u3000\u00A0\uFEFF]/;
const PAGE_BREAK = /^\s*(?:-{3,}|\*{3,}|_{3,}|\f)\s*$/;
/** A line that starts a paragraph: 一、 （一） 1. （1）, a Word bullet (U+F0B7…); 一是 is not one (it runs on). */
export const HEADING_START =
  /^(?:[\uE000-\uF8FF]|[一二三四五六七八九十]{1,3}[、．.]|[（(][一二三四五六七八九十]{1,3}[）)]|\d{1,2}[.．、·](?!\d)|[（(]\d{1,2}[）)]|附件|第[一二三四五六七八九十]+[章节条])/;
const FINAL = /[。！？：；]$/;

function width(s: string): number {
  let w = 0;
  for (const ch of s) w += ch.charCodeAt(0) < 0x2000 ? 0.5 : 1;
  return w;
}

export function normalizeText(src: string): Normalized {
  const lines: Line[] = [];
  let pendingBreak = false;
  let pos = 0;
  for (const raw of src.split("\n")) {
    const lineStart = pos;
    pos += raw.length + 1;
    const body = raw.replace(/\r$/, "");
    if (PAGE_BREAK.test(body) || body.includes("\f")) {
      pendingBreak = true;
      continue;
    }
    // strip markdown: leading #…, ** anywhere
    let i = 0;
    let markdownHeading = false;
    const mh = /^\s*#{1,6}\s+/.exec(body);
    if (mh) {
      i = mh[0].length;
      markdownHeading = true;
    }
    const offs: number[] = [];
    let chars = "";
    while (i < body.length) {
      if (body[i] === "*" && body[i + 1] === "*") {
        i += 2;
        continue;
      }
      offs.push(lineStart + i);
      chars += body[i];
      i++;
    }
    // trim
    let a = 0;
    let b = chars.length;
    while (a < b && EDGE_SPACE.test(chars[a])) a++;
    while (b > a && EDGE_SPACE.test(chars[b - 1])) b--;
    if (a === b) continue;
    lines.push({ offs: offs.slice(a, b), chars: chars.slice(a, b), pageBreakBefore: pendingBreak, markdownHeading });
    pendingBreak = false;
  }

  // Hard-wrapped (PDF) text: many lines of nearly the same width.
  const widths = lines.map((l) => width(l.chars)).filter((w) => w >= 8);
  const sorted = [...widths].sort((x, y) => x - y);
  const wrapWidth = sorted.length ? sorted[Math.floor(sorted.length * 0.75)] : 0;
  const nearFull = widths.filter((w) => w >= wrapWidth - 2 && w <= wrapWidth + 2).length;
  const wrapped = sorted.length >= 6 && wrapWidth <= 60 && nearFull / widths.length >= 0.3;

  const out: { chars: string; offs: number[] }[] = [];
  for (const [n, line] of lines.entries()) {
    const prev = out.length ? out[out.length - 1] : null;
    const prevLine = prev ? lines[n - 1] : null;
    let join = false;
    if (prev && prevLine && !line.markdownHeading && !prevLine.markdownHeading && !HEADING_START.test(line.chars)) {
      if (line.pageBreakBefore) join = !FINAL.test(prevLine.chars);
      else if (wrapped) join = width(prevLine.chars) >= wrapWidth * 0.85;
      // a long body paragraph cut mid-sentence (a page break without its marker, as in letter 108)
      else join = prevLine.chars.length >= 40 && /[\u4e00-\u9fff]$/.test(prevLine.chars) && /^[\u4e00-\u9fff]/.test(line.chars);
    }
    // (a loop, not push(...xs): a paragraph joined from thousands of lines overflows the call stack)
    if (join && prev) {
      prev.chars += line.chars;
      for (const o of line.offs) prev.offs.push(o);
    } else out.push({ chars: line.chars, offs: [...line.offs] });
  }

  let text = "";
  const map: number[] = [];
  const paras: { start: number; end: number }[] = [];
  out.forEach((p, k) => {
    if (k > 0) {
      map.push(map[map.length - 1] + 1);
      text += "\n";
    }
    paras.push({ start: text.length, end: text.length + p.chars.length });
    text += p.chars;
    for (const o of p.offs) map.push(o);
  });
  map.push(src.length);
  return { text, map, paras };
}

/** Source range of a normalised range [start, end). */
export function mapRange(map: number[], start: number, end: number): [number, number] {
  if (end <= start) return [map[start], map[start]];
  return [map[start], map[end - 1] + 1];
}
