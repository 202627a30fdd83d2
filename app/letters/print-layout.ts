/**
 * Reading a printed letter back: the lines of a PDF (poppler's `pdftotext -bbox-layout`)
 * matched to the letter's paragraphs, so that each printed line knows its paragraph and
 * whether it is that paragraph's first or last line. The print pipeline uses it to find a
 * closing block standing alone on a page; the pagination tests use it to check a sweep.
 */
import { addresseeLine, disclosureLine, formatLetterDate, sanitizeText, splitParagraphs, type Letter } from "~/domain/letter";
import { printedSignatureLines, stripRedactionMarks } from "~/domain/redaction";

export interface PdfLine {
  page: number;
  /** Top of the glyphs, mm from the top of the page. */
  yMin: number;
  yMax: number;
  xMin: number;
  xMax: number;
  text: string;
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const decodeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]);

/** Lines with their boxes (mm from the top-left corner) from `pdftotext -bbox-layout` output. */
export function parseBboxLayout(html: string): PdfLine[] {
  const mm = (v: string) => (Number(v) * 25.4) / 72;
  const lines: PdfLine[] = [];
  let page = 0;
  for (const m of html.matchAll(/<page [^>]*>|<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)<\/line>/gs)) {
    if (m[0].startsWith("<page")) {
      page++;
      continue;
    }
    const words = [...m[5].matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((w) => decodeXml(w[1]));
    lines.push({ page, xMin: mm(m[1]), yMin: mm(m[2]), xMax: mm(m[3]), yMax: mm(m[4]), text: words.join("") });
  }
  return lines;
}

export type LineRole = "body" | "signature" | "seal" | "date" | "disclosure";

export interface PrintedLine {
  page: number;
  y: number;
  text: string;
  /** Index into printedParagraphs(letter). */
  paragraph: number;
  role: LineRole;
  /** Offset of the line's first character in its paragraph's text, whitespace not counted. */
  offset: number;
  first: boolean;
  last: boolean;
  /** The line is (part of) a heading block: one must not end a page (GB/T 9704 keeps it with what follows). */
  heading?: boolean;
}

export interface PrintedParagraph {
  /** The paragraph's text without whitespace (as pdftotext gives it back). */
  text: string;
  role: LineRole;
  /** For the last body paragraph: its block's index in letter.sections, and the lead's length. */
  section?: number;
  leadLength?: number;
  /** A table's cell: the table's block index, and whether the cell is in a header row (printed again on each page). */
  table?: number;
  header?: boolean;
  heading?: boolean;
}

const squash = (s: string) => s.replace(/\s+/g, "");
/**
 * A text as the print shows it, whitespace not counted: as the DOCX renders it (sanitized, the
 * 〖〗 redaction marks dropped). Read raw, a letter with marks or an invisible character never
 * matched its print, and its pagination went unchecked and unmended.
 */
const printedText = (s: string) => squash(stripRedactionMarks(sanitizeText(s)));

/** The letter's paragraphs from the addressee on, in print order, with their roles. */
export function printedParagraphs(letter: Letter): PrintedParagraph[] {
  const out: PrintedParagraph[] = [{ text: addresseeLine(letter), role: "body" }];
  if (letter.opening.trim()) out.push({ text: letter.opening, role: "body" });
  letter.sections.forEach((b, section) => {
    if (b.type === "heading") out.push({ text: b.text, role: "body", section, heading: true });
    else if (b.type === "paragraph") {
      const texts = splitParagraphs(b.text);
      texts.forEach((t, i) => {
        const lead = i === 0 && b.lead ? b.lead.text : "";
        out.push({ text: lead + t, role: "body", ...(i === texts.length - 1 ? { section, leadLength: printedText(lead).length } : {}) });
      });
    } else {
      // best effort: pdftotext may read a table's cells in another order (printedLines then throws)
      if (b.caption) out.push({ text: b.caption, role: "body", section });
      const headerRows = Math.min(b.headerRows ?? 0, b.rows.length);
      b.rows.forEach((r, ri) => {
        for (const c of r) if (c.trim()) out.push({ text: c, role: "body", section, table: section, ...(ri < headerRows ? { header: true } : {}) });
      });
    }
  });
  for (const l of printedSignatureLines(letter)) out.push({ text: l, role: "signature" });
  out.push({ text: letter.signature.sealLine, role: "seal" });
  if (letter.date) out.push({ text: formatLetterDate(letter.date, letter.dateStyle), role: "date" });
  const d = disclosureLine(letter);
  if (d) out.push({ text: d, role: "disclosure" });
  return out.map((p) => ({ ...p, text: printedText(p.text) })).filter((p) => p.text);
}

