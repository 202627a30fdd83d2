import net from "node:net";
import ExcelJS from "exceljs";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import type { DbHandle } from "#db/client.server";
import { batches, calendarDays, calendarYears, events, extensions, notifications, proposals, users } from "#db/schema";
import { addShippedCalendarYears } from "~/setup.server";
import { calendarDoubts } from "~/domain/deadlines";
import type { SessionUser } from "~/auth/lucia.server";
import { DEFAULT_DEADLINE_RULES } from "~/domain/deadlines";
import { proposalInputSchema, type ProposalInput } from "~/domain/proposal";
import type { WorkflowAction } from "~/domain/workflow";
import { addCalendarYear, confirmCalendarYear, deleteCalendarDay, listCalendarDays, loadCalendar, setCalendarDay } from "~/models/calendar.server";
import { deadlinesToCsv, deadlinesToIcs, deadlinesToXlsx } from "~/models/deadline-export.server";
import {
  DEADLINE_DIGEST_AFTER,
  deadlineContext,
  listBatches,
  listDeadlines,
  lockBatch,
  proposalDeadline,
  recomputeDeadlines,
  setBatchRules,
  today,
} from "~/models/deadline.server";
import { takeTurn } from "~/models/locks.server";
import { taskQueue } from "~/models/dashboard.server";
import { addDays } from "~/domain/calendar";
import { lastEventId, listEvents, meanwhileRefusal } from "~/models/event.server";
import { createDeadlineReminders } from "~/models/reminders.server";
import {
  deliverPendingEmails,
  EMAIL_CLAIM_MS,
  lastRefusedEmail,
  listNotifications,
  notify,
  markRead,
  markUnread,
  resetMailTransport,
  unreadCount,
} from "~/models/notification.server";
import { getProposal, listProposals, proposalFilterConditions, registerProposal, updateProposal, VersionConflictError } from "~/models/proposal.server";
import { emailSchema } from "~/domain/user-input";
import { createUser, setEmailIfChanged, updateUserChecked } from "~/models/user.server";
import { correctFeedback, listFeedbackAnswers, recordFeedbackAnswers, type FeedbackAnswer } from "~/models/feedback.server";
import { assignProposals, performAction, WorkflowRefusedError, type ActionInput } from "~/models/workflow.server";
import { addCoUnit, listCoUnits, markCoOpinion, removeCoUnit } from "~/models/co-unit.server";
import { decideExtension, listExtensions, pendingExtensions, requestExtension } from "~/models/extension.server";
import { signLetter, submitLetter } from "~/models/letter.server";
import { statisticsFor } from "~/models/statistics.server";
import { startMailSink } from "../support/mail";
import { notificationsFor } from "~/models/notification-list.server";
import { availableDatabases } from "../support/databases";
import { signCurrentLetter, submitWithDraft } from "../support/letters";
import { performStep } from "../support/workflow";

const TODAY = "2026-11-25";
/** 2027's 清明, 劳动节, 端午 and 中秋, one day each: with 元旦, 春节 and 国庆 what confirming the year needs. */
const enterOtherFestivals2027 = async (tx: Parameters<typeof setCalendarDay>[0]) => {
  for (const [day, name] of [
    ["2027-04-05", "清明节"],
    ["2027-05-01", "劳动节"],
    ["2027-06-09", "端午节"],
    ["2027-09-15", "中秋节"],
  ] as const)
    await setCalendarDay(tx, { day, kind: "holiday", name });
};
const userEmailSchemaCheck = (v: string) => emailSchema.safeParse(v).success;
let seq = 0;
const input = (over: Partial<ProposalInput> = {}): ProposalInput =>
  proposalInputSchema.parse({
    meeting: "测试会议",
    number: String(++seq),
    title: "关于某事的建议",
    proposers: [{ kind: "member", name: "张三" }],
    bureauRole: "lead",
    assignedOn: "2026-09-01",
    ...over,
  });

