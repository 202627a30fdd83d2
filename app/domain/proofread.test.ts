import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildLetter, type Letter, parseLetterTemplate } from "./letter";
import { applyFixes, type Finding, proofreadLetter, proofreadText, SEVERITY_LABELS } from "./proofread";

const ROOT = path.resolve(__dirname, "../..");
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), "utf8");
const L108 = read("seeds/source/letter-108.txt");
const L109 = read("seeds/source/letter-109.txt");
const POLICIES = ["policy-dongfu-2021-10.txt", "policy-electronic-info-action-plan.txt", "policy-smart-terminal-cluster-2023-2025.txt"];

function seedLetter(n: "108" | "109"): Letter {
  const seed = JSON.parse(read(`seeds/letters/letter-${n}.json`));
  return buildLetter(parseLetterTemplate(JSON.parse(read(`templates/${seed.template}.json`))), seed);
}
const has = (fs: Finding[], rule: string, excerpt: string, count = 1) => {
  const n = fs.filter((f) => f.rule === rule && f.excerpt === excerpt).length;
  expect(n, `${rule} 「${excerpt}」`).toBeGreaterThanOrEqual(count);
};
/** The first space of `s` (where it occurs in `text`) is reported by the spacing rule. */
const spaceAt = (text: string, got: Finding[], s: string) => {
  const at = text.indexOf(s) + s.indexOf(" ");
  expect(
    got.some((f) => f.rule === "spacing" && f.offset === at),
    `spacing in 「${s}」`,
  ).toBe(true);
};
const rulesOf = (text: string, opts = {}) => proofreadText(text, opts).map((f) => f.rule);
/** The text after every must-fix is applied (as "修正全部必须修改项" does): correct text must come back unchanged. */
const mustApplied = (text: string) =>
  applyFixes(
    text,
    proofreadText(text).filter((f) => f.severity === "must"),
  );
const excerptsNear = (text: string, f: Finding) => text.slice(Math.max(0, f.offset - 3), f.offset + f.length + 3);

describe("golden: letter 108 (markdown, page breaks)", () => {
  const got = proofreadText(L108);
  it("reports every error the reference lists", () => {
    has(got, "spacing", " "); // 会议 第10121号, 49 个单位, 5G, 103 家…
    has(got, "structure.title", "关于对");
    has(got, "date.relative", "今年");
    expect(got.find((f) => f.rule === "date.relative" && f.excerpt === "今年")?.suggestion).toBe("2021年"); // from 二〇二一年五月十九日
    has(got, "wordpair", "经过历时");
    has(got, "style.abbreviation", "工信部");
    has(got, "style.abbreviation", "中科院");
    has(got, "punct.enum-comma", "、", 4); // L17 ×1, L25 ×3
    has(got, "punct.range", "-"); // （2020-2022）
    has(got, "char.dropped", "培育和展");
    has(got, "punct.quotes", '"', 6);
    has(got, "number.numeral-style", "6");
    has(got, "char.duplicate", "专"); // 推动专 | 专精特新 across the page break
    has(got, "style.redundant", "超过往年年度总数两倍以上");
    has(got, "style.redundant", "至今落实“拓空间”年度收储任务以来");
    has(got, "date.relative", "近两年");
    has(got, "wordpair", "截止");
    has(got, "structure.signature", "领导签字：");
    has(got, "style.self-reference", "市工信局");
    has(got, "punct.modifier-comma", "，"); // 集成度最高，功能最齐全的 (PUNC-11)
    has(got, "char.swapped", "记忆储存"); // vs 东莞记忆存储科技有限公司 (CHAR-03)
    expect(got.filter((f) => f.rule === "char.swapped").map((f) => [f.excerpt, f.suggestion])).toEqual([["记忆储存", "记忆存储"]]);
    expect(got.filter((f) => f.rule === "punct.modifier-comma").map((f) => excerptsNear(L108, f))).toEqual(["度最高，功能最"]);
    // L37 优质企业，上市企业及上市后备企业，外贸出口企业，…500强企业等 and L41 企业、实现国家级 (PUNC-11)
    expect(got.filter((f) => f.rule === "punct.list-comma").map((f) => [excerptsNear(L108, f), f.suggestion])).toEqual([
      ["质企业，上市企", "、"],
      ["备企业，外贸出", "、"],
      ["口企业，新兴产", "、"],
      ["头企业，世界及", "、"],
    ]);
    expect(got.filter((f) => f.rule === "punct.clause-comma").map((f) => [excerptsNear(L108, f), f.severity, f.suggestion])).toEqual([["”企业、实现国", "check", "，"]]);
    for (const s of ["会议 第10121", "汇集49 个单位", "在 5G", "5G 通讯", "美国 rogers", "103 家", "2020 年“企莞家”"]) spaceAt(L108, got, s);
  });
  it("reports nothing on the must-not-flag list", () => {
    for (const f of got) {
      const near = excerptsNear(L108, f);
      for (const trap of ["市市场", "星星", "纷纷", "往年年度", "第一批", "3.6倍", "3—5个", "二〇二一年"]) {
        if (f.rule !== "style.redundant") expect(near.includes(trap) && f.rule.startsWith("char"), `${f.rule} ${near}`).toBe(false);
      }
    }
    expect(got.filter((f) => f.rule === "char.duplicate").map((f) => f.excerpt)).toEqual(["专"]);
    expect(got.some((f) => f.rule === "date.zero-circle")).toBe(false);
    expect(got.some((f) => f.rule === "punct.unbalanced")).toBe(false);
    expect(got.some((f) => f.rule === "punct.halfwidth")).toBe(false); // 1.5万家, 98.28%, ·
  });
});

