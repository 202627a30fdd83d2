import { describe, expect, it } from "vitest";
import {
  applyDraftOp,
  draftDiff,
  draftLines,
  draftProblems,
  draftToLetterInput,
  emptyDraft,
  foldUnchanged,
  isEditedFromLibrary,
  liftTypedLeads,
  sanitizeDraft,
  textDiff,
  withoutDefaultAddressee,
  type Draft,
  type DraftBlock,
} from "./draft";
import { parseWithZod } from "@conform-to/zod/v4";
import replyTemplateJson from "../../templates/reply-dg-gxj.json";
import { buildLetter, letterProblems, parseLetterTemplate } from "./letter";
import { draftFormSchema, draftFromForm, opValue, readEditorOp } from "./draft-form";

const p = (id: string, text: string, extra: Partial<DraftBlock> = {}): DraftBlock => ({ id, type: "paragraph", text, ...extra }) as DraftBlock;
const base = (blocks: DraftBlock[]): Draft => ({ ...emptyDraft("28685020", false), blocks, outcome: "A", disclosure: "主动公开" });

describe("editing operations", () => {
  const d = base([p("a", "甲"), p("b", "乙"), p("c", "丙")]);
  const order = (x: Draft) => x.blocks.map((b) => b.id).join("");

  it("reorder, remove and add without touching the original", () => {
    expect(order(applyDraftOp(d, { op: "up", index: 2 }))).toBe("acb");
    expect(order(applyDraftOp(d, { op: "down", index: 0 }))).toBe("bac");
    expect(order(applyDraftOp(d, { op: "remove", index: 1 }))).toBe("ac");
    const added = applyDraftOp(d, { op: "add", kind: "heading1", index: 0 });
    expect(added.blocks[0]).toMatchObject({ type: "heading", level: 1, text: "" });
    expect(order(d)).toBe("abc");
  });

  it("ignores operations outside the list", () => {
    expect(order(applyDraftOp(d, { op: "up", index: 0 }))).toBe("abc");
    expect(order(applyDraftOp(d, { op: "down", index: 2 }))).toBe("abc");
    expect(order(applyDraftOp(d, { op: "remove", index: 9 }))).toBe("abc");
  });
});

describe("what blocks a submission", () => {
  it("an empty body, empty blocks, leftover placeholders, no outcome or disclosure, a missing reason, a bad phone", () => {
    const bad: Draft = { ...emptyDraft("电话", false), blocks: [p("a", ""), p("b", "您提出的《{案由}》")], disclosure: "不予公开" };
    expect(draftProblems(bad, { requireOutcome: true, requireDisclosure: true }).map((x) => x.message)).toEqual([
      "第 1 段是空的：请填写或删除",
      "第 2 段还有未替换的占位符 {案由}",
      "请选择办理结果分类",
      "选择“不予公开”须说明理由",
      "联系电话格式不正确，例如 28685020 或 0769-28685020",
    ]);
    expect(draftProblems(base([]), { requireOutcome: true, requireDisclosure: true })[0].message).toBe("答复正文不能为空：请至少写一段正文");
    expect(draftProblems(base([p("a", "正文")]), { requireOutcome: true, requireDisclosure: true })).toEqual([]);
  });

  it("a heading with no text after it, at the end of the letter, is refused (it printed alone above the signature)", () => {
    const h = (id: string, text: string) => ({ id, type: "heading", level: 1, text }) as DraftBlock;
    expect(draftProblems(base([p("a", "正文"), h("h", "三、下一步工作")]), { requireOutcome: true, requireDisclosure: true }).map((x) => x.message)).toEqual([
      "第 2 段是标题，其后没有正文：请补写正文，或删除该标题",
    ]);
    expect(draftProblems(base([h("h", "一、总体情况"), p("a", "正文")]), { requireOutcome: true, requireDisclosure: true })).toEqual([]);
  });

  it("what signing would refuse is refused at 提交签发 too: an empty table, a full-width or long placeholder", () => {
    const table = (id: string, rows: string[][], caption?: string) => ({ id, type: "table", rows, ...(caption ? { caption } : {}) }) as DraftBlock;
    const d = base([
      p("a", "正文"),
      table("t", []),
      table("u", [["", ""]]),
      p("b", "请填写｛单位名称｝的情况"),
      p("c", "{请补充2024年度完成的项目数量和资金金额}"),
      table("v", [["项目", "金额"]], "表1 {表题}"),
    ]);
    const messages = draftProblems(d, { requireOutcome: true, requireDisclosure: true }).map((x) => x.message);
    expect(messages).toEqual([
      "第 2 段的表格是空的：请填写或删除",
      "第 3 段的表格是空的：请填写或删除",
      "第 4 段还有未替换的占位符 ｛单位名称｝",
      "第 5 段还有未替换的占位符 {请补充2024年度完成的项目数量和资金金额}",
      "第 6 段还有未替换的占位符 {表题}",
    ]);
    // and each of them is one the letter's own check refuses at 签发
    const facts = { meeting: "会议", number: "1", title: "关于某事的建议", proposers: [{ kind: "member" as const, name: "殷毓德" }], handlerName: "李泳" };
    const letter = buildLetter(parseLetterTemplate(replyTemplateJson), draftToLetterInput(facts, d));
    expect(letterProblems(letter).filter((m) => /表格为空|占位符/.test(m))).toHaveLength(5);
  });

  it("the leader's diff shows a change of 主送 (a 会办意见 sent to another unit)", () => {
    const before = draftLines({ ...base([p("a", "正文")]), addressee: "市发展和改革局" });
    const after = draftLines({ ...base([p("a", "正文")]), addressee: "市财政局" });
    expect(before[0]).toBe("主送：市发展和改革局");
    expect(after).not.toEqual(before);
    expect(draftLines(base([p("a", "正文")]))[0]).toBe("正文");
  });
});

