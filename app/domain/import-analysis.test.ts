import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { detectKind } from "./import-analysis";

const seed = (name: string) => fs.readFileSync(`seeds/source/${name}`, "utf8");

describe("自动识别 of an imported document's kind", () => {
  it("takes the reply letters for letters and the policy documents for policies", () => {
    for (const f of fs.readdirSync("seeds/source")) {
      if (!f.endsWith(".txt")) continue;
      expect(detectKind(seed(f)), f).toBe(f.startsWith("letter-") ? "letter" : "policy");
    }
  });
  it("does not take a policy notice for a letter because a 发文字号 heads it (东府办〔2026〕99号)", () => {
    const notice =
      "东莞市人民政府办公室关于印发《东莞市促进测试产业发展若干措施》的通知\n\n东府办〔2026〕99号\n\n各镇人民政府（街道办事处），市府直属各单位：\n\n现将《东莞市促进测试产业发展若干措施》印发给你们，请认真贯彻执行。\n\n东莞市人民政府办公室\n\n2026年3月1日";
    expect(detectKind(notice)).toBe("policy");
    // a reply without its 案由 line is still a 函 with its handler's phone
    expect(detectKind("东莞市工业和信息化局\n\n东工信函〔2026〕5号\n\n关于对某某提案的答复\n\n民建市委会：\n\n我局高度重视。\n\n承办人姓名：李泳\n\n联系电话：28685020")).toBe(
      "letter",
    );
  });
});
