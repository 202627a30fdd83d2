import { describe, expect, it } from "vitest";
import { proofreadText } from "../proofread";

const numbering = (text: string) => proofreadText(text).filter((f) => f.rule === "structure.numbering");

describe("一是/二是 after whitespace", () => {
  it("a tab, space or U+3000 between the stop and 三是 is no gap in the run", () => {
    for (const ws of ["\t", " ", "\u3000", "\u3000\u3000"]) {
      const text = `一是完善政策体系；二是加快项目落地。${ws}三是推进“工改工”；四是建立台账。`;
      expect(numbering(text), JSON.stringify(ws)).toEqual([]);
    }
  });
  it("a real gap after whitespace is still found", () => {
    const got = numbering("一是完善政策体系；二是加快项目落地。\t四是建立台账。");
    expect(got.map((f) => f.excerpt)).toEqual(["四是"]);
  });
  it("a long run of spaces is read once", () => {
    const text = `一是完善。${" ".repeat(40_000)}二是落实。`;
    const t0 = Date.now();
    expect(numbering(text)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
