import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { draftFormSchema } from "./draft-form";

const form = (entries: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries({ baseRevisionId: "7", version: "3", "blocks[0].id": "b1", "blocks[0].type": "paragraph", "blocks[0].text": "正文。", ...entries }))
    fd.set(k, v);
  return parseWithZod(fd, { schema: draftFormSchema });
};

describe("the letter editor's form", () => {
  it("a search term pasted too long is cut, never a refusal that holds back saving the draft", () => {
    const s = form({ q: "专精特新".repeat(40) });
    expect(s.status).toBe("success");
    expect(s.status === "success" && s.value.q).toHaveLength(100);
  });

  it("an inline lead past 300 characters is refused on that block's lead", () => {
    const s = form({ "blocks[0].lead": "一".repeat(301) });
    expect(s.status).toBe("error");
    expect(s.status === "error" && s.error?.["blocks[0].lead"]).toEqual(["行内标题不能超过 300 字"]);
  });
});
