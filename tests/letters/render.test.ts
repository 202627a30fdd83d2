/**
 * Rendering checks: the DOCX opened by LibreOffice (soffice → PDF) and measured
 * with poppler (pdfinfo, pdftotext -bbox-layout, pdftoppm). Fonts are mapped
 * onto free faces with app/letters/fonts.conf.
 *
 * Without soffice/poppler the suite is skipped with a warning — except under CI,
 * where it fails. PDFs and PNGs are left in tests/.artifacts/letters to look at.
 * UPDATE_LETTER_REFERENCE=1 rewrites tests/letters/reference/letter-108-p1.png.
 */
import fs from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import { describe, it, expect, beforeAll } from "vitest";
import { buildLetter, textWidthEm, type Letter, type LetterBlock } from "~/domain/letter";
import { renderLetterDocx } from "~/letters/docx.server";
import {
  ARTIFACTS_DIR,
  FONTS_CONF,
  REFERENCE_DIR,
  convertToPdf,
  decodeGrayPng,
  encodeGrayPng,
  hasTool,
  pdfLines,
  pdfPages,
  pdfText,
  pixelDifference,
  rasterise,
  readSeed,
  readTemplate,
  seedLetter,
  type BoxLine,
} from "./helpers";

// ---------------------------------------------------------------------------
// Can we render here?
// ---------------------------------------------------------------------------

function renderingProblems(): string[] {
  const problems = ["soffice", "pdfinfo", "pdftotext", "pdftoppm", "fc-match"].filter((t) => !hasTool(t)).map((t) => `${t} is not installed`);
  if (!problems.length) {
    const expect = { 仿宋_GB2312: "Noto Serif CJK SC", 黑体: "Noto Sans CJK SC", 楷体_GB2312: "AR PL UKai CN" };
    for (const [name, face] of Object.entries(expect)) {
      const r = spawnSync("fc-match", [name], { encoding: "utf8", env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF } });
      if (!r.stdout.includes(face)) problems.push(`${name} does not map to ${face} (fc-match: ${r.stdout.trim()}); install fonts-noto-cjk and fonts-arphic-ukai`);
    }
  }
  return problems;
}

const problems = renderingProblems();
const skip = problems.length > 0 && !process.env.CI;
if (skip) console.warn(`[letters/render] skipped: ${problems.join("; ")}`);

// ---------------------------------------------------------------------------
// The letters
// ---------------------------------------------------------------------------

const PAGE_MM = { width: 210, height: 297 };
const TYPE = { left: 28, right: 184, top: 37, bottom: 262 };

function filler(chars: number, seed = "以打造国家创新型城市为总抓手，构建全链条创新体系，推动科技成果转化加速推进。"): string {
  return seed.repeat(Math.ceil(chars / seed.length)).slice(0, chars);
}

/** Figures and Latin words a line must not split (a reader would take 946 / 6 亩 for two figures). */
const FIGURES = ["94666亩", "2020-2022", "MicroLED", "100kW", "2019年"];

function robustLetters(): Record<string, Letter> {
  const base = seedLetter("109");
  const source = base.sections.filter((b): b is Extract<LetterBlock, { type: "paragraph" }> => b.type === "paragraph");
  const long: LetterBlock[] = [];
  for (let i = 0, chars = 0; chars < 36_000; i++) {
    const p = source[i % source.length];
    if (i % 3 === 0) long.push({ type: "heading", level: (i % 2 ? 2 : 1) as 1 | 2, text: `${i + 1}、第${i + 1}部分` });
    long.push({ type: "paragraph", text: p.text });
    chars += p.text.length;
  }
  const reply = readTemplate("reply-dg-gxj");
  const seed = readSeed("108");
  const proposers = [
    ...Array.from({ length: 30 }, (_, i) => ({ kind: "body" as const, name: `第${i + 1}民主党派市委会` })),
    ...Array.from({ length: 200 }, (_, i) => ({ kind: "member" as const, name: `委员${i + 1}` })),
  ];
  return {
    empty: { ...base, sections: [], opening: "" },
    sixty: { ...base, sections: long },
    longParagraph: { ...base, sections: [{ type: "paragraph", text: filler(5000) }] },
    xmlInvalid: {
      ...base,
      title: "关于\u0000对\u0008第\u000B1号\uFFFE提案\uD800的答复",
      sections: [
        { type: "heading", level: 1, text: "一、\u001F控制字符\uFFFF" },
        { type: "paragraph", text: "尖括号<和>、&amp;、\"引号\"与']]>'，零宽\u200B空格，\r\n回车换行\u000C以及\uDC00孤立代理。" },
      ],
    },
    emoji: {
      ...base,
      title: "关于对😀第1号提案的答复",
      addressee: "👨‍👩‍👧委员",
      sections: [{ type: "paragraph", text: "表情👍🏽🎉与扩展汉字𠀀𪚥都应保留。" }],
    },
    // each figure or Latin word once at every place across a line's end (26 characters after the indent)
    figures: {
      ...base,
      sections: FIGURES.flatMap((word) =>
        Array.from({ length: 8 }, (_, k) => ({ type: "paragraph" as const, text: `${"东莞市推动制造业高质量发展".repeat(3).slice(0, 20 + k)}${word}，持续推进。` })),
      ),
    },
    manyProposers: buildLetter(reply, { ...seed, proposers, addressee: proposers.map((p) => p.name).join("、") }),
    mixed: {
      ...base,
      draft: true,
      sections: [
        { type: "heading", level: 1, text: "一、总体情况" },
        { type: "heading", level: 2, text: "（一）产业规模" },
        { type: "paragraph", text: filler(300) },
        {
          type: "table",
          caption: "表1 重点项目",
          headerRows: 1,
          rows: [["项目", "投资（亿元）", "状态"], ...Array.from({ length: 30 }, (_, i) => [`项目${i + 1}`, String(10 + i), i % 2 ? "已签约" : "在谈"])],
        },
        { type: "paragraph", text: "正文。", lead: { level: 2, text: "（二）招商引资。" } },
      ],
    },
  };
}

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

