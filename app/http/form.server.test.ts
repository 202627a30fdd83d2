import { describe, expect, it } from "vitest";
import { MAX_FORM_LIST_INDEX, refuseHugeListIndex } from "./form.server";

const form = (entries: [string, string][]) => {
  const f = new FormData();
  for (const [k, v] of entries) f.append(k, v);
  return f;
};

describe("a list index no page of this app sends", () => {
  it("is refused before the form is parsed (one blocks[99999] held the server for minutes)", () => {
    for (const key of ["blocks[99999].id", "blocks[0].rows[5000][0]", `answers[${MAX_FORM_LIST_INDEX + 1}].result`, "x[00000000001]"]) {
      let status = 0;
      try {
        refuseHugeListIndex(form([[key, "x"]]));
      } catch (e) {
        status = (e as Response).status;
      }
      expect(status, key).toBe(400);
    }
  });
  it("lets the editor's own fields through: 500 blocks, a table's rows and cells", () => {
    expect(() =>
      refuseHugeListIndex(
        form([
          ["blocks[499].text", "x"],
          ["blocks[3].rows[499][29]", "y"],
          ["proposers[0].name", "z"],
        ]),
      ),
    ).not.toThrow();
  });
});
