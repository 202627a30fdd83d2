import { describe, expect, it } from "vitest";
import { coverage, inverseDocumentFrequencies, proposerKey, queryBigrams, rankSimilarLetters, sharedPhrases, topicText, type LetterCandidate } from "./relevance";
import { normalizeForSearch } from "./library";

const letter = (id: number, title: string, proposers: string[], body: string): LetterCandidate => ({
  letterId: id,
  proposalId: id,
  documentNumber: `东工信函〔2021〕${id}号`,
  title,
  proposers,
  body,
  date: "2021-05-19",
});
const L108 = letter(
  108,
  "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
  ["民建市委会"],
  "为推动东莞市智能移动终端产业集群发展，我局牵头会同成员单位，推动集群争创全国先进制造业产业集群。完善顶层设计。加强组织领导。优化对企服务，打造企莞家服务品牌。",
);
const L109 = letter(
  109,
  "关于加快构建莞深高新技术产业协同发展共同体的建议",
  ["殷毓德"],
  "推动莞深产业功能互补和产业链衔接，加强产业链招商和供应链招商，共建世界级先进制造业集群。",
);
const FOOD = letter(7, "关于支持食品饮料产业发展的建议", ["某委员"], "打造东莞区域特色食品饮料产业集群，培育功能性食品。");

describe("similar past replies", () => {
  it("rank the same proposer on the same topic first, and say why", () => {
    const r = rankSimilarLetters({ title: "关于加快智能终端产业集群发展的建议", proposers: ["民建市委会"] }, [L109, FOOD, L108]);
    // 109 (no shared topic in its short text here) and the food letter stay below the threshold.
    expect(r.map((x) => x.letterId)).toEqual([108]);
    expect(r[0]!.reason).toBe("同一提案者；主题相近：智能终端产业");
  });

  it("show nothing for an unrelated topic, rather than noise", () => {
    expect(rankSimilarLetters({ title: "关于加强城市夜间照明管理的建议", proposers: ["张三"] }, [L108, L109, FOOD])).toEqual([]);
  });

  it("read the proposal's own text when there is one, and say so", () => {
    const text = "建议推动智能移动终端产业集群争创国家先进制造业集群，完善顶层设计，加强组织领导，打造企莞家服务品牌。";
    const r = rankSimilarLetters({ title: "关于进一步支持制造业的建议", proposers: ["钱七"], text }, [L109, L108, FOOD]);
    expect(r[0]!.letterId).toBe(108);
    expect(r[0]!.reason).toContain("提案原件所提事项在该函中多有答复");
  });

  it("compare proposers without 委员 and 等N位", () => {
    expect(proposerKey("张三等3位委员")).toBe("张三");
    expect(proposerKey(" 民建 市委会 ")).toBe("民建市委会");
  });
});

describe("text measures", () => {
  const idf = inverseDocumentFrequencies([topicText(L108.body), topicText(L109.body)]);
  it("coverage is the share of the query a text contains, whatever the text's length", () => {
    const q = topicText("完善顶层设计");
    expect(coverage(q, topicText(L108.body), idf)).toBe(1);
    expect(coverage(q, topicText(L108.body + L109.body.repeat(20)), idf)).toBe(1);
    expect(coverage(q, topicText(L109.body), idf)).toBe(0);
  });
  it("shared phrases skip function words and generic pairs", () => {
    expect(sharedPhrases(topicText("关于加快智能终端产业集群发展的建议"), topicText(L108.title))).toEqual(["智能终端产业"]);
    // the longest shared phrase first: a shorter one read before it does not cut it (匹配：字化转型、企业数)
    expect(sharedPhrases("推动企业数字化转型", "规上企业数量增长，推进数字化转型")).toEqual(["数字化转型", "企业"]);
    // a phrase starts and ends where the query's words do: 企业 inside 中小企业 is not the query's word
    expect(sharedPhrases("推动中小企业数字化转型", "规上企业数量增长，推进数字化转型")).toEqual(["数字化转型"]);
    // nor the piece across two words that is a word of the other text (推动|工业 → 动工, 优化|工业 → 化工)
    expect(sharedPhrases("推动工业设计中心建设", "全年54个产业项目动工、投产")).toEqual([]);
    expect(sharedPhrases("优化工业营商环境", "推进化工园区认定")).toEqual([]);
    expect(sharedPhrases("推动工业设计中心建设", "支持工业设计中心建设")).toEqual(["工业设计中心建设"]);
    // a one-character suffix ICU leaves alone belongs to its word (制造|业): not 业数字化转型
    expect(sharedPhrases("推动制造业数字化转型", "推进产业数字化转型")).toEqual(["数字化转型"]);
    expect(sharedPhrases("推动制造业数字化转型", "深化制造业数字化转型")).toEqual(["制造业数字化转型"]);
    expect(sharedPhrases("培育专精特新企业", "支持专精特新中小企业")).toEqual(["专精特新", "企业"]);
    // (found by a review: each a piece of one of the query's words)
    expect(sharedPhrases("培育专精特新企业", "扶持创新企业")).toEqual(["企业"]);
    expect(sharedPhrases("发展工业互联网", "推广物联网")).toEqual([]);
    // and what is not a suffix starts a word of its own: 高质量发展, 降低企业
    expect(sharedPhrases("推动制造业高质量发展", "推动服务业高质量发展")).toEqual(["高质量发展", "推动"]);
    expect(sharedPhrases("降低企业用电成本", "降低企业用能成本")).toEqual(["降低企业", "成本"]);
    // figures alone (a year cut in two) name no topic
    expect(sharedPhrases("2021年完善顶层设计", "截至2020年底，完善顶层设计")).toEqual(["完善顶层设计"]);
  });
});

describe("the bigrams a proposal's text is looked up by", () => {
  it("leave out the pieces of Latin words (script → cr, ri…: they matched LED and Micro), keep acronyms and Chinese", () => {
    expect(queryBigrams(normalizeForSearch("关于<script>alert(1)</script>的产业建议"))).toEqual(["关于", "的产", "产业", "业建", "建议"]);
    // an acronym beside it keeps its own bigrams
    const withLed = queryBigrams(normalizeForSearch("关于<script>alert(1)</script>的LED产业建议"));
    expect(withLed).toEqual(expect.arrayContaining(["le", "ed", "d产", "产业"]));
    for (const g of ["cr", "ri", "rt", "t1"]) expect(withLed).not.toContain(g);
    expect(queryBigrams(normalizeForSearch("推进5G和ERP应用"))).toEqual(expect.arrayContaining(["5g", "er", "rp", "应用"]));
    expect(queryBigrams("智能终端")).toEqual(["智能", "能终", "终端"]);
  });
});