/** The type area's bottom on pages 2+ (mm from the top); page numbers sit lower. */
const TYPE_BOTTOM_MM = 262;

/**
 * Maps a PDF's lines onto the letter's paragraphs. Throws when the printed text does not
 * continue the letter's text — so a character missing from the print is caught too.
 */
export function printedLines(letter: Letter, pdfLines: PdfLine[]): PrintedLine[] {
  const paragraphs = printedParagraphs(letter);
  const all = pdfLines.filter((l) => !/^—\d+—$/.test(squash(l.text)) && l.yMax <= TYPE_BOTTOM_MM + 18);
  // The addressee may wrap (a joint proposal of several bodies, each named in full): the letter
  // starts at a line that begins it — the first from which the whole letter maps.
  const starts = all.flatMap((l, i) => (squash(l.text) && paragraphs[0].text.startsWith(squash(l.text)) ? [i] : []));
  if (!starts.length) throw new Error("打印稿中找不到主送机关一行");
  let failure: unknown;
  for (const start of starts) {
    try {
      return mapLines(paragraphs, all.slice(start));
    } catch (e) {
      failure ??= e;
    }
  }
  throw failure;
}

function mapLines(paragraphs: PrintedParagraph[], lines: PdfLine[]): PrintedLine[] {
  const out: PrintedLine[] = [];
  // each table's header row(s) as printed, to recognise them repeated at the top of a page
  const headers = new Map<number, string[]>();
  for (const x of paragraphs) if (x.header && x.table !== undefined) headers.set(x.table, [...(headers.get(x.table) ?? []), x.text]);
  let p = 0;
  let offset = 0;
  let page = 0;
  let pageTop = false;
  // A table's cells are read back as a bag of characters: pdftotext reads a row's cells across,
  // a page's piece of a table column by column, or a wrapped cell's lines between its
  // neighbours', so the order of its cells cannot be relied on (a table inside the body
  // left every such letter unchecked and unmended). Only that every character is there counts.
  let bag: Map<string, number> | null = null;
  let bagLeft = 0;
  let bagEnd = 0;
  let bagStarted = false;
  for (const line of lines) {
    const text = squash(line.text);
    if (!text) continue;
    if (line.page !== page) [page, pageTop] = [line.page, true];
    const table = paragraphs[p]?.table;
    if (table !== undefined && offset === 0) {
      if (!bag) {
        bag = new Map();
        bagLeft = 0;
        bagStarted = false;
        bagEnd = p;
        while (paragraphs[bagEnd]?.table === table) {
          for (const ch of paragraphs[bagEnd]!.text) bag.set(ch, (bag.get(ch) ?? 0) + 1);
          bagLeft += [...paragraphs[bagEnd]!.text].length;
          bagEnd++;
        }
      }
      const left = bag;
      // a table going on to this page prints its header row again above the rows that continue
      const repeated = headers.get(table);
      if (pageTop && bagStarted && repeated && (repeated.some((h) => h.includes(text)) || repeated.join("").includes(text))) continue;
      const need = new Map<string, number>();
      for (const ch of text) need.set(ch, (need.get(ch) ?? 0) + 1);
      if (![...need].every(([ch, n]) => (left.get(ch) ?? 0) >= n)) throw new Error(`第 ${line.page} 页的一行“${text}”不在表格中`);
      for (const [ch, n] of need) left.set(ch, left.get(ch)! - n);
      bagLeft -= [...text].length;
      const done = bagLeft === 0;
      out.push({ page: line.page, y: line.yMin, text, paragraph: done ? bagEnd - 1 : p, role: "body", offset: 0, first: !bagStarted, last: done });
      bagStarted = true;
      pageTop = false;
      if (done) {
        p = bagEnd;
        bag = null;
      }
      continue;
    }
    const rest = paragraphs[p]?.text.slice(offset) ?? "";
    if (!rest.startsWith(text)) throw new Error(`第 ${line.page} 页的一行“${text}”与正文“${rest.slice(0, 30)}…”对不上`);
    pageTop = false;
    const length = paragraphs[p].text.length;
    out.push({
      page: line.page,
      y: line.yMin,
      text,
      paragraph: p,
      role: paragraphs[p].role,
      offset,
      first: offset === 0,
      last: offset + text.length === length,
      ...(paragraphs[p].heading ? { heading: true } : {}),
    });
    offset += text.length;
    if (offset === length) {
      p++;
      offset = 0;
    }
  }
  if (p !== paragraphs.length) throw new Error(`打印稿在第 ${p + 1} 段处中断（缺“${paragraphs[p]?.text.slice(offset, offset + 20)}”）`);
  return out;
}

