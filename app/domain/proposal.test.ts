import { addresseeFor } from "./letter";
import { describe, expect, it } from "vitest";
import {
  meetingNameProblem,
  compareMeetingsNewestFirst,
  meetingSession,
  sameSession,
  assignedOnProblem,
  cleanLine,
  cleanText,
  diffFields,
  fieldErrors,
  formatProposers,
  normalizeDateInput,
  normalizeProposalNumber,
  parseProposers,
  parseProposerTotal,
  proposalInputSchema,
  proposerTotalProblem,
} from "./proposal";

describe("cleanText (every field a person types)", () => {
  it("drops direction controls and halves of surrogate pairs, and keeps one kind of line break", () => {
    // a 会办单位 posted as "\u202Eabc" showed as "cba" on every page and in the history
    expect(cleanText("\u202E市科技局\u202C")).toBe("市科技局");
    expect(cleanText("张三\u2067李四\u2069\u200F")).toBe("张三李四");
    expect(cleanText("𠀀\uD840")).toBe("𠀀");
    expect(cleanText("一\r\n二\r三")).toBe("一\n二\n三");
    expect(cleanText("\u3000东莞\u0001市\u200B ")).toBe("东莞市");
  });

  it("takes every line break as one (U+2028, U+2029, NEL, Word's VT and FF) and keeps an emoji sequence whole, as the letter does", () => {
    // a U+2028 kept in a 案由 broke the letter's《…》line where the template printed it
    expect(cleanLine("关于推进\u2028智能制造的建议")).toBe("关于推进智能制造的建议");
    expect(cleanText("一\u2029二\u0085三\u000B四\u000C五")).toBe("一\n二\n三\n四\n五");
    expect(cleanText("家庭👨\u200D👩\u200D👧")).toBe("家庭👨\u200D👩\u200D👧");
    // a zero-width non-joiner pasted after a 会议 name made a second 会议 that looked the same
    expect(cleanText("东莞市政协第十四届五次会议\u200C")).toBe("东莞市政协第十四届五次会议");
    // a character lost in decoding stays for the field's check: removed, 301�23 became another proposal's 30123
    expect(normalizeProposalNumber("301\uFFFD23")).not.toBe("30123");
    expect(proposalInputSchema.shape.number.safeParse("301\uFFFD23").success).toBe(false);
  });
});

describe("cleanLine (案由, 主办单位, a proposer's name)", () => {
  it("joins a line break (an Excel cell wrapped with Alt+Enter): nothing between hanzi, a space between Latin letters or digits", () => {
    expect(cleanLine("关于加快\n专精特新企业发展的建议")).toBe("关于加快专精特新企业发展的建议");
    expect(cleanLine("关于推进5G\r\n 网络建设的建议")).toBe("关于推进5G网络建设的建议");
    expect(cleanLine("关于 Smart\nCity 的建议")).toBe("关于 Smart City 的建议");
    expect(cleanLine(" 市科技局\n")).toBe("市科技局");
  });

  it("is what the schema stores for 案由, 主办单位 and names, so the one-line edit form gives back the same text", () => {
    const parsed = proposalInputSchema.parse({
      meeting: "东莞市政协第十三届六次会议",
      number: "1",
      title: "关于A\n的建议",
      proposers: [{ kind: "member", name: "张\n三" }],
      bureauRole: "co",
      leadUnit: "市科技\n局",
      assignedOn: "2021-03-22",
    });
    expect(parsed).toMatchObject({ title: "关于A的建议", proposers: [{ name: "张三" }], leadUnit: "市科技局" });
  });
});

describe("proposal numbers", () => {
  it("are strings: 第10121号 and 20210100 both normalise to their digits", () => {
    expect(normalizeProposalNumber("第10121号")).toBe("10121");
    expect(normalizeProposalNumber(" 20210100 ")).toBe("20210100");
    expect(normalizeProposalNumber("第 0012 号")).toBe("0012"); // leading zeros are part of the number
    // pasted from Word: full-width digits and dashes are the same number, not another proposal or a refusal
    expect(normalizeProposalNumber("第１０１２１号")).toBe("10121");
    expect(normalizeProposalNumber("20210100－1")).toBe("20210100-1");
    expect(normalizeProposalNumber("20210100—1")).toBe("20210100-1");
  });
});

