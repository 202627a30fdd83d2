import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { mergeProposalEdits, proposalEditSchema, proposalFormSchema } from "./proposal-form";

const TODAY = "2026-11-30";
const filled = {
  meeting: "东莞市政协第十四届五次会议",
  number: "第10121号",
  title: "《关于支持专精特新中小企业发展的建议》",
  proposerKind: "member",
  proposers: "张三\n李四",
  bureauRole: "lead",
  assignedOn: "2026/3/20",
};

/** As the browser posts the form: every field as text, an emptied one as "". */
function post(values: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(values)) form.append(k, v);
  return form;
}

/** The first problem named at each field, as the page shows them. */
function shown(result: { error?: Record<string, string[] | null> | null }) {
  return Object.fromEntries(Object.entries(result.error ?? {}).map(([k, v]) => [k, v?.[0]]));
}

describe("the registration form", () => {
  it("a 会办 proposal without 主办单位 is refused beside that field (as the import refuses it), with one it is accepted", () => {
    const s = parseWithZod(post({ ...filled, bureauRole: "co", leadUnit: "" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(s.reply())).toEqual({ leadUnit: "会办提案须填写主办单位（会办意见送往的单位）" });
    expect(parseWithZod(post({ ...filled, bureauRole: "co", leadUnit: "市发展和改革局" }), { schema: proposalFormSchema(TODAY) }).status).toBe("success");
  });

  it("“等0位委员” is refused in Chinese beside 提案者", () => {
    const s = parseWithZod(post({ ...filled, proposers: "张三等0位委员" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(s.reply())).toEqual({ proposers: "联名人数至少为 1" });
  });

  it("names every missing field at once, each beside its own field", () => {
    const s = parseWithZod(post({ meeting: "", number: "", title: "", proposers: "", bureauRole: "", assignedOn: "" }), { schema: proposalFormSchema(TODAY) });
    expect(s.status).toBe("error");
    expect(shown(s.reply())).toEqual({
      meeting: "请填写届次/会议",
      number: "请填写提案号",
      title: "请填写案由",
      proposers: "请至少填写一位提案者",
      bureauRole: "请选择办理方式（主办/会办/分办）",
      assignedOn: "请填写有效日期（年-月-日）",
    });
  });

  it("turns the typed text into a proposal: number and date normalised, 《》 and line breaks understood", () => {
    const s = parseWithZod(post(filled), { schema: proposalFormSchema(TODAY) });
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value).toMatchObject({
      number: "10121",
      title: "关于支持专精特新中小企业发展的建议",
      proposers: [
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ],
      bureauRole: "lead",
      assignedOn: "2026-03-20",
    });
    expect(s.value.receivedOn).toBeUndefined();
  });

  it("names a problem of one proposer, or of 等N位委员, at the proposers' text area", () => {
    const long = parseWithZod(post({ ...filled, proposers: `张三\n${"李".repeat(101)}` }), { schema: proposalFormSchema(TODAY) });
    expect(shown(long.reply())).toEqual({ proposers: "提案者名称不能超过 100 个字符" });
    const total = parseWithZod(post({ ...filled, proposers: "张三、李四、王五等2位委员" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(total.reply())).toEqual({ proposers: "写明了 3 位委员，但“等2位委员”人数更少，请核对" });
    // also when another field is wrong too: every problem is named at once
    const both = parseWithZod(post({ ...filled, proposers: "张三、李四、王五等2位委员", assignedOn: "" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(both.reply())).toEqual({ proposers: "写明了 3 位委员，但“等2位委员”人数更少，请核对", assignedOn: "请填写有效日期（年-月-日）" });
  });

  it("refuses a 收到日期 before the 交办日期 or after today beside 收到日期; the same day or later is taken", () => {
    const early = parseWithZod(post({ ...filled, receivedOn: "2026-03-19" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(early.reply())).toEqual({ receivedOn: "收到日期 2026-03-19 早于交办日期 2026-03-20，请核对" });
    const ahead = parseWithZod(post({ ...filled, receivedOn: "2026-12-01" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(ahead.reply())).toEqual({ receivedOn: "收到日期 2026-12-01 晚于今天（2026-11-30），请核对" });
    for (const day of ["2026-03-20", "2026/3/25", TODAY]) {
      const ok = parseWithZod(post({ ...filled, receivedOn: day }), { schema: proposalFormSchema(TODAY) });
      expect(ok.status, day).toBe("success");
    }
  });

  it("refuses an assignment date far in the future at that field, and takes one a few days ahead", () => {
    const far = parseWithZod(post({ ...filled, assignedOn: "2027-03-01" }), { schema: proposalFormSchema(TODAY) });
    expect(shown(far.reply()).assignedOn).toMatch(/^交办日期 2027-03-01 比今天（2026-11-30）晚 91 天/);
    expect(parseWithZod(post({ ...filled, assignedOn: "2026-12-05" }), { schema: proposalFormSchema(TODAY) }).status).toBe("success");
  });
});

describe("the edit form", () => {
  it("carries the version and the reason for the change", () => {
    const s = parseWithZod(post({ ...filled, version: "4", comment: "  按交办通知更正 " }), { schema: proposalEditSchema(TODAY) });
    expect(s.status).toBe("success");
    if (s.status !== "success") return;
    expect(s.value.version).toBe(4);
    expect(s.value.comment).toBe("按交办通知更正");
    expect(s.value.input.number).toBe("10121");
  });

  it("names a too-long reason together with the fields' own problems", () => {
    const s = parseWithZod(post({ ...filled, title: "", version: "4", comment: "改".repeat(501) }), { schema: proposalEditSchema(TODAY) });
    expect(shown(s.reply())).toEqual({ comment: "说明不能超过 500 个字符", title: "请填写案由" });
  });
});

describe("mergeProposalEdits (修改登记信息 saved after a colleague's save)", () => {
  const base = {
    meeting: "会",
    number: "1",
    title: "甲",
    proposerKind: "member",
    proposers: "张三\nn李四",
    bureauRole: "lead",
    assignedOn: "2026-11-02",
    receivedOn: "",
    notes: "",
    leadUnit: "",
  };
  it("keeps what only they changed, saves what only I changed, and names a field we both changed differently", () => {
    const theirs = { ...base, title: "乙", notes: "他们的备注" };
    const mine = { ...base, assignedOn: "2026-11-03", notes: "我的备注", proposers: "张三\r\nn李四" };
    const { merged, conflicts } = mergeProposalEdits({ base, mine, theirs });
    expect(merged).toMatchObject({ title: "乙", assignedOn: "2026-11-03", notes: "我的备注" });
    expect(conflicts).toEqual(["notes"]);
  });
  it("the same change on both sides is no conflict", () => {
    const theirs = { ...base, title: "乙" };
    expect(mergeProposalEdits({ base, mine: { ...base, title: " 乙 " }, theirs }).conflicts).toEqual([]);
  });
});
