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
