/**
 * Letter → DOCX (GB/T 9704-2012 letter format, 信函格式).
 *
 * Every figure comes from /work/shared/reference/letter-format.md. Formatting
 * lives in named paragraph styles (公文正文, 发文字号, 公文标题 …) so that the
 * document stays editable in Word/WPS like a hand-made 红头 letter; runs carry
 * direct formatting only where a paragraph mixes fonts (the inline 小标题 of 108).
 *
 * Page 1: the red authority mark and the red double line under it sit in the
 * first-page header, the red line near the foot of the page in the first-page
 * footer; page 1 has no page number. Pages 2+: "— n —" in 宋体 四号, odd pages
 * right and even pages left, one character in.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Header,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Tab,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TabStopType,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type IParagraphStyleOptions,
  type ICharacterStyleOptions,
  type IRunOptions,
} from "docx";
import { TextWatermark } from "docx/watermarks";
import { splitByGb2312 } from "~/domain/gb2312";
import { addresseeLine, disclosureLine, formatLetterDate, sanitizeText, splitParagraphs, textWidthEm, titleLinesOf, type Letter, type LetterBlock } from "~/domain/letter";
import { printedSignatureLines, stripRedactionMarks } from "~/domain/redaction";
import { LAYOUT, mm } from "./layout";

// ---------------------------------------------------------------------------
// Figures (twips unless named otherwise). 1 mm = 1440 / 25.4 twips, rounded.
// ---------------------------------------------------------------------------

export { LAYOUT, mm };

const TYPE_WIDTH = LAYOUT.page.width - LAYOUT.margin.left - LAYOUT.margin.right; // 8845 = 156 mm

/** One 三号 character as set in the body (16 pt plus the character spacing), in twips. */
const BODY_EM = LAYOUT.bodySize * 10 + LAYOUT.bodyCharSpacing;
/**
 * The closing block's tab stops (from the left edge of the type area): the date ends four
 * characters in from the right edge; the seal line is centred over the date.
 */
export const CLOSING_TABS = {
  dateEnd: TYPE_WIDTH - 4 * LAYOUT.bodySize * 10,
  sealCentre: (dateText: string) => Math.round(CLOSING_TABS.dateEnd - ((dateText ? textWidthEm(dateText) : 10) * BODY_EM) / 2),
};
/** The red lines are 170 mm long and centred on the page: they reach 8 mm into the left margin and 6 mm into the right. */
const RULE_INDENT = { left: -(LAYOUT.margin.left - mm(20)), right: -(LAYOUT.margin.right - mm(20)) };

/** The mark's line: 1.2 × the font size, so that Word's exact line height does not clip the glyphs. */
const MARK_LINE = Math.round(LAYOUT.markSize * 10 * 1.2);
/**
 * Header distance that puts the top edge of the mark's glyphs 30 mm from the top
 * of the page: the glyphs start about 1.3 mm below the top of their line box
 * (measured in LibreOffice; tests/letters/render.test.ts checks 29–31 mm).
 */
const HEADER_DISTANCE = mm(30) - mm(1.3);
/** Space between the mark's line box and the first red line; with the descender room it makes 4 mm under the glyphs. */
const MARK_RULE_SPACE_PT = 6;
/**
 * The footers are anchored 19 mm above the bottom edge: the first-page footer is one
 * 1 pt line whose top border (the thin-over-thick red line) then sits 20 mm up.
 */
const FOOTER_DISTANCE = mm(19);
/** Extra space above the 发文字号 (see buildLetterDocument). */
const NUMBER_GAP = mm(1.2);
/** Lifts page numbers so the em dashes are about 7 mm under the type area. */
const PAGE_NUMBER_LIFT = mm(5);
/** The page-number line's exact height. */
const PAGE_NUMBER_LINE = 400;
/**
 * Page 1 has no page number, only the red rule 20 mm above the bottom edge; its text runs
 * down to 24 mm, so it holds one line more than the other pages, as in the bureau's
 * originals (23 lines end at 272 mm, 5 mm above the rule). The section's bottom margin is
 * this figure; on pages 2+ the page-number footer is made exactly tall enough to end the
 * text at the standard's 35 mm (Word and LibreOffice both end the text above a footer
 * taller than the margin).
 */