describe("library paragraphs in a draft", () => {
  const src = { paragraphId: 1, versionId: 10, versionNo: 2, title: "完善顶层设计", originalText: "制定出台政策。" };
  it("know whether they were edited after insertion", () => {
    expect(isEditedFromLibrary(p("a", "制定出台政策。", { source: src }))).toBe(false);
    expect(isEditedFromLibrary(p("a", "制定出台政策。 ", { source: src }))).toBe(false);
    expect(isEditedFromLibrary(p("a", "制定出台新政策。", { source: src }))).toBe(true);
    expect(isEditedFromLibrary(p("a", "自由文字"))).toBe(false);
    // the library's PDF spaces dropped in the letter (2020 年 → 2020年) are no edit; a figure changed is
    const pdf = { ...src, originalText: "2020 年以来，培育 1.5 万家企业。" };
    expect(isEditedFromLibrary(p("a", "2020年以来，培育1.5万家企业。", { source: pdf }))).toBe(false);
    expect(isEditedFromLibrary(p("a", "2020年以来，培育1.6万家企业。", { source: pdf }))).toBe(true);
  });
  it("count a changed opening figure as an edit; only a renumbered lead is not", () => {
    const figures = { ...src, originalText: "3.5亿元专项资金已下达。" };
    expect(isEditedFromLibrary(p("a", "1.5亿元专项资金已下达。", { source: figures }))).toBe(true);
    expect(isEditedFromLibrary(p("a", "12.5%的企业已上云。", { source: { ...src, originalText: "10.5%的企业已上云。" } }))).toBe(true);
    const numbered = { ...src, originalText: "3.完善顶层设计。" };
    expect(isEditedFromLibrary(p("a", "1.完善顶层设计。", { source: numbered }))).toBe(false);
    expect(isEditedFromLibrary(p("a", "二、完善顶层设计。", { source: { ...src, originalText: "三、完善顶层设计。" } }))).toBe(false);
  });
  it("show a character diff", () => {
    expect(textDiff("出台政策", "出台新政策")).toEqual([{ value: "出台" }, { value: "新", added: true }, { value: "政策" }]);
  });
});

