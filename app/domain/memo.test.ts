import { describe, expect, it } from "vitest";
import { memo } from "./memo";

describe("memo", () => {
  it("computes each input once while it is remembered", () => {
    const seen: string[] = [];
    const len = memo((s: string) => {
      seen.push(s);
      return s.length;
    });
    expect([len("甲乙"), len("甲乙"), len("丙")]).toEqual([2, 2, 1]);
    expect(seen).toEqual(["甲乙", "丙"]);
  });

  it("forgets the least recently used inputs beyond its total length", () => {
    const seen: string[] = [];
    const id = memo((s: string) => {
      seen.push(s);
      return s;
    }, 4);
    id("aa");
    id("bb");
    id("aa"); // "bb" is now the oldest
    id("cc"); // 6 characters: "bb" goes
    id("aa");
    id("bb");
    expect(seen).toEqual(["aa", "bb", "cc", "bb"]);
  });
});
