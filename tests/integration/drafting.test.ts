import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { draftDiff, type Draft } from "~/domain/draft";
import { proposalInputSchema } from "~/domain/proposal";
import { DraftConflictError, getCurrentLetter, reviewBaseline, listRevisions, saveDraft, signLetter, startDraft, submitLetter } from "~/models/letter.server";
import { acceptLibraryUpdate, libraryBlock, outdatedSources } from "~/models/letter-sources.server";
import { listDocumentNumbers, nextNumberPreview, registerExternalNumber, removeExternalNumber, listCounters, setNextNumber } from "~/models/document-numbers.server";
import { getProposal, registerProposal, VersionConflictError } from "~/models/proposal.server";
import { createUser } from "~/models/user.server";
import { performAction, WorkflowRefusedError } from "~/models/workflow.server";
import { eq } from "drizzle-orm";
import { letterRevisions, letters } from "#db/schema";
import { listEvents } from "~/models/event.server";
import { listNotifications } from "~/models/notification.server";
import { repairReplacementCharacters } from "~/models/text-repair.server";
import { createParagraph, reviseParagraph, setParagraphStatus } from "~/models/paragraph.server";
import { availableDatabases } from "../support/databases";

const TODAY = "2026-11-25";
let seq = 0;

describe.each(await availableDatabases())("drafting and sign-off on $name", (database) => {
  let h: DbHandle;
  const u: Record<string, SessionUser> = {};
  const make = async (username: string, role: SessionUser["role"]) => {
    const id = await createUser(h.db, { username, displayName: username === "zhan" ? "詹志斌" : username, role, phone: "28685020", password: "correct horse battery" });
    u[username] = { id, username, displayName: username === "zhan" ? "詹志斌" : username, role, phone: "28685020", disabled: false };
  };
  const tx = <T>(f: (db: DbHandle["db"]) => Promise<T>) => h.db.transaction((t) => f(t));
  // Read inside the caller's transaction: PGlite runs one transaction at a time.
  const version = async (id: number, db: DbHandle["db"] = h.db) => (await getProposal(db, id))!.version;

  /** A proposal assigned to li and acknowledged: drafting. */
  async function drafting(over: Record<string, unknown> = {}) {
    const id = await tx((db) =>
      registerProposal(db, {
        input: proposalInputSchema.parse({
          meeting: "测试会议",
          number: String(++seq),
          title: "关于某事的建议",
          proposers: [{ kind: "body", name: "民建市委会" }],
          bureauRole: "lead",
          assignedOn: "2026-09-01",
          ...over,
        }),
        actorId: u.reg.id,
      }),
    );
    await tx(async (db) =>
      performAction(db, { proposalId: id, expectedVersion: await version(id, db), action: "assign", actor: u.reg, input: { handlerId: u.li.id }, today: TODAY }),
    );
    await tx(async (db) => performAction(db, { proposalId: id, expectedVersion: await version(id, db), action: "acknowledge", actor: u.li, input: {}, today: TODAY }));
    return id;
  }

  const complete = (base: Draft): Draft => ({
    ...base,
    blocks: [
      { id: "h1", type: "heading", level: 1, text: "一、总体情况" },
      { id: "p1", type: "paragraph", text: "我局高度重视。\u0007控制字符会被去掉，生僻字𠮷保留。" },
    ],
    outcome: "A",
    disclosure: "主动公开",
  });

  async function readyForReview(id: number) {
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const l = (await getCurrentLetter(h.db, id))!;
    await tx((db) => saveDraft(db, { letterId, baseRevisionId: l.revision!.id, draft: complete(l.revision!.draft), actor: u.li, kind: "save" }));
    await tx(async (db) => submitLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.li, today: TODAY }));
  }

  beforeAll(async () => {
    h = await database.open();
    await make("reg", "registrar");
    await make("li", "handler");
    await make("wang", "handler");
    await make("zhan", "leader");
    await make("lead2", "leader");
    await make("admin", "admin");
  });
  afterAll(() => h?.close());

  it("only the assigned handler drafts; every save is an immutable revision; a stale save is a conflict", async () => {
    const id = await drafting();
    await expect(tx((db) => startDraft(db, { proposalId: id, actor: u.wang }))).rejects.toThrow("只有本提案的承办人可以起草答复");
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const first = (await getCurrentLetter(h.db, id))!.revision!;
    expect(first.draft.phone).toBe("28685020");
    const mine = complete(first.draft);
    const saved = await tx((db) => saveDraft(db, { letterId, baseRevisionId: first.id, draft: mine, actor: u.li, kind: "save" }));
    expect(saved.changed).toBe(true);
    // A second editor still on the first revision: refused, with the other version to compare.
    const stale = { ...mine, blocks: [{ id: "x", type: "paragraph" as const, text: "过时的修改" }] };
    const err = await tx((db) => saveDraft(db, { letterId, baseRevisionId: first.id, draft: stale, actor: u.li, kind: "save" })).catch((e) => e);
    expect(err).toBeInstanceOf(DraftConflictError);
    expect((err as DraftConflictError).theirs.draft.blocks[1]).toMatchObject({ text: "我局高度重视。控制字符会被去掉，生僻字𠮷保留。" });
    // the same person in another tab is told so, not that "someone else" saved
    expect((err as DraftConflictError).theirs.self).toBe(true);
    expect((err as Error).message).toContain("您的另一个窗口");
    expect((await getCurrentLetter(h.db, id))!.revision!.draft.blocks).toHaveLength(2);
  });

  it("two people saving from the same revision: changes to different paragraphs are both kept; the same paragraph is the conflict, offered with the other's changes kept", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const first = (await getCurrentLetter(h.db, id))!.revision!;
    const start = complete(first.draft);
    const base = (await tx((db) => saveDraft(db, { letterId, baseRevisionId: first.id, draft: start, actor: u.li, kind: "save" }))).revisionId;
    const edit = (blockId: string, text: string) => ({ ...start, blocks: start.blocks.map((b) => (b.id === blockId ? { ...b, text } : b)) });
    // a colleague (the handler's other tab) changes the heading, this tab the paragraph
    await tx((db) => saveDraft(db, { letterId, baseRevisionId: base, draft: edit("h1", "一、基本情况"), actor: u.li, kind: "save" }));
    const saved = await tx((db) => saveDraft(db, { letterId, baseRevisionId: base, draft: edit("p1", "我局高度重视，认真研究。"), actor: u.li, kind: "save", merge: true }));
    expect(saved.mergedWith).toMatchObject({ self: true });
    const now = (await getCurrentLetter(h.db, id))!.revision!;
    expect(now.draft.blocks.map((b) => (b as { text: string }).text)).toEqual(["一、基本情况", "我局高度重视，认真研究。"]);
    // both change the paragraph: the conflict, and what 保留我的版本 would save keeps the other's heading
    await tx((db) =>
      saveDraft(db, {
        letterId,
        baseRevisionId: now.id,
        draft: { ...now.draft, blocks: [now.draft.blocks[0]!, { ...now.draft.blocks[1]!, text: "甲的写法。" } as never] },
        actor: u.li,
        kind: "save",
      }),
    );
    const mine = { ...now.draft, blocks: [{ ...now.draft.blocks[0]!, text: "一、总体情况" } as never, { ...now.draft.blocks[1]!, text: "乙的写法。" } as never] };
    const err = await tx((db) => saveDraft(db, { letterId, baseRevisionId: now.id, draft: mine, actor: u.li, kind: "save", merge: true })).catch((e) => e);
    expect(err).toBeInstanceOf(DraftConflictError);
    expect((err as DraftConflictError).merged?.overlaps).toEqual([{ kind: "block", id: "p1" }]);
    expect((err as DraftConflictError).merged?.draft.blocks.map((b) => (b as { text: string }).text)).toEqual(["一、总体情况", "乙的写法。"]);
    // an autosave is never merged (its page would go on without the other's changes): the conflict
    const auto = await tx((db) => saveDraft(db, { letterId, baseRevisionId: base, draft: edit("p1", "自动保存。"), actor: u.li, kind: "autosave", merge: false })).catch((e) => e);
    expect(auto).toBeInstanceOf(DraftConflictError);
  });

  it("a reason for keeping a must-fix finding: over 1000 characters is refused beside its field, never cut; what is kept is clean text", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const first = (await getCurrentLetter(h.db, id))!.revision!;
    const d = complete(first.draft);
    const withPlaceholder = { ...d, blocks: [...d.blocks, { id: "xx", type: "paragraph" as const, text: "专项资金XX万元已下达。" }] };
    await tx((db) => saveDraft(db, { letterId, baseRevisionId: first.id, draft: withPlaceholder, actor: u.li, kind: "save" }));
    const submit = (keepFindingsReason: string) =>
      tx(async (db) => submitLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.li, today: TODAY, keepFindingsReason }));
    const err = await submit("长".repeat(1001)).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowRefusedError);
    expect(err).toMatchObject({ field: "keepFindingsReason", message: "保留原文的理由请不超过 1000 字（现有 1001 字）。" });
    expect((await getProposal(h.db, id))!.state).toBe("drafting");
    // a rare character cut in half by a paste (a lone surrogate) is not kept
    await submit("金额待财政部门核定\uD840");
    expect((await getProposal(h.db, id))!.state).toBe("in_review");
    const note = (await listEvents(h.db, id)).at(-1)!.comment!;
    expect(note).toMatch(/理由：金额待财政部门核定$/);
  });

  it("a draft that did not come through the editor's fields (the conflict form's JSON) is held to the same limits: nothing saved", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const first = (await getCurrentLetter(h.db, id))!.revision!;
    const save = (draft: Draft) => tx((db) => saveDraft(db, { letterId, baseRevisionId: first.id, draft, actor: u.li, kind: "save" }));
    await expect(save({ ...complete(first.draft), phone: "1".repeat(2_000_000) })).rejects.toThrow("联系电话过长");
    await expect(save({ ...complete(first.draft), blocks: Array.from({ length: 501 }, (_, i) => ({ id: `b${i}`, type: "paragraph" as const, text: "正文" })) })).rejects.toThrow(
      "正文不能超过 500 段",
    );
    await expect(save({ ...complete(first.draft), addressee: "市".repeat(201) })).rejects.toThrow("主送单位过长");
    await expect(save({ ...complete(first.draft), blocks: [{ id: "p", type: "paragraph", lead: { level: 1, text: "标".repeat(301) }, text: "正文" }] })).rejects.toThrow(
      "第 1 段的行内标题不能超过 300 字",
    );
    // a table past 500 rows or 30 columns, a letter past 100,000 characters
    const table = (rows: number, columns: number) => ({ id: "t", type: "table" as const, rows: Array.from({ length: rows }, () => Array(columns).fill("甲")) });
    await expect(save({ ...complete(first.draft), blocks: [table(501, 2)] })).rejects.toThrow("第 1 段的表格超过 500 行");
    await expect(save({ ...complete(first.draft), blocks: [table(2, 31)] })).rejects.toThrow("第 1 段的表格超过 30 列");
    // three tables each within its rows and columns, 45,000 cells together, ended the server making the Word file
    await expect(save({ ...complete(first.draft), blocks: [table(500, 30), { ...table(500, 30), id: "t2" }, { ...table(500, 30), id: "t3" }] })).rejects.toThrow(
      "表格共 45000 格，超过 5000 格的上限",
    );
    const long = (n: number) => ({ id: `p${n}`, type: "paragraph" as const, text: "字".repeat(40_000) });
    await expect(save({ ...complete(first.draft), blocks: [long(1), long(2), long(3)] })).rejects.toThrow("正文共 120000 字，超过 100000 字的上限");
    expect((await getCurrentLetter(h.db, id))!.revision!.id).toBe(first.id);
    // at the cells' limit exactly, it saves
    await save({ ...complete(first.draft), blocks: [table(100, 20), { ...table(100, 30), id: "t2" }] });
    expect((await getCurrentLetter(h.db, id))!.revision!.id).not.toBe(first.id);
  });

  it("submitting an incomplete draft is refused with every reason; nothing changes", async () => {
    const id = await drafting();
    await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const err = await tx(async (db) => submitLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.li, today: TODAY })).catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowRefusedError);
    expect(err.message).toMatch(/答复正文不能为空.*请选择办理结果分类.*请选择公开方式/);
    expect((await getProposal(h.db, id))!.state).toBe("drafting");
  });

  it("before signing, the leader is shown the 文号 it would take, and told when the year's series was never begun (it would start at 1)", async () => {
    const series = { prefix: "东工信函", year: 2031 };
    expect(await nextNumberPreview(h.db, series)).toEqual({ number: "东工信函〔2031〕1号", begun: false });
    // numbers entered as issued outside the system are skipped, as signing skips them
    await h.db.transaction((db) => registerExternalNumber(db, { number: "东工信函〔2031〕1号", note: "纸质发文", actorId: null }));
    expect(await nextNumberPreview(h.db, series)).toEqual({ number: "东工信函〔2031〕2号", begun: false });
    await h.db.transaction((db) => setNextNumber(db, { ...series, next: 57 }));
    expect(await nextNumberPreview(h.db, series)).toEqual({ number: "东工信函〔2031〕57号", begun: true });
  });

  it("signing numbers the letter, dates it today, names the signer and freezes it; later edits are refused", async () => {
    await h.db.transaction((db) => setNextNumber(db, { prefix: "东工信函", year: 2026, next: 300 }));
    expect(await nextNumberPreview(h.db, { prefix: "东工信函", year: 2026 })).toEqual({ number: "东工信函〔2026〕300号", begun: true });
    const id = await drafting();
    await readyForReview(id);
    const signed = await tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.zhan, today: TODAY, printSignerName: true }));
    expect(signed.documentNumber).toBe("东工信函〔2026〕300号");
    const l = (await getCurrentLetter(h.db, id))!;
    expect(l.state).toBe("signed");
    expect(l.finalLetter).toMatchObject({ documentNumber: "东工信函〔2026〕300号", date: TODAY, draft: false, signature: { leaderName: "詹志斌" } });
    expect((await getProposal(h.db, id))!.state).toBe("signed");
    await expect(tx((db) => saveDraft(db, { letterId: l.id, baseRevisionId: l.currentRevisionId!, draft: l.revision!.draft, actor: u.li, kind: "save" }))).rejects.toThrow(
      "已签发",
    );
    // A correction is a new round that must be signed again; the first stays as it was.
    await tx(async (db) =>
      performAction(db, { proposalId: id, expectedVersion: await version(id, db), action: "correct", actor: u.li, input: { comment: "日期有误" }, today: TODAY }),
    );
    await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const round2 = (await getCurrentLetter(h.db, id))!;
    expect(round2).toMatchObject({ round: 2, state: "draft" });
    expect(round2.revision!.draft.blocks).toHaveLength(2); // starts from the signed text
    // The leader reviews the correction against the signed letter: the one changed paragraph, not the whole letter as new.
    const changed = { ...round2.revision!.draft, blocks: round2.revision!.draft.blocks.map((b) => (b.id === "p1" ? { ...b, text: "我局高度重视，已更正数据。" } : b)) };
    await tx((db) => saveDraft(db, { letterId: round2.id, baseRevisionId: round2.revision!.id, draft: changed as Draft, actor: u.li, kind: "save" }));
    await tx(async (db) => submitLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.li, today: TODAY }));
    const submitted = (await getCurrentLetter(h.db, id))!;
    const baseline = await reviewBaseline(h.db, submitted);
    expect(baseline?.signedAs).toBe("东工信函〔2026〕300号");
    const diff = draftDiff(baseline!.draft, submitted.revision!.draft);
    const added = diff
      .filter((d) => d.added)
      .map((d) => d.value)
      .join("");
    expect(added).toContain("已更正数据");
    expect(added).not.toContain("一、总体情况"); // unchanged: not shown as new
    expect(
      diff
        .filter((d) => !d.added && !d.removed)
        .map((d) => d.value)
        .join(""),
    ).toContain("一、总体情况");
  });

  it("50 signatures at once yield 50 distinct, gapless numbers", async () => {
    await h.db.transaction((db) => setNextNumber(db, { prefix: "东工信函", year: 2027, next: 1 }));
    const ids: number[] = [];
    for (let i = 0; i < 50; i++) {
      const id = await drafting();
      await readyForReview(id);
      ids.push(id);
    }
    const results = await Promise.allSettled(
      ids.map(async (id, i) => tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: i % 2 ? u.zhan : u.lead2, today: "2027-01-05" }))),
    );
    const numbers = results.map((r) => (r.status === "fulfilled" ? r.value.documentNumber : `failed: ${(r as PromiseRejectedResult).reason}`));
    const seqs = numbers.map((n) => Number(n.match(/〕(\d+)号/)?.[1])).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it("two leaders sign one letter at once: one number, and the other is told someone acted first — on both databases", async () => {
    const id = await drafting();
    await readyForReview(id);
    const v = await version(id);
    const results = await Promise.allSettled([u.zhan, u.lead2].map((actor) => tx((db) => signLetter(db, { proposalId: id, expectedVersion: v, actor, today: "2027-02-01" }))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(VersionConflictError);
  });

  it("设定下一个号 from a page opened before another admin set it is refused, naming the new value; from the current page it goes through", async () => {
    await tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2029, next: 200, seen: null }));
    // a second admin's page showed no series for 2029 yet: it would lower 200 to 150
    await expect(tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2029, next: 150, seen: null }))).rejects.toThrow("已变为 200（当时为 未设定）");
    await tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2029, next: 250, seen: 200 }));
    const [c] = (await listCounters(h.db)).filter((x) => x.year === 2029);
    expect(c!.next).toBe(250);
  });

  it("an admin enters a number issued outside the system: unique, and the series skips it", async () => {
    await h.db.transaction((db) => setNextNumber(db, { prefix: "东工信函", year: 2028, next: 7 }));
    await tx((db) => registerExternalNumber(db, { number: "东工信函〔2028〕8 号", note: "纸质发文", actorId: u.admin.id }));
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函〔2028〕8号", actorId: u.admin.id }))).rejects.toThrow("已被使用");
    // typos a person makes are refused with a message, never a 500
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函〔1899〕5号", actorId: u.admin.id }))).rejects.toThrow("文号格式不正确");
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函〔2201〕5号", actorId: u.admin.id }))).rejects.toThrow("年份 2201 不合理");
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函〔2021〕99999999999号", actorId: u.admin.id }))).rejects.toThrow("文号格式不正确");
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函〔2021〕123456号", actorId: u.admin.id }))).rejects.toThrow("序号 123456 过大");
    await expect(tx((db) => registerExternalNumber(db, { number: "东工信函2028-9", actorId: u.admin.id }))).rejects.toThrow("格式不正确");
    const a = await drafting();
    const b = await drafting();
    await readyForReview(a);
    await readyForReview(b);
    const na = await tx(async (db) => signLetter(db, { proposalId: a, expectedVersion: await version(a, db), actor: u.zhan, today: "2028-03-01" }));
    const nb = await tx(async (db) => signLetter(db, { proposalId: b, expectedVersion: await version(b, db), actor: u.zhan, today: "2028-03-01" }));
    expect([na.documentNumber, nb.documentNumber]).toEqual(["东工信函〔2028〕7号", "东工信函〔2028〕9号"]);
    await expect(tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2028, next: 5 }))).rejects.toThrow("已用到 9 号");
    expect((await listDocumentNumbers(h.db)).find((n) => n.number === "东工信函〔2028〕8号")?.note).toBe("纸质发文");
    // A typo (1200 for 120) can be taken back, and then no longer holds the series; a number signed here cannot.
    await tx((db) => registerExternalNumber(db, { number: "东工信函〔2028〕1200号", actorId: u.admin.id }));
    await expect(tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2028, next: 121 }))).rejects.toThrow("已用到 1200 号");
    await tx((db) => removeExternalNumber(db, { number: "东工信函〔2028〕1200号" }));
    await tx((db) => setNextNumber(db, { prefix: "东工信函", year: 2028, next: 121 }));
    await expect(tx((db) => removeExternalNumber(db, { number: "东工信函〔2028〕9号" }))).rejects.toThrow("本系统签发的文号不能删除");
    // 8号 was stepped over by the signing of 9号: removing it would leave a gap nothing can fill
    await expect(tx((db) => removeExternalNumber(db, { number: "东工信函〔2028〕8号" }))).rejects.toThrow("登记后已被签发跳过");
    // one registered below numbers already used (a typo) stepped over nothing: it can be taken back
    await tx((db) => registerExternalNumber(db, { number: "东工信函〔2028〕3号", actorId: u.admin.id }));
    await tx((db) => removeExternalNumber(db, { number: "东工信函〔2028〕3号" }));
    // a number typed with a wrong year, taken back: no series is left behind for that year
    await tx((db) => registerExternalNumber(db, { number: "东工信函〔2039〕5号", actorId: u.admin.id }));
    await tx((db) => removeExternalNumber(db, { number: "东工信函〔2039〕5号" }));
    expect((await listCounters(h.db)).filter((c) => c.year === 2039)).toEqual([]);
    expect((await listDocumentNumbers(h.db)).map((n) => n.number)).toContain("东工信函〔2028〕8号");
    expect((await listDocumentNumbers(h.db)).map((n) => n.number)).toContain("东工信函〔2028〕9号");
  });

  it("a signing that fails its checks leaves no number used and no state changed", async () => {
    await h.db.transaction((db) => setNextNumber(db, { prefix: "东工信函", year: 2029, next: 1 }));
    const id = await drafting();
    await readyForReview(id);
    // Break the draft behind the editor's back (as a bug or a race might): signing must refuse it whole.
    const l = (await getCurrentLetter(h.db, id))!;
    await h.db
      .update(letterRevisions)
      .set({ draft: { ...l.revision!.draft, phone: "电话" } })
      .where(eq(letterRevisions.id, l.revision!.id));
    await expect(tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.zhan, today: "2029-01-02" }))).rejects.toThrow(
      /联系电话格式不正确/,
    );
    expect((await getProposal(h.db, id))!.state).toBe("in_review");
    const fixed = (await getCurrentLetter(h.db, id))!;
    await h.db
      .update(letterRevisions)
      .set({ draft: { ...fixed.revision!.draft, phone: "28685020" } })
      .where(eq(letterRevisions.id, fixed.revision!.id));
    const ok = await tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.zhan, today: "2029-01-02" }));
    expect(ok.documentNumber).toBe("东工信函〔2029〕1号");
  });

  it("the leader signs the revision that was submitted: a revision saved after it (a race, a bug) makes signing refuse, nothing numbered", async () => {
    await h.db.transaction((db) => setNextNumber(db, { prefix: "东工信函", year: 2030, next: 1 }));
    const id = await drafting();
    await readyForReview(id);
    const l = (await getCurrentLetter(h.db, id))!;
    const [later] = await h.db
      .insert(letterRevisions)
      .values({ letterId: l.id, revisionNo: 99, draft: { ...l.revision!.draft, phone: "22830000" }, kind: "save", createdBy: u.li.id })
      .returning({ id: letterRevisions.id });
    await h.db.update(letters).set({ currentRevisionId: later!.id }).where(eq(letters.id, l.id));
    await expect(tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.zhan, today: "2030-01-02" }))).rejects.toThrow(
      "答复稿在提交签发后又有改动",
    );
    expect((await getProposal(h.db, id))!.state).toBe("in_review");
    await h.db.update(letters).set({ currentRevisionId: l.revision!.id }).where(eq(letters.id, l.id));
    expect((await tx(async (db) => signLetter(db, { proposalId: id, expectedVersion: await version(id, db), actor: u.zhan, today: "2030-01-02" }))).documentNumber).toBe(
      "东工信函〔2030〕1号",
    );
  });

  it("autosaves of one typing session are one entry in the save history; an explicit save is always its own", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const withText = (t: string): Draft => ({ ...base.draft, blocks: [{ id: "p1", type: "paragraph", text: t }] });
    const a1 = await tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: withText("我局"), actor: u.li, kind: "autosave" }));
    const a2 = await tx((db) => saveDraft(db, { letterId, baseRevisionId: a1.revisionId, draft: withText("我局高度重视"), actor: u.li, kind: "autosave" }));
    expect((await getCurrentLetter(h.db, id))!.revision!.draft.blocks[0]).toMatchObject({ text: "我局高度重视" });
    expect((await listRevisions(h.db, letterId)).map((r) => [r.kind, r.revisionNo])).toEqual([
      ["autosave", 2],
      ["created", 1],
    ]);
    // A second tab still on the first autosave must not overwrite the merged text: it gets the conflict.
    await expect(tx((db) => saveDraft(db, { letterId, baseRevisionId: a1.revisionId, draft: withText("另一个标签页"), actor: u.li, kind: "autosave" }))).rejects.toBeInstanceOf(
      DraftConflictError,
    );
    expect((await getCurrentLetter(h.db, id))!.revision!.draft.blocks[0]).toMatchObject({ text: "我局高度重视" });
    const saved = await tx((db) => saveDraft(db, { letterId, baseRevisionId: a2.revisionId, draft: withText("我局高度重视。"), actor: u.li, kind: "save" }));
    const a3 = await tx((db) => saveDraft(db, { letterId, baseRevisionId: saved.revisionId, draft: withText("我局高度重视。下一步"), actor: u.li, kind: "autosave" }));
    expect(new Set([a1.revisionId, saved.revisionId, a3.revisionId]).size).toBe(3);
    expect((await listRevisions(h.db, letterId)).map((r) => r.kind)).toEqual(["autosave", "save", "autosave", "created"]);
  });

  it("saving what is already saved writes no revision, also for a library block with 资料截至 (asOf)", async () => {
    const dated = await tx((db) =>
      createParagraph(db, { title: "有截至日期的段落", body: "截至2025年底，全市专精特新企业已超过千家。", tags: [], asOf: "2025-12-31", ownerId: null, actorId: u.admin.id }),
    );
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const block = await libraryBlock(h.db, dated.id);
    const first = await tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: { ...base.draft, blocks: [block] }, actor: u.li, kind: "save" }));
    expect(first.changed).toBe(true);
    // the draft as the editor posts it back, unchanged
    const stored = (await getCurrentLetter(h.db, id))!.revision!;
    expect(stored.draft.blocks[0]!.source).toMatchObject({ asOf: "2025-12-31" });
    const again = await tx((db) => saveDraft(db, { letterId, baseRevisionId: stored.id, draft: stored.draft, actor: u.li, kind: "save" }));
    expect(again).toEqual({ revisionId: stored.id, changed: false, mergedWith: null });
  });

  it("a newer library version is offered against the text the clerk has (edits included), never for a retired paragraph", async () => {
    const para = (title: string) => tx((db) => createParagraph(db, { title, body: `${title}：第一版正文。`, tags: [], asOf: null, ownerId: null, actorId: u.admin.id }));
    const kept = await para("版本段落甲");
    const retired = await para("版本段落乙");
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const a = await libraryBlock(h.db, kept.id);
    const b = await libraryBlock(h.db, retired.id);
    const edited = { ...a, text: "版本段落甲：第一版正文，承办人补充了一句。" } as typeof a;
    await tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: { ...base.draft, blocks: [edited, b] }, actor: u.li, kind: "save" }));
    for (const p of [kept, retired])
      await tx((db) =>
        reviseParagraph(db, { id: p.id, expectedVersion: 1, title: p === kept ? "版本段落甲" : "版本段落乙", body: "第二版正文。", tags: [], asOf: null, actorId: u.admin.id }),
      );
    await tx((db) => setParagraphStatus(db, { id: retired.id, status: "retired", actorId: u.admin.id }));
    const draft = (await getCurrentLetter(h.db, id))!.revision!.draft;
    const offered = await outdatedSources(h.db, draft);
    expect(offered.map((o) => [o.paragraphId, o.currentText, o.edited, o.newText])).toEqual([[kept.id, "版本段落甲：第一版正文，承办人补充了一句。", true, "第二版正文。"]]);

    // 采用新版本 takes the version the page showed; one saved since (a third) was never shown: refused, nothing taken
    const shown = offered[0]!;
    await tx((db) => reviseParagraph(db, { id: kept.id, expectedVersion: 2, title: "版本段落甲", body: "第三版正文，数字已变。", tags: [], asOf: null, actorId: u.admin.id }));
    await expect(acceptLibraryUpdate(h.db, draft, shown.blockId, shown.toVersionId)).rejects.toThrow("又更新为第 3 版");
    const [now] = await outdatedSources(h.db, draft);
    const accepted = await acceptLibraryUpdate(h.db, draft, now!.blockId, now!.toVersionId);
    expect(accepted.blocks[0]).toMatchObject({ text: "第三版正文，数字已变。", source: { versionNo: 3 } });
  });

  it("改派 while drafting: the letter gets the new handler's phone with their name; a number typed on purpose stays; a new round after 改派 too", async () => {
    const reassign = (id: number, phone: string) =>
      tx(async (db) =>
        performAction(db, {
          proposalId: id,
          expectedVersion: await version(id, db),
          action: "reassign",
          actor: u.reg,
          input: { handlerId: u.wang.id, handlerPhone: phone },
          today: TODAY,
        }),
      );
    const phoneOf = async (id: number) => (await getCurrentLetter(h.db, id))!.revision!.draft.phone;
    // The draft kept the handler's phone from the proposal: it follows the 改派.
    const a = await drafting();
    await tx((db) => startDraft(db, { proposalId: a, actor: u.li }));
    expect(await phoneOf(a)).toBe("28685020");
    await reassign(a, "28680000");
    expect(await phoneOf(a)).toBe("28680000");
    // A number the clerk typed (a switchboard, say) is theirs to change.
    const b = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: b, actor: u.li }));
    const base = (await getCurrentLetter(h.db, b))!.revision!;
    await tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: { ...base.draft, phone: "22223333" }, actor: u.li, kind: "save" }));
    await reassign(b, "28680000");
    expect(await phoneOf(b)).toBe("22223333");
    // Signed by li's round, corrected, reassigned: wang's new round prints wang's phone.
    const c = await drafting();
    await readyForReview(c);
    await tx(async (db) => signLetter(db, { proposalId: c, expectedVersion: await version(c, db), actor: u.zhan, today: TODAY }));
    await tx(async (db) =>
      performAction(db, { proposalId: c, expectedVersion: await version(c, db), action: "correct", actor: u.zhan, input: { comment: "更正数据" }, today: TODAY }),
    );
    // The handler hears of it, with the reason; "签发了" is no longer their task's news.
    const liNotices = (await listNotifications(h.db, u.li.id)).filter((n) => n.proposalId === c);
    expect(liNotices.find((n) => n.kind === "returned" && !n.resolvedAt)?.message).toBe(
      `第${(await getProposal(h.db, c))!.number}号提案已签发的答复由${u.zhan.displayName}退回更正：更正数据`,
    );
    expect(liNotices.filter((n) => n.kind === "signed").every((n) => n.resolvedAt)).toBe(true);
    await reassign(c, "28680000");
    await tx((db) => startDraft(db, { proposalId: c, actor: u.wang }));
    expect(await phoneOf(c)).toBe("28680000");
    // To a handler with no phone on file: the previous handler's number does not stay beside the new name.
    const nophone = await createUser(h.db, { username: "nophone", displayName: "无电话", role: "handler", phone: null, password: "correct horse battery" });
    const d = await drafting();
    await tx((db) => startDraft(db, { proposalId: d, actor: u.li }));
    await tx(async (db) =>
      performAction(db, { proposalId: d, expectedVersion: await version(d, db), action: "reassign", actor: u.reg, input: { handlerId: nophone }, today: TODAY }),
    );
    expect(await phoneOf(d)).toBe("");
  });

  it("two simultaneous saves of one draft: one wins, the other gets the conflict (a real race on PostgreSQL; PGlite runs them one after the other)", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const save = (text: string) =>
      tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: { ...base.draft, blocks: [{ id: "p1", type: "paragraph", text }] }, actor: u.li, kind: "save" }));
    const results = await Promise.allSettled([save("甲的版本"), save("乙的版本"), save("丙的版本"), save("丁的版本")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(DraftConflictError);
  });

  it("the block length limit holds on every path to a save, with a Chinese reason", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const long: Draft = { ...base.draft, blocks: [{ id: "p1", type: "paragraph", text: "字".repeat(50_001) }] };
    await expect(tx((db) => saveDraft(db, { letterId, baseRevisionId: base.id, draft: long, actor: u.li, kind: "save" }))).rejects.toThrow("第 1 段超过 50000 字，请拆分。");
    expect((await getCurrentLetter(h.db, id))!.revision!.id).toBe(base.id);
  });

  it("the one-off sweep removes U+FFFD that a textarea stored from React 18's NUL padding, as a new revision with a history entry", async () => {
    const id = await drafting();
    const letterId = await tx((db) => startDraft(db, { proposalId: id, actor: u.li }));
    const l = (await getCurrentLetter(h.db, id))!;
    const text = "推动专精特新企业发展，培育和发展新兴产业集群。";
    // What the browser posted back before the fix: padding bytes turned into U+FFFD mid-text.
    const damaged: Draft = { ...l.revision!.draft, blocks: [{ id: "p1", type: "paragraph", text: text.slice(0, 7) + "\uFFFD\uFFFD" + text.slice(7) }] };
    const [rev] = await h.db.insert(letterRevisions).values({ letterId, revisionNo: 2, draft: damaged, kind: "save", createdBy: u.li.id }).returning({ id: letterRevisions.id });
    await h.db.update(letters).set({ currentRevisionId: rev.id }).where(eq(letters.id, letterId));
    const report = await tx((db) => repairReplacementCharacters(db));
    expect(report.repaired).toEqual([{ proposalId: id, letterId, removed: 2 }]);
    const after = (await getCurrentLetter(h.db, id))!;
    expect(after.revision!.kind).toBe("repair");
    expect(after.revision!.draft.blocks[0]).toMatchObject({ type: "paragraph", text });
    expect((await listEvents(h.db, id)).map((e) => e.kind)).toContain("draft_repaired");
    // Idempotent: nothing left to repair.
    expect((await tx((db) => repairReplacementCharacters(db))).repaired.filter((r) => r.proposalId === id)).toEqual([]);
    // And a save can no longer store one.
    const saved = await tx((db) => saveDraft(db, { letterId, baseRevisionId: after.revision!.id, draft: damaged, actor: u.li, kind: "save" }));
    expect(saved.changed).toBe(false);
  });
});
