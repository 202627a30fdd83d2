import { describe, expect, it } from "vitest";
import { letterPlainText, type Letter } from "./letter";
import { compileRules, isLegacyPattern, redactionRuleProblem, toRe2Syntax } from "./redaction-rules";
import {
  hasRedactionMarks,
  isPublished,
  isRedacted,
  maskContactDetails,
  printedSignatureLines,
  publicBlocks,
  publicLetter,
  redactMarked,
  redactText,
  stripRedactionMarks,
  unbalancedMarks,
} from "./redaction";

const letter = (over: Partial<Letter> = {}): Letter => ({
  kind: "reply",
  authority: "东莞市工业和信息化局",
  documentNumber: "东工信函〔2021〕108号",
  title: "关于对东莞市政协第十三届六次会议第10121号提案的答复",
  addressee: "民建市委会",
  opening: "您提出的《关于打造世界级智能终端产业基地的建议》的提案收悉。现答复如下：",
  sections: [
    { type: "heading", level: 1, text: "一、总体情况" },
    { type: "paragraph", text: "我局已走访〖某某科技有限公司〗，联系人手机13800138000。", lead: { level: 1, text: "二、〖走访〗情况。" } },
    {
      type: "table",
      caption: "附表〖内部〗",
      rows: [
        ["企业", "电话"],
        ["甲公司", "0769-22223333"],
      ],
      headerRows: 1,
    },
  ],
  signature: { leaderLabel: "领导签字", leaderName: "詹志斌", handlerName: "李泳", phone: "28685020", sealLine: "（承办单位印章）" },
  date: "2021-05-19",
  dateStyle: "chinese",
  disclosure: "主动公开",
  disclosureReason: "内部理由",
  outcome: "A",
  draft: false,
  ...over,
});

const squares = (n: number) => "■".repeat(n);

describe("redaction marks", () => {
  it("the official text keeps the marked words and drops the markers", () => {
    expect(stripRedactionMarks("走访〖某某公司〗两次")).toBe("走访某某公司两次");
    expect(stripRedactionMarks("没有标记")).toBe("没有标记");
    expect(hasRedactionMarks("a〖b")).toBe(true);
    expect(hasRedactionMarks("ab")).toBe(false);
  });

  it("the public text replaces marked text by ■ of the same length", () => {
    expect(redactMarked("走访〖某某公司〗两次")).toBe(`走访${squares(4)}两次`);
    expect(redactMarked("〖a〗b〖cd〗")).toBe("■b■■");
    // code points, not UTF-16 units: an emoji is one character
    expect(redactMarked("〖😀x〗")).toBe("■■");
  });

  it("keeps line breaks inside a marked span, handles nesting; a 〗 with nothing open hides its field up to it (its 〖 was forgotten)", () => {
    expect(redactMarked("〖甲\n乙〗丙")).toBe("■\n■丙");
    expect(redactMarked("〖甲〖乙〗丙〗丁")).toBe("■■■丁");
    expect(redactMarked("甲〗乙")).toBe("■乙");
    expect(redactMarked("甲\n乙〗丙")).toBe("■\n■丙");
  });

  it("an unclosed 〖 hides everything after it (fail closed)", () => {
    expect(redactMarked("公开部分〖不公开部分")).toBe(`公开部分${squares(5)}`);
  });
});

