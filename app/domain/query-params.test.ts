import { describe, expect, it } from "vitest";
import { queryOf, recordId } from "./query-params";

describe("queryOf", () => {
  it("reads an address's query string with the fields a filter form left empty dropped", () => {
    expect(queryOf("http://x/proposals?meeting=&q=%E4%B8%93%E7%B2%BE&page=2")).toEqual({ q: "专精", page: "2" });
    expect(queryOf(new URL("http://x/stats"))).toEqual({});
  });
});

describe("recordId", () => {
  it("one record, one address: only plain decimal digits name it (0x1, 1e0, +1, 01 named record 1)", () => {
    expect(recordId.safeParse("12").data).toBe(12);
    expect(recordId.safeParse(12).data).toBe(12);
    for (const other of ["0x1", "1e0", "+1", "01", " 1", "1.0", "0", "-1", "2147483648", ""]) expect(recordId.safeParse(other).success, other).toBe(false);
  });
});