const FIRST_PAGE_BOTTOM = mm(24);
const PAGE_NUMBER_SPACE_ABOVE = LAYOUT.margin.bottom - FOOTER_DISTANCE - PAGE_NUMBER_LINE - PAGE_NUMBER_LIFT;

// ---------------------------------------------------------------------------
// Fonts
// ---------------------------------------------------------------------------

export const FONTS = {
  fangsong: "仿宋_GB2312",
  heiti: "黑体",
  kaiti: "楷体_GB2312",
  songti: "宋体",
  xiaobiaosong: "方正小标宋简体",
} as const;

/** The same face for Chinese and Latin text, as official templates do, with the East Asian hint. */
const font = (name: string) => ({ ascii: name, hAnsi: name, eastAsia: name, cs: name, hint: "eastAsia" });

/**
 * fontTable.xml with fallbacks: an office PC without 仿宋_GB2312 (Windows ships
 * 仿宋 FangSong) or 方正小标宋简体 substitutes the altName face; charset 86 = GB2312.
 */
const FONT_TABLE_XML =
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
  `<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
  [
    [FONTS.fangsong, "仿宋", "02010609030101010101", "modern", "fixed"],
    [FONTS.xiaobiaosong, "宋体", "02000000000000000000", "script", "variable"],
    [FONTS.heiti, "SimHei", "02010609060101010101", "modern", "fixed"],
    [FONTS.kaiti, "楷体", "02010609030101010101", "modern", "fixed"],
    [FONTS.songti, "SimSun", "02010600030101010101", "auto", "variable"],
  ]
    .map(
      ([name, alt, panose, family, pitch]) =>
        `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:panose1 w:val="${panose}"/>` +
        `<w:charset w:val="86"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`,
    )
    .join("") +
  `<w:font w:name="Times New Roman"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>` +
  `</w:fonts>`;

// ---------------------------------------------------------------------------
// Styles
// ---------------------------------------------------------------------------

const exact = (line: number) => ({ line, lineRule: LineRuleType.EXACT });

const S = {
  body: "LtrBody",
  mark: "LtrMark",
  number: "LtrNumber",
  title: "LtrTitle",
  addressee: "LtrAddressee",
  heading1: "LtrHeading1",
  heading2: "LtrHeading2",
  signature: "LtrSignature",
  tableCaption: "LtrTableCaption",
  tableText: "LtrTableText",
  tableHead: "LtrTableHead",
  pageNumber: "LtrPageNumber",
  footerRule: "LtrFooterRule",
  headerEmpty: "LtrHeaderEmpty",
  lead1: "LtrLead1",
  lead2: "LtrLead2",
} as const;

/**
 * Widow/orphan control on: a page may end one line short of the 22-line grid, but no
 * paragraph leaves a single line alone at the top or the bottom of a page. docx's style
 * typings leave the option out, but its paragraph properties write it.
 */
const WIDOW_CONTROL = { widowControl: true } as object;

/** The paragraph styles at a given line pitch (twips): LAYOUT.line, or tighter when the print fits a page (LayoutOptions.linesPerPage). */
const paragraphStyles = (line: number): IParagraphStyleOptions[] => [
  {
    id: S.body,
    name: "公文正文",
    quickFormat: true,
    paragraph: {
      alignment: AlignmentType.BOTH,
      indent: { firstLine: LAYOUT.firstLine },
      spacing: { ...exact(line), before: 0, after: 0 },
      ...WIDOW_CONTROL,
    },
    run: { font: font(FONTS.fangsong), size: LAYOUT.bodySize, characterSpacing: LAYOUT.bodyCharSpacing },
  },
  {
    id: S.mark,
    name: "发文机关标志",
    basedOn: S.body,
    paragraph: {
      alignment: AlignmentType.CENTER,
      indent: { firstLine: 0, left: RULE_INDENT.left, right: RULE_INDENT.right },
      spacing: { ...exact(MARK_LINE), before: 0, after: 0 },
      border: {
        bottom: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: LAYOUT.red, space: MARK_RULE_SPACE_PT },
      },
    },
    run: { font: font(FONTS.xiaobiaosong), size: LAYOUT.markSize, color: LAYOUT.red, characterSpacing: 0 },
  },
  {
    id: S.number,
    name: "发文字号",
    basedOn: S.body,
    paragraph: { alignment: AlignmentType.RIGHT, indent: { firstLine: 0 } },
  },
  {
    id: S.title,
    name: "公文标题",
    basedOn: S.body,
    next: S.addressee,
    paragraph: {
      alignment: AlignmentType.CENTER,
      indent: { firstLine: 0 },
      // two lines under the number (letter format), one line above the addressee
      spacing: { ...exact(line), before: 2 * line, after: line },
      keepNext: true,
      keepLines: true,
    },
    run: { font: font(FONTS.xiaobiaosong), size: LAYOUT.titleSize, characterSpacing: 0 },
  },
  {
    id: S.addressee,
    name: "主送机关",
    basedOn: S.body,
    next: S.body,
    paragraph: { alignment: AlignmentType.LEFT, indent: { firstLine: 0 } },
  },
  {
    id: S.heading1,
    name: "一级标题",
    basedOn: S.body,
    next: S.body,
    paragraph: { keepNext: true, outlineLevel: 0 },
    run: { font: font(FONTS.heiti) },
  },
  {
    id: S.heading2,
    name: "二级标题",
    basedOn: S.body,
    next: S.body,
    paragraph: { keepNext: true, outlineLevel: 1 },
    run: { font: font(FONTS.kaiti) },
  },
  {
    // the whole closing block: see closingChildren
    id: S.signature,
    name: "签署",
    basedOn: S.body,
    paragraph: {
      alignment: AlignmentType.LEFT,
      indent: { firstLine: 0, left: LAYOUT.firstLine },
      spacing: { ...exact(line), before: line, after: 0 },
      keepLines: true,
    },
  },
  {
    id: S.tableCaption,
    name: "表题",
    basedOn: S.body,
    next: S.body,
    paragraph: { alignment: AlignmentType.CENTER, indent: { firstLine: 0 }, keepNext: true },
    run: { font: font(FONTS.heiti) },
  },
  {
    id: S.tableText,
    name: "表格文字",
    basedOn: S.body,
    paragraph: { alignment: AlignmentType.LEFT, indent: { firstLine: 0 }, spacing: exact(400) },
    run: { size: 28, characterSpacing: 0 },
  },
  {
    id: S.tableHead,
    name: "表头文字",
    basedOn: S.tableText,
    paragraph: { alignment: AlignmentType.CENTER },
    run: { font: font(FONTS.heiti) },
  },
  {
    id: S.pageNumber,
    name: "页码",
    paragraph: { spacing: { ...exact(PAGE_NUMBER_LINE), before: PAGE_NUMBER_SPACE_ABOVE, after: PAGE_NUMBER_LIFT } },
    run: { font: font(FONTS.songti), size: LAYOUT.pageNumberSize },
  },
  {
    id: S.headerEmpty,
    name: "页眉空段",
    paragraph: { spacing: { ...exact(20), before: 0, after: 0 } },
    run: { size: 2 },
  },
  {
    id: S.footerRule,
    name: "版心下红线",
    paragraph: {
      indent: { left: RULE_INDENT.left, right: RULE_INDENT.right },
      spacing: { ...exact(20), before: 0, after: 0 },
      border: { top: { style: BorderStyle.THICK_THIN_SMALL_GAP, size: 24, color: LAYOUT.red, space: 0 } },
    },
    run: { size: 2 },
  },
];

const characterStyles: ICharacterStyleOptions[] = [
  { id: S.lead1, name: "段首一级标题", run: { font: font(FONTS.heiti), bold: true } },
  { id: S.lead2, name: "段首二级标题", run: { font: font(FONTS.kaiti), bold: true } },
];

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/**
 * The GB 2312-only faces, each with the face of the same design holding GBK's hanzi that Windows and
 * WPS ship. A hanzi the first lacks (道滘's 滘, 王堃's 堃) is set in the second, as careful typists do
 * by hand; left alone, Word draws it in whatever it falls back to, or as an empty box.
 */
const GBK_FACE: Record<string, string> = { [FONTS.fangsong]: "仿宋", [FONTS.kaiti]: "楷体", [FONTS.xiaobiaosong]: "宋体" };

/** Each style's East Asian face as Word resolves it: its own, else its basedOn style's, else the body's. */
const STYLE_FACE: ReadonlyMap<string, string> = (() => {
  const styles = new Map<string, { basedOn?: string; run?: IRunOptions }>([...paragraphStyles(LAYOUT.line), ...characterStyles].map((st) => [st.id, st]));
  const faceOf = (id: string | undefined): string => {
    const st = id ? styles.get(id) : undefined;
    if (!st) return FONTS.fangsong;
    const f = st.run?.font;
    return typeof f === "object" && f && "eastAsia" in f && f.eastAsia ? f.eastAsia : faceOf(st.basedOn);
  };
  return new Map([...styles.keys()].map((id) => [id, faceOf(id)]));
})();

/**
 * Runs for a piece of text: sanitized, 〖〗 redaction marks dropped; \n becomes a line break and \t a
 * tab. `paragraphStyle` names the paragraph's style (its font decides which hanzi need GBK_FACE).
 */
function runs(text: string, options: IRunOptions = {}, paragraphStyle: string = S.body): ParagraphChild[] {
  // A break asked for by the caller starts the text, so only its first run takes it: every run
  // after a face change carrying it too broke 王堃 into 王 and 堃 on two lines.
  const { break: leadingBreak, ...runOptions } = options;
  const gbk = GBK_FACE[STYLE_FACE.get(options.style ?? paragraphStyle) ?? FONTS.fangsong];
  const out: ParagraphChild[] = [];
  stripRedactionMarks(sanitizeText(text))
    .split("\n")
    .forEach((line, i) => {
      // pieces of the line in one face: the style's, or (face set) the GBK one
      const pieces: { face?: string; children: (string | Tab)[] }[] = [];
      const add = (child: string | Tab, face?: string) => {
        const last = pieces.at(-1);
        if (last && (last.face === face || child instanceof Tab)) last.children.push(child);
        else pieces.push({ face, children: [child] });
      };
      line.split("\t").forEach((part, j) => {
        if (j > 0) add(new Tab());
        for (const seg of gbk ? splitByGb2312(part) : part ? [{ text: part, outside: false }] : []) add(seg.text, seg.outside ? gbk : undefined);
      });
      if (i > 0 && !pieces.length) pieces.push({ children: [] });
      pieces.forEach((p, k) =>
        out.push(
          new TextRun({
            ...runOptions,
            ...(p.face ? { font: { eastAsia: p.face } } : {}),
            children: p.children,
            ...(k > 0 ? {} : i > 0 ? { break: 1 } : leadingBreak ? { break: leadingBreak } : {}),
          }),
        ),
      );
    });
  return out;
}

const para = (style: string, text: string, extra: Partial<ConstructorParameters<typeof Paragraph>[0] & object> = {}) =>
  new Paragraph({ style, children: runs(text, {}, style), ...extra });

/** `keepNext` for the block's last paragraph: the end of the body stays with the closing block. */
function blockChildren(b: LetterBlock, keepNext = false): (Paragraph | Table)[] {
  switch (b.type) {
    case "heading":
      return [para(b.level === 1 ? S.heading1 : S.heading2, b.text)];
    case "paragraph": {
      // A line break inside the text starts a new paragraph: a justified line
      // ending in a manual break would otherwise be stretched across the line.
      const texts = splitParagraphs(b.text);
      if (!texts.length) texts.push("");
      return texts.map(
        (t, i) =>
          new Paragraph({
            style: S.body,
            ...(keepNext && i === texts.length - 1 ? { keepNext: true } : {}),
            children: [...(b.lead && i === 0 ? runs(b.lead.text, { style: b.lead.level === 1 ? S.lead1 : S.lead2 }) : []), ...runs(t)],
          }),
      );
    }
    case "table":
      return tableChildren(b, keepNext);
  }
}

/**
 * The last body paragraph cut at `offset` (in its text after the lead, if any): the first
 * part stays where it is, its last line (a full line where the cut was made) set justified
 * like the others; the rest starts a new page without a first-line indent, so the print
 * reads as one paragraph continued overleaf. Offset 0 moves the whole paragraph.
 */
function carriedParagraph(b: Extract<LetterBlock, { type: "paragraph" }>, offset: number): Paragraph[] {
  const texts = splitParagraphs(b.text);
  if (!texts.length) texts.push("");
  const lastText = texts[texts.length - 1];
  const lead = (i: number) => (b.lead && i === 0 ? runs(b.lead.text, { style: b.lead.level === 1 ? S.lead1 : S.lead2 }) : []);
  const before = texts.slice(0, -1).map((t, i) => new Paragraph({ style: S.body, children: [...lead(i), ...runs(t)] }));
  const i = texts.length - 1;
  if (offset <= 0 || offset >= lastText.length) {
    return [...before, new Paragraph({ style: S.body, pageBreakBefore: true, children: [...lead(i), ...runs(lastText)] })];
  }
  return [
    ...before,
    new Paragraph({ style: S.body, alignment: AlignmentType.DISTRIBUTE, children: [...lead(i), ...runs(lastText.slice(0, offset))] }),
    new Paragraph({ style: S.body, pageBreakBefore: true, indent: { firstLine: 0 }, children: runs(lastText.slice(offset)) }),
  ];
}

/**
 * The last body block, a table, with its rows from `from` on moved to a new page (GB/T 9704
 * 7.3.5.1, as carriedParagraph for a paragraph): the table is printed as two, the second
 * starting a page with the header rows again — as the one table would continue overleaf.
 * `from` at or before the first data row moves the whole table (and its caption).
 */
function carriedTable(b: Extract<LetterBlock, { type: "table" }>, from: number): (Paragraph | Table)[] {
  const headerRows = Math.min(b.headerRows ?? 0, b.rows.length);
  if (from <= headerRows) return tableChildren(b, false, { breakBefore: true });
  return [
    ...tableChildren({ ...b, rows: b.rows.slice(0, from) }, false),
    ...tableChildren({ type: "table", headerRows, rows: [...b.rows.slice(0, headerRows), ...b.rows.slice(from)] }, false, { breakBefore: true }),
  ];
}

function tableChildren(b: Extract<LetterBlock, { type: "table" }>, keepNext: boolean, opts: { breakBefore?: boolean } = {}): (Paragraph | Table)[] {
  const cols = Math.max(1, ...b.rows.map((r) => r.length));
  const rows = b.rows.length ? b.rows : [[""]];
  const headerRows = Math.min(b.headerRows ?? 0, rows.length);
  const colWidth = Math.floor(TYPE_WIDTH / cols);
  const border = { style: BorderStyle.SINGLE, size: 4, color: "000000" };
  const table = new Table({
    width: { size: colWidth * cols, type: WidthType.DXA },
    columnWidths: Array.from({ length: cols }, () => colWidth),
    layout: TableLayoutType.FIXED,
    borders: { top: border, bottom: border, left: border, right: border, insideHorizontal: border, insideVertical: border },
    rows: rows.map(
      (r, ri) =>
        new TableRow({
          tableHeader: ri < headerRows,
          cantSplit: true,
          children: Array.from({ length: cols }, (_, ci) => {
            const cell = r[ci] ?? "";
            return new TableCell({
              width: { size: colWidth, type: WidthType.DXA },
              verticalAlign: VerticalAlignTable.CENTER,
              margins: { left: 80, right: 80, top: 40, bottom: 40 },
              // the last row kept with what follows (the closing block, when the table ends the body):
              // keepNext on the paragraph after the table alone let the page break fall before it
              children: [
                para(ri < headerRows ? S.tableHead : S.tableText, cell, {
                  ...(keepNext && ri === rows.length - 1 ? { keepNext: true } : {}),
                  // a table starting a page: its first row's paragraphs carry the break (Word and LibreOffice take it as the table's)
                  ...(opts.breakBefore && ri === 0 && !b.caption ? { pageBreakBefore: true } : {}),
                }),
              ],
            });
          }),
        }),
    ),
  });
  return [
    ...(b.caption ? [para(S.tableCaption, b.caption, opts.breakBefore ? { pageBreakBefore: true } : {})] : []),
    table,
    // Word needs a paragraph after a table; it also separates two tables.
    new Paragraph({ style: S.body, children: [], ...(keepNext ? { keepNext: true } : {}) }),
  ];
}

function titleParagraph(letter: Letter): Paragraph {
  const lines = titleLinesOf(letter);
  return new Paragraph({
    style: S.title,
    children: lines.flatMap((l, i) => runs(l, i > 0 ? { break: 1 } : {}, S.title)),
  });
}

/**
 * Signature block, seal line, date and 公开方式 as ONE paragraph that may not split
 * (keepLines), lines separated by line breaks, the seal and the date placed by tab stops.
 * LibreOffice does not honour a chain of keep-with-next paragraphs reliably (in a sweep of
 * body lengths the seal or the date still went alone to the next page); one unsplittable
 * paragraph, kept with the last body paragraph, cannot come apart.
 */
function closingChildren(letter: Letter): Paragraph[] {
  const children: ParagraphChild[] = [];
  const lineBreak = () => ({ break: children.length ? 1 : 0 });
  // (the public version has no signature lines: see app/domain/redaction.ts)
  for (const line of printedSignatureLines(letter)) children.push(...runs(line, lineBreak()));
  if (children.length) children.push(new TextRun({ break: 1 })); // a blank line above the seal
  const dateText = letter.date ? formatLetterDate(letter.date, letter.dateStyle) : "";
  children.push(...runs(`\t${letter.signature.sealLine}`, lineBreak()));
  // a draft has no date yet: its line is kept empty, so the draft the leader reviews breaks its pages
  // where the signed letter will (signing added a line, and could push the closing block over)
  children.push(...(dateText ? runs(`\t${dateText}`, { break: 1 }) : [new TextRun({ break: 1 })]));
  const disclosure = disclosureLine(letter);
  if (disclosure) children.push(...runs(disclosure, { break: 1 }));
  return [
    new Paragraph({
      style: S.signature,
      tabStops: [
        { type: TabStopType.CENTER, position: CLOSING_TABS.sealCentre(dateText) },
        { type: TabStopType.RIGHT, position: CLOSING_TABS.dateEnd },
      ],
      children,
    }),
  ];
}

function watermark(): Paragraph {
  return new Paragraph({
    style: S.headerEmpty,
    children: [new TextWatermark({ text: "草稿", font: FONTS.heiti, color: "C8C8C8", opacity: 0.5, width: 360, height: 180 })],
  });
}

function pageNumberFooter(side: "right" | "left"): Footer {
  return new Footer({
    children: [
      new Paragraph({
        style: S.pageNumber,
        alignment: side === "right" ? AlignmentType.RIGHT : AlignmentType.LEFT,
        // one 四号 character in from the edge of the type area
        indent: side === "right" ? { right: 280 } : { left: 280 },
        children: [new TextRun({ children: ["— ", PageNumber.CURRENT, " —"] })],
      }),
    ],
  });
}

// ---------------------------------------------------------------------------
// The document
// ---------------------------------------------------------------------------

/**
 * How the document is laid out for a given word processor. The default is the file people
 * download and open in Word/WPS. `libreoffice` is the print pipeline's variant
 * (app/letters/print.server.ts):
 * - LibreOffice moves a whole keep-with-next paragraph instead of its last lines (Word's
 *   behaviour), which left pages half empty, so the last body paragraph is not marked;
 * - `carryFrom`: after a first rendering put the closing block alone on a page, the last body
 *   paragraph is cut at this character offset of its text and the rest starts a new page,
 *   so that its last lines stand above the signature block (GB/T 9704 7.3.5.1); when the last
 *   block is a table, its rows from this index on start the new page (carriedTable).
 */
export interface LayoutOptions {
  target?: "word" | "libreoffice";
  carryFrom?: number;
  /**
   * Lines per page when not the standard's 22: the other remedy of GB/T 9704 7.3.5.4
   * (adjusting line spacing), used by the print pipeline when it saves the page that would
   * hold only the closing block. The type area stays 225 mm; every line gets 225 mm / n.
   */
  linesPerPage?: number;
}

/** The exact line height for n lines in the 225 mm type area. */
export const linePitch = (linesPerPage = 22): number => (linesPerPage === 22 ? LAYOUT.line : Math.round(LAYOUT.typeAreaHeight / linesPerPage));

export function buildLetterDocument(letter: Letter, options: LayoutOptions = {}): Document {
  const forWord = options.target !== "libreoffice";
  const line = linePitch(options.linesPerPage);
  const body: (Paragraph | Table)[] = [];
  body.push(
    new Paragraph({
      style: S.number,
      // The body starts where the header ends, at the red line; this puts the number's
      // glyphs 7/8 of a 三号 character (about 4.9 mm) under the line.
      spacing: { before: NUMBER_GAP },
      children: runs(letter.documentNumber ?? ""),
    }),
  );
  body.push(titleParagraph(letter));
  body.push(para(S.addressee, addresseeLine(letter)));
  // The last body paragraph is kept with the closing block, so the seal never stands on a
  // page without body text (GB/T 9704 7.3.5.1); widow control carries at least two of its lines.
  const last = letter.sections.length - 1;
  if (letter.opening.trim()) body.push(para(S.body, letter.opening, last < 0 && forWord ? { keepNext: true } : {}));
  // A whole last paragraph carried over goes with the heading right above it: the page break
  // before the paragraph left 三、下一步工作 alone at the foot of the page (the print review).
  const lastOne = letter.sections[last];
  const headingGoesToo =
    options.carryFrom !== undefined &&
    lastOne?.type === "paragraph" &&
    letter.sections[last - 1]?.type === "heading" &&
    splitParagraphs(lastOne.text).length <= 1 &&
    (options.carryFrom <= 0 || options.carryFrom >= (splitParagraphs(lastOne.text)[0] ?? "").length);
  letter.sections.forEach((b, i) => {
    const lastBlock = i === last;
    if (headingGoesToo && i === last - 1 && b.type === "heading") body.push(para(b.level === 1 ? S.heading1 : S.heading2, b.text, { pageBreakBefore: true }));
    else if (headingGoesToo && lastBlock) body.push(...blockChildren(b, forWord));
    else if (lastBlock && options.carryFrom !== undefined && b.type === "paragraph") body.push(...carriedParagraph(b, options.carryFrom));
    else if (lastBlock && options.carryFrom !== undefined && b.type === "table") body.push(...carriedTable(b, options.carryFrom));
    else body.push(...blockChildren(b, lastBlock && forWord));
  });
  body.push(...closingChildren(letter));

  const markHeader = new Header({
    children: [new Paragraph({ style: S.mark, children: runs(letter.authority, {}, S.mark) }), ...(letter.draft ? [watermark()] : [])],
  });
  const plainHeader = () => new Header({ children: [letter.draft ? watermark() : new Paragraph({ style: S.headerEmpty, children: [] })] });

  return new Document({
    creator: sanitizeText(letter.authority),
    title: stripRedactionMarks(sanitizeText(letter.title)),
    evenAndOddHeaderAndFooters: true,
    // Word and LibreOffice: do not stretch a justified line that ends in a manual line break
    compatibility: { doNotExpandShiftReturn: true },
    styles: {
      default: {
        document: {
          run: {
            font: font(FONTS.fangsong),
            size: LAYOUT.bodySize,
            // Latin runs (figures, 5G, MicroLED) tagged as Latin text: tagged zh-CN, LibreOffice broke
            // them anywhere at a line's end (946 / 6 亩, 2020-20 / 22); the Chinese stays zh-CN
            language: { value: "en-US", eastAsia: "zh-CN" },
          },
          paragraph: { spacing: exact(line) },
        },
      },
      paragraphStyles: paragraphStyles(line),
      characterStyles,
    },
    sections: [
      {
        properties: {
          titlePage: true,
          page: {
            size: { width: LAYOUT.page.width, height: LAYOUT.page.height },
            margin: {
              ...LAYOUT.margin,
              bottom: FIRST_PAGE_BOTTOM,
              header: HEADER_DISTANCE,
              footer: FOOTER_DISTANCE,
              gutter: 0,
            },
          },
          // The pitch documents the 22-line grid; every paragraph has an exact line height,
          // which Word lets override the grid. Snapping (type "lines") would make LibreOffice
          // give each 二号 title line two grid lines, which Word does not do.
          grid: { type: DocumentGridType.DEFAULT, linePitch: line },
        },
        headers: { first: markHeader, default: plainHeader(), even: plainHeader() },
        footers: {
          first: new Footer({ children: [new Paragraph({ style: S.footerRule, children: [] })] }),
          default: pageNumberFooter("right"),
          even: pageNumberFooter("left"),
        },
        children: body,
      },
    ],
  });
}

/** Renders a letter to a .docx file (GB/T 9704-2012 letter format). */
export async function renderLetterDocx(letter: Letter, options: LayoutOptions = {}): Promise<Buffer> {
  return Packer.toBuffer(buildLetterDocument(letter, options), false, [{ path: "word/fontTable.xml", data: FONT_TABLE_XML }]);
}