describe.each(await availableDatabases())("workflow on $name", (database) => {
  let h: DbHandle;
  const enabledWithRole = async (role: "admin" | "registrar") =>
    (
      await h.db
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, role), eq(users.disabled, false)))
    ).map((u) => u.id);
  const people: Record<string, SessionUser> = {};
  const make = async (username: string, role: SessionUser["role"], email?: string) => {
    const id = await createUser(h.db, { username, displayName: username, role, phone: "28685020", password: "correct horse battery" });
    if (email) await h.db.update(users).set({ email, emailSetAt: new Date() }).where(eq(users.id, id));
    people[username] = { id, username, displayName: username, role, phone: "28685020", disabled: false };
  };
  const act = async (id: number, who: string, action: WorkflowAction, extra: ActionInput = {}, today = TODAY) => {
    const { version } = (await getProposal(h.db, id))!;
    const req = { proposalId: id, expectedVersion: version, actor: people[who], today };
    return h.db.transaction(async (tx) => {
      // 提交签发 and 签发 are about the letter: done with a real draft, as the product does.
      if (action === "submit") await submitWithDraft(tx, { ...req, disclosure: extra.disclosure, disclosureReason: extra.disclosureReason });
      else if (action === "sign") await signCurrentLetter(tx, req);
      else await performStep(tx, { ...req, action, input: extra });
    });
  };
  const register = (over: Partial<ProposalInput> = {}) => h.db.transaction((tx) => registerProposal(tx, { input: input(over), actorId: people.reg.id }));
  /** 李泳 asks for an extension to `newDue`, and 詹志斌 approves it. */
  const approveExtension = async (id: number, newDue: string) => {
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue, reason: "需会同多部门调研", actor: people.li }));
    const ext = await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, id), orderBy: (t, { desc }) => desc(t.id) });
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan }));
  };
  /** A proposal of `meeting` assigned 2026-03-02 (first reply due 2026-06-02), answered late (2026-06-10) by li. */
  const answeredLate = async (meeting: string) => {
    const id = await register({ assignedOn: "2026-03-02", meeting });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, "2026-06-09");
    await act(id, "li", "send", { repliedOn: "2026-06-10" });
    return id;
  };

  beforeAll(async () => {
    h = await database.open();
    await make("reg", "registrar");
    await make("admin", "admin");
    await make("li", "handler", "li@example.test");
    await make("wang", "handler");
    await make("zhan", "leader", "zhan@example.test");
    await make("view", "viewer");
  });
  afterAll(() => h?.close());

  it("分派所选: several proposals to one handler in one step; one that changed since the list was shown refuses them all, named, and nothing is assigned", async () => {
    const ids = [await register(), await register(), await register()];
    const listed = async () => Promise.all(ids.map(async (id) => ({ id, version: (await getProposal(h.db, id))!.version })));
    const shown = await listed();
    // a colleague assigns the second one meanwhile
    await act(ids[1]!, "reg", "assign", { handlerId: people.wang.id });
    const number = (await getProposal(h.db, ids[1]!))!.number;
    await expect(h.db.transaction((tx) => assignProposals(tx, { items: shown, handlerId: people.li.id, actor: people.reg, today: TODAY }))).rejects.toThrow(
      `第${number}号提案在本页打开后已被他人办理，本次未分派任何提案；请刷新后重试。`,
    );
    expect((await getProposal(h.db, ids[0]!))!.handlerId).toBeNull();
    // already assigned, shown afresh: refused for its state, named
    const afresh = await listed();
    await expect(h.db.transaction((tx) => assignProposals(tx, { items: afresh, handlerId: people.li.id, actor: people.reg, today: TODAY }))).rejects.toThrow(
      new RegExp(`^第${number}号提案：.+本次未分派任何提案。$`),
    );
    const rest = (await listed()).filter((i) => i.id !== ids[1]);
    expect(await h.db.transaction((tx) => assignProposals(tx, { items: rest, handlerId: people.li.id, actor: people.reg, today: TODAY }))).toBe(2);
    for (const id of [ids[0]!, ids[2]!]) expect(await getProposal(h.db, id)).toMatchObject({ state: "assigned", handlerId: people.li.id });
    // each as one 分派 would: in its history, and 李泳 told for each
    expect((await listEvents(h.db, ids[0]!)).at(-1)).toMatchObject({ kind: "assign" });
    // a handler may not assign
    const other = await register();
    await expect(h.db.transaction((tx) => assignProposals(tx, { items: [{ id: other, version: 1 }], handlerId: people.li.id, actor: people.li, today: TODAY }))).rejects.toThrow(
      /本次未分派任何提案/,
    );
  });

  it("分派所选 refused as stale names every proposal that changed since the list was shown, not only the first", async () => {
    const ids = [await register(), await register(), await register()];
    const shown = await Promise.all(ids.map(async (id) => ({ id, version: (await getProposal(h.db, id))!.version })));
    await act(ids[0]!, "reg", "assign", { handlerId: people.wang.id });
    await act(ids[2]!, "reg", "assign", { handlerId: people.wang.id });
    const [n0, n2] = [(await getProposal(h.db, ids[0]!))!.number, (await getProposal(h.db, ids[2]!))!.number];
    await expect(h.db.transaction((tx) => assignProposals(tx, { items: shown, handlerId: people.li.id, actor: people.reg, today: TODAY }))).rejects.toThrow(
      `第${n0}号、第${n2}号提案在本页打开后已被他人办理，本次未分派任何提案；请刷新后重试。`,
    );
    expect((await getProposal(h.db, ids[1]!))!.handlerId).toBeNull();
  });

  it("an action refused as stale names what the history gained since the page was shown, the user's own other window as such", async () => {
    const id = await register();
    const seen = await lastEventId(h.db, id);
    expect(seen).toBe((await listEvents(h.db, id)).at(-1)!.id);
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    const msg = await meanwhileRefusal(h.db, { proposalId: id, seen: String(seen), userId: people.li.id });
    expect(msg).toMatch(/^您打开本页后，其他人办理了这件提案（\d\d\/\d\d \d\d:\d\d reg：分派；\d\d\/\d\d \d\d:\d\d 您本人（在另一窗口）：签收），您的操作未执行。/);
    // a form without the field (a page from before this release) or with a forged one: the general message
    expect(await meanwhileRefusal(h.db, { proposalId: id, seen: null, userId: people.li.id })).toBe("其他人刚刚办理了这件提案，页面已刷新为最新状态，请确认后再操作。");
    expect(await meanwhileRefusal(h.db, { proposalId: id, seen: "1 or 1=1", userId: people.li.id })).toMatch(/^其他人刚刚办理了这件提案/);
    // entries of other proposals are not this one's
    const other = await register({ number: "39999" });
    await act(other, "reg", "assign", { handlerId: people.wang.id });
    expect(await meanwhileRefusal(h.db, { proposalId: id, seen: String(await lastEventId(h.db, id)), userId: people.li.id })).toMatch(/^其他人刚刚办理了这件提案/);
  });

  it("再办理 after 不满意 gets its own deadline from the batch rules, kept through recomputation and in the history", async () => {
    const id = await register({ assignedOn: "2026-03-02" }); // first reply due 2026-06-02
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, "2026-05-19");
    await expect(act(id, "li", "send", { repliedOn: "2026-05-18" })).rejects.toThrow("答复日期不能早于答复函的签发日期（2026-05-19）");
    await act(id, "li", "send", { repliedOn: "2026-05-20" });
    expect((await getProposal(h.db, id))!.due).toBe("2026-06-02");
    // an extension granted in the first round (to a date later than the new round's deadline): over with that round
    await h.db
      .insert(extensions)
      .values({ proposalId: id, reason: "首轮延期", oldDue: "2026-06-02", newDue: "2027-03-31", status: "approved", decidedAt: new Date("2026-05-01T09:00:00+08:00") });
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    const p = (await getProposal(h.db, id))!;
    expect(p.state).toBe("rehandling");
    // TODAY is 2026-11-25: three months on (the default) — not the first reply's 2026-06-02, long overdue.
    expect([p.due, p.extendedDue, p.repliedOn]).toEqual(["2027-02-25", null, null]);
    const ev = (await listEvents(h.db, id)).at(-1)!;
    expect(ev.changes).toContainEqual({ field: "due", label: "办理期限", from: "2026-06-02", to: "2027-02-25" });
    // A calendar or rules change recomputes from the re-handling, not from 交办.
    await h.db.transaction((tx) => recomputeDeadlines(tx));
    expect((await getProposal(h.db, id))!.due).toBe("2027-02-25");
    expect((await getProposal(h.db, id))!.extendedDue).toBeNull(); // not the first round's extension
    const row = (await listDeadlines(h.db, { today: TODAY })).find((r) => r.id === id)!;
    expect(row.daysLeft).toBe(92);
    // the calendar names it as the page does (it read 答复到期, as the first reply's)
    expect(deadlinesToIcs([row], "localhost")).toContain(`第${row.number}号提案再办理答复到期`);
  });

  it("a late first reply stays late in the statistics after 再办理; the new reply is counted against its own deadline", async () => {
    const meeting = "再办理统计测试会议";
    const id = await answeredLate(meeting);
    const before = await statisticsFor(h.db, { meeting }, TODAY);
    expect(before.timeliness).toMatchObject({ replied: 1, onTime: 0, late: 1 });
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    const first = () =>
      h.db.select({ repliedOn: proposals.repliedOn, firstRepliedOn: proposals.firstRepliedOn, firstDue: proposals.firstDue }).from(proposals).where(eq(proposals.id, id));
    expect(await first()).toEqual([{ repliedOn: null, firstRepliedOn: "2026-06-10", firstDue: "2026-06-02" }]);
    const after = await statisticsFor(h.db, { meeting }, TODAY);
    expect(after.timeliness).toEqual(before.timeliness);
    expect(after.rehandling).toEqual({ total: 1, replied: 0, onTime: 0, late: 0, openOverdue: 0 });
    // A second 不满意 keeps the first reply's figures, not the second's.
    await act(id, "li", "restart_drafting");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign");
    await act(id, "li", "send", { repliedOn: TODAY });
    expect((await statisticsFor(h.db, { meeting }, TODAY)).rehandling).toEqual({ total: 1, replied: 1, onTime: 1, late: 0, openOverdue: 0 });
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    expect(await first()).toEqual([{ repliedOn: null, firstRepliedOn: "2026-06-10", firstDue: "2026-06-02" }]);
    expect((await statisticsFor(h.db, { meeting }, TODAY)).timeliness).toEqual(before.timeliness);
    // 交办日期 corrected afterwards (03-20, not 03-02): the first reply was due 06-20 and came on time
    const p = (await getProposal(h.db, id))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id, expectedVersion: p.version, input: input({ meeting, number: p.number, assignedOn: "2026-03-20" }), actorId: people.reg.id }),
    );
    expect(await first()).toEqual([{ repliedOn: null, firstRepliedOn: "2026-06-10", firstDue: "2026-06-20" }]);
    expect((await listEvents(h.db, id)).at(-1)!.changes).toContainEqual({ field: "firstDue", label: "首次答复期限", from: "2026-06-02", to: "2026-06-20" });
    expect((await statisticsFor(h.db, { meeting }, TODAY)).timeliness).toMatchObject({ replied: 1, onTime: 1, late: 0 });
  });

  it("a 再办理 reply the proposer was 不满意 with again still counts in 再办理 and for its handler; a 不满意 taken back by 更正 counts once", async () => {
    const meeting = "两次不满意统计测试会议";
    const id = await answeredLate(meeting);
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" }); // 再办理 due 2027-02-25
    await act(id, "reg", "reassign", { handlerId: people.wang.id });
    await act(id, "wang", "restart_drafting");
    await act(id, "wang", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign");
    await act(id, "wang", "send", { repliedOn: TODAY });
    const once = await statisticsFor(h.db, { meeting }, TODAY);
    expect(once.rehandling).toEqual({ total: 1, replied: 1, onTime: 1, late: 0, openOverdue: 0 });
    // 不满意 again: the columns start a third round over 王芳's reply, which stays counted (it was dropped)
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    await act(id, "reg", "reassign", { handlerId: people.li.id });
    const twice = await statisticsFor(h.db, { meeting }, TODAY);
    expect(twice.rehandling).toEqual({ total: 2, replied: 1, onTime: 1, late: 0, openOverdue: 0 });
    expect(twice.timeliness).toEqual(once.timeliness);
    expect(twice.byHandler).toEqual([
      { name: "li", assigned: 1, replied: 1, onTime: 0, late: 1, openOverdue: 0, rehandled: 0 },
      { name: "wang", assigned: 1, replied: 0, onTime: 0, late: 0, openOverdue: 0, rehandled: 1 },
    ]);
    // the third round answered late: each 再办理 reply against its own deadline
    await h.db.update(proposals).set({ due: "2026-11-20" }).where(eq(proposals.id, id));
    await act(id, "li", "restart_drafting");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign");
    await act(id, "li", "send", { repliedOn: TODAY });
    expect((await statisticsFor(h.db, { meeting }, TODAY)).rehandling).toEqual({ total: 2, replied: 2, onTime: 1, late: 1, openOverdue: 0 });
    expect((await statisticsFor(h.db, { meeting }, TODAY)).byHandler.find((x) => x.name === "li")).toMatchObject({ assigned: 1, rehandled: 1 });

    // A 不满意 registered by mistake and taken back: the reply it had replaced is in the columns again, counted once.
    const other = await answeredLate(`${meeting}（更正）`);
    await act(other, "reg", "record_feedback", { feedback: "dissatisfied" });
    await act(other, "li", "restart_drafting");
    await act(other, "li", "submit", { disclosure: "public" });
    await act(other, "zhan", "sign");
    await act(other, "li", "send", { repliedOn: TODAY });
    await act(other, "reg", "record_feedback", { feedback: "dissatisfied" });
    const scope = { meeting: `${meeting}（更正）` };
    expect((await statisticsFor(h.db, scope, TODAY)).rehandling).toEqual({ total: 2, replied: 1, onTime: 1, late: 0, openOverdue: 0 });
    const p = (await getProposal(h.db, other))!;
    await h.db.transaction((tx) =>
      correctFeedback(tx, {
        proposalId: other,
        expectedVersion: p.version,
        actor: people.reg!,
        answers: [{ proposer: "张三", result: "satisfied", answeredOn: TODAY }],
        reason: "录入时选错",
        today: TODAY,
        assignedOn: p.assignedOn,
      }),
    );
    expect((await statisticsFor(h.db, scope, TODAY)).rehandling).toEqual({ total: 1, replied: 1, onTime: 1, late: 0, openOverdue: 0 });
  });

  it("a 交办日期 corrected to after the reply is refused beside that field (发送答复 refuses the same pair), also after 再办理", async () => {
    const meeting = "交办晚于答复测试会议";
    const id = await answeredLate(meeting); // replied 2026-06-10
    const edit = async (assignedOn: string) => {
      const p = (await getProposal(h.db, id))!;
      return h.db.transaction((tx) => updateProposal(tx, { id, expectedVersion: p.version, input: input({ meeting, number: p.number, assignedOn }), actorId: people.reg.id }));
    };
    await expect(edit("2026-06-11")).rejects.toMatchObject({ name: "ProposalFieldError", field: "assignedOn", message: "交办日期不能晚于答复日期（2026-06-10）。" });
    expect((await getProposal(h.db, id))!.assignedOn).toBe("2026-03-02");
    await edit("2026-06-10"); // answered the day it came
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    // the first reply still counts: its date is kept apart after 再办理
    await expect(edit("2026-06-12")).rejects.toMatchObject({ field: "assignedOn", message: "交办日期不能晚于答复日期（2026-06-10）。" });
  });

  it("after 再办理 and 改派, 承办人 credits the first reply to whoever made it, the new round to the new handler", async () => {
    const meeting = "再办理改派统计测试会议";
    const id = await answeredLate(meeting);
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" });
    await act(id, "reg", "reassign", { handlerId: people.wang.id });
    const { byHandler } = await statisticsFor(h.db, { meeting }, TODAY);
    expect(byHandler).toEqual([
      { name: "li", assigned: 1, replied: 1, onTime: 0, late: 1, openOverdue: 0, rehandled: 0 },
      { name: "wang", assigned: 1, replied: 0, onTime: 0, late: 0, openOverdue: 0, rehandled: 0 },
    ]);
  });

  it("an extension granted in 再办理 is not the first reply's: a corrected 交办日期 keeps a late first reply late", async () => {
    const meeting = "再办理延期统计测试会议";
    const id = await answeredLate(meeting);
    // 再办理 from today (the clock's: the extension below is decided now, the same day)
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" }, today());
    const newDue = addDays((await getProposal(h.db, id))!.due!, 30);
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue, reason: "需会同多部门调研", actor: people.li }));
    const ext = await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, id) });
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan }));
    const p = (await getProposal(h.db, id))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id, expectedVersion: p.version, input: input({ meeting, number: p.number, assignedOn: "2026-03-03" }), actorId: people.reg.id }),
    );
    const [row] = await h.db.select({ firstDue: proposals.firstDue, extendedDue: proposals.extendedDue }).from(proposals).where(eq(proposals.id, id));
    expect(row).toEqual({ firstDue: "2026-06-03", extendedDue: newDue });
    expect((await statisticsFor(h.db, { meeting }, TODAY)).timeliness).toMatchObject({ replied: 1, onTime: 0, late: 1 });
  });

  it("a 改派 after drafting began: the new handler's 请接续办理 notice ends when they submit, and 须再办理 when they start again", async () => {
    const openAssigned = async (id: number) =>
      (
        await h.db
          .select({ userId: notifications.userId })
          .from(notifications)
          .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "assigned"), isNull(notifications.resolvedAt)))
      ).map((n) => n.userId);
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "reg", "reassign", { handlerId: people.wang.id });
    // wang's 请接续办理, and li's 已改派他人办理 (for information: it ends with the task too)
    expect((await openAssigned(id)).sort()).toEqual([people.li.id, people.wang.id].sort());
    const before = await unreadCount(h.db, people.wang.id);
    await act(id, "wang", "submit", { disclosure: "public" });
    expect(await openAssigned(id)).toEqual([]);
    expect(await unreadCount(h.db, people.wang.id)).toBe(before - 1);

    await act(id, "zhan", "sign", {}, TODAY);
    await act(id, "reg", "send", { repliedOn: TODAY });
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" }, TODAY);
    await act(id, "reg", "reassign", { handlerId: people.li.id });
    expect(await openAssigned(id)).toContain(people.li.id);
    await act(id, "li", "restart_drafting");
    expect(await openAssigned(id)).toEqual([]);
  });

  it("a signed reply is 待发送 until sent; then the handler's 答复已签发 and 延期已批准 notices end", async () => {
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await approveExtension(id, "2026-12-31");
    const open = async (kind: string) =>
      (
        await h.db
          .select({ message: notifications.message })
          .from(notifications)
          .where(and(eq(notifications.proposalId, id), eq(notifications.userId, people.li.id), eq(notifications.kind, kind), isNull(notifications.resolvedAt)))
      ).map((n) => n.message);
    expect(await open("extension_decided")).toEqual([expect.stringContaining("已批准，新期限 2026-12-31")]);
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, TODAY);
    expect(await open("signed")).toHaveLength(1);
    // the registrars, who send it, are told too
    const registrarSigned = async () =>
      (
        await h.db
          .select({ message: notifications.message })
          .from(notifications)
          .where(and(eq(notifications.proposalId, id), eq(notifications.userId, people.reg.id), eq(notifications.kind, "signed"), isNull(notifications.resolvedAt)))
      ).map((n) => n.message);
    expect(await registrarSigned()).toEqual([expect.stringContaining("答复已签发，待发送")]);
    // signed, not yet sent: a task of the handler's and the registrars' (待发送), the deadline still running
    const toSend = async (scope: { handlerId?: string }) => (await taskQueue(h.db, "send", scope, 1000)).items.map((t) => t.id);
    expect(await toSend({ handlerId: people.li.id })).toContain(id);
    expect(await toSend({})).toContain(id);
    await act(id, "reg", "send", { repliedOn: TODAY });
    expect(await open("signed")).toEqual([]);
    expect(await registrarSigned()).toEqual([]);
    expect(await toSend({})).not.toContain(id);
    expect(await open("extension_decided")).toEqual([]);
  });

  it("the 延期已批准 notice ends when a corrected 交办日期 or a recompute passes the extension, and with 改派 (the new handler is told where the proposal stands)", async () => {
    const id = await register({ assignedOn: "2026-09-01" }); // due 2026-12-01
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await approveExtension(id, "2026-12-31");
    const openDecisions = async () =>
      h.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "extension_decided"), isNull(notifications.resolvedAt)));
    expect(await openDecisions()).toHaveLength(1);
    const p = (await getProposal(h.db, id))!;
    await h.db.transaction((tx) => updateProposal(tx, { id, expectedVersion: p.version, input: input({ number: p.number, assignedOn: "2026-10-15" }), actorId: people.reg.id }));
    expect(await openDecisions()).toEqual([]);

    // a rules change whose new deadline passes the extension
    const meeting = "延期通知与期限规则测试会议";
    const other = await register({ meeting, assignedOn: "2026-09-01" }); // due 2026-12-01
    await act(other, "reg", "assign", { handlerId: people.li.id });
    await approveExtension(other, "2026-12-15");
    const openFor = async (proposalId: number) =>
      h.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.proposalId, proposalId), eq(notifications.kind, "extension_decided"), isNull(notifications.resolvedAt)));
    expect(await openFor(other)).toHaveLength(1);
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, other) }))!.batchId;
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, replyMonths: 4 }));
    expect((await getProposal(h.db, other))!.extendedDue).toBeNull();
    expect(await openFor(other)).toEqual([]);
    // the rule set back: the extension holds again, as recomputeDeadlines finds it among the approved ones
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES }));
    expect((await getProposal(h.db, other))!.extendedDue).toBe("2026-12-15");

    // 改派: the previous handler's notice goes with the proposal
    const third = await register({ assignedOn: "2026-09-01" });
    await act(third, "reg", "assign", { handlerId: people.li.id });
    await approveExtension(third, "2026-12-31");
    expect(await openFor(third)).toHaveLength(1);
    await act(third, "reg", "reassign", { handlerId: people.wang.id });
    expect(await openFor(third)).toEqual([]);
  });

  it("a corrected 交办日期 whose deadline passes an approved extension: the later date holds, the history says both", async () => {
    const id = await register({ assignedOn: "2026-09-01" }); // due 2026-12-01
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await approveExtension(id, "2026-12-31");
    expect((await getProposal(h.db, id))!.extendedDue).toBe("2026-12-31");
    const before = (await getProposal(h.db, id))!;
    const r = await h.db.transaction((tx) =>
      updateProposal(tx, { id, expectedVersion: before.version, input: input({ number: String(seq), assignedOn: "2026-10-15" }), actorId: people.reg.id, comment: "更正交办日期" }),
    );
    expect(r.extensionSuperseded).toEqual({ extendedDue: "2026-12-31", due: "2027-01-15" });
    const after = (await getProposal(h.db, id))!;
    expect([after.due, after.extendedDue]).toEqual(["2027-01-15", null]);
    const changes = (await listEvents(h.db, id)).at(-1)!.changes;
    expect(changes).toContainEqual({ field: "due", label: "办理期限", from: "2026-12-01", to: "2027-01-15" });
    expect(changes).toContainEqual({ field: "extendedDue", label: "延期后的期限", from: "2026-12-31", to: "不再适用（新的办理期限 2027-01-15 更晚）" });

    // corrected back: the approved extension holds again (it was lost: the deadline fell back to 2026-12-01)
    const back = await h.db.transaction((tx) =>
      updateProposal(tx, {
        id,
        expectedVersion: after.version,
        input: input({ number: String(seq), assignedOn: "2026-09-01" }),
        actorId: people.reg.id,
        comment: "改回原交办日期",
      }),
    );
    expect(back.extensionSuperseded).toBeNull();
    const restored = (await getProposal(h.db, id))!;
    expect([restored.due, restored.extendedDue]).toEqual(["2026-12-01", "2026-12-31"]);
    expect((await listEvents(h.db, id)).at(-1)!.changes).toContainEqual({
      field: "extendedDue",
      label: "延期后的期限",
      from: null,
      to: "2026-12-31（已批准的延期晚于新的办理期限 2026-12-01，重新适用）",
    });
  });

  it("the handler is told when someone else's change moves their deadline (a 交办日期 corrected, a rules change), not by their own", async () => {
    const meeting = "期限变更通知测试会议";
    const id = await register({ meeting, assignedOn: "2026-09-01" }); // due 2026-12-01
    await act(id, "reg", "assign", { handlerId: people.li.id });
    const told = () =>
      h.db
        .select({ message: notifications.message, resolved: notifications.resolvedAt })
        .from(notifications)
        .where(and(eq(notifications.proposalId, id), eq(notifications.userId, people.li.id), eq(notifications.kind, "deadline_changed")))
        .orderBy(notifications.id);
    const p = (await getProposal(h.db, id))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id, expectedVersion: p.version, input: input({ meeting, number: p.number, assignedOn: "2026-10-15" }), actorId: people.reg.id }),
    );
    expect(await told()).toEqual([{ message: `第${p.number}号提案的办理期限已由 2026-12-01 改为 2027-01-15（登记信息已更正）。`, resolved: null }]);
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, id) }))!.batchId;
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, replyMonths: 4 }, people.admin.id));
    const after = await told();
    expect(after.map((n) => n.message)).toEqual([
      `第${p.number}号提案的办理期限已由 2026-12-01 改为 2027-01-15（登记信息已更正）。`,
      expect.stringMatching(new RegExp(`^第${p.number}号提案的办理期限已由 2027-01-15 改为 2027-02-1\\d（期限规则调整）。$`)),
    ]);
    expect(after[0]!.resolved).not.toBeNull(); // the earlier date is over
    // the handler's own change tells no one; an unassigned proposal has no one to tell
    const mine = await register({ meeting, assignedOn: "2026-09-01" });
    const q = (await getProposal(h.db, mine))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id: mine, expectedVersion: q.version, input: input({ meeting, number: q.number, assignedOn: "2026-09-02" }), actorId: people.reg.id }),
    );
    expect(
      await h.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.proposalId, mine), eq(notifications.kind, "deadline_changed"))),
    ).toEqual([]);
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES }));
  });

  it("a change moving many of one handler's deadlines tells them in one notice listing the proposals (one notice and e-mail each before); a few are told one by one", async () => {
    const meeting = "期限变更汇总测试会议";
    const ids: number[] = [];
    for (let i = 0; i < DEADLINE_DIGEST_AFTER + 2; i++) ids.push(await register({ meeting, assignedOn: "2026-09-01" })); // due 2026-12-01
    for (const id of ids.slice(0, -1)) await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(ids.at(-1)!, "reg", "assign", { handlerId: people.wang.id });
    const numbers = await Promise.all(ids.map(async (id) => (await getProposal(h.db, id))!.number));
    const batchId = (await getProposal(h.db, ids[0]!))!.batchId;
    const before = (await h.db.select({ id: sql<number>`max(${notifications.id})` }).from(notifications))[0]!.id ?? 0;
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, replyMonths: 4 }, people.admin.id));
    const sent = await h.db
      .select({ userId: notifications.userId, proposalId: notifications.proposalId, message: notifications.message })
      .from(notifications)
      .where(and(sql`${notifications.id} > ${before}`, eq(notifications.kind, "deadline_changed")))
      .orderBy(notifications.id);
    const due = (await getProposal(h.db, ids[0]!))!.due;
    expect(due).not.toBe("2026-12-01");
    const listed = numbers
      .slice(0, -1)
      .map((n) => `第${n}号 2026-12-01 改为 ${due}`)
      .join("；");
    // the database returns the batch's rows in no set order
    expect(sent.sort((a, b) => a.message.localeCompare(b.message))).toEqual(
      [
        { userId: people.li.id, proposalId: null, message: `您承办的 ${DEADLINE_DIGEST_AFTER + 1} 件提案办理期限已变更（期限规则调整）：${listed}。` },
        { userId: people.wang.id, proposalId: ids.at(-1), message: `第${numbers.at(-1)}号提案的办理期限已由 2026-12-01 改为 ${due}（期限规则调整）。` },
      ].sort((a, b) => a.message.localeCompare(b.message)),
    );
    // moved again: the new digest replaces the unread earlier one, whose dates no longer hold (it kept counting)
    const unreadBefore = await unreadCount(h.db, people.li.id);
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES }));
    const digests = await h.db
      .select({ message: notifications.message, superseded: notifications.supersededAt })
      .from(notifications)
      .where(and(sql`${notifications.id} > ${before}`, eq(notifications.userId, people.li.id), isNull(notifications.proposalId)))
      .orderBy(notifications.id);
    const digestOf = `您承办的 ${DEADLINE_DIGEST_AFTER + 1} 件提案办理期限已变更（期限规则调整）：`;
    expect(digests.map((d) => [d.message.startsWith(digestOf), d.superseded !== null])).toEqual([
      [true, true],
      [true, false],
    ]);
    expect(await unreadCount(h.db, people.li.id)).toBe(unreadBefore);

    // a digest about other proposals (another 会议's rules changed) leaves this one standing: its dates still hold
    const others: number[] = [];
    for (let i = 0; i < DEADLINE_DIGEST_AFTER + 1; i++) others.push(await register({ meeting: "期限变更汇总测试会议（另一批）", assignedOn: "2026-09-01" }));
    for (const id of others) await act(id, "reg", "assign", { handlerId: people.li.id });
    const otherBatch = (await getProposal(h.db, others[0]!))!.batchId;
    const unreadThen = await unreadCount(h.db, people.li.id);
    await h.db.transaction((tx) => setBatchRules(tx, otherBatch, { ...DEFAULT_DEADLINE_RULES, replyMonths: 4 }, people.admin.id));
    const after = await h.db
      .select({ superseded: notifications.supersededAt })
      .from(notifications)
      .where(and(sql`${notifications.id} > ${before}`, eq(notifications.userId, people.li.id), isNull(notifications.proposalId)))
      .orderBy(notifications.id);
    expect(after.map((d) => d.superseded !== null)).toEqual([true, false, false]);
    expect(await unreadCount(h.db, people.li.id)).toBe(unreadThen + 1);
    // one of its proposals moved again on its own (交办日期 corrected): the digest states a date no
    // longer true — 不再适用, no longer counted; the new notice about that one is (it stayed counted, wrong)
    const standing = async () =>
      (
        await h.db
          .select({ resolved: notifications.resolvedAt })
          .from(notifications)
          .where(and(sql`${notifications.id} > ${before}`, eq(notifications.userId, people.li.id), isNull(notifications.proposalId)))
          .orderBy(notifications.id)
      ).map((d) => d.resolved === null);
    expect(await standing()).toEqual([true, true, true]);
    const p0 = (await getProposal(h.db, others[0]!))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id: p0.id, expectedVersion: p0.version, input: input({ meeting: p0.meeting, number: p0.number, assignedOn: "2026-09-02" }), actorId: people.reg.id }),
    );
    expect(await standing()).toEqual([true, true, false]);
    expect(await unreadCount(h.db, people.li.id)).toBe(unreadThen + 1);
    // and the digest before it (about the first 会议's proposals) is done once each of them is: here handed to another handler
    const firstDigest = ids.slice(0, -1);
    for (const id of firstDigest.slice(0, -1)) {
      await act(id, "reg", "reassign", { handlerId: people.wang.id });
      expect(await standing()).toEqual([true, true, false]);
    }
    await act(firstDigest.at(-1)!, "reg", "reassign", { handlerId: people.wang.id });
    expect(await standing()).toEqual([true, false, false]);
    // a digest written before the notice kept its proposals (migration 0032) is replaced by the next one, as before
    const [legacy] = await h.db
      .insert(notifications)
      .values({ userId: people.li.id, proposalId: null, kind: "deadline_changed", message: "您承办的 5 件提案办理期限已变更（旧提醒）。" })
      .returning({ id: notifications.id });
    await h.db.transaction((tx) => setBatchRules(tx, otherBatch, { ...DEFAULT_DEADLINE_RULES }, people.admin.id));
    expect((await h.db.select({ superseded: notifications.supersededAt }).from(notifications).where(eq(notifications.id, legacy!.id)))[0]!.superseded).not.toBeNull();
  });

  it("a calendar change that moves deadlines is written in each affected proposal's history, with the reason", async () => {
    const id = await register({ assignedOn: "2026-11-24" }); // reassignment window: 5 working days → 2026-12-01
    const w0 = (await getProposal(h.db, id))!.reassignmentWindowEnds;
    await h.db.transaction(async (tx) => {
      await setCalendarDay(tx, { day: "2026-11-27", kind: "holiday", name: "测试假日" });
      await recomputeDeadlines(tx, { reason: "日历调整：2026-11-27 设为放假（测试假日）", actorId: people.reg.id });
    });
    const w1 = (await getProposal(h.db, id))!.reassignmentWindowEnds;
    expect(w1).not.toBe(w0);
    const ev = (await listEvents(h.db, id)).at(-1)!;
    expect(ev).toMatchObject({ kind: "deadline_recomputed", comment: "日历调整：2026-11-27 设为放假（测试假日）" });
    expect(ev.changes).toContainEqual({ field: "reassignmentWindowEnds", label: "申请调整截止", from: w0, to: w1 });
    await h.db.transaction((tx) => deleteCalendarDay(tx, "2026-11-27"));
    await h.db.transaction((tx) => recomputeDeadlines(tx));
  });

  it("a calendar year entered by hand stays unknown until an admin confirms it complete: its deadlines keep warning (one holiday typed in is not the year's 春节)", async () => {
    const id = await register({ assignedOn: "2026-12-01" }); // reply due 2027-03-01, in a year the calendar lacks
    const warns = async () => (await getProposal(h.db, id))!.dueWarnings.filter((w) => w.includes("工作日历未覆盖 2027年"));
    expect(await warns()).not.toEqual([]);
    await h.db.transaction(async (tx) => {
      await addCalendarYear(tx, 2027);
      await recomputeDeadlines(tx);
    });
    expect(await warns(), "an empty 2027 is not a year without holidays").not.toEqual([]);
    expect((await loadCalendar(h.db)).years).not.toContain(2027);
    await expect(h.db.transaction((tx) => confirmCalendarYear(tx, 2027, true))).rejects.toThrow("还没有录入放假日");
    await h.db.transaction(async (tx) => {
      await setCalendarDay(tx, { day: "2027-01-01", kind: "holiday", name: "元旦" });
      await recomputeDeadlines(tx);
    });
    expect(await warns(), "元旦 alone is not the year's arrangement").not.toEqual([]);
    expect((await loadCalendar(h.db)).years).not.toContain(2027);
    // nor may an admin confirm it as the whole year: the other festivals are missing, each named with its day
    await expect(h.db.transaction((tx) => confirmCalendarYear(tx, 2027, true))).rejects.toThrow(
      "还没有录入春节（2027-02-06）、清明节（2027-04-05）、劳动节（2027-05-01）、端午节（2027-06-09）、中秋节（2027-09-15）、国庆节（2027-10-01）的放假日（已录入：元旦）",
    );
    await h.db.transaction(async (tx) => {
      await setCalendarDay(tx, { day: "2027-02-06", kind: "holiday", name: "春节" });
      await setCalendarDay(tx, { day: "2027-10-01", kind: "holiday", name: "国庆节" });
    });
    // 春节 and 国庆 alone: 清明 would have counted as a working day
    await expect(h.db.transaction((tx) => confirmCalendarYear(tx, 2027, true))).rejects.toThrow(
      "还没有录入清明节（2027-04-05）、劳动节（2027-05-01）、端午节（2027-06-09）、中秋节（2027-09-15）的放假日",
    );
    await h.db.transaction(async (tx) => {
      await enterOtherFestivals2027(tx);
      await confirmCalendarYear(tx, 2027, true);
      await recomputeDeadlines(tx);
    });
    expect(await warns()).toEqual([]);
    expect((await loadCalendar(h.db)).years).toContain(2027);
    // confirmed twice, or a year not in the calendar: said, nothing done (it answered 已保存 and wrote an audit entry)
    await expect(h.db.transaction((tx) => confirmCalendarYear(tx, 2027, true))).rejects.toThrow("2027 年安排已确认录入完整，无需重复操作。");
    await expect(h.db.transaction((tx) => confirmCalendarYear(tx, 2099, false))).rejects.toThrow("2099 年尚未建立日历，无需撤销确认。");
    // reopened (a mistake found): unknown again
    await h.db.transaction((tx) => confirmCalendarYear(tx, 2027, false));
    expect((await loadCalendar(h.db)).years).not.toContain(2027);
    // confirmed: a festival's only holiday is not deleted (nor made a working day) while the year counts as
    // complete — it stayed "known" with 中秋 a working day; reopened, the days can be entered again
    await h.db.transaction((tx) => confirmCalendarYear(tx, 2027, true));
    await expect(h.db.transaction((tx) => deleteCalendarDay(tx, "2027-09-15"))).rejects.toThrow(
      "改后 2027 年的中秋节（2027-09-15）没有放假日，而 2027 年的安排已确认完整。如确需更改，请先撤销确认 2027 年安排，改好后再确认。",
    );
    await expect(h.db.transaction((tx) => setCalendarDay(tx, { day: "2027-09-15", kind: "workday", name: null }))).rejects.toThrow("没有放假日");
    expect((await listCalendarDays(h.db, 2027)).find((d) => d.day === "2027-09-15")?.kind).toBe("holiday");
    expect((await loadCalendar(h.db)).years).toContain(2027);
    // reopened, every holiday deleted to be entered again: the first typed back does not make it known
    await h.db.transaction(async (tx) => {
      await confirmCalendarYear(tx, 2027, false);
      for (const day of ["2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15", "2027-10-01"]) await deleteCalendarDay(tx, day);
    });
    await h.db.transaction((tx) => setCalendarDay(tx, { day: "2027-01-01", kind: "holiday", name: "元旦" }));
    expect((await loadCalendar(h.db)).years).not.toContain(2027);
    await h.db.transaction(async (tx) => {
      await deleteCalendarDay(tx, "2027-01-01");
      await tx.delete(calendarYears).where(eq(calendarYears.year, 2027));
      await recomputeDeadlines(tx);
    });
  });

  it("an answer late by a deadline in a year the calendar lacked says so, and is judged again when that year is entered (and its first-reply deadline too)", async () => {
    const meeting = "日历未覆盖答复测试会议";
    const id = await register({ meeting, assignedOn: "2026-10-01" });
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, id) }))!.batchId;
    // 顺延: a deadline on a rest day moves to the next working day — unknowable for 2027 yet
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "next_working_day" }));
    expect((await getProposal(h.db, id))!.due).toBe("2027-01-01");
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, "2027-01-04");
    await act(id, "reg", "send", { repliedOn: "2027-01-04" }, "2027-01-04");
    // the first reply, then 再办理: its deadline is kept apart for the statistics
    await act(id, "reg", "record_feedback", { feedback: "dissatisfied" }, "2027-01-05");
    const deadline = async () => {
      const p = (await getProposal(h.db, id))!;
      return { firstDue: (await h.db.select({ firstDue: proposals.firstDue }).from(proposals).where(eq(proposals.id, p.id)))[0]!.firstDue };
    };
    expect(await deadline()).toEqual({ firstDue: "2027-01-01" });
    // another proposal answered "3 days late" on the same dates, and not re-handled
    const other = await register({ meeting, assignedOn: "2026-10-01" });
    await act(other, "reg", "assign", { handlerId: people.li.id });
    await act(other, "li", "acknowledge");
    await act(other, "li", "submit", { disclosure: "public" });
    await act(other, "zhan", "sign", {}, "2027-01-04");
    await act(other, "reg", "send", { repliedOn: "2027-01-04" }, "2027-01-04");
    const verdict = async () => {
      const p = (await getProposal(h.db, other))!;
      return proposalDeadline({ ...p, batchRules: { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "next_working_day" } });
    };
    expect(await verdict()).toMatchObject({ due: "2027-01-01", onTime: false, daysLate: 3, doubts: [expect.stringContaining("工作日历未覆盖 2027年")] });
    // a rules change does not reach back into answered proposals (the batch's others keep theirs too)
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "next_working_day", replyMonths: 4 }));
    expect((await getProposal(h.db, other))!.due).toBe("2027-01-01");
    expect(await deadline()).toEqual({ firstDue: "2027-01-01" });
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, dueOnRestDay: "next_working_day" }));
    // the admin enters 2027 (元旦 1–3 January) and confirms it: both answers are judged again
    await h.db.transaction(async (tx) => {
      await addCalendarYear(tx, 2027);
      for (const day of ["2027-01-01", "2027-01-02", "2027-01-03"]) await setCalendarDay(tx, { day, kind: "holiday", name: "元旦" });
      await setCalendarDay(tx, { day: "2027-02-06", kind: "holiday", name: "春节" });
      await setCalendarDay(tx, { day: "2027-10-01", kind: "holiday", name: "国庆节" });
      await enterOtherFestivals2027(tx);
      await confirmCalendarYear(tx, 2027, true);
      await recomputeDeadlines(tx, { reason: "日历调整：确认2027年安排", answeredInDoubt: true });
    });
    try {
      expect(await verdict()).toMatchObject({ due: "2027-01-04", onTime: true, daysLate: 0, doubts: [] });
      expect((await listEvents(h.db, other)).at(-1)).toMatchObject({ kind: "deadline_recomputed", comment: "日历调整：确认2027年安排" });
      expect(await deadline()).toEqual({ firstDue: "2027-01-04" });
      expect((await statisticsFor(h.db, { meeting }, "2027-01-06")).timeliness).toMatchObject({ replied: 2, onTime: 2, late: 0 });
    } finally {
      await h.db.transaction(async (tx) => {
        await confirmCalendarYear(tx, 2027, false);
        for (const day of ["2027-01-01", "2027-01-02", "2027-01-03", "2027-02-06", "2027-10-01"]) await deleteCalendarDay(tx, day);
        await tx.delete(calendarYears).where(eq(calendarYears.year, 2027));
        await recomputeDeadlines(tx);
      });
    }
  });

  it("walks a proposal from registration to closing, with history and notices at each step", async () => {
    const id = await register();
    await act(id, "reg", "assign", { handlerId: people.li.id });
    expect((await getProposal(h.db, id))!.handlerPhone).toBe("28685020");
    await act(id, "li", "acknowledge");
    await expect(act(id, "li", "submit")).rejects.toThrow("请选择公开方式");
    await expect(act(id, "li", "submit", { disclosure: "not_public" })).rejects.toThrow("须说明理由");
    await act(id, "li", "submit", { disclosure: "public" });
    await expect(act(id, "zhan", "return")).rejects.toThrow("退回修改须填写修改意见");
    await act(id, "zhan", "return", { comment: "请补充土地保障数据" });
    expect((await listNotifications(h.db, people.li.id)).map((n) => n.message)).toContain(`第${seq}号提案答复被退回修改：请补充土地保障数据`);
    await act(id, "li", "submit");
    await act(id, "zhan", "sign", {}, "2026-11-19");
    await act(id, "li", "send", { repliedOn: "2026-11-20", channel: "邮寄" });
    await act(id, "reg", "record_feedback", { feedback: "satisfied" });
    const p = (await getProposal(h.db, id))!;
    expect(p.state).toBe("closed");
    expect(p.repliedOn).toBe("2026-11-20");
    const kinds = (await listEvents(h.db, id)).map((e) => e.kind);
    expect(kinds).toEqual(["registered", "assign", "acknowledge", "submit", "return", "submit", "sign", "send", "record_feedback"]);
    // the 签发 entry names the 文号 it gave
    const signed = (await listEvents(h.db, id)).find((e) => e.kind === "sign")!;
    expect(signed.changes).toContainEqual({ field: "documentNumber", label: "文号", from: null, to: expect.stringMatching(/^东工信函〔2026〕\d+号$/) });
    const ret = (await listEvents(h.db, id)).find((e) => e.kind === "return")!;
    expect(ret.comment).toBe("请补充土地保障数据");
    expect(ret.changes).toContainEqual({ field: "state", label: "状态", from: "待签发", to: "起草中" });
    // Two submissions waited for a signature; both are listed, both done since (returned, then signed).
    const waited = (await listNotifications(h.db, people.zhan.id)).filter((n) => n.proposalId === id && n.kind === "awaiting_signature");
    expect(waited.map((n) => n.resolvedAt !== null)).toEqual([true, true]);
  });

  it("the notices page lists what needs the user first: unread ones older than 200 newer read ones are listed, and counted as the header counts them", async () => {
    const reader = people.li;
    const before = await unreadCount(h.db, reader!.id);
    const [oldest] = await h.db.insert(notifications).values({ userId: reader!.id, kind: "test", message: "较早的未读通知" }).returning({ id: notifications.id });
    await h.db.insert(notifications).values(Array.from({ length: 250 }, (_, i) => ({ userId: reader!.id, kind: "test", message: `已读通知 ${i}`, readAt: new Date() })));
    const listed = await listNotifications(h.db, reader!.id);
    expect(listed.map((n) => n.id)).toContain(oldest!.id);
    expect(await unreadCount(h.db, reader!.id)).toBe(before + 1);
    expect(listed.filter((n) => !n.readAt && !n.resolvedAt)).toHaveLength(before + 1);
    await h.db.delete(notifications).where(eq(notifications.kind, "test"));
  });

  it("征询意见 per proposer: every co-signer answers, the least satisfied decides, the answers are kept", async () => {
    const id = await register({
      proposers: [
        { kind: "member", name: "张三" },
        { kind: "member", name: "李四" },
      ],
    });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, "2026-11-19");
    await act(id, "li", "send", { repliedOn: "2026-11-20" });
    const record = async (answers: FeedbackAnswer[]) => {
      const p = (await getProposal(h.db, id))!;
      return h.db.transaction((tx) =>
        recordFeedbackAnswers(tx, { proposalId: id, expectedVersion: p.version, actor: people.reg, answers, today: TODAY, assignedOn: p.assignedOn }),
      );
    };
    await expect(record([{ proposer: "张三", result: "satisfied", answeredOn: "2026-11-24" }])).rejects.toThrow("还缺李四");
    // one proposer twice (a crafted post): refused with the reason, not a unique violation
    await expect(
      record([
        { proposer: "张三", result: "satisfied", answeredOn: "2026-11-24" },
        { proposer: "张三", result: "dissatisfied", answeredOn: "2026-11-24" },
        { proposer: "李四", result: "satisfied", answeredOn: "2026-11-24" },
      ]),
    ).rejects.toThrow("同一位提案者的意见登记了不止一次");
    // the generic workflow action cannot close it without the answers
    await expect(
      h.db.transaction(async (tx) =>
        performAction(tx, {
          proposalId: id,
          expectedVersion: (await getProposal(tx, id))!.version,
          action: "record_feedback",
          actor: people.li,
          input: { feedback: "satisfied" },
          today: TODAY,
        }),
      ),
    ).rejects.toThrow("请在“征询意见”中逐一登记每位提案者的意见");
    await expect(
      record([
        { proposer: "张三", result: "satisfied", answeredOn: "2026-11-26" },
        { proposer: "李四", result: "satisfied", answeredOn: "2026-11-24" },
      ]),
    ).rejects.toThrow("张三的意见日期不能晚于今天");
    // an answer about the reply cannot predate the reply (sent 2026-11-20)
    await expect(
      record([
        { proposer: "张三", result: "satisfied", answeredOn: "2026-11-19" },
        { proposer: "李四", result: "satisfied", answeredOn: "2026-11-24" },
      ]),
    ).rejects.toThrow("张三的意见日期不能早于本次答复的发出日期（2026-11-20）");
    // every wrong date at once, each named for its own field
    const both = await record([
      { proposer: "张三", result: "satisfied", answeredOn: "2026-11-26" },
      { proposer: "李四", result: "satisfied", answeredOn: "2026-11-19" },
    ]).catch((e: unknown) => e);
    expect(both).toBeInstanceOf(WorkflowRefusedError);
    expect((both as WorkflowRefusedError).fieldErrors).toEqual({
      "answers.0.answeredOn": ["张三的意见日期不能晚于今天。"],
      "answers.1.answeredOn": ["李四的意见日期不能早于本次答复的发出日期（2026-11-20）。"],
    });
    expect(await listFeedbackAnswers(h.db, id)).toEqual([]);
    const r = await record([
      { proposer: "张三", result: "satisfied", answeredOn: "2026-11-24", channel: "电话" },
      { proposer: "李四", result: "dissatisfied", answeredOn: "2026-11-21", comment: "希望明确时间表" },
    ]);
    expect(r.decided).toBe("dissatisfied");
    // the 再办理 clock starts on the day 李四 said 不满意, not on the day it was entered (TODAY, 11-25): three months
    expect((await getProposal(h.db, id))!).toMatchObject({ state: "rehandling", feedback: "dissatisfied", rehandlingFrom: "2026-11-21", due: "2027-02-21" });
    expect((await listFeedbackAnswers(h.db, id)).map((a) => [a.round, a.proposer, a.result, a.channel, a.comment])).toEqual([
      [1, "张三", "satisfied", "电话", null],
      [1, "李四", "dissatisfied", null, "希望明确时间表"],
    ]);
    expect((await listEvents(h.db, id)).at(-1)).toMatchObject({ kind: "record_feedback", comment: "张三：满意；李四：不满意" });
  });

  it("更正征询意见: a mistaken 不满意 is taken back whole, a mistaken 满意 becomes 再办理; with a reason, only while nothing was done since, a handler only their own", async () => {
    const sentAt = async (repliedOn: string) => {
      const id = await register({ assignedOn: "2026-03-02" }); // reply due 2026-06-02
      await act(id, "reg", "assign", { handlerId: people.li.id });
      await act(id, "li", "acknowledge");
      await act(id, "li", "submit", { disclosure: "public" });
      await act(id, "zhan", "sign", {}, repliedOn);
      await act(id, "li", "send", { repliedOn });
      return id;
    };
    const correct = async (id: number, who: string, result: FeedbackAnswer["result"], reason = "录入时选错") => {
      const p = (await getProposal(h.db, id))!;
      return h.db.transaction((tx) =>
        correctFeedback(tx, {
          proposalId: id,
          expectedVersion: p.version,
          actor: people[who]!,
          answers: [{ proposer: "张三", result, answeredOn: "2026-11-20" }],
          reason,
          today: TODAY,
          assignedOn: p.assignedOn,
        }),
      );
    };
    const columns = async (id: number) =>
      (
        await h.db
          .select({
            state: proposals.state,
            feedback: proposals.feedback,
            repliedOn: proposals.repliedOn,
            due: proposals.due,
            extendedDue: proposals.extendedDue,
            rehandlingFrom: proposals.rehandlingFrom,
            firstRepliedOn: proposals.firstRepliedOn,
            firstDue: proposals.firstDue,
          })
          .from(proposals)
          .where(eq(proposals.id, id))
      )[0];
    const handlerNotices = async (id: number) =>
      (
        await h.db
          .select({ kind: notifications.kind, resolvedAt: notifications.resolvedAt })
          .from(notifications)
          .where(and(eq(notifications.proposalId, id), eq(notifications.userId, people.li.id), eq(notifications.kind, "feedback")))
          .orderBy(notifications.id)
      ) // oldest first (an update can move a row in PostgreSQL's unordered scan)
        .map((n) => (n.resolvedAt ? "done" : "open"));

    // A 不满意 registered by mistake: 再办理 had started, the reply date was cleared, the deadline moved.
    const wrongly = await sentAt("2026-05-20");
    const sent = await columns(wrongly);
    await act(wrongly, "reg", "record_feedback", { feedback: "dissatisfied" });
    expect(await columns(wrongly)).toMatchObject({ state: "rehandling", repliedOn: null, rehandlingFrom: TODAY, firstRepliedOn: "2026-05-20" });
    expect(await handlerNotices(wrongly)).toEqual(["open"]);
    await expect(correct(wrongly, "reg", "satisfied", "  ")).rejects.toThrow("请填写更正原因");
    await correct(wrongly, "reg", "satisfied");
    // as it was after sending, then closed by the corrected answer
    expect(await columns(wrongly)).toEqual({ ...sent, state: "closed", feedback: "satisfied" });
    // the handler told to re-handle is told it is off
    expect(await handlerNotices(wrongly)).toEqual(["done", "open"]);
    expect((await listNotifications(h.db, people.li.id)).find((n) => n.proposalId === wrongly && !n.resolvedAt)!.message).toContain("已更正为满意，无须再办理（录入时选错）");
    expect((await listFeedbackAnswers(h.db, wrongly)).map((a) => [a.proposer, a.result])).toEqual([["张三", "satisfied"]]);
    const history = (await listEvents(h.db, wrongly)).slice(-2);
    expect(history.map((e) => [e.kind, e.comment])).toEqual([
      ["feedback_corrected", "录入时选错"],
      ["record_feedback", "张三：满意"],
    ]);
    expect(history[0]!.changes).toContainEqual({ field: "repliedOn", label: "答复日期", from: null, to: "2026-05-20" });
    // and again, the other way: 满意 was wrong after all — 再办理 starts as a 不满意 registered then would
    await correct(wrongly, "reg", "dissatisfied");
    expect(await columns(wrongly)).toMatchObject({
      state: "rehandling",
      feedback: "dissatisfied",
      repliedOn: null,
      rehandlingFrom: "2026-11-20",
      due: "2027-02-20",
      firstRepliedOn: "2026-05-20",
    });
    expect(await handlerNotices(wrongly)).toEqual(["done", "done", "open"]); // "无须再办理" no longer holds either

    // Once the handler started drafting again it is no longer a registration to correct.
    await act(wrongly, "li", "restart_drafting");
    await expect(correct(wrongly, "reg", "satisfied")).rejects.toThrow("登记征询意见之后已有其他办理");
    expect((await columns(wrongly))!.state).toBe("drafting");

    // A change of 期限规则 moving the 再办理 deadline meanwhile is nobody's step on this proposal: the
    // mistaken 不满意 can still be taken back, to the reply's own deadline (which the rules do not move)
    const recomputed = await sentAt("2026-05-21");
    const replied = await columns(recomputed);
    await act(recomputed, "reg", "record_feedback", { feedback: "dissatisfied" });
    const { batchId } = (await getProposal(h.db, recomputed))!;
    try {
      await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, rehandlingMonths: 2 }, people.admin.id));
      expect((await listEvents(h.db, recomputed)).at(-1)!.kind).toBe("deadline_recomputed");
      await correct(recomputed, "reg", "satisfied");
      expect(await columns(recomputed)).toEqual({ ...replied, state: "closed", feedback: "satisfied" });
    } finally {
      await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES }, people.admin.id));
    }

    // A handler corrects only what they registered themselves; the registrar any.
    const theirs = await sentAt("2026-11-20");
    await act(theirs, "reg", "record_feedback", { feedback: "satisfied" });
    await expect(correct(theirs, "li", "dissatisfied")).rejects.toThrow("只能更正本人登记的征询意见");
    await expect(correct(theirs, "view", "dissatisfied")).rejects.toThrow("您不能更正征询意见");
    expect((await columns(theirs))!.state).toBe("closed");
    const own = await sentAt("2026-11-20");
    await act(own, "li", "record_feedback", { feedback: "basically_satisfied" });
    await correct(own, "li", "satisfied");
    expect(await columns(own)).toMatchObject({ state: "closed", feedback: "satisfied", repliedOn: "2026-11-20" });
    // registered before what it overwrote was kept: a 办结 can still be corrected (only the state had
    // moved), a 再办理 cannot be taken back blind
    const keptNothing = async (id: number) => h.db.update(events).set({ restore: null }).where(eq(events.proposalId, id));
    await keptNothing(own);
    await correct(own, "reg", "basically_satisfied");
    expect(await columns(own)).toMatchObject({ state: "closed", feedback: "basically_satisfied", repliedOn: "2026-11-20" });
    await correct(own, "reg", "dissatisfied");
    await keptNothing(own);
    await expect(correct(own, "reg", "satisfied")).rejects.toThrow("未保存转入再办理前的答复日期和期限");
  });

  it("an unsatisfied proposer sends it back to drafting and restarts the clock", async () => {
    const id = await register();
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "on_request", disclosureReason: "涉及企业信息" });
    await act(id, "zhan", "sign");
    await act(id, "li", "send");
    await act(id, "li", "record_feedback", { feedback: "dissatisfied" });
    expect((await getProposal(h.db, id))!).toMatchObject({ state: "rehandling", repliedOn: null });
    await act(id, "li", "restart_drafting");
    expect((await getProposal(h.db, id))!.state).toBe("drafting");
  });

  it("refuses what the role or the assignment does not allow, with the reason", async () => {
    const id = await register();
    await expect(act(id, "li", "assign", { handlerId: people.li.id })).rejects.toThrow(/分派须由登记员或系统管理员操作/);
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await expect(act(id, "wang", "acknowledge")).rejects.toThrow("该提案未分派给您");
    await expect(act(id, "view", "acknowledge")).rejects.toThrow("只读用户不能办理提案");
    await expect(act(id, "zhan", "sign")).rejects.toThrow(/当前状态为“已分派”，不能签发/);
    await expect(act(id, "reg", "send")).rejects.toBeInstanceOf(WorkflowRefusedError);
  });

  it("提交签发 and 签发 only go through the letter; a reply is sent only once its letter is signed", async () => {
    const id = await register();
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    const direct = (action: WorkflowAction, who: string) =>
      h.db.transaction(async (tx) =>
        performAction(tx, { proposalId: id, expectedVersion: (await getProposal(tx, id))!.version, action, actor: people[who], input: { disclosure: "public" }, today: TODAY }),
      );
    await expect(direct("submit", "li")).rejects.toThrow("提交签发和签发须在答复函页面办理");
    expect((await getProposal(h.db, id))!.state).toBe("drafting");
    await act(id, "li", "submit", { disclosure: "public" });
    await expect(direct("sign", "zhan")).rejects.toThrow("提交签发和签发须在答复函页面办理");
    expect((await getProposal(h.db, id))!.state).toBe("in_review");
    // A proposal marked 已签发 whose letter is not (as data written before this rule could be): sending is refused.
    await h.db.update(proposals).set({ state: "signed" }).where(eq(proposals.id, id));
    await expect(direct("send", "li")).rejects.toThrow("答复函尚未签发，不能发送");
    await h.db.update(proposals).set({ state: "in_review" }).where(eq(proposals.id, id));
    await act(id, "zhan", "sign");
    await act(id, "li", "send");
    expect((await getProposal(h.db, id))!.state).toBe("replied");
  });

  it("refuses an assignment to a disabled user", async () => {
    await make("gone", "handler");
    await h.db.update(users).set({ disabled: true }).where(eq(users.id, people.gone.id));
    const id = await register();
    await expect(act(id, "reg", "assign", { handlerId: people.gone.id })).rejects.toThrow("账号已停用，不能分派");
    expect((await getProposal(h.db, id))!.state).toBe("received");
  });

  it("two people acting at once: one transition applies, the other gets a conflict, nothing is applied twice", async () => {
    const id = await register();
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    const { version } = (await getProposal(h.db, id))!;
    await make("leader2", "leader");
    const results = await Promise.allSettled([
      h.db.transaction((tx) => signCurrentLetter(tx, { proposalId: id, expectedVersion: version, actor: people.zhan, today: TODAY })),
      h.db.transaction((tx) =>
        performAction(tx, { proposalId: id, expectedVersion: version, action: "return", actor: people.leader2, input: { comment: "再改改" }, today: TODAY }),
      ),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    const events = (await listEvents(h.db, id)).map((e) => e.kind);
    expect(events.filter((k) => k === "sign" || k === "return")).toHaveLength(1);
  });

  it("reassignment: only inside the window, with a reason; approval transfers it out", async () => {
    const late = await register({ assignedOn: "2026-09-01" });
    await act(late, "reg", "assign", { handlerId: people.li.id });
    await expect(act(late, "li", "request_reassignment", { comment: "不属于我局职责" })).rejects.toThrow(/已超过申请调整期限（2026-09-08）/);
    const fresh = await register({ assignedOn: "2026-11-20" });
    await act(fresh, "reg", "assign", { handlerId: people.li.id });
    await expect(act(fresh, "li", "request_reassignment")).rejects.toThrow("申请调整须说明理由");
    await act(fresh, "li", "request_reassignment", { comment: "属市发改局职责" });
    // the request reaches those who decide it (reassignment.decide): the admins, not the leader
    const toldOf = async (userId: string, id: number) =>
      (
        await h.db
          .select({ id: notifications.id })
          .from(notifications)
          .where(and(eq(notifications.userId, userId), eq(notifications.proposalId, id), eq(notifications.kind, "reassignment")))
      ).length;
    expect(await toldOf(people.admin.id, fresh)).toBe(1);
    expect(await toldOf(people.zhan.id, fresh)).toBe(0);
    await act(fresh, "admin", "approve_reassignment", { receivingUnit: "市发展和改革局" });
    expect((await getProposal(h.db, fresh))!).toMatchObject({ state: "transferred_out", transferredTo: "市发展和改革局" });
    // the decision reaches the handler and those who assign (proposal.assign), not its own decider again
    expect(await toldOf(people.li.id, fresh)).toBe(1);
    expect(await toldOf(people.reg.id, fresh)).toBe(1);
    expect(await toldOf(people.admin.id, fresh)).toBe(1);
    expect((await listDeadlines(h.db, { today: TODAY })).map((d) => d.id)).not.toContain(fresh);

    // 不同意调整 says why: in the history and in the handler's notice.
    const kept = await register({ assignedOn: "2026-11-20" });
    await act(kept, "reg", "assign", { handlerId: people.li.id });
    await act(kept, "li", "request_reassignment", { comment: "属市发改局职责" });
    await expect(act(kept, "admin", "reject_reassignment")).rejects.toThrow("不同意调整须说明理由");
    await act(kept, "admin", "reject_reassignment", { comment: "产业链培育属我局职责，请继续办理" });
    expect((await getProposal(h.db, kept))!.state).toBe("assigned");
    expect((await listEvents(h.db, kept)).at(-1)).toMatchObject({ kind: "reject_reassignment", comment: "产业链培育属我局职责，请继续办理" });
    expect((await listNotifications(h.db, people.li.id)).map((n) => n.message)).toContain(`第${seq}号提案的调整申请未获同意：产业链培育属我局职责，请继续办理。`);
  });

  it("computes due dates from 交办: calendar months with month ends, 会办 a month, the window in working days", async () => {
    const a = await getProposal(h.db, await register({ assignedOn: "2025-11-30" }));
    expect(a).toMatchObject({ replyDue: "2026-02-28", due: "2026-02-28" });
    const leap = await getProposal(h.db, await register({ assignedOn: "2023-11-30" }));
    expect(leap!.due).toBe("2024-02-29");
    const co = await getProposal(h.db, await register({ assignedOn: "2026-01-31", bureauRole: "co" }));
    expect(co).toMatchObject({ coHandlingDue: "2026-02-28", due: "2026-02-28", replyDue: "2026-04-30" });
    // Across the 2024 Spring Festival: 5 working days after 02-06 is 02-19, not 02-13; the 调休 Sunday 02-04 counts.
    const sf = await getProposal(h.db, await register({ assignedOn: "2024-02-06" }));
    expect(sf!.reassignmentWindowEnds).toBe("2024-02-19");
    const sun = await getProposal(h.db, await register({ assignedOn: "2024-02-02" }));
    expect(sun!.reassignmentWindowEnds).toBe("2024-02-08");
  });

  it("warns instead of guessing when the calendar lacks the year", async () => {
    const p = await getProposal(h.db, await register({ assignedOn: "2031-03-03" }));
    expect(p!.reassignmentWindowEnds).toBeNull();
    expect(p!.dueWarnings.join()).toMatch(/2031/);
    expect(p!.due).toBe("2031-06-03");
  });

  it("an admin's calendar edit and rule change recompute the stored deadlines", async () => {
    const id = await register({ assignedOn: "2026-11-20", meeting: "规则测试会议" });
    expect((await getProposal(h.db, id))!.reassignmentWindowEnds).toBe("2026-11-27");
    await h.db.transaction(async (tx) => {
      await setCalendarDay(tx, { day: "2026-11-24", kind: "holiday", name: "测试假日" });
      await recomputeDeadlines(tx);
    });
    expect((await getProposal(h.db, id))!.reassignmentWindowEnds).toBe("2026-11-30");
    await h.db.transaction(async (tx) => {
      await deleteCalendarDay(tx, "2026-11-24");
      await recomputeDeadlines(tx);
    });
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, id) }))!.batchId;
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, reminderDays: [15, 7, 3], replyMonths: 2 }));
    expect((await getProposal(h.db, id))!.due).toBe("2027-01-20");
  });

  it("期限规则 lists each 会议 with the number of its proposals", async () => {
    const meeting = `计数测试会议${Date.now()}`;
    for (const _ of [1, 2, 3]) await register({ meeting });
    const counted = await listBatches(h.db);
    const mine = counted.find((b) => b.meeting === meeting);
    expect(mine?.proposals).toBe(3);
    const all = await h.db.select({ batchId: proposals.batchId }).from(proposals);
    for (const b of counted) expect(b.proposals).toBe(all.filter((p) => p.batchId === b.id).length);
  });

  it("a batch's first reminder day decides \"due soon\" alike on the proposal's page, in the list and in the handler's task list", async () => {
    const id = await register({ meeting: "提醒天数测试会议", assignedOn: "2026-09-01" });
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, id) }))!.batchId;
    await h.db.transaction((tx) => setBatchRules(tx, batchId, { ...DEFAULT_DEADLINE_RULES, reminderDays: [30, 7, 3] }));
    await act(id, "reg", "assign", { handlerId: people.li.id });
    // due in 20 days: past the batch's first reminder (30), not the default's (15)
    await h.db
      .update(proposals)
      .set({ due: addDays(today(), 20), extendedDue: null })
      .where(eq(proposals.id, id));
    expect(proposalDeadline((await getProposal(h.db, id))!)).toMatchObject({ daysLeft: 20, level: "soon" });
    const [listed] = (await listProposals(h.db, { meeting: "提醒天数测试会议", page: 1, pageSize: 10 })).rows;
    expect(proposalDeadline(listed!)).toMatchObject({ daysLeft: 20, level: "soon" });
    const tasks = await taskQueue(h.db, "todo", { handlerId: people.li.id }, 1000);
    expect(tasks.items.find((t) => t.id === id)!.deadline).toMatchObject({ daysLeft: 20, level: "soon" });
  });

  it("notices follow the deadline: a moved deadline or a new handler ends the old reminders; a request the deadline has overtaken cannot be approved", async () => {
    const notices = async (id: number, kind: string) =>
      h.db
        .select({ userId: notifications.userId, resolvedAt: notifications.resolvedAt })
        .from(notifications)
        .where(and(eq(notifications.proposalId, id), eq(notifications.kind, kind)));
    // Overdue (due 2026-10-01 at TODAY 2026-11-25), reminded, then a leader approves an extension.
    const a = await register({ assignedOn: "2026-07-01" });
    await act(a, "reg", "assign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, TODAY);
    expect(await notices(a, "overdue")).toEqual([{ userId: people.li.id, resolvedAt: null }]);
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: a, newDue: "2026-12-31", reason: "需会同多部门调研", actor: people.li }));
    const extA = (await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, a) }))!;
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: a, extensionId: extA.id, approve: true, actor: people.zhan }));
    expect((await notices(a, "overdue"))[0]!.resolvedAt).not.toBeNull();

    // Reassigned: the previous handler's reminders go with the proposal.
    const b = await register({ assignedOn: "2026-07-01" });
    await act(b, "reg", "assign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, TODAY);
    await act(b, "reg", "reassign", { handlerId: people.wang.id });
    expect((await notices(b, "overdue")).map((n) => [n.userId, n.resolvedAt === null])).toEqual([[people.li.id, false]]);

    // A request overtaken by a corrected 交办日期 (the deadline is now later than the date asked for).
    const c = await register({ assignedOn: "2026-07-01" });
    await act(c, "reg", "assign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, TODAY);
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: c, newDue: "2026-12-31", reason: "需调研", actor: people.li }));
    const pc = (await getProposal(h.db, c))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id: c, expectedVersion: pc.version, input: input({ meeting: pc.meeting, number: pc.number, assignedOn: "2026-10-15" }), actorId: people.reg.id }),
    );
    const corrected = (await getProposal(h.db, c))!;
    expect(corrected.due! > "2026-12-31").toBe(true);
    expect((await notices(c, "overdue"))[0]!.resolvedAt).not.toBeNull();
    // it lapsed with the correction (it stayed pending, for a leader to refuse by hand), and cannot be approved
    const extC = (await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, c) }))!;
    expect(extC).toMatchObject({ status: "lapsed" });
    await expect(h.db.transaction((tx) => decideExtension(tx, { proposalId: c, extensionId: extC.id, approve: true, actor: people.zhan }))).rejects.toThrow("该延期申请已被处理");
    expect((await getProposal(h.db, c))!).toMatchObject({ due: corrected.due, extendedDue: null });
  });

  it("reminders stay true: a correction an extension still covers keeps them; 改派 back reminds the handler again; 分派 ends the registrars' ones; with no registrar the admins are reminded", async () => {
    const openNotices = async (id: number, kind: string) =>
      (
        await h.db
          .select({ userId: notifications.userId })
          .from(notifications)
          .where(and(eq(notifications.proposalId, id), eq(notifications.kind, kind), isNull(notifications.resolvedAt)))
      ).map((n) => n.userId);
    // Extended to 2026-12-05 (10 days after TODAY): reminded; then 交办日期 corrected by a day —
    // the base deadline moves, the extension still holds, the date worked to has not moved.
    const a = await register({ assignedOn: "2026-07-01" });
    await act(a, "reg", "assign", { handlerId: people.li.id });
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: a, newDue: "2026-12-05", reason: "需会同多部门调研", actor: people.li }));
    const extA = (await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, a) }))!;
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: a, extensionId: extA.id, approve: true, actor: people.zhan }));
    await createDeadlineReminders(h.db, TODAY);
    expect(await openNotices(a, "due_soon")).toEqual([people.li.id]);
    const pa = (await getProposal(h.db, a))!;
    await h.db.transaction((tx) =>
      updateProposal(tx, { id: a, expectedVersion: pa.version, input: input({ meeting: pa.meeting, number: pa.number, assignedOn: "2026-07-02" }), actorId: people.reg.id }),
    );
    expect((await getProposal(h.db, a))!).toMatchObject({ extendedDue: "2026-12-05" });
    expect((await getProposal(h.db, a))!.due).not.toBe(pa.due);
    expect(await openNotices(a, "due_soon")).toEqual([people.li.id]);

    // 改派 to 王 and back to 李: 李 is reminded again (the first notice's key no longer refuses it).
    const b = await register({ assignedOn: "2026-07-01" });
    await act(b, "reg", "assign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, TODAY);
    await act(b, "reg", "reassign", { handlerId: people.wang.id });
    await createDeadlineReminders(h.db, TODAY);
    expect(await openNotices(b, "overdue")).toEqual([people.wang.id]);
    await act(b, "reg", "reassign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, TODAY);
    expect(await openNotices(b, "overdue")).toEqual([people.li.id]);

    // Unassigned and overdue: the registrars are reminded; 分派 ends theirs, the handler is reminded next.
    const registrarIds = await enabledWithRole("registrar");
    const c = await register({ assignedOn: "2026-07-01" });
    await createDeadlineReminders(h.db, TODAY);
    expect((await openNotices(c, "overdue")).sort()).toEqual([...registrarIds].sort());
    // …told why it comes to them
    const messages = async (proposalId: number) =>
      (await h.db.select({ message: notifications.message }).from(notifications).where(eq(notifications.proposalId, proposalId))).map((n) => n.message);
    expect(new Set(await messages(c))).toEqual(new Set([`第${(await getProposal(h.db, c))!.number}号提案已超过办理期限（2026-10-01）。尚未分派承办人。`]));
    await act(c, "reg", "assign", { handlerId: people.li.id });
    expect(await openNotices(c, "overdue")).toEqual([]);
    await createDeadlineReminders(h.db, TODAY);
    expect(await openNotices(c, "overdue")).toEqual([people.li.id]);

    // An installation without a registrar (the admins register and assign): the admins are reminded.
    const d = await register({ assignedOn: "2026-07-01" });
    const adminIds = await enabledWithRole("admin");
    expect(adminIds.length).toBeGreaterThan(0);
    await h.db.update(users).set({ disabled: true }).where(inArray(users.id, registrarIds));
    try {
      await createDeadlineReminders(h.db, TODAY);
      expect((await openNotices(d, "overdue")).sort()).toEqual([...adminIds].sort());
    } finally {
      await h.db.update(users).set({ disabled: false }).where(inArray(users.id, registrarIds));
    }
  });

  it("a reminder about a date in a year the calendar does not cover says it is not certain, as the pages do", async () => {
    const id = await register({ assignedOn: "2026-10-01" }); // due 2027-01-01: 2027 is not in this calendar
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await createDeadlineReminders(h.db, "2026-12-20");
    const [n] = await h.db
      .select({ message: notifications.message })
      .from(notifications)
      .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "due_soon")));
    expect(n!.message).toMatch(/^第\d+号提案将于 2027-01-01 到期（截至 2026-12-20：剩余 12 天）。⚠ 工作日历未覆盖 2027年/);
  });

  it("a request still pending when the reply is sent lapses: off the approvers' list, its notices resolved, said in the history", async () => {
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-31", reason: "需会同多部门调研", actor: people.li }));
    const open = async () =>
      h.db
        .select({ id: notifications.id })
        .from(notifications)
        .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "extension"), isNull(notifications.resolvedAt)));
    expect((await open()).length).toBeGreaterThan(0);
    expect((await pendingExtensions(h.db)).map((e) => e.proposalId)).toContain(id);
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, TODAY);
    await act(id, "li", "send", { repliedOn: TODAY });
    const [ext] = await listExtensions(h.db, id);
    expect(ext).toMatchObject({ status: "lapsed", decisionComment: "答复已发出，延期申请自动失效", decidedBy: null });
    expect(await open()).toEqual([]);
    expect((await pendingExtensions(h.db)).map((e) => e.proposalId)).not.toContain(id);
    expect((await listEvents(h.db, id)).at(-1)!.changes).toContainEqual({ field: "extension", label: "延期申请", from: "待审批", to: "已失效" });
    // it cannot be approved afterwards
    await expect(h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan }))).rejects.toThrow("该延期申请已被处理");
  });

  it("a request still pending lapses when a corrected 交办日期 moves the deadline to the date asked or later; one asking further stays", async () => {
    const id = await register({ assignedOn: "2026-07-01" }); // due 2026-10-01
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-10-20", reason: "需会同多部门调研", actor: people.li }));
    const correct = async (assignedOn: string) => {
      const p = (await getProposal(h.db, id))!;
      await h.db.transaction((tx) =>
        updateProposal(tx, { id, expectedVersion: p.version, input: input({ meeting: p.meeting, number: p.number, assignedOn }), actorId: people.reg.id }),
      );
    };
    await correct("2026-07-10"); // due 10-10: the request (to 10-20) still asks for something
    expect((await listExtensions(h.db, id))[0]).toMatchObject({ status: "requested" });
    await correct("2026-07-25"); // due 10-26: past the date asked
    const [ext] = await listExtensions(h.db, id);
    expect(ext).toMatchObject({ status: "lapsed", decisionComment: `办理期限已调整为 ${(await getProposal(h.db, id))!.due}，不早于申请延期的日期，延期申请自动失效` });
    expect((await pendingExtensions(h.db)).map((e) => e.proposalId)).not.toContain(id);
    const open = await h.db
      .select({ id: notifications.id })
      .from(notifications)
      .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "extension"), isNull(notifications.resolvedAt)));
    expect(open).toEqual([]);
    // the handler who asked is told: a date that moves back would leave them without the request
    const told = await h.db
      .select({ message: notifications.message })
      .from(notifications)
      .where(and(eq(notifications.proposalId, id), eq(notifications.userId, people.li.id), eq(notifications.kind, "extension_decided")));
    expect(told.map((n) => n.message)).toEqual([expect.stringContaining(`延期申请（至 2026-10-20）已自动失效：办理期限已调整为 ${(await getProposal(h.db, id))!.due}`)]);
  });

  it("two extension requests at once: one is pending, the other is refused (a real race on PostgreSQL; PGlite runs them one after the other)", async () => {
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    const ask = (who: string) => h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-31", reason: "需调研", actor: people[who]! }));
    const results = await Promise.allSettled([ask("li"), ask("reg")]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toBeInstanceOf(WorkflowRefusedError);
    expect((refused.reason as Error).message).toBe("已有待审批的延期申请。");
    expect((await listExtensions(h.db, id)).filter((e) => e.status === "requested")).toHaveLength(1);
  });

  it("an extension decision waits while deadlines are being recomputed: the recompute's read cannot go stale and write the old extension back (a real race on PostgreSQL)", async () => {
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-31", reason: "需调研", actor: people.li }));
    const [ext] = await listExtensions(h.db, id);
    const order: string[] = [];
    let decided: Promise<unknown> = Promise.resolve();
    await h.db.transaction(async (tx) => {
      // A recompute begins (its lock, then its read of every open deadline); the leader approves meanwhile.
      await deadlineContext(tx);
      decided = h.db.transaction((other) => decideExtension(other, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan })).then(() => order.push("decided"));
      await new Promise((r) => setTimeout(r, 200));
      await recomputeDeadlines(tx, { reason: "日历更正" });
      order.push("recomputed");
    });
    await decided;
    expect(order).toEqual(["recomputed", "decided"]);
    expect((await getProposal(h.db, id))!.extendedDue).toBe("2026-12-31");
  });

  it("saving a batch's 期限规则 while a proposal is being registered in it: they take turns, neither fails (a real race on PostgreSQL)", async () => {
    const meeting = "期限规则与登记并发测试会议";
    const first = await register({ meeting, assignedOn: "2026-09-01" });
    const batchId = (await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, first) }))!.batchId;
    let saved: Promise<unknown> = Promise.resolve();
    let second = 0;
    await h.db.transaction(async (tx) => {
      // A registration under way: its turns taken (registration, then deadlines), as registerProposal takes them.
      await takeTurn(tx, "proposal-registration");
      await deadlineContext(tx);
      // The admin saves the batch's rules meanwhile (the rules page's transaction).
      saved = h.db.transaction(async (other) => {
        await lockBatch(other, batchId);
        await setBatchRules(other, batchId, { ...DEFAULT_DEADLINE_RULES, reminderDays: [20, 7] }, people.admin.id);
      });
      await new Promise((r) => setTimeout(r, 200));
      // the new proposal's row refers to the batch: it needs the batch row the rules save would hold
      second = await registerProposal(tx, { input: input({ meeting, assignedOn: "2026-09-01" }), actorId: people.reg.id });
    });
    await saved;
    expect((await h.db.query.proposals.findFirst({ where: (t, { eq }) => eq(t.id, second) }))!.batchId).toBe(batchId);
    const [batch] = await h.db.select({ rules: batches.rules }).from(batches).where(eq(batches.id, batchId));
    expect((batch!.rules as { reminderDays: number[] }).reminderDays).toEqual([20, 7]);
  });

  it("a request made before 改派 is decided for the new handler: the decision's notice goes to them, not to the handler who can no longer open it", async () => {
    const id = await register({ assignedOn: "2026-07-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-31", reason: "需会同多部门调研", actor: people.li }));
    await act(id, "reg", "reassign", { handlerId: people.wang.id });
    const [ext] = await listExtensions(h.db, id);
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan }));
    const decided = await h.db
      .select({ userId: notifications.userId })
      .from(notifications)
      .where(and(eq(notifications.proposalId, id), eq(notifications.kind, "extension_decided"), sql`${notifications.message} like '%已批准%'`));
    expect(decided.map((n) => n.userId)).toEqual([people.wang.id]);
  });

  it("改派 while drafting tells the new handler where the proposal stands (not 请签收, which no longer exists), and ends the previous handler's 退回 notice", async () => {
    const id = await register({ assignedOn: "2026-11-20" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "return", { comment: "请补充数据" });
    await act(id, "reg", "reassign", { handlerId: people.wang.id });
    const rows = await h.db
      .select({ userId: notifications.userId, kind: notifications.kind, message: notifications.message, resolvedAt: notifications.resolvedAt })
      .from(notifications)
      .where(eq(notifications.proposalId, id));
    const toWang = rows.filter((r) => r.userId === people.wang.id);
    // 李泳's notices about it keep their text but no longer link to a proposal he cannot open (a 404, logged as a refusal)
    const liNotices = (await notificationsFor(h.db, people.li)).filter((n) => /第\d+号提案/.test(n.message) && n.message.includes(`第${seq}号`));
    expect(liNotices.length).toBeGreaterThan(0);
    expect(liNotices.every((n) => n.proposalId === null)).toBe(true);
    // …and are not taken for notices about no one proposal (a digest), which link to the list instead
    expect(liNotices.some((n) => n.general)).toBe(false);
    expect((await notificationsFor(h.db, people.wang)).filter((n) => n.message.includes(`第${seq}号`)).map((n) => n.proposalId)).toContain(id);
    expect(toWang.map((r) => r.message)).toEqual([expect.stringMatching(/已改由您办理（当前：起草中），请接续办理。$/)]);
    expect(rows.find((r) => r.userId === people.li.id && r.kind === "returned")!.resolvedAt).not.toBeNull();
  });

  it("correcting the 交办日期 of an answered proposal moves its deadline, so 按时/超期 stays true", async () => {
    const id = await register({ assignedOn: "2026-04-20" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await act(id, "li", "submit", { disclosure: "public" });
    await act(id, "zhan", "sign", {}, "2026-07-09");
    await act(id, "li", "send", { repliedOn: "2026-07-10" });
    const before = (await getProposal(h.db, id))!;
    expect(proposalDeadline(before)).toMatchObject({ level: "done", onTime: true });
    await h.db.transaction((tx) =>
      updateProposal(tx, {
        id,
        expectedVersion: before.version,
        input: input({ meeting: before.meeting, number: before.number, assignedOn: "2026-03-20" }),
        actorId: people.reg.id,
      }),
    );
    const after = (await getProposal(h.db, id))!;
    expect(after.due! < "2026-07-10").toBe(true);
    expect(proposalDeadline(after)).toMatchObject({ level: "done", onTime: false });
    expect((await listEvents(h.db, id)).at(-1)!.changes).toContainEqual({ field: "due", label: "办理期限", from: before.due, to: after.due });
  });

  it("an approved extension is a date the leader chose: the calendar doubts about the computed deadline no longer mark it", async () => {
    const id = await register({ assignedOn: "2026-11-20" }); // due in 2027, a year the calendar lacks here
    await act(id, "reg", "assign", { handlerId: people.li.id });
    const deadline = async () => proposalDeadline((await getProposal(h.db, id))!);
    const listed = async () => (await listDeadlines(h.db, { today: TODAY })).find((r) => r.id === id)!;
    expect((await deadline())!.doubts).not.toEqual([]);
    expect((await listed()).doubts).not.toEqual([]);
    await approveExtension(id, "2027-06-30");
    expect(await deadline()).toMatchObject({ due: "2027-06-30", doubts: [] });
    expect(await listed()).toMatchObject({ due: "2027-06-30", doubts: [] });
  });

  it("a calendar year shipped with an upgrade is added at start, and the deadlines that waited for it are computed", async () => {
    const id = await register({ assignedOn: "2026-10-20" }); // due 2027-01-20: 2027 is not in the calendar
    const doubts = async () => calendarDoubts((await getProposal(h.db, id))!.dueWarnings);
    expect(await doubts()).not.toEqual([]);
    // as an install that has the calendar up to 2025 sees a release that ships 2026 (here: 2027 is entered, 2026 removed)
    await h.db.transaction(async (tx) => {
      await addCalendarYear(tx, 2027);
      await setCalendarDay(tx, { day: "2027-01-01", kind: "holiday", name: "元旦" });
      await setCalendarDay(tx, { day: "2027-02-06", kind: "holiday", name: "春节" });
      await setCalendarDay(tx, { day: "2027-10-01", kind: "holiday", name: "国庆节" });
      await enterOtherFestivals2027(tx);
      await confirmCalendarYear(tx, 2027, true);
      await tx.delete(calendarDays).where(and(gte(calendarDays.day, "2026-01-01"), lte(calendarDays.day, "2026-12-31")));
      await tx.delete(calendarYears).where(eq(calendarYears.year, 2026));
      await recomputeDeadlines(tx);
    });
    expect(await doubts()).not.toEqual([]);
    expect(await h.db.transaction((tx) => addShippedCalendarYears(tx))).toEqual([2026]);
    expect(await doubts()).toEqual([]);
    expect((await listEvents(h.db, id)).at(-1)!.comment).toBe("工作日历新增 2026 年");
    await h.db.transaction(async (tx) => {
      await confirmCalendarYear(tx, 2027, false);
      for (const day of ["2027-01-01", "2027-02-06", "2027-04-05", "2027-05-01", "2027-06-09", "2027-09-15", "2027-10-01"]) await deleteCalendarDay(tx, day);
      await tx.delete(calendarYears).where(eq(calendarYears.year, 2027));
      await recomputeDeadlines(tx);
    });
  });

  it("a year an admin added by hand before the release that ships it gets the shipped holidays (春节 too), the admin's own days kept, once", async () => {
    const shippedDays = async () =>
      (
        await h.db
          .select({ day: calendarDays.day })
          .from(calendarDays)
          .where(and(gte(calendarDays.day, "2026-01-01"), lte(calendarDays.day, "2026-12-31")))
      ).length;
    const full = await shippedDays();
    await h.db.transaction(async (tx) => {
      await tx.delete(calendarDays).where(and(gte(calendarDays.day, "2026-01-01"), lte(calendarDays.day, "2026-12-31")));
      await tx.delete(calendarYears).where(eq(calendarYears.year, 2026));
      // "添加 2026 年度" from a deadline's warning, and one day typed in (named differently from the shipped data)
      await addCalendarYear(tx, 2026);
      await setCalendarDay(tx, { day: "2026-01-01", kind: "holiday", name: "元旦（手工录入）" });
      await recomputeDeadlines(tx);
    });
    expect(await h.db.transaction((tx) => addShippedCalendarYears(tx))).toEqual([2026]);
    expect(await shippedDays()).toBe(full);
    const [newYear] = await h.db.select().from(calendarDays).where(eq(calendarDays.day, "2026-01-01"));
    expect(newYear).toMatchObject({ name: "元旦（手工录入）", source: "admin" });
    expect((await h.db.select({ kind: calendarDays.kind }).from(calendarDays).where(eq(calendarDays.day, "2026-02-17")))[0]?.kind).toBe("holiday"); // 春节
    // once: a later start adds nothing again
    expect(await h.db.transaction((tx) => addShippedCalendarYears(tx))).toEqual([]);
  });

  it("extensions: requested with a reason, approved by a leader, old and new dates kept; bad dates refused", async () => {
    const id = await register({ assignedOn: "2026-09-01" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await expect(h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-11-30", reason: "x", actor: people.wang }))).rejects.toThrow("只有本提案的承办人");
    await expect(h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-11-30", reason: "x", actor: people.li }))).rejects.toThrow(/晚于/);
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-31", reason: "需会同多部门调研", actor: people.li }));
    await expect(h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2027-01-15", reason: "again", actor: people.li }))).rejects.toThrow(
      "已有待审批的延期申请",
    );
    const ext = await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, id) });
    await expect(h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.li }))).rejects.toThrow(
      "只有系统管理员或签发领导",
    );
    // Posted to another proposal's page, the extension is not found there: nothing decided.
    const other = await register({ assignedOn: "2026-09-01" });
    await expect(h.db.transaction((tx) => decideExtension(tx, { proposalId: other, extensionId: ext!.id, approve: true, actor: people.zhan }))).rejects.toMatchObject({
      status: 404,
    });
    expect((await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.id, ext!.id) }))!.status).toBe("requested");
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: true, actor: people.zhan }));
    await expect(h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext!.id, approve: false, actor: people.zhan }))).rejects.toThrow("已被处理");
    expect((await getProposal(h.db, id))!.extendedDue).toBe("2026-12-31");
    const approved = (await listEvents(h.db, id)).find((e) => e.kind === "extension_approved")!;
    expect(approved.changes).toEqual([{ field: "due", label: "办理期限", from: "2026-12-01", to: "2026-12-31" }]);
    expect((await listDeadlines(h.db, { today: TODAY, ids: [id] }))[0]).toMatchObject({ due: "2026-12-31", daysLeft: 36 });
  });

  it("the clock stops at the reply; lists and exports show days left, negative when overdue", async () => {
    const overdue = await register({ assignedOn: "2026-08-20", title: "关于超期测试的建议" });
    const rows = await listDeadlines(h.db, { today: TODAY, ids: [overdue] });
    expect(rows[0]).toMatchObject({ due: "2026-11-20", daysLeft: -5, level: "overdue" });
    expect(deadlinesToCsv(rows)).toContain("关于超期测试的建议");
    expect(deadlinesToCsv(rows).split("\n")[1]).toMatch(/2026-11-20,-5/);
    const ics = deadlinesToIcs(rows, "localhost");
    expect(ics).toContain("DTSTART;VALUE=DATE:20261120");
    // one event per proposal, named the same whichever address the file came from: a second import updates it
    expect(ics).toContain(`UID:proposal-${overdue}@localhost`);
    // nothing to export: still a calendar with a component (RFC 5545), not one strict clients refuse
    const empty = deadlinesToIcs([], "localhost");
    expect(empty).toMatch(/^BEGIN:VCALENDAR\r\n[\s\S]*BEGIN:VTIMEZONE\r\n[\s\S]*END:VCALENDAR\r\n$/);
    expect(ics).toContain(`第${seq}号提案答复到期`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await deadlinesToXlsx(rows)) as unknown as ArrayBuffer);
    expect(wb.worksheets[0].getRow(2).getCell(8).value).toBe(-5);
    // 期限 a date cell (Excel's date filters and date arithmetic), shown as 2026-11-20
    const due = wb.worksheets[0].getRow(2).getCell(7);
    expect(due.value).toEqual(new Date(Date.UTC(2026, 10, 20)));
    expect(due.numFmt).toBe("yyyy-mm-dd");
    expect((await listDeadlines(h.db, { today: TODAY, dueWithin: 10 })).every((r) => r.due <= "2026-12-05")).toBe(true);
  });

  it("exports follow the list's filters, can include finished proposals, flag unknown calendar years and fold ICS lines at 75 octets", async () => {
    const open = await register({ assignedOn: "2026-12-01", title: "关于导出筛选测试的建议（跨入未覆盖年度）" }); // due 2027-03-01
    const sunday = await register({ assignedOn: "2026-08-01", title: "关于导出筛选测试的建议（期限为星期日）" }); // due 2026-11-01, kept
    const done = await register({ assignedOn: "2026-03-02", title: "关于导出筛选测试的建议（已答复）" });
    await act(done, "reg", "assign", { handlerId: people.li.id });
    await act(done, "li", "acknowledge");
    await act(done, "li", "submit", { disclosure: "public" });
    await act(done, "zhan", "sign", {}, "2026-05-19");
    await act(done, "li", "send", { repliedOn: "2026-05-20" });
    const where = proposalFilterConditions({ q: "导出筛选测试" });
    expect((await listDeadlines(h.db, { today: TODAY, where })).map((r) => r.id)).toEqual([sunday, open]);
    const all = await listDeadlines(h.db, { today: TODAY, where, includeFinished: true });
    expect(all.map((r) => r.id).sort()).toEqual([open, done, sunday].sort());
    expect(all.find((r) => r.id === done)).toMatchObject({ level: "done", repliedOn: "2026-05-20", doubts: [] });
    const row = all.find((r) => r.id === open)!;
    expect(row.doubts.join()).toContain("工作日历未覆盖 2027年");
    const csv = Papa.parse<string[]>(deadlinesToCsv(all).replace(/^\uFEFF/, "")).data;
    expect(csv[0]).toEqual(["会议", "提案号", "案由", "办理方式", "状态", "承办人", "期限", "剩余天数", "答复日期", "期限提示"]);
    const [doneNo, openNo] = [(await getProposal(h.db, done))!.number, (await getProposal(h.db, open))!.number];
    const doneLine = csv.find((c) => c[1] === doneNo)!;
    expect([doneLine[4], doneLine[7], doneLine[8]]).toEqual(["已答复", "", "2026-05-20"]);
    expect(csv.find((c) => c[1] === openNo)![9]).toContain("工作日历未覆盖 2027年");
    // a deadline kept on a Sunday says so, as the proposal's page does (the column was empty)
    const sundayNo = (await getProposal(h.db, sunday))!.number;
    expect(csv.find((c) => c[1] === sundayNo)![9]).toBe("答复期限 2026-11-01 为休息日，期限不顺延，请在此前的工作日办结");
    expect((await listDeadlines(h.db, { today: TODAY, where: proposalFilterConditions({ q: "导出筛选测试", state: "replied" }), includeFinished: true })).map((r) => r.id)).toEqual(
      [done],
    );
    const ics = deadlinesToIcs(all, "localhost");
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line), line).toBeLessThanOrEqual(75);
    expect(ics.replace(/\r\n /g, "")).toContain("工作日历未覆盖 2027年");
    expect(ics.replace(/\r\n /g, "")).toContain("答复期限 2026-11-01 为休息日，期限不顺延");
  });

  it("a notice about a task is resolved when the task is done: still listed, no longer counted; mark-unread counts it again", async () => {
    const id = await register({ title: "关于通知办结测试的建议" });
    const mine = async (who: string) => (await listNotifications(h.db, people[who].id)).filter((n) => n.proposalId === id);
    const liBefore = await unreadCount(h.db, people.li.id);
    await act(id, "reg", "assign", { handlerId: people.li.id });
    expect(await unreadCount(h.db, people.li.id)).toBe(liBefore + 1);
    await act(id, "li", "acknowledge");
    expect(await unreadCount(h.db, people.li.id), "签收 finishes 请签收").toBe(liBefore);
    expect((await mine("li"))[0]).toMatchObject({ kind: "assigned", readAt: null, resolvedAt: expect.any(Date) });

    const zhanBefore = await unreadCount(h.db, people.zhan.id);
    await act(id, "li", "submit", { disclosure: "public" });
    expect(await unreadCount(h.db, people.zhan.id)).toBe(zhanBefore + 1);
    await act(id, "zhan", "sign");
    expect(await unreadCount(h.db, people.zhan.id), "签发 finishes 待您签发").toBe(zhanBefore);
    expect((await mine("zhan")).find((n) => n.kind === "awaiting_signature")!.resolvedAt).not.toBeNull();
    // The handler's "已签发" notice is news, not a task: it counts until read.
    const signed = (await mine("li")).find((n) => n.kind === "signed")!;
    expect(signed.resolvedAt).toBeNull();
    const liNow = await unreadCount(h.db, people.li.id);
    await markRead(h.db, people.li.id, [signed.id]);
    expect(await unreadCount(h.db, people.li.id)).toBe(liNow - 1);
    await markUnread(h.db, people.li.id, signed.id);
    expect(await unreadCount(h.db, people.li.id)).toBe(liNow);
    // 全部标为已读 marks what the page showed: a notice arriving after it stays unread (and is still e-mailed).
    const shownUpTo = Math.max(...(await listNotifications(h.db, people.li.id)).map((n) => n.id));
    const later = await register({ title: "关于页面打开后才到的通知的建议" });
    await act(later, "reg", "assign", { handlerId: people.li.id });
    await markRead(h.db, people.li.id, { upTo: shownUpTo });
    expect((await listNotifications(h.db, people.li.id)).filter((n) => !n.readAt).map((n) => n.proposalId)).toEqual([later]);

    // An extension request to the approvers is resolved by the decision.
    const ext = await register({ assignedOn: "2026-09-01" });
    await act(ext, "reg", "assign", { handlerId: people.li.id });
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: ext, newDue: "2026-12-31", reason: "调研", actor: people.li }));
    const before = await unreadCount(h.db, people.zhan.id);
    const request = (await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, ext) }))!;
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: ext, extensionId: request.id, approve: true, actor: people.admin }));
    expect(await unreadCount(h.db, people.zhan.id)).toBe(before - 1);
  });

  it("会办 units: the day an opinion arrived, a mistaken unit removed, and 提交签发/签发 without an opinion only when confirmed, recorded", async () => {
    const id = await register({ title: "关于会办单位测试的建议" });
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await act(id, "li", "acknowledge");
    await h.db.transaction(async (tx) => {
      await addCoUnit(tx, { proposalId: id, name: "市科技局", actor: people.li });
      await addCoUnit(tx, { proposalId: id, name: "市商务局", actor: people.li });
      await addCoUnit(tx, { proposalId: id, name: "市科技局（重复录入）", actor: people.li });
    });
    // a name with a character lost on the way (a lone surrogate arrives as U+FFFD) is refused, not stored
    await expect(h.db.transaction((tx) => addCoUnit(tx, { proposalId: id, name: "市工\uFFFD局", actor: people.li }))).rejects.toThrow("无法识别的字符");
    const units = await listCoUnits(h.db, id);
    // the model asks the policy itself: another handler, a leader or a viewer cannot, whatever the route does
    for (const who of [people.wang, people.zhan, people.view])
      await expect(h.db.transaction((tx) => removeCoUnit(tx, { proposalId: id, coUnitId: units[2]!.id, actor: who! }))).rejects.toThrow(/可以维护会办单位/);
    await h.db.transaction((tx) => removeCoUnit(tx, { proposalId: id, coUnitId: units[2]!.id, actor: people.li }));
    expect((await listEvents(h.db, id)).at(-1)).toMatchObject({
      kind: "co_unit_removed",
      changes: [{ field: "coUnit", label: "会办单位", from: "市科技局（重复录入）", to: null }],
    });
    await expect(h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-11-26", actor: people.li, today: TODAY }))).rejects.toThrow(
      "收到日期不能晚于今天",
    );
    await expect(h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-08-31", actor: people.li, today: TODAY }))).rejects.toThrow(
      "收到日期不能早于交办日期（2026-09-01）",
    );
    await h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-11-10", actor: people.li, today: TODAY }));
    expect((await listCoUnits(h.db, id)).map((u) => [u.name, u.opinionReceivedOn])).toEqual([
      ["市科技局", "2026-11-10"],
      ["市商务局", null],
    ]);
    // the history says what it was before: a corrected date or an undo keeps the earlier one on record
    await h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-11-12", actor: people.li, today: TODAY }));
    expect((await listEvents(h.db, id)).at(-1)!.changes).toEqual([{ field: "coOpinion", label: "市科技局会办意见", from: "2026-11-10 已收到", to: "2026-11-12 已收到" }]);
    await h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: null, actor: people.li, today: TODAY }));
    expect((await listEvents(h.db, id)).at(-1)!.changes).toEqual([{ field: "coOpinion", label: "市科技局会办意见", from: "2026-11-12 已收到", to: "未收到" }]);
    await h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-11-10", actor: people.li, today: TODAY }));

    // 市商务局's opinion is missing: 提交签发 asks first, then the history says so.
    await expect(act(id, "li", "submit", { disclosure: "public" })).rejects.toThrow("尚未收到市商务局的会办意见");
    expect((await getProposal(h.db, id))!.state).toBe("drafting");
    await h.db.transaction(async (tx) => {
      await submitWithDraft(tx, { proposalId: id, actor: people.li, today: TODAY, disclosure: "public" }).catch(() => {});
    });
    const version = (await getProposal(h.db, id))!.version;
    await h.db.transaction((tx) => submitLetter(tx, { proposalId: id, expectedVersion: version, actor: people.li, today: TODAY, confirmMissingOpinions: true }));
    expect((await listEvents(h.db, id)).at(-1)).toMatchObject({ kind: "submit", comment: "尚未收到会办意见即提交签发（已确认）：市商务局" });
    await expect(act(id, "zhan", "sign")).rejects.toThrow("尚未收到市商务局的会办意见");
    // A unit changed after the signer's page was opened: that page's signature is refused (it confirmed other units).
    const seen = (await getProposal(h.db, id))!.version;
    await h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[0]!.id, receivedOn: "2026-11-11", actor: people.reg, today: TODAY }));
    await expect(
      h.db.transaction((tx) => signLetter(tx, { proposalId: id, expectedVersion: seen, actor: people.zhan, today: TODAY, confirmMissingOpinions: true })),
    ).rejects.toBeInstanceOf(VersionConflictError);
    const v2 = (await getProposal(h.db, id))!.version;
    await h.db.transaction((tx) => signLetter(tx, { proposalId: id, expectedVersion: v2, actor: people.zhan, today: TODAY, confirmMissingOpinions: true }));
    expect((await listEvents(h.db, id)).at(-1)).toMatchObject({ kind: "sign", comment: "尚未收到会办意见即签发（已确认）：市商务局" });
    // Signed: the units are what the signer confirmed; none is removed, added or re-dated afterwards.
    const frozen = "当前状态为“已签发”：会办单位及其意见已随答复定稿，不能再修改。";
    await expect(h.db.transaction((tx) => removeCoUnit(tx, { proposalId: id, coUnitId: units[1]!.id, actor: people.reg }))).rejects.toThrow(frozen);
    await expect(h.db.transaction((tx) => addCoUnit(tx, { proposalId: id, name: "市财政局", actor: people.reg }))).rejects.toThrow(frozen);
    await expect(
      h.db.transaction((tx) => markCoOpinion(tx, { proposalId: id, coUnitId: units[1]!.id, receivedOn: "2026-11-20", actor: people.reg, today: TODAY })),
    ).rejects.toThrow(frozen);
    expect((await listCoUnits(h.db, id)).map((u) => u.name)).toEqual(["市科技局", "市商务局"]);
  });

  it("a 会办 task is extended like a reply, with its own approval", async () => {
    const id = await register({ bureauRole: "co", leadUnit: "市发展和改革局", assignedOn: "2026-11-02" }); // 会办意见 due a month on
    const due = (await getProposal(h.db, id))!.due!;
    await act(id, "reg", "assign", { handlerId: people.li.id });
    await h.db.transaction((tx) => requestExtension(tx, { proposalId: id, newDue: "2026-12-20", reason: "等待企业数据", actor: people.li }));
    const ext = (await h.db.query.extensions.findFirst({ where: (t, { eq }) => eq(t.proposalId, id) }))!;
    expect(ext.oldDue).toBe(due);
    await h.db.transaction((tx) => decideExtension(tx, { proposalId: id, extensionId: ext.id, approve: true, actor: people.zhan }));
    expect((await getProposal(h.db, id))!.extendedDue).toBe("2026-12-20");
    expect((await listDeadlines(h.db, { today: TODAY, ids: [id] }))[0]).toMatchObject({ kind: "co_handling", due: "2026-12-20" });
  });

  /** Who got the overdue notice of a proposal. */
  const overdueNoticeFor = async (proposalId: number) =>
    (
      await h.db
        .select({ userId: notifications.userId })
        .from(notifications)
        .where(and(eq(notifications.proposalId, proposalId), eq(notifications.kind, "overdue")))
    ).map((n) => n.userId);

  it("a disabled handler's reminders go to the registrars, who can reassign the proposal", async () => {
    await make("leaver", "handler");
    const id = await register({ assignedOn: "2026-07-01" }); // overdue since 2026-10-01
    await act(id, "reg", "assign", { handlerId: people.leaver.id });
    await h.db.update(users).set({ disabled: true }).where(eq(users.id, people.leaver.id));
    await createDeadlineReminders(h.db, TODAY);
    expect(await overdueNoticeFor(id)).toEqual([people.reg.id]);
  });

  it("a handler whose role changed cannot be left with open proposals: 用户管理 refuses until they are reassigned, and older such data reminds the registrars", async () => {
    await make("mover", "handler");
    const mover = people.mover!;
    const id = await register({ assignedOn: "2026-07-01" }); // overdue since 2026-10-01
    await act(id, "reg", "assign", { handlerId: mover.id });
    const edit = (role: "leader" | "handler", disabled = false) =>
      h.db.transaction((tx) => updateUserChecked(tx, { id: mover.id, input: { displayName: "调岗者", role, phone: null, disabled, password: undefined }, unchanged: () => true }));
    await expect(edit("leader")).rejects.toThrow("该用户还有 1 件在办提案");
    // nor in the same edit as disabling (then enabling would leave a leader with them); disabling alone is allowed
    await expect(edit("leader", true)).rejects.toThrow("该用户还有 1 件在办提案");
    await edit("handler", true);
    await edit("handler", false);
    expect((await h.db.select({ role: users.role }).from(users).where(eq(users.id, mover.id)))[0]!.role).toBe("handler");
    // as data from before this check: the reminder goes to those who can 改派, not to a leader who cannot act
    await h.db.update(users).set({ role: "leader" }).where(eq(users.id, mover.id));
    await createDeadlineReminders(h.db, TODAY);
    expect(await overdueNoticeFor(id)).toEqual([people.reg.id]);
    // reassigned: the role may change
    await h.db.update(users).set({ role: "handler" }).where(eq(users.id, mover.id));
    await act(id, "reg", "reassign", { handlerId: people.li.id, comment: "调岗" });
    await edit("leader");
    expect((await h.db.select({ role: users.role }).from(users).where(eq(users.id, mover.id)))[0]!.role).toBe("leader");
  });

  it("a newer reminder about the same deadline supersedes the unread earlier ones: one counts, all stay listed; 标为未读 brings one back", async () => {
    // a handler of their own: the scans on other days remind others of other proposals too
    await make("piled", "handler");
    const id = await register({ assignedOn: "2026-09-05", title: "关于提醒不堆积的建议" }); // due 2026-12-05
    await act(id, "reg", "assign", { handlerId: people.piled.id });
    const mine = async () => (await listNotifications(h.db, people.piled.id)).filter((n) => n.proposalId === id && (n.kind === "due_soon" || n.kind === "overdue"));
    const start = await unreadCount(h.db, people.piled.id);
    await createDeadlineReminders(h.db, "2026-11-20"); // 15 days before
    await createDeadlineReminders(h.db, "2026-11-28"); // 7 days before
    expect(await unreadCount(h.db, people.piled.id)).toBe(start + 1);
    let notices = await mine();
    expect(notices.map((n) => [n.message.includes("截至 2026-11-28"), n.supersededAt !== null])).toEqual([
      [true, false],
      [false, true],
    ]);
    // read before the next one: stays read, not superseded
    await markRead(h.db, people.piled.id, [notices[0]!.id]);
    await createDeadlineReminders(h.db, "2026-12-07"); // overdue
    notices = await mine();
    expect(notices.map((n) => [n.kind, n.readAt !== null, n.supersededAt !== null])).toEqual([
      ["overdue", false, false],
      ["due_soon", true, false],
      ["due_soon", false, true],
    ]);
    expect(await unreadCount(h.db, people.piled.id)).toBe(start + 1);
    await markUnread(h.db, people.piled.id, notices[2]!.id);
    expect(await unreadCount(h.db, people.piled.id)).toBe(start + 2);
    // other notices about the proposal (已分派给您) are not reminders: never superseded
    expect((await listNotifications(h.db, people.piled.id)).find((n) => n.proposalId === id && n.kind === "assigned")?.supersededAt).toBeNull();
  });

  it("reminders are created once per step, and mail goes to a real SMTP server; a dead one fails nothing", async () => {
    const id = await register({ assignedOn: "2026-09-05" }); // due 2026-12-05: the 15-day reminder fell on 11-20
    await act(id, "reg", "assign", { handlerId: people.li.id });
    const first = await createDeadlineReminders(h.db, TODAY);
    const second = await createDeadlineReminders(h.db, TODAY);
    expect(first).toBeGreaterThan(0);
    expect(second).toBe(0);
    // Days left as the list and dashboard count them on the day the notice is made (the 15-day reminder was due on 11-20).
    expect((await listNotifications(h.db, people.li.id)).map((n) => n.message)).toContain(`第${seq}号提案将于 2026-12-05 到期（截至 ${TODAY}：剩余 10 天）。`);

    const sink = await startMailSink();
    const received = sink.received;
    process.env.SMTP_URL = sink.url;
    resetMailTransport();
    try {
      // Mail just configured: the notices from before are not sent (no backlog).
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 0 });
      expect(received).toEqual([]);
      const fresh = await register({ title: "关于邮件通知测试的建议" });
      await act(fresh, "reg", "assign", { handlerId: people.li.id }); // → li: 已分派给您
      const readFirst = await register({ title: "关于已读通知的建议" });
      await act(readFirst, "reg", "assign", { handlerId: people.li.id });
      const readNotice = (await listNotifications(h.db, people.li.id)).find((n) => n.proposalId === readFirst)!;
      await markRead(h.db, people.li.id, [readNotice.id]); // read in the app before the mail run: not mailed
      const r = await deliverPendingEmails(h.db);
      expect(r).toEqual({ sent: 1, failed: 0 });
      expect(received.join()).toContain("li@example.test");
      expect((await deliverPendingEmails(h.db)).sent).toBe(0); // each notice is mailed once

      // A delivery run that claimed a notice and stopped before sending it (its process ended):
      // the notice is not lost — its claim lapses and a later run mails it; a live claim is left alone.
      const crashed = await register({ title: "关于投递中断的建议" });
      await act(crashed, "reg", "assign", { handlerId: people.li.id });
      const crashedNotice = (await listNotifications(h.db, people.li.id)).find((n) => n.proposalId === crashed)!;
      await h.db.update(notifications).set({ emailClaimedAt: new Date() }).where(eq(notifications.id, crashedNotice.id));
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 0 });
      const mailsBefore = received.length;
      await h.db
        .update(notifications)
        .set({ emailClaimedAt: new Date(Date.now() - EMAIL_CLAIM_MS - 1000) })
        .where(eq(notifications.id, crashedNotice.id));
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 1, failed: 0 });
      expect(received.length).toBe(mailsBefore + 1);
      expect(received.at(-1)).toContain("li@example.test");
      expect((await deliverPendingEmails(h.db)).sent).toBe(0);

      // An address entered later gets what is created from then on, not the notices from before.
      await make("late", "handler");
      const before = await register({ title: "关于设置邮箱之前的建议" });
      await act(before, "reg", "assign", { handlerId: people.late.id });
      expect(userEmailSchemaCheck("not-an-address")).toBe(false);
      await setEmailIfChanged(h.db, people.late.id, "late@example.test");
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 0 });
      const after = await register({ title: "关于设置邮箱之后的建议" });
      await act(after, "reg", "assign", { handlerId: people.late.id });
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 1, failed: 0 });
      expect(received.at(-1)).toContain("late@example.test");
      // A notice made just before the account is disabled (someone who left) is not mailed to them.
      const leaving = await register({ title: "关于停用账号之前的建议" });
      await act(leaving, "reg", "assign", { handlerId: people.late.id });
      await h.db.update(users).set({ disabled: true }).where(eq(users.id, people.late.id));
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 0 });
    } finally {
      await sink.close();
    }

    // Mail server down: the workflow action still succeeds; delivery reports failures and throws nothing.
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    process.env.SMTP_URL = `smtp://127.0.0.1:${deadPort}`;
    resetMailTransport();
    try {
      const id2 = await register();
      await act(id2, "reg", "assign", { handlerId: people.li.id });
      expect((await getProposal(h.db, id2))!.state).toBe("assigned");
      const r = await deliverPendingEmails(h.db);
      expect(r.sent).toBe(0);
      expect(r.failed).toBeGreaterThan(0);
    } finally {
      delete process.env.SMTP_URL;
      resetMailTransport();
    }
  });

  it("a mailbox the mail server refuses (550) is not written to again, and its owner is told on 个人设置; a mail links only to a proposal its reader may open", async () => {
    await make("typo", "handler");
    await setEmailIfChanged(h.db, people.typo.id, "no-such-box@example.test");
    const sink = await startMailSink({ refuse: (a) => a.startsWith("no-such-box") });
    process.env.SMTP_URL = sink.url;
    resetMailTransport();
    try {
      await deliverPendingEmails(h.db); // what other tests left unmailed
      expect(await lastRefusedEmail(h.db, people.typo.id)).toBeNull();
      const id = await register({ title: "关于邮箱拒收的建议" });
      await act(id, "reg", "assign", { handlerId: people.typo.id });
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 1 });
      // not sent again by the next run (it was, on every run and after every action, for a day)
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 0 });
      expect(await lastRefusedEmail(h.db, people.typo.id)).toMatchObject({ error: expect.stringContaining("No such mailbox") });
      // a mail that reaches the address afterwards ends the warning (the mailbox was full, say)
      const [delivered] = await h.db
        .insert(notifications)
        .values({ userId: people.typo.id, kind: "test", message: "已送达的通知", emailedAt: new Date(Date.now() + 1000) })
        .returning({ id: notifications.id });
      expect(await lastRefusedEmail(h.db, people.typo.id)).toBeNull();
      await h.db.delete(notifications).where(eq(notifications.id, delivered!.id));
      expect(await lastRefusedEmail(h.db, people.typo.id)).not.toBeNull();
      // a corrected address starts afresh
      await setEmailIfChanged(h.db, people.typo.id, "typo@example.test");
      expect(await lastRefusedEmail(h.db, people.typo.id)).toBeNull();
      // a refused sender, or a relay refused at RCPT TO (Postfix: 554 5.7.1): the installation's
      // mistake, not the mailbox's — retried once mended
      const later = await register({ title: "关于发件人被拒的建议" });
      await act(later, "reg", "assign", { handlerId: people.typo.id });
      for (const misconfigured of [
        await startMailSink({ refuseSender: true }),
        await startMailSink({ refuse: () => true, refuseWith: { code: 554, message: "5.7.1 <typo@example.test>: Relay access denied" } }),
      ]) {
        process.env.SMTP_URL = misconfigured.url;
        resetMailTransport();
        expect(await deliverPendingEmails(h.db)).toEqual({ sent: 0, failed: 1 });
        await misconfigured.close();
      }
      process.env.SMTP_URL = sink.url;
      resetMailTransport();
      expect(await lastRefusedEmail(h.db, people.typo.id)).toBeNull();
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 1, failed: 0 });
      // a mail links only to a proposal its reader may open (after 改派 the former handler's did not)
      process.env.PUBLIC_URL = "https://proposals.example.test";
      resetMailTransport();
      const other = await register({ title: "关于他人承办提案的建议" });
      await act(other, "reg", "assign", { handlerId: people.li.id });
      await deliverPendingEmails(h.db);
      await notify(h.db, { userIds: [people.typo.id], proposalId: other, kind: "reassignment", message: "第X号提案已改派他人办理。" });
      await notify(h.db, { userIds: [people.typo.id], proposalId: id, kind: "due_soon", message: "第Y号提案即将到期。" });
      expect(await deliverPendingEmails(h.db)).toEqual({ sent: 2, failed: 0 });
      const mails = sink.received.slice(-2).join("\n");
      expect(mails).toContain(`/proposals/${id}`);
      expect(mails).not.toContain(`/proposals/${other}`);
    } finally {
      await sink.close();
      delete process.env.SMTP_URL;
      delete process.env.PUBLIC_URL;
      resetMailTransport();
    }
  });
});
