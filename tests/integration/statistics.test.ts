/**
 * 办理情况统计 against figures computed independently (plain SQL over the same rows), on both
 * databases; the XLSX carries the same tables, and the CLI (a real process on PostgreSQL) prints the same.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import ExcelJS from "exceljs";
import { eq, sql } from "drizzle-orm";
import { proposals } from "#db/schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { rowsOf } from "~/models/library-search.server";
import { findProposalByNumber, getProposal, listProposals, registerProposal } from "~/models/proposal.server";
import { getCurrentLetter, saveDraft, signLetter, startDraft, submitLetter } from "~/models/letter.server";
import { libraryBlocks } from "~/models/letter-sources.server";
import { proposalInputSchema } from "~/domain/proposal";
import { dashboard, dueChart } from "~/models/dashboard.server";
import { listDeadlines } from "~/models/deadline.server";
import { addDays } from "~/domain/calendar";
import { statisticsTables, statisticsToXlsx } from "~/models/statistics-export.server";
import { mostReusedParagraphs, statisticsFor, statisticsScope } from "~/models/statistics.server";
import { createUser, findUserForSignIn } from "~/models/user.server";
import { availableDatabases, createPostgresDatabase, postgresUnavailable } from "../support/databases";
import { CLI, cliArgs } from "../support/cli";
import { performStep } from "../support/workflow";
import { DUE_SOON_DAYS } from "~/domain/deadlines";
import { STATISTICS_NOTES } from "~/domain/statistics";

const TODAY = "2026-11-30";

describe.each(await availableDatabases())("办理情况统计 on $name", (database) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await database.openWithDemo();
    // 108: the proposer is satisfied (closes it); 109: basically satisfied.
    const reg = (await findUserForSignIn(h.db, "chenmin"))!;
    const actor: SessionUser = { id: reg.id, username: reg.username, displayName: reg.displayName, role: reg.role, phone: reg.phone, disabled: false };
    for (const [number, feedback] of [
      ["10121", "satisfied"],
      ["20210100", "basically_satisfied"],
    ] as const) {
      const p = (await findProposalByNumber(h.db, "东莞市政协第十三届六次会议", number))!;
      const { version } = (await getProposal(h.db, p.id))!;
      await h.db.transaction((tx) => performStep(tx, { proposalId: p.id, expectedVersion: version, action: "record_feedback", actor, input: { feedback }, today: TODAY }));
    }
  });
  afterAll(() => h?.close());

  const count = async (where: string) =>
    (await rowsOf<{ n: number }>(h.db, sql.raw(`select count(*)::int as n from proposals p join batches b on b.id = p.batch_id where ${where}`)))[0]!.n;

  it("2026: by role and state, deadlines, and by handler equal plain SQL counts over the same rows", async () => {
    const s = await statisticsFor(h.db, { year: 2026 }, TODAY);
    const y = "p.assigned_on >= '2026-01-01' and p.assigned_on < '2027-01-01'";
    expect(s.total).toBe(await count(y));
    for (const role of ["lead", "co", "split"] as const) {
      expect(s.byRoleState[role].total, role).toBe(await count(`${y} and p.bureau_role = '${role}'`));
      for (const [state, n] of Object.entries(s.byRoleState[role]))
        if (state !== "total") expect(n, `${role} ${state}`).toBe(await count(`${y} and p.bureau_role = '${role}' and p.state = '${state}'`));
    }
    const due = "coalesce(p.extended_due, p.due)";
    expect(s.timeliness.openOverdue).toBe(await count(`${y} and p.replied_on is null and ${due} < '${TODAY}' and p.state not in ('closed', 'transferred_out')`));
    expect(s.timeliness.replied).toBe(await count(`${y} and p.replied_on is not null and ${due} is not null`));
    const liyong = s.byHandler.find((x) => x.name === "李泳")!;
    expect(liyong.assigned).toBe(await count(`${y} and p.handler_id = (select id from users where username = 'liyong')`));
  });

  it("a second person named 李泳: both rows in 承办人 say whose they are", async () => {
    const otherId = await createUser(h.db, { username: "liyong2", displayName: "李泳", role: "handler", phone: null, password: "correct horse battery" });
    const [p] = await rowsOf<{ id: number; handler_id: string }>(
      h.db,
      sql.raw("select id, handler_id from proposals where handler_id is not null and assigned_on >= '2026-01-01' order by id limit 1"),
    );
    await h.db.update(proposals).set({ handlerId: otherId }).where(eq(proposals.id, p!.id));
    try {
      const names = (await statisticsFor(h.db, { year: 2026 }, TODAY)).byHandler.map((x) => x.name);
      expect(names).toContain("李泳（liyong2）");
      expect(names.filter((n) => n.startsWith("李泳"))).toHaveLength(2);
    } finally {
      await h.db.update(proposals).set({ handlerId: p!.handler_id }).where(eq(proposals.id, p!.id));
    }
  });

  it("2021: letters 108 and 109 on time, both proposers satisfied or basically, and the paragraphs they reused", async () => {
    const s = await statisticsFor(h.db, { year: 2021 }, TODAY);
    expect(s.total).toBe(2);
    expect(s.timeliness).toMatchObject({ replied: 2, onTime: 2, late: 0 });
    expect(s.satisfaction).toMatchObject({ satisfied: 1, basically_satisfied: 1, dissatisfied: 0, answered: 2, satisfiedRate: 1 });
    // The library records which of its paragraphs each letter used; shared by both letters come first.
    const [{ n: shared }] = await rowsOf<{ n: number }>(
      h.db,
      sql.raw(
        "select count(*)::int as n from (select paragraph_id from paragraph_uses where letter_number in ('东工信函〔2021〕108号', '东工信函〔2021〕109号') group by paragraph_id having count(distinct letter_number) = 2) t",
      ),
    );
    expect(s.topParagraphs.filter((p) => p.proposals === 2)).toHaveLength(Math.min(shared, 10));
    expect(s.topParagraphs.map((p) => p.title)).toContain("系统规划引领");
  });

  it("常用段落 counts letters signed (or imported), not a draft still being written", async () => {
    const before = (await statisticsFor(h.db, { year: 2021 }, TODAY)).topParagraphs;
    const as = async (name: string): Promise<SessionUser> => {
      const u = (await findUserForSignIn(h.db, name))!;
      return { id: u.id, username: u.username, displayName: u.displayName, role: u.role, phone: u.phone, disabled: false };
    };
    const [reg, li] = [await as("chenmin"), await as("liyong")];
    const id = await h.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "东莞市政协第十三届六次会议",
          number: "29901",
          title: "关于统计测试的建议",
          proposers: [{ kind: "member", name: "张三" }],
          bureauRole: "lead",
          assignedOn: "2021-04-01",
        }),
        actorId: reg.id,
      }),
    );
    const step = async (actor: SessionUser, action: "assign" | "acknowledge", input = {}) => {
      const { version } = (await getProposal(h.db, id))!;
      await h.db.transaction((tx) => performStep(tx, { proposalId: id, expectedVersion: version, action, actor, input, today: TODAY }));
    };
    await step(reg, "assign", { handlerId: li.id });
    await step(li, "acknowledge");
    const letterId = await h.db.transaction((tx) => startDraft(tx, { proposalId: id, actor: li }));
    // a library paragraph the signed letters did not use
    const [unused] = await rowsOf<{ id: number }>(h.db, sql`select id from paragraphs where id not in (select paragraph_id from paragraph_uses) order by id limit 1`);
    const base = (await getCurrentLetter(h.db, id))!.revision!;
    const blocks = await libraryBlocks(h.db, unused!.id);
    await h.db.transaction((tx) => saveDraft(tx, { letterId, baseRevisionId: base.id, draft: { ...base.draft, blocks }, actor: li, kind: "save" }));
    expect((await rowsOf<{ n: number }>(h.db, sql`select count(*)::int as n from paragraph_uses where proposal_id = ${id}`))[0]!.n).toBeGreaterThan(0);
    expect((await statisticsFor(h.db, { year: 2021 }, TODAY)).topParagraphs).toEqual(before);
    // not merely below the top ten: not counted at all
    expect((await mostReusedParagraphs(h.db, { year: 2021 }, 1000)).map((p) => p.paragraphId)).not.toContain(unused!.id);

    // signed, then corrected (更正) before it was sent and signed again: one reply went out, one use
    const leader = await as("zhanzhibin");
    const sign = async () => {
      const current = (await getCurrentLetter(h.db, id))!;
      await h.db.transaction((tx) =>
        saveDraft(tx, {
          letterId: current.id,
          baseRevisionId: current.revision!.id,
          draft: { ...current.revision!.draft, outcome: "A", disclosure: "主动公开" },
          actor: li,
          kind: "save",
        }),
      );
      await h.db.transaction(async (tx) => submitLetter(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, actor: li, today: TODAY }));
      await h.db.transaction(async (tx) => signLetter(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, actor: leader, today: TODAY }));
    };
    const counted = async () => (await mostReusedParagraphs(h.db, { year: 2021 }, 1000)).find((p) => p.paragraphId === unused!.id);
    await sign();
    expect(await counted()).toMatchObject({ proposals: 1, uses: 1 });
    await h.db.transaction(async (tx) =>
      performStep(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, action: "correct", actor: li, input: { comment: "数据有误" }, today: TODAY }),
    );
    await h.db.transaction((tx) => startDraft(tx, { proposalId: id, actor: li }));
    await sign();
    expect((await getCurrentLetter(h.db, id))!.round).toBe(2);
    expect(await counted()).toMatchObject({ proposals: 1, uses: 1 });
  });

  it("the home page's figures come from SQL and agree with the full deadline list; its list is capped, the proposal list's 期限 filter has them all", async () => {
    const all = await listDeadlines(h.db, { today: TODAY });
    const board = await dashboard(h.db, { today: TODAY, scope: {}, listLimit: 1 });
    const weekEnd = addDays(TODAY, DUE_SOON_DAYS);
    expect(board.openTotal).toBe(all.length);
    expect(board.overdueCount).toBe(all.filter((d) => d.due < TODAY).length);
    expect(board.dueThisWeekCount).toBe(all.filter((d) => d.due >= TODAY && d.due <= weekEnd).length);
    expect(board.chart).toEqual(dueChart(all, TODAY));
    expect(board.urgent).toHaveLength(Math.min(1, board.overdueCount + board.dueThisWeekCount));
    const listed = await listProposals(h.db, { due: "urgent", today: TODAY, page: 1, pageSize: 50 });
    expect(listed.total).toBe(board.overdueCount + board.dueThisWeekCount);
    expect((await listProposals(h.db, { due: "overdue", today: TODAY, page: 1, pageSize: 50 })).total).toBe(board.overdueCount);
    // seven days left, the day the 7-day reminder comes: among 7日内到期 on the home page and in the list's filter
    const open = all.find((d) => d.due > TODAY)!;
    const sevenBefore = addDays(open.due, -7);
    const then = await dashboard(h.db, { today: sevenBefore, scope: {} });
    expect(then.urgent.map((u) => u.id)).toContain(open.id);
    const week = await listProposals(h.db, { due: "week", today: sevenBefore, page: 1, pageSize: 50 });
    expect(week.rows.map((r) => r.id)).toContain(open.id);
    expect(then.dueThisWeekCount).toBe(week.total);
  });

  it("the page, its XLSX and the CLI read one scope: a short 会议 name is the registered one, an unregistered one is dropped and named (the page showed a report of zeros)", async () => {
    expect(await statisticsScope(h.db, { meeting: "十三届六次会议" })).toEqual({
      scope: { meeting: "东莞市政协第十三届六次会议" },
      years: expect.arrayContaining([2021]),
      unknownMeeting: null,
    });
    const short = await statisticsFor(h.db, (await statisticsScope(h.db, { meeting: "十三届六次会议" })).scope, TODAY);
    expect(short.total).toBe(await count("b.meeting = '东莞市政协第十三届六次会议'"));
    expect(short.total).toBeGreaterThan(0);
    const unknown = await statisticsScope(h.db, { meeting: "不存在的会议" });
    expect(unknown.unknownMeeting).toBe("不存在的会议");
    // nothing else chosen: the latest year, as when nothing is chosen at all
    expect(unknown.scope).toEqual({ year: unknown.years[0] });
    expect((await statisticsScope(h.db, { meeting: "不存在的会议", year: "all" })).scope).toEqual({});
    expect((await statisticsScope(h.db, {})).scope).toEqual({ year: unknown.years[0] });
  });

  it("the XLSX carries the page's tables, sheet by sheet, its rates as numbers formatted as percentages", async () => {
    const s = await statisticsFor(h.db, {}, TODAY);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await statisticsToXlsx(s, "全部提案")) as unknown as ArrayBuffer);
    const rates: number[] = [];
    for (const [name, rows] of Object.entries(statisticsTables(s))) {
      const ws = wb.getWorksheet(name)!;
      const read = rows.map((r, i) =>
        r.map((_, c) => {
          const cell = ws.getRow(i + 3).getCell(c + 1);
          if (cell.numFmt !== "0.0%") return cell.value;
          rates.push(cell.value as number);
          return `${((cell.value as number) * 100).toFixed(1)}%`;
        }),
      );
      expect(read, name).toEqual(rows);
      // the page's note under a table, beside it (read alone, 已答复 was taken for every reply)
      const note = STATISTICS_NOTES[name as keyof typeof STATISTICS_NOTES];
      if (note) expect(ws.getRow(rows.length + 4).getCell(1).value, name).toBe(`说明：${note}`);
    }
    // 108 and 109: both proposers satisfied or basically
    expect(rates).toContain(1);
  });
});

describe("the stats CLI", () => {
  it("prints the same figures as the model (--json), on PostgreSQL", async (ctx) => {
    const down = await postgresUnavailable();
    if (down) {
      if (process.env.CI) throw new Error(down);
      ctx.skip();
    }
    const db = await createPostgresDatabase();
    try {
      const env = { ...process.env, DATABASE_URL: db.url, DEMO_DATA: "1", APP_TODAY: TODAY };
      const { stdout } = await promisify(execFile)(CLI[0], cliArgs("stats", "--year", "2026", "--json"), { env, timeout: 90_000 });
      const printed = JSON.parse(stdout.slice(stdout.indexOf("{")));
      const { openDatabase } = await import("#db/client.server");
      const handle = await openDatabase({ kind: "postgres", url: db.url });
      try {
        const s = await statisticsFor(handle.db, { year: 2026 }, TODAY);
        expect(printed.total).toBe(s.total);
        expect(printed.byRoleState).toEqual(s.byRoleState);
        expect(printed.timeliness).toEqual(s.timeliness);
        expect(printed.byHandler).toEqual(s.byHandler);
      } finally {
        await handle.close();
      }
    } finally {
      await db.drop();
    }
  });
});
