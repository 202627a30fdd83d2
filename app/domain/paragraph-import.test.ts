import fs from "node:fs";
import path from "node:path";
import { describe, it, expect } from "vitest";
import {
  decodeTextBuffer,
  discardCandidate,
  endsSentence,
  importDocument,
  mergeCandidates,
  normalizeSourceBlocks,
  normalizeSourceText,
  parseChineseDate,
  parseLetterFrame,
  splitCandidate,
  splitAnnotation,
  splitIntoCandidates,
  titleFromText,
  validateImportText,
  type Candidate,
} from "~/domain/paragraph-import";

const seed = (name: string) => fs.readFileSync(path.resolve("seeds/source", name), "utf8");
const L108 = seed("letter-108.txt");
const L109 = seed("letter-109.txt");
const P002 = seed("policy-electronic-info-action-plan.txt");
const P003 = seed("policy-smart-terminal-cluster-2023-2025.txt");
const P004 = seed("policy-dongfu-2021-10.txt");
const SEEDS: [string, string, "letter" | "policy"][] = [
  ["letter-108", L108, "letter"],
  ["letter-109", L109, "letter"],
  ["policy-002", P002, "policy"],
  ["policy-003", P003, "policy"],
  ["policy-004", P004, "policy"],
];

const kinds = (cs: Candidate[]) => {
  const acc: Record<string, number> = {};
  for (const c of cs) acc[c.kind] = (acc[c.kind] ?? 0) + 1;
  return acc;
};
const byTitle = (cs: Candidate[], title: string) => {
  const c = cs.find((x) => x.title === title);
  if (!c) throw new Error(`no candidate titled ${title}`);
  return c;
};

