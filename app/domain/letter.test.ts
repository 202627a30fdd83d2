import { describe, it, expect } from "vitest";
import replyTemplateJson from "../../templates/reply-dg-gxj.json";
import coTemplateJson from "../../templates/co-handling-opinion-dg-gxj.json";
import {
  addresseeFor,
  buildLetter,
  fillPlaceholders,
  formatDocumentNumber,
  formatLetterDate,
  isValidPhone,
  letterPlainLines,
  letterPlainText,
  letterProblems,
  letterSchema,
  LetterTemplateError,
  parseDocumentNumber,
  parseLetterTemplate,
  sanitizeText,
  splitParagraphs,
  titleLinesOf,
  textWidthEm,
  tryBuildLetter,
  wrapTitle,
  type Letter,
  type LetterInput,
} from "./letter";

const reply = parseLetterTemplate(replyTemplateJson);
const co = parseLetterTemplate(coTemplateJson);

const input: LetterInput = {
  meeting: "东莞市政协第十三届六次会议",
  proposalNumber: "10121",
  proposalTitle: "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
  proposers: [{ kind: "body", name: "民建市委会" }],
  documentNumber: { year: 2021, seq: 108 },
  sections: [{ type: "paragraph", text: "正文。", lead: { level: 1, text: "一、标题。" } }],
  handlerName: "李泳",
  phone: "28685020",
  leaderName: "詹志斌",
  date: "2021-05-19",
  disclosure: "主动公开",
  outcome: "A",
};

describe("formatLetterDate", () => {
  it("writes Chinese numerals with 〇 U+3007", () => {
    expect(formatLetterDate("2021-05-19", "chinese")).toBe("二〇二一年五月十九日");
    expect(formatLetterDate("2020-10-10", "chinese")).toBe("二〇二〇年十月十日");
    expect(formatLetterDate("2021-12-31", "chinese")).toBe("二〇二一年十二月三十一日");
    expect(formatLetterDate("2024-02-29", "chinese")).toBe("二〇二四年二月二十九日");
    expect(formatLetterDate("2023-11-20", "chinese")).toBe("二〇二三年十一月二十日");
    expect(formatLetterDate("2000-01-01", "chinese")).toBe("二〇〇〇年一月一日");
  });
  it("never emits ○ U+25CB or a Latin 0 in the chinese style", () => {
    for (const iso of ["2000-01-01", "2010-10-10", "2020-10-30", "2021-05-19", "2100-12-20"]) {
      const s = formatLetterDate(iso, "chinese");
      expect(s).not.toMatch(/[\u25CB0-9]/);
      expect(s).toContain("〇");
    }
  });
  it("writes Arabic numerals without leading zeros", () => {
    expect(formatLetterDate("2021-05-19", "arabic")).toBe("2021年5月19日");
    expect(formatLetterDate("2020-10-10", "arabic")).toBe("2020年10月10日");
    expect(formatLetterDate("2024-02-29", "arabic")).toBe("2024年2月29日");
  });
  it("rejects dates that do not exist", () => {
    for (const bad of ["2023-02-29", "2021-13-01", "2021-04-31", "2021-5-19", "", "二〇二一年五月十九日"]) {
      expect(() => formatLetterDate(bad, "chinese")).toThrow(RangeError);
    }
  });
});

describe("document numbers", () => {
  it("formats with 〔〕 and no leading zeros", () => {
    expect(formatDocumentNumber({ prefix: "东工信函", year: 2021, seq: 108 })).toBe("东工信函〔2021〕108号");
    expect(formatDocumentNumber({ prefix: "东工信函", year: 2021, seq: 7 })).toBe("东工信函〔2021〕7号");
    expect(formatDocumentNumber({ prefix: "东工信函", year: 2021, seq: 7 })).toMatch(/\u3014.*\u3015/);
  });
  it("rejects impossible parts", () => {
    expect(() => formatDocumentNumber({ prefix: "", year: 2021, seq: 1 })).toThrow(RangeError);
    expect(() => formatDocumentNumber({ prefix: "东工信函", year: 21, seq: 1 })).toThrow(RangeError);
    expect(() => formatDocumentNumber({ prefix: "东工信函", year: 2021, seq: 0 })).toThrow(RangeError);
    expect(() => formatDocumentNumber({ prefix: "东工信函", year: 2021, seq: 1.5 })).toThrow(RangeError);
  });
  it("parses tolerantly and round-trips", () => {
    expect(parseDocumentNumber("东工信函〔2021〕108号")).toEqual({ prefix: "东工信函", year: 2021, seq: 108 });
    expect(parseDocumentNumber(" 东工信函〔2021〕109 号 ")).toEqual({ prefix: "东工信函", year: 2021, seq: 109 });
    expect(parseDocumentNumber("东工信函 [2021] 009号")).toEqual({ prefix: "东工信函", year: 2021, seq: 9 });
    expect(parseDocumentNumber("东工信函（2021）12号")).toEqual({ prefix: "东工信函", year: 2021, seq: 12 });
    expect(parseDocumentNumber("东工信函〔2021〕号")).toBeNull();
    expect(parseDocumentNumber("东工信函2021年108号")).toBeNull();
    expect(parseDocumentNumber("〔2021〕108号")).toBeNull();
    // nothing formatDocumentNumber would throw on, or the database could not hold
    expect(parseDocumentNumber("东工信函〔1899〕5号")).toBeNull();
    expect(parseDocumentNumber("东工信函〔0221〕5号")).toBeNull();
    expect(parseDocumentNumber("东工信函〔2021〕99999999999号")).toBeNull();
    const parts = { prefix: "东府", year: 2021, seq: 10 };
    expect(parseDocumentNumber(formatDocumentNumber(parts))).toEqual(parts);
  });
});