describe("golden: letter 109 (PDF text, hard-wrapped)", () => {
  const got = proofreadText(L109);
  it("reports every error the reference lists", () => {
    has(got, "docnumber.format", "〔2021〕109 号");
    expect(got.find((f) => f.rule === "docnumber.format")?.suggestion).toBe("〔2021〕109号");
    has(got, "structure.title", "关于对");
    has(got, "punct.yi-dash", "一", 3);
    has(got, "punct.quotes", '"', 6); // incl. the quote spanning L23→L25
    has(got, "structure.heading-punct", "。"); // 二、…集聚。 vs 一、 三、 without
    has(got, "wordpair", "市委市政府");
    has(got, "number.unit", "亿"); // 30 亿以上
    has(got, "style.self-reference", "工信局"); // 工信局对接引进
    has(got, "punct.enum-comma", "、", 4);
    has(got, "punct.range", "－"); // （2020－2022）
    has(got, "char.dropped", "培育和展");
    has(got, "date.zero-circle", "○");
    has(got, "structure.required", "承办人"); // no 公开方式 line
    has(got, "spacing.line-end", " ");
    for (const s of ["2020 年以来", "近 100", "100 批次", "30 亿以上"]) spaceAt(L109, got, s);
  });
  it("no swapped characters in its names", () => {
    expect(got.filter((f) => f.rule === "char.swapped")).toEqual([]);
  });
  it("joins wrapped lines: a 《》 or “” split over a line break is balanced", () => {
    expect(got.filter((f) => f.rule === "punct.unbalanced")).toEqual([]);
  });
  it("reports nothing on the must-not-flag list", () => {
    expect(got.filter((f) => f.rule === "char.duplicate")).toEqual([]); // 纷纷, 市市场监管局
    expect(got.filter((f) => f.excerpt.includes("-") && f.rule === "punct.range")).toEqual([]); // 光明科学城-松山湖科学城
    expect(got.filter((f) => f.rule === "punct.yi-dash").every((f) => L109.slice(f.offset - 2, f.offset + 3).match(/创新一|转化一/))).toBe(true);
  });
});

