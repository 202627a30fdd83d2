import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { paragraphEditSchema } from "./paragraph-form";

/** As the browser posts the form. */
function post(values: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries({ version: "3", title: "加强组织领导", body: "成立工作专班。", ...values })) form.append(k, v);
  return parseWithZod(form, { schema: paragraphEditSchema });
}

describe("the library paragraph's edit form", () => {
  it("takes an emptied 资料截至 as no date (it was refused as 无效输入)", () => {
    const s = post({ asOf: "" });
    expect(s.status).toBe("success");
    if (s.status === "success") expect(s.value.asOf).toBeNull();
  });

  it("reads a typed 资料截至 in any usual form, and names an impossible one", () => {
    const s = post({ asOf: "2026年3月5日" });
    expect(s.status === "success" && s.value.asOf).toBe("2026-03-05");
    expect(post({ asOf: "2026-02-30" }).reply().error).toEqual({ asOf: ["不是有效的日期"] });
  });

  it("keeps a table's empty first and last cells (leading and trailing tabs); spaces and blank lines around are dropped", () => {
    const table = "\t2022年\t2025年\n产值（亿元）\t9470\t10000\n企业数（家）\t120\t";
    const s = post({ body: `\r\n  ${table.replace(/\n/g, "\r\n")} \r\n` });
    expect(s.status === "success" && s.value.body).toBe(table);
  });

  it("stores the text a draft gets when it inserts the paragraph: no control characters, BOMs or odd line breaks", () => {
    const s = post({ title: "加强\u001B组织\uFEFF领导\n", body: "成立\u001B工作\uFEFF专班。\u2028由局领导牵头。" });
    expect(s.status === "success" && [s.value.title, s.value.body]).toEqual(["加强组织领导", "成立工作专班。\n由局领导牵头。"]);
  });

  it("a body of nothing but spaces and tabs is refused as empty", () => {
    expect(post({ body: " \t \n\t" }).reply().error).toEqual({ body: ["请填写正文"] });
  });
});
