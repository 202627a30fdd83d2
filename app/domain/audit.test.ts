import { describe, expect, it } from "vitest";
import { auditFiltersSchema } from "./audit";

describe("audit filters", () => {
  it("an impossible date is no filter (it made the audit page and CSV fail with 500); real dates are kept", () => {
    for (const from of ["2021-13-45", "2021-00-10", "2021-02-30", "2021年13月1日", "0001-01-01", "0000-01-01", "9999-12-31"])
      expect(auditFiltersSchema.parse({ from }).from, from).toBeUndefined();
    expect(auditFiltersSchema.parse({ from: "2024-02-29", to: "2021年5月9日" })).toMatchObject({ from: "2024-02-29", to: "2021-05-09" });
  });
});