describe("addresseeFor with a stated co-signer count", () => {
  it("prints the salutation as registered, never dropping the count", () => {
    const two = [
      { kind: "member" as const, name: "张三" },
      { kind: "member" as const, name: "李四" },
    ];
    expect(addresseeFor(two, 3)).toBe("张三、李四等3位委员");
    expect(addresseeFor(two, 2)).toBe("张三、李四委员");
    expect(addresseeFor(two, null)).toBe("张三、李四委员");
    expect(addresseeFor([{ kind: "body", name: "民建市委会" }, ...two], 5)).toBe("民建市委会、张三、李四等5位委员");
  });
});

describe("addresseeFor", () => {
  it("names a body in full", () => {
    expect(addresseeFor([{ kind: "body", name: "民建市委会" }])).toBe("民建市委会");
    expect(
      addresseeFor([
        { kind: "body", name: "民建市委会" },
        { kind: "body", name: "致公党市委会" },
      ]),
    ).toBe("民建市委会、致公党市委会");
  });
  it("names one to three members, then the first two and the count", () => {
    const m = (...names: string[]) => names.map((name) => ({ kind: "member" as const, name }));
    expect(addresseeFor(m("殷毓德"))).toBe("殷毓德委员");
    expect(addresseeFor(m("张三", "李四"))).toBe("张三、李四委员");
    expect(addresseeFor(m("张三", "李四", "王五"))).toBe("张三、李四、王五委员");
    expect(addresseeFor(m("张三", "李四", "王五", "赵六", "钱七"))).toBe("张三、李四等5位委员");
  });
  it("does not double 委员, drops blanks and duplicates, puts bodies first", () => {
    expect(addresseeFor([{ kind: "member", name: "殷毓德委员" }])).toBe("殷毓德委员");
    expect(
      addresseeFor([
        { kind: "member", name: "张三" },
        { kind: "member", name: " " },
        { kind: "member", name: "张三" },
        { kind: "body", name: "民建市委会" },
      ]),
    ).toBe("民建市委会、张三委员");
    expect(addresseeFor([])).toBe("");
  });
});

describe("fillPlaceholders", () => {
  it("fills known placeholders", () => {
    expect(fillPlaceholders("关于对{会议}第{提案号}号提案的答复", { 会议: "东莞市政协第十三届六次会议", 提案号: "10121" })).toEqual({
      ok: true,
      text: "关于对东莞市政协第十三届六次会议第10121号提案的答复",
    });
  });
  it("reports missing and unknown placeholders instead of printing them", () => {
    expect(fillPlaceholders("您提出的《{案由}》的提案收悉。", { 案由: "" })).toEqual({ ok: false, missing: ["案由"], unknown: [] });
    expect(fillPlaceholders("您提出的《{案由}》", {})).toEqual({ ok: false, missing: ["案由"], unknown: [] });
    expect(fillPlaceholders("{标题}{案由}", { 案由: "x" })).toEqual({ ok: false, missing: [], unknown: ["标题"] });
    const broken = fillPlaceholders("《{案由》", { 案由: "x" });
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.unknown).toEqual(["{案由》"]);
    expect(fillPlaceholders("a}b", {}).ok).toBe(false);
    expect(fillPlaceholders("{}", {}).ok).toBe(false);
  });
  it("accepts placeholders that the caller supplies", () => {
    expect(fillPlaceholders("{自定义}", { 自定义: "值" })).toEqual({ ok: true, text: "值" });
  });
});

