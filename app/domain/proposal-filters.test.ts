import { describe, expect, it } from "vitest";
import { asksForFinished, proposalListFiltersSchema } from "./proposal-filters";

describe("asksForFinished (what the deadline exports include)", () => {
  it("includes answered proposals when the filter names such a state or the 待公开 list", () => {
    expect(asksForFinished({ state: "replied" })).toBe(true);
    expect(asksForFinished({ state: "transferred_out" })).toBe(true);
    // 待公开 holds only answered proposals: exporting it without them would give an empty file
    expect(asksForFinished({ queue: "publish" })).toBe(true);
  });

  it("leaves them out for open states, the other task lists and no filter", () => {
    expect(asksForFinished({})).toBe(false);
    expect(asksForFinished({ state: "drafting" })).toBe(false);
    for (const queue of ["todo", "sign", "assign", "reassign"] as const) expect(asksForFinished({ queue }), queue).toBe(false);
  });

  it("reads the list's own filters from the address bar", () => {
    expect(asksForFinished(proposalListFiltersSchema.parse({ queue: "publish" }))).toBe(true);
    expect(asksForFinished(proposalListFiltersSchema.parse({ queue: "nonsense" }))).toBe(false);
  });
});