describe("the editor form (conform field names, parsed as the server parses it)", () => {
  const form = (blocks: string[][], extra: Record<string, string> = {}) => {
    const f = new FormData();
    f.set("baseRevisionId", "7");
    f.set("version", "3");
    blocks.forEach(([id, type, level, lead, text, source], i) => {
      f.set(`blocks[${i}].id`, id!);
      f.set(`blocks[${i}].type`, type!);
      f.set(`blocks[${i}].level`, level!);
      f.set(`blocks[${i}].lead`, lead!);
      f.set(`blocks[${i}].text`, text!);
      f.set(`blocks[${i}].source`, source!);
    });
    for (const [k, v] of Object.entries(extra)) f.set(k, v);
    return f;
  };

  it("reads blocks in page order with their sources, and the choices", () => {
    const f = form(
      [
        ["a", "heading", "1", "", "一、总体\n情况", ""],
        ["b", "paragraph", "1", "三、系统规划引领。", "会同广东赛迪研究院……", JSON.stringify({ paragraphId: 3, versionId: 4, versionNo: 1, title: "t", originalText: "x" })],
        ["c", "table", "1", "", "项目\t数量\n企业\t103", ""],
      ],
      { outcome: "B", disclosure: "依申请公开", disclosureReason: "涉及企业信息", phone: " 28685020 ", printSignerName: "on", insertAt: "2" },
    );
    const s = parseWithZod(f, { schema: draftFormSchema });
    expect(s.status).toBe("success");
    const value = s.status === "success" ? s.value : null;
    expect(value).toMatchObject({ baseRevisionId: 7, version: 3, insertAt: 2 });
    const d = draftFromForm(value!);
    expect(d.blocks).toEqual([
      { id: "a", type: "heading", level: 1, text: "一、总体情况" },
      {
        id: "b",
        type: "paragraph",
        text: "会同广东赛迪研究院……",
        lead: { level: 1, text: "三、系统规划引领。" },
        source: { paragraphId: 3, versionId: 4, versionNo: 1, title: "t", originalText: "x" },
      },
      {
        id: "c",
        type: "table",
        rows: [
          ["项目", "数量"],
          ["企业", "103"],
        ],
        headerRows: 1,
      },
    ]);
    expect(d).toMatchObject({ outcome: "B", disclosure: "依申请公开", disclosureReason: "涉及企业信息", phone: "28685020", printSignerName: true });
  });

  it("refuses a block too long to be a paragraph, with the message on that block's field", () => {
    const s = parseWithZod(form([["a", "paragraph", "1", "", "字".repeat(50_001), ""]]), { schema: draftFormSchema });
    expect(s.status).toBe("error");
    expect(s.status === "error" && s.error?.["blocks[0].text"]).toEqual(["这一段超过 50000 字，请拆分"]);
  });

  it("list intents (add, remove, reorder) come back as the new form state, not as a save", () => {
    const f = form([
      ["a", "paragraph", "1", "", "甲", ""],
      ["b", "paragraph", "1", "", "乙", ""],
    ]);
    f.set("__intent__", JSON.stringify({ type: "reorder", payload: { name: "blocks", from: 1, to: 0 } }));
    const s = parseWithZod(f, { schema: draftFormSchema });
    expect(s.status).toBeUndefined();
    expect((s.payload.blocks as { text: string }[]).map((b) => b.text)).toEqual(["乙", "甲"]);
  });

  it("reads the server operations as typed values; anything else is refused", () => {
    expect(readEditorOp(null)).toEqual({ op: "save" });
    expect(readEditorOp("submit")).toEqual({ op: "submit" });
    expect(readEditorOp(opValue({ op: "insert", paragraphId: 12 }))).toEqual({ op: "insert", paragraphId: 12 });
    expect(readEditorOp(opValue({ op: "letter", letterId: 1, from: 0, to: 10 }))).toEqual({ op: "letter", letterId: 1, from: 0, to: 10 });
    for (const bad of ["insert:12:0", '{"op":"insert","paragraphId":99999999999}', "{oops", "drop"]) expect(readEditorOp(bad)).toBeNull();
  });
});

