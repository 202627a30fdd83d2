import { describe, expect, it } from "vitest";
import { memo, memoBy } from "./memo";

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

  it("memoBy remembers by the key it is given: equal keys share one result, different keys do not", () => {
    let calls = 0;
    const years = memoBy(
      (i: { text: string; today: string }) => `${i.today}|${i.text}`,
      (i) => {
        calls++;
        return Number(i.today.slice(0, 4)) - Number(i.text);
      },
    );
    expect(years({ text: "2020", today: "2026-11-30" })).toBe(6);
    expect(years({ text: "2020", today: "2026-11-30" })).toBe(6);
    expect(years({ text: "2020", today: "2027-01-01" })).toBe(7);
    expect(calls).toBe(2);
  });
});
