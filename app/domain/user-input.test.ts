import { describe, expect, it } from "vitest";
import { userInputSchema } from "./user-input";

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
