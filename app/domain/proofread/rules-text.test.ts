import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { draftToLetterInput, emptyDraft } from "../draft";
import { parseLetterTemplate, tryBuildLetter } from "../letter";
import { applyFixes, type Finding, proofreadText } from "../proofread";
import { proofreadDraftLetter } from "../proofread-draft";

const mustFixes = (text: string) => proofreadText(text).filter((f) => f.severity === "must");
const quoteFixes = (text: string) => proofreadText(text).filter((f) => f.rule === "punct.quotes");

describe("straight quotes among curly ones", () => {
  const text = '构建"源头创新—技术创新—成果转化—企业培育"全链条创新体系，"光明科学城—松山湖科学城"片区获批，成立了"松湖之材"产业育成中心。';
  const right = "构建“源头创新—技术创新—成果转化—企业培育”全链条创新体系，“光明科学城—松山湖科学城”片区获批，成立了“松湖之材”产业育成中心。";

  it("改正 on one quote at a time leaves the others their fix, and ends with right pairs", () => {
    let t = text;
    for (let n = 6; n > 0; n--) {
      const qs = quoteFixes(t);
      expect(qs, t).toHaveLength(n);
      expect(
        qs.every((f) => f.suggestion !== undefined),
        t,
      ).toBe(true);
      t = applyFixes(t, [qs[0] as Finding]);
    }
    expect(t).toBe(right);
    expect(quoteFixes(t)).toEqual([]);
  });

  it("修正全部必须修改项 after one quote was fixed gives the right pairs", () => {
    const oneFixed = applyFixes(text, [quoteFixes(text)[0] as Finding]);
    expect(oneFixed.startsWith("构建“源头创新")).toBe(true);
    expect(applyFixes(oneFixed, mustFixes(oneFixed))).toBe(right);
    // fixed from the end as well
    const lastFixed = applyFixes(text, [quoteFixes(text).at(-1) as Finding]);
    expect(applyFixes(lastFixed, mustFixes(lastFixed))).toBe(right);
  });

  it("straight quotes inside a curly pair may be nested ones: no fix for them, the quotes outside keep theirs", () => {
    const t = '落实“推动"专精特新"企业高质量发展”的建议，打造"松湖之材"品牌。';
    const qs = quoteFixes(t);
    expect(qs.map((f) => f.suggestion)).toEqual([undefined, undefined, "“", "”"]);
    expect(applyFixes(t, mustFixes(t))).toBe('落实“推动"专精特新"企业高质量发展”的建议，打造“松湖之材”品牌。');
  });

  it("an odd count is not guessed", () => {
    const t = '构建“源头创新"全链条，"松湖之材品牌。';
    expect(quoteFixes(t).every((f) => f.suggestion === undefined)).toBe(true);
  });
});

describe("Private Use Area characters (Word bullets)", () => {
  const pua = (text: string) => proofreadText(text).filter((f) => f.rule === "char.private-use");

  it("a Word bullet opening a paragraph is a must-fix that cannot be printed; 改正 deletes it with its tab", () => {
    for (const bullet of ["\uF0B7", "\uF0A7", "\uF076", "\uF0D8", "\uF0FC"]) {
      const text = `${bullet}\t强化要素保障，推进项目建设。\n${bullet} 完善政策体系。`;
      const got = pua(text);
      expect(got, bullet).toHaveLength(2);
      expect(got.every((f) => f.severity === "must" && f.suggestion === "" && /无法打印/.test(f.message) && /Word 项目符号/.test(f.message))).toBe(true);
      expect(applyFixes(text, mustFixes(text))).toBe("强化要素保障，推进项目建设。\n完善政策体系。");
    }
  });

  it("elsewhere (maybe a self-made character in a name) it is found, with no one-click deletion; planes 15 and 16 too", () => {
    for (const c of ["\uE001", "\u{F0001}", "\u{100001}"]) {
      const got = pua(`承办人：王${c}明。`);
      expect(got, c).toMatchObject([{ severity: "must", excerpt: c }]);
      expect(got[0]!.suggestion).toBeUndefined();
    }
  });

  it("in a letter, a bullet after the 行内标题 opens its text", () => {
    const template = parseLetterTemplate(JSON.parse(readFileSync("templates/reply-dg-gxj.json", "utf8")));
    const draft = {
      ...emptyDraft("28685020", false),
      outcome: "A" as const,
      disclosure: "主动公开" as const,
      blocks: [{ id: "p1", type: "paragraph" as const, text: "\uF0B7\t强化要素保障。", lead: { level: 2 as const, text: "（一）强化保障。" } }],
    };
    const built = tryBuildLetter(
      template,
      draftToLetterInput(
        { meeting: "东莞市政协第十三届六次会议", number: "10121", title: "关于加快发展的建议", proposers: [{ kind: "body", name: "民建市委会" }], handlerName: "李泳" },
        draft,
      ),
    );
    if (!built.ok) throw new Error(built.errors.join());
    const got = proofreadDraftLetter(built.letter, draft.blocks).filter((f) => f.rule === "char.private-use");
    expect(got).toMatchObject([{ blockId: "p1", severity: "must", suggestion: "", excerpt: "\uF0B7\t" }]);
  });
});

describe("a half-width full stop between two hanzi", () => {
  const dots = (text: string) => proofreadText(text).filter((f) => f.rule === "punct.halfwidth" && f.excerpt === ".");

  it("实现高质量发展.全市 is a must-fix whose fix is “。”", () => {
    const text = "推动制造业实现高质量发展.全市规上工业增加值增长5%。";
    expect(dots(text)).toMatchObject([{ severity: "must", suggestion: "。" }]);
    expect(applyFixes(text, mustFixes(text))).toBe("推动制造业实现高质量发展。全市规上工业增加值增长5%。");
  });

  it("decimals, numbering, URLs, file names, e-mail and No.1 are left alone", () => {
    for (const text of ["产值增长3.6倍。", "1.加强统筹。", "详见www.dg.gov.cn网站。", "详见附件方案.docx文件。", "来信请寄gxj@dg.gov.cn邮箱。", "位列No.1品牌。"])
      expect(dots(text), text).toEqual([]);
  });

  it("inside 《》 or “” it may be a 间隔号: found, with no one-click fix", () => {
    const got = dots("落实《珠江人才计划.东莞专项实施办法》。");
    expect(got).toMatchObject([{ severity: "must" }]);
    expect(got[0]!.suggestion).toBeUndefined();
  });
});
