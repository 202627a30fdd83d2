/**
 * Getting letters to people (issue 6), on both databases with the demo data loaded:
 * the letter of a proposal as DOCX (signed = frozen, draft = watermarked), the batch ZIP with
 * its manifest, the public version and which replies are public.
 */
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import JSZip from "jszip";
import Papa from "papaparse";
import { eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { exportJobs, letters, paragraphUses, publications } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import type { Draft } from "~/domain/draft";
import { letterPlainText, type Letter } from "~/domain/letter";
import { publicLetter } from "~/domain/redaction";
import { renderLetterDocx } from "~/letters/docx.server";
import { letterForDownload, LetterUnavailableError } from "~/letters/download.server";
import { countExportItems, listExportItems, MANIFEST_NAME, manifestCsv, writeLettersZip } from "~/letters/export.server";
import { ExportBusyError, getExportJob, runExportJob, STALLED_AFTER_MS, startExportJob } from "~/letters/export-jobs.server";
import { RenderPool } from "~/letters/render-pool.server";
import { getCurrentLetter, getSignedLetterByNumber, saveDraft, startDraft } from "~/models/letter.server";
import { findProposalByNumber, getProposal, registerProposal, updateProposal } from "~/models/proposal.server";
import { replyLabels } from "~/domain/reply-rounds";
import { listFeedbackAnswers, recordFeedbackAnswers } from "~/models/feedback.server";
import { replyNumbersOf } from "~/models/reply-rounds.server";
import { publicReplyPath } from "~/domain/public-filters";
import { getPublishedReply, listPublishedReplies, publicFacets, publicStamp, publishedRepliesWithText, publishedRounds, underPublicStamp } from "~/models/public-reply.server";
import { addRedactionRule, removeRedactionRule } from "~/models/redaction.server";
import { createParagraph } from "~/models/paragraph.server";
import { listEvents } from "~/models/event.server";
import { listPublications, pendingPublications, republishEarlierReply, withdrawPublication } from "~/models/publication.server";
import { findUserForSignIn } from "~/models/user.server";
import { performAction, WorkflowRefusedError } from "~/models/workflow.server";
import { normalise, seedSource, unzipDocx, xmlText } from "../letters/helpers";
import { availableDatabases } from "../support/databases";
import { signCurrentLetter, submitWithDraft } from "../support/letters";
import { performStep } from "../support/workflow";

const OLD_MEETING = "东莞市政协第十三届六次会议";
const NEW_MEETING = "东莞市政协第十四届五次会议";
const FILE_108 = "东工信函〔2021〕108号_第10121号提案答复.docx";
const FILE_109 = "东工信函〔2021〕109号_第20210100号提案答复.docx";

/** Collects what is written into one Buffer. */
class Collect extends Writable {
  chunks: Buffer[] = [];
  _write(chunk: Buffer, _enc: BufferEncoding, cb: () => void) {
    this.chunks.push(chunk);
    cb();
  }
  get buffer() {
    return Buffer.concat(this.chunks);
  }
}

const docxText = async (buf: Buffer) => {
  const parts = await unzipDocx(buf);
  return { parts, text: xmlText(parts.headers.first) + xmlText(parts.document) };
};

describe.each(await availableDatabases())("letters out of the product on $name", (database) => {
  let h: DbHandle;
  const pool = new RenderPool(2);
  const people: Record<string, SessionUser> = {};
  const proposalId = async (meeting: string, number: string) => (await findProposalByNumber(h.db, meeting, number))!.id;
  const act = async (id: number, who: string, action: Parameters<typeof performAction>[1]["action"]) => {
    const { version } = (await getProposal(h.db, id))!;
    return h.db.transaction((tx) => performAction(tx, { proposalId: id, expectedVersion: version, action, actor: people[who], input: {}, today: "2026-11-25" }));
  };
  const exportZip = async (filter: Parameters<typeof listExportItems>[1]) => {
    const out = new Collect();
    const result = await writeLettersZip(h.db, await listExportItems(h.db, filter), out, { pool });
    return { result, zip: await JSZip.loadAsync(out.buffer) };
  };

  beforeAll(async () => {
    h = await database.openWithDemo();
    for (const username of ["admin", "chenmin", "liyong", "zhanzhibin"]) {
      const u = (await findUserForSignIn(h.db, username))!;
      people[username] = { id: u.id, username: u.username, displayName: u.displayName, role: u.role, phone: u.phone, disabled: false };
    }
  });
  afterAll(async () => {
    await pool.close();
    await h?.close();
  });

  it("letter 108 loaded by the demo data renders to a DOCX whose text equals the seed letter", async () => {
    const signed = (await getSignedLetterByNumber(h.db, "东工信函〔2021〕108号"))!;
    expect(signed.finalLetter.draft).toBe(false);
    const { text } = await docxText(await renderLetterDocx(signed.finalLetter));
    expect(normalise(text)).toBe(normalise(seedSource("108")));
    // The proposal's download is exactly that frozen letter, named by 文号 and 提案号.
    const p = (await getProposal(h.db, await proposalId(OLD_MEETING, "10121")))!;
    const download = await letterForDownload(h.db, p);
    expect(download).toMatchObject({ signed: true, fileName: FILE_108 });
    expect(download.letter).toEqual(signed.finalLetter);
  });

  it("a draft downloads with the 草稿 watermark, named by 提案号", async () => {
    const id = await proposalId(NEW_MEETING, "30123");
    const p = (await getProposal(h.db, id))!;
    await expect(letterForDownload(h.db, p)).rejects.toMatchObject({ status: 404 });
    const letterId = await h.db.transaction((tx) => startDraft(tx, { proposalId: id, actor: people.liyong }));
    const current = (await getCurrentLetter(h.db, id))!;
    const draft: Draft = {
      ...current.revision!.draft,
      blocks: [{ id: "b1", type: "paragraph", text: "我局将〖会同某某公司〗继续支持专精特新企业发展。" }],
    };
    await h.db.transaction((tx) => saveDraft(tx, { letterId, baseRevisionId: current.revision!.id, draft, actor: people.liyong, kind: "save" }));
    const download = await letterForDownload(h.db, p);
    expect(download.signed).toBe(false);
    expect(download.fileName).toBe("草稿_第30123号提案答复.docx");
    expect(download.letter.draft).toBe(true);
    const { parts, text } = await docxText(await renderLetterDocx(download.letter));
    for (const kind of ["first", "default", "even"]) expect(parts.headers[kind]).toMatch(/string="草稿"/);
    // The official text keeps marked words and drops the 〖〗 markers.
    expect(text).toContain("我局将会同某某公司继续支持专精特新企业发展。");
    expect(text).not.toMatch(/[〖〗]/);
  });

  it("exports the signed letters of a 会议 as one ZIP: files named by 文号 and 提案号, and a manifest", async () => {
    expect(await countExportItems(h.db, { meeting: OLD_MEETING, state: "signed" })).toBe(2);
    const progress: number[] = [];
    const out = new Collect();
    const items = await listExportItems(h.db, { meeting: OLD_MEETING, state: "signed" });
    const result = await writeLettersZip(h.db, items, out, { pool, onProgress: (p) => progress.push(p.done) });
    expect(result).toMatchObject({ files: 2, failed: 0 });
    expect(progress).toEqual([0, 1, 2]);
    expect(pool.threaded).toBe(true); // rendered on worker threads, not the fallback
    const zip = await JSZip.loadAsync(out.buffer);
    expect(Object.keys(zip.files).sort()).toEqual([FILE_108, FILE_109, MANIFEST_NAME].sort());
    const docx108 = await zip.files[FILE_108].async("nodebuffer");
    expect(normalise((await docxText(docx108)).text)).toBe(normalise(seedSource("108")));
    // DOCX files are stored (already compressed), the manifest deflated.
    const csv = (await zip.files[MANIFEST_NAME].async("string")).replace(/^\uFEFF/, "");
    const rows = Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;
    expect(rows.map((r) => [r.文件名, r.文号, r.提案号, r.成文日期, r.答复状态])).toEqual([
      [FILE_108, "东工信函〔2021〕108号", "10121", "2021年5月19日", "已签发"],
      [FILE_109, "东工信函〔2021〕109号", "20210100", "2021年5月19日", "已签发"],
    ]);
    expect(rows[0]["SHA-256"]).toBe(createHash("sha256").update(docx108).digest("hex"));
    expect(rows[0].公开方式).toBe("主动公开");
  });

  it("exports drafts with the watermark, and every 会议 when none is chosen", async () => {
    const { zip } = await exportZip({ state: "draft" });
    const names = Object.keys(zip.files);
    // an entry's time is Beijing wall-clock time, as unzippers show it (JSZip reads it into the UTC fields)
    const beijing = Date.now() + 8 * 3_600_000;
    for (const n of names) expect(Math.abs(zip.files[n]!.date.getTime() - beijing), n).toBeLessThan(5 * 60_000);
    expect(names).toContain("草稿_第30123号提案答复.docx");
    expect(names.every((n) => n === MANIFEST_NAME || n.startsWith("草稿_"))).toBe(true);
    const header = await unzipDocx(await zip.files["草稿_第30123号提案答复.docx"].async("nodebuffer"));
    expect(header.headers.default).toMatch(/string="草稿"/);
    const all = await listExportItems(h.db, { state: "signed" });
    expect(all.map((i) => i.documentNumber)).toEqual(["东工信函〔2021〕108号", "东工信函〔2021〕109号"]);
  });

  it("an export whose instance stopped mid-way is said to be interrupted within minutes, and no longer holds one of the three places", async () => {
    const registrar = (await findUserForSignIn(h.db, "chenmin"))!;
    const start = () => startExportJob(h.db, { userId: registrar.id, filter: { meeting: OLD_MEETING, state: "signed" }, today: "2026-11-30" }, async () => {});
    const job = (await start())!;
    // taken by a worker, working: its progress is its sign of life
    await h.db
      .update(exportJobs)
      .set({ state: "running", heartbeatAt: new Date(Date.now() - 30_000) })
      .where(eq(exportJobs.id, job.id));
    expect(await getExportJob(h.db, job.id, registrar.id)).toMatchObject({ state: "running", error: null });
    // its instance stopped: silent past the limit
    await h.db
      .update(exportJobs)
      .set({ heartbeatAt: new Date(Date.now() - STALLED_AFTER_MS - 1000) })
      .where(eq(exportJobs.id, job.id));
    expect(await getExportJob(h.db, job.id, registrar.id)).toMatchObject({ state: "failed", error: "导出中断（服务器重启或停止），请重新导出。" });
  });

  it("an export counts what its ZIP holds when it runs, not what the selection held when it was asked for", async () => {
    await h.db
      .update(exportJobs)
      .set({ state: "cancelled" })
      .where(inArray(exportJobs.state, ["queued", "running"]));
    const registrar = (await findUserForSignIn(h.db, "chenmin"))!;
    const job = (await startExportJob(h.db, { userId: registrar.id, filter: { meeting: OLD_MEETING, state: "signed" }, today: "2026-11-30" }, async () => {}))!;
    expect(job.total).toBe(2);
    // as if the selection had changed between the request and the worker taking it
    await h.db.update(exportJobs).set({ total: 1 }).where(eq(exportJobs.id, job.id));
    await runExportJob(h.db, job.id);
    expect(await getExportJob(h.db, job.id, registrar.id)).toMatchObject({ state: "done", total: 2, done: 2 });
  });

  it("four exports started at once: three run, the fourth is told to wait (a real race on PostgreSQL; PGlite runs them one after the other)", async () => {
    await h.db
      .update(exportJobs)
      .set({ state: "cancelled" })
      .where(inArray(exportJobs.state, ["queued", "running"]));
    const users = await Promise.all(["chenmin", "admin", "liyong", "wangfang"].map(async (u) => (await findUserForSignIn(h.db, u))!));
    const results = await Promise.allSettled(
      users.map((u) => startExportJob(h.db, { userId: u.id, filter: { meeting: OLD_MEETING, state: "signed" }, today: "2026-11-30" }, async () => {})),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(ExportBusyError);
    await h.db
      .update(exportJobs)
      .set({ state: "cancelled" })
      .where(inArray(exportJobs.state, ["queued", "running"]));
  });

  it("a letter that cannot be built is listed in the manifest with the reason; the others still export", async () => {
    const id = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: {
          meeting: "导出测试会议",
          number: "1",
          title: "关于测试的建议",
          proposers: [{ kind: "member", name: "张三" }],
          bureauRole: "lead",
          assignedOn: "2026-09-01",
          notes: "",
        },
        actorId: null,
      }),
    );
    await h.db.insert(letters).values({ proposalId: id, templateId: "reply-dg-gxj", state: "signed", documentNumber: "东工信函〔2099〕1号", finalLetter: { broken: true } });
    const good = (await getSignedLetterByNumber(h.db, "东工信函〔2021〕109号"))!.finalLetter;
    await h.db.insert(letters).values({
      proposalId: id,
      round: 2,
      templateId: "reply-dg-gxj",
      state: "signed",
      documentNumber: "东工信函〔2099〕2号",
      finalLetter: { ...good, documentNumber: "东工信函〔2099〕2号" },
    });
    const { result, zip } = await exportZip({ meeting: "导出测试会议", state: "signed" });
    expect(result).toMatchObject({ files: 1, failed: 1 });
    expect(Object.keys(zip.files).sort()).toEqual(["东工信函〔2099〕2号_第1号提案答复.docx", MANIFEST_NAME].sort());
    const csv = await zip.files[MANIFEST_NAME].async("string");
    expect(csv).toContain("无法生成：已签发的答复函数据无效");
    // round 1 was corrected by round 2: the manifest says which is current
    expect(csv).toMatch(/东工信函〔2099〕2号,[^\n]*,2,是,/);
  });

  it("keeps only a small window of letters in memory while the output is slow (flat memory)", async () => {
    const [item] = await listExportItems(h.db, { meeting: OLD_MEETING, state: "signed" });
    const items = Array.from({ length: 120 }, () => item);
    const SIZE = 40_000;
    let rendered = 0;
    let written = 0;
    let mostAhead = 0;
    // A pool that renders instantly, and a client that reads slowly.
    const fastPool = {
      size: 2,
      threaded: true,
      render: async () => {
        rendered++;
        return Buffer.alloc(SIZE, rendered % 251);
      },
    } as unknown as RenderPool;
    const slow = new Writable({
      highWaterMark: 16 * 1024,
      write(chunk: Buffer, _enc, cb) {
        written += chunk.length;
        mostAhead = Math.max(mostAhead, rendered - Math.floor(written / SIZE));
        setTimeout(cb, 1);
      },
    });
    const result = await writeLettersZip(h.db, items, slow, { pool: fastPool, chunkSize: 50 });
    expect(result.files).toBe(120);
    // Without backpressure all 120 letters (4.8 MB) would be rendered before the client read 1 MB.
    expect(mostAhead).toBeLessThanOrEqual(12);
  });

  it("stops when cancelled and closes the output", async () => {
    const items = await listExportItems(h.db, { state: "signed" });
    const ac = new AbortController();
    ac.abort(new Error("已取消"));
    const out = new Collect();
    await expect(writeLettersZip(h.db, items, out, { pool, signal: ac.signal })).rejects.toThrow("已取消");
    expect(out.destroyed).toBe(true);
  });

  it("public: the demo publishes 108 (主动公开) only; the public text hides contact details", async () => {
    const id108 = await proposalId(OLD_MEETING, "10121");
    const id109 = await proposalId(OLD_MEETING, "20210100");
    const list = await listPublishedReplies(h.db, { page: 1, pageSize: 20 });
    expect(list.rows).toEqual([
      {
        id: id108,
        meeting: OLD_MEETING,
        number: "10121",
        title: expect.stringContaining("世界级智能终端产业基地"),
        documentNumber: "东工信函〔2021〕108号",
        date: "2021-05-19",
        round: 1,
        latest: true,
        publishedAt: expect.any(Date),
      },
    ]);
    // Topics: the library tags of the paragraphs the reply used.
    expect((await publicFacets(h.db)).topics).toContain("科技成果转化");
    expect((await listPublishedReplies(h.db, { topic: "科技成果转化", page: 1, pageSize: 20 })).rows.map((r) => r.id)).toEqual([id108]);
    expect((await listPublishedReplies(h.db, { topic: "没有这个主题", page: 1, pageSize: 20 })).total).toBe(0);
    // a phrase copied from the reply with its straight quotes (the letter is searched as stored JSON, " written \")
    expect((await listPublishedReplies(h.db, { q: '"松湖之材"产业', page: 1, pageSize: 20 })).rows.map((r) => r.id)).toEqual([id108]);
    const reply = (await getPublishedReply(h.db, id108))!;
    const text = letterPlainText(reply.letter);
    expect(text).toContain("三、系统规划引领。");
    expect(text).toContain("公开方式：主动公开");
    expect(JSON.stringify(reply)).not.toMatch(/28685020|李泳|承办人姓名|联系电话/);
    // The public DOCX is rendered from that value.
    const { text: docx } = await docxText(await renderLetterDocx(reply.letter));
    expect(docx).not.toContain("28685020");
    expect(docx).not.toContain("承办人姓名");
    expect(docx).toContain("东莞市工业和信息化局");

    // 109 is 依申请公开: the workflow refuses to publish it, and even a publication written around the workflow stays off the site.
    await expect(act(id109, "chenmin", "publish")).rejects.toBeInstanceOf(WorkflowRefusedError);
    const [l109] = await h.db.select({ id: letters.id }).from(letters).where(eq(letters.proposalId, id109));
    await h.db.insert(publications).values({ proposalId: id109, letterId: l109.id });
    expect(await getPublishedReply(h.db, id109)).toBeNull();
    expect((await listPublishedReplies(h.db, { page: 1, pageSize: 20 })).total).toBe(1);
    await h.db.delete(publications).where(eq(publications.proposalId, id109));
  });

  it("a published reply stays public through feedback and 办结; an admin's withdrawal removes it at once, with the reason in the history", async () => {
    const id108 = await proposalId(OLD_MEETING, "10121");
    await expect(act(id108, "chenmin", "publish")).rejects.toThrow("当前状态为“已公开”，不能公开");
    const feedback = async (result: "satisfied") => {
      const { version } = (await getProposal(h.db, id108))!;
      await h.db.transaction((tx) =>
        performStep(tx, { proposalId: id108, expectedVersion: version, action: "record_feedback", actor: people.chenmin, input: { feedback: result }, today: "2026-11-25" }),
      );
    };
    await feedback("satisfied");
    expect((await getProposal(h.db, id108))!.state).toBe("closed");
    expect(await getPublishedReply(h.db, id108)).not.toBeNull();
    // the public list as the site reads it: kept per process under the stamp of what is published
    const sitePage = () => underPublicStamp(h.db, "test:list", () => listPublishedReplies(h.db, { page: 1, pageSize: 20 }));
    expect((await sitePage()).total).toBe(1);
    expect((await sitePage()).total).toBe(1);

    const admin = (await findUserForSignIn(h.db, "admin"))!;
    const adminUser = { id: admin.id, username: admin.username, displayName: admin.displayName, role: admin.role, phone: admin.phone, disabled: false };
    const withdraw = async (actor: SessionUser, reason: string) => {
      const { version } = (await getProposal(h.db, id108))!;
      return h.db.transaction((tx) => withdrawPublication(tx, { proposalId: id108, expectedVersion: version, actor, reason }));
    };
    await expect(withdraw(people.chenmin, "误公开")).rejects.toThrow("只有系统管理员可以撤回公开的答复");
    await expect(withdraw(adminUser, "  ")).rejects.toThrow("撤回公开须说明原因");
    const stampBefore = await publicStamp(h.db);
    expect((await publishedRepliesWithText(h.db, { limit: 50 })).items.map((i) => i.id)).toContain(id108); // the feed's answer, kept under the stamp
    await withdraw(adminUser, "含未脱敏的企业信息");
    // Written by an instance whose clock is behind the database's: the stamp still changes, and the feed with it.
    await h.db
      .update(publications)
      .set({ withdrawnAt: new Date("2000-01-01T00:00:00Z") })
      .where(eq(publications.proposalId, id108));
    expect(await publicStamp(h.db)).not.toBe(stampBefore);
    expect((await publishedRepliesWithText(h.db, { limit: 50 })).items.map((i) => i.id)).not.toContain(id108);
    expect(await getPublishedReply(h.db, id108)).toBeNull();
    expect((await sitePage()).total).toBe(0);
    expect((await listPublishedReplies(h.db, { page: 1, pageSize: 20 })).total).toBe(0);
    expect((await listPublishedReplies(h.db, { q: "智能终端", page: 1, pageSize: 20 })).total).toBe(0);
    const ev = (await listEvents(h.db, id108)).at(-1)!;
    expect(ev).toMatchObject({ kind: "publication_withdrawn", comment: "含未脱敏的企业信息" });
    expect((await listPublications(h.db, id108))[0]).toMatchObject({ withdrawalReason: "含未脱敏的企业信息", withdrawnBy: admin.displayName });
    await expect(withdraw(adminUser, "再撤一次")).rejects.toThrow("该提案没有正在公开的答复");
    // Withdrawn by the admin: not "pending" for the registrar, whose 公开 would undo the withdrawal unseen.
    expect((await pendingPublications(h.db)).map((p) => p.id)).not.toContain(id108);
    await expect(act(id108, "chenmin", "publish")).rejects.toThrow("该答复已被撤回公开（原因见“公开情况”），只有系统管理员可以重新公开");

    // Published again by the admin (from 办结, it stays 办结): back on the site.
    await act(id108, "admin", "publish");
    expect((await getProposal(h.db, id108))!.state).toBe("closed");
    expect(await getPublishedReply(h.db, id108)).not.toBeNull();
    expect((await sitePage()).total).toBe(1);
    expect((await pendingPublications(h.db)).map((p) => p.id)).not.toContain(id108);
    await expect(act(id108, "chenmin", "publish")).rejects.toThrow("该答复已在公开网站上");

    // A correction of the published proposal's 案由 shows on the site at once (not only after the next publication).
    const retitle = async (title: string) => {
      const p = (await getProposal(h.db, id108))!;
      const input = {
        meeting: p.meeting,
        number: p.number,
        title,
        proposers: p.proposers,
        bureauRole: p.bureauRole,
        assignedOn: p.assignedOn,
        receivedOn: p.receivedOn ?? undefined,
        notes: p.notes,
      };
      await h.db.transaction((tx) => updateProposal(tx, { id: id108, expectedVersion: p.version, input, actorId: people.chenmin!.id }));
    };
    const original = (await sitePage()).rows[0]!.title;
    await retitle(`${original}（更正）`);
    expect((await sitePage()).rows[0]!.title).toBe(`${original}（更正）`);
    await retitle(original);
    expect((await sitePage()).rows[0]!.title).toBe(original);
  });

  /** Proposals of one 会议 walked through the workflow by the demo's people (liyong drafts, zhanzhibin signs, chenmin registers). */
  const walkThrough = async (meeting: string, titleWord: string) => {
    const li = (await findUserForSignIn(h.db, "liyong"))!;
    const zhan = (await findUserForSignIn(h.db, "zhanzhibin"))!;
    const as = (u: typeof li): SessionUser => ({ id: u.id, username: u.username, displayName: u.displayName, role: u.role, phone: u.phone, disabled: false });
    people.liyong = as(li);
    people.zhanzhibin = as(zhan);
    const register = (number: string) =>
      h.db.transaction((tx) =>
        registerProposal(tx, {
          input: {
            meeting,
            number,
            title: `关于${titleWord}${number}的建议`,
            proposers: [{ kind: "member", name: "张三" }],
            bureauRole: "lead",
            assignedOn: "2026-09-01",
            notes: "",
          },
          actorId: null,
        }),
      );
    const step = async (id: number, who: string, action: Parameters<typeof performAction>[1]["action"], input = {}) => {
      const { version } = (await getProposal(h.db, id))!;
      await h.db.transaction((tx) => performStep(tx, { proposalId: id, expectedVersion: version, action, actor: people[who]!, input, today: "2026-11-25" }));
    };
    const sign = async (id: number, disclosure: "public" | "on_request") => {
      await h.db.transaction((tx) =>
        submitWithDraft(tx, { proposalId: id, actor: people.liyong!, today: "2026-11-25", disclosure, disclosureReason: disclosure === "public" ? null : "涉及企业经营信息" }),
      );
      await h.db.transaction((tx) => signCurrentLetter(tx, { proposalId: id, actor: people.zhanzhibin!, today: "2026-11-25" }));
    };
    const send = async (id: number, disclosure: "public" | "on_request") => {
      await sign(id, disclosure);
      await step(id, "liyong", "send");
    };
    const pending = async () => (await pendingPublications(h.db)).map((p) => p.id);
    return { li, register, step, sign, send, pending };
  };

  it("after 不满意 → 再办理 the second reply waits in 待公开, then is published beside the first: both public, the newest first, linked by round", async () => {
    const { li, register, step, send, pending } = await walkThrough("再办理公开测试会议", "再办理公开测试");
    const firstReplyThenRehandling = async (id: number) => {
      await step(id, "chenmin", "assign", { handlerId: li.id });
      await step(id, "liyong", "acknowledge");
      await send(id, "public");
      await step(id, "chenmin", "publish");
      await step(id, "chenmin", "record_feedback", { feedback: "dissatisfied" });
      await step(id, "liyong", "restart_drafting");
      await h.db.transaction((tx) => startDraft(tx, { proposalId: id, actor: people.liyong! }));
    };

    const id = await register("7");
    await firstReplyThenRehandling(id);
    await send(id, "public");
    // the first reply's standing publication does not hide the second one's turn
    expect(await pending()).toContain(id);
    await step(id, "chenmin", "publish");
    expect(await pending()).not.toContain(id);
    const rounds = await publishedRounds(h.db, id);
    expect(rounds.map((r) => r.round)).toEqual([2, 1]);
    expect(rounds[0]!.documentNumber).not.toBe(rounds[1]!.documentNumber);
    expect((await getPublishedReply(h.db, id))!.round).toBe(2);
    expect((await getPublishedReply(h.db, id, 1))!.proposal.documentNumber).toBe(rounds[1]!.documentNumber);
    expect(await getPublishedReply(h.db, id, 3)).toBeNull();
    // Both replies are listed, newest first, each to its own page: the earlier one's 文号 found it
    // nowhere, and the count, the feed and the open data left it out.
    const listed = (await listPublishedReplies(h.db, { q: "再办理公开测试7", page: 1, pageSize: 20 })).rows;
    expect(listed.map((r) => [r.documentNumber, r.round, r.latest, publicReplyPath(r)])).toEqual([
      [rounds[0]!.documentNumber, 2, true, `/public/${id}`],
      [rounds[1]!.documentNumber, 1, false, `/public/${id}?round=1`],
    ]);
    expect((await listPublishedReplies(h.db, { q: rounds[1]!.documentNumber!, page: 1, pageSize: 20 })).rows.map((r) => r.round)).toEqual([1]);
    const harvested = (await publishedRepliesWithText(h.db, { q: "再办理公开测试7", limit: 50 })).items;
    expect(harvested.map((i) => [i.documentNumber, i.latest])).toEqual([
      [rounds[0]!.documentNumber, true],
      [rounds[1]!.documentNumber, false],
    ]);
    expect(harvested[1]!.text).toContain(rounds[1]!.documentNumber);

    // A second reply set to 依申请公开 is not offered for publishing, and the first stays on the
    // site (it was published; only withdrawing it takes it off).
    const other = await register("8");
    await firstReplyThenRehandling(other);
    const first = (await getPublishedReply(h.db, other))!;
    // in the archive, the signed first reply is the current one while the second is only a draft
    const archived = async () => (await listExportItems(h.db, { state: "signed", meeting: "再办理公开测试会议" })).filter((i) => i.proposalId === other);
    expect((await archived()).map((i) => [i.round, i.latest])).toEqual([[1, true]]);
    await send(other, "on_request");
    const both = await archived();
    expect(both.map((i) => [i.round, i.latest])).toEqual([
      [1, false],
      [2, true],
    ]);
    expect(manifestCsv(both.map((item) => ({ file: "f.docx", item, date: null, disclosure: null, sha256: null })))).toContain("否（第 2 轮为最新）");
    expect((await getProposal(h.db, other))!.disclosure).toBe("on_request");
    expect(await pending()).not.toContain(other);
    expect((await publishedRounds(h.db, other)).map((r) => r.round)).toEqual([1]);
    expect((await getPublishedReply(h.db, other))!.proposal.documentNumber).toBe(first.proposal.documentNumber);
    const shown = (await listPublishedReplies(h.db, { q: "再办理公开测试8", page: 1, pageSize: 20 })).rows;
    expect(shown.map((r) => r.documentNumber)).toEqual([first.proposal.documentNumber]);
    expect((await publicFacets(h.db)).meetings).toContain("再办理公开测试会议");

    // A corrected first reply (更正 before sending) is still the first reply: the public labels and
    // the proposer's answers count replies, not letter rounds.
    const corrected = await register("9");
    await step(corrected, "chenmin", "assign", { handlerId: li.id });
    await step(corrected, "liyong", "acknowledge");
    await h.db.transaction((tx) => submitWithDraft(tx, { proposalId: corrected, actor: people.liyong!, today: "2026-11-25", disclosure: "public", disclosureReason: null }));
    await h.db.transaction((tx) => signCurrentLetter(tx, { proposalId: corrected, actor: people.zhanzhibin!, today: "2026-11-25" }));
    await step(corrected, "zhanzhibin", "correct", { comment: "数据有误，更正" });
    await send(corrected, "public");
    await step(corrected, "chenmin", "publish");
    await h.db.transaction(async (tx) =>
      recordFeedbackAnswers(tx, {
        proposalId: corrected,
        expectedVersion: (await getProposal(tx, corrected))!.version,
        actor: people.chenmin!,
        answers: [{ proposer: "张三", result: "dissatisfied", answeredOn: "2026-11-25" }],
        today: "2026-11-25",
        assignedOn: "2026-09-01",
      }),
    );
    await step(corrected, "liyong", "restart_drafting");
    await send(corrected, "public");
    await step(corrected, "chenmin", "publish");
    const published = await publishedRounds(h.db, corrected);
    expect(published.map((r) => r.round)).toEqual([3, 2]);
    expect(replyLabels(published, await replyNumbersOf(h.db, corrected))).toEqual(["最新答复", "第1次答复"]);
    expect((await listFeedbackAnswers(h.db, corrected)).map((a) => [a.round, a.reply])).toEqual([[2, 1]]);

    // Withdrawing one reply of two: the other stays, and the first can be put back on its own.
    // Read before the transaction: PGlite runs one at a time.
    const version = async () => (await getProposal(h.db, corrected))!.version;
    const pubs = async () => (await listPublications(h.db, corrected)).map((p) => ({ round: p.round, withdrawn: Boolean(p.withdrawnAt), restorable: p.restorable }));
    const firstPub = (await listPublications(h.db, corrected)).find((p) => p.round === 2)!;
    let v = await version();
    await h.db.transaction((tx) =>
      withdrawPublication(tx, { proposalId: corrected, expectedVersion: v, actor: people.admin!, reason: "含未脱敏电话", publicationId: firstPub.id }),
    );
    expect((await publishedRounds(h.db, corrected)).map((r) => r.round)).toEqual([3]);
    expect((await getProposal(h.db, corrected))!.state).toBe("published");
    expect(await pubs()).toEqual([
      { round: 3, withdrawn: false, restorable: false },
      { round: 2, withdrawn: true, restorable: true },
    ]);
    expect((await listEvents(h.db, corrected)).at(-1)).toMatchObject({
      kind: "publication_withdrawn",
      comment: "含未脱敏电话",
      changes: [{ field: "publication", label: "撤回的答复", from: firstPub.documentNumber, to: null }],
    });
    v = await version();
    await expect(
      h.db.transaction((tx) => republishEarlierReply(tx, { proposalId: corrected, expectedVersion: v, actor: people.chenmin!, publicationId: firstPub.id })),
    ).rejects.toThrow("只有系统管理员可以重新公开已撤回的答复");
    await h.db.transaction((tx) => republishEarlierReply(tx, { proposalId: corrected, expectedVersion: v, actor: people.admin!, publicationId: firstPub.id }));
    expect((await publishedRounds(h.db, corrected)).map((r) => r.round)).toEqual([3, 2]);
    // A rule given for the first reply's 文号 keeps hiding its words once the 再办理 reply is
    // published beside it: in the shared 案由 (list, heading, search) and in the later letter.
    const rule = await addRedactionRule(h.db, { kind: "text", match: "公开测试9", documentNumber: firstPub.documentNumber, reason: "测试", actor: people.chenmin! });
    try {
      const masked = "关于再办理■■■■■的建议";
      expect((await listPublishedReplies(h.db, { meeting: "再办理公开测试会议", page: 1, pageSize: 50 })).rows.find((r) => r.id === corrected)!.title).toBe(masked);
      const latest = (await getPublishedReply(h.db, corrected))!;
      expect(latest.round).toBe(3);
      expect(latest.proposal.title).toBe(masked);
      expect(letterPlainText(latest.letter)).not.toContain("公开测试9");
      expect((await getPublishedReply(h.db, corrected, 2))!.proposal.title).toBe(masked);
      expect((await listPublishedReplies(h.db, { q: "公开测试9", page: 1, pageSize: 50 })).total).toBe(0);
    } finally {
      await removeRedactionRule(h.db, { id: rule, actor: people.chenmin! });
    }
    // The 主题 filter offers the topics of the replies the list shows: the first reply's too (it is listed).
    const para = await h.db.transaction((tx) =>
      createParagraph(tx, { title: "首次答复专用段落", body: "仅首次答复使用的段落。", tags: ["首次答复专用主题"], asOf: null, ownerId: null, actorId: null }),
    );
    const [use] = await h.db
      .insert(paragraphUses)
      .values({ paragraphId: para.id, versionId: para.versionId, letterNumber: firstPub.documentNumber, proposalId: corrected, mode: "verbatim" })
      .returning({ id: paragraphUses.id });
    try {
      const { topics } = await publicFacets(h.db);
      expect(topics).toContain("首次答复专用主题");
      expect((await listPublishedReplies(h.db, { topic: "首次答复专用主题", page: 1, pageSize: 50 })).rows.map((r) => [r.id, r.documentNumber, r.latest])).toEqual([
        [corrected, firstPub.documentNumber, false],
      ]);
      for (const topic of topics) expect((await listPublishedReplies(h.db, { topic, page: 1, pageSize: 1 })).total, topic).toBeGreaterThan(0);
    } finally {
      await h.db.delete(paragraphUses).where(eq(paragraphUses.id, use!.id));
    }
    // The latest reply withdrawn alone: the proposal is 已答复 again (公开 puts it back), the first stays up.
    const latestPub = (await listPublications(h.db, corrected)).find((p) => p.round === 3 && !p.withdrawnAt)!;
    v = await version();
    await h.db.transaction((tx) => withdrawPublication(tx, { proposalId: corrected, expectedVersion: v, actor: people.admin!, reason: "待核实", publicationId: latestPub.id }));
    expect((await getProposal(h.db, corrected))!.state).toBe("replied");
    expect((await publishedRounds(h.db, corrected)).map((r) => r.round)).toEqual([2]);
    v = await version();
    await expect(
      h.db.transaction((tx) => republishEarlierReply(tx, { proposalId: corrected, expectedVersion: v, actor: people.admin!, publicationId: latestPub.id })),
    ).rejects.toThrow("最新一次答复请用“公开”重新公开");
    await step(corrected, "admin", "publish");
    expect((await publishedRounds(h.db, corrected)).map((r) => r.round)).toEqual([3, 2]);

    // During 再办理 (公开 is not open) a withdrawn first reply can still be put back.
    const during = await register("10");
    await firstReplyThenRehandling(during);
    const only = (await listPublications(h.db, during))[0]!;
    v = (await getProposal(h.db, during))!.version;
    await h.db.transaction((tx) => withdrawPublication(tx, { proposalId: during, expectedVersion: v, actor: people.admin!, reason: "核对中" }));
    expect((await getProposal(h.db, during))!.state).toBe("drafting");
    expect((await listPublications(h.db, during)).map((p) => p.restorable)).toEqual([true]);
    v = (await getProposal(h.db, during))!.version;
    await h.db.transaction((tx) => republishEarlierReply(tx, { proposalId: during, expectedVersion: v, actor: people.admin!, publicationId: only.id }));
    expect((await publishedRounds(h.db, during)).map((r) => r.round)).toEqual([1]);
  });

  it("a 主动公开 reply sent but not yet published when the proposer said 不满意 stays in 待公开 and is published beside the 再办理 one — never a sent draft", async () => {
    const { li, register, step, sign, pending } = await walkThrough("再办理补公开测试会议", "补公开测试");
    const sentUnpublishedThenDissatisfied = async (number: string, disclosure: "public" | "on_request" = "public") => {
      const id = await register(number);
      await step(id, "chenmin", "assign", { handlerId: li.id });
      await step(id, "liyong", "acknowledge");
      await sign(id, disclosure);
      await step(id, "liyong", "send");
      await step(id, "chenmin", "record_feedback", { feedback: "dissatisfied" });
      return id;
    };
    const rounds = async (id: number) => (await publishedRounds(h.db, id)).map((r) => r.round);
    const state = async (id: number) => (await getProposal(h.db, id))!.state;

    // 再办理 under way: the first reply went out 主动公开 and is still owed to the public site.
    const waiting = await sentUnpublishedThenDissatisfied("1");
    expect(await state(waiting)).toBe("rehandling");
    expect(await pending()).toContain(waiting);
    await step(waiting, "chenmin", "publish");
    expect(await rounds(waiting)).toEqual([1]);
    expect(await state(waiting)).toBe("rehandling");
    expect(await pending()).not.toContain(waiting);
    await expect(step(waiting, "chenmin", "publish")).rejects.toThrow("不能公开");

    // The second reply signed but not sent: only the first goes up; the second waits until it is sent.
    const signedOnly = await sentUnpublishedThenDissatisfied("2");
    await step(signedOnly, "liyong", "restart_drafting");
    // 重新起草 taken, the new letter not yet begun (开始起草 is a step of its own)
    expect(await pending()).toContain(signedOnly);
    await h.db.transaction((tx) => startDraft(tx, { proposalId: signedOnly, actor: people.liyong! }));
    expect(await pending()).toContain(signedOnly);
    await sign(signedOnly, "public");
    expect(await state(signedOnly)).toBe("signed");
    expect(await pending()).toContain(signedOnly);
    await step(signedOnly, "chenmin", "publish");
    expect(await rounds(signedOnly)).toEqual([1]);
    expect(await state(signedOnly)).toBe("signed");
    expect(await pending()).not.toContain(signedOnly);
    await step(signedOnly, "liyong", "send");
    expect(await pending()).toContain(signedOnly);
    await step(signedOnly, "chenmin", "publish");
    expect(await rounds(signedOnly)).toEqual([2, 1]);
    expect(await state(signedOnly)).toBe("published");

    // A 更正 of the second reply (signed, not sent) before its new letter is begun: only the first is owed.
    const corrected = await sentUnpublishedThenDissatisfied("5");
    await step(corrected, "liyong", "restart_drafting");
    await h.db.transaction((tx) => startDraft(tx, { proposalId: corrected, actor: people.liyong! }));
    await sign(corrected, "public");
    await step(corrected, "zhanzhibin", "correct", { comment: "数据有误，更正" });
    await step(corrected, "chenmin", "publish");
    expect(await rounds(corrected)).toEqual([1]);
    expect(await pending()).not.toContain(corrected);

    // Both replies sent, neither published: one 公开 puts up both.
    const both = await sentUnpublishedThenDissatisfied("3");
    await step(both, "liyong", "restart_drafting");
    await h.db.transaction((tx) => startDraft(tx, { proposalId: both, actor: people.liyong! }));
    await sign(both, "public");
    await step(both, "liyong", "send");
    await step(both, "chenmin", "publish");
    expect(await rounds(both)).toEqual([2, 1]);
    expect(await state(both)).toBe("published");
    expect((await listEvents(h.db, both)).at(-1)).toMatchObject({ kind: "publish", changes: expect.arrayContaining([expect.objectContaining({ field: "publication" })]) });

    // A first reply sent 依申请公开 is not owed: nothing to publish while 再办理 is under way.
    const onRequest = await sentUnpublishedThenDissatisfied("4", "on_request");
    expect(await pending()).not.toContain(onRequest);
    await expect(step(onRequest, "chenmin", "publish")).rejects.toThrow("不能公开");
    expect(await rounds(onRequest)).toEqual([]);
  });

  it("public search finds the public text and never what redaction hides", async () => {
    const search = async (q: string) => (await listPublishedReplies(h.db, { q, page: 1, pageSize: 20 })).total;
    expect(await search("智能终端")).toBe(1);
    expect(await search("108号")).toBe(1);
    expect(await search("系统 规划引领")).toBe(1);
    expect(await search("10121")).toBe(1);
    // in the stored letter, not in the public one
    expect(await search("28685020")).toBe(0);
    expect(await search("李泳")).toBe(0);
    expect(await search("100%_")).toBe(0);
  });

  it("a redaction rule hides its text in the 案由 too: the page's heading, the list, the open data and the search", async () => {
    const id = await proposalId(OLD_MEETING, "10121");
    // searched before the rule: the search's kept texts must not outlive it
    expect((await listPublishedReplies(h.db, { q: "区域辐射力", page: 1, pageSize: 50 })).rows.map((r) => r.id)).toEqual([id]);
    const rule = await addRedactionRule(h.db, { kind: "text", match: "区域辐射力", documentNumber: null, reason: "测试", actor: people.chenmin! });
    try {
      // the same rule again (a second click): refused beside the field, not a second row to remove
      await expect(addRedactionRule(h.db, { kind: "text", match: " 区域辐射力 ", documentNumber: null, reason: "又一次", actor: people.chenmin! })).rejects.toThrow(
        "已有相同的规则",
      );
      const masked = "关于打造具有■■■■■和国际竞争力的世界级智能终端产业基地的建议";
      expect((await getPublishedReply(h.db, id))!.proposal.title).toBe(masked);
      const listed = (await listPublishedReplies(h.db, { page: 1, pageSize: 50 })).rows.find((r) => r.id === id)!;
      expect(listed.title).toBe(masked);
      expect((await listPublishedReplies(h.db, { q: "智能终端产业基地", page: 1, pageSize: 50 })).rows.map((r) => r.title)).toContain(masked);
      // the stored 案由 still holds the words, the public search must not find them
      expect((await listPublishedReplies(h.db, { q: "区域辐射力", page: 1, pageSize: 50 })).total).toBe(0);
      const open = await publishedRepliesWithText(h.db, { limit: 50 });
      expect(open.items.find((i) => i.id === id)!.title).toBe(masked);
      expect(JSON.stringify(open.items)).not.toContain("区域辐射力");
    } finally {
      await removeRedactionRule(h.db, { id: rule, actor: people.chenmin! });
    }
    expect((await getPublishedReply(h.db, id))!.proposal.title).toContain("区域辐射力");
    // a rule hiding a topic's words hides the topic: not offered, and asking for it lists nothing
    expect((await publicFacets(h.db)).topics).toContain("科技成果转化");
    const topicRule = await addRedactionRule(h.db, { kind: "text", match: "成果转化", documentNumber: null, reason: "测试", actor: people.chenmin! });
    try {
      expect((await publicFacets(h.db)).topics).not.toContain("科技成果转化");
      expect((await listPublishedReplies(h.db, { topic: "科技成果转化", page: 1, pageSize: 20 })).total).toBe(0);
    } finally {
      await removeRedactionRule(h.db, { id: topicRule, actor: people.chenmin! });
    }
    expect((await listPublishedReplies(h.db, { topic: "科技成果转化", page: 1, pageSize: 20 })).rows.map((r) => r.id)).toEqual([id]);
  });

  it("marked text and contact details in a published letter are masked", async () => {
    const id = await proposalId(OLD_MEETING, "10121");
    const [row] = await h.db.select({ id: letters.id, finalLetter: letters.finalLetter }).from(letters).where(eq(letters.proposalId, id));
    const original = row.finalLetter as Letter;
    const marked: Letter = {
      ...original,
      sections: [...original.sections, { type: "paragraph", text: "经与〖某某电子公司〗联系（手机13800138000，邮箱 boss@example.com），已妥善处理。" }],
    };
    await h.db.update(letters).set({ finalLetter: marked }).where(eq(letters.id, row.id));
    try {
      const reply = (await getPublishedReply(h.db, id))!;
      const last = reply.letter.sections.at(-1)!;
      expect(last.type === "paragraph" && last.text).toBe("经与■■■■■■联系（手机■■■■■■■■■■■，邮箱 ■■■■■■■■■■■■■■■■），已妥善处理。");
      expect(reply.letter).toEqual(publicLetter(marked));
      // the official letter keeps the words and drops the markers
      const { text } = await docxText(await renderLetterDocx(marked));
      expect(text).toContain("经与某某电子公司联系（手机13800138000");
      expect(await listPublishedReplies(h.db, { q: "某某电子", page: 1, pageSize: 20 })).toMatchObject({ total: 0 });
    } finally {
      await h.db.update(letters).set({ finalLetter: original }).where(eq(letters.id, row.id));
    }
  });

  it("refuses what does not exist", async () => {
    expect(await getPublishedReply(h.db, 999_999)).toBeNull();
    const p = (await getProposal(h.db, await proposalId(NEW_MEETING, "30302")))!;
    await expect(letterForDownload(h.db, p)).rejects.toBeInstanceOf(LetterUnavailableError);
  });
});
