/** Answering like a past letter: similar letters, a draft from one, search by 文号, inserts without cleaning — on both databases. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { and, eq, isNotNull, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { events, letterRevisions, letters, libraryDocuments, paragraphs, paragraphUses, proposals, publications } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { proposalInputSchema } from "~/domain/proposal";
import { DraftConflictError, getCurrentLetter, saveDraft, startDraft } from "~/models/letter.server";
import { libraryBlock, libraryBlocks, retiredSources } from "~/models/letter-sources.server";
import { Document, Packer, Paragraph } from "docx";
import { blocksOfLetter, draftFromLetter, findSimilarLetters, lettersByNumberQuery, proposalText, similarLettersForProposal } from "~/models/letter-reuse.server";
import { searchParagraphs } from "~/models/library-search.server";
import { getProposal, listProposals, registerProposal } from "~/models/proposal.server";
import { findUserForSignIn } from "~/models/user.server";
import { visibilityFor } from "~/models/access.server";
import { getVisibleProposal } from "~/models/visible-proposal.server";
import { listParagraphUses, scopeUses, setParagraphStatus } from "~/models/paragraph.server";
import { documentsNamedByNumber, getReadableLibraryDocument } from "~/models/library-document.server";
import { suggestForProposal, suggestParagraphsForProposal } from "~/models/suggestions.server";
import { performAction, WorkflowRefusedError } from "~/models/workflow.server";
import { addRedactionRule, removeRedactionRule } from "~/models/redaction.server";
import { availableDatabases } from "../support/databases";
import { CLI, cliArgs } from "../support/cli";

const TODAY = "2026-11-30";
const letter108 = JSON.parse(fs.readFileSync("seeds/letters/letter-108.json", "utf8")) as { sections: { type: string; text: string; lead?: { level: number; text: string } }[] };

describe.each(await availableDatabases())("reusing past replies on $name", (database) => {
  let h: DbHandle;
  const as = async (username: string): Promise<SessionUser> => {
    const u = (await findUserForSignIn(h.db, username))!;
    return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, phone: u.phone, disabled: false };
  };
  let seq = 0;
  /** A new proposal, assigned to 李泳 and acknowledged. */
  async function drafting(title: string, proposer: { kind: "body" | "member"; name: string }) {
    const reg = await as("chenmin");
    const li = await as("liyong");
    const id = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十四届五次会议",
          number: String(48000 + ++seq),
          title,
          proposers: [proposer],
          bureauRole: "lead",
          assignedOn: "2026-11-02",
        }),
        actorId: reg.id,
      }),
    );
    for (const [action, actor, input] of [
      ["assign", reg, { handlerId: li.id }],
      ["acknowledge", li, {}],
    ] as const) {
      await h.db.transaction(async (tx) => performAction(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, action, actor, input, today: TODAY }));
    }
    return id;
  }

  beforeAll(async () => {
    h = await database.openWithDemo();
  });
  afterAll(() => h?.close());

  it("ranks letter 108 first for the same proposer on the same topic, and says why", async () => {
    const r = await findSimilarLetters(h.db, { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: {} });
    expect(r.map((x) => x.documentNumber)).toEqual(["东工信函〔2021〕108号"]);
    expect(r[0]!.reason).toBe("同一提案者；主题相近：世界级智能终端产业");
    // its date is the day in Beijing: signed at 07:30 there is still that day, not the one before
    const [l108] = await h.db.select({ id: letters.id, signedAt: letters.signedAt }).from(letters).where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    await h.db
      .update(letters)
      .set({ signedAt: new Date("2021-03-31T23:30:00Z") })
      .where(eq(letters.id, l108!.id));
    try {
      expect((await findSimilarLetters(h.db, { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: {} }))[0]!.date).toBe("2021-04-01");
    } finally {
      await h.db.update(letters).set({ signedAt: l108!.signedAt }).where(eq(letters.id, l108!.id));
    }
    // A topic no letter answered finds nothing rather than noise.
    expect(await findSimilarLetters(h.db, { title: "关于加强食品饮料产业品牌建设的建议", proposers: ["某委员"], scope: {} })).toEqual([]);
  });

  it("the demo's own 第30318号 (a new user's first try of the feature) is offered letter 108 first, for the same proposer on its topic", async () => {
    const [demo] = await h.db.select({ id: proposals.id }).from(proposals).where(eq(proposals.number, "30318"));
    const r = await similarLettersForProposal(h.db, demo!.id, {});
    expect(r[0]?.documentNumber).toBe("东工信函〔2021〕108号");
    expect(r[0]?.reason).toMatch(/^同一提案者；主题相近：.*智能终端产业/);
  });

  it("reads an uploaded original: a proposal whose 案由 says little is matched to 108 by the text of its file", async () => {
    const title = "关于进一步支持制造业发展的建议";
    const body =
      "建议围绕智能移动终端产业集群争创国家先进制造业集群，完善顶层设计，加强组织领导，依托松山湖科学城和散裂中子源推动科技成果转化，做好强链补链，优化“企莞家”对企服务。";
    const doc = new Document({ sections: [{ children: [new Paragraph(title), new Paragraph(body)] }] });
    const file = { fileName: "提案原件.docx", mediaType: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", content: await Packer.toBuffer(doc) };
    const reg = await as("chenmin");
    const withFile = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十四届五次会议",
          number: "48990",
          title,
          proposers: [{ kind: "member", name: "钱七" }],
          bureauRole: "lead",
          assignedOn: "2026-11-02",
        }),
        actorId: reg.id,
        file,
      }),
    );
    const without = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十四届五次会议",
          number: "48991",
          title,
          proposers: [{ kind: "member", name: "钱七" }],
          bureauRole: "lead",
          assignedOn: "2026-11-02",
        }),
        actorId: reg.id,
      }),
    );
    expect(await proposalText(h.db, withFile)).toContain("智能移动终端产业集群");
    expect((await similarLettersForProposal(h.db, withFile, {})).map((l) => l.documentNumber)[0]).toBe("东工信函〔2021〕108号");
    expect(await similarLettersForProposal(h.db, without, {})).toEqual([]);
  });

  it("builds the draft from letter 108 in one step: its body, its structure, linked to the library, reuse recorded", async () => {
    const id = await drafting("关于加快建设世界级智能终端产业集群的建议", { kind: "body", name: "民建市委会" });
    const [l108] = await lettersByNumberQuery(h.db, "东工信函〔2021〕108号", {});
    const li = await as("liyong");
    const r = await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {} }));
    expect(r).toMatchObject({ changed: true, blocks: 10, documentNumber: "东工信函〔2021〕108号" });
    const draft = (await getCurrentLetter(h.db, id))!.revision!.draft;
    // its structure, less its slip: 一、 and 二、 went out typed into their paragraphs, 三、 to 八、 as
    // 行内标题 — the new letter has all eight alike
    const typed = /^[一二]、[^。]+。/;
    expect(draft.blocks.map((b) => ({ type: b.type, text: "text" in b ? b.text : "", lead: b.type === "paragraph" ? b.lead : undefined }))).toEqual(
      letter108.sections.map((s) => {
        const m = typed.exec(s.text);
        return m ? { type: s.type, text: s.text.slice(m[0].length), lead: { level: 1, text: m[0] } } : { type: s.type, text: s.text, lead: s.lead };
      }),
    );
    expect(letter108.sections.filter((s) => typed.test(s.text))).toHaveLength(2);
    expect(draft.blocks.every((b) => b.source)).toBe(true);
    const uses = await h.db
      .select({ mode: paragraphUses.mode, title: paragraphs.title })
      .from(paragraphUses)
      .innerJoin(paragraphs, eq(paragraphs.id, paragraphUses.paragraphId))
      .where(eq(paragraphUses.proposalId, id));
    expect(uses).toHaveLength(10);
    // As sent, 108 says "推动专专精特新": that block counts as edited. It also writes "5G", "2020年"
    // without the library text's PDF spaces — no edit of the wording (three more blocks read 已修改 before).
    expect(uses.filter((u) => u.mode === "edited").map((u) => u.title)).toEqual(["做好强链补链"]);
  });

  it("a letter reused whole brings a paragraph retired since as it was, and the editor is told which block that is", async () => {
    const id = await drafting("关于加快建设世界级智能终端产业集群的建议", { kind: "body", name: "民建市委会" });
    const [l108] = await lettersByNumberQuery(h.db, "东工信函〔2021〕108号", {});
    const { blocks } = await blocksOfLetter(h.db, l108!.letterId, {});
    const third = blocks.find((b) => b.source)!;
    await setParagraphStatus(h.db, { id: third.source!.paragraphId, status: "retired", actorId: null });
    try {
      const li = await as("liyong");
      await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {} }));
      const draft = (await getCurrentLetter(h.db, id))!.revision!.draft;
      const at = draft.blocks.findIndex((b) => b.source?.paragraphId === third.source!.paragraphId);
      expect(await retiredSources(h.db, draft)).toEqual([{ index: at, blockId: draft.blocks[at]!.id, paragraphId: third.source!.paragraphId, title: expect.any(String) }]);
    } finally {
      await setParagraphStatus(h.db, { id: third.source!.paragraphId, status: "active", actorId: null });
    }
  });

  it("a draft built from a letter over someone else's newer save is a conflict, never a silent overwrite", async () => {
    const id = await drafting("关于智能终端产业的建议", { kind: "member", name: "张三" });
    const li = await as("liyong");
    const [l108] = await lettersByNumberQuery(h.db, "108号", {});
    await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {} }));
    const current = (await getCurrentLetter(h.db, id))!;
    const theirs = { ...current.revision!.draft, phone: "22220000", blocks: [{ id: "t1", type: "paragraph" as const, text: "同事刚写的正文。" }] };
    await h.db.transaction((tx) => saveDraft(tx, { letterId: current.id, baseRevisionId: current.revision!.id, draft: theirs, actor: li, kind: "save" }));
    const err = await h.db
      .transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {}, baseRevisionId: current.revision!.id }))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DraftConflictError);
    // The conflict screen compares their text with what the reuse would make of it (not an empty draft).
    const { mine, theirs: shown } = err as DraftConflictError;
    expect(shown.draft.blocks.map((b) => b.id)).toEqual(["t1"]);
    expect(mine?.phone).toBe("22220000");
    expect(mine?.blocks.map((b) => (b.type === "table" ? "" : b.text))).toEqual(current.revision!.draft.blocks.map((b) => (b.type === "table" ? "" : b.text)));
    // A page that showed no draft yet (no base) while one was started since: also a conflict, not a silent replacement.
    const unseen = await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {} })).catch((e: unknown) => e);
    expect(unseen).toBeInstanceOf(DraftConflictError);
    expect((unseen as DraftConflictError).theirs.draft.blocks.map((b) => b.id)).toEqual(["t1"]);
    expect((await getCurrentLetter(h.db, id))!.revision!.draft.blocks.map((b) => b.id)).toEqual(["t1"]);
    // Someone who may not draft it is refused as such (they were shown the draft as a "conflict")
    for (const who of ["chenmin", "zhanzhibin", "wangfang"]) {
      const actor = await as(who);
      const refused = await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor, scope: {} })).catch((e: unknown) => e);
      expect(refused, who).toBeInstanceOf(WorkflowRefusedError);
      expect((refused as Error).message).toBe("只有本提案的承办人可以起草答复。");
    }
  });

  it("推荐段落 are kept between page views but follow every change at once: the proposal's own draft, a retired paragraph", async () => {
    const id = await drafting("关于打造世界级智能终端产业基地的建议", { kind: "body", name: "民建市委会" });
    const suggest = async () => suggestParagraphsForProposal(h.db, (await getProposal(h.db, id))!);
    const before = await suggest();
    expect(before.length).toBeGreaterThan(0);
    expect(before.some((s) => s.usedForProposal)).toBe(false);
    expect(await suggest()).toEqual(before);
    // the draft from 108 uses its paragraphs: the next view says so
    const [l108] = await lettersByNumberQuery(h.db, "东工信函〔2021〕108号", {});
    const li = await as("liyong");
    await h.db.transaction((tx) => draftFromLetter(tx, { proposalId: id, fromLetterId: l108!.letterId, actor: li, scope: {} }));
    const drafted = await suggest();
    expect(drafted.filter((s) => s.usedForProposal).length).toBeGreaterThan(0);
    // a retired paragraph is no longer suggested
    const top = drafted[0]!;
    await setParagraphStatus(h.db, { id: top.id, status: "retired", actorId: null });
    expect((await suggest()).map((s) => s.id)).not.toContain(top.id);
    await setParagraphStatus(h.db, { id: top.id, status: "active", actorId: null });
    expect((await suggest()).map((s) => s.id)).toContain(top.id);
    // nor one suggested only because a similar past reply used it (the same proposer as 108; no words in common)
    const byLetters = () => suggestForProposal(h.db, { title: "关于某项工作的建议", proposers: ["民建市委会"], limit: 8, today: new Date(TODAY) });
    const byLetter = (await byLetters()).find((s) => s.matched.length === 0 && s.why.includes("相近答复"))!;
    expect(byLetter).toBeDefined();
    await setParagraphStatus(h.db, { id: byLetter.id, status: "retired", actorId: null });
    expect((await byLetters()).map((s) => s.id)).not.toContain(byLetter.id);
    await setParagraphStatus(h.db, { id: byLetter.id, status: "active", actorId: null });
  });

  it("search by 文号 or 提案号 finds that letter's paragraphs in the letter's order", async () => {
    const titles = async (q: string) => (await searchParagraphs(h.db, { q, limit: 20, today: new Date(TODAY) })).rows.map((r) => r.title);
    const of108 = await titles("108号");
    expect(of108).toHaveLength(10);
    expect(of108.slice(0, 3)).toEqual(["为推动东莞市智能移动终端产业集群发展", "完善顶层设计", "加强组织领导"]);
    expect(await titles("东工信函〔2021〕108号")).toEqual(of108);
    expect(await titles("第10121号提案")).toEqual(of108);
    expect(await titles("东工信函〔2021〕109号")).toEqual(["创新成果转化", "加强产业链招商和供应链招商，引导高新技术产业链集聚", "完善顶层设计", "加强组织领导", "系统规划引领"]);
    // A number no letter has falls back to the text search (nothing here).
    expect(await titles("999号")).toEqual([]);
    // the drafting page's 插入整封正文 box takes a bare number as people type it ("108" found no letter)
    expect((await lettersByNumberQuery(h.db, "108", {})).map((l) => l.documentNumber)).toEqual(["东工信函〔2021〕108号"]);
    expect((await lettersByNumberQuery(h.db, " １０９ ", {})).map((l) => l.documentNumber)).toEqual(["东工信函〔2021〕109号"]);
    expect(await lettersByNumberQuery(h.db, "2021", {})).toEqual([]);
    // 第30145号提案 is being drafted by 李泳 with library paragraphs: he finds them by its number;
    // 王芳, who sees only her own proposals, does not (as "where used" hides them from her).
    const asHandler = async (username: string) => searchParagraphs(h.db, { q: "第30145号提案", limit: 20, today: new Date(TODAY), handlerId: (await as(username)).id });
    const his = await asHandler("liyong");
    expect(his.strategy).toBe("reference");
    expect(his.rows.length).toBeGreaterThan(0);
    expect((await asHandler("wangfang")).strategy).not.toBe("reference");
    // the letters imported into the library stay findable by their proposal's number for everyone
    expect((await searchParagraphs(h.db, { q: "第10121号提案", limit: 20, today: new Date(TODAY), handlerId: (await as("wangfang")).id })).rows.map((r) => r.title)).toEqual(of108);
  });

  it("the proposal list finds a proposal by the 文号 of its reply and shows that 文号", async () => {
    for (const q of ["108号", "东工信函〔2021〕108号", "〔2021〕108号"]) {
      const r = await listProposals(h.db, { q, page: 1, pageSize: 50 });
      expect(
        r.rows.map((x) => [x.number, x.documentNumber]),
        q,
      ).toEqual([["10121", "东工信函〔2021〕108号"]]);
    }
    expect((await listProposals(h.db, { q: "1108号", page: 1, pageSize: 50 })).rows).toEqual([]);
  });

  it("a block's library provenance is checked on save: forged text or a version of another paragraph never counts as verbatim use", async () => {
    const id = await drafting("关于某事的建议", { kind: "member", name: "赵六" });
    const li = await as("liyong");
    const letterId = await h.db.transaction((tx) => startDraft(tx, { proposalId: id, actor: li }));
    const [p] = await h.db.select({ id: paragraphs.id }).from(paragraphs).where(eq(paragraphs.title, "优化对企服务"));
    const real = await libraryBlock(h.db, p!.id);
    const forged = { ...real, id: "f1", text: "与段落库无关的文字。", source: { ...real.source!, originalText: "与段落库无关的文字。" } };
    const foreign = { ...real, id: "f2", source: { ...real.source!, paragraphId: real.source!.paragraphId + 1 } };
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    await h.db.transaction((tx) => saveDraft(tx, { letterId, baseRevisionId: base.id, draft: { ...base.draft, blocks: [forged, foreign] }, actor: li, kind: "save" }));
    const saved = (await getCurrentLetter(h.db, id))!.revision!.draft.blocks;
    expect(saved[0]!.source!.originalText).toBe(real.source!.originalText);
    expect(saved[1]!.source).toBeUndefined();
    const uses = await h.db.select({ mode: paragraphUses.mode }).from(paragraphUses).where(eq(paragraphUses.proposalId, id));
    expect(uses).toEqual([{ mode: "edited" }]);
  });

  it("the scoped query every proposal page starts with: a handler finds their own proposal, another's is hidden, a missing one is none; a registrar sees all", async () => {
    const byNumber = async (n: string) => (await h.db.select({ id: proposals.id }).from(proposals).where(eq(proposals.number, n)))[0]!.id;
    const [own, others] = [await byNumber("30318"), await byNumber("30210")]; // 李泳's, 王芳's
    const li = await as("liyong");
    expect(await getVisibleProposal(h.db, { id: own, user: li })).toMatchObject({ proposal: { id: own } });
    expect(await getVisibleProposal(h.db, { id: others, user: li })).toEqual({ hidden: true });
    expect(await getVisibleProposal(h.db, { id: 2_000_000_000, user: li })).toBeNull();
    expect(await getVisibleProposal(h.db, { id: others, user: await as("chenmin") })).toMatchObject({ proposal: { id: others } });
  });

  it("“where used” shows a handler only the proposals they may open: another's draft is not listed, a signed letter keeps only its 文号", async () => {
    const li = await as("liyong");
    const wang = await as("wangfang");
    // 李泳's draft (demo proposal 30145) and signed letter 108 use library paragraphs.
    const [draftUse] = await h.db
      .select({ paragraphId: paragraphUses.paragraphId })
      .from(paragraphUses)
      .where(and(eq(paragraphUses.frozen, false), isNotNull(paragraphUses.letterRevisionId)));
    const forLi = scopeUses(await listParagraphUses(h.db, draftUse!.paragraphId), await visibilityFor(h.db, li));
    const forWang = scopeUses(await listParagraphUses(h.db, draftUse!.paragraphId), await visibilityFor(h.db, wang));
    expect(forLi.some((u) => !u.frozen && u.letterRevisionId !== null && u.proposalTitle)).toBe(true);
    expect(forWang.some((u) => !u.frozen && u.letterRevisionId !== null)).toBe(false);
    const [p108] = await h.db.select({ id: paragraphs.id }).from(paragraphs).where(eq(paragraphs.title, "优化对企服务"));
    const signed = scopeUses(await listParagraphUses(h.db, p108!.id), await visibilityFor(h.db, wang));
    expect(signed.length).toBeGreaterThan(0);
    for (const u of signed) {
      if (!u.hidden) continue;
      expect(u).toMatchObject({ proposalId: null, proposalNumber: null, proposalTitle: null, text: null, versionBody: null });
    }
    expect(signed.filter((u) => u.hidden).map((u) => u.letterNumber)).toContain("东工信函〔2021〕108号");
  });

  it("an imported past letter whose proposal a handler may not open is named by its 文号 only: not its title in the library's lists or uses", async () => {
    const li = await as("liyong");
    const wang = await as("wangfang");
    const [doc109] = await h.db
      .select({ id: libraryDocuments.id, title: libraryDocuments.title })
      .from(libraryDocuments)
      .where(eq(libraryDocuments.letterNumber, "东工信函〔2021〕109号"));
    const [p109] = await h.db.select({ id: proposals.id }).from(proposals).where(eq(proposals.number, "20210100"));
    expect(doc109!.title).toContain("第20210100号提案");
    expect((await getProposal(h.db, p109!.id))!.handlerId).toBe(li.id);
    // 109 was not disclosed: hidden from 王芳, not from its own handler nor from those who read every proposal
    expect((await documentsNamedByNumber(h.db, await visibilityFor(h.db, wang))).has(doc109!.id)).toBe(true);
    expect((await documentsNamedByNumber(h.db, await visibilityFor(h.db, wang), [doc109!.id])).has(doc109!.id)).toBe(true);
    expect((await documentsNamedByNumber(h.db, await visibilityFor(h.db, li))).has(doc109!.id)).toBe(false);
    expect((await documentsNamedByNumber(h.db, await visibilityFor(h.db, await as("admin")))).size).toBe(0);
    // where a paragraph of 109 was used: the letter's title and date go with the proposal
    const [use] = await h.db.select({ paragraphId: paragraphUses.paragraphId }).from(paragraphUses).where(eq(paragraphUses.documentId, doc109!.id));
    const forWang = scopeUses(await listParagraphUses(h.db, use!.paragraphId), await visibilityFor(h.db, wang)).filter((u) => u.documentId === doc109!.id);
    expect(forWang.length).toBeGreaterThan(0);
    for (const u of forWang) expect(u).toMatchObject({ hidden: true, documentTitle: null, letterDate: null, section: null, letterNumber: "东工信函〔2021〕109号" });
    // (its own handler sees the part of 109 it went into)
    const forLi = scopeUses(await listParagraphUses(h.db, use!.paragraphId), await visibilityFor(h.db, li)).filter((u) => u.documentId === doc109!.id);
    expect(forLi.some((u) => u.section)).toBe(true);
    expect(await getReadableLibraryDocument(h.db, { id: doc109!.id, user: wang })).toMatchObject({ access: "hidden" });
    expect(await getReadableLibraryDocument(h.db, { id: doc109!.id, user: li })).toMatchObject({ access: "full" });
  });

  it("an imported past letter that was disclosed is read by other handlers as the public reads it — rules applied, no file — and not at all once withdrawn from the public site", async () => {
    const wang = await as("wangfang");
    const [doc108] = await h.db.select({ id: libraryDocuments.id }).from(libraryDocuments).where(eq(libraryDocuments.letterNumber, "东工信函〔2021〕108号"));
    const [l108] = await h.db.select({ id: letters.id }).from(letters).where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    const read = () => getReadableLibraryDocument(h.db, { id: doc108!.id, user: wang });
    expect((await read())!.document.letterFrame?.caseTitle).toContain("智能终端");
    const ruleId = await addRedactionRule(h.db, { kind: "text", match: "智能终端", documentNumber: "东工信函〔2021〕108号", reason: "测试", actor: await as("admin") });
    const [standing] = await h.db
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.letterId, l108!.id), isNull(publications.withdrawnAt)));
    try {
      const shown = (await read())!;
      expect(shown.access).toBe("public");
      expect(shown.document.fileName).toBeNull();
      expect(`${shown.document.title}|${shown.document.letterFrame?.caseTitle}`).not.toContain("智能终端");
      expect(shown.document.letterFrame?.caseTitle).toContain("■■■■");
      // nor its officer's name and phone, which its withheld file prints
      expect(JSON.stringify(shown.document)).not.toContain("28685020");
      expect(JSON.stringify(shown.document.letterFrame)).not.toContain("李泳");
      // lists name it by its 文号 (its title there could name what the rule hides)
      expect((await documentsNamedByNumber(h.db, await visibilityFor(h.db, wang), [doc108!.id])).has(doc108!.id)).toBe(true);
      // its own handler reads it whole, file and all
      expect(await getReadableLibraryDocument(h.db, { id: doc108!.id, user: await as("liyong") })).toMatchObject({
        access: "full",
        document: { letterFrame: { caseTitle: expect.stringContaining("智能终端") } },
      });
      // withdrawn from the public site: no longer disclosed to those who may not open its proposal
      await h.db.update(publications).set({ withdrawnAt: new Date() }).where(eq(publications.id, standing!.id));
      expect((await read())!.access).toBe("hidden");
    } finally {
      await h.db.update(publications).set({ withdrawnAt: null }).where(eq(publications.id, standing!.id));
      await removeRedactionRule(h.db, { id: ruleId, actor: await as("admin") });
    }
    expect((await read())!.access).toBe("public");
  });

  it("another's disclosed reply reaches a handler as the public reads it — 〖〗-marked text and contact details masked in the excerpt and in what is copied; its own handler gets it as signed", async () => {
    const wangScope = (await visibilityFor(h.db, await as("wangfang"))).scope;
    const [l108] = await h.db
      .select({ id: letters.id, finalLetter: letters.finalLetter, revisionId: letters.currentRevisionId, handlerId: proposals.handlerId })
      .from(letters)
      .innerJoin(proposals, eq(proposals.id, letters.proposalId))
      .where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    const [rev] = (await h.db.select({ draft: letterRevisions.draft }).from(letterRevisions).where(eq(letterRevisions.id, l108!.revisionId!))) as { draft: { blocks: object[] } }[];
    const secret = "我局已走访〖某某科技有限公司〗，联系人手机13800138000。";
    const final = l108!.finalLetter as { sections: object[] };
    await h.db
      .update(letters)
      .set({ finalLetter: { ...final, sections: [{ type: "paragraph", text: secret }, ...final.sections] } })
      .where(eq(letters.id, l108!.id));
    await h.db
      .update(letterRevisions)
      .set({ draft: { ...rev!.draft, blocks: [{ id: "secret", type: "paragraph", text: secret }, ...rev!.draft.blocks] } })
      .where(eq(letterRevisions.id, l108!.revisionId!));
    try {
      const shown = "我局已走访■■■■■■■■，联系人手机■■■■■■■■■■■。";
      const copied = (await blocksOfLetter(h.db, l108!.id, wangScope)).blocks;
      expect(copied[0]).toMatchObject({ type: "paragraph", text: shown });
      expect(JSON.stringify(copied)).not.toMatch(/某某科技|13800138000|〖/);
      const [similar] = await findSimilarLetters(h.db, { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: wangScope });
      expect(similar!.body.startsWith(shown)).toBe(true);
      expect(similar!.body).not.toMatch(/某某科技|13800138000/);
      // a redaction rule for its 文号 hides a word of its 案由 from the public: from 王芳's offer too, title and reason
      expect(similar!.title).toContain("智能终端");
      const ruleId = await addRedactionRule(h.db, { kind: "text", match: "智能终端", documentNumber: "东工信函〔2021〕108号", reason: "测试", actor: await as("admin") });
      try {
        const [ruled] = await findSimilarLetters(h.db, { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: wangScope });
        expect(ruled!.documentNumber).toBe("东工信函〔2021〕108号");
        expect(`${ruled!.title}|${ruled!.reason}|${ruled!.topics.join("|")}|${ruled!.body}`).not.toContain("智能终端");
        expect(ruled!.title).toContain("■■■■");
        const [own] = await findSimilarLetters(h.db, { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: { handlerId: l108!.handlerId! } });
        expect(own!.title).toContain("智能终端");
      } finally {
        await removeRedactionRule(h.db, { id: ruleId, actor: await as("admin") });
      }
      // its own handler reuses what was signed: the marks stay, so the text stays hidden from the public in the new draft too
      expect((await blocksOfLetter(h.db, l108!.id, { handlerId: l108!.handlerId! })).blocks[0]).toMatchObject({ text: secret });
    } finally {
      await h.db.update(letters).set({ finalLetter: l108!.finalLetter }).where(eq(letters.id, l108!.id));
      await h.db.update(letterRevisions).set({ draft: rev!.draft }).where(eq(letterRevisions.id, l108!.revisionId!));
    }
  });

  it("a disclosed reply an admin withdrew from the public site no longer reaches handlers who see it only as disclosed; its own handler still reuses it", async () => {
    const wangScope = (await visibilityFor(h.db, await as("wangfang"))).scope;
    const [l108] = await h.db
      .select({ id: letters.id, handlerId: proposals.handlerId })
      .from(letters)
      .innerJoin(proposals, eq(proposals.id, letters.proposalId))
      .where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    const standing = await h.db
      .select({ id: publications.id })
      .from(publications)
      .where(and(eq(publications.letterId, l108!.id), isNull(publications.withdrawnAt)));
    expect(standing).toHaveLength(1);
    expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toHaveLength(1);
    await h.db.update(publications).set({ withdrawnAt: new Date() }).where(eq(publications.id, standing[0]!.id));
    try {
      expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toEqual([]);
      await expect(blocksOfLetter(h.db, l108!.id, wangScope)).rejects.toThrow("找不到这份已签发的答复函");
      expect(await lettersByNumberQuery(h.db, "108号", { handlerId: l108!.handlerId! })).toHaveLength(1);
    } finally {
      await h.db.update(publications).set({ withdrawnAt: null }).where(eq(publications.id, standing[0]!.id));
    }
  });

  it("a letter being corrected (更正: a next round started with no 不满意 between) is no longer offered, found by 文号 or copied", async () => {
    const [l108] = await h.db
      .select({ id: letters.id, proposalId: letters.proposalId, round: letters.round, templateId: letters.templateId })
      .from(letters)
      .where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    const q = { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"], scope: {} };
    expect((await findSimilarLetters(h.db, q)).map((l) => l.documentNumber)).toContain("东工信函〔2021〕108号");
    const [next] = await h.db
      .insert(letters)
      .values({ proposalId: l108!.proposalId, round: l108!.round + 1, templateId: l108!.templateId })
      .returning({ id: letters.id });
    try {
      expect((await findSimilarLetters(h.db, q)).map((l) => l.documentNumber)).not.toContain("东工信函〔2021〕108号");
      expect(await lettersByNumberQuery(h.db, "108号", {})).toEqual([]);
      await expect(blocksOfLetter(h.db, l108!.id, {})).rejects.toThrow("找不到这份已签发的答复函");
    } finally {
      await h.db.delete(letters).where(eq(letters.id, next!.id));
    }
    expect(await lettersByNumberQuery(h.db, "108号", {})).toHaveLength(1);
  });

  it("a handler who may open only their own proposals reuses another's signed letter only if it was signed as disclosed: a 不予公开 reply is not offered, found by 文号 or copied", async () => {
    const wang = await as("wangfang");
    const wangScope = (await visibilityFor(h.db, wang)).scope;
    expect(wangScope.handlerId).toBe(wang.id);
    const [l108] = await h.db
      .select({ id: letters.id, finalLetter: letters.finalLetter, handlerId: proposals.handlerId })
      .from(letters)
      .innerJoin(proposals, eq(proposals.id, letters.proposalId))
      .where(eq(letters.documentNumber, "东工信函〔2021〕108号"));
    expect(l108!.handlerId).not.toBe(wang.id);
    expect((l108!.finalLetter as { disclosure: string }).disclosure).toBe("主动公开");
    const q = { title: "关于加快建设世界级智能终端产业集群的建议", proposers: ["民建市委会"] };
    // signed 主动公开: offered to her as to anyone
    expect((await lettersByNumberQuery(h.db, "108号", wangScope)).map((l) => l.documentNumber)).toEqual(["东工信函〔2021〕108号"]);
    expect((await findSimilarLetters(h.db, { ...q, scope: wangScope })).map((l) => l.documentNumber)).toEqual(["东工信函〔2021〕108号"]);
    expect((await blocksOfLetter(h.db, l108!.id, wangScope)).blocks).toHaveLength(10);
    await h.db
      .update(letters)
      .set({ finalLetter: { ...(l108!.finalLetter as object), disclosure: "不予公开" } })
      .where(eq(letters.id, l108!.id));
    try {
      expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toEqual([]);
      expect(await findSimilarLetters(h.db, { ...q, scope: wangScope })).toEqual([]);
      await expect(blocksOfLetter(h.db, l108!.id, wangScope)).rejects.toThrow("找不到这份已签发的答复函");
      // its own handler, and whoever may read every proposal, still reuse it
      expect(await lettersByNumberQuery(h.db, "108号", { handlerId: l108!.handlerId! })).toHaveLength(1);
      expect((await blocksOfLetter(h.db, l108!.id, {})).blocks).toHaveLength(10);
    } finally {
      await h.db.update(letters).set({ finalLetter: l108!.finalLetter }).where(eq(letters.id, l108!.id));
    }

    // Corrected (更正) and signed again as 不予公开: the wording it replaced is out of her reach too.
    const [proposal108] = await h.db.select({ proposalId: letters.proposalId, templateId: letters.templateId }).from(letters).where(eq(letters.id, l108!.id));
    // a later round of 108, signed as 不予公开
    const laterRound = () =>
      h.db
        .insert(letters)
        .values({
          proposalId: proposal108!.proposalId,
          round: 99,
          templateId: proposal108!.templateId,
          state: "signed",
          finalLetter: { ...(l108!.finalLetter as object), disclosure: "不予公开" },
        })
        .returning({ id: letters.id });
    const [round2] = await laterRound();
    try {
      expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toEqual([]);
      await expect(blocksOfLetter(h.db, l108!.id, wangScope)).rejects.toThrow("找不到这份已签发的答复函");
      expect(await lettersByNumberQuery(h.db, "108号", { handlerId: l108!.handlerId! })).toHaveLength(1);
    } finally {
      await h.db.delete(letters).where(eq(letters.id, round2!.id));
    }
    expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toHaveLength(1);
    // A 不予公开 reply after a 不满意 (再办理) is another reply, not a correction: 108 stays reusable.
    const [feedback] = await h.db
      .insert(events)
      .values({ proposalId: proposal108!.proposalId, kind: "record_feedback", changes: [{ field: "feedback", label: "征询意见", from: null, to: "不满意" }] })
      .returning({ id: events.id });
    const [rehandled] = await laterRound();
    try {
      expect(await lettersByNumberQuery(h.db, "108号", wangScope)).toHaveLength(1);
    } finally {
      await h.db.delete(letters).where(eq(letters.id, rehandled!.id));
      await h.db.delete(events).where(eq(events.id, feedback!.id));
    }
  });

  it("a library paragraph inserts with its inline lead and without the plan's responsibility tags", async () => {
    const [p] = await h.db
      .select({ id: paragraphs.id })
      .from(paragraphs)
      .where(and(eq(paragraphs.title, "新一代电子信息产业集群")));
    const b = await libraryBlock(h.db, p!.id);
    expect(b).toMatchObject({ type: "paragraph", lead: { level: 2, text: "1·新一代电子信息产业集群。" } });
    expect(b.type === "paragraph" && b.text.endsWith("世界级新一代电子信息产业集群。")).toBe(true);
    expect(b.source!.originalText.startsWith("1·新一代电子信息产业集群。充分发挥")).toBe(true);
    // A paragraph under a standalone heading (letter 109) is inserted under that heading.
    const [q] = await h.db.select({ id: paragraphs.id }).from(paragraphs).where(eq(paragraphs.title, "加强产业链招商和供应链招商，引导高新技术产业链集聚"));
    const blocks = await libraryBlocks(h.db, q!.id);
    expect(blocks.map((x) => [x.type, x.type === "heading" ? x.text : x.type === "paragraph" ? x.text.slice(0, 13) : ""])).toEqual([
      ["heading", "二、加强产业链招商和供应链招商，引导高新技术产业链集聚。"],
      ["paragraph", "市委市政府高度重视招商工作"],
    ]);
    expect(blocks[1]).not.toHaveProperty("lead");
  });
});

