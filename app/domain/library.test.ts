import { textDiff } from "./draft";
import { describe, expect, it } from "vitest";
import {
  letterNumberPatterns,
  parseReferenceQuery,
  bigramCounts,
  buildSearchDocument,
  countOccurrences,
  diffTexts,
  highlight,
  matchRanges,
  normalizeForSearch,
  normalizeWithMap,
  parseSearchQuery,
  parseTags,
  countTags,
  MAX_TAGS,
  scoreDocument,
  sourceLabel,
  suggestTags,
  termScore,
} from "~/domain/library";
import { normalizeForCompare } from "~/domain/similarity";

describe("search text", () => {
  it("normalises like the duplicate check, and maps every character back to the source", () => {
    const text = "推动“专精特新”企业发展，汇集49 个单位（ＯＰＰＯ）";
    const { norm, map } = normalizeWithMap(text);
    expect(norm).toBe(normalizeForCompare(text));
    expect(norm).toBe(normalizeForSearch(text));
    expect(Array.from(norm)).toHaveLength(map.length);
    expect(text[map[norm.indexOf("专")]!]).toBe("专");
    expect(text.slice(map[norm.indexOf("oppo")]!, map[norm.indexOf("oppo")]! + 1)).toBe("Ｏ");
  });

  it("gives every BMP character the normal form of the full rule (NFKC, lower case, no space, punctuation or symbol)", () => {
    const rule = (ch: string) =>
      ch
        .normalize("NFKC")
        .toLowerCase()
        .replace(/[“”„‟«»「」『』‘’‚‛"'`´]/g, "")
        .replace(/[\s\p{P}\p{S}]/gu, "");
    const differing: string[] = [];
    for (let cp = 0; cp <= 0xffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (normalizeForSearch(ch) !== rule(ch)) differing.push(cp.toString(16));
    }
    expect(differing).toEqual([]);
  });

  it("counts overlapping bigrams", () => {
    expect([...bigramCounts("专精特新专精")]).toEqual([
      ["专精", 2],
      ["精特", 1],
      ["特新", 1],
      ["新专", 1],
    ]);
    expect(bigramCounts("专").size).toBe(0);
  });

  it("parses queries into normalised terms that must all occur", () => {
    expect(parseSearchQuery(" 专精特新  科技成果，转化 ")).toEqual(["专精特新", "科技成果", "转化"]);
    expect(parseSearchQuery("“5G”  5g")).toEqual(["5g"]);
    expect(parseSearchQuery("，。")).toEqual([]);
  });

  it("never scores a term above the impact of any of its bigrams (the index relies on it)", () => {
    const p = { title: "推动专精特新企业发展", tags: ["专精特新", "企业服务"], body: "四是推动专精特新企业发展。近两年培育省级专精特新企业 103 家，专精特新“小巨人”企业 20 家。" };
    const doc = buildSearchDocument(p);
    for (const term of ["专精特新", "专精特新企业", "小巨人", "企业"]) {
      const score = scoreDocument(doc, [term]);
      expect(score).toBeGreaterThan(0);
      for (const g of bigramCounts(term).keys()) expect(score).toBeLessThanOrEqual(doc.impacts.get(g)! + 1e-12);
    }
    expect(scoreDocument(doc, ["土地"])).toBe(0);
    expect(scoreDocument(doc, ["专精特新", "土地"])).toBe(0);
    // Title and tags add a bonus on top of the body weight.
    expect(scoreDocument(doc, ["专精特新"])).toBeCloseTo(termScore(3, doc.bodyLength, true, true));
  });

  it("counts non-overlapping occurrences", () => {
    expect(countOccurrences("人人人", "人人")).toBe(1);
    expect(countOccurrences("专精特新和专精特新", "专精特新")).toBe(2);
  });
});

describe("highlight", () => {
  const body = "四是推动专精特新企业发展。近两年培育省级专精 特新企业 103 家。";

  it("marks matches in the original wording, across spaces and punctuation", () => {
    const h = highlight(body, ["专精特新"]);
    expect(h.hits).toBe(2);
    expect(h.segments.filter((s) => s.hit).map((s) => s.text)).toEqual(["专精特新", "专精 特新"]);
    expect(h.segments.map((s) => s.text).join("")).toBe(body);
  });

  it("merges overlapping terms and clips a snippet around the first match", () => {
    expect(matchRanges("专精特新企业", ["专精特新", "特新企业"])).toEqual([[0, 6]]);
    const long = "甲".repeat(200) + "科技成果转化" + "乙".repeat(200);
    const h = highlight(long, ["科技成果转化"], { window: 80, before: 20 });
    expect(h.clippedStart).toBe(true);
    expect(h.clippedEnd).toBe(true);
    expect(h.segments.map((s) => s.text).join("")).toHaveLength(80);
    expect(h.segments[1]).toEqual({ text: "科技成果转化", hit: true });
  });

  it("does not split characters outside the BMP", () => {
    const h = highlight("𠀋专精特新𠀋", ["专精特新"]);
    expect(h.segments).toEqual([
      { text: "𠀋", hit: false },
      { text: "专精特新", hit: true },
      { text: "𠀋", hit: false },
    ]);
  });
});

describe("tags, diffs, labels", () => {
  it("parses and suggests tags", () => {
    expect(parseTags("专精特新，人才、 人才 5G")).toEqual(["专精特新", "人才", "5G"]);
    expect(suggestTags("培育省级专精特新企业，推进科技成果转化，保障工业用地")).toEqual(["专精特新", "科技成果转化", "土地保障"]);
  });

  it("counts every distinct tag typed, where parseTags keeps only MAX_TAGS (so a form can refuse the rest instead of dropping them)", () => {
    const typed = Array.from({ length: MAX_TAGS + 1 }, (_, i) => `标签${i + 1}`).join("、");
    expect(countTags(typed)).toBe(MAX_TAGS + 1);
    expect(parseTags(typed)).toHaveLength(MAX_TAGS);
    expect(countTags("专精特新，人才、 人才 5G")).toBe(3);
    expect(countTags(" ")).toBe(0);
  });

  it("diffs versions character by character", () => {
    expect(diffTexts("收储土地13239亩", "收储土地15872亩")).toEqual([
      { text: "收储土地", op: "same" },
      { text: "13239", op: "del" },
      { text: "15872", op: "add" },
      { text: "亩", op: "same" },
    ]);
  });

  it("shows two texts rewritten throughout as replaced, instead of searching seconds for a diff (any signed-in user can ask for one)", () => {
    const a = Array.from({ length: 6000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7) % 2000))).join("");
    const b = Array.from({ length: 6000 }, (_, i) => String.fromCharCode(0x6000 + ((i * 11) % 2000))).join("");
    expect(diffTexts(a, b)).toEqual([
      { text: a, op: "del" },
      { text: b, op: "add" },
    ]);
    expect(textDiff(a, b)).toEqual([
      { value: a, removed: true },
      { value: b, added: true },
    ]);
    // a long text with a small change still gets its exact diff
    expect(diffTexts(`${a}旧`, `${a}新`).filter((p) => p.op !== "same")).toEqual([
      { text: "旧", op: "del" },
      { text: "新", op: "add" },
    ]);
  });

  it("keeps figures whole in diffs", () => {
    const parts = diffTexts("增长12%，达9661.1亿元。", "增长19.9%，达9470.2亿元。");
    expect(parts.filter((p) => p.op !== "same").map((p) => `${p.op}:${p.text}`)).toEqual(["del:12%", "add:19.9%", "del:9661.1", "add:9470.2"]);
    expect(
      parts
        .filter((p) => p.op !== "add")
        .map((p) => p.text)
        .join(""),
    ).toBe("增长12%，达9661.1亿元。");
  });

  it("labels the source", () => {
    expect(sourceLabel({ letterNumber: "东工信函〔2021〕108号", documentTitle: "关于…的答复", section: "四、创新成果转化" })).toBe("东工信函〔2021〕108号 · 四、创新成果转化");
    expect(sourceLabel({ documentTitle: "行动计划", section: null })).toBe("行动计划");
  });
});