describe("contact details", () => {
  it("masks mobile numbers in their usual spellings", () => {
    expect(maskContactDetails("手机13800138000。")).toBe(`手机${squares(11)}。`);
    // a landline without a separator, or with a dash, and one after 联系方式; a year after a number stays
    expect(maskContactDetails("（076922831234）")).toBe(`（${squares(12)}）`);
    expect(maskContactDetails("（0769—22831234）")).toBe(`（${squares(13)}）`);
    expect(maskContactDetails("联系方式：22831234。")).toBe(`联系方式：${squares(8)}。`);
    expect(maskContactDetails("联系电话：0769-22831234 2021年5月起停用")).toBe(`联系电话：${squares(13)} 2021年5月起停用`);
    expect(maskContactDetails("请致电 138-0013-8000 联系")).toBe(`请致电 ${squares(13)} 联系`);
    expect(maskContactDetails("138 0013 8000")).toBe("■■■ ■■■■ ■■■■");
    expect(maskContactDetails("+86 13800138000")).toBe(squares(3) + " " + squares(11));
    expect(maskContactDetails("１３８００１３８０００")).toBe(squares(11));
  });

  it("masks landlines with an area code, and labelled local numbers", () => {
    expect(maskContactDetails("电话0769-28685020")).toBe(`电话${squares(13)}`);
    expect(maskContactDetails("(0769)28685020")).toBe(squares(14));
    expect(maskContactDetails("联系电话：28685020。")).toBe(`联系电话：${squares(8)}。`);
    expect(maskContactDetails("传真 2868 5021")).toBe("传真 ■■■■ ■■■■");
    expect(maskContactDetails("电话：0769-28685020转123")).toBe(`电话：${squares(17)}`);
    // a local number after words that say it is one (they were left visible)
    expect(maskContactDetails("联系电话是22831234。")).toBe(`联系电话是${squares(8)}。`);
    expect(maskContactDetails("请拨22831234咨询")).toBe(`请拨${squares(8)}咨询`);
    expect(maskContactDetails("可致电 2283 1234")).toBe("可致电 ■■■■ ■■■■");
    expect(maskContactDetails("拨打12345热线")).toBe("拨打12345热线"); // the public service hotline stays
  });

  it("masks a local number after a contact person or 联系, and every number of a labelled list", () => {
    expect(maskContactDetails("联系人：李泳（28685020）")).toBe(`联系人：李泳（${squares(8)}）`);
    expect(maskContactDetails("联系人 李泳 28685020")).toBe(`联系人 李泳 ${squares(8)}`);
    expect(maskContactDetails("联系人及电话：李泳，28685020")).toBe(`联系人及电话：李泳，${squares(8)}`);
    expect(maskContactDetails("请与我局产业科联系，22831234。")).toBe(`请与我局产业科联系，${squares(8)}。`);
    expect(maskContactDetails("联系电话：22831234、22831235")).toBe(`联系电话：${squares(8)}、${squares(8)}`);
    expect(maskContactDetails("电话：22831234，22831235和0769-22831236")).toBe(`电话：${squares(8)}，${squares(8)}和${squares(13)}`);
    // not a number: a year or an amount after 联系
    for (const t of [
      "加强与企业联系，2021年起",
      "联系企业12000000元",
      "联系人：李泳，共3家",
      "经与提案人联系，20210100号提案已答复",
      "联系人员覆盖25000000名群众",
      "联系，28600000份",
    ])
      expect(maskContactDetails(t), t).toBe(t);
    // after a labelled number: a date or an amount in the same list is not a number
    expect(maskContactDetails("联系电话：22831234，2024-03-01起施行")).toBe(`联系电话：${squares(8)}，2024-03-01起施行`);
    expect(maskContactDetails("电话：22831234，1000000元已拨付")).toBe(`电话：${squares(8)}，1000000元已拨付`);
  });

  it("masks numbers whose groups are split by a full-width space, a tab, another dash or a dot (typed in full-width mode they were published)", () => {
    expect(maskContactDetails("手机：138\u30000013\u30008000")).toBe("手机：■■■\u3000■■■■\u3000■■■■");
    expect(maskContactDetails("身份证号：441900\u300019900101\u30001234")).toBe(`身份证号：${squares(6)}\u3000${squares(8)}\u3000${squares(4)}`);
    expect(maskContactDetails("联系电话：0769\u300022831234")).toBe(`联系电话：${squares(4)}\u3000${squares(8)}`);
    expect(maskContactDetails("电话：2283\u30001234")).toBe(`电话：${squares(4)}\u3000${squares(4)}`);
    expect(maskContactDetails("手机：138\t0013\t8000")).toBe(`手机：${squares(3)}\t${squares(4)}\t${squares(4)}`);
    expect(maskContactDetails("138\u20100013\u20108000")).toBe(squares(13));
    expect(maskContactDetails("138.0013.8000")).toBe(squares(13));
    expect(maskContactDetails("联系电话：0769.22831234")).toBe(`联系电话：${squares(13)}`);
    expect(maskContactDetails("联系人：李泳，0769.28685020")).toBe(`联系人：李泳，${squares(13)}`);
    // decimals stay
    for (const t of ["增长13.5%", "产值1380.5亿元", "13800000000.5元", "13800000000.1234元", "1234.5678万元", "2026.1201"]) expect(maskContactDetails(t), t).toBe(t);
  });

  it("masks e-mail addresses and ID card numbers", () => {
    expect(maskContactDetails("邮箱 zhang.san@example.com。")).toBe(`邮箱 ${squares(21)}。`);
    expect(maskContactDetails("身份证号：44190019900101123X")).toBe(`身份证号：${squares(18)}`);
    expect(maskContactDetails("证件 441900199001011234 已核")).toBe(`证件 ${squares(18)} 已核`);
  });

  it("masks QQ numbers and WeChat accounts after their label, in full-width forms too; an official account named in Chinese stays", () => {
    expect(maskContactDetails("如有疑问，请与王五委员沟通，QQ：123456789，微信号wangwu_2021。")).toBe(`如有疑问，请与王五委员沟通，QQ：${squares(9)}，微信号${squares(11)}。`);
    expect(maskContactDetails("ＱＱ号 ８８６６５５４４ 或 微信：13800138000")).toBe(`ＱＱ号 ${squares(8)} 或 微信：${squares(11)}`);
    expect(maskContactDetails("QQ群：70123456，Wechat: zhang-san")).toBe(`QQ群：${squares(8)}，Wechat: ${squares(9)}`);
    for (const t of ["关注微信公众号“东莞工信”了解政策", "通过微信等渠道宣传", "QQ音乐等企业"]) expect(maskContactDetails(t), t).toBe(t);
  });

  it("leaves proposal numbers, years, amounts, percentages and hotlines alone", () => {
    for (const s of [
      "第20210100号提案",
      "第10121号",
      "《三年行动计划（2020-2022）》",
      "产值13800000000元",
      "增长13.5%",
      "拨打12345热线",
      "2021年5月19日",
      "东工信函〔2021〕108号",
      "培育形成1个产值超万亿、3—5个产值超千亿的集群",
    ])
      expect(maskContactDetails(s)).toBe(s);
  });
});