describe("sanitizeText", () => {
  it("strips what XML 1.0 cannot hold", () => {
    expect(sanitizeText("a\u0000b\u0008c\u001Fd\uFFFEe\uFFFFf")).toBe("abcdef");
    expect(sanitizeText("x\uD800y")).toBe("xy");
    expect(sanitizeText("x\uDC00y")).toBe("xy");
    expect(sanitizeText("tab\tand\nnewline")).toBe("tab\tand\nnewline");
  });
  it("normalises pasted Word junk", () => {
    expect(sanitizeText("a\r\nb\rc")).toBe("a\nb\nc");
    expect(sanitizeText("行\u000B内")).toBe("行\n内");
    expect(sanitizeText("零\u200B宽\uFEFF字\u00AD符")).toBe("零宽字符");
    expect(sanitizeText("a\u00A0b\u202Fc")).toBe("a b c");
    expect(sanitizeText("全角\u3000空格")).toBe("全角\u3000空格");
  });
  it("drops direction controls: a paragraph opening with U+202E would read backwards", () => {
    expect(sanitizeText("\u202E您提出的建议收悉\u202C，现答复如下：")).toBe("您提出的建议收悉，现答复如下：");
    expect(sanitizeText("a\u200Eb\u200Fc\u2066d\u2069e\u061Cf")).toBe("abcdef");
  });
  it("keeps emoji, including ZWJ sequences and astral characters", () => {
    expect(sanitizeText("👍🏽 👨‍👩‍👧 𠀀")).toBe("👍🏽 👨‍👩‍👧 𠀀");
  });
  it("is idempotent", () => {
    const s = "a\r\n\u0001b\u200B\uD800c";
    expect(sanitizeText(sanitizeText(s))).toBe(sanitizeText(s));
  });
});

describe("templates and buildLetter", () => {
  it("builds the reply from the bureau's template", () => {
    const l = buildLetter(reply, input);
    expect(l.authority).toBe("东莞市工业和信息化局");
    expect(l.documentNumber).toBe("东工信函〔2021〕108号");
    expect(l.title).toBe("关于对东莞市政协第十三届六次会议第10121号提案的答复");
    expect(l.titleLines).toEqual(["关于对东莞市政协第十三届六次会议", "第10121号提案的答复"]);
    expect(l.addressee).toBe("民建市委会");
    expect(l.opening).toBe("您提出的《关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议》的提案收悉。现答复如下：");
    expect(l.signature.leaderName).toBeNull(); // the template does not print the signer by default
    expect(buildLetter(reply, { ...input, printSignerName: true }).signature.leaderName).toBe("詹志斌");
    expect(l.dateStyle).toBe("chinese");
    expect(letterSchema.parse(l)).toEqual(l);
    expect(letterProblems(l)).toEqual([]);
  });
  it("does not double the 《》 typed into 案由", () => {
    const l = buildLetter(reply, { ...input, proposalTitle: "《关于X的建议》" });
    expect(l.opening).toBe("您提出的《关于X的建议》的提案收悉。现答复如下：");
  });
  it("builds a 会办意见 addressed to the lead unit, without a 公开方式 line", () => {
    const l = buildLetter(co, { ...input, leadUnit: "市发展和改革局" });
    expect(l.kind).toBe("co_handling_opinion");
    expect(l.title).toBe("关于第10121号提案的会办意见");
    expect(l.addressee).toBe("市发展和改革局");
    expect(l.disclosure).toBeNull();
    expect(letterProblems(l)).toEqual([]);
  });
  it("reports a missing value instead of printing a placeholder", () => {
    const r = tryBuildLetter(co, input); // no leadUnit
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.join()).toContain("主办单位");
    expect(() => buildLetter(co, input)).toThrow(LetterTemplateError);
    const r2 = tryBuildLetter(reply, { ...input, proposalTitle: "  " });
    expect(r2.ok).toBe(false);
  });
  it("rejects a template with an unknown placeholder", () => {
    expect(() => parseLetterTemplate({ ...replyTemplateJson, titlePattern: "关于{提案名}的答复" })).toThrow(/提案名/);
    expect(() => parseLetterTemplate({ ...replyTemplateJson, kind: "memo" })).toThrow();
  });
  it("treats a template as data: another bureau is one more JSON value", () => {
    const other = parseLetterTemplate({
      ...replyTemplateJson,
      id: "reply-dg-fgj",
      authority: "东莞市发展和改革局",
      numberPrefix: "东发改函",
      dateStyle: "arabic",
    });
    const l = buildLetter(other, input);
    expect(l.documentNumber).toBe("东发改函〔2021〕108号");
    expect(letterPlainLines(l)).toContain("2021年5月19日");
  });
});