/** Rows of text in the type area of a page, lines at the same height counted once. */
function textRows(lines: BoxLine[], page: number): number {
  const ys = lines
    .filter((l) => l.page === page && l.yMin >= TYPE.top - 2 && l.yMax <= TYPE.bottom + 2)
    .map((l) => (l.yMin + l.yMax) / 2)
    .sort((a, b) => a - b);
  let rows = 0;
  let last = -Infinity;
  for (const y of ys) {
    if (y - last > 3) rows++;
    last = y;
  }
  return rows;
}

/** Red pixel rows of a colour raster, grouped into bands (mm). */
function redBands(pdf: string, page: number, dpi = 100) {
  const r = rasterise(pdf, page, dpi, false);
  const px = 25.4 / dpi;
  const bands: { top: number; bottom: number; left: number; right: number }[] = [];
  for (let y = 0; y < r.height; y++) {
    let minX = -1;
    let maxX = -1;
    for (let x = 0; x < r.width; x++) {
      const i = (y * r.width + x) * 3;
      if (r.data[i] > 180 && r.data[i + 1] < 100 && r.data[i + 2] < 100) {
        if (minX < 0) minX = x;
        maxX = x;
      }
    }
    if (minX < 0) continue;
    const last = bands[bands.length - 1];
    if (last && y * px - last.bottom <= 2 * px) {
      last.bottom = (y + 1) * px;
      last.left = Math.min(last.left, minX * px);
      last.right = Math.max(last.right, (maxX + 1) * px);
    } else bands.push({ top: y * px, bottom: (y + 1) * px, left: minX * px, right: (maxX + 1) * px });
  }
  return bands;
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

(skip ? describe.skip : describe)("rendering with LibreOffice", () => {
  const pdf: Record<string, string> = {};
  const letters: Record<string, Letter> = {};

  beforeAll(async () => {
    if (problems.length) throw new Error(`cannot render letters: ${problems.join("; ")}`);
    fs.rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
    fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
    Object.assign(letters, { "letter-108": seedLetter("108"), "letter-109": seedLetter("109") }, robustLetters());
    const files: string[] = [];
    for (const [name, letter] of Object.entries(letters)) {
      const file = path.join(ARTIFACTS_DIR, `${name}.docx`);
      fs.writeFileSync(file, await renderLetterDocx(letter, { target: "libreoffice" })); // as the print pipeline lays it out
      files.push(file);
    }
    convertToPdf(files, ARTIFACTS_DIR); // one soffice call for all of them
    for (const name of Object.keys(letters)) pdf[name] = path.join(ARTIFACTS_DIR, `${name}.pdf`);
  }, 300_000);

  describe("letter 108", () => {
    // page counts: tests/letters/pagination.test.ts (through the print pipeline)
    it("holds at most 22 lines a page, 23 on page 1", () => {
      const pages = pdfPages(pdf["letter-108"]);
      const lines = pdfLines(pdf["letter-108"]);
      for (let p = 2; p <= pages; p++) expect(textRows(lines, p), `page ${p}`).toBeLessThanOrEqual(22);
      expect(textRows(lines, 2)).toBe(22); // a full page holds exactly 22 lines
      // page 1 uses the space down to the lower red rule: its last line ends below the
      // type area of the other pages (262 mm) and above the rule (277 mm)
      const last = lines.filter((l) => l.page === 1).at(-1)!;
      expect(last.yMin).toBeGreaterThan(TYPE.bottom);
      expect(last.yMax).toBeLessThan(PAGE_MM.height - 21);
    });

    it("fits 28 characters on a full line", () => {
      const lines = pdfLines(pdf["letter-108"]).filter((l) => l.page === 2 && /^[\u4e00-\u9fff，。、；：“”《》（）]+$/.test(l.text));
      const widest = Math.max(...lines.map((l) => textWidthEm(l.text)));
      expect(widest).toBe(28);
    });

    it("places the red mark 30 mm from the top, the red lines 170 mm long, 4 mm under it and 20 mm above the bottom", () => {
      const bands = redBands(pdf["letter-108"], 1);
      const [markBand, topRule] = bands;
      const bottomRule = bands[bands.length - 1];
      expect(markBand.top).toBeGreaterThan(29);
      expect(markBand.top).toBeLessThan(31);
      expect((markBand.left + markBand.right) / 2).toBeCloseTo(PAGE_MM.width / 2, 0);
      expect(topRule.top - markBand.bottom).toBeGreaterThan(3);
      expect(topRule.top - markBand.bottom).toBeLessThan(5.5);
      for (const rule of [topRule, bottomRule]) {
        expect(rule.left).toBeCloseTo(20, 0);
        expect(rule.right).toBeCloseTo(190, 0);
        expect(rule.bottom - rule.top).toBeLessThan(3);
      }
      const fromBottom = PAGE_MM.height - (bottomRule.top + bottomRule.bottom) / 2;
      expect(fromBottom).toBeGreaterThan(18.5);
      expect(fromBottom).toBeLessThan(21.5);
      // no red on page 2
      expect(redBands(pdf["letter-108"], 2)).toHaveLength(0);
    });

    it("puts the number flush right under the line, the title centred below it, the addressee flush left", () => {
      const lines = pdfLines(pdf["letter-108"]).filter((l) => l.page === 1);
      const find = (t: string) => {
        const l = lines.find((x) => x.text.includes(t));
        if (!l) throw new Error(`no line with ${t}: ${lines.map((x) => x.text).join(" | ")}`);
        return l;
      };
      const topRule = redBands(pdf["letter-108"], 1)[1];
      const number = find("东工信函〔2021〕108号");
      expect(number.xMax).toBeGreaterThan(TYPE.right - 1);
      expect(number.xMax).toBeLessThan(TYPE.right + 0.5);
      expect(number.yMin).toBeGreaterThan(topRule.bottom);
      expect(number.yMin - topRule.bottom).toBeLessThan(8);
      const t1 = find("关于对东莞市政协第十三届六次会议");
      const t2 = find("第10121号提案的答复");
      const centre = (TYPE.left + TYPE.right) / 2;
      for (const t of [t1, t2]) expect(Math.abs((t.xMin + t.xMax) / 2 - centre)).toBeLessThan(1.5);
      expect(t1.yMin).toBeGreaterThan(number.yMax + 8); // a blank line between number and title
      expect(t2.yMin).toBeGreaterThan(t1.yMax);
      const addressee = find("民建市委会：");
      expect(addressee.xMin).toBeCloseTo(TYPE.left, 0);
      expect(addressee.yMin).toBeGreaterThan(t2.yMax);
      const opening = find("您提出的");
      expect(opening.xMin - TYPE.left).toBeGreaterThan(10); // two characters in (11.3 mm)
      expect(opening.xMin - TYPE.left).toBeLessThan(12.5);
    });

    it("numbers pages from 2: — n — odd right, even left, one character in; none on page 1", () => {
      const lines = pdfLines(pdf["letter-108"]);
      const numberLine = (p: number) => lines.find((l) => l.page === p && /^—\d+—$/.test(l.text.replace(/\s/g, "")));
      expect(numberLine(1)).toBeUndefined();
      expect(pdfText(pdf["letter-108"], 1)).not.toMatch(/—\s*1\s*—/);
      const even = numberLine(2)!;
      const odd = numberLine(3)!;
      expect(even.text.replace(/\s/g, "")).toBe("—2—");
      expect(odd.text.replace(/\s/g, "")).toBe("—3—");
      const oneChar = (14 * 25.4) / 72; // 四号
      expect(even.xMin - TYPE.left).toBeCloseTo(oneChar, 0);
      expect(TYPE.right - odd.xMax).toBeCloseTo(oneChar, 0);
      // the dashes about 7 mm under the type area
      for (const l of [even, odd]) {
        const mid = (l.yMin + l.yMax) / 2;
        expect(mid - TYPE.bottom).toBeGreaterThan(5);
        expect(mid - TYPE.bottom).toBeLessThan(9.5);
      }
    });

    it("looks like the reference picture of page 1", () => {
      const actual = rasterise(pdf["letter-108"], 1, 50, true);
      const refFile = path.join(REFERENCE_DIR, "letter-108-p1.png");
      fs.writeFileSync(path.join(ARTIFACTS_DIR, "letter-108-p1.png"), encodeGrayPng(actual));
      if (process.env.UPDATE_LETTER_REFERENCE || !fs.existsSync(refFile)) {
        if (process.env.CI && !process.env.UPDATE_LETTER_REFERENCE) throw new Error(`missing reference ${refFile}`);
        fs.mkdirSync(REFERENCE_DIR, { recursive: true });
        fs.writeFileSync(refFile, encodeGrayPng(actual));
        console.warn(`[letters/render] wrote reference ${refFile}`);
        return;
      }
      const diff = pixelDifference(actual, decodeGrayPng(fs.readFileSync(refFile)));
      console.info(`letter-108 page 1: ${(diff * 100).toFixed(3)}% of pixels differ from the reference`);
      expect(diff, `see ${ARTIFACTS_DIR}/letter-108-p1.png`).toBeLessThan(0.005);
    });
  });

  describe("letter 109", () => {
    it("has at most 22 lines a page, the signer and the date with 〇", () => {
      const pages = pdfPages(pdf["letter-109"]);
      const lines = pdfLines(pdf["letter-109"]);
      for (let p = 2; p <= pages; p++) expect(textRows(lines, p), `page ${p}`).toBeLessThanOrEqual(22);
      const text = pdfText(pdf["letter-109"]).replace(/\s/g, "");
      expect(text).toContain("领导签字：詹志斌");
      expect(text).toContain("二〇二一年五月十九日");
      expect(text).not.toContain("○");
      expect(text).not.toContain("公开方式");
    });

    it("breaks the title after 会议, keeping 第…号 together", () => {
      const lines = pdfLines(pdf["letter-109"]).filter((l) => l.page === 1);
      expect(lines.some((l) => l.text === "关于对东莞市政协第十三届六次会议")).toBe(true);
      expect(lines.some((l) => l.text === "第20210100号提案的答复")).toBe(true);
    });
  });

  it("keeps a figure or a Latin word whole at a line's end (a range may break after its hyphen)", () => {
    const lines = pdfLines(pdf.figures).map((l) => l.text.replace(/\s/g, ""));
    for (const word of FIGURES)
      for (const part of word.replace(/[亩年]$/, "").match(/[^-]+-?/g) ?? []) expect(lines.filter((l) => l.includes(part)).length, `${word}: ${part}`).toBe(8);
  });

  describe("robustness: every letter opens in LibreOffice", () => {
    it.each(["empty", "sixty", "longParagraph", "xmlInvalid", "emoji", "manyProposers", "mixed"])("%s", (name) => {
      expect(fs.existsSync(pdf[name]), `${name}.pdf was not written`).toBe(true);
      const pages = pdfPages(pdf[name]);
      expect(pages).toBeGreaterThanOrEqual(1);
      if (name === "sixty") {
        expect(pages).toBeGreaterThanOrEqual(50);
        expect(pages).toBeLessThanOrEqual(70);
        const lines = pdfLines(pdf[name]);
        const rows = Array.from({ length: pages }, (_, i) => textRows(lines, i + 1));
        rows.forEach((n, i) => expect(n, `page ${i + 1}`).toBeLessThanOrEqual(22));
        // pages are full: 22 lines, or 20–21 where widow/orphan control or a heading kept
        // with its paragraph moved one or two lines to the next page (the page before the
        // last may end early: the closing block does not split)
        for (const [i, n] of rows.slice(1, -2).entries()) expect(n, `page ${i + 2}`).toBeGreaterThanOrEqual(20);
        expect(rows.slice(1, -2).filter((n) => n === 22).length / (pages - 3)).toBeGreaterThan(0.5);
        expect(pdfText(pdf[name], pages).replace(/\s/g, "")).toContain(`—${pages}—`);
      }
      if (name === "longParagraph") expect(pages).toBeGreaterThanOrEqual(2);
      if (name === "xmlInvalid") expect(pdfText(pdf[name]).replace(/\s/g, "")).toContain("尖括号<和>、&amp;");
      if (name === "emoji") expect(pdfText(pdf[name])).toContain("𠀀");
      if (name === "mixed") {
        const fonts = spawnSync("pdffonts", [pdf[name]], { encoding: "utf8" }).stdout;
        expect(fonts).toMatch(/NotoSansCJK/); // 黑体
        expect(fonts).toMatch(/UKai/i); // 楷体
        expect(pdfText(pdf[name]).replace(/\s/g, "")).toContain("项目30");
      }
    });
  });
});
