import { describe, expect, it } from "vitest";
import type { Draft } from "../draft";
import { applyFixes, proofreadText } from "../proofread";
import { applyDraftFixes, blockFixes, mustFixes, proofreadDraftLetter } from "../proofread-draft";
import { draftOf, letterOf } from "./draft-fixture";

const findingsOf = (d: Draft) => proofreadDraftLetter(letterOf(d), d.blocks);

const numbering = (text: string) => proofreadText(text).filter((f) => f.rule === "structure.numbering");

describe("一是/二是 after whitespace", () => {
  it("a tab, space or U+3000 between the stop and 三是 is no gap in the run", () => {
    for (const ws of ["\t", " ", "\u3000", "\u3000\u3000"]) {
      const text = `一是完善政策体系；二是加快项目落地。${ws}三是推进“工改工”；四是建立台账。`;
      expect(numbering(text), JSON.stringify(ws)).toEqual([]);
    }
  });
  it("a real gap after whitespace is still found", () => {
    const got = numbering("一是完善政策体系；二是加快项目落地。\t四是建立台账。");
    expect(got.map((f) => f.excerpt)).toEqual(["四是"]);
  });
  it("a long run of spaces is read once", () => {
    const text = `一是完善。${" ".repeat(40_000)}二是落实。`;
    const t0 = Date.now();
    expect(numbering(text)).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});

describe("a heading typed twice", () => {
  const text = "会同广东赛迪研究院编制产业集群发展规划。";
  const withRepeat = (repeat: string) =>
    draftOf([
      { id: "p0", type: "paragraph", text: "关于加快产业集群发展的工作。", lead: { level: 1, text: "一、总体情况。" } },
      { id: "p1", type: "paragraph", text: "推进重点项目建设。", lead: { level: 1, text: "二、项目推进。" } },
      { id: "p3", type: "paragraph", text: repeat + text, lead: { level: 1, text: "三、系统规划引领。" } },
    ]);

  it("行内标题 and the text's start both “三、系统规划引领。”: a must-fix whose 改正 deletes the repeat", () => {
    for (const repeat of ["三、系统规划引领。", "系统规划引领。", "三、系统规划引领。\t"]) {
      const d = withRepeat(repeat);
      const dup = findingsOf(d).filter((f) => f.rule === "structure.duplicate-heading");
      expect(dup, repeat).toMatchObject([{ blockId: "p3", severity: "must", suggestion: "", excerpt: repeat.trim() }]);
      expect(dup[0]!.message).toContain("行内标题重复：正文开头又写了一遍“" + repeat.trim() + "”");
      // 修正全部必须修改项 leaves the text as meant, and nothing of the kind is found again
      const fixed = applyDraftFixes(d, mustFixes(findingsOf(d))).draft;
      expect(fixed.blocks[2]).toMatchObject({ lead: { text: "三、系统规划引领。" } });
      expect(fixed.blocks[2]!.type === "paragraph" && fixed.blocks[2]!.text.trim()).toBe(text); // a pasted tab after it is the spacing rule's
      expect(findingsOf(fixed).filter((f) => f.rule === "structure.duplicate-heading")).toEqual([]);
    }
  });

  it("a text that merely opens with the heading's words is no repeat", () => {
    const d = draftOf([{ id: "p1", type: "paragraph", text: "加强组织领导是做好工作的保证。", lead: { level: 2, text: "（一）加强组织领导。" } }]);
    expect(findingsOf(d).filter((f) => f.rule === "structure.duplicate-heading")).toEqual([]);
  });

  it("in free text the heading typed twice over is found and fixed too", () => {
    const t = "三、系统规划引领。三、系统规划引领。会同广东赛迪研究院编制规划。";
    const got = proofreadText(t).filter((f) => f.rule === "structure.duplicate-heading");
    expect(got).toMatchObject([{ severity: "must", excerpt: "三、系统规划引领。", offset: 9 }]);
    expect(applyFixes(t, got)).toBe("三、系统规划引领。会同广东赛迪研究院编制规划。");
    expect(proofreadText("三、系统规划引领。会同广东赛迪研究院编制规划。").some((f) => f.rule === "structure.duplicate-heading")).toBe(false);
  });
});

describe("a day no year has, written without a year", () => {
  const invalid = (text: string) => proofreadText(text).filter((f) => f.rule === "date.invalid");

  it("2月30日, 4月31日, 二月三十日 are must-fixes", () => {
    for (const [text, excerpt] of [
      ["请于2月30日前报送材料。", "2月30日"],
      ["计划4月31日召开会议。", "4月31日"],
      ["定于二月三十日召开。", "二月三十日"],
      ["于13月5日前完成。", "13月5日"],
    ])
      expect(invalid(text!), text).toMatchObject([{ severity: "must", excerpt }]);
  });

  it("2月29日 (a leap year has it), 12月31日 and dated days are not reported twice or wrongly", () => {
    for (const text of ["请于2月29日前报送。", "截至12月31日。", "十二月三十一日前完成。", "2021年5月19日。", "二〇二一年五月十九日"]) expect(invalid(text), text).toEqual([]);
    expect(invalid("2021年2月30日前报送。").map((f) => f.excerpt)).toEqual(["2021年2月30日"]);
    expect(invalid("二〇二一年二月三十日").map((f) => f.excerpt)).toEqual(["二〇二一年二月三十日"]);
  });
});

describe("the same paragraph twice", () => {
  const body = "近两年培育省级专精特新企业103家，推动34家企业认定为国家专精特新小巨人企业。";
  it("a paragraph inserted again after its copy is a must-fix on the second, naming the first; short closing lines may repeat", () => {
    const d = draftOf([
      { id: "p0", type: "paragraph", text: body, lead: { level: 1, text: "一、培育优质企业。" } },
      { id: "p1", type: "paragraph", text: "推进重点项目建设。" },
      { id: "p2", type: "paragraph", text: ` ${body.replace("，", "， ")}` },
      { id: "p3", type: "paragraph", text: "特此函复。" },
      { id: "p4", type: "paragraph", text: "特此函复。" },
    ]);
    const repeated = findingsOf(d).filter((f) => f.rule === "structure.repeated-paragraph");
    expect(repeated.map((f) => [f.blockId, f.severity, f.message])).toEqual([["p2", "must", "与第 1 段的文字相同：同一段印了两遍，请删去其中一段。"]]);
    expect(repeated[0]!.suggestion).toBeUndefined();
    expect(findingsOf(draftOf([{ id: "p0", type: "paragraph", text: body }])).filter((f) => f.rule === "structure.repeated-paragraph")).toEqual([]);
  });
});

describe("a relative date in a library paragraph", () => {
  const source = (asOf: string | null) => ({ paragraphId: 1, versionId: 1, versionNo: 1, title: "出台若干措施", originalText: "", asOf });
  const text = "今年3月，我市出台了推动制造业高质量发展的若干措施。";
  it("is read from the paragraph's 资料截至 date, not the letter's: 改正 writes the year it was written in", () => {
    const d = draftOf([{ id: "p0", type: "paragraph", text, source: source("2021-05-19") }]);
    const [f] = findingsOf({ ...d }).filter((x) => x.rule === "date.relative");
    expect(f).toMatchObject({ blockId: "p0", excerpt: "今年", suggestion: "2021年" });
    expect(f!.message).toBe("“今年”写于2021年（段落库资料截至 2021-05-19），指的是“2021年”：请写明具体时间，并核对这一内容现在是否仍然适用。");
    expect(applyDraftFixes(d, mustFixes(findingsOf(d))).draft.blocks[0]).toMatchObject({ text }); // a should-fix: applied only by its own 改正
  });
  it("typed by the clerk (or with no date kept), it is the letter's as before", () => {
    for (const d of [draftOf([{ id: "p0", type: "paragraph", text }]), draftOf([{ id: "p0", type: "paragraph", text, source: source(null) }])]) {
      const [f] = findingsOf(d).filter((x) => x.rule === "date.relative");
      expect(f!.message).toMatch(/^“今年”是相对时间/);
    }
  });
});

describe("改正本段全部", () => {
  it("applies every correction of one block with a right answer, of any severity, and no other block's; a doubled character stays one by one", () => {
    const spaced = "近两年培育省级专精特新企业 103 家，推动 34 家企业认定为国家专精特新“小巨人”企业。";
    const d = draftOf([
      { id: "p0", type: "paragraph", text: spaced },
      { id: "p1", type: "paragraph", text: spaced },
    ]);
    const fs = findingsOf(d);
    const mine = blockFixes(fs, "p0");
    expect(mine.length).toBeGreaterThan(1);
    expect(fs.filter((f) => f.blockId === "p0" && f.suggestion !== undefined && f.severity !== "must").length).toBeGreaterThan(0);
    const { draft, applied } = applyDraftFixes(d, mine);
    expect(applied).toBe(mine.length);
    expect(draft.blocks[0]).toMatchObject({ text: "近两年培育省级专精特新企业103家，推动34家企业认定为国家专精特新“小巨人”企业。" });
    expect(draft.blocks[1]).toMatchObject({ text: spaced });
    const doubled = draftOf([{ id: "p0", type: "paragraph", text: "推动专专精特新企业 103 家发展。" }]);
    expect(findingsOf(doubled).some((f) => f.rule === "char.duplicate" && f.suggestion !== undefined)).toBe(true);
    expect(blockFixes(findingsOf(doubled), "p0").some((f) => f.excerpt === "专专")).toBe(false);
  });
});
