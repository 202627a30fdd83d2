import { Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from "docx";
import { describe, expect, it } from "vitest";
import { splitIntoCandidates } from "~/domain/paragraph-import";
import { docxText } from "./docx-text.server";

const row = (...cells: string[]) => new TableRow({ children: cells.map((c) => new TableCell({ children: [new Paragraph(c)] })) });

describe("a Word file's text", () => {
  it("keeps a table's rows and cells (one line a row, cells between tabs), so the import takes it as a table, not one run-on paragraph", async () => {
    const doc = new Document({
      sections: [
        {
          children: [
            new Paragraph("一、发展目标"),
            new Paragraph("到2028年，产业规模突破1000亿元。"),
            new Table({ rows: [row("指标", "2025年", "2028年"), row("产业规模（亿元）", "600", "1000")] }),
            new Paragraph("二、保障措施"),
          ],
        },
      ],
    });
    const { text, cut } = await docxText(await Packer.toBuffer(doc));
    expect(cut).toBe(false);
    expect(text).toContain("指标\t2025年\t2028年\n产业规模（亿元）\t600\t1000");
    expect(text).toContain("到2028年，产业规模突破1000亿元。\n\n");
    const candidates = splitIntoCandidates(text, { kind: "policy" });
    const table = candidates.find((c) => c.kind === "table");
    expect(table?.text).toBe("指标\t2025年\t2028年\n产业规模（亿元）\t600\t1000");
    expect(candidates.some((c) => c.text.includes("指标2025年"))).toBe(false);
  });

  it("keeps a line break inside a paragraph (Shift+Enter) as a line break: two articles never run together", async () => {
    const doc = new Document({
      sections: [{ children: [new Paragraph({ children: [new TextRun("第一条 本办法适用于全市。"), new TextRun({ text: "第二条 本办法自发布之日起施行。", break: 1 })] })] }],
    });
    const { text } = await docxText(await Packer.toBuffer(doc));
    expect(text).toContain("第一条 本办法适用于全市。\n第二条 本办法自发布之日起施行。");
  });

  it("stops at the limit it is given and says the text was cut: a run of millions of letters is never made into one string", async () => {
    const doc = new Document({
      sections: [{ children: [new Paragraph("第一段。"), new Paragraph({ children: [new TextRun("甲".repeat(50)), new TextRun("乙".repeat(50))] }), new Paragraph("第三段。")] }],
    });
    const bytes = await Packer.toBuffer(doc);
    expect(await docxText(bytes, 30)).toEqual({ text: `第一段。\n\n${"甲".repeat(24)}`, cut: true });
    const whole = await docxText(bytes);
    expect(whole.cut).toBe(false);
    expect(await docxText(bytes, whole.text.length)).toEqual(whole);
  });
});
