/**
 * Two app instances on one PostgreSQL database (PostgreSQL only: only there do two processes'
 * transactions really overlap). Each "instance" has its own connection pool and its own
 * pg-boss workers, as two servers behind a load balancer would: signings across both give
 * gapless numbers, a reminder runs and each e-mail goes out once, an export started on one
 * instance is downloaded from the other, and what an instance keeps between requests (the
 * public list, 推荐段落) follows a change made through the other.
 */
import fs from "node:fs";
import JSZip from "jszip";
import { and, eq, inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.server";
import { calendarDays, documentNumbers, letters, proposals, users } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { createJobs, QUEUES, type JobHandlers, type Jobs } from "~/jobs/queue.server";
import { exportJobFile, getExportJob, runExportJob, startExportJob } from "~/letters/export-jobs.server";
import { DraftConflictError, getCurrentLetter, startDraft } from "~/models/letter.server";
import { allocateNumber, registerExternalNumber, removeExternalNumber, setNextNumber } from "~/models/document-numbers.server";
import { draftFromLetter } from "~/models/letter-reuse.server";
import { deliverPendingEmails, resetMailTransport } from "~/models/notification.server";
import { fillScaleData } from "~/models/scale-data.server";
import { setParagraphStatus } from "~/models/paragraph.server";
import { findProposalByNumber, getProposal, registerProposal, VersionConflictError } from "~/models/proposal.server";
import { assignProposals, performAction } from "~/models/workflow.server";
import { proposalInputSchema } from "~/domain/proposal";
import { listPublishedReplies, underPublicStamp } from "~/models/public-reply.server";
import { withdrawPublication } from "~/models/publication.server";
import { suggestParagraphsForProposal } from "~/models/suggestions.server";
import { CalendarDayChangedError, deleteCalendarDay, setCalendarDay } from "~/models/calendar.server";
import { recomputeDeadlines } from "~/models/deadline.server";
import { createPostgresDatabase, postgresUnavailable } from "../support/databases";
import { startMailSink } from "../support/mail";
import { signCurrentLetter, submitWithDraft } from "../support/letters";
import { setUpDatabase } from "~/setup.server";

const down = await postgresUnavailable();
if (down && process.env.CI) throw new Error(down);
if (down) console.warn(`[instances] skipped: ${down}`);

const TODAY = "2026-11-30";

(down ? describe.skip : describe)("two app instances on one PostgreSQL database (concurrent: transactions really overlap)", () => {
  let dropDb: () => Promise<void>;
  let a: DbHandle;
  let b: DbHandle;
  const ran = { a: [] as string[], b: [] as string[] };
  /** The stored ZIP's piece size here: small enough that the test's ZIP takes several. */
  const TEST_CHUNK = 64 * 1024;
  let jobsA: Jobs;
  let jobsB: Jobs;

  const handlersFor = (name: "a" | "b", h: () => DbHandle): JobHandlers => ({
    reminders: async () => {
      ran[name].push("reminders");
    },
    lettersExport: async (id) => {
      ran[name].push(`export:${id}`);
      await runExportJob(h().db, id, { chunkBytes: TEST_CHUNK });
    },
    exportCleanup: async () => {},
  });

  beforeAll(async () => {
    const db = await createPostgresDatabase({ withDemo: true });
    dropDb = db.drop;
    a = await openDatabase({ kind: "postgres", url: db.url });
    await fillScaleData(a.db, { proposals: 1000, letters: 100 });
    b = await openDatabase({ kind: "postgres", url: db.url });
    // both start as servers do: each schedules and sends the start-up reminder
    [jobsA, jobsB] = await Promise.all([
      createJobs(
        a,
        handlersFor("a", () => a),
      ),
      createJobs(
        b,
        handlersFor("b", () => b),
      ),
    ]);
  }, 120_000);

  afterAll(async () => {
    await Promise.all([jobsA?.stop(), jobsB?.stop()]);
    await Promise.all([a?.close(), b?.close()]);
    await dropDb?.();
  });

  /** Sessions of this database waiting on a lock (another transaction holds what they need). */
  const waiting = async () =>
    ((await b.db.execute(sql`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`)) as unknown as { n: number }[])[0]!
      .n;
  const actor = async (h: DbHandle, id: string): Promise<SessionUser> => {
    const [u] = await h.db.select().from(users).where(eq(users.id, id));
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, phone: u!.phone, disabled: false };
  };

  it("signings on both instances at once give distinct, gapless 文号", async () => {
    // (the scale data's letters use 5000 and up)
    await a.db.transaction((tx) => setNextNumber(tx, { prefix: "东工信函", year: 2026, next: 9001 }));
    const rows = await a.db
      .select({ id: proposals.id, handlerId: proposals.handlerId })
      .from(proposals)
      .where(sql`${proposals.state} = 'drafting' and ${proposals.batchId} = (select id from batches where meeting like '%十四届四次会议（规模测试）')`)
      .limit(30);
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      const handler = await actor(a, r.handlerId!);
      await a.db.transaction((tx) => submitWithDraft(tx, { proposalId: r.id, actor: handler, today: TODAY, disclosure: "public" }));
    }
    const [leader] = await a.db.select({ id: users.id }).from(users).where(eq(users.username, "zhanzhibin"));
    const signer = await actor(a, leader!.id);
    const results = await Promise.allSettled(rows.map((r, i) => (i % 2 ? b : a).db.transaction((tx) => signCurrentLetter(tx, { proposalId: r.id, actor: signer, today: TODAY }))));
    const failures = results.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason));
    expect(failures).toEqual([]);
    const seqs = results.map((r) => Number((r as PromiseFulfilledResult<{ documentNumber: string }>).value.documentNumber.match(/〕(\d+)号/)?.[1])).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => 9001 + i));
  });

  it("an outside 文号 removed while a signing on the other instance steps over it is refused once that signing commits (transactions really overlap)", async () => {
    const [admin] = await a.db.select({ id: users.id }).from(users).where(eq(users.username, "admin"));
    const [letter] = await a.db.select({ id: letters.id }).from(letters).limit(1);
    await a.db.transaction((tx) => registerExternalNumber(tx, { number: "东工信函〔2031〕1号", note: "纸质发文", actorId: admin!.id }));
    let removal: Promise<unknown> = Promise.resolve();
    await b.db.transaction(async (tx) => {
      // B: a signing takes 2号, stepping over 1号, not yet committed
      expect(await allocateNumber(tx, { prefix: "东工信函", year: 2031, letterId: letter!.id, actorId: admin!.id })).toBe("东工信函〔2031〕2号");
      // A: the admin removes 1号 meanwhile; it waits for the series until B commits
      removal = a.db.transaction((t) => removeExternalNumber(t, { number: "东工信函〔2031〕1号" }));
      removal.catch(() => {});
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
    });
    await expect(removal).rejects.toThrow("登记后已被签发跳过");
    const series = await a.db.select({ number: documentNumbers.number }).from(documentNumbers).where(eq(documentNumbers.year, 2031));
    expect(series.map((n) => n.number).sort()).toEqual(["东工信函〔2031〕1号", "东工信函〔2031〕2号"]);
  });

  it("a signing that began before an outside 文号 was entered and stepped over it afterwards counts as stepping over it: the number cannot be removed (transactions really overlap)", async () => {
    const [admin] = await a.db.select({ id: users.id }).from(users).where(eq(users.username, "admin"));
    const [letter] = await a.db.select({ id: letters.id }).from(letters).limit(1);
    await b.db.transaction(async (tx) => {
      // B: a signing's transaction begins (its start time is fixed by its first statement)…
      await tx.execute(sql`select 1`);
      await new Promise((r) => setTimeout(r, 30));
      // A: …the admin enters 1号 as issued on paper, committed…
      await a.db.transaction((t) => registerExternalNumber(t, { number: "东工信函〔2032〕1号", note: "纸质发文", actorId: admin!.id }));
      // B: …then takes 2号, stepping over it.
      expect(await allocateNumber(tx, { prefix: "东工信函", year: 2032, letterId: letter!.id, actorId: admin!.id })).toBe("东工信函〔2032〕2号");
    });
    await expect(a.db.transaction((t) => removeExternalNumber(t, { number: "东工信函〔2032〕1号" }))).rejects.toThrow("登记后已被签发跳过");
  });

  it("开始起草 clicked on both instances at once gives one draft per proposal, and no error", async () => {
    const rows = await a.db
      .select({ id: proposals.id, handlerId: proposals.handlerId })
      .from(proposals)
      .where(sql`${proposals.state} = 'drafting' and not exists (select 1 from letters l where l.proposal_id = ${proposals.id})`)
      .limit(20);
    expect(rows.length).toBeGreaterThanOrEqual(8);
    const handlers = await Promise.all(rows.map((r) => actor(a, r.handlerId!)));
    const started = await Promise.allSettled(rows.flatMap((r, i) => [a, b].map((h) => h.db.transaction((tx) => startDraft(tx, { proposalId: r.id, actor: handlers[i]! })))));
    expect(started.filter((r) => r.status === "rejected").map((r) => String((r as PromiseRejectedResult).reason))).toEqual([]);
    const ids = started.map((r) => (r as PromiseFulfilledResult<number>).value);
    for (let i = 0; i < rows.length; i++) expect(ids[2 * i], `proposal ${rows[i]!.id}`).toBe(ids[2 * i + 1]);
    const letterRows = await a.db
      .select({ id: letters.id })
      .from(letters)
      .where(
        inArray(
          letters.proposalId,
          rows.map((r) => r.id),
        ),
      );
    expect(letterRows).toHaveLength(rows.length);
  });

  it("参照此函起草 chosen on both instances at once on a proposal with no draft: one choice stands, the other is a conflict showing it — never replaced unseen (transactions really overlap)", async () => {
    // a proposal of its own, taken on by 李泳 (the test before it starts drafts on the scale data's)
    const registrar = await actor(a, (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "chenmin")))[0]!.id);
    const handler = await actor(a, (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "liyong")))[0]!.id);
    const id = await a.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十四届五次会议",
          number: "49201",
          title: "关于智能终端产业的建议",
          proposers: [{ kind: "body", name: "民建市委会" }],
          bureauRole: "lead",
          assignedOn: "2026-11-20",
        }),
        actorId: registrar.id,
      }),
    );
    for (const [action, who, input] of [
      ["assign", registrar, { handlerId: handler.id }],
      ["acknowledge", handler, {}],
    ] as const)
      await a.db.transaction(async (tx) => performAction(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, action, actor: who, input, today: TODAY }));
    const row = { id };
    const past = await a.db
      .select({ id: letters.id, documentNumber: letters.documentNumber })
      .from(letters)
      .where(inArray(letters.documentNumber, ["东工信函〔2021〕108号", "东工信函〔2021〕109号"]));
    const l108 = past.find((l) => l.documentNumber!.includes("108"))!.id;
    const l109 = past.find((l) => l.documentNumber!.includes("109"))!.id;
    let second: Promise<unknown> = Promise.resolve();
    await b.db.transaction(async (tx) => {
      // B: 108 chosen — the round started and its body saved, not yet committed
      await draftFromLetter(tx, { proposalId: row!.id, fromLetterId: l108, actor: handler, scope: {} });
      // A: 109 chosen from a page that showed no draft either; it waits on B's start of the round
      second = a.db.transaction((t) => draftFromLetter(t, { proposalId: row!.id, fromLetterId: l109, actor: handler, scope: {} }));
      second.catch(() => {});
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
    });
    await expect(second).rejects.toThrow(DraftConflictError);
    const body = (await getCurrentLetter(a.db, row!.id))!.revision!.draft.blocks.map((x) => ("text" in x ? x.text : "")).join("");
    expect(body).toContain("智能移动终端"); // 108's, as B chose
  });

  it("the start-up reminder runs once, on one instance, though both queued it", async () => {
    await expect.poll(() => ran.a.length + ran.b.length, { timeout: 20_000 }).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 2500)); // time for a duplicate to show up
    expect([...ran.a, ...ran.b].filter((x) => x === "reminders")).toEqual(["reminders"]);
    // a job sent twice by name is still taken by one worker each time
    await jobsA.boss.send(QUEUES.reminders, {});
    await expect.poll(() => [...ran.a, ...ran.b].filter((x) => x === "reminders").length, { timeout: 20_000 }).toBe(2);
  });

  it("each e-mail goes out once when both instances deliver at the same moment", async () => {
    const sink = await startMailSink();
    const received = sink.received;
    process.env.SMTP_URL = sink.url;
    resetMailTransport();
    try {
      await deliverPendingEmails(a.db); // mail enabled from now: no backlog
      const handlers = await a.db.select({ id: users.id }).from(users).where(eq(users.role, "handler"));
      for (const h of handlers)
        await a.db
          .update(users)
          .set({ email: `${h.id}@example.test`, emailSetAt: new Date(Date.now() - 1000) })
          .where(eq(users.id, h.id));
      await a.db.execute(
        sql`insert into notifications (user_id, kind, message, dedupe_key) select u.id, 'test', '测试通知 ' || g, 'mail-test-' || u.id || '-' || g from users u, generate_series(1, 15) g where u.role = 'handler'`,
      );
      const [ra, rb] = await Promise.all([deliverPendingEmails(a.db), deliverPendingEmails(b.db)]);
      const expected = handlers.length * 15;
      expect(ra.sent + rb.sent).toBe(expected);
      expect(received).toHaveLength(expected);
      // every notice mailed, none twice: 30 notices, 30 mails, none left unclaimed
      const [{ left }] = (await a.db.execute(sql`select count(*)::int as left from notifications where kind = 'test' and emailed_at is null`)) as unknown as { left: number }[];
      expect(left).toBe(0);
    } finally {
      await sink.close();
      delete process.env.SMTP_URL;
      resetMailTransport();
    }
  });

  it("an export started on instance A is taken by a worker and downloaded from instance B", async () => {
    const [registrar] = await a.db.select({ id: users.id }).from(users).where(eq(users.username, "chenmin"));
    const job = await startExportJob(a.db, { userId: registrar!.id, filter: { meeting: "东莞市政协第十四届四次会议（规模测试）", state: "signed" }, today: TODAY }, (data) =>
      jobsA.boss.send(QUEUES.lettersExport, data),
    );
    expect(job).not.toBeNull();
    await expect.poll(async () => (await getExportJob(b.db, job!.id, registrar!.id))?.state, { timeout: 60_000 }).toBe("done");
    expect([...ran.a, ...ran.b].filter((x) => x === `export:${job!.id}`)).toHaveLength(1);
    const file = await exportJobFile(b.db, job!.id, registrar!.id);
    expect(file?.fileName).toMatch(/\.zip$/);
    // stored in pieces (smaller than EXPORT_CHUNK_BYTES here, so this ZIP takes several) and served whole, in order
    const content = Buffer.from(await new Response(file!.stream).arrayBuffer());
    expect(content.length).toBe(file!.bytes);
    const [{ pieces }] = (await b.db.execute(sql`select count(*)::int as pieces from export_job_chunks where job_id = ${job!.id}`)) as unknown as { pieces: number }[];
    expect(pieces).toBe(Math.ceil(content.length / TEST_CHUNK));
    expect(pieces).toBeGreaterThan(1);
    const zip = await JSZip.loadAsync(content);
    expect(Object.keys(zip.files).filter((n) => n.endsWith(".docx"))).toHaveLength(job!.total);
    // another user cannot fetch it, from either instance
    const [other] = await b.db.select({ id: users.id }).from(users).where(eq(users.username, "liyong"));
    expect(await exportJobFile(b.db, job!.id, other!.id)).toBeNull();
  });

  it("what one instance keeps between requests follows a change made on the other at once: the public list, 推荐段落", async () => {
    const p108 = (await findProposalByNumber(a.db, "东莞市政协第十三届六次会议", "10121"))!;
    // instance B's public list, as its site reads it (kept under the public stamp)
    const meeting = "东莞市政协第十三届六次会议";
    const publicOnB = async () => (await underPublicStamp(b.db, "test:list", () => listPublishedReplies(b.db, { meeting, page: 1, pageSize: 20 }))).rows.map((r) => r.id);
    expect(await publicOnB()).toContain(p108.id);
    expect(await publicOnB()).toContain(p108.id);
    const admin = await actor(a, (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "admin")))[0]!.id);
    await a.db.transaction(async (tx) =>
      withdrawPublication(tx, { proposalId: p108.id, expectedVersion: (await getProposal(tx, p108.id))!.version, actor: admin, reason: "实例测试" }),
    );
    expect(await publicOnB()).not.toContain(p108.id);

    // 推荐段落 on B, then a paragraph retired through A
    const suggestOnB = async () => (await suggestParagraphsForProposal(b.db, (await getProposal(b.db, p108.id))!)).map((s) => s.id);
    const first = await suggestOnB();
    expect(first.length).toBeGreaterThan(0);
    expect(await suggestOnB()).toEqual(first);
    await setParagraphStatus(a.db, { id: first[0]!, status: "retired", actorId: null });
    expect(await suggestOnB()).not.toContain(first[0]);
  });

  it("a withdrawal racing another change to the proposal (B holds the row until it commits) is refused: B's state is never overwritten", async () => {
    const [p] = await a.db
      .select({ id: proposals.id, version: proposals.version })
      .from(proposals)
      .where(and(eq(proposals.state, "published"), sql`exists (select 1 from publications x where x.proposal_id = ${proposals.id} and x.withdrawn_at is null)`))
      .limit(1);
    const admin = await actor(a, (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "admin")))[0]!.id);
    let withdrawal: Promise<unknown> = Promise.resolve();
    await b.db.transaction(async (tx) => {
      // B: a 不满意 recorded (再办理), not yet committed
      await tx
        .update(proposals)
        .set({ state: "rehandling", version: sql`${proposals.version} + 1` })
        .where(eq(proposals.id, p!.id));
      // A read the old version, passed its check, and waits on B's row lock
      withdrawal = a.db.transaction((t) => withdrawPublication(t, { proposalId: p!.id, expectedVersion: p!.version, actor: admin, reason: "并发测试" }));
      withdrawal.catch(() => {});
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
    });
    await expect(withdrawal).rejects.toThrow(VersionConflictError);
    expect((await getProposal(a.db, p!.id))!.state).toBe("rehandling");
    const [{ n: standing }] = (await a.db.execute(sql`select count(*)::int as n from publications where proposal_id = ${p!.id} and withdrawn_at is null`)) as unknown as {
      n: number;
    }[];
    expect(standing).toBeGreaterThan(0); // A's withdrawal rolled back whole
  });

  it("分派所选 of rows listed newest first, beside a change taking them in id order (a deadline recomputation), both finish: no deadlock (transactions really overlap)", async () => {
    const registrar = await actor(a, (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "chenmin")))[0]!.id);
    const handler = (await a.db.select({ id: users.id }).from(users).where(eq(users.username, "liyong")))[0]!.id;
    const ids: number[] = [];
    for (const n of ["49101", "49102"])
      ids.push(
        await a.db.transaction((tx) =>
          registerProposal(tx, {
            input: proposalInputSchema.parse({
              meeting: "东莞市政协第十四届五次会议",
              number: n,
              title: `关于分派死锁测试${n}的建议`,
              proposers: [{ kind: "member", name: "张三" }],
              bureauRole: "lead",
              assignedOn: "2026-11-20",
            }),
            actorId: registrar.id,
          }),
        ),
      );
    const [first, second] = ids as [number, number];
    const listed = await a.db.select({ id: proposals.id, version: proposals.version }).from(proposals).where(inArray(proposals.id, ids));
    const items = [...listed].sort((x, y) => y.id - x.id); // the list shows the newest first
    let assigned: Promise<number> = Promise.resolve(0);
    await b.db.transaction(async (tx) => {
      // B takes the first row, as a recomputation walking in id order does…
      await tx.update(proposals).set({ updatedAt: new Date() }).where(eq(proposals.id, first));
      // …A's 分派所选 starts and waits for it…
      assigned = a.db.transaction((t) => assignProposals(t, { items, handlerId: handler, actor: registrar, today: TODAY }));
      assigned.catch(() => {});
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
      // …and B goes on to the second: locked one by one in the list's order, A held it, and one of
      // the two was aborted as a deadlock (an error page)
      await tx.update(proposals).set({ updatedAt: new Date() }).where(eq(proposals.id, second));
    });
    await expect(assigned).resolves.toBe(2);
    for (const id of ids) expect((await getProposal(a.db, id))!).toMatchObject({ state: "assigned", handlerId: handler });
  });

  it("a registration while the calendar is being changed waits for it, and its 申请调整 window follows the new calendar (transactions really overlap)", async () => {
    // (a change of a batch's rules already makes a registration wait: both write the batch's row)
    const register = (h: DbHandle, number: string) =>
      h.db.transaction((tx) =>
        registerProposal(tx, {
          input: {
            meeting: "日历并发测试会议",
            number,
            title: `关于日历并发测试${number}的建议`,
            proposers: [{ kind: "member", name: "张三" }],
            bureauRole: "lead",
            assignedOn: "2026-06-10",
            notes: "",
          },
          actorId: null,
        }),
      );
    const windowOf = async (id: number) => (await getProposal(a.db, id))!.reassignmentWindowEnds;
    const control = await register(a, "1");
    const before = await windowOf(control);
    let registering: Promise<number> = Promise.resolve(0);
    // B: a working day inside the window becomes a holiday, deadlines recomputed, not yet committed
    await b.db.transaction(async (tx) => {
      await setCalendarDay(tx, { day: "2026-06-11", kind: "holiday", name: "并发测试" });
      await recomputeDeadlines(tx, { reason: "日历并发测试" });
      registering = register(a, "2");
      registering.catch(() => {});
      for (let i = 0; i < 100 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await waiting()).toBe(1);
    });
    const late = await registering;
    try {
      expect(await windowOf(control)).not.toBe(before);
      expect(await windowOf(late)).toBe(await windowOf(control));
    } finally {
      await b.db.transaction(async (tx) => {
        await deleteCalendarDay(tx, "2026-06-11");
        await recomputeDeadlines(tx, { reason: "日历并发测试" });
      });
    }
  });

  it("two admins saving the same new calendar day at once: one is saved, the other refused, never silently overwritten (transactions really overlap)", async () => {
    // both pages showed the day as an ordinary day (seen "": no row): `for update` locked nothing there
    const day = "2026-06-12";
    const outcomes = await Promise.allSettled([
      a.db.transaction((tx) => setCalendarDay(tx, { day, kind: "holiday", name: "甲节", seen: "" })),
      b.db.transaction((tx) => setCalendarDay(tx, { day, kind: "workday", name: "乙调休", seen: "" })),
    ]);
    try {
      expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
      expect(refused.reason).toBeInstanceOf(CalendarDayChangedError);
      const won = outcomes[0]!.status === "fulfilled" ? "甲节" : "乙调休";
      const [row] = await a.db.select({ name: calendarDays.name }).from(calendarDays).where(eq(calendarDays.day, day));
      expect(row!.name).toBe(won);
      // a delete from a page that showed it otherwise is refused too
      await expect(b.db.transaction((tx) => deleteCalendarDay(tx, day, ""))).rejects.toBeInstanceOf(CalendarDayChangedError);
    } finally {
      await a.db.transaction((tx) => deleteCalendarDay(tx, day));
    }
  });
});