describe("proposers", () => {
  it("reads a body, one member, and several co-signing members", () => {
    expect(parseProposers("民建市委会")).toEqual([{ kind: "body", name: "民建市委会" }]);
    expect(parseProposers("殷毓德委员")).toEqual([{ kind: "member", name: "殷毓德" }]);
    // a full-width slash or a bar between names, as some sheets have them
    for (const cell of ["张三／李四", "张三|李四", "张三｜李四", "张三/李四"])
      expect(parseProposers(cell, "member"), cell).toEqual([
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ]);
    expect(parseProposers("张三、李四，王五")).toEqual([
      { kind: "member", name: "张三" },
      { kind: "member", name: "李四" },
      { kind: "member", name: "王五" },
    ]);
    expect(parseProposers("致公党市委会、民革市委会")).toEqual([
      { kind: "body", name: "致公党市委会" },
      { kind: "body", name: "民革市委会" },
    ]);
  });

  it("keeps every co-signer when the form says they are members", () => {
    expect(parseProposers("张三\n李四\n\n王五委员", "member").map((p) => p.name)).toEqual(["张三", "李四", "王五"]);
  });

  it("the form's 委员 still knows a 党派 or 团体 co-signing by its name, and a person's name ending in 会 or 党 stays a member", () => {
    expect(parseProposers("张伟、民建东莞市委员会", "member")).toEqual([
      { kind: "member", name: "张伟" },
      { kind: "body", name: "民建东莞市委员会" },
    ]);
    expect(parseProposers("九三学社东莞市委员会\n李四", "member").map((p) => p.kind)).toEqual(["body", "member"]);
    expect(parseProposers("欧阳建会、王建党、刘国会", "member").map((p) => p.kind)).toEqual(["member", "member", "member"]);
    expect(addresseeFor(parseProposers("张伟、民建东莞市委员会", "member"))).toBe("民建东莞市委员会、张伟委员");
  });

  it("formats them as a letter addresses them", () => {
    expect(
      formatProposers([
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ]),
    ).toBe("张三、李四委员");
    expect(formatProposers([{ kind: "body", name: "民建市委会" }])).toBe("民建市委会");
  });
});

