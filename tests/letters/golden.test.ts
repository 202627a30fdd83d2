/**
 * Golden test: letters 108 and 109, built from seeds/letters/*.json and the
 * bureau's template, must say word for word what the real letters say
 * (seeds/source/letter-10x.txt), once whitespace and the markdown markers of
 * the PDF extraction are set aside.
 */
import { describe, it, expect, beforeAll } from "vitest";
import { letterPlainText, type Letter } from "~/domain/letter";
import { renderLetterDocx } from "~/letters/docx.server";
import { normalise, seedLetter, seedSource, unzipDocx, xmlText, type DocxParts } from "./helpers";

const WHITE_CIRCLE = "\u25CB"; // ○, wrongly used in 109's date
const IDEOGRAPHIC_ZERO = "\u3007"; // 〇

describe("golden letters", () => {
  const letters: Record<"108" | "109", Letter> = { "108": seedLetter("108"), "109": seedLetter("109") };
  const docx: Partial<Record<"108" | "109", DocxParts>> = {};

  beforeAll(async () => {
    for (const n of ["108", "109"] as const) docx[n] = await unzipDocx(await renderLetterDocx(letters[n]));
  });

  it("108: the DOCX text (first-page header + body) equals the seed letter", () => {
    const parts = docx["108"]!;
    const actual = normalise(xmlText(parts.headers.first) + xmlText(parts.document));
    expect(actual).toBe(normalise(seedSource("108")));
  });

  it("108: letterPlainText equals the seed letter", () => {
    expect(normalise(letterPlainText(letters["108"]))).toBe(normalise(seedSource("108")));
  });

  it("109: the seed writes its date with ○ U+25CB; we write 〇 U+3007", () => {
    const seed = seedSource("109");
    expect(seed).toContain(`二${WHITE_CIRCLE}二一年五月十九日`);
    const body = xmlText(docx["109"]!.document);
    expect(body).toContain(`二${IDEOGRAPHIC_ZERO}二一年五月十九日`);
    expect(body).not.toContain(WHITE_CIRCLE);
    expect(letterPlainText(letters["109"])).not.toContain(WHITE_CIRCLE);
  });

  it("109: the DOCX body equals the seed letter (date corrected)", () => {
    // The extraction of 109 has no authority mark (it lost the letterhead), so
    // the body is compared on its own and the mark is checked separately.
    const expected = normalise(seedSource("109")).replaceAll(WHITE_CIRCLE, IDEOGRAPHIC_ZERO);
    expect(normalise(xmlText(docx["109"]!.document))).toBe(expected);
    expect(xmlText(docx["109"]!.headers.first).trim()).toBe("东莞市工业和信息化局");
  });

  it("109: letterPlainText equals the seed letter after the mark (date corrected)", () => {
    const expected = normalise(seedSource("109")).replaceAll(WHITE_CIRCLE, IDEOGRAPHIC_ZERO);
    expect(normalise(letterPlainText(letters["109"]))).toBe(normalise("东莞市工业和信息化局") + expected);
  });

  it("prints the signer only on 109 and the 公开方式 line only on 108", () => {
    expect(xmlText(docx["108"]!.document)).toMatch(/领导签字：\n/);
    expect(xmlText(docx["109"]!.document)).toContain("领导签字：詹志斌");
    expect(xmlText(docx["108"]!.document)).toContain("公开方式：主动公开");
    expect(xmlText(docx["109"]!.document)).not.toContain("公开方式");
  });

  it("keeps the seeds' own wording, quirks included", () => {
    expect(letterPlainText(letters["109"])).toContain("源头创新一技术创新一成果转化一企业培育");
    expect(letterPlainText(letters["108"])).toContain("培育和展先进制造业");
    // rejoined across page breaks and hard line breaks
    expect(letterPlainText(letters["108"])).toContain("我市培育国家先进制造业集群工作协调机制");
    expect(letterPlainText(letters["109"])).toContain("要立足东莞在生产制造领域的优势");
  });

  it("108 uses inline bold headings, 109 standalone ones", () => {
    const leads = letters["108"].sections.filter((b) => b.type === "paragraph" && b.lead);
    expect(leads.map((b) => (b.type === "paragraph" ? b.lead!.text : ""))).toEqual([
      "三、系统规划引领。",
      "四、创新成果转化。",
      "五、核心技术攻关。",
      "六、提供空间保障。",
      "七、做好强链补链。",
      "八、优化对企服务。",
    ]);
    expect(letters["109"].sections.filter((b) => b.type === "heading")).toHaveLength(3);
  });
});