describe("reuse CLI", () => {
  const run = promisify(execFile);
  const env = { ...process.env, DATA_DIR: path.join(fs.mkdtempSync(path.join(os.tmpdir(), "prd-reuse-cli-")), "data"), DEMO_DATA: "1" };
  const cli = async (args: string[]) => {
    try {
      const r = await run(CLI[0], cliArgs(...args), { env, timeout: 120_000 });
      return { code: 0, out: r.stdout, err: r.stderr };
    } catch (e) {
      const err = e as { code: number; stdout: string; stderr: string };
      return { code: err.code, out: err.stdout, err: err.stderr };
    }
  };

  it("letters:similar and paragraphs:suggest answer as the drafting page does", async () => {
    const similar = await cli(["letters:similar", "关于加快智能终端产业集群发展的建议", "--proposer", "民建市委会", "--json"]);
    expect(similar.code).toBe(0);
    const letters = JSON.parse(similar.out) as { documentNumber: string; title: string; score: number; reason: string }[];
    expect(letters[0]).toMatchObject({ documentNumber: "东工信函〔2021〕108号", reason: "同一提案者；主题相近：智能终端产业" });
    expect(letters[1]).toMatchObject({ documentNumber: "东工信函〔2021〕109号" });
    expect(letters[0]!.score).toBeGreaterThan(letters[1]!.score);
    const text = await cli(["letters:similar", "关于加快智能终端产业集群发展的建议", "--proposer", "民建市委会", "--limit", "1"]);
    expect(text.out).toContain("1. 东工信函〔2021〕108号  《关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议》");
    expect(text.out).not.toContain("109号");

    const suggest = await cli(["paragraphs:suggest", "关于加快建设世界级智能终端产业集群的建议", "--proposer", "民建市委会", "--limit", "10", "--json"]);
    expect(suggest.code).toBe(0);
    const rows = JSON.parse(suggest.out) as { id: number; title: string; source: string; score: number; text: string; why: string }[];
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.source.startsWith("东工信函〔2021〕108号")).length).toBe(10);
    expect(rows[0]!.why).toContain("相近答复 东工信函〔2021〕108号 用过");
    const bad = await cli(["paragraphs:suggest"]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain("请指定案由");
  });
});