describe("proposer cells as offices write them (a review of 2026-12-01)", () => {
  it("a count phrase in any spelling is the total, never a proposer", () => {
    for (const cell of ["张三、李四等5位政协委员", "张三、李四等5位委员共同提出", "张三、李四等５位委员", "张三、李四等五位委员", "张三、李四等5名委员联名"]) {
      expect(parseProposers(cell), cell).toEqual([
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ]);
      expect(parseProposerTotal(cell), cell).toBe(5);
    }
    expect(parseProposerTotal("张三等十二位委员")).toBe(12);
  });
  it("a name padded with spaces (张　三) is one name; two names apart by spaces are two", () => {
    expect(parseProposers("张　三、李四").map((p) => p.name)).toEqual(["张三", "李四"]);
    expect(parseProposers("张  三、李　四").map((p) => p.name)).toEqual(["张三", "李四"]);
    expect(parseProposers("张三  李四").map((p) => p.name)).toEqual(["张三", "李四"]);
    // one space, half- or full-width (cleanText folds U+3000), as joint proposers are often listed
    expect(parseProposers("张三 李四").map((p) => p.name)).toEqual(["张三", "李四"]);
    expect(parseProposers("张三　李四　王五").map((p) => p.name)).toEqual(["张三", "李四", "王五"]);
    expect(parseProposers("民建市委会 张三")).toEqual([
      { kind: "body", name: "民建市委会" },
      { kind: "member", name: "张三" },
    ]);
    expect(parseProposers("殷毓德 委员")).toEqual([{ kind: "member", name: "殷毓德" }]);
    expect(parseProposers("张 三丰").map((p) => p.name)).toEqual(["张三丰"]);
    // names with hanzi outside the basic block, and transcribed names, are names too: two people, never one made-up name
    expect(parseProposers("张三　刘䶮").map((p) => p.name)).toEqual(["张三", "刘䶮"]);
    expect(parseProposers("陈明　王𠮷").map((p) => p.name)).toEqual(["陈明", "王𠮷"]);
    expect(parseProposers("张三 李﨑").map((p) => p.name)).toEqual(["张三", "李﨑"]);
    expect(parseProposers("阿依古丽·买买提 张三").map((p) => p.name)).toEqual(["阿依古丽·买买提", "张三"]);
    expect(parseProposers("刘　䶮、王𠮷").map((p) => p.name)).toEqual(["刘䶮", "王𠮷"]);
    // unsure (a five-character piece): the cell is kept as typed for a person to read, not glued
    expect(parseProposers("张三 李四五六七").map((p) => p.name)).toEqual(["张三 李四五六七"]);
  });
  it("a space that is not between people keeps the cell one proposer: a body in parts, a two-character surname, a title, Latin letters", () => {
    expect(parseProposers("中国民主同盟 东莞市委员会")).toEqual([{ kind: "body", name: "中国民主同盟东莞市委员会" }]);
    expect(parseProposers("民建 市委会")).toEqual([{ kind: "body", name: "民建市委会" }]);
    expect(parseProposers("民建 市委会", "body")).toEqual([{ kind: "body", name: "民建市委会" }]);
    expect(parseProposers("欧阳 明明").map((p) => p.name)).toEqual(["欧阳明明"]);
    expect(parseProposers("张三 常委")).toHaveLength(1);
    expect(parseProposers("Zhang San").map((p) => p.name)).toEqual(["Zhang San"]);
    expect(parseProposers("东莞市工商联 （总商会）")).toHaveLength(1);
  });
  it("a member whose name ends in 党 or 会 stays a member; a party's short name is a body", () => {
    expect(parseProposers("王建党、刘国会").map((p) => p.kind)).toEqual(["member", "member"]);
    for (const body of ["民盟", "妇联", "致公党", "九三学社", "市工商联", "民建市委会", "经济界", "工商界", "市妇联", "市侨联", "市文联", "市残联"])
      expect(parseProposers(body)[0]!.kind, body).toBe("body");
  });
});