describe("hygiene and the Letter input", () => {
  it("strips what XML cannot hold, keeps emoji", () => {
    const d = sanitizeDraft(base([p("a", "甲\u0000乙\u200B丙😀")]));
    expect(d.blocks[0]).toMatchObject({ text: "甲乙丙😀" });
  });
  it("drafts print with a watermark and no number; signing supplies number, date and signer", () => {
    const facts = { meeting: "会议", number: "1", title: "关于某事的建议", proposers: [{ kind: "member" as const, name: "殷毓德" }], handlerName: "李泳" };
    expect(draftToLetterInput(facts, base([p("a", "正文")]))).toMatchObject({ draft: true, documentNumber: null, date: null });
    expect(draftToLetterInput(facts, base([p("a", "正文")]), { documentNumber: "东工信函〔2021〕109号", date: "2021-05-19", leaderName: "詹志斌" })).toMatchObject({
      draft: false,
      documentNumber: "东工信函〔2021〕109号",
      leaderName: "詹志斌",
      sections: [{ type: "paragraph", text: "正文" }],
    });
  });
});

describe("a diff to read", () => {
  it("folds long unchanged stretches around the changes and keeps short ones whole", () => {
    const long = "甲".repeat(500);
    const parts = textDiff(`${long}旧${long}`, `${long}新${long}`);
    const folded = foldUnchanged(parts, 40);
    expect(folded.map((p) => (p.folded ? `[${p.folded}]` : p.added ? `+${p.value}` : p.removed ? `-${p.value}` : p.value.length))).toEqual([
      "[460]",
      40,
      "-旧",
      "+新",
      40,
      "[460]",
    ]);
    expect(foldUnchanged(textDiff("短句旧", "短句新"))).toEqual(textDiff("短句旧", "短句新"));
    // nothing changed: the text is shown whole
    expect(foldUnchanged(textDiff(long, long))).toEqual([{ value: long }]);
  });
});

describe("a 会办意见's 主送", () => {
  const d = (addressee: string | null | undefined): Draft => ({ ...base([]), ...(addressee !== undefined ? { addressee } : {}) });
  it("posted back as the 主办单位 the field showed is no override: a later correction of the 主办单位 reaches the letter", () => {
    expect(withoutDefaultAddressee(d("市发展和改革局"), "市发展和改革局").addressee).toBeNull();
    expect(withoutDefaultAddressee(d(" 市发展和改革局 "), "市发展和改革局").addressee).toBeNull();
  });
  it("typed as another unit, it stays the letter's own", () => {
    expect(withoutDefaultAddressee(d("市财政局"), "市发展和改革局").addressee).toBe("市财政局");
    expect(withoutDefaultAddressee(d(undefined), "市发展和改革局").addressee).toBeUndefined();
  });
});

describe("draftDiff: what changed, paragraph by paragraph", () => {
  const lines = (parts: ReturnType<typeof draftDiff>) =>
    parts
      .map((x) => (x.added ? `[+${x.value}]` : x.removed ? `[-${x.value}]` : x.value))
      .join("")
      .split("\n");
  const before = base([p("a", "一、完善顶层设计。我市出台了若干政策。"), p("b", "全市共有专精特新企业2.9万家。"), p("c", "三、系统规划引领。会同省工信厅开展调研。")]);

  it("a figure changed in one paragraph reads as that figure, in that paragraph (one diff over the letter read 2.9 → 3.1 as 23.91)", () => {
    const after = base([before.blocks[0]!, p("b", "全市共有专精特新企业3.1万家。"), before.blocks[2]!]);
    const got = lines(draftDiff(before, after));
    expect(got.slice(0, 3)).toEqual(["一、完善顶层设计。我市出台了若干政策。", "全市共有专精特新企业[-2.9][+3.1]万家。", "三、系统规划引领。会同省工信厅开展调研。"]);
  });

  it("a paragraph added, one rewritten throughout and one moved are whole blocks, never words mixed across paragraphs", () => {
    const after = base([
      p("c", "三、系统规划引领。会同省工信厅开展调研。"),
      p("a", "一、完善顶层设计。我市出台了若干政策。"),
      p("b", "下一步，我局将加强与广东赛迪研究院合作。"),
      p("d", "新增的一段。"),
    ]);
    const got = lines(draftDiff(before, after));
    for (const line of got) {
      // each line is one paragraph's text: whole, or one paragraph compared with itself
      const plain = line.replace(/\[[+-]([^\]]*)\]/g, "$1");
      expect(line.startsWith("[+") || line.startsWith("[-") || !/\[[+-]/.test(line), line).toBe(true);
      expect(plain.length).toBeGreaterThan(0);
    }
    expect(got).toContain("[+下一步，我局将加强与广东赛迪研究院合作。]");
    expect(got).toContain("[-全市共有专精特新企业2.9万家。]");
    expect(got).toContain("[+新增的一段。]");
    // the moved paragraph is whole wherever it shows (kept, or taken out here and put in there)
    expect(got.filter((l) => l.replace(/^\[[+-]|\]$/g, "") === "一、完善顶层设计。我市出台了若干政策。").length).toBeGreaterThanOrEqual(1);
  });

  it("a first submission is all added", () => {
    expect(lines(draftDiff(null, before)).slice(0, 3)).toEqual(before.blocks.map((b) => `[+${(b as { text: string }).text}]`));
  });
});

