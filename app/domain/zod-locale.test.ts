import { z } from "zod";
import { describe, expect, it } from "vitest";
import "./zod-locale";

describe("zod's default messages", () => {
  it("reach users in Chinese", () => {
    const r = z.array(z.string()).max(2).safeParse(["a", "b", "c"]);
    expect(r.success).toBe(false);
    const message = r.error!.issues[0]!.message;
    expect(message).toMatch(/[\u4e00-\u9fff]/);
    expect(message).not.toMatch(/Too big|expected/);
  });
});

describe("a value outside a list (a forged or stale <select>)", () => {
  it("is refused in Chinese without naming the internal values", () => {
    const r = z.object({ role: z.enum(["lead", "co", "split"]) }).safeParse({ role: "boss" });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toBe("所选的值不在可选范围内，请重新选择");
    // a message a schema gives itself still wins
    const own = z.enum(["a", "b"], { error: "请选择甲或乙" }).safeParse("c");
    expect(own.error!.issues[0]!.message).toBe("请选择甲或乙");
  });
});

describe("a field left out or of the wrong kind (a forged or stale form)", () => {
  it("is refused in Chinese without naming types", () => {
    const schema = z.object({ name: z.string(), version: z.coerce.number().int() });
    const missing = schema.safeParse({ version: "1" });
    expect(missing.error!.issues[0]!.message).toBe("请填写此项");
    const nan = schema.safeParse({ name: "甲", version: "abc" });
    expect(nan.error!.issues[0]!.message).toBe("格式不对");
    const wrong = schema.safeParse({ name: ["甲", "乙"], version: "1" });
    expect(wrong.error!.issues[0]!.message).toBe("格式不对");
    // a schema's own message still wins
    expect(z.string({ error: "请填写用户名" }).safeParse(undefined).error!.issues[0]!.message).toBe("请填写用户名");
  });
});
