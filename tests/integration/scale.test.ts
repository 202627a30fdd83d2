/**
 * demo:scale and the home page at scale, on both databases: the data set goes in whole and only
 * once; the dashboard's figures and task-list totals equal direct SQL counts; every task list
 * is capped and the proposal list's ?queue= holds all of it.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { createDeadlineReminders } from "~/models/reminders.server";
import { rowsOf } from "~/models/library-search.server";
import { dashboard, TASK_ROWS, taskQueue, URGENT_ROWS } from "~/models/dashboard.server";
import { listProposals } from "~/models/proposal.server";
import { fillScaleData, SCALE_MEETINGS } from "~/models/scale-data.server";
import { availableDatabases } from "../support/databases";
import { DUE_SOON_DAYS } from "~/domain/deadlines";

const TODAY = "2026-11-30";
const SIZE = 2000;

describe.each(await availableDatabases())("scale data and the home page on $name", (database) => {
  let h: DbHandle;
  let first: Awaited<ReturnType<typeof fillScaleData>>;
  beforeAll(async () => {
    h = await database.openWithDemo();
    first = await fillScaleData(h.db, { proposals: SIZE, letters: 200, paragraphs: 300, today: TODAY });
  }, 120_000);
  afterAll(() => h?.close());

  const count = async (where: string) => (await rowsOf<{ n: number }>(h.db, sql.raw(`select count(*)::int as n from proposals p where ${where}`)))[0]!.n;

  it("fills every 会议 and state, signs the letters asked for, and adds nothing the second time", async () => {
    expect(first.proposalsAdded).toBe(SIZE);
    expect(first.lettersAdded).toBe(200);
    expect(first.paragraphsAdded).toBe(300);
    const [{ n: paras }] = await rowsOf<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from paragraphs p join library_documents d on d.id = p.source_document_id where d.title like '（规模测试）%' and p.current_version_id is not null`,
    );
    expect(paras).toBe(300);
    expect(await count("p.batch_id in (select id from batches where meeting like '%（规模测试）')")).toBe(SIZE);
    for (const m of SCALE_MEETINGS) expect(await count(`p.batch_id = (select id from batches where meeting = '${m.meeting}')`), m.meeting).toBe(SIZE / SCALE_MEETINGS.length);
    const states = (await rowsOf<{ state: string }>(h.db, sql`select distinct state from proposals`)).map((r) => r.state);
    expect(states).toEqual(expect.arrayContaining(["received", "assigned", "drafting", "in_review", "signed", "replied", "published", "closed", "transferred_out", "rehandling"]));
    // 再办理 as the workflow leaves it: the first reply kept, the new deadline from the 不满意 (recorded as such), answered again or not yet
    expect(await count("p.rehandling_from is not null")).toBeGreaterThan(0);
    expect(
      await count(
        "p.rehandling_from is not null and not (p.first_replied_on < p.rehandling_from and (p.replied_on is null) = (p.state = 'rehandling') and coalesce(p.replied_on >= p.rehandling_from, true) and (select count(*) from letters l where l.proposal_id = p.id and (p.state = 'closed' or l.created_at > p.rehandling_from)) = 0)",
      ),
    ).toBe(0);
    expect(
      await count(
        'p.rehandling_from is not null and not exists (select 1 from events e where e.proposal_id = p.id and e.kind = \'record_feedback\' and e.changes @> \'[{"field": "feedback", "to": "不满意"}]\'::jsonb)',
      ),
    ).toBe(0);
    const [{ n: signed }] = await rowsOf<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from letters l join document_numbers d on d.letter_id = l.id where l.state = 'signed' and l.final_letter is not null and l.current_revision_id is not null`,
    );
    expect(signed).toBeGreaterThanOrEqual(200);
    // realistic dates: nothing answered or signed after today, nor before the assignment
    expect(await count(`p.replied_on > '${TODAY}' or p.replied_on < p.assigned_on`)).toBe(0);
    expect(await count(`p.id in (select proposal_id from letters where signed_at > timestamptz '${TODAY}T23:59:59+08:00')`)).toBe(0);
    expect(await count("p.replied_on is not null")).toBeGreaterThan(SIZE / 4);
    // states the workflow produces: 已调出 was never answered here, a 会办 reply is neither published
    // nor given a 公开方式, and not every reply is early (statistics read 按时率 99.9 % before)
    expect(await count("p.state = 'transferred_out' and (p.replied_on is not null or p.disclosure is not null)")).toBe(0);
    expect(await count("p.bureau_role = 'co' and (p.state = 'published' or p.disclosure is not null)")).toBe(0);
    // nor does it get feedback here: the lead unit asks its proposer (满意度 counted 200 such answers)
    expect(await count("p.bureau_role = 'co' and p.feedback is not null")).toBe(0);
    expect(await count("p.replied_on > coalesce(p.extended_due, p.due)")).toBeGreaterThan(0);
    // letters for the newest replies; the older ones, written before the system, have no 公开方式 here:
    // every reply in 待公开 has a letter to publish, and 已公开 is on the public site (3,000 such
    // replies without a letter filled 待公开 before)
    expect(
      await count(
        "p.batch_id in (select id from batches where meeting like '%（规模测试）') and p.disclosure is not null and not exists (select 1 from letters l where l.proposal_id = p.id and l.state = 'signed')",
      ),
    ).toBe(0);
    expect(await count("p.state = 'published' and not exists (select 1 from publications pub where pub.proposal_id = p.id)")).toBe(0);
    expect(
      await count(
        `p.state in ('signed', 'replied', 'published', 'closed') and p.batch_id = (select id from batches where meeting = '${SCALE_MEETINGS.at(-1)!.meeting}') and not exists (select 1 from letters l where l.proposal_id = p.id)`,
      ),
    ).toBe(0);
    // its notices are those the reminder job would send: its next run finds them sent
    expect(first.notificationsAdded).toBeGreaterThan(0);
    await createDeadlineReminders(h.db, TODAY);
    const [{ n: twice }] = await rowsOf<{ n: number }>(
      h.db,
      sql`select count(*)::int as n from (select 1 from notifications group by user_id, proposal_id, kind having count(*) > 1) d`,
    );
    expect(twice).toBe(0);
    const again = await fillScaleData(h.db, { proposals: SIZE, letters: 200, paragraphs: 300, today: TODAY });
    expect(again).toMatchObject({ proposalsAdded: 0, lettersAdded: 0, notificationsAdded: 0, paragraphsAdded: 0, proposalsTotal: SIZE });
  });

  it("the dashboard's figures equal direct SQL counts", async () => {
    const board = await dashboard(h.db, { today: TODAY, scope: {} });
    const open = "p.state not in ('replied', 'published', 'closed', 'transferred_out') and coalesce(p.extended_due, p.due) is not null";
    const due = "coalesce(p.extended_due, p.due)";
    expect(board.openTotal).toBe(await count(open));
    expect(board.overdueCount).toBe(await count(`${open} and ${due} < '${TODAY}'`));
    expect(board.dueThisWeekCount).toBe(await count(`${open} and ${due} >= '${TODAY}' and ${due} <= date '${TODAY}' + ${DUE_SOON_DAYS}`));
    expect(board.overdueCount).toBeGreaterThan(URGENT_ROWS); // the scale data has plenty of both
    expect(board.urgent).toHaveLength(URGENT_ROWS);
  });

  it("each task list shows a few rows (TASK_ROWS) and its total; the proposal list's ?queue= has them all", async () => {
    for (const [queue, where] of [
      ["assign", "p.state = 'received'"],
      ["sign", "p.state = 'in_review'"],
      ["send", "p.state = 'signed'"],
      ["todo", "p.state in ('assigned', 'drafting', 'rehandling')"],
      [
        "publish",
        // the latest reply owed, or one the proposer answered 不满意 (the latest signed when they did) never published
        `p.bureau_role <> 'co' and ((p.state in ('replied', 'closed') and p.disclosure = 'public' and not exists (select 1 from publications pub where pub.proposal_id = p.id and pub.withdrawn_at is null))
          or exists (select 1 from letters l join events e on e.proposal_id = l.proposal_id and e.kind = 'record_feedback' and e.changes @> '[{"to": "不满意"}]' and e.at > l.signed_at
            where l.proposal_id = p.id and l.state = 'signed' and l.final_letter->>'disclosure' = '主动公开' and not exists (select 1 from publications pub where pub.letter_id = l.id)
              and not exists (select 1 from letters l2 where l2.proposal_id = p.id and l2.state = 'signed' and l2.round > l.round and l2.signed_at < e.at)))`,
      ],
    ] as const) {
      const q = await taskQueue(h.db, queue, {});
      expect(q.total, queue).toBe(await count(where));
      expect(q.total, queue).toBeGreaterThan(TASK_ROWS);
      expect(q.items, queue).toHaveLength(TASK_ROWS);
      expect((await listProposals(h.db, { queue, page: 1, pageSize: 50 })).total, queue).toBe(q.total);
    }
  });
});
