import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { csvText } from "./csv";

describe("csvText", () => {
  it("neutralises cells a spreadsheet would run as formulas, keeps numbers and ordinary text", () => {
    const text = csvText(
      ["提案号", "案由", "剩余天数"],
      [
        ['=HYPERLINK("http://evil.example","点我")', "+1 关于某事的建议", -5],
        ["@SUM(A1:A2)", "-2+3", 12],
        ["10121", "关于打造世界级智能终端产业基地的建议", 0],
      ],
    );
    expect(text.startsWith("\uFEFF")).toBe(true);
    const rows = Papa.parse<string[]>(text.slice(1)).data;
    expect(rows).toEqual([
      ["提案号", "案由", "剩余天数"],
      ['\'=HYPERLINK("http://evil.example","点我")', "'+1 关于某事的建议", "-5"],
      ["'@SUM(A1:A2)", "'-2+3", "12"],
      ["10121", "关于打造世界级智能终端产业基地的建议", "0"],
    ]);
  });
});
