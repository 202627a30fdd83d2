import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import { splitCandidate, splitIntoCandidates } from "~/domain/paragraph-import";
import { buildSimilarityIndex, containment, findDuplicates, jaccard, normalizeForCompare, shingles, textContainment, textSimilarity, newFigures } from "~/domain/similarity";

const seed = (name: string) => fs.readFileSync(path.resolve("seeds/source", name), "utf8");
const c108 = splitIntoCandidates(seed("letter-108.txt"), { kind: "letter" });
const c109 = splitIntoCandidates(seed("letter-109.txt"), { kind: "letter" });
const library108 = c108.map((c) => ({ id: `108-${c.index}`, text: c.text }));
const byTitle = (cs: typeof c108, title: string) => cs.find((c) => c.title === title)!;

describe("normalizeForCompare", () => {
  it("ignores whitespace, punctuation, quote styles and full/half width", () => {
    expect(normalizeForCompare("汇集49 个单位")).toBe(normalizeForCompare("汇集49个单位"));
    expect(normalizeForCompare("ＯＰＰＯ、ｖｉｖｏ １２３")).toBe("oppovivo123");
    expect(normalizeForCompare('成立了"松湖之材"产业育成中心，')).toBe(normalizeForCompare("成立了“松湖之材”产业育成中心。"));
    expect(normalizeForCompare("（2020－2022）")).toBe(normalizeForCompare("(2020-2022)"));
  });

  it("keeps letters: the 一 (U+4E00) that 109 typed for a dash still counts", () => {
    expect(normalizeForCompare("源头创新—技术创新")).toBe("源头创新技术创新");
    expect(normalizeForCompare("源头创新一技术创新")).toBe("源头创新一技术创新");
  });
});

describe("shingle scores", () => {
  it("jaccard and containment on bigrams", () => {
    const a = shingles("专精特新");
    expect([...a]).toEqual(["专精", "精特", "特新"]);
    const b = shingles("推动专精特新企业");
    expect(containment(b, a)).toBe(1);
    expect(jaccard(a, a)).toBe(1);
    expect(jaccard(a, b)).toBeCloseTo(3 / 7);
    expect(shingles("专", 2)).toEqual(new Set(["专"]));
  });
});

describe("findDuplicates on the seed letters", () => {
  const s4 = byTitle(c108, "创新成果转化");

  it("109 section 一 reuses 108 section 四: found, near and containing it, not exact", () => {
    const matches = findDuplicates(c109[1]!, library108);
    expect(matches).toHaveLength(1);
    const m = matches[0]!;
    expect(m.id).toBe(`108-${s4.index}`);
    expect(m.kind).toBe("near");
    expect(m.jaccard).toBeGreaterThanOrEqual(0.85);
    expect(m.containsLibrary).toBeGreaterThanOrEqual(0.95);
    expect(textContainment(c109[1]!.text, s4.text)).toBeGreaterThan(0.95);
  });

  it("the reused part, split off 109's extra intro sentence, is a near duplicate (一 vs —, 49个 vs 49 个)", () => {
    const text = c109[1]!.text;
    const parts = splitCandidate(c109, 1, Array.from(text.slice(0, text.indexOf("以打造"))).length);
    const reused = parts[2]!;
    expect(reused.text.startsWith("以打造国家创新型城市为总抓手")).toBe(true);
    const [m] = findDuplicates(reused, library108);
    expect(m).toMatchObject({ id: `108-${s4.index}`, kind: "near" });
    expect(m!.score).toBeGreaterThanOrEqual(0.95);
    expect(m!.score).toBeLessThan(1);
    // The intro sentence alone matches nothing.
    expect(findDuplicates(parts[1]!, library108)).toEqual([]);
  });

  it("109 section 三 contains 108 sections 一 and 二 whole, and most of 三", () => {
    const matches = findDuplicates(c109[5]!, library108);
    const ids = (title: string) => `108-${byTitle(c108, title).index}`;
    expect(matches.map((m) => [m.id, m.kind])).toEqual([
      [ids("完善顶层设计"), "contains"],
      [ids("加强组织领导"), "contains"],
      [ids("系统规划引领"), "contains"],
    ]);
    expect(matches[0]!.score).toBe(1);
    expect(matches[1]!.score).toBe(1);
    expect(matches[2]!.score).toBeGreaterThan(0.9);
  });

  it("the other way round, a 108 section is contained in the 109 section", () => {
    const library109 = c109.map((c) => ({ id: `109-${c.index}`, text: c.text }));
    expect(findDuplicates(byTitle(c108, "完善顶层设计"), library109)).toMatchObject([{ id: "109-5", kind: "contained", score: 1 }]);
  });

  it("exact after normalisation: spacing and punctuation changes only", () => {
    const retyped = s4.text.replace(/，/g, ",").replace(/。/g, ". ").replace(/"/g, "“").replace("49 个", "49个");
    expect(findDuplicates(retyped, library108)).toMatchObject([{ id: `108-${s4.index}`, kind: "exact", score: 1 }]);
  });

  it("near: the same paragraph with changed figures", () => {
    const s6 = byTitle(c108, "提供空间保障");
    const updated = s6.text.replace("13239亩", "15872亩").replace("1432亩", "2633亩").replace("增长12%", "增长19.9%");
    const [m] = findDuplicates(updated, library108);
    expect(m).toMatchObject({ id: `108-${s6.index}`, kind: "near" });
    expect(m!.score).toBeGreaterThan(0.9);
    expect(textSimilarity(updated, s6.text)).toBeCloseTo(m!.jaccard, 3);
  });

  it("unrelated paragraphs and very short texts give nothing", () => {
    expect(findDuplicates(c109[3]!, library108)).toEqual([]);
    expect(findDuplicates("专精特新", library108)).toEqual([]);
  });

  it("a prebuilt index gives the same answer", () => {
    const index = buildSimilarityIndex(library108);
    for (const c of c109) expect(findDuplicates(c, index)).toEqual(findDuplicates(c, library108));
  });
});

describe("findDuplicates across the policy documents", () => {
  it("003 reuses 002's 行业协会 paragraph almost word for word", () => {
    const p002 = splitIntoCandidates(seed("policy-electronic-info-action-plan.txt"), { kind: "policy" });
    const p003 = splitIntoCandidates(seed("policy-smart-terminal-cluster-2023-2025.txt"), { kind: "policy" });
    const lib = p002.map((c) => ({ id: c.title, text: c.text }));
    const para = p003.find((c) => c.text.startsWith("大力推动行业协会提升自身建设水平"))!;
    expect(findDuplicates(para, lib)).toMatchObject([{ id: "提升产业促进机构水平", kind: "near" }]);
    // Without their responsibility tags (split off at import) the two differ by a few characters only.
    expect(findDuplicates(para, lib)[0]!.jaccard).toBe(0.981);
    const thresholdHigh = findDuplicates(para, lib, { nearThreshold: 0.99, containmentThreshold: 0.999 });
    expect(thresholdHigh).toEqual([]);
  });
});

describe("newFigures", () => {
  it("lists the candidate's numbers the library text lacks, full-width digits folded", () => {
    expect(newFigures("培育２５０家，推动60家，增长12.5%", "培育103家，推动60家，增长12.5%")).toEqual(["250"]);
    expect(newFigures("2021年培育103家", "2021年培育103家企业")).toEqual([]);
  });
});