describe("golden: the Letter values", () => {
  it("108: parts and offsets", () => {
    const got = proofreadLetter(seedLetter("108"), { requireSignature: true });
    const letter = seedLetter("108");
    for (const f of got) {
      if (!f.part.startsWith("sections.")) continue;
      const b = letter.sections[Number(f.part.split(".")[1])];
      const text = b.type === "paragraph" ? (b.lead?.text ?? "") + b.text : b.type === "heading" ? b.text : "";
      expect(text.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
    }
    expect(got.find((f) => f.rule === "structure.title")?.part).toBe("title");
    expect(got.find((f) => f.rule === "char.duplicate")).toMatchObject({ part: "sections.8", excerpt: "专", suggestion: "" });
    expect(got.find((f) => f.rule === "structure.signature")).toMatchObject({ part: "signature", severity: "must" });
    expect(got.find((f) => f.rule === "date.relative" && f.excerpt === "今年")?.suggestion).toBe("2021年");
    expect(proofreadLetter(seedLetter("108")).some((f) => f.rule === "structure.signature")).toBe(false);
    // 一、 and 二、 typed into their paragraphs, 三、 to 八、 as 行内标题 (proofreading.md: L19/L25+ format consistency)
    expect(got.filter((f) => f.rule === "structure.lead-style").map((f) => [f.part, f.excerpt, f.severity, "suggestion" in f])).toEqual([
      ["sections.1", "一、完善顶层设计。", "should", false],
      ["sections.2", "二、加强组织领导。", "should", false],
    ]);
    // a letter whose headings are all typed in its paragraphs is consistent: nothing to say
    const plain = { ...letter, sections: letter.sections.map((b) => (b.type === "paragraph" && b.lead ? { type: "paragraph" as const, text: b.lead.text + b.text } : b)) };
    expect(proofreadLetter(plain).filter((f) => f.rule === "structure.lead-style")).toEqual([]);
    // a sentence opening with a numeral among them is no heading (一、二季度…)
    const quarters = { ...letter, sections: [...letter.sections, { type: "paragraph" as const, text: "一、二季度全市规上工业增加值同比增长5%。下一步继续推进。" }] };
    expect(
      proofreadLetter(quarters)
        .filter((f) => f.rule === "structure.lead-style")
        .map((f) => f.excerpt),
    ).toEqual(["一、完善顶层设计。", "二、加强组织领导。"]);
  });
  it("109: heading end punctuation, 一 as a dash, no 公开方式", () => {
    const got = proofreadLetter(seedLetter("109"), { requireSignature: true });
    expect(got.find((f) => f.rule === "structure.heading-punct")).toMatchObject({ part: "sections.2", excerpt: "。" });
    expect(got.filter((f) => f.rule === "punct.yi-dash")).toHaveLength(3);
    expect(got.find((f) => f.rule === "structure.required")?.part).toBe("disclosure");
    expect(got.some((f) => f.rule === "structure.signature")).toBe(false); // 詹志斌 is printed
  });
  it("〖〗 marks that do not pair across the letter are a must-fix at the mark; a mark spanning two blocks is fine", () => {
    const base = seedLetter("108");
    const spanning = {
      ...base,
      sections: [
        { type: "heading" as const, level: 2 as const, text: "（三）〖走访情况" },
        { type: "paragraph" as const, text: "某公司经营困难〗。" },
      ],
    };
    expect(proofreadLetter(spanning).filter((f) => f.rule === "redaction.unbalanced")).toEqual([]);
    const unpaired = {
      ...base,
      sections: [
        { type: "paragraph" as const, text: "我局已走访某公司〗，情况属实。" },
        { type: "paragraph" as const, lead: { level: 1 as const, text: "二、" }, text: "联系人〖张三。" },
      ],
    };
    const got = proofreadLetter(unpaired).filter((f) => f.rule === "redaction.unbalanced");
    expect(got).toMatchObject([
      { part: "sections.0", severity: "must", excerpt: "〗", offset: 8, message: expect.stringContaining("没有对应的“〖”") },
      { part: "sections.1", severity: "must", excerpt: "〖", offset: 5, message: expect.stringContaining("隐去到全文末尾") },
    ]);
  });
  it("文号 year against the date, and the 文号 format", () => {
    const l = { ...seedLetter("108"), documentNumber: "东工信函〔2020〕108号" };
    expect(proofreadLetter(l).find((f) => f.rule === "date.docnumber-year")).toMatchObject({ part: "documentNumber", excerpt: "2020", suggestion: "2021", severity: "must" });
    const bad = proofreadLetter({ ...seedLetter("108"), documentNumber: "东工信函[2021]第0108号" }).find((f) => f.rule === "docnumber.format");
    expect(bad).toMatchObject({ part: "documentNumber", excerpt: "[2021]第0108号", suggestion: "〔2021〕108号" });
  });
});

describe("published policy documents are negative fixtures", () => {
  for (const file of POLICIES) {
    it(`${file}: no must-fix finding`, () => {
      const got = proofreadText(read(`seeds/source/${file}`));
      expect(got.filter((f) => f.severity === "must").map((f) => `${f.rule} ${f.excerpt}`)).toEqual([]);
    });
  }
});

describe("rules: wrong is found, right is not", () => {
  const cases: [rule: string, wrong: string, right: string][] = [
    ["date.zero-circle", "二○二一年五月十九日", "二〇二一年五月十九日"],
    ["date.format", "会议于2021.5.19召开。", "会议于2021年5月19日召开。"],
    ["date.format", "该项目于21年3月动工。", "该项目于2021年3月动工。"],
    ["date.format", "通知于2022年03月15日印发。", "通知于2022年3月15日印发。"],
    ["date.relative", "今年3月，集群成功入选。", "2021年3月，集群成功入选。"],
    ["docnumber.format", "东工信函[2021]108号", "东工信函〔2021〕108号"],
    ["docnumber.format", "东工信函〔2021〕第108号", "东工信函〔2021〕108号"],
    ["docnumber.format", "东工信函〔2021〕0108号", "东工信函〔2021〕108号"],
    ["structure.title", "关于对第1号提案的答复", "关于第1号提案的答复"],
    ["structure.numbering", "一、目标\n\n二、重点\n\n四、保障", "一、目标\n\n二、重点\n\n三、保障"],
    ["structure.numbering", "一是完善设计。二是加强领导。二是系统规划。", "一是完善设计。二是加强领导。三是系统规划。"],
    ["structure.numbering", "（一）、战略性支柱产业集群", "（一）战略性支柱产业集群"],
    ["structure.placeholder", "联系电话：XXXX", "联系电话：28685020"],
    ["structure.placeholder", "您提出的《{{案由}}》收悉。", "您提出的《关于加快发展的建议》收悉。"],
    ["punct.halfwidth", "高度重视,全力推进。", "高度重视，全力推进。"],
    ["punct.halfwidth", "全力推进.", "全力推进。"],
    ["punct.halfwidth", "各园区(镇街)领导", "各园区（镇街）领导"],
    ["punct.quotes", '打造"企莞家"服务品牌。', "打造“企莞家”服务品牌。"],
    ["punct.unbalanced", "制定《实施方案等政策。", "制定《实施方案》等政策。"],
    ["punct.enum-comma", "《方案》、《计划》等政策", "《方案》《计划》等政策"],
    ["punct.modifier-comma", "建成集成度最高，功能最齐全的研发中心", "建成集成度最高、功能最齐全的研发中心"],
    ["punct.list-comma", "优先支持优质企业，上市企业，外贸出口企业等。", "优先支持优质企业、上市企业、外贸出口企业等。"],
    ["punct.clause-comma", "推动34家企业认定为“小巨人”企业、实现国家级零的突破。", "推动34家企业认定为“小巨人”企业，实现国家级零的突破。"],
    ["punct.range", "（2020-2022）", "（2020—2022）"],
    ["punct.range", "培育3－5个集群", "培育3—5个集群"],
    ["punct.yi-dash", "源头创新一技术创新一成果转化", "源头创新—技术创新—成果转化"],
    ["punct.doubled", "高度重视，，全力推进。", "高度重视，全力推进。"],
    ["punct.ellipsis", "电子、家电...等", "电子、家电等"],
    ["punct.dash", "工作--重点是招商。", "工作——重点是招商。"],
    ["char.duplicate", "推动专专精特新企业发展。", "推动专精特新企业发展。"],
    ["char.lookalike", "统\u2f00规划", "统一规划"],
    ["char.lookalike", "增长１２％", "增长12%"],
    ["char.lookalike", "产业\u200b集群", "产业集群"],
    ["wordpair", "截止年底有22个项目动工。", "截至年底有22个项目动工。"],
    ["wordpair", "其它企业", "其他企业"],
    ["spacing", "汇集49 个单位", "汇集49个单位"],
    ["spacing", "在 5G 通讯", "在5G通讯"],
    ["spacing", "我局推进\u3000企业发展", "我局推进企业发展"],
    ["spacing", "一、\t加强组织领导", "一、加强组织领导"],
    ["number.range-unit", "增长15～30%", "增长15%～30%"],
    ["number.range-unit", "投资9～16亿元", "投资9亿～16亿元"],
    ["number.mixed", "新增3千家企业", "新增3000家企业"],
    ["number.numeral-style", "设立6大专项", "设立六大专项"],
    ["number.unit", "投资392亿元，其中30亿以上项目7宗。", "投资392亿元，其中30亿元以上项目7宗。"],
    ["style.abbreviation", "工信部官网公示。", "工业和信息化部官网公示。"],
    ["style.redundant", "约有20个项目左右", "约有20个项目"],
  ];
  for (const [rule, wrong, right] of cases) {
    it(`${rule}: ${wrong.replace(/\n/g, "⏎")}`, () => {
      expect(rulesOf(wrong)).toContain(rule);
      expect(rulesOf(right)).not.toContain(rule);
    });
  }
  it("must-not-flag traps", () => {
    for (const t of [
      "市市场监管局",
      "广东星星精密玻璃",
      "领导纷纷赴市外",
      "超过往年年度总数",
      "入选第一批国家先进制造业集群",
      "“光明科学城-松山湖科学城”片区",
      "增长3.6倍",
      "1.加强组织领导。",
      "电话：0769-28685020。",
      "3—5个产值超千亿",
      "统一规划，逐一落实",
      "进一步完善",
      "方方面面扎扎实实",
      "市工信局局长",
      "9:30召开，按1:1配套",
      "全市电子行业增速最快，其中增幅最大的是智能终端",
      "这是规模最大，也是效益最好的企业",
      // parallel phrases rightly joined by 顿号 (seed 003), and a list whose items are clauses of their own
      "培育发展有国际竞争力的先进制造业集群是推进新型工业化、建设制造强国的战略举措。",
      "加快转型、实现升级。",
      "将产业集群培育作为推动我市产业基础高级化、产业链现代化、提升制造业竞争力、建设现代产业体系的重要支撑，加快推动。",
      "推动企业上市，支持企业融资，鼓励企业创新。",
      "支持龙头企业，培育中小企业。",
    ]) {
      expect(
        proofreadText(t).map((f) => `${f.rule} ${f.excerpt}`),
        t,
      ).toEqual([]);
    }
  });
  it("relative words resolve against letterDate", () => {
    const f = proofreadText("上月，去年12月", { letterDate: "2021-01-10" });
    expect(f.map((x) => x.suggestion)).toEqual(["2020年12月", "2020年"]);
  });
  it("成文日期 follows the template's numeral style", () => {
    expect(proofreadText("东莞市人民政府\n\n2021年1月18日", { dateStyle: "chinese" })[0]).toMatchObject({ rule: "date.style", suggestion: "二〇二一年一月十八日" });
    expect(proofreadText("二〇二一年一月十八日", { dateStyle: "arabic" })[0]).toMatchObject({ rule: "date.style", suggestion: "2021年1月18日" });
  });
  it("addressee line needs a full-width colon (free text)", () => {
    const t = "关于第1号提案的答复\n\n民建市委会\n\n您提出的提案收悉。现答复如下：";
    expect(rulesOf(t)).toContain("structure.addressee");
    expect(rulesOf(t.replace("民建市委会", "民建市委会："))).not.toContain("structure.addressee");
  });
  it("labels every severity", () => {
    expect(Object.keys(SEVERITY_LABELS).sort()).toEqual(["check", "must", "should"]);
  });
});

describe("hanzi outside GB 2312 (the body font 仿宋_GB2312 has no glyph for them)", () => {
  const fontFindings = (t: string) => proofreadText(t).filter((f) => f.rule === "char.font");
  it("names each such character where it is, as something to check on the office print, with no fix", () => {
    const text = "道滘镇王堃、刘昇提出𬌗字问题，𰻞𰻞面。";
    const found = fontFindings(text);
    expect(found.map((f) => f.excerpt)).toEqual(["滘", "堃", "昇", "𬌗", "𰻞", "𰻞"]);
    for (const f of found) {
      expect(f.severity).toBe("check");
      expect(f.suggestion).toBeUndefined();
      expect(text.slice(f.offset, f.offset + f.length)).toBe(f.excerpt);
    }
    expect(found[0]!.message).toContain("仿宋_GB2312");
    // 滘 is in GBK (the Word file's 仿宋 has it); 𬌗 and 𰻞 are not: no office font has them, and it says so
    expect(found.map((f) => f.message.startsWith("不在 GBK 字符集中"))).toEqual([false, false, false, true, true, true]);
    expect(fontFindings("吉𠮷")[0]!.message).toContain("仿宋、楷体等公文字体都没有这个字，办公电脑上可能显示为方框");
  });
  it("leaves GB 2312's own hanzi alone, from its first to its last (啊 … 齄), and letter 108", () => {
    expect(fontFindings("啊阿埃亍丌兀齄东莞市莞城街道詹志斌〇，。《》“”")).toEqual([]);
    expect(fontFindings(L108)).toEqual([]);
    expect(fontFindings(L109)).toEqual([]);
  });
});

describe("emoji (no 公文 typeface has them)", () => {
  const emoji = (t: string) => proofreadText(t).filter((f) => f.rule === "char.emoji");
  it("must be deleted, a sequence with its skin tone, joiners and variation selector at once", () => {
    const text = "我局将大力支持😀，成效显著👍🏻，全家👨‍👩‍👧满意❤️。";
    const found = emoji(text);
    expect(found.map((f) => f.excerpt)).toEqual(["😀", "👍🏻", "👨‍👩‍👧", "❤️"]);
    for (const f of found) expect(f).toMatchObject({ severity: "must", suggestion: "" });
    expect(applyFixes(text, found)).toBe("我局将大力支持，成效显著，全家满意。");
  });
  it("leaves marks a letter may use alone: ★ ○ 〇 ① √ © ® ™, and the seed letters", () => {
    expect(emoji("★重点 ○一般 二〇二一年 ① √ 某品牌® 某商标™ ©2021")).toEqual([]);
    expect(emoji(L108)).toEqual([]);
    expect(emoji(L109)).toEqual([]);
  });
});

describe("applyFixes", () => {
  const texts = { L108, L109, ...Object.fromEntries(POLICIES.map((p) => [p, read(`seeds/source/${p}`)])) };
  for (const [name, text] of Object.entries(texts)) {
    it(`${name}: idempotent, and nothing fixable is left`, () => {
      const once = applyFixes(text, proofreadText(text));
      const again = proofreadText(once);
      expect(again.filter((f) => f.suggestion !== undefined).map((f) => `${f.rule} ${f.excerpt}`)).toEqual([]);
      expect(applyFixes(once, again)).toBe(once);
    });
  }
  it("fixes the seed errors", () => {
    const fixed = applyFixes(L109, proofreadText(L109));
    expect(fixed).toContain("东工信函〔2021〕109号");
    expect(fixed).toContain("“源头创新—技术创新—成果转化—企业培育”");
    expect(fixed).toContain("二〇二一年五月十九日");
    expect(fixed).toContain("市委、市政府");
    expect(fixed).toContain("30亿元以上");
    expect(applyFixes("推动专专精特新", proofreadText("推动专专精特新"))).toBe("推动专精特新");
  });
});

describe("review of 2026-12-01: correct text stays correct when every must-fix is applied", () => {
  it("110千伏 and 2000千伏安 are units, not 110000伏", () => {
    const text = "新建110千伏变电站两座，新增变电容量2000千伏安。";
    expect(mustApplied(text)).toBe(text);
    expect(rulesOf(text)).not.toContain("number.mixed");
  });
  it("一 as a numeral (一边…一边, 这一…另一, 每一名…每一位) is not a dash", () => {
    for (const text of ["我局一边加强监管一边优化服务企业。", "这一政策与另一政策相衔接。", "建设一中心一平台。", "每一名员工每一位干部都要参与。"]) {
      expect(rulesOf(text), text).not.toContain("punct.yi-dash");
      expect(mustApplied(text)).toBe(text);
    }
    // the real thing is still found
    expect(rulesOf("推动源头创新一技术创新一成果转化一体化发展。")).toContain("punct.yi-dash");
  });
  it("a doubled given name (李婷婷, 王芳芳委员) is for a person to check, never a must-fix that blocks signing", () => {
    for (const text of ["承办人姓名：李婷婷\n联系电话：22830000", "王芳芳委员：\n您提出的提案收悉。"]) {
      const dup = proofreadText(text).filter((f) => f.rule === "char.duplicate");
      expect(dup.length, text).toBeGreaterThan(0);
      expect(
        dup.every((f) => f.severity === "check" && f.suggestion === undefined),
        text,
      ).toBe(true);
    }
    // a doubled character inside a sentence is still found, its fix one click away
    expect(proofreadText("加快推进进产业集群发展。").find((f) => f.rule === "char.duplicate")).toMatchObject({ severity: "should", suggestion: "" });
  });
  it("straight quotes nested in curly ones are not paired with them", () => {
    const text = '落实“推动"专精特新"企业高质量发展”的建议。';
    expect(mustApplied(text)).not.toContain("“推动”专精特新“");
  });
  it("a count after 万 (1.1万多家, 1万余家, 1053万，) gets no one-click 万元", () => {
    const text = "全市投入资金3亿元、2万元。规上工业企业1.1万多家，服务企业超过1万余家，常住人口1053万，增长明显。";
    const unit = proofreadText(text).filter((f) => f.rule === "number.unit");
    expect(unit.filter((f) => f.suggestion !== undefined)).toEqual([]);
    expect(applyFixes(text, proofreadText(text))).not.toMatch(/万元多家|万元余家|1053万元/);
  });
});

describe("review of 2026-12-01 (second): ordinary 公文 wording stays as written; what the reference lists is found", () => {
  it("a character that ends one word and starts the next is not a doubled character", () => {
    for (const text of [
      "会议议程安排。",
      "商会会长、协会会员参加。",
      "市人大常委会会议召开。",
      "落实财政政策，保障员工工资。",
      "公布重点项目目录。",
      "建设工业互联网网络，打造科技创新新高地。",
      "党委委员参加。",
      "东部部分地区。",
      "实现目的的途径。",
      "问题是是否落实。",
      "发展房地产产业。",
      "人才等等方面。",
      // the proofreading review of 2026-12-03: 修正全部必须修改项 deleted a character of each
      "依据《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》。",
      "报中华人民共和国国务院批准，我国国有企业改革深化。",
      "压实责任任务，统筹协调调度，各项任务务必按期完成。",
      "开展展会招商，协同同步推进，盘活工业用地地块，形成成熟经验，组成成员单位。",
      "共享征信信息，规范申报报告，填报报表，储备设备备品备件，推广充电电池，服务电商商户。",
    ]) {
      expect(mustApplied(text), text).toBe(text);
    }
    // inside a phrase a doubled character is for the clerk to confirm, one click each
    for (const [typed, fixed] of [
      ["推动专专精特新企业发展。", "推动专精特新企业发展。"],
      ["加快推进进产业集群发展。", "加快推进产业集群发展。"],
    ]) {
      const dup = proofreadText(typed).filter((f) => f.rule === "char.duplicate");
      expect(dup.map((f) => f.severity)).toEqual(["should"]);
      expect(applyFixes(typed, dup)).toBe(fixed);
    }
    // at a clause's start no word ends before it: a must-fix
    expect(mustApplied("按计划，推推进产业集群发展。")).toBe("按计划，推进产业集群发展。");
  });
  it("一 in a slogan (一网通办一网统管, 一园区一主题一特色) is for a person to decide; between noun phrases it is a must-fix", () => {
    for (const text of ["推进政务服务一网通办一网统管。", "建设一园区一主题一特色。"]) {
      expect(mustApplied(text), text).toBe(text);
    }
    expect(proofreadText("推动源头创新一技术创新一成果转化一体化发展。").filter((f) => f.rule === "punct.yi-dash" && f.severity === "must")).toHaveLength(2);
  });
  it("the character 一 or the radical ⼀ between two years is a range's dash", () => {
    for (const text of ["（2020一2022年）", "（2020⼀2022年）"]) {
      expect(mustApplied(text), text).toBe("（2020—2022年）");
    }
  });
  it("a bracket half full-width, half not, is a must-fix", () => {
    expect(mustApplied("实施方案（2021—2025年)。")).toBe("实施方案（2021—2025年）。");
    expect(mustApplied("实施方案(2021—2025年）。")).toBe("实施方案（2021—2025年）。");
  });
  it("工信部门 and 关于对外贸易 are words of their own; a relative date word inside another word is none", () => {
    expect(rulesOf("加强与科技部门、工信部门的沟通。")).not.toContain("style.abbreviation");
    expect(rulesOf("工信部印发通知。")).toContain("style.abbreviation");
    expect(rulesOf("关于对外贸易企业转型升级的提案收悉。")).not.toContain("structure.title");
    for (const text of ["该项目目前年产值10亿元。", "过去年均增长10%。", "如今年轻人就业。"]) {
      expect(rulesOf(text, { letterDate: "2021-05-19" }), text).not.toContain("date.relative");
    }
    expect(rulesOf("去年产值增长10%。", { letterDate: "2021-05-19" })).toContain("date.relative");
  });
  it("a standard's number (GB/T 9704-2012) and a phone extension are not ranges; 万 after a count gets no 元", () => {
    for (const text of ["执行GB/T 9704-2012标准。", "执行GB 50016-2014《建筑设计防火规范》。", "电话：22831234-801。"]) {
      expect(rulesOf(text), text).not.toContain("punct.range");
    }
    const text = "投资10万元。常住人口约1000万以上。";
    expect(proofreadText(text).filter((f) => f.rule === "number.unit" && f.suggestion !== undefined)).toEqual([]);
  });
  it("a long hard-wrapped paste (one paragraph of 20,000 lines) does not overflow the stack", () => {
    const lines = Array.from({ length: 20000 }, () => "东莞市工业和信息化局推动制造业高质量发展推动制造业高").join("\n");
    expect(() => proofreadText(lines)).not.toThrow();
  });
});

describe("a letter's paragraphs: marks left open", () => {
  const letterWith = (texts: string[]) => {
    const seed = JSON.parse(read("seeds/letters/letter-108.json"));
    return buildLetter(parseLetterTemplate(JSON.parse(read(`templates/${seed.template}.json`))), {
      ...seed,
      sections: texts.map((text) => ({ type: "paragraph", text })),
    });
  };
  it("an opener left open in a body paragraph is a must-fix, where it is", () => {
    const got = proofreadLetter(letterWith(["根据《东莞市加快先进制造业发展实施意见，我局推动“专精特新企业发展（详见附件。", "第二段正文。"]));
    const open = got.filter((f) => f.rule === "punct.unbalanced");
    expect(open.map((f) => [f.part, f.excerpt])).toEqual([
      ["sections.0", "《"],
      ["sections.0", "“"],
      ["sections.0", "（"],
    ]);
    expect(open.every((f) => f.severity === "must")).toBe(true);
  });
  it("a quotation running on into the next paragraph (which opens with “ again) is not", () => {
    const got = proofreadLetter(letterWith(["文件指出：“第一，加快发展。", "“第二，强化保障。”", "第三段正文。"]));
    expect(got.filter((f) => f.rule === "punct.unbalanced")).toEqual([]);
  });
});

describe("review of 2026-12-02: one click no longer changes correct text", () => {
  it("a character ending one word and starting the next (中国|国际, 产业链|链长, 会议|议定…) is not deleted", () => {
    for (const text of [
      "参加中国国际进口博览会。",
      "推行产业链链长制。",
      "落实会议议定事项。",
      "加快实现现代化。",
      "增加中小学学位供给。",
      "促进进出口稳定增长。",
      "落实重要要求。",
      "立足广东东莞实际。",
      "总结经验，发展展望。",
    ]) {
      expect(
        proofreadText(text).filter((f) => f.rule === "char.duplicate" && f.severity === "must"),
        text,
      ).toEqual([]);
      expect(mustApplied(text)).toBe(text);
    }
    // the seed letter's doubled character is still found, and its 改正 removes it
    expect(applyFixes("推动专专精特新", proofreadText("推动专专精特新"))).toBe("推动专精特新");
  });
  it("一 before a measure word (一所小学和一所幼儿园) is a numeral, not a dash", () => {
    for (const text of ["新建一所小学和一所幼儿园。", "组建一支专业队伍和一支志愿者队伍。", "举办一场招商会和一场对接会。", "建设一栋厂房和一栋宿舍。"]) {
      expect(rulesOf(text), text).not.toContain("punct.yi-dash");
      expect(mustApplied(text)).toBe(text);
    }
  });
  it("千/百 at the end of a range is not rewritten alone (1-2千人 is 1000–2000, not 1–2000)", () => {
    for (const text of ["吸引1-2千人就业。", "培育2～3千家企业。", "产值3.5-4.5千亿元。", "投资3—5千万元。"]) {
      const fixed = applyFixes(text, proofreadText(text));
      expect(fixed, text).not.toMatch(/1-2000人|2～3000家|3\.5-4500亿|3千万—/);
      expect(
        rulesOf(text).some((r) => r === "number.mixed" || r === "number.range-unit"),
        text,
      ).toBe(true);
    }
    // a number alone is still fixed
    expect(applyFixes("培育3千家企业。", proofreadText("培育3千家企业。"))).toBe("培育3000家企业。");
  });
  it("既……又…… and 全部份额 are not the typos 既使/既便/部份", () => {
    for (const text of ["既便于企业办事，又便于部门监管。", "既使企业受益，又使群众满意。", "持有全部份额。", "调整内部份额。"]) {
      expect(rulesOf(text), text).not.toContain("wordpair");
      expect(mustApplied(text)).toBe(text);
    }
    expect(applyFixes("既使困难再大也要完成。", proofreadText("既使困难再大也要完成。"))).toBe("即使困难再大也要完成。");
    expect(applyFixes("部份企业。", proofreadText("部份企业。"))).toBe("部分企业。");
  });
});

describe("review of 2026-12-02 (second): headings, marks and words around 今年/明年", () => {
  it("a numbered heading before 贵单位… is not an addressee line; a comma ending the addressee is replaced by the colon", () => {
    for (const text of ["一、关于贵单位提出的第一项建议\n贵单位提出的建议很有价值。", "二、关于资金支持\n您提到的资金问题。"]) {
      expect(rulesOf(text), text).not.toContain("structure.addressee");
    }
    expect(applyFixes("张明委员，\n您提出的提案收悉。", proofreadText("张明委员，\n您提出的提案收悉。"))).toBe("张明委员：\n您提出的提案收悉。");
  });
  it("今年/明年 inside other words (至今年均, 注明年份, 写明年月日) is not a relative date", () => {
    for (const text of ["2016年至今年均增长12.5%。", "请注明年份。", "请写明年月日。"]) {
      expect(rulesOf(text, { letterDate: "2021-05-19" }), text).not.toContain("date.relative");
    }
    expect(rulesOf("今年产值增长10%。", { letterDate: "2021-05-19" })).toContain("date.relative");
  });
});

describe("tenth session: a quotation over several paragraphs in text mode", () => {
  it("each paragraph reopens the quotation with “ and only the last closes it: nothing unpaired", () => {
    const text = "座谈会上，企业代表提出：\n“一是希望加大对中小企业的扶持力度。\n“二是希望简化审批流程。\n“三是希望加强人才引进。”\n会后我局逐条研究。";
    expect(proofreadText(text).filter((f) => f.rule === "punct.unbalanced")).toEqual([]);
    // a quotation left open at the end is still found, once
    const open = "企业代表提出：\n“一是希望加大扶持力度。\n“二是希望简化审批流程。\n会后我局逐条研究。";
    const found = proofreadText(open).filter((f) => f.rule === "punct.unbalanced");
    expect(found).toHaveLength(1);
    expect(open[found[0]!.offset]).toBe("“");
  });
});

describe("tenth session: the letter's own 文号 with 签发人 on its line", () => {
  it("is the letter's own number: its year is checked against the date", () => {
    const own = "东工信函〔2020〕108号　　签发人：张志斌\n关于对某提案的答复\n张明委员：\n正文。\n\n东莞市工业和信息化局\n2021年5月19日";
    expect(rulesOf(own)).toContain("date.docnumber-year");
    const right = own.replace("〔2020〕", "〔2021〕");
    expect(rulesOf(right)).not.toContain("date.docnumber-year");
  });
});

describe("tenth session: 一、二季度 at a line's start", () => {
  it("is two quarters, not a first-level heading (no numbering finding); a real 一、 heading still counts", () => {
    // read as 一、 it restarted the count, and the 三、 after it was "不连续"
    const text = "一、总体情况\n今年以来全市工业平稳增长。\n二、工作成效\n一、二季度全市规上工业增加值增长5.2%。\n三、下一步工作\n继续抓好稳增长。";
    expect(proofreadText(text).filter((f) => f.rule === "structure.numbering")).toEqual([]);
    // a heading skipped is still found
    const skipped = "一、总体情况\n今年以来全市工业平稳增长。\n三、下一步工作\n继续抓好稳增长。";
    expect(proofreadText(skipped).filter((f) => f.rule === "structure.numbering")).toHaveLength(1);
  });
});

describe("review of 2026-12-02 (third): list markers inside a paragraph, a cited 文号", () => {
  it("1）…；2）… inside a paragraph are list markers, not unpaired brackets", () => {
    const text = "下一步工作如下：1）加强组织领导；2）完善配套政策；3）强化督查考核。";
    expect(rulesOf(text)).not.toContain("punct.unbalanced");
    // a stray bracket in a sentence is still found
    expect(rulesOf("加强组织领导）完善政策。")).toContain("punct.unbalanced");
  });
  it("a 文号 cited in a sentence near the top is not the letter's own: its year is not 'corrected'", () => {
    const text =
      "东莞市工业和信息化局关于加快发展的答复\n\n张明委员：\n根据《广东省人民政府关于印发某方案的通知》（粤府函〔2020〕82号），现答复如下：\n一、总体情况\n正文。\n\n东莞市工业和信息化局\n2021年5月19日";
    expect(rulesOf(text)).not.toContain("date.docnumber-year");
    // the letter's own number, on its own line, still is checked
    const own = "东工信函〔2020〕108号\n关于对某提案的答复\n张明委员：\n正文。\n\n东莞市工业和信息化局\n2021年5月19日";
    expect(rulesOf(own)).toContain("date.docnumber-year");
  });
});

describe("review of 2026-12-02 (fourth): the 附件 list", () => {
  it("is numbered on its own: 附件：1.… 2.… after body items 1.–3. is not 不连续", () => {
    const text = "一、总体情况\n1.加强领导。\n2.完善政策。\n3.强化考核。\n附件：1.重点项目清单\n2.企业名单";
    expect(rulesOf(text)).not.toContain("structure.numbering");
    expect(rulesOf("一、总体情况\n1.加强领导。\n3.完善政策。")).toContain("structure.numbering");
  });
});

describe("review of 2026-12-02 (fifth): a single ―", () => {
  it("is flagged without a one-click 破折号 (it may be a 一字线); ―― is still fixed to ——", () => {
    const text = "推动源头创新―技术创新―成果转化。";
    const dash = proofreadText(text).filter((f) => f.rule === "punct.dash");
    expect(dash.length).toBe(2);
    expect(dash.every((f) => f.suggestion === undefined)).toBe(true);
    expect(applyFixes("我局――市工信局", proofreadText("我局――市工信局"))).toBe("我局——市工信局");
  });
});

describe("proofreading review of 2026-12-03", () => {
  it("the same doubled character typed twice is found twice (its copies no longer vouch for each other)", () => {
    const text = "推动专专精特新企业发展。下一步继续推动专专精特新企业发展。";
    const dup = proofreadText(text).filter((f) => f.rule === "char.duplicate");
    expect(dup.map((f) => f.offset)).toEqual([3, text.indexOf("专专", 10) + 1]);
    expect(applyFixes(text, dup)).toBe("推动专精特新企业发展。下一步继续推动专精特新企业发展。");
    // a word the document uses elsewhere still excuses a boundary it meets (会议|议程 beside 会议 and 议程)
    expect(rulesOf("审议报告。明确议程。审议议程安排。")).not.toContain("char.duplicate");
  });
  it("一 after a verb starts a numeral slogan (建立一重点项目一牵头领导一工作专班): for a person to decide, never fixed in bulk", () => {
    const text = "建立一重点项目一牵头领导一工作专班机制，确保项目按期推进。";
    expect(mustApplied(text)).toBe(text);
    expect(
      proofreadText(text)
        .filter((f) => f.rule === "punct.yi-dash")
        .every((f) => f.severity === "should"),
    ).toBe(true);
    // four characters or more before the first 一 and between the others: the real thing
    expect(mustApplied("源头创新一技术创新一成果转化一企业培育。")).toBe("源头创新—技术创新—成果转化—企业培育。");
  });
});

describe("a day that does not exist", () => {
  it("2021年2月30日, 二〇二一年四月三十一日 and 13月 are must-fixes with no guess at the right day; real days are not", () => {
    const text = "我局于2021年2月30日召开会议，2021年13月5日前完成，2024年2月29日已验收。\n二〇二一年四月三十一日";
    const found = proofreadText(text).filter((f) => f.rule === "date.invalid");
    expect(found.map((f) => f.excerpt)).toEqual(["2021年2月30日", "2021年13月5日", "二〇二一年四月三十一日"]);
    expect(found.every((f) => f.severity === "must" && f.suggestion === undefined)).toBe(true);
    expect(found[0]!.message).toContain("2021年2月只有28天");
    expect(found[1]!.message).toContain("月份应为1至12");
    expect(
      proofreadText("2021年0月5日、2021年5月0日")
        .filter((f) => f.rule === "date.invalid")
        .map((f) => f.message.match(/（(.+)）/)![1]),
    ).toEqual(["月份应为1至12", "日应从1起"]);
    expect(rulesOf("2020年2月29日、二〇二一年五月十九日")).not.toContain("date.invalid");
  });
});

describe("review of 2026-12-02 (diff review): the exceptions stay narrow", () => {
  it("截至今年6月底, 编写明年工作计划 and 从去年至今年 are still relative dates", () => {
    for (const text of ["截至今年6月底，累计完成投资。", "编写明年工作计划。", "从去年至今年，产值持续增长。", "关注今年以来的新情况。"]) {
      expect(rulesOf(text, { letterDate: "2021-05-19" }), text).toContain("date.relative");
    }
  });
  it("a real doubled character next to a boundary word (加强现现场, 推动学学科, 扩大进进口) is still found, its fix offered", () => {
    for (const text of ["加强现现场管理。", "推动学学科建设。", "扩大进进口贸易。"]) {
      expect(
        proofreadText(text).find((f) => f.rule === "char.duplicate"),
        text,
      ).toMatchObject({ severity: "should", suggestion: "" });
    }
  });
  it("既使 is a typo unless 又使 follows; 附件2所列 in a sentence is no list; 增长 5）平方米 is an unpaired bracket", () => {
    expect(applyFixes("既使有困难，但经过努力又取得成绩。", proofreadText("既使有困难，但经过努力又取得成绩。"))).toBe("即使有困难，但经过努力又取得成绩。");
    expect(rulesOf("一、总体情况\n二、主要做法\n附件：1.清单\n2.名单\n三、下一步计划")).not.toContain("structure.numbering");
    expect(rulesOf("面积增长 5）平方米。")).toContain("punct.unbalanced");
  });
});

describe("review of 2026-12-03: numbering that starts again at 1", () => {
  it("without a new item above it is named (STR-04); under a new heading, or in the 附件 list, it is not", () => {
    const numbering = (text: string) => proofreadText(text).filter((f) => f.rule === "structure.numbering");
    const twice = "一、主要措施\n1.加强领导。\n2.完善政策。\n3.强化督查。\n1.做好宣传。\n2.优化服务。";
    expect(numbering(twice).map((f) => [f.severity, f.excerpt, f.message.split("：")[0]])).toEqual([
      ["should", "1.", "“1.”层级的序号重新从1开始，但前面没有新的上级标题（上一组编到3）"],
    ]);
    for (const fine of ["一、主要措施\n1.加强领导。\n2.完善政策。\n二、下一步工作\n1.做好宣传。\n2.优化服务。", "1.加强领导。\n2.完善政策。\n\n附件：1.重点项目清单\n2.联系人名单"])
      expect(numbering(fine), fine).toEqual([]);
  });
});