describe("splitPoints", () => {
  it("offers a split after each sentence, and between table rows", async () => {
    const { splitPoints } = await import("~/domain/library");
    const pts = splitPoints({ kind: "paragraph", text: "第一句。第二句“引号。”第三句！结尾" });
    expect(pts.map((p) => p.offset)).toEqual([4, 12, 16]);
    expect(pts[0]!.label).toBe("在“…第一句。”之后");
    expect(splitPoints({ kind: "table", text: "", rows: [["a"], ["b"], ["c"]] }).map((p) => p.offset)).toEqual([1, 2]);
  });

  it("offers one place where a sentence ends with a line break or with two marks (the list showed the same place twice)", async () => {
    const { splitPoints } = await import("~/domain/library");
    const pts = splitPoints({ kind: "paragraph", text: "第一句。\n第二句？！第三句。”\n\n结尾" });
    expect(pts.map((p) => p.offset)).toEqual([5, 10, 17]);
    expect(new Set(pts.map((p) => p.label)).size).toBe(pts.length);
    // a space after the mark is no place to split: the place is still offered, before it
    expect(splitPoints({ kind: "paragraph", text: "第一句。\u3000第二句" }).map((p) => p.offset)).toEqual([4]);
    expect(splitPoints({ kind: "paragraph", text: "一句；\t二句" }).map((p) => p.offset)).toEqual([3]);
    expect(splitPoints({ kind: "paragraph", text: "第一段。\n\u3000\u3000第二段。结尾" }).map((p) => p.offset)).toEqual([5, 11]);
  });
});

describe("parseReferenceQuery (search by 文号 or 提案号)", () => {
  it("reads the ways a clerk types a letter number", () => {
    expect(parseReferenceQuery("108号")).toEqual({ kind: "letter", year: null, no: 108, prefix: null });
    expect(parseReferenceQuery("〔2021〕108号")).toEqual({ kind: "letter", year: 2021, no: 108, prefix: null });
    expect(parseReferenceQuery("东工信函〔2021〕108号")).toEqual({ kind: "letter", year: 2021, no: 108, prefix: "东工信函" });
    expect(parseReferenceQuery(" 东工信函[2021]109号 ")).toEqual({ kind: "letter", year: 2021, no: 109, prefix: "东工信函" });
  });
  it("reads proposal numbers, and leaves topics alone", () => {
    expect(parseReferenceQuery("第10121号提案")).toEqual({ kind: "proposal", number: "10121" });
    expect(parseReferenceQuery("提案20210100")).toEqual({ kind: "proposal", number: "20210100" });
    for (const q of ["专精特新", "2021年", "108", "5G", "关于108号"]) expect(parseReferenceQuery(q)).toBeNull();
  });
});

describe("letterNumberPatterns", () => {
  it("match a stored 文号 by what was typed, and never 1108号 for 108号", () => {
    expect(letterNumberPatterns({ prefix: null, year: null, no: 108 })).toEqual({ like: "%%108号", regex: "[^0-9]108号$" });
    expect(letterNumberPatterns({ prefix: "东工信函", year: 2021, no: 108 })).toEqual({ like: "东工信函〔2021〕108号", regex: "[^0-9]108号$" });
    expect(new RegExp(letterNumberPatterns({ prefix: null, year: null, no: 108 }).regex).test("东工信函〔2021〕1108号")).toBe(false);
  });
});