describe("a heading typed into a paragraph, in a letter whose other sections carry theirs as 行内标题", () => {
  const p = (text: string, lead?: { level: 1 | 2; text: string }) => ({ type: "paragraph" as const, text, ...(lead ? { lead } : {}) });
  it("becomes a 行内标题 like theirs (letter 108: 一、 and 二、 plain, 三、 to 八、 bold)", () => {
    const blocks = [
      p("为推动东莞市智能移动终端产业集群发展，我局多措并举。"),
      p("一、完善顶层设计。制定出台实施方案。"),
      p("二、加强组织领导。成立工作协调机构。"),
      p("会同广东赛迪研究院形成实施方案。", { level: 1, text: "三、系统规划引领。" }),
    ];
    expect(liftTypedLeads(blocks)).toEqual([
      blocks[0],
      p("制定出台实施方案。", { level: 1, text: "一、完善顶层设计。" }),
      p("成立工作协调机构。", { level: 1, text: "二、加强组织领导。" }),
      blocks[3],
    ]);
  });
  it("leaves sentences that merely open with a numeral, and numbers the headings already have (the diff review)", () => {
    const sections = [p("正文。", { level: 1, text: "三、系统规划引领。" }), p("正文。", { level: 1, text: "四、创新成果转化。" })];
    for (const text of [
      "一、二季度全市规上工业增加值同比增长5%。下一步继续推进。",
      "一、二、三季度共完成投资。全年目标过半。",
      "十、百、千企业培育工程：分层培育。",
      "一、是加强统筹。二是强化保障。",
      "三、系统规划引领。又一段同号的正文。",
      "九、远在其后的标题。正文。",
    ]) {
      const blocks = [p(text), ...sections];
      expect(liftTypedLeads(blocks)[0], text).toEqual(blocks[0]);
    }
    // one the headings leave open, or the next, is lifted
    expect(liftTypedLeads([p("二、加强组织领导。成立机构。"), ...sections])[0]).toEqual(p("成立机构。", { level: 1, text: "二、加强组织领导。" }));
    expect(liftTypedLeads([...sections, p("五、下一步工作。继续推进。")])[2]).toEqual(p("继续推进。", { level: 1, text: "五、下一步工作。" }));
  });

  it("leaves a letter that writes its headings in the text, a heading alone, and a level no section uses", () => {
    const plain = [p("一、完善顶层设计。制定出台实施方案。"), p("二、加强组织领导。成立工作协调机构。")];
    expect(liftTypedLeads(plain)).toEqual(plain);
    const mixed = [p("正文。", { level: 1, text: "一、总体情况。" }), p("（一）工作进展。各项工作有序推进。"), p("二、下一步工作。")];
    expect(liftTypedLeads(mixed)).toEqual(mixed);
  });
});