describe("wrapTitle", () => {
  it("keeps a short title on one line", () => {
    expect(wrapTitle("关于第10121号提案的会办意见")).toEqual(["关于第10121号提案的会办意见"]);
  });
  it("breaks after 会议 and keeps 第…号 together", () => {
    expect(wrapTitle("关于对东莞市政协第十三届六次会议第20210100号提案的答复")).toEqual(["关于对东莞市政协第十三届六次会议", "第20210100号提案的答复"]);
  });
  it("wraps any long title within the measure", () => {
    const t = "关于进一步加快推进东莞市智能移动终端产业集群高质量发展打造具有国际竞争力的世界级先进制造业基地的建议的答复";
    const lines = wrapTitle(t);
    expect(lines.join("")).toBe(t);
    for (const l of lines) expect(textWidthEm(l)).toBeLessThanOrEqual(20);
  });
  it("never ends a line with an opening mark, nor splits 第…号提案 to finish on the next line (the print review)", () => {
    const long = "关于对东莞市政协第十三届六次会议第20210100号提案《关于加快构建莞深高新技术产业协同发展共同体推动粤港澳大湾区先进制造业集群高质量发展的建议》的答复";
    const lines = wrapTitle(long);
    expect(lines.join("")).toBe(long);
    for (const l of lines) expect(l, lines.join(" / ")).not.toMatch(/[《（“〔]$/);
    const short = "关于对市政协十三届六次会议第20210100号提案（关于支持道滘镇发展的建议）的答复";
    const two = wrapTitle(short);
    expect(two.join("")).toBe(short);
    expect(two.some((l) => l.endsWith("号提") || l.startsWith("案"))).toBe(false);
    // a 《》 name is rather not broken, but broken when keeping it whole costs a line (the diff review)
    expect(wrapTitle("关于对市政协十四届五次会议第30318号提案《关于推动智能终端产业集群高质量发展的建议》的答复")).toHaveLength(3);
  });
});

describe("titleLinesOf and splitParagraphs", () => {
  it("uses titleLines only while they spell the title", () => {
    const l = buildLetter(reply, input);
    expect(titleLinesOf(l)).toEqual(["关于对东莞市政协第十三届六次会议", "第10121号提案的答复"]);
    expect(titleLinesOf({ ...l, title: "关于第1号提案的答复" })).toEqual(["关于第1号提案的答复"]);
  });
  it("turns line breaks inside a paragraph into paragraphs", () => {
    expect(splitParagraphs("第一段\r\n第二段\n\n 第三段 ")).toEqual(["第一段", "第二段", "第三段"]);
    expect(splitParagraphs(" ")).toEqual([]);
  });
});

describe("letterProblems", () => {
  const good = buildLetter(reply, input);
  it("lists what blocks signing in Chinese", () => {
    const bad: Letter = {
      ...good,
      sections: [],
      title: "关于{会议}的答复",
      signature: { ...good.signature, phone: "12345", handlerName: "" },
      disclosure: null,
      outcome: null,
    };
    const p = letterProblems(bad);
    expect(p).toContain("正文为空");
    expect(p.some((x) => x.includes("{会议}"))).toBe(true);
    expect(p).toContain("联系电话格式不正确：12345");
    expect(p).toContain("缺少承办人姓名");
    expect(p).toContain("未选择公开方式");
    expect(p).toContain("未选择办理结果分类（A/B/C）");
  });
  it("requires a reason for 不予公开 and flags empty blocks", () => {
    const p = letterProblems({ ...good, disclosure: "不予公开", sections: [...good.sections, { type: "heading", level: 1, text: " " }] });
    expect(p).toContain("不予公开须说明理由");
    expect(p).toContain("正文第2段为空");
  });
  it("accepts common phone formats", () => {
    for (const ok of ["28685020", "0769-28685020", "(0769)28685020", "13800138000", "0769 2868 5020", "28685020转123"]) {
      expect(isValidPhone(ok), ok).toBe(true);
    }
    for (const bad of ["12345", "abc", "286850", "0769-", "1380013800"]) expect(isValidPhone(bad), bad).toBe(false);
  });
});

describe("letterPlainText", () => {
  it("lists the letter in reading order", () => {
    const l = buildLetter(reply, input);
    expect(letterPlainLines(l)).toEqual([
      "东莞市工业和信息化局",
      "东工信函〔2021〕108号",
      "关于对东莞市政协第十三届六次会议第10121号提案的答复",
      "民建市委会：",
      "您提出的《关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议》的提案收悉。现答复如下：",
      "一、标题。正文。",
      "领导签字：",
      "承办人姓名：李泳",
      "联系电话：28685020",
      "（承办单位印章）",
      "二〇二一年五月十九日",
      "公开方式：主动公开",
    ]);
    expect(letterPlainText(l).split("\n")).toHaveLength(12);
  });
  it("renders tables as tab-separated rows", () => {
    const l = buildLetter(reply, {
      ...input,
      sections: [
        {
          type: "table",
          caption: "表1",
          rows: [
            ["a", "b"],
            ["c", "d"],
          ],
        },
      ],
    });
    expect(letterPlainLines(l)).toEqual(expect.arrayContaining(["表1", "a\tb", "c\td"]));
  });
});
