import { describe, expect, it } from "vitest";
import { applyFixes, type Finding, proofreadText } from "../proofread";

const mustFixes = (text: string) => proofreadText(text).filter((f) => f.severity === "must");
const quoteFixes = (text: string) => proofreadText(text).filter((f) => f.rule === "punct.quotes");

describe("straight quotes among curly ones", () => {
  const text = '构建"源头创新—技术创新—成果转化—企业培育"全链条创新体系，"光明科学城—松山湖科学城"片区获批，成立了"松湖之材"产业育成中心。';
  const right = "构建“源头创新—技术创新—成果转化—企业培育”全链条创新体系，“光明科学城—松山湖科学城”片区获批，成立了“松湖之材”产业育成中心。";

  it("改正 on one quote at a time leaves the others their fix, and ends with right pairs", () => {
    let t = text;
    for (let n = 6; n > 0; n--) {
      const qs = quoteFixes(t);
      expect(qs, t).toHaveLength(n);
      expect(
        qs.every((f) => f.suggestion !== undefined),
        t,
      ).toBe(true);
      t = applyFixes(t, [qs[0] as Finding]);
    }
    expect(t).toBe(right);
    expect(quoteFixes(t)).toEqual([]);
  });

  it("修正全部必须修改项 after one quote was fixed gives the right pairs", () => {
    const oneFixed = applyFixes(text, [quoteFixes(text)[0] as Finding]);
    expect(oneFixed.startsWith("构建“源头创新")).toBe(true);
    expect(applyFixes(oneFixed, mustFixes(oneFixed))).toBe(right);
    // fixed from the end as well
    const lastFixed = applyFixes(text, [quoteFixes(text).at(-1) as Finding]);
    expect(applyFixes(lastFixed, mustFixes(lastFixed))).toBe(right);
  });

  it("straight quotes inside a curly pair may be nested ones: no fix for them, the quotes outside keep theirs", () => {
    const t = '落实“推动"专精特新"企业高质量发展”的建议，打造"松湖之材"品牌。';
    const qs = quoteFixes(t);
    expect(qs.map((f) => f.suggestion)).toEqual([undefined, undefined, "“", "”"]);
    expect(applyFixes(t, mustFixes(t))).toBe('落实“推动"专精特新"企业高质量发展”的建议，打造“松湖之材”品牌。');
  });

  it("an odd count is not guessed", () => {
    const t = '构建“源头创新"全链条，"松湖之材品牌。';
    expect(quoteFixes(t).every((f) => f.suggestion === undefined)).toBe(true);
  });
});