describe("normalizeSourceText", () => {
  it("removes BOM, \\r\\n, zero-width characters and indentation, keeps spaces inside a line", () => {
    const raw = "\uFEFF\u3000\u3000一、完善顶层设计。\r\n\r\n　　近两年培育省级专精特新企业 103 家，\u200B2020 年完成。\r\n";
    expect(normalizeSourceText(raw)).toBe("一、完善顶层设计。\n\n近两年培育省级专精特新企业 103 家，2020 年完成。");
  });

  it("rejoins the sentences of letter 108 split by page breaks, strips markdown, keeps source spaces", () => {
    const t = normalizeSourceText(L108);
    expect(t).toContain("成立由分管副市长担任组长的我市培育国家先进制造业集群工作协调机制");
    expect(t).toContain("为肿瘤治疗带来技术性革新。");
    expect(t).toContain("我市土地收储整备机制日益完善");
    expect(t).not.toMatch(/---|\*\*|^#/m);
    expect(t).toContain("三、系统规划引领。会同广东赛迪研究院");
    // PDF spacing around figures is the letter's own wording: kept.
    expect(t).toContain("培育省级专精特新企业 103 家");
    expect(t).toContain("2020 年“企莞家”平台企业用户数由 1.5 万家");
    expect(t).toContain("汇集49 个单位");
  });

  it("drops the 专 doubled across the page break in 108 and says so", () => {
    const t = normalizeSourceText(L108);
    expect(t).toContain("四是推动专精特新企业发展。");
    expect(t).not.toContain("专专");
    const block = normalizeSourceBlocks(L108).find((b) => b.text.includes("推动专精特新企业发展"))!;
    expect(block.notes).toEqual(["分页处重复的“专”已删除（原文：“推动专专精特新”）"]);
  });

  it("does not drop a legitimately doubled character at a page break", () => {
    expect(normalizeSourceText("我们要扎扎实\n\n---\n\n实做好工作。")).toBe("我们要扎扎实实做好工作。");
  });

  it("rejoins the hard-wrapped lines of letter 109 (about 28 characters each)", () => {
    const t = normalizeSourceText(L109);
    expect(t).toContain("推动莞深产业功能互补和产业链衔接，要立足东莞在生产制造领域的优势，重点关注科技成果转化。以打造国家创新型城市为总抓手");
    // A page-break line starting with a space (" 方案，…").
    expect(t).toContain("在全省地级市层面率先制定出台科技计划体系改革方案，设立6大专项、21类科技计划项目。");
    expect(t).toContain("投资 33 亿元的拓斯达总部基地");
    // A heading wrapped over two lines is one paragraph; a trailing space ends a paragraph.
    const paras = t.split("\n\n");
    expect(paras).toContain("二、加强产业链招商和供应链招商，引导高新技术产业链集聚。");
    expect(paras).toContain("一、聚焦产业链优势环节，重点关注科技成果转化");
    expect(paras).toContain("关于对东莞市政协第十三届六次会议 第20210100号提案的答复");
    expect(paras).toContain("您提出的《关于加快构建莞深高新技术产业协同发展共同体的建议》的提案收悉。现答复如下：");
    expect(paras).toHaveLength(15);
  });

  it("rejoins policy paragraphs split by page breaks without a --- rule", () => {
    const t = normalizeSourceText(P002);
    expect(t).toContain("完成规上工业总产值9661.1亿元，同比下降 2.8%");
    expect(t).toContain("3.以战略性新兴产业基地、松山湖高新区、滨海湾新区为核心区域，聚焦先进封装测试");
    expect(t).toContain("打造全产业生态。（市科技局");
    const t4 = normalizeSourceText(P004);
    expect(t4).toContain("编制出台我市相关产业集群培育发展行动计划（2021—2025 年）");
    // The signature and the date stay apart.
    expect(t4).toContain("东莞市人民政府\n\n2021年1月18日");
  });

  it("takes a page number on a line of its own for a page break: never a paragraph, never glued into the sentence it split", () => {
    for (const mark of ["— 2 —", "-2-", "－ 2 －", "第 2 页 共 5 页", "第2页，共5页", "2/5"]) {
      const text = `一、支持企业发展\n对新认定的国家级专精特新“小巨人”企\n${mark}\n业，给予一次性奖励。\n\n${mark}\n\n二、加强服务保障`;
      expect(normalizeSourceText(text), mark).toBe("一、支持企业发展\n\n对新认定的国家级专精特新“小巨人”企业，给予一次性奖励。\n\n二、加强服务保障");
    }
    // a heading or a sentence that merely ends in a number stays
    expect(normalizeSourceText("2025年目标\n\n全年新增企业120家。")).toContain("全年新增企业120家。");
  });

  it("is idempotent on every seed", () => {
    for (const [, raw] of SEEDS) {
      const once = normalizeSourceText(raw);
      expect(normalizeSourceText(once)).toBe(once);
    }
  });

  it("keeps the 附表 of 003 as a table block with one row per line", () => {
    const table = normalizeSourceBlocks(P003).find((b) => b.kind === "table")!;
    expect(table.rows).toHaveLength(29);
    expect(table.text.split("\n")[0]).toBe("一级指标\t二级指标\t2022年底基础值\t2025年目标值");
  });
});

describe("splitIntoCandidates — letters", () => {
  it("108: ten paragraphs, eight sections 一…八 with their titles, the frame left out", () => {
    const cs = splitIntoCandidates(L108, { kind: "letter" });
    expect(cs).toHaveLength(10);
    expect(kinds(cs)).toEqual({ paragraph: 10 });
    const sections = cs.filter((c) => c.lead);
    expect(sections.map((c) => c.title)).toEqual(["完善顶层设计", "加强组织领导", "系统规划引领", "创新成果转化", "核心技术攻关", "提供空间保障", "做好强链补链", "优化对企服务"]);
    expect(sections.map((c) => c.marker)).toEqual(["一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、"]);
    expect(sections.every((c) => c.level === 1 && c.headingPath.length === 1)).toBe(true);
    expect(cs.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

    const intro = cs[0]!;
    expect(intro).toMatchObject({ kind: "paragraph", level: 0, headingPath: [], title: "为推动东莞市智能移动终端产业集群发展" });

    // Bold inline heading: lead kept apart from the body.
    const s4 = byTitle(cs, "创新成果转化");
    expect(s4.lead).toBe("创新成果转化。");
    expect(s4.headingPath).toEqual(["四、创新成果转化"]);
    expect(s4.text.startsWith("以打造国家创新型城市为总抓手")).toBe(true);
    expect(s4.text).toContain("为肿瘤治疗带来技术性革新。");
    expect(byTitle(cs, "加强组织领导").text).toContain("我市培育国家先进制造业集群工作协调机制");
    expect(byTitle(cs, "提供空间保障").text).toContain("我市土地收储整备机制");
    const s7 = byTitle(cs, "做好强链补链");
    expect(s7.text).toContain("四是推动专精特新企业发展。");
    expect(s7.notes).toHaveLength(1);

    // 五 has a second paragraph without its own heading.
    const s5b = cs[6]!;
    expect(s5b).toMatchObject({ kind: "paragraph", level: 1, headingPath: ["五、核心技术攻关"], title: "围绕智能移动终端产业链进行技术攻关" });
    expect(s5b.lead).toBeUndefined();

    const all = cs.map((c) => (c.lead ?? "") + c.text).join("\n");
    for (const frame of ["东工信函", "民建市委会", "收悉", "李泳", "28685020", "公开方式", "印章", "东莞市工业和信息化局"]) {
      expect(all).not.toContain(frame);
    }
  });

  it("109: three standalone headings, each followed by one paragraph", () => {
    const cs = splitIntoCandidates(L109, { kind: "letter" });
    expect(cs).toHaveLength(6);
    expect(cs.map((c) => c.kind)).toEqual(["heading", "paragraph", "heading", "paragraph", "heading", "paragraph"]);
    expect(cs.filter((c) => c.kind === "heading").map((c) => c.title)).toEqual([
      "聚焦产业链优势环节，重点关注科技成果转化",
      "加强产业链招商和供应链招商，引导高新技术产业链集聚",
      "聚焦产业趋势，共建世界级先进制造业集群",
    ]);
    expect(cs[1]!.headingPath).toEqual(["一、聚焦产业链优势环节，重点关注科技成果转化"]);
    expect(cs[1]!.text).toContain('构建"源头创新一技术创新一成果转化一企业培育"全链条创新体系');
    // "一是完善顶层设计。…" gives the title.
    expect(cs[5]!.title).toBe("完善顶层设计");
    expect(cs[5]!.text.endsWith("全省 6 个国家级产业集群东莞有 2 个。")).toBe(true);
    expect(cs.some((c) => /领导签字|詹志斌|殷毓德/.test(c.text))).toBe(false);
  });
});

describe("splitIntoCandidates — policies", () => {
  it("002 行动计划: 42 candidates (6 headings, 25 paragraphs, 11 专栏 boxes)", () => {
    const cs = splitIntoCandidates(P002, { kind: "policy" });
    expect(cs).toHaveLength(42);
    expect(kinds(cs)).toEqual({ heading: 6, paragraph: 25, box: 11 });
    expect(cs[0]).toMatchObject({ kind: "heading", level: 0, title: "东莞市发展新一代电子信息战略性 支柱产业集群行动计划（征求意见稿）" });
    expect(cs.filter((c) => c.kind === "heading" && c.level === 1).map((c) => c.title)).toEqual(["总体情况", "工作目标", "重点任务", "重点工程", "保障措施"]);
    const c1 = byTitle(cs, "构建产业发展新格局");
    expect(c1).toMatchObject({ level: 2, headingPath: ["三、重点任务", "（一）构建产业发展新格局"], marker: "(一)", lead: "构建产业发展新格局。" });
    const box1 = byTitle(cs, "专栏1：重点项目");
    expect(box1).toMatchObject({ kind: "box", level: 3, headingPath: ["三、重点任务", "（一）构建产业发展新格局", "专栏1：重点项目"] });
    expect(box1.text.split("\n")).toHaveLength(5);
    expect(box1.text).toContain("为核心区域，聚焦先进封装测试");
    expect(byTitle(cs, "专栏6：重点项目").text).toContain("等 5G 示范区建设以及示范项目落地。");
    // The responsible units standing on their own line belong to （七）.
    const c7 = byTitle(cs, "提升国际化合作水平");
    // The parenthetical on its own line joins its paragraph, then becomes the paragraph's responsibility tags.
    expect(c7.text.endsWith("全球化发展。")).toBe(true);
    expect(c7.annotation).toBe("市商务局、市投促局、市发展改革局、市自然资源局、市科技局、市工业和信息化局、市市场监管局");
    expect(c7.notes).toEqual(["单独成行的括注“（市商务局、市投促局、市发展改革…”已并入上一段"]);
  });

  it("003 行动方案: 55 candidates with 7 boxes and the 附表 as a table", () => {
    const cs = splitIntoCandidates(P003, { kind: "policy" });
    expect(cs).toHaveLength(55);
    expect(kinds(cs)).toEqual({ heading: 12, paragraph: 35, box: 7, table: 1 });
    expect(cs[0]!.title).toBe("东莞智能移动终端先进制造业集群培育提升三年行动方案（2023－2025年）（第二次征求意见稿）");

    const table = cs.find((c) => c.kind === "table")!;
    expect(table).toMatchObject({ title: "国家先进制造业集群综合竞争力指标体系", level: 1, headingPath: ["附表：国家先进制造业集群综合竞争力指标体系"] });
    expect(table.rows).toHaveLength(29);
    expect(table.rows!.every((r) => r.length === 4)).toBe(true);
    expect(table.rows![0]).toEqual(["一级指标", "二级指标", "2022年底基础值", "2025年目标值"]);
    expect(table.rows![1]).toEqual(["集群规模实力", "1.主导产业总产值（亿元）", "9470.22", "10000"]);
    expect(table.rows![2]).toEqual(["", "2.主导产业市场占有率水平（分）", "26.1", "27.5"]);
    expect(table.rows![28]![1]).toBe("28.地方政府政策支持力度和体制机制改革探索");
    expect(table.text.split("\n")).toHaveLength(29);
    // The caption became the table's title, not a heading of its own.
    expect(cs.some((c) => c.kind === "heading" && c.title.includes("综合竞争力指标体系"))).toBe(false);

    const box1 = byTitle(cs, "专栏1：重大工程");
    expect(box1.headingPath).toEqual(["三、重点任务和举措", "（一）优化智能移动终端产业布局", "专栏1：重大工程"]);
    expect(box1.text.split("\n")).toHaveLength(6);
    expect(box1.text.startsWith("1.整机集成与应用核心区：")).toBe(true);

    // "（7）" after "（六）" is read as （七）: a level-2 heading, and the box before it ends there.
    const h7 = byTitle(cs, "提升集群国际化合作水平");
    expect(h7).toMatchObject({ kind: "heading", level: 2, headingPath: ["三、重点任务和举措", "（7）提升集群国际化合作水平"] });
    expect(byTitle(cs, "专栏6：重点项目").text).not.toContain("全面对接");
    expect(byTitle(cs, "专栏7：重点工程").headingPath[1]).toBe("（7）提升集群国际化合作水平");

    const item = byTitle(cs, "构建“链主企业+合作银行+中小微企业集群”融资对接机制");
    expect(item).toMatchObject({ level: 3, marker: "1. " });
  });

  it("004 东府〔2021〕10号: 32 candidates, the notice frame left out, 1· items read as level 3", () => {
    const cs = splitIntoCandidates(P004, { kind: "policy" });
    expect(cs).toHaveLength(32);
    expect(kinds(cs)).toEqual({ heading: 8, paragraph: 24 });
    expect(cs.filter((c) => c.level === 0 && c.kind === "heading").map((c) => c.title)).toEqual([
      "东莞市人民政府关于印发《关于培育发展战略性新兴产业集群的实施意见》的通知",
      "关于培育发展战略性新兴产业集群的实施意见",
    ]);
    const all = cs.map((c) => c.text).join("\n");
    for (const frame of ["東莞", "附錄", "东府〔2021〕10号", "东莞市人民政府文件", "2021年1月18日", "各镇人民政府（街道办事处）"]) {
      expect(all).not.toContain(frame);
    }
    const ei = byTitle(cs, "新一代电子信息产业集群");
    expect(ei).toMatchObject({
      level: 3,
      marker: "1·",
      lead: "新一代电子信息产业集群。",
      headingPath: ["二、发展重点", "（一）战略性支柱产业集群", "1.新一代电子信息产业集群"],
    });
    expect(byTitle(cs, "软件与信息服务产业集群").text).toContain("加快发展我市特色软件产业集群。");
    expect(byTitle(cs, "发展目标").kind).toBe("heading");
    expect(cs[5]!.title).toBe("到2025年，我市新一代电子信息、高端装备制造…");
  });

  it("leaves out the document's 公开 note (此件公开发布), on its own line or after the date: it merged into the last paragraph", () => {
    for (const ending of ["东莞市人民政府办公室\n\n2026年3月1日\n\n（此件公开发布）", "东莞市人民政府办公室\n\n2026年3月1日（此件公开发布）"]) {
      const cs = splitIntoCandidates(`一、加强组织领导\n\n各镇街要统筹推进各项工作。\n\n${ending}`, { kind: "policy" });
      expect(cs.map((c) => c.text).join("|"), ending).not.toMatch(/此件|2026年3月1日/);
      expect(byTitle(cs, "加强组织领导").kind).toBe("heading");
      expect(cs.at(-1)!.text).toBe("各镇街要统筹推进各项工作。");
    }
  });

  it("leaves out the notice's list of attachments (附件：1.… 2.…): it came out as headings, the first with a doubled colon", () => {
    const cs = splitIntoCandidates("一、总体要求\n\n加快发展测试产业。\n\n附件：1.东莞市测试产业企业名单\n      2.申报指南\n\n二、保障措施\n\n1.加强组织领导。", {
      kind: "policy",
    });
    expect(cs.map((c) => c.title)).toEqual(["总体要求", "加快发展测试产业", "保障措施", "加强组织领导"]);
  });

  it("gives the same candidates for raw and normalised text", () => {
    for (const [, raw, kind] of SEEDS) {
      const strip = (cs: Candidate[]) => cs.map(({ marker: _m, notes: _n, ...c }) => c);
      expect(strip(splitIntoCandidates(normalizeSourceText(raw), { kind }))).toEqual(strip(splitIntoCandidates(raw, { kind })));
    }
  });

  it("importDocument bundles text, candidates and the frame", () => {
    const doc = importDocument(L108, { kind: "letter" });
    expect(doc.candidates).toHaveLength(10);
    expect(doc.frame?.documentNumber).toBe("东工信函〔2021〕108号");
    expect(importDocument(P004, { kind: "policy" }).frame).toBeUndefined();
  });
});

describe("parseLetterFrame", () => {
  it("108: number, title, addressee, 案由, handler, phone, date, disclosure; no signer", () => {
    expect(parseLetterFrame(L108)).toEqual({
      authority: "东莞市工业和信息化局",
      documentNumber: "东工信函〔2021〕108号",
      title: "关于对东莞市政协第十三届六次会议第10121号提案的答复",
      session: "东莞市政协第十三届六次会议",
      proposalNumber: "10121",
      addressee: "民建市委会",
      caseTitle: "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
      handler: "李泳",
      phone: "28685020",
      date: "2021-05-19",
      disclosure: "主动公开",
    });
  });

  it("109: wrapped title and 案由, signer 詹志斌, the date written with ○ U+25CB", () => {
    expect(L109).toContain("二\u25CB二一年五月十九日");
    expect(parseLetterFrame(L109)).toEqual({
      documentNumber: "东工信函〔2021〕109号",
      title: "关于对东莞市政协第十三届六次会议第20210100号提案的答复",
      session: "东莞市政协第十三届六次会议",
      proposalNumber: "20210100",
      addressee: "殷毓德委员",
      caseTitle: "关于加快构建莞深高新技术产业协同发展共同体的建议",
      signer: "詹志斌",
      handler: "李泳",
      phone: "28685020",
      date: "2021-05-19",
    });
  });

  it("parses Chinese dates with 〇, ○ or Arabic digits and refuses impossible ones", () => {
    expect(parseChineseDate("二〇二一年五月十九日")).toBe("2021-05-19");
    expect(parseChineseDate("二○二一年五月十九日")).toBe("2021-05-19");
    expect(parseChineseDate("二〇二四年十二月三十一日")).toBe("2024-12-31");
    expect(parseChineseDate("2021年1月18日")).toBe("2021-01-18");
    expect(parseChineseDate("二〇二一年二月三十日")).toBeUndefined();
    expect(parseChineseDate("2021年全市")).toBeUndefined();
  });
});

describe("other layouts", () => {
  it("a short letter: wrapped lines without trailing spaces, a closing with only the authority and a date", () => {
    const raw = [
      "关于对东莞市政协第十四届三次会议第20240012号提案的答复",
      "",
      "张三、李四等5位委员：",
      "",
      "您提出的《关于支持中小企业数字化转型的建议》的提案收悉。现答复如下：",
      "",
      "一、加强组织领导",
      "成立由分管副市长担任组长的工作专班，由市工信局",
      "牵头会同市发改局等部门联合开展工作。",
      "二、完善政策体系。制定出台多项政策，明确提出",
      "支持中小企业“上云上平台”。",
      "",
      "东莞市工业和信息化局",
      "",
      "二〇二四年三月一日",
    ].join("\n");
    const cs = splitIntoCandidates(raw, { kind: "letter" });
    expect(cs.map((c) => [c.kind, c.title, c.text])).toEqual([
      ["heading", "加强组织领导", "加强组织领导"],
      ["paragraph", "成立由分管副市长担任组长的工作专班", "成立由分管副市长担任组长的工作专班，由市工信局牵头会同市发改局等部门联合开展工作。"],
      ["paragraph", "完善政策体系", "制定出台多项政策，明确提出支持中小企业“上云上平台”。"],
    ]);
    expect(parseLetterFrame(raw)).toEqual({
      title: "关于对东莞市政协第十四届三次会议第20240012号提案的答复",
      session: "东莞市政协第十四届三次会议",
      proposalNumber: "20240012",
      addressee: "张三、李四等5位委员",
      caseTitle: "关于支持中小企业数字化转型的建议",
      date: "2024-03-01",
    });
  });

  it("a letter excerpt without any frame keeps every paragraph", () => {
    const raw = "一、完善顶层设计。制定出台政策。\n\n二、加强组织领导。成立工作专班。";
    expect(splitIntoCandidates(raw, { kind: "letter" }).map((c) => c.title)).toEqual(["完善顶层设计", "加强组织领导"]);
    expect(parseLetterFrame(raw)).toEqual({});
  });
});

describe("helpers", () => {
  it("endsSentence and titleFromText", () => {
    expect(endsSentence("现答复如下：")).toBe(true);
    expect(endsSentence("的“先进制造业之都”。")).toBe(true);
    expect(endsSentence("联动开展培育工作。（市工业和信息化局）")).toBe(true);
    expect(endsSentence("我市培育")).toBe(false);
    expect(endsSentence("行动计划（2020－2022）")).toBe(false);
    expect(titleFromText("二是加强组织领导。成立由分管副市长担任组长")).toBe("加强组织领导");
    expect(titleFromText("全力打造“企莞家”服务品牌。2020 年")).toBe("全力打造“企莞家”服务品牌");
  });
});

describe("candidate editing", () => {
  const c109 = () => splitIntoCandidates(L109, { kind: "letter" });

  it("splitCandidate cuts a paragraph in two, keeps the heading path, leaves the input alone", () => {
    const list = c109();
    const before = JSON.stringify(list);
    const text = list[1]!.text;
    const at = Array.from(text.slice(0, text.indexOf("以打造"))).length;
    const out = splitCandidate(list, 1, at);
    expect(JSON.stringify(list)).toBe(before);
    expect(out).toHaveLength(7);
    expect(out.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(out[1]!.text).toBe("推动莞深产业功能互补和产业链衔接，要立足东莞在生产制造领域的优势，重点关注科技成果转化。");
    expect(out[2]).toMatchObject({ kind: "paragraph", title: "以打造国家创新型城市为总抓手", headingPath: ["一、聚焦产业链优势环节，重点关注科技成果转化"] });
    expect(() => splitCandidate(list, 1, 0)).toThrow(RangeError);
    expect(() => splitCandidate(list, 9, 3)).toThrow(RangeError);
  });

  it("mergeCandidates joins a split paragraph's halves as they were and whole paragraphs with a newline", () => {
    const list = c109();
    const text = list[1]!.text;
    const midSentence = splitCandidate(list, 1, 10);
    expect(mergeCandidates(midSentence, 1, 2)[1]!.text).toBe(text);
    // a split undone gives the paragraph back as it was, also cut at a sentence's end (a line break came in)
    const atSentence = splitCandidate(list, 1, Array.from(text.slice(0, text.indexOf("以打造"))).length);
    expect(mergeCandidates(atSentence, 1, 2)[1]!.text).toBe(text);
    // two paragraphs of the source stay two lines of one
    const two = mergeCandidates(list, 1, 2)[1]!.text;
    expect(two).toBe(`${list[1]!.text}\n${(list[2]!.marker ?? "") + (list[2]!.lead ?? "") + list[2]!.text}`);
  });

  it("a heading merged with its paragraph becomes the lead", () => {
    const out = mergeCandidates(c109(), 0, 1);
    expect(out).toHaveLength(5);
    expect(out[0]).toMatchObject({ kind: "paragraph", marker: "一、", lead: "聚焦产业链优势环节，重点关注科技成果转化", title: "聚焦产业链优势环节，重点关注科技成果转化" });
    expect(out[0]!.text.startsWith("推动莞深产业功能互补")).toBe(true);
  });

  it("tables merge only with tables and split between rows", () => {
    const cs = splitIntoCandidates(P003, { kind: "policy" });
    const t = cs.findIndex((c) => c.kind === "table");
    expect(() => mergeCandidates(cs, t - 1, t)).toThrow("表格不能与段落合并");
    const split = splitCandidate(cs, t, 10);
    expect(split[t]!.rows).toHaveLength(10);
    expect(split[t + 1]!.rows).toHaveLength(19);
    expect(mergeCandidates(split, t, t + 1)[t]!.rows).toEqual(cs[t]!.rows);
  });

  it("discardCandidate removes one and renumbers", () => {
    const out = discardCandidate(c109(), 0);
    expect(out).toHaveLength(5);
    expect(out[0]!.index).toBe(0);
    expect(out[0]!.kind).toBe("paragraph");
  });
});

describe("validateImportText", () => {
  it("accepts every seed", () => {
    for (const [name, raw] of SEEDS) expect(validateImportText(raw), name).toEqual({ ok: true, errors: [] });
  });

  it("refuses empty and whitespace-only input", () => {
    expect(validateImportText("").errors.map((e) => e.code)).toEqual(["empty"]);
    expect(validateImportText("\uFEFF \n\n\u3000 ").errors[0]!.message).toBe("文件内容为空，请选择包含正文的文本文件。");
  });

  it("refuses binary content (NUL)", () => {
    const r = validateImportText("PK\u0003\u0004\u0000\u0000word/document.xml");
    expect(r.ok).toBe(false);
    expect(r.errors[0]!.code).toBe("binary");
    expect(r.errors[0]!.message).toContain("空字符");
  });

  it("refuses a 1 MB single paragraph, with a configurable limit", () => {
    const r = validateImportText("专".repeat(1 << 20));
    expect(r.errors.map((e) => e.code)).toEqual(["paragraph_too_long"]);
    expect(r.errors[0]!.message).toBe("第 1 段超过 20000 字（实际 1048576 字），可能缺少分段或不是正文，请检查文件。");
    expect(validateImportText(L108, { maxParagraphChars: 300 }).errors[0]!.code).toBe("paragraph_too_long");
    expect(validateImportText(L108, { maxTotalChars: 1000 }).errors[0]!.code).toBe("too_long");
  });

  it("joins thousands of wrapped lines in linear time (a quadratic join would time out)", () => {
    const line = "推动莞深产业功能互补和产业链衔接要立足东莞在生产制造";
    const raw = Array.from({ length: 20_000 }, () => line).join("\n\n");
    const blocks = normalizeSourceBlocks(raw);
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.text).toHaveLength(line.length * 20_000);
    expect(validateImportText(raw).errors.map((e) => e.code)).toEqual(["paragraph_too_long"]);
  });

  it("refuses mis-decoded text: U+FFFD, GBK read as Latin-1, UTF-8 read as GBK", () => {
    expect(validateImportText("关于\uFFFD\uFFFD\uFFFD的建议").errors[0]!.code).toBe("mojibake");
    const gbk = new Uint8Array([0xd7, 0xa8, 0xbe, 0xab, 0xcc, 0xd8, 0xd0, 0xc2]);
    const latin1 = new TextDecoder("latin1").decode(gbk);
    expect(latin1).toBe("×¨¾«ÌØÐÂ");
    expect(validateImportText(`企业：${latin1}${latin1}`).errors[0]!.code).toBe("mojibake");
    const asGbk = new TextDecoder("gbk").decode(new TextEncoder().encode(L108));
    expect(validateImportText(asGbk).errors[0]!.code).toBe("mojibake");
    expect(validateImportText(asGbk.replace(/\uFFFD/g, "")).errors[0]!.code).toBe("mojibake");
  });
});

describe("decodeTextBuffer", () => {
  const gbk专精特新 = new Uint8Array([0xd7, 0xa8, 0xbe, 0xab, 0xcc, 0xd8, 0xd0, 0xc2]);

  it("the runtime knows GBK (full ICU)", () => {
    expect(new TextDecoder("gbk").decode(gbk专精特新)).toBe("专精特新");
  });

  it("decodes GBK bytes as GB18030 when they are not UTF-8", () => {
    const bytes = new Uint8Array([...new TextEncoder().encode("4. "), ...gbk专精特新, 0x0d, 0x0a]);
    expect(decodeTextBuffer(bytes)).toEqual({ text: "4. 专精特新\r\n", encoding: "gb18030", bom: false });
  });

  it("decodes UTF-8 with and without BOM, and UTF-16 with BOM", () => {
    const utf8 = new TextEncoder().encode("专精特新");
    expect(decodeTextBuffer(utf8)).toEqual({ text: "专精特新", encoding: "utf-8", bom: false });
    expect(decodeTextBuffer(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8]))).toEqual({ text: "专精特新", encoding: "utf-8", bom: true });
    // "专" is U+4E13.
    expect(decodeTextBuffer(new Uint8Array([0xff, 0xfe, 0x13, 0x4e]))).toEqual({ text: "专", encoding: "utf-16le", bom: true });
    expect(decodeTextBuffer(new Uint8Array([0xfe, 0xff, 0x4e, 0x13]))).toEqual({ text: "专", encoding: "utf-16be", bom: true });
  });

  it("round-trips a seed through UTF-8 bytes", () => {
    const { text, encoding } = decodeTextBuffer(new TextEncoder().encode(L109));
    expect(encoding).toBe("utf-8");
    expect(text).toBe(L109);
  });
});

