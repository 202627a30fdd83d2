import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { emailChangeSchema, userInputSchema } from "./user-input";

describe("a user's details as 用户管理 and user:create take them", () => {
  const user = { username: "test.user", displayName: "测试", role: "handler", password: "a-long-password" };
  it("takes a phone typed in full-width digits as the same number", () => {
    expect(userInputSchema.parse({ ...user, phone: "０７６９－２８６８５０９９" }).phone).toBe("0769-28685099");
    expect(userInputSchema.parse({ ...user, phone: "" }).phone).toBeNull();
    expect(userInputSchema.safeParse({ ...user, phone: "电话" }).success).toBe(false);
    // brackets and dashes alone are no number (it was printed on the letters)
    expect(userInputSchema.safeParse({ ...user, phone: "(((((" }).success).toBe(false);
    expect(userInputSchema.parse({ ...user, phone: "(0769) 2868-5020" }).phone).toBe("(0769) 2868-5020");
  });
});

describe("个人设置 → 通知邮箱", () => {
  const post = (values: Record<string, string>) => {
    const f = new FormData();
    for (const [k, v] of Object.entries({ intent: "email", ...values })) f.append(k, v);
    return parseWithZod(f, { schema: emailChangeSchema });
  };
  it("an emptied address clears it (conform hands the empty field over as missing: it was refused as 请填写此项)", () => {
    const r = post({ email: "", emailPassword: "x" });
    expect(r.status === "success" && r.value.email).toBeNull();
  });
  it("a wrong address is named beside the field; a right one is kept in lower case", () => {
    expect(post({ email: "bad@" }).reply().error).toEqual({ email: ["请填写有效的电子邮箱地址，例如 liyong@dg.gov.cn"] });
    const ok = post({ email: " LiYong@DG.gov.cn " });
    expect(ok.status === "success" && ok.value.email).toBe("liyong@dg.gov.cn");
  });
});