describe("the public letter", () => {
  it("masks the letter's own contact number wherever the text repeats it, alone in a table cell or split by a dash", () => {
    const l = letter({
      sections: [
        { type: "paragraph", text: "如有疑问，请找李泳 2868-5020。" },
        {
          type: "table",
          rows: [
            ["联系人", "电话"],
            ["李泳", "28685020"],
          ],
        },
      ],
    });
    const pub = publicLetter({ ...l, signature: { ...l.signature, phone: "28685020" } });
    expect(pub.sections[0]).toMatchObject({ text: `如有疑问，请找李泳 ${squares(9)}。` });
    expect(pub.sections[1]).toMatchObject({
      rows: [
        ["联系人", "电话"],
        ["李泳", squares(8)],
      ],
    });
  });

  const pub = publicLetter(letter());
  const text = letterPlainText(pub);

  it("masks the letter's own number split by a full-width space", () => {
    const l = letter({ sections: [{ type: "paragraph", text: "如有疑问，请找李泳 2868\u30005020。" }] });
    expect(letterPlainText(publicLetter(l))).not.toContain("5020");
  });

  it("drops the sign-off block and shows the authority where the seal goes", () => {
    expect(printedSignatureLines(pub)).toEqual([]);
    // the plain text (feed, JSON) has no bare "：" lines where the block was
    expect(text.split("\n").filter((l) => /^[:：]/.test(l))).toEqual([]);
    expect(text.split("\n").slice(-3)).toEqual(["东莞市工业和信息化局", expect.stringMatching(/^二〇二一年|^2021年/), "公开方式：主动公开"]);
    expect(text).not.toContain("李泳");
    expect(text).not.toContain("28685020");
    expect(text).not.toContain("承办人");
    expect(pub.signature.sealLine).toBe("东莞市工业和信息化局");
    expect(JSON.stringify(pub)).not.toMatch(/李泳|28685020|詹志斌|内部理由/);
    expect(pub.outcome).toBeNull();
  });

  it("hides marked text and masks contact details everywhere in the body", () => {
    expect(JSON.stringify(pub)).not.toMatch(/某某科技|13800138000|22223333|内部|走访〗|〖/);
    const p = pub.sections[1];
    expect(p.type === "paragraph" && p.text).toBe(`我局已走访${squares(8)}，联系人手机${squares(11)}。`);
    expect(p.type === "paragraph" && p.lead?.text).toBe(`二、${squares(2)}情况。`);
    const t = pub.sections[2];
    expect(t.type === "table" && t.caption).toBe(`附表${squares(2)}`);
    expect(t.type === "table" && t.rows[1][1]).toBe(squares(13));
  });

  it("keeps what the public may read: number, title, addressee, date, 公开方式", () => {
    expect(pub.documentNumber).toBe("东工信函〔2021〕108号");
    expect(text).toContain("关于对东莞市政协第十三届六次会议第10121号提案的答复");
    expect(text).toContain("民建市委会：");
    expect(text).toContain("二〇二一年五月十九日");
    expect(text).toContain("公开方式：主动公开");
    expect(pub.draft).toBe(false);
  });

  it("a mark opened in a heading or a lead and closed in a later block hides everything between (nothing published from the block after it)", () => {
    const spanning = publicLetter(
      letter({
        sections: [
          { type: "heading", level: 2, text: "（三）〖某企业经营困难情况" },
          { type: "paragraph", text: "该企业2023年亏损，法人代表张三〗" },
          { type: "paragraph", lead: { level: 1, text: "三、〖走访情况。" }, text: "走访某公司〗，情况属实。" },
          { type: "paragraph", text: "其余照常公开。" },
        ],
      }),
    );
    const text = letterPlainText(spanning);
    expect(text).not.toMatch(/某企业|亏损|张三|走访情况|某公司|〖|〗/);
    expect(spanning.sections[0]).toMatchObject({ text: `（三）${squares(9)}` });
    expect(spanning.sections[1]).toMatchObject({ text: squares(17) });
    expect(spanning.sections[2]).toMatchObject({ lead: { text: `三、${squares(5)}` }, text: `${squares(5)}，情况属实。` });
    expect(spanning.sections[3]).toMatchObject({ text: "其余照常公开。" });
    // a table: the caption before its cells, the cells row by row
    const table = publicLetter(
      letter({
        sections: [
          {
            type: "table",
            caption: "附表〖名单",
            rows: [
              ["甲公司", "乙公司〗"],
              ["合计", "2"],
            ],
          },
        ],
      }),
    ).sections[0];
    expect(table).toMatchObject({
      caption: `附表${squares(2)}`,
      rows: [
        [squares(3), squares(3)],
        ["合计", "2"],
      ],
    });
  });

  it("publicBlocks: a letter's body as the public page shows it, a mark left open before the body included", () => {
    const head = { phone: "28685020", title: "关于……的答复", addressee: "民建市委会：", opening: "您好。" };
    const blocks = [{ type: "paragraph" as const, text: "走访〖某公司〗，电话28685020。", id: "a" }];
    expect(publicBlocks(blocks, head)).toEqual([{ type: "paragraph", text: `走访${squares(3)}，电话${squares(8)}。`, id: "a" }]);
    expect(publicBlocks(blocks, { ...head, addressee: "〖张三代表：" })[0]!.text).toBe(squares(17));
  });

  it("names the marks that do not pair across the letter's fields, in reading order", () => {
    // a heading, a paragraph, a paragraph's lead and its text, in reading order
    const fields = ["〖甲", "乙〗丙〗", "一、〖丁", "戊"];
    const { open, stray } = unbalancedMarks(fields);
    expect(stray.map(([f, i]) => fields[f]!.slice(0, i))).toEqual(["乙〗丙"]);
    expect(open.map(([f, i]) => fields[f]!.slice(i))).toEqual(["〖丁"]);
    expect(unbalancedMarks(["〖甲", "乙〗"])).toEqual({ open: [], stray: [] });
  });

  it("is idempotent and leaves the original untouched", () => {
    const original = letter();
    const copy = structuredClone(original);
    const once = publicLetter(original);
    expect(original).toEqual(copy);
    expect(publicLetter(once).sections).toEqual(once.sections);
  });

  it("an official letter prints its three signature lines", () => {
    expect(printedSignatureLines(letter())).toEqual(["领导签字：詹志斌", "承办人姓名：李泳", "联系电话：28685020"]);
    expect(
      printedSignatureLines(letter({ signature: { leaderLabel: "领导签字", leaderName: null, handlerName: "李泳", phone: "28685020", sealLine: "（承办单位印章）" } }))[0],
    ).toBe("领导签字：");
  });

  it("redactText sanitizes first", () => {
    expect(redactText("a\u200Bb〖c〗")).toBe("ab■");
  });
});