/**
 * How many body lines stand on the closing block's page, when that page is not the first.
 * Few (the two lines widow control or the carry pass moved over) mean the blank space of the
 * page before could not hold seal and date — GB/T 9704 7.3.5.4's case for tighter spacing.
 */
export function bodyLinesWithClosing(lines: PrintedLine[]): number | null {
  const seal = lines.find((l) => l.role === "seal");
  if (!seal || seal.page === lines[0]?.page) return null;
  return lines.filter((l) => l.page === seal.page && l.role === "body" && l.paragraph > 0).length;
}

/**
 * When the closing block stands on a page without body text: where to cut the last body
 * paragraph so that its last two lines go over with it — an offset into that block's last
 * text piece (see LayoutOptions.carryFrom), 0 to move the whole paragraph; for a table ending
 * the body, the row from which its last two rows go over. Null when the layout is fine or
 * cannot be mended this way.
 */
export function carryOffset(letter: Letter, lines: PrintedLine[]): number | null {
  if (!closingAlone(lines)) return null;
  const paragraphs = printedParagraphs(letter);
  const lastBody = lines.filter((l) => l.role === "body").at(-1);
  if (!lastBody) return null;
  const para = paragraphs[lastBody.paragraph];
  const section = para.section === undefined ? undefined : letter.sections[para.section];
  if (para.section !== letter.sections.length - 1) return null;
  // a table ending the body: its last two rows go over (rows are never split across pages)
  if (section?.type === "table") return Math.max(0, section.rows.length - 2);
  if (section?.type !== "paragraph") return null;
  const own = lines.filter((l) => l.paragraph === lastBody.paragraph);
  // two lines go over; if that would leave the paragraph's first line alone, all of it goes
  const cutLine = own.length - 2;
  if (cutLine <= 1 && own[0].first) return 0;
  const squashedCut = own[cutLine].offset - (para.leadLength ?? 0);
  if (squashedCut <= 0) return 0;
  return originalOffset(splitParagraphs(section.text).at(-1) ?? "", squashedCut);
}

/** Does the closing block stand on a page with no body text above its seal line (GB/T 9704 7.3.5.1)? */
export function closingAlone(lines: PrintedLine[]): boolean {
  const seal = lines.find((l) => l.role === "seal");
  if (!seal) return false;
  return !lines.some((l) => l.page === seal.page && l.role === "body" && l.paragraph > 0 && l.y < seal.y);
}

/** The offset in `text` of its n-th printed character (printedText: whitespace, marks and invisibles not counted). */
export function originalOffset(text: string, n: number): number {
  let seen = 0;
  let i = 0;
  for (const ch of text) {
    const printed = printedText(ch).length;
    if (printed) {
      if (seen >= n) return i;
      seen += printed;
    }
    i += ch.length;
  }
  return text.length;
}
