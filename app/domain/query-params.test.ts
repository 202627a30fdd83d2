import { describe, expect, it } from "vitest";
import { queryOf } from "./query-params";

describe("queryOf", () => {
  it("reads an address's query string with the fields a filter form left empty dropped", () => {
    expect(queryOf("http://x/proposals?meeting=&q=%E4%B8%93%E7%B2%BE&page=2")).toEqual({ q: "专精", page: "2" });
    expect(queryOf(new URL("http://x/stats"))).toEqual({});
  });
});
