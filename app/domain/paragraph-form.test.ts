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
});
