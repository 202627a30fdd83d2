import { describe, expect, it } from "vitest";
import { PUBLIC_QUERY_MAX, publicFiltersSchema, queryWasCut } from "./public-filters";

describe("the public list's search", () => {
  it("takes a search longer than it searches by its first characters, and says it was cut (it was dropped without a word)", () => {
    const sentence = "我局高度重视".repeat(20);
    const q = publicFiltersSchema.parse({ q: sentence }).q!;
    expect(Array.from(q)).toHaveLength(PUBLIC_QUERY_MAX);
    expect(sentence.startsWith(q)).toBe(true);
    expect(queryWasCut(sentence)).toBe(true);
    // a rare hanzi at the cut stays whole
    expect(publicFiltersSchema.parse({ q: `${"专".repeat(99)}𠮷𠮷` }).q).toBe(`${"专".repeat(99)}𠮷`);
    expect(queryWasCut("智能终端")).toBe(false);
    expect(queryWasCut(null)).toBe(false);
    expect(publicFiltersSchema.parse({ q: "  " }).q).toBeUndefined();
  });
});

describe("the public list's page", () => {
  it("a page past the last stays the page asked for, to be said (10,001 read as 1); no page at all, a negative one or text is the first", () => {
    const page = (v: unknown) => publicFiltersSchema.parse({ page: v }).page;
    expect([page("10001"), page("2.5"), page(undefined), page("-1"), page("abc"), page("1e400"), page("9".repeat(30))]).toEqual([10001, 2, 1, 1, 1, 1, 1_000_000]);
  });
});
