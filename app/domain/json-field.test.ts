import { describe, expect, it } from "vitest";
import { z } from "zod";
import { jsonField } from "./json-field";

describe("jsonField", () => {
  const field = jsonField(z.array(z.number()).min(1, "至少一项"));
  it("parses the JSON and checks it with the schema", () => {
    expect(field.parse("[1,2]")).toEqual([1, 2]);
    expect(field.safeParse("[]").error?.issues[0]?.message).toBe("至少一项");
  });
  it("asks for the file again when the JSON is broken", () => {
    expect(field.safeParse('[1,"').error?.issues.map((i) => i.message)).toEqual(["导入数据无效，请重新上传文件。"]);
  });
});