describe("splitAnnotation (responsibility tags of policy plans)", () => {
  it("takes the units off the end and keeps the measure", () => {
    expect(splitAnnotation("全力打造世界级新一代电子信息产业集群。（市工业和信息化局牵头，市发展改革委、市科技局配合）")).toEqual({
      text: "全力打造世界级新一代电子信息产业集群。",
      annotation: "市工业和信息化局牵头，市发展改革委、市科技局配合",
    });
    expect(splitAnnotation("积极培育全国企业标准“领跑者”。（责任单位：市市场监管局负责）")).toEqual({
      text: "积极培育全国企业标准“领跑者”。",
      annotation: "责任单位：市市场监管局负责",
    });
    expect(splitAnnotation("推动产业集群发展（牵头单位：市工业和信息化局；配合单位：市商务局）")).toEqual({
      text: "推动产业集群发展",
      annotation: "牵头单位：市工业和信息化局；配合单位：市商务局",
    });
    expect(splitAnnotation("加快检测能力建设。责任单位：市市场监管局、市科技局。")).toEqual({ text: "加快检测能力建设。", annotation: "责任单位：市市场监管局、市科技局" });
    expect(splitAnnotation("推动集群发展。（市工业和信息化局、市发展改革局）")).toEqual({ text: "推动集群发展。", annotation: "市工业和信息化局、市发展改革局" });
    // 〔〕 around units that contain （）, and a bank among the units.
    expect(splitAnnotation("推进重大科技成果转化。〔市工业和信息化局、各园区、镇（街）按职责分工负责〕")).toEqual({
      text: "推进重大科技成果转化。",
      annotation: "市工业和信息化局、各园区、镇（街）按职责分工负责",
    });
    expect(splitAnnotation("推动产业链与资金链深度融合。（人民银行东莞市中心支行、市金融工作局按职责分工负责）")).toEqual({
      text: "推动产业链与资金链深度融合。",
      annotation: "人民银行东莞市中心支行、市金融工作局按职责分工负责",
    });
  });

  it("leaves brackets that belong to the text", () => {
    for (const t of ["制定《三年行动计划（2021—2025年）》", "成立专班（由分管副市长任组长）。", "（市工业和信息化局牵头）", "培育一批企业（含“小巨人”企业）。"])
      expect(splitAnnotation(t)).toEqual({ text: t });
  });

  it("is applied at import: the seed plan's paragraphs arrive without their tags", () => {
    const raw = fs.readFileSync(path.resolve("seeds/source/policy-dongfu-2021-10.txt"), "utf8");
    const candidates = splitIntoCandidates(raw, { kind: "policy" });
    const tagged = candidates.filter((c) => c.annotation);
    expect(tagged.length).toBe(9); // every "（市…牵头，…配合）" of 东府〔2021〕10号
    for (const c of tagged) expect(c.text).not.toMatch(/（市工业和信息化局牵头/);
    expect(tagged.map((c) => c.annotation)).toContain("市工业和信息化局牵头，市发展改革委、市科技局、市商务局、市市场监管局配合");
  });
});
