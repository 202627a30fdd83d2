import { describe, expect, it } from "vitest";
import { mailSubject } from "./notices";

describe("mailSubject", () => {
  it("keeps a short notice whole and cuts a long one (a digest of 20 moved deadlines made a 700-character subject)", () => {
    expect(mailSubject("第30123号提案已分派给您办理，请签收。")).toBe("【提案答复系统】第30123号提案已分派给您办理，请签收。");
    const digest = `您承办的 25 件提案办理期限已变更（期限规则调整）：${Array.from({ length: 20 }, (_, i) => `第${20000 + i}号 2026-12-01 改为 2027-01-01`).join("；")}。`;
    const subject = mailSubject(digest);
    expect(Array.from(subject)).toHaveLength(8 + 58 + 2);
    expect(subject.endsWith("……")).toBe(true);
    expect(digest.startsWith(subject.slice(8, -2))).toBe(true);
    // a rare hanzi at the cut stays whole
    expect(mailSubject("𠮷".repeat(70)).slice(8, -2)).toBe("𠮷".repeat(58));
  });
});
