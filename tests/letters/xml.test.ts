/**
 * The WordprocessingML of a rendered letter against letter-format.md: page,
 * margins, grid, fonts and sizes per element, headers and footers.
 */
import { describe, it, expect, beforeAll } from "vitest";
import type { Letter } from "~/domain/letter";
import { renderLetterDocx } from "~/letters/docx.server";
import { attr, paragraphs, seedLetter, styleAttr, styleBlock, unzipDocx, xmlText, type DocxParts } from "./helpers";

const pStyle = (p: string) => attr(p, "pStyle", "val");

function mixedLetter(): Letter {
  const base = seedLetter("109");
  return {
    ...base,
    draft: true,
    documentNumber: null,
    sections: [
      { type: "heading", level: 1, text: "一、总体情况" },
      { type: "heading", level: 2, text: "（一）产业规模" },
      { type: "paragraph", text: "正文。", lead: { level: 2, text: "（二）招商引资。" } },
      {
        type: "table",
        caption: "表1 重点项目",
        headerRows: 1,
        rows: [
          ["项目", "投资（亿元）"],
          ["京东湾区总部", "125"],
        ],
      },
      { type: "paragraph", text: "控制字符\u0001和\uFFFF应当去掉&<>。" },
    ],
  };
}

describe("DOCX XML", () => {
  let x: DocxParts;
  let mixed: DocxParts;

  beforeAll(async () => {
    x = await unzipDocx(await renderLetterDocx(seedLetter("108")));
    mixed = await unzipDocx(await renderLetterDocx(mixedLetter()));
  });

  it("A4 page, GB/T 9704 margins, 22-line grid", () => {
    const sect = /<w:sectPr>.*?<\/w:sectPr>/s.exec(x.document)![0];
    expect(attr(sect, "pgSz", "w")).toBe("11906");
    expect(attr(sect, "pgSz", "h")).toBe("16838");
    expect(attr(sect, "pgMar", "top")).toBe("2098");
    expect(attr(sect, "pgMar", "left")).toBe("1587");
    expect(attr(sect, "pgMar", "right")).toBe("1474");
    // page 1 runs down to 24 mm (above the lower red rule); pages 2+ end at 35 mm because
    // their page-number footer (19 mm + its height) is exactly 16 mm tall
    expect(attr(sect, "pgMar", "bottom")).toBe("1361");
    expect(attr(sect, "pgMar", "footer")).toBe("1077");
    const pn = /<w:style [^>]*w:styleId="LtrPageNumber".*?<\/w:style>/s.exec(x.styles)![0];
    const footerHeight = Number(attr(pn, "spacing", "before")) + Number(attr(pn, "spacing", "line")) + Number(attr(pn, "spacing", "after"));
    expect(1077 + footerHeight).toBe(1984);
    expect(attr(sect, "docGrid", "linePitch")).toBe("579");
    expect(attr(sect, "docGrid", "type")).toBe("default");
  });

  it("exact 579-twip line spacing for the body", () => {
    expect(styleAttr(x.styles, "LtrBody", "spacing", "line")).toBe("579");
    expect(styleAttr(x.styles, "LtrBody", "spacing", "lineRule")).toBe("exact");
    expect(styleAttr(x.styles, "LtrBody", "ind", "firstLine")).toBe("640");
    // widow/orphan control on: no single line alone at a page's top or bottom
    expect(styleBlock(x.styles, "LtrBody")).toMatch(/<w:widowControl\/>/);
    for (const p of paragraphs(x.document)) {
      const line = attr(p, "spacing", "line");
      if (line) expect(attr(p, "spacing", "lineRule")).toBe("exact");
    }
  });

  it("titlePage and evenAndOddHeaders", () => {
    expect(x.document).toMatch(/<w:titlePg\/>/);
    expect(x.settings).toMatch(/<w:evenAndOddHeaders\/>/);
    expect(Object.keys(x.headers).sort()).toEqual(["default", "even", "first"]);
    expect(Object.keys(x.footers).sort()).toEqual(["default", "even", "first"]);
  });

  it("the red authority mark in the first-page header, with the thick-over-thin red line", () => {
    const first = x.headers.first;
    expect(xmlText(first).trim()).toBe("东莞市工业和信息化局");
    const style = pStyle(paragraphs(first)[0])!;
    expect(styleAttr(x.styles, style, "rFonts", "eastAsia")).toBe("方正小标宋简体");
    expect(styleAttr(x.styles, style, "color", "val")).toBe("FF0000");
    expect(styleAttr(x.styles, style, "jc", "val")).toBe("center");
    const border = /<w:pBdr>.*?<\/w:pBdr>/s.exec(styleBlock(x.styles, style)!)![0];
    expect(attr(border, "bottom", "val")).toBe("thickThinSmallGap");
    expect(attr(border, "bottom", "color")).toBe("FF0000");
    // 170 mm long and centred: 8 mm into the left margin, 6 mm into the right
    const left = 1587 + Number(styleAttr(x.styles, style, "ind", "left"));
    const right = 11906 - 1474 - Number(styleAttr(x.styles, style, "ind", "right"));
    expect(left).toBe(1134); // 20 mm
    expect(right - left).toBe(9638); // 170 mm
    // the other headers do not repeat the mark
    expect(xmlText(x.headers.default).trim()).toBe("");
    expect(xmlText(x.headers.even).trim()).toBe("");
  });

  it("the thin-over-thick red line at the foot of page 1, and no page number there", () => {
    const first = x.footers.first;
    expect(first).not.toMatch(/PAGE/);
    const style = pStyle(paragraphs(first)[0])!;
    const border = /<w:pBdr>.*?<\/w:pBdr>/s.exec(styleBlock(x.styles, style)!)![0];
    expect(attr(border, "top", "val")).toBe("thickThinSmallGap");
    expect(attr(border, "top", "color")).toBe("FF0000");
  });

  it("page numbers — n — in 宋体 四号, odd pages right and even pages left, one character in", () => {
    for (const [kind, side] of [
      ["default", "right"],
      ["even", "left"],
    ] as const) {
      const f = x.footers[kind];
      expect(f).toMatch(/<w:instrText[^>]*>\s*PAGE\s*<\/w:instrText>/);
      expect(xmlText(f).replace(/\s/g, "")).toBe("——");
      const p = paragraphs(f)[0];
      expect(attr(p, "jc", "val")).toBe(side);
      expect(attr(p, "ind", side)).toBe("280");
      const style = pStyle(p)!;
      expect(styleAttr(x.styles, style, "rFonts", "eastAsia")).toBe("宋体");
      expect(styleAttr(x.styles, style, "sz", "val")).toBe("28");
    }
  });

  it("fonts and sizes per element", () => {
    const ps = paragraphs(x.document);
    const byText = (t: string) => ps.find((p) => xmlText(p).includes(t))!;
    const check = (p: string, eastAsia: string, size: string) => {
      const s = pStyle(p)!;
      expect(styleAttr(x.styles, s, "rFonts", "eastAsia"), s).toBe(eastAsia);
      expect(styleAttr(x.styles, s, "rFonts", "ascii"), s).toBe(eastAsia);
      expect(styleAttr(x.styles, s, "sz", "val"), s).toBe(size);
    };
    const number = byText("东工信函〔2021〕108号");
    check(number, "仿宋_GB2312", "32");
    expect(styleAttr(x.styles, pStyle(number)!, "jc", "val")).toBe("right");
    const title = byText("关于对东莞市政协");
    check(title, "方正小标宋简体", "44");
    expect(styleAttr(x.styles, pStyle(title)!, "jc", "val")).toBe("center");
    expect(xmlText(title)).toBe("关于对东莞市政协第十三届六次会议\n第10121号提案的答复\n");
    const addressee = byText("民建市委会：");
    check(addressee, "仿宋_GB2312", "32");
    expect(styleAttr(x.styles, pStyle(addressee)!, "jc", "val")).toBe("left");
    expect(styleAttr(x.styles, pStyle(addressee)!, "ind", "firstLine")).toBe("0");
    check(byText("为推动东莞市智能移动终端"), "仿宋_GB2312", "32");
    check(byText("二〇二一年五月十九日"), "仿宋_GB2312", "32");
  });

  it("inline lead headings: a bold 黑体 run, then 仿宋 text, in one paragraph", () => {
    const p = paragraphs(x.document).find((q) => xmlText(q).startsWith("三、系统规划引领。"))!;
    const runs = [...p.matchAll(/<w:r>.*?<\/w:r>/gs)].map((m) => m[0]);
    const lead = runs.find((r) => xmlText(r).includes("三、系统规划引领。"))!;
    const leadStyle = attr(lead, "rStyle", "val")!;
    expect(styleAttr(x.styles, leadStyle, "rFonts", "eastAsia")).toBe("黑体");
    expect(styleBlock(x.styles, leadStyle)).toMatch(/<w:b\/>/);
    const rest = runs.find((r) => xmlText(r).includes("会同广东赛迪研究院"))!;
    expect(attr(rest, "rFonts", "eastAsia")).toBeUndefined(); // inherits 仿宋 from the paragraph style
    expect(styleAttr(x.styles, pStyle(p)!, "rFonts", "eastAsia")).toBe("仿宋_GB2312");
  });

  it("standalone headings: level 1 黑体, level 2 楷体_GB2312", () => {
    const ps = paragraphs(mixed.document);
    const h1 = ps.find((p) => xmlText(p).includes("一、总体情况"))!;
    const h2 = ps.find((p) => xmlText(p).includes("（一）产业规模"))!;
    expect(styleAttr(mixed.styles, pStyle(h1)!, "rFonts", "eastAsia")).toBe("黑体");
    expect(styleAttr(mixed.styles, pStyle(h2)!, "rFonts", "eastAsia")).toBe("楷体_GB2312");
    expect(styleAttr(mixed.styles, pStyle(h1)!, "sz", "val")).toBe("32");
    const lead2 = /<w:rStyle w:val="(\w+)"\/>/.exec(ps.find((p) => xmlText(p).includes("（二）招商引资。"))!)![1];
    expect(styleAttr(mixed.styles, lead2, "rFonts", "eastAsia")).toBe("楷体_GB2312");
  });

  it("tables are real Word tables with a repeated header row", () => {
    expect(mixed.document).toMatch(/<w:tbl>/);
    const tbl = /<w:tbl>.*?<\/w:tbl>/s.exec(mixed.document)![0];
    expect([...tbl.matchAll(/<w:tr>|<w:tr [^>]*>/g)]).toHaveLength(2);
    expect(tbl).toMatch(/<w:tblHeader\/>/);
    expect(xmlText(tbl)).toContain("京东湾区总部");
  });

  it("a table that ends the body keeps its last row with the closing block; one in the middle does not", async () => {
    const ending = await unzipDocx(await renderLetterDocx({ ...mixedLetter(), sections: mixedLetter().sections.slice(0, -1) }));
    const rowsOf = (doc: string) => [.../<w:tbl>.*?<\/w:tbl>/s.exec(doc)![0].matchAll(/<w:tr(?: [^>]*)?>.*?<\/w:tr>/gs)].map((m) => m[0]);
    const endingRows = rowsOf(ending.document);
    expect(endingRows.at(-1)).toMatch(/<w:keepNext\/>/);
    expect(endingRows[0]).not.toMatch(/<w:keepNext\/>/);
    for (const row of rowsOf(mixed.document)) expect(row).not.toMatch(/<w:keepNext\/>/);
  });

  it("drafts carry a 草稿 watermark in every header", () => {
    for (const kind of ["first", "default", "even"]) expect(mixed.headers[kind]).toMatch(/string="草稿"/);
    expect(x.document + Object.values(x.headers).join("")).not.toMatch(/草稿/);
  });

  it("all text is sanitized and escaped", () => {
    expect(mixed.document).not.toMatch(/[\u0001\uFFFF]/);
    expect(xmlText(mixed.document)).toContain("控制字符和应当去掉&<>。");
  });

  it("names fallbacks in the font table", () => {
    const fonts = x.files["word/fontTable.xml"];
    expect(fonts).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    expect(fonts).toMatch(/<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"\/>/);
    expect(fonts).toMatch(/<w:font w:name="楷体_GB2312"><w:altName w:val="楷体"\/>/);
  });

  it("renders the same bytes of XML for the same letter (speed is measured in npm run bench, not here)", async () => {
    const letter = seedLetter("109");
    const a = await unzipDocx(await renderLetterDocx(letter));
    const b = await unzipDocx(await renderLetterDocx(letter));
    expect(a.files["word/document.xml"]).toBe(b.files["word/document.xml"]);
  });

  it("a hanzi outside GB 2312 is set in the GBK face of its style's design (仿宋, 楷体, 宋体); 黑体 has it already", async () => {
    const letter: Letter = {
      ...mixedLetter(),
      sections: [
        { type: "heading", level: 1, text: "一、支持高埗镇产业" },
        { type: "heading", level: 2, text: "（一）王堃工作室" },
        { type: "paragraph", text: "道滘镇和高埗镇的项目。", lead: { level: 2, text: "（二）沙滘片区。" } },
      ],
    };
    const doc = (await unzipDocx(await renderLetterDocx(letter))).document;
    // each run: its East Asian face override, if any, and its text
    const runsOf = (p: string) => [...p.matchAll(/<w:r>(.*?)<\/w:r>/gs)].map((m) => ({ face: attr(m[1], "rFonts", "eastAsia") ?? null, text: xmlText(m[1]!) }));
    const para = (text: string) => paragraphs(doc).find((p) => xmlText(p).includes(text))!;
    expect(runsOf(para("王堃"))).toEqual([
      { face: null, text: "（一）王" },
      { face: "楷体", text: "堃" },
      { face: null, text: "工作室" },
    ]);
    expect(runsOf(para("道滘镇"))).toEqual([
      { face: null, text: "（二）沙" },
      { face: "楷体", text: "滘" },
      { face: null, text: "片区。" },
      { face: null, text: "道" },
      { face: "仿宋", text: "滘" },
      { face: null, text: "镇和高" },
      { face: "仿宋", text: "埗" },
      { face: null, text: "镇的项目。" },
    ]);
    expect(runsOf(para("支持高埗镇")).every((r) => r.face === null)).toBe(true);
    // letter 108 has no such hanzi: its runs carry no face of their own
    expect(x.document).not.toMatch(/w:eastAsia="(仿宋|楷体|宋体)"/);
  });

  it("a name or title line with such a hanzi stays on one line: the break goes before its first run only", async () => {
    const base = seedLetter("109");
    const letter: Letter = {
      ...base,
      title: "关于对东莞市政协第十三届六次会议道滘镇第20210109号提案的答复",
      titleLines: ["关于对东莞市政协第十三届六次会议", "道滘镇第20210109号提案的答复"],
      signature: { ...base.signature, handlerName: "王堃" },
    };
    const doc = (await unzipDocx(await renderLetterDocx(letter))).document;
    // the lines of a paragraph as printed: its text split at each <w:br/>
    const linesOf = (p: string) =>
      p
        .split(/<w:br\/>/)
        .map((l) => xmlText(l).trim())
        .filter(Boolean);
    const para = (text: string) => paragraphs(doc).find((p) => xmlText(p).includes(text))!;
    expect(linesOf(para("第20210109号提案"))).toEqual(["关于对东莞市政协第十三届六次会议", "道滘镇第20210109号提案的答复"]);
    expect(linesOf(para("承办人"))).toContain(`${base.signature.handlerLabel ?? "承办人姓名"}：王堃`);
  });
});
