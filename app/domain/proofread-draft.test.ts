import { describe, expect, it } from "vitest";
import { proofreadLetter } from "./proofread";
import { draftOf as draft, letterOf as build } from "./proofread/draft-fixture";
import { applyDraftFixes, mustFixes, proofreadDraftLetter } from "./proofread-draft";

describe("proofreading a draft", () => {
  const d = draft([
    { id: "h1", type: "heading", level: 1, text: "一、总体情况" },
    { id: "p1", type: "paragraph", text: "推推动专精特新企业发展，截止2021年底认定49 个单位。", lead: { level: 2, text: "（一）强化培育。" } },
  ]);
  const findings = proofreadDraftLetter(build(d), d.blocks);

  it("does not report the template's 关于对 under every draft (the handler cannot change the title); the letter checker still does", () => {
    const letter = build(d);
    expect(letter.title.startsWith("关于对")).toBe(true);
    expect(findings.some((f) => f.part === "title")).toBe(false);
    expect(proofreadLetter(letter).some((f) => f.part === "title" && f.rule === "structure.title" && f.excerpt === "关于对")).toBe(true);
  });

  it("ties each body finding to its block", () => {
    const dup = findings.find((f) => f.rule === "char.duplicate")!;
    expect(dup).toMatchObject({ blockId: "p1", blockIndex: 1 });
    // offsets count the inline lead first, as printed
    const p1 = d.blocks[1]!;
    expect(p1.type === "paragraph" && `（一）强化培育。${p1.text}`.slice(dup.offset, dup.offset + dup.length)).toBe(dup.excerpt);
  });

  it("fixes all must-fix findings in the right block, and a second pass finds none left", () => {
    const { draft: fixed, applied } = applyDraftFixes(d, mustFixes(findings));
    expect(applied).toBeGreaterThan(0);
    const block = fixed.blocks[1]!;
    expect(block.type === "paragraph" && block.text).toContain("推动专精特新");
    expect(block.type === "paragraph" && block.lead?.text).toBe("（一）强化培育。");
    expect(mustFixes(proofreadDraftLetter(build(fixed), fixed.blocks))).toEqual([]);
  });

  it("a library paragraph's own numbering (“1.”, “1·”) inserted as a 二级 行内标题 is fixed to this letter's （一）, （二） in one click", () => {
    const inserted = draft([
      { id: "h1", type: "heading", level: 1, text: "一、总体情况" },
      { id: "a", type: "paragraph", text: "推动企业上云用云。", lead: { level: 2, text: "1. 推动集群数字化网络化智能化转型。" } },
      { id: "b", type: "paragraph", text: "培育软件企业。", lead: { level: 2, text: "1·软件与信息服务产业集群。" } },
    ]);
    const found = proofreadDraftLetter(build(inserted), inserted.blocks).filter((f) => f.rule === "structure.numbering" && f.severity === "must");
    expect(found.map((f) => [f.blockId, f.excerpt, f.suggestion])).toEqual([
      ["a", "1. ", "（一）"],
      ["b", "1·", "（二）"],
    ]);
    const { draft: fixed } = applyDraftFixes(inserted, mustFixes(found));
    expect(fixed.blocks.map((b) => (b.type === "paragraph" ? b.lead?.text : null))).toEqual([null, "（一）推动集群数字化网络化智能化转型。", "（二）软件与信息服务产业集群。"]);
    expect(mustFixes(proofreadDraftLetter(build(fixed), fixed.blocks))).toEqual([]);
  });

  it("“（一）” typed in a 一级 行内标题 (a new paragraph starts at 一级) says the level may be what is wrong", () => {
    const typed = draft([{ id: "a", type: "paragraph", text: "加大资金扶持。", lead: { level: 1, text: "（一）加强政策支持。" } }]);
    const [f] = proofreadDraftLetter(build(typed), typed.blocks).filter((x) => x.rule === "structure.numbering");
    expect(f?.message).toBe("这是第1级标题，序数应写作“一、”的形式；如本段应是二级标题，请把本段的级别改为二级，不要点改正。");
  });

  it("skips a fix whose text has changed since it was found", () => {
    const dup = findings.find((f) => f.rule === "char.duplicate")!;
    const edited = draft([d.blocks[0]!, { id: "p1", type: "paragraph", text: "全新的一段。" }]);
    expect(applyDraftFixes(edited, [{ blockId: "p1", offset: dup.offset, length: dup.length, excerpt: dup.excerpt, replacement: dup.suggestion ?? "" }]).applied).toBe(0);
  });

  it("fixes a block typed with leading full-width spaces or invisible characters (the letter prints it trimmed)", () => {
    // Clerks indent by habit with "　　"; text pasted from Word brings a zero-width space along.
    for (const [lead, text] of [
      [undefined, "　　推推动专精特新企业发展。"],
      [undefined, "推\u200b推动专精特新企业发展。"],
      ["　（一）强化培育。", "　推推动专精特新企业发展。"],
    ] as const) {
      const typed = draft([
        { id: "h1", type: "heading", level: 1, text: "　一、总体情况" },
        { id: "p1", type: "paragraph", text, ...(lead ? { lead: { level: 2 as const, text: lead } } : {}) },
      ]);
      const must = mustFixes(proofreadDraftLetter(build(typed), typed.blocks));
      expect(must.map((f) => f.excerpt)).toEqual(["推"]);
      const { draft: fixed, applied } = applyDraftFixes(typed, must);
      expect(applied).toBe(1);
      const b = fixed.blocks[1]!;
      expect(b.type === "paragraph" && (b.lead?.text ?? "") + b.text).toBe(`${lead ? "（一）强化培育。" : ""}推动专精特新企业发展。`);
      expect(fixed.blocks[0]).toBe(typed.blocks[0]); // a block without fixes is left as typed
      expect(mustFixes(proofreadDraftLetter(build(fixed), fixed.blocks))).toEqual([]);
    }
  });
});

describe("proofreading a draft with a table", () => {
  it("a table's findings name what to change but offer no fix: 修正全部必须修改项 counts only what it can apply", () => {
    const d = draft([
      { id: "p1", type: "paragraph", text: "推进重点项目建设。" },
      {
        id: "t1",
        type: "table",
        caption: '表1 "重点"项目',
        rows: [
          ["项目", "投资"],
          ["\u{1F600}A项目", "3亿元"],
        ],
      },
    ]);
    const found = proofreadDraftLetter(build(d), d.blocks).filter((f) => f.blockId === "t1");
    expect(found.filter((f) => f.severity === "must").length).toBeGreaterThan(0);
    expect(found.every((f) => f.suggestion === undefined)).toBe(true);
    expect(mustFixes(proofreadDraftLetter(build(d), d.blocks))).toEqual([]);
  });
});