describe("the proposal schema", () => {
  const valid = {
    meeting: "东莞市政协第十三届六次会议",
    number: "10121",
    title: "关于某事的建议",
    proposers: [{ kind: "body", name: "民建市委会" }],
    bureauRole: "lead",
    assignedOn: "2021/3/22",
  };

  it("accepts common date spellings and returns ISO dates", () => {
    expect(proposalInputSchema.parse(valid).assignedOn).toBe("2021-03-22");
    expect(normalizeDateInput("2021年3月5日")).toBe("2021-03-05");
    // Excel's text for a date-time cell, in a CSV it saved
    expect(normalizeDateInput("2026/3/20 0:00")).toBe("2026-03-20");
    expect(normalizeDateInput("2026-03-20 00:00:00")).toBe("2026-03-20");
    expect(normalizeDateInput("2026-03-20 25")).toBe("2026-03-20 25");
  });

  it("a 提案号 is letters and digits, a hyphen only between two parts", () => {
    for (const number of ["10121", "20210100-1", "A12-3b"]) expect(proposalInputSchema.safeParse({ ...valid, number }).success, number).toBe(true);
    for (const number of ["-1", "12-", "1--2", "1e3!"]) {
      const r = proposalInputSchema.safeParse({ ...valid, number });
      expect(r.success, number).toBe(false);
      if (!r.success) expect(fieldErrors(r.error).number).toMatch(/^提案号只能包含数字、字母和连字符/);
    }
  });

  it("answers bad input with a zh-CN message per field", () => {
    const r = proposalInputSchema.safeParse({ ...valid, number: "", title: "  ", proposers: [], bureauRole: "boss", assignedOn: "2021-02-30" });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrors(r.error)).toEqual({
      number: "请填写提案号",
      title: "请填写案由",
      proposers: "请至少填写一位提案者",
      bureauRole: "请选择办理方式（主办/会办/分办）",
      assignedOn: "不是有效的日期",
    });
  });

  it("refuses a proposer named twice (each answers the feedback once: the duplicate made 登记征询意见 fail with 500)", () => {
    const r = proposalInputSchema.safeParse({ ...valid, proposers: parseProposers("张伟、张伟委员") });
    expect(r.success).toBe(false);
    if (r.success) return;
    expect(fieldErrors(r.error).proposers).toMatch(/^提案者重复/);
    expect(proposalInputSchema.safeParse({ ...valid, proposers: parseProposers("张伟（经济界）、张伟（教育界）") }).success).toBe(true);
  });

  it("stores a 会议 name in one spelling: no spaces, full-width brackets, ASCII digits; an empty one is refused", () => {
    for (const typed of ["东莞市政协 十四届二次会议(2023)", "东莞市政协十四届二次会议（２０２３）", "\u3000东莞市政协十四届二次会议 （2023）\t"])
      expect(proposalInputSchema.parse({ ...valid, meeting: typed }).meeting).toBe("东莞市政协十四届二次会议（2023）");
    const r = proposalInputSchema.safeParse({ ...valid, meeting: " \u3000 " });
    expect(r.success || fieldErrors(r.error).meeting).toBe("请填写届次/会议");
  });

  it("strips control characters from text", () => {
    expect(proposalInputSchema.parse({ ...valid, title: "关于\u0000某事\u200b的建议" }).title).toBe("关于某事的建议");
  });
});

describe("history diffs", () => {
  it("list only the fields whose value changed, old and new", () => {
    expect(diffFields({ title: "甲", notes: null }, { title: "乙", notes: "" })).toEqual([{ field: "title", label: "案由", from: "甲", to: "乙" }]);
  });
});

describe("co-signer counts (等N位委员)", () => {
  it("keep the count the cell states, for lists and search", () => {
    const raw = "张三、李四等3位委员";
    const list = parseProposers(raw);
    expect(list).toEqual([
      { kind: "member", name: "张三" },
      { kind: "member", name: "李四" },
    ]);
    expect(parseProposerTotal(raw)).toBe(3);
    expect(formatProposers(list, 3)).toBe("张三、李四等3位委员");
    expect(formatProposers(list, null)).toBe("张三、李四委员");
    expect(parseProposerTotal("张三、李四委员")).toBeNull();
    expect(parseProposerTotal("王五等 12 名政协委员")).toBe(12);
  });
  it("refuse a count smaller than the names given", () => {
    expect(proposerTotalProblem({ proposers: parseProposers("张三、李四、王五"), proposerTotal: 2 })).toBe("写明了 3 位委员，但“等2位委员”人数更少，请核对");
    expect(proposerTotalProblem({ proposers: parseProposers("张三、李四"), proposerTotal: 3 })).toBeNull();
  });
});

describe("assignedOnProblem", () => {
  it("accepts today and the past, warns for a near future date, refuses one beyond the horizon", () => {
    expect(assignedOnProblem("2026-11-30", "2026-11-30")).toBeNull();
    expect(assignedOnProblem("2021-03-22", "2026-11-30")).toBeNull();
    expect(assignedOnProblem("2026-12-02", "2026-11-30")).toEqual({ warn: "交办日期 2026-12-02 晚于今天（2026-11-30），请确认无误" });
    expect(assignedOnProblem("2026-12-30", "2026-11-30")).toMatchObject({ warn: expect.any(String) });
    expect(assignedOnProblem("2026-12-31", "2026-11-30")).toEqual({ refuse: "交办日期 2026-12-31 比今天（2026-11-30）晚 31 天，超过 30 天，请核对是否输入有误" });
    expect(assignedOnProblem("2062-03-22", "2026-11-30")).toMatchObject({ refuse: expect.stringContaining("请核对是否输入有误") });
  });
});

