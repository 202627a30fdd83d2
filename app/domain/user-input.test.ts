import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { emailChangeSchema, mergeAccountEdits, openedAccountValues, userInputSchema } from "./user-input";

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

describe("修改用户 saved after a colleague's save (mergeAccountEdits)", () => {
  const base = { displayName: "梁涛", role: "handler", phone: "", email: "", disabled: "" };
  it("takes their value where only they changed a field, keeps mine where only I did, and names a field both changed", () => {
    const theirs = { ...base, phone: "22831111", disabled: "on", email: "a@dg.gov.cn" };
    const mine = { ...base, displayName: "梁韬", email: "b@dg.gov.cn" };
    const { merged, conflicts } = mergeAccountEdits({ base, mine, theirs });
    expect(merged).toEqual({ displayName: "梁韬", role: "handler", phone: "22831111", email: "b@dg.gov.cn", disabled: "on" });
    expect(conflicts).toEqual(["email"]);
  });
  it("without what the page was opened with, every difference is a conflict and mine stays", () => {
    const { merged, conflicts } = mergeAccountEdits({ base: null, mine: { ...base, displayName: "梁韬" }, theirs: { ...base, phone: "1" } });
    expect(merged.phone).toBe("");
    expect(conflicts).toEqual(["displayName", "phone"]);
  });
  it("reads the opened values only when they are all there", () => {
    expect(openedAccountValues(JSON.stringify(base))).toEqual(base);
    expect(openedAccountValues('{"displayName":"x"}')).toBeNull();
    expect(openedAccountValues("{")).toBeNull();
    expect(openedAccountValues(null)).toBeNull();
  });
});
