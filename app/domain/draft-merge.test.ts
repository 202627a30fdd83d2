import { describe, expect, it } from "vitest";
import type { Draft, DraftBlock } from "./draft";
import { mergeDrafts } from "./draft-merge";

const p = (id: string, text: string): DraftBlock => ({ id, type: "paragraph", text });
const draft = (...blocks: DraftBlock[]): Draft => ({ blocks, outcome: "A", disclosure: "主动公开", disclosureReason: null, phone: "22830000", printSignerName: true });
const base = draft(p("a", "第一段。"), p("b", "第二段。"), p("c", "第三段。"), p("d", "第四段。"));
const texts = (d: Draft) => d.blocks.map((b) => `${b.id}:${b.type === "paragraph" ? b.text : ""}`);
const edit = (d: Draft, id: string, text: string): Draft => ({ ...d, blocks: d.blocks.map((b) => (b.id === id ? { ...b, text } : b)) });

describe("mergeDrafts: two saves from the same revision", () => {
  it("edits of different paragraphs both stay", () => {
    const m = mergeDrafts(base, edit(base, "a", "甲改的第一段。"), edit(base, "d", "乙改的第四段。"));
    expect(texts(m.draft)).toEqual(["a:甲改的第一段。", "b:第二段。", "c:第三段。", "d:乙改的第四段。"]);
    expect(m.overlaps).toEqual([]);
  });

  it("both changed one paragraph: mine is taken, and the paragraph is named", () => {
    const m = mergeDrafts(base, edit(base, "b", "甲的。"), edit(base, "b", "乙的。"));
    expect(texts(m.draft)[1]).toBe("b:乙的。");
    expect(m.overlaps).toEqual([{ kind: "block", id: "b" }]);
  });

  it("the same change on both sides is no overlap", () => {
    expect(mergeDrafts(base, edit(base, "b", "同。"), edit(base, "b", "同。")).overlaps).toEqual([]);
  });

  it("a paragraph I deleted goes, the colleague's edit elsewhere stays", () => {
    const mine = { ...base, blocks: base.blocks.filter((b) => b.id !== "c") };
    const m = mergeDrafts(base, edit(base, "a", "甲改的。"), mine);
    expect(texts(m.draft)).toEqual(["a:甲改的。", "b:第二段。", "d:第四段。"]);
    expect(m.overlaps).toEqual([]);
  });

  it("a paragraph I deleted while the colleague edited it is kept in their wording, and named", () => {
    const mine = { ...base, blocks: base.blocks.filter((b) => b.id !== "c") };
    const m = mergeDrafts(base, edit(base, "c", "甲改的第三段。"), mine);
    expect(texts(m.draft)).toEqual(["a:第一段。", "b:第二段。", "c:甲改的第三段。", "d:第四段。"]);
    expect(m.overlaps).toEqual([{ kind: "block", id: "c" }]);
  });

  it("paragraphs inserted by each side land after the paragraph they followed", () => {
    const theirs = { ...base, blocks: [base.blocks[0]!, p("t1", "甲插入。"), ...base.blocks.slice(1)] };
    const mine = { ...base, blocks: [...base.blocks.slice(0, 3), p("m1", "乙插入。"), base.blocks[3]!] };
    const m = mergeDrafts(base, theirs, mine);
    expect(texts(m.draft)).toEqual(["a:第一段。", "t1:甲插入。", "b:第二段。", "c:第三段。", "m1:乙插入。", "d:第四段。"]);
    expect(m.overlaps).toEqual([]);
    // and at the very top
    const top = mergeDrafts(base, base, { ...base, blocks: [p("m0", "最前。"), ...base.blocks] });
    expect(texts(top.draft)[0]).toBe("m0:最前。");
  });

  it("paragraphs both added at one place, or the same paragraph added by both, are kept and said (the letter held it twice, unsaid)", () => {
    const addedAfter = (id: string, ...added: DraftBlock[]) => {
      const i = base.blocks.findIndex((b) => b.id === id);
      return { ...base, blocks: [...base.blocks.slice(0, i + 1), ...added, ...base.blocks.slice(i + 1)] };
    };
    const same = mergeDrafts(base, addedAfter("b", p("t1", "一是举办招商大会。")), addedAfter("b", p("m1", "一是举办招商大会。")));
    expect(texts(same.draft)).toEqual(["a:第一段。", "b:第二段。", "m1:一是举办招商大会。", "t1:一是举办招商大会。", "c:第三段。", "d:第四段。"]);
    expect(same.overlaps).toEqual([{ kind: "added", id: "m1" }]);
    expect(mergeDrafts(base, addedAfter("b", p("t1", "甲补充。")), addedAfter("b", p("m1", "乙补充。"))).overlaps).toEqual([{ kind: "added", id: "m1" }]);
    expect(mergeDrafts(base, addedAfter("a", p("t1", "同一段。")), addedAfter("c", p("m1", "同一段。"))).overlaps).toEqual([{ kind: "added", id: "m1" }]);
  });

  it("a paragraph I moved stays moved, the colleague's edit of another stays", () => {
    const mine = { ...base, blocks: [base.blocks[0]!, base.blocks[2]!, base.blocks[1]!, base.blocks[3]!] };
    const m = mergeDrafts(base, edit(base, "d", "甲改的。"), mine);
    expect(texts(m.draft)).toEqual(["a:第一段。", "c:第三段。", "b:第二段。", "d:甲改的。"]);
    expect(m.overlaps).toEqual([]);
  });

  it("both reordered differently: mine, and said", () => {
    const theirs = { ...base, blocks: [base.blocks[1]!, base.blocks[0]!, ...base.blocks.slice(2)] };
    const mine = { ...base, blocks: [...base.blocks.slice(0, 2), base.blocks[3]!, base.blocks[2]!] };
    const m = mergeDrafts(base, theirs, mine);
    expect(m.draft.blocks.map((b) => b.id)).toEqual(["a", "b", "d", "c"]);
    expect(m.overlaps).toEqual([{ kind: "order" }]);
  });

  it("the letter's settings merge one by one", () => {
    const m = mergeDrafts(base, { ...base, phone: "22830001" }, { ...base, outcome: "B" });
    expect(m.draft).toMatchObject({ phone: "22830001", outcome: "B", disclosure: "主动公开", printSignerName: true });
    expect(m.overlaps).toEqual([]);
    expect(mergeDrafts(base, { ...base, phone: "1" }, { ...base, phone: "2" }).overlaps).toEqual([{ kind: "setting", key: "phone" }]);
  });

  it("keys in another order (a revision read back from the database) are the same data", () => {
    const stored = { ...base, blocks: base.blocks.map((b) => ({ text: (b as { text: string }).text, type: "paragraph" as const, id: b.id })) };
    expect(mergeDrafts(stored, base, edit(base, "a", "乙。")).overlaps).toEqual([]);
  });
});