describe("会议 names in order", () => {
  it("newest first by 届 and 次, not by their characters (十三届三次 came before 二次, 五次 before 四次)", () => {
    const names = [
      "东莞市政协第十三届三次会议",
      "东莞市政协第十三届二次会议",
      "东莞市政协第十三届五次会议",
      "东莞市政协第十四届一次会议",
      "测试会议",
      "东莞市政协第十三届六次会议",
      "东莞市政协第十三届四次会议",
      "东莞市政协第九届十次会议",
    ];
    expect([...names].sort(compareMeetingsNewestFirst)).toEqual([
      "东莞市政协第十四届一次会议",
      "东莞市政协第十三届六次会议",
      "东莞市政协第十三届五次会议",
      "东莞市政协第十三届四次会议",
      "东莞市政协第十三届三次会议",
      "东莞市政协第十三届二次会议",
      "东莞市政协第九届十次会议",
      "测试会议",
    ]);
  });
});

describe("meetingNameProblem", () => {
  it("a new 会议 name names a meeting: a bracketed year or a number alone is refused", () => {
    for (const bad of ["（2021）", "(2021)", "2021", "十", "（东莞市政协）"]) expect(meetingNameProblem(bad), bad).not.toBeNull();
    for (const good of ["东莞市政协第十三届六次会议", "十三届六次会议（2021）", "测试会议"]) expect(meetingNameProblem(good), good).toBeNull();
  });
});

describe("meetingSession and sameSession", () => {
  it("reads 届, 次, the year and the body out of the ways a 会议 is written", () => {
    expect(meetingSession("东莞市政协第十四届五次会议")).toEqual({ term: 14, session: 5, year: null, note: "", body: "东莞市政协", tail: "" });
    expect(meetingSession("东莞市政协第十四届五次会议闭会期间")).toMatchObject({ body: "东莞市政协", tail: "闭会期间" });
    expect(meetingSession("政协东莞市第十三届委员会第六次会议")).toMatchObject({ term: 13, session: 6, body: "政协东莞市" });
    expect(meetingSession("东莞市政协十四届二次会议 (２０２３)")).toMatchObject({ term: 14, session: 2, year: "2023", note: "", body: "东莞市政协" });
    expect(meetingSession("东莞市政协第十四届四次会议（规模测试）")).toMatchObject({ year: null, note: "规模测试" });
    expect(meetingSession("测试会议")).toBeNull();
  });

  it("the short name is the full one; another year, note or body is not", () => {
    const same = (a: string, b: string) => sameSession(meetingSession(a)!, meetingSession(b)!);
    expect(same("第十四届五次会议", "东莞市政协第十四届五次会议")).toBe(true);
    expect(same("十四届五次", "东莞市政协十四届五次会议（2026）")).toBe(true);
    expect(same("东莞市政协第十四届五次会议", "东莞市政协第十四届六次会议")).toBe(false);
    expect(same("东莞市政协第十三届五次会议", "东莞市政协第十四届五次会议")).toBe(false);
    expect(same("东莞市政协十四届二次会议（2023）", "东莞市政协十四届二次会议（2024）")).toBe(false);
    expect(same("东莞市政协第十四届四次会议（规模测试）", "东莞市政协第十四届四次会议")).toBe(false);
    expect(same("东莞市人大第十四届五次会议", "东莞市政协第十四届五次会议")).toBe(false);
    // more words than a meeting's name: another name, not taken into the meeting
    expect(same("东莞市政协第十四届五次会议闭会期间", "东莞市政协第十四届五次会议")).toBe(false);
    expect(same("东莞市政协第十四届五次会议提案", "东莞市政协第十四届五次会议")).toBe(false);
    expect(same("2025年东莞市政协十四届五次会议", "东莞市政协十四届五次会议（2026）")).toBe(false);
    expect(same("东莞市政协第十四届五次会议", "东莞市政协第十四届五次会议规模测试")).toBe(false);
  });
});