(down ? describe.skip : describe)("instances starting at once on a fresh PostgreSQL database (concurrent: transactions really overlap)", () => {
  it("three instances migrate and set up the same new database together: each starts, the migrations run once, the demo data loads once", async () => {
    const fresh = await createPostgresDatabase();
    const handles: DbHandle[] = [];
    try {
      const opened = await Promise.allSettled([0, 1, 2].map(() => openDatabase({ kind: "postgres", url: fresh.url })));
      for (const o of opened) if (o.status === "fulfilled") handles.push(o.value);
      expect(opened.map((o) => (o.status === "rejected" ? String(o.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);
      const [{ n }] = (await handles[0]!.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)) as unknown as { n: number }[];
      const journal = JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")) as { entries: unknown[] };
      expect(n).toBe(journal.entries.length);
      // the start-up writes of `npm start` (calendar, demo data), on all three at once
      const setups = await Promise.allSettled(handles.map((h) => setUpDatabase(h.db, { demo: true })));
      expect(setups.map((o) => (o.status === "rejected" ? String(o.reason) : "ok"))).toEqual(["ok", "ok", "ok"]);
      const [{ admins }] = (await handles[0]!.db.execute(sql`select count(*)::int as admins from users where username = 'admin'`)) as unknown as { admins: number }[];
      expect(admins).toBe(1);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
      await fresh.drop();
    }
  });

  it("an instance shutting down takes no new job (another instance will) and lets its running one finish", async () => {
    const fresh = await createPostgresDatabase();
    const h = await openDatabase({ kind: "postgres", url: fresh.url });
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let started!: () => void;
    const running = new Promise<void>((r) => {
      started = r;
    });
    const ran: string[] = [];
    const jobs = await createJobs(
      h,
      {
        reminders: async () => {},
        lettersExport: async (id) => {
          ran.push(id);
          if (id === "first") {
            started();
            await held;
          }
        },
        exportCleanup: async () => {},
      },
      { schedule: false },
    );
    try {
      const first = await jobs.boss.send(QUEUES.lettersExport, { id: "first" });
      await running;
      await jobs.quiesce(); // SIGTERM
      const second = await jobs.boss.send(QUEUES.lettersExport, { id: "second" });
      release();
      await expect.poll(async () => (await jobs.boss.getJobById(QUEUES.lettersExport, first!))?.state, { timeout: 10_000 }).toBe("completed");
      // polled every second: three seconds on, the second job still waits for another instance
      await new Promise((r) => setTimeout(r, 3000));
      expect((await jobs.boss.getJobById(QUEUES.lettersExport, second!))?.state).toBe("created");
      expect(ran).toEqual(["first"]);
    } finally {
      release();
      await jobs.stop();
      await h.close();
      await fresh.drop();
    }
  });
});