describe("which replies are public", () => {
  it("only a standing publication of a 主动公开 reply", () => {
    expect(isPublished({ withdrawnAt: null, disclosure: "public" })).toBe(true);
    expect(isPublished({ withdrawnAt: new Date(), disclosure: "public" })).toBe(false);
    expect(isPublished({ withdrawnAt: null, disclosure: "on_request" })).toBe(false);
    expect(isPublished({ withdrawnAt: null, disclosure: null })).toBe(false);
  });
});

describe("redaction rules (data)", () => {
  it("exact text and patterns are masked in every part of the public letter; the internal letter is untouched", () => {
    const l = letter({ sections: [{ type: "paragraph", text: "经与某某电子公司（信用代码91441900MA4UXXXX）协调，问题已解决。" }] });
    const pub = publicLetter(
      l,
      compileRules([
        { kind: "text", match: "某某电子公司" },
        { kind: "pattern", match: "91[0-9A-Z]{14}" },
      ]),
    );
    const body = pub.sections[0]!;
    expect(body.type === "paragraph" && body.text).toBe("经与■■■■■■（信用代码■■■■■■■■■■■■■■■■）协调，问题已解决。");
    expect(isRedacted(pub)).toBe(true);
    expect(l.sections[0]).toMatchObject({ text: expect.stringContaining("某某电子公司") });
  });

  it("exact text hides the same words in another Unicode form: a combining accent, a Kangxi radical pasted from a PDF, and the other way round", () => {
    const body = (text: string, match: string) => {
      const b = publicLetter(letter({ sections: [{ type: "paragraph", text }] }), compileRules([{ kind: "text", match }])).sections[0]!;
      return b.type === "paragraph" ? b.text : "";
    };
    expect(body("联系人：Rene\u0301（法方）", "René")).toBe("联系人：■■■■■（法方）");
    expect(body("某⾼新技术企业", "高新技术")).toBe("某■■■■企业");
    expect(body("某高新技术企业", "⾼新技术")).toBe("某■■■■企业");
    expect(body("𠮷野家与高新区", "高新")).toBe("𠮷野家与■■区");
  });

  it("special characters in exact text match literally; bad patterns are refused with a reason", () => {
    const pub = publicLetter(letter({ sections: [{ type: "paragraph", text: "项目（一期）3.5亿元" }] }), compileRules([{ kind: "text", match: "（一期）3.5" }]));
    const body = pub.sections[0]!;
    expect(body.type === "paragraph" && body.text).toBe("项目■■■■■■■亿元");
    expect(redactionRuleProblem({ kind: "pattern", match: "(unclosed" })).toBe("规则不是有效的正则表达式（不支持向前、向后查找和反向引用）");
    expect(redactionRuleProblem({ kind: "pattern", match: "a*" })).toBe("规则会匹配空文字，请写得更具体");
    expect(redactionRuleProblem({ kind: "text", match: "  " })).toBe("请填写要隐去的文字或规则");
  });

  it("exact text pasted with a trailing space, a no-break space or a zero-width character still hides the name; rules also match full-width forms", () => {
    const text = "经与某某科技有限公司（信用代码９１４４１９００ＭＡ４ＵＸＸＸＸ）协调。";
    for (const match of ["某某科技有限公司 ", "\u00a0某某科技\u200b有限公司"]) expect(redactText(text, compileRules([{ kind: "text", match }]))).toContain("经与■■■■■■■■（");
    expect(redactText(text, compileRules([{ kind: "pattern", match: "91[0-9A-Z]{14}" }]))).toBe("经与某某科技有限公司（信用代码■■■■■■■■■■■■■■■■）协调。");
    expect(redactText("代码91441900MA4UXXXX", compileRules([{ kind: "text", match: "９１４４１９００ＭＡ４ＵＸＸＸＸ" }]))).toBe("代码■■■■■■■■■■■■■■■■");
    // a rule written with full-width punctuation still matches the original text
    expect(redactText("联系人：张三。", compileRules([{ kind: "pattern", match: "联系人：[一-龥]{2}" }]))).toBe("■■■■■■。");
  });

  it("a pattern that backtracks without end on JavaScript's engine is matched in linear time: the public site does not hang", () => {
    // (.+)+■ against 40 characters without ■: about 2^40 steps for a backtracking engine.
    const rules = compileRules([{ kind: "pattern", match: "(.+)+■" }]);
    expect(redactionRuleProblem({ kind: "pattern", match: "(.+)+■" })).toBeNull();
    expect(redactText("联系人张三，电话二二八三一二三四。".repeat(3), rules)).toBe("联系人张三，电话二二八三一二三四。".repeat(3));
    expect(redactText("甲乙丙■丁", rules)).toBe("■■■■丁");
  });

  it("patterns count in characters as JavaScript strings do (an emoji before the match), and match repeatedly", () => {
    const rules = compileRules([{ kind: "pattern", match: "张[一-龥]{1,2}委员" }]);
    expect(redactText("😀据张三委员、张四五委员反映", rules)).toBe("😀据■■■■、■■■■■反映");
  });

  it("patterns mean what they mean in JavaScript: \\s takes the full-width space, \\u escapes and \\p{Script=Han} work, . stops at a line break", () => {
    const mask = (match: string, text: string) => redactText(text, compileRules([{ kind: "pattern", match }]));
    expect(mask("联系人\\s*张三", "联系人　张三")).toBe("■■■　■■");
    expect(mask("[\\u4e00-\\u9fa5]{2}委员", "张三委员")).toBe("■■■■");
    expect(mask("\\p{Script=Han}{2}委员", "李四委员")).toBe("■■■■");
    expect(mask("编号.+号", "编号一\n二号")).toBe("编号一\n二号");
    expect(mask("[\\s\\d]{8}", "电话 2283123")).toBe("电话 ■■■■■■■"); // \s inside a class too (the space itself stays, as masks keep spaces)
    expect(toRe2Syntax("[^\\S]")).toBeNull(); // no RE2 equivalent: such a rule is kept on JavaScript's engine
    expect(redactionRuleProblem({ kind: "pattern", match: "[\\u4e00-\\u9fa5]{2,4}委员" })).toBeNull();
  });

  it("look-around and back-references are refused for new rules; one saved before still applies, marked for rewriting", () => {
    expect(redactionRuleProblem({ kind: "pattern", match: "(?<=电话)\\d+" })).toBe("规则不是有效的正则表达式（不支持向前、向后查找和反向引用）");
    const legacy = { kind: "pattern" as const, match: "(?<=代码)[0-9A-Z]{18}" };
    expect(isLegacyPattern(legacy)).toBe(true);
    expect(isLegacyPattern({ kind: "pattern", match: "91[0-9A-Z]{16}" })).toBe(false);
    expect(redactText("信用代码91441900MA4UXXXX12", compileRules([legacy]))).toBe("信用代码■■■■■■■■■■■■■■■■■■");
  });
});
