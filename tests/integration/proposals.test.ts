import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { proposalInputSchema, type ProposalInput } from "~/domain/proposal";
import { listEvents } from "~/models/event.server";
import { DuplicateProposalError, getProposal, listProposals, registerProposal, updateProposal, VersionConflictError } from "~/models/proposal.server";
import { isUniqueViolation } from "#db/errors";
import { createUser, findUserForSignIn } from "~/models/user.server";
import { isDemoLoaded, loadDemoData } from "~/models/demo-data.server";
import { availableDatabases } from "../support/databases";
import { batches, proposals } from "#db/schema";

const input = (over: Partial<ProposalInput> = {}): ProposalInput =>
  proposalInputSchema.parse({
    meeting: "东莞市政协第十三届六次会议",
    number: "10121",
    title: "关于打造具有区域辐射力和国际竞争力的世界级智能终端产业基地的建议",
    proposers: [{ kind: "body", name: "民建市委会" }],
    bureauRole: "lead",
    assignedOn: "2021-03-22",
    notes: "",
    ...over,
  });

describe.each(await availableDatabases())("proposals on $name", (database) => {
  let h: DbHandle;
  let actor: string;
  beforeAll(async () => {
    h = await database.open();
    actor = await createUser(h.db, { username: "reg", displayName: "登记员甲", role: "registrar", phone: null, password: "correct horse battery" });
  });
  afterAll(() => h?.close());

  it("registers a proposal with every co-signer and records the registration in the history", async () => {
    const id = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: input({
          number: "20210100",
          proposers: [
            { kind: "member", name: "张三" },
            { kind: "member", name: "李四" },
            { kind: "member", name: "王五" },
          ],
        }),
        actorId: actor,
        file: { fileName: "原件.pdf", mediaType: "application/pdf", content: Buffer.from("%PDF-1.4 test") },
      }),
    );
    const p = await getProposal(h.db, id);
    expect(p?.number).toBe("20210100");
    expect(p?.proposers.map((x) => x.name)).toEqual(["张三", "李四", "王五"]);
    expect(p?.attachments[0]).toMatchObject({ fileName: "原件.pdf", size: 13 });
    const history = await listEvents(h.db, id);
    expect(history.map((e) => e.kind)).toEqual(["registered", "attachment_added"]);
    expect(history[0].actorName).toBe("登记员甲");
    expect(history[0].changes.find((c) => c.field === "proposers")?.to).toBe("张三、李四、王五委员");
  });

  it("refuses the same 会议 + 提案号 twice, and writes nothing for the refused one", async () => {
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "555" }), actorId: actor }));
    await expect(h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "555", title: "另一个案由" }), actorId: actor }))).rejects.toBeInstanceOf(
      DuplicateProposalError,
    );
    const { total } = await listProposals(h.db, { q: "555", page: 1, pageSize: 10 });
    expect(total).toBe(1);
    // The same number in another session is a different proposal.
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "555", meeting: "东莞市政协第十三届七次会议" }), actorId: actor }));
  });

  it("one 会议 typed with spaces, ASCII brackets or full-width digits is one batch: its numbers clash, its edits change nothing", async () => {
    const meeting = "东莞市政协十四届二次会议（2023）";
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "561", meeting }), actorId: actor }));
    for (const typed of ["东莞市政协十四届 二次会议(2023)", "东莞市政协十四届二次会议（２０２３）", "东莞市政协十四届二次会议　(2023) "]) {
      await expect(h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "561", meeting: typed }), actorId: actor }))).rejects.toBeInstanceOf(
        DuplicateProposalError,
      );
    }
    const other = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "562", meeting: "东莞市政协十四届二次会议 (2023)" }), actorId: actor }));
    expect((await getProposal(h.db, other))!.meeting).toBe(meeting);
    expect((await listProposals(h.db, { meeting, page: 1, pageSize: 10 })).total).toBe(2);
    // a filter typed in another spelling (the CLI's --meeting) finds the same
    expect((await listProposals(h.db, { meeting: "东莞市政协十四届二次会议 (2023)", page: 1, pageSize: 10 })).total).toBe(2);
    // a name stored before the input was folded still answers to the name typed now, and keeps its spelling
    await h.db.insert(batches).values({ meeting: "东莞市政协十四届三次会议 (2024)" });
    const inLegacy = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "563", meeting: "东莞市政协十四届三次会议（2024）" }), actorId: actor }));
    const p = (await getProposal(h.db, inLegacy))!;
    expect(p.meeting).toBe("东莞市政协十四届三次会议 (2024)");
    // 修改登记信息 with the form's spelling of the stored name: no change of 会议 recorded
    await h.db.transaction((tx) =>
      updateProposal(tx, {
        id: inLegacy,
        expectedVersion: p.version,
        input: input({ number: "563", meeting: "东莞市政协十四届三次会议（2024）", title: "更正后的案由" }),
        actorId: actor,
      }),
    );
    const changes = (await listEvents(h.db, inLegacy)).at(-1)!.changes;
    expect(changes.map((c) => c.field)).toEqual(["title"]);
    expect((await getProposal(h.db, inLegacy))!.meeting).toBe("东莞市政协十四届三次会议 (2024)");
    expect((await listProposals(h.db, { meeting: "东莞市政协十四届三次会议 (2024)", page: 1, pageSize: 10 })).total).toBe(1);
  });

  it("a 会议 typed short (十四届五次会议) is the registered 东莞市政协第十四届五次会议: its numbers clash, its new ones go into it; a different year or note is another 会议", async () => {
    const full = "东莞市政协第十四届五次会议";
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "581", meeting: full }), actorId: actor }));
    await expect(h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "581", meeting: "第十四届五次会议" }), actorId: actor }))).rejects.toThrow(
      `${full}第581号提案已经登记`,
    );
    const short = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "582", meeting: "十四届五次会议" }), actorId: actor }));
    expect((await getProposal(h.db, short))!.meeting).toBe(full);
    const formal = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "583", meeting: "东莞市政协第十四届委员会第五次会议（2026）" }), actorId: actor }));
    expect((await getProposal(h.db, formal))!.meeting).toBe(full);
    expect((await listProposals(h.db, { meeting: full, page: 1, pageSize: 10 })).total).toBe(3);
    const batchCount = async () => (await h.db.select({ meeting: batches.meeting }).from(batches)).filter((b) => b.meeting.includes("五次")).length;
    expect(await batchCount()).toBe(1);
    // another body, another year, a note in brackets: other meetings, as before
    for (const other of ["东莞市人大第十四届五次会议", "东莞市政协第十四届五次会议（规模测试）"])
      expect((await getProposal(h.db, await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "584", meeting: other }), actorId: actor }))))!.meeting).toBe(
        other,
      );
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "585", meeting: "东莞市政协第十四届六次会议（2027）" }), actorId: actor }));
    const later = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "585", meeting: "东莞市政协第十四届六次会议（2028）" }), actorId: actor }));
    expect((await getProposal(h.db, later))!.meeting).toBe("东莞市政协第十四届六次会议（2028）");
    // more words than a meeting's name: not taken into the meeting
    const longer = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "581", meeting: `${full}闭会期间` }), actorId: actor }));
    expect((await getProposal(h.db, longer))!.meeting).toBe(`${full}闭会期间`);
    // two registered names the short one could mean: it opens neither, it is a 会议 of its own
    const ambiguous = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "586", meeting: "十四届六次会议" }), actorId: actor }));
    expect((await getProposal(h.db, ambiguous))!.meeting).toBe("十四届六次会议");
  });

  it("two batches stored before names were folded, whose names fold alike: an edit leaves a proposal in its own batch", async () => {
    const [, second] = await h.db
      .insert(batches)
      .values([{ meeting: "东莞市政协十四届四次会议(2025)" }, { meeting: "东莞市政协十四届四次会议（2025）" }])
      .returning({ id: batches.id });
    const [{ id }] = await h.db
      .insert(proposals)
      .values({ batchId: second!.id, number: "571", title: "关于旧数据的建议", bureauRole: "lead", assignedOn: "2025-03-20", proposerNames: "民建市委会" })
      .returning({ id: proposals.id });
    const p = (await getProposal(h.db, id))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, {
        id,
        expectedVersion: p.version,
        input: input({ number: "571", meeting: p.meeting, title: "关于旧数据的建议（更正）", assignedOn: "2025-03-20" }),
        actorId: actor,
      }),
    );
    const after = (await getProposal(h.db, id))!;
    expect(after.meeting).toBe("东莞市政协十四届四次会议（2025）");
    expect(after.title).toBe("关于旧数据的建议（更正）");
    const fields = (await listEvents(h.db, id)).at(-1)!.changes.map((c) => c.field);
    expect(fields).toContain("title");
    expect(fields).not.toContain("meeting");
  });

  it("a raced duplicate is stopped by the unique index and recognised as a duplicate", async () => {
    const results = await Promise.allSettled([1, 2].map(() => h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "777" }), actorId: actor }))));
    const failed = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0].reason instanceof DuplicateProposalError || isUniqueViolation(failed[0].reason)).toBe(true);
  });

  it("an edit records old → new values, and a stale edit is refused instead of overwriting", async () => {
    const id = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "888" }), actorId: actor }));
    const v1 = (await getProposal(h.db, id))!.version;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id, expectedVersion: v1, input: input({ number: "888", title: "关于修改后的建议", bureauRole: "co" }), actorId: actor, comment: "更正案由" }),
    );
    const history = await listEvents(h.db, id);
    const update = history.at(-1)!;
    expect(update.kind).toBe("updated");
    expect(update.comment).toBe("更正案由");
    expect(update.changes).toEqual(
      expect.arrayContaining([
        { field: "title", label: "案由", from: input().title, to: "关于修改后的建议" },
        { field: "bureauRole", label: "办理方式", from: "主办", to: "会办" },
      ]),
    );
    // A second person still holding version v1 must not overwrite the first person's change.
    await expect(
      h.db.transaction((tx) => updateProposal(tx, { id, expectedVersion: v1, input: input({ number: "888", title: "过时的修改" }), actorId: actor })),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect((await getProposal(h.db, id))!.title).toBe("关于修改后的建议");
  });

  it("correcting only whether a proposer is a body or a member is saved, and the history names the kinds", async () => {
    const mixed = [
      { kind: "body" as const, name: "民建市委会" },
      { kind: "member" as const, name: "张三" },
    ];
    const id = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "889", proposers: mixed }), actorId: actor }));
    const v1 = (await getProposal(h.db, id))!.version;
    const corrected = [
      { kind: "member" as const, name: "民建市委会" },
      { kind: "member" as const, name: "张三" },
    ];
    const r = await h.db.transaction((tx) => updateProposal(tx, { id, expectedVersion: v1, input: input({ number: "889", proposers: corrected }), actorId: actor }));
    expect(r.changed).toBe(true);
    expect((await getProposal(h.db, id))!.proposers.map((p) => p.kind)).toEqual(["member", "member"]);
    expect((await listEvents(h.db, id)).at(-1)!.changes).toContainEqual({
      field: "proposers",
      label: "提案者",
      from: "民建市委会（单位）、张三（委员）",
      to: "民建市委会（委员）、张三（委员）",
    });
  });

  it("two simultaneous edits of one version: exactly one wins, the other gets a conflict", async () => {
    const id = await h.db.transaction((tx) => registerProposal(tx, { input: input({ number: "999" }), actorId: actor }));
    const v = (await getProposal(h.db, id))!.version;
    const results = await Promise.allSettled(
      ["甲的修改", "乙的修改"].map((title) => h.db.transaction((tx) => updateProposal(tx, { id, expectedVersion: v, input: input({ number: "999", title }), actorId: actor }))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(VersionConflictError);
    expect((await listEvents(h.db, id)).filter((e) => e.kind === "updated")).toHaveLength(1);
  });

  it("filters by 会议, role and text, and pages", async () => {
    for (let i = 0; i < 12; i++) {
      await h.db.transaction((tx) =>
        registerProposal(tx, {
          input: input({
            meeting: "分页测试会议",
            number: `P${i}`,
            title: i % 2 ? `关于专精特新企业发展的建议${i}` : `关于土地保障的建议${i}`,
            bureauRole: i % 3 === 0 ? "co" : "lead",
          }),
          actorId: actor,
        }),
      );
    }
    const page1 = await listProposals(h.db, { meeting: "分页测试会议", page: 1, pageSize: 5 });
    const page3 = await listProposals(h.db, { meeting: "分页测试会议", page: 3, pageSize: 5 });
    expect(page1.total).toBe(12);
    expect(page1.pageCount).toBe(3);
    expect(page1.rows).toHaveLength(5);
    expect(page3.rows).toHaveLength(2);
    expect((await listProposals(h.db, { meeting: "分页测试会议", q: "专精特新", page: 1, pageSize: 50 })).total).toBe(6);
    expect((await listProposals(h.db, { meeting: "分页测试会议", role: "co", page: 1, pageSize: 50 })).total).toBe(4);
    expect((await listProposals(h.db, { q: "100%", page: 1, pageSize: 50 })).total).toBe(0);
  });

  it("finds a proposal by its number as the list prints it (第N号, short or long), and by terms typed in full width", async () => {
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ meeting: "检索测试会议", number: "20219901", title: "关于推进5G基站建设的建议" }), actorId: actor }));
    await h.db.transaction((tx) => registerProposal(tx, { input: input({ meeting: "检索测试会议", number: "10999", title: "关于某事的建议" }), actorId: actor }));
    await h.db.transaction((tx) =>
      registerProposal(tx, { input: input({ meeting: "检索测试会议", number: "10998", title: "关于扶持专精特新“小巨人”企业（含后备）发展的建议" }), actorId: actor }),
    );
    const numbers = async (q: string) => (await listProposals(h.db, { meeting: "检索测试会议", q, page: 1, pageSize: 10 })).rows.map((r) => r.number);
    expect(await numbers("第20219901号")).toEqual(["20219901"]);
    expect(await numbers("第10999号")).toEqual(["10999"]);
    expect(await numbers("10999号")).toEqual(["10999"]);
    expect(await numbers("２０２１９９０１")).toEqual(["20219901"]);
    expect(await numbers("５G基站")).toEqual(["20219901"]);
    // words parted by spaces or punctuation are each looked for (a 案由 copied with its quotes)
    expect(await numbers("5G 建设")).toEqual(["20219901"]);
    expect(await numbers("推进“5G基站”建设")).toEqual(["20219901"]);
    expect(await numbers("5G 某事")).toEqual([]);
    // the 案由's own quotes and brackets do not stand between the words typed without them
    expect(await numbers("专精特新小巨人")).toEqual(["10998"]);
    expect(await numbers("小巨人企业含后备")).toEqual(["10998"]);
    expect(await numbers("专精特新 小巨人")).toEqual(["10998"]);
    expect(await numbers("新小巨人企业发展")).toEqual([]);
  });

  it("loads the demo data once: a second load adds nothing", async () => {
    const fresh = await database.open();
    try {
      expect((await fresh.db.transaction((tx) => loadDemoData(tx))).loaded).toBe(true);
      const before = await listProposals(fresh.db, { meeting: "东莞市政协第十三届六次会议", page: 1, pageSize: 50 });
      expect(before.rows.map((r) => r.number)).toEqual(expect.arrayContaining(["10121", "20210100"]));
      expect((await fresh.db.transaction((tx) => loadDemoData(tx))).loaded).toBe(false);
      const after = await listProposals(fresh.db, { meeting: "东莞市政协第十三届六次会议", page: 1, pageSize: 50 });
      expect(after.total).toBe(before.total);
    } finally {
      await fresh.close();
    }
  });

  it("never loads the demo data into a database that holds real work (a production archive restored where DEMO_DATA defaults on)", async () => {
    // this suite's database: proposals registered by the tests above, accounts that are not the demo's
    expect(await h.db.transaction((tx) => loadDemoData(tx))).toEqual({ loaded: false, refused: "real-data" });
    expect(await findUserForSignIn(h.db, "zhanzhibin")).toBeNull();
    expect(await isDemoLoaded(h.db)).toBe(false);
  });
});
