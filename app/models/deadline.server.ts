/**
 * Deadlines as stored facts: computed from 交办日期 + the batch's rules + the official calendar
 * when a proposal is registered or its dates change, recomputed when an admin changes the rules
 * or the calendar. Listing computes days left against today (Asia/Shanghai).
 */
import { takeTurn } from "./locks.server";
import { recordEvent } from "./event.server";
import type { FieldChange } from "#db/schema";
import { config } from "~/config.server";
import { and, asc, eq, inArray, isNull, lt, max, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, extensions, notifications, proposals, users } from "#db/schema";
import { isoDateInTimeZone, type WorkCalendar } from "~/domain/calendar";
import {
  CALENDAR_DOUBT_PREFIX,
  computeDueDates,
  deadlineDoubts,
  deadlineNotes,
  DEFAULT_DEADLINE_RULES,
  deadlineRulesSchema,
  deadlineStatus,
  type DeadlineRules,
} from "~/domain/deadlines";
import { memo } from "~/domain/memo";
import type { BureauRole } from "~/domain/proposal";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";
import { loadCalendar } from "./calendar.server";
import { DEADLINE_NOTICES, notify, resolveNotices } from "./notification.server";
import { sameMeeting } from "./meeting.server";
import { DISSATISFIED_CHANGE, firstRehandlingAt } from "./reply-rounds.server";

export function today(): string {
  return config().APP_TODAY ?? isoDateInTimeZone(new Date(), "Asia/Shanghai");
}

// Every listed row carries its batch's rules (a handful of distinct values): validated once per
// distinct value, not once per row (zod was ~2 % of the home page's CPU). Frozen, as they are shared.
const rulesOfJson = memo((json: string): DeadlineRules => {
  const parsed = deadlineRulesSchema.safeParse(JSON.parse(json));
  const rules = parsed.success ? parsed.data : { ...DEFAULT_DEADLINE_RULES };
  Object.freeze(rules.reminderDays);
  return Object.freeze(rules);
}, 100_000);

export function rulesOf(raw: unknown): DeadlineRules {
  return rulesOfJson(JSON.stringify(raw ?? DEFAULT_DEADLINE_RULES));
}

export async function getBatchRules(db: Db, batchId: number): Promise<DeadlineRules> {
  const [row] = await db.select({ rules: batches.rules }).from(batches).where(eq(batches.id, batchId));
  return rulesOf(row?.rules);
}

export function deadlineColumns(p: { assignedOn: string; bureauRole: BureauRole; rehandlingFrom?: string | null }, calendar: WorkCalendar, rules: DeadlineRules) {
  const d = computeDueDates({ assignedOn: p.assignedOn, bureauRole: p.bureauRole, rules, calendar, rehandlingFrom: p.rehandlingFrom ?? null });
  return {
    replyDue: d.replyDue,
    coHandlingDue: d.coHandlingDue ?? null,
    due: d.due,
    reassignmentWindowEnds: d.reassignmentWindowEnds === "unknown" ? null : d.reassignmentWindowEnds,
    dueWarnings: d.warnings,
  };
}

/** Everything deadline computation needs, loaded once for a batch of registrations. */
export type DeadlineContext = { calendar: WorkCalendar; rulesFor: (batchId: number) => Promise<DeadlineRules> };

export async function deadlineContext(db: Db): Promise<DeadlineContext> {
  // Whoever computes deadlines takes turns (until their transaction ends): a registration or an
  // edit of 交办日期 waits for a recompute (a calendar or rules change) to commit and then reads the
  // new calendar, and a recompute waits for them and then sees their proposals — neither keeps a
  // deadline computed from what the other was replacing.
  await takeTurn(db, "deadlines");
  const calendar = await loadCalendar(db);
  const cache = new Map<number, DeadlineRules>();
  return {
    calendar,
    rulesFor: async (batchId) => {
      if (!cache.has(batchId)) cache.set(batchId, await getBatchRules(db, batchId));
      return cache.get(batchId)!;
    },
  };
}

/** The date a proposal is answered by: an extension's when one holds (as `effectiveDue` in SQL). */
export function dueInForce(p: { due: string | null; extendedDue: string | null }): string | null {
  return p.extendedDue ?? p.due;
}

/**
 * After 再办理 the first reply's deadline is kept apart (`firstDue`, for 按时/超期 in the statistics):
 * the deadline without the 再办理, or an extension granted before the first 不满意 if that is later
 * (the later rounds' extensions, one granted the day 再办理 began too, are not the first reply's).
 */
export async function firstReplyDue(
  db: Db,
  p: { id: number; assignedOn: string; bureauRole: BureauRole; rehandlingFrom: string },
  calendar: WorkCalendar,
  rules: DeadlineRules,
): Promise<string | null> {
  const base = deadlineColumns({ ...p, rehandlingFrom: null }, calendar, rules).due;
  // the first 不满意, not rehandlingFrom: a second 再办理 moves that
  const firstRehandling = (await firstRehandlingAt(db, p.id)) ?? new Date(`${p.rehandlingFrom}T00:00:00+08:00`);
  const [ext] = await db
    .select({ newDue: max(extensions.newDue) })
    .from(extensions)
    .where(and(eq(extensions.proposalId, p.id), eq(extensions.status, "approved"), lt(extensions.decidedAt, firstRehandling)));
  return ext?.newDue && (!base || ext.newDue > base) ? ext.newDue : base;
}

/**
 * The latest date an extension of each proposal's current round granted (approved after the last
 * 不满意 that began a 再办理, if any): kept in the extensions, so that a deadline moved past it and
 * back — a 交办日期 corrected twice, a rule changed and restored — finds it again. (Only the stored
 * `extended_due` held it, nulled when the deadline passed it: an approved extension was lost.)
 */
export async function grantedExtensions(db: Db, proposalIds: number[]): Promise<Map<number, string>> {
  if (!proposalIds.length) return new Map();
  const rows = await db
    .select({ proposalId: extensions.proposalId, newDue: max(extensions.newDue) })
    .from(extensions)
    .where(
      and(
        inArray(extensions.proposalId, proposalIds),
        eq(extensions.status, "approved"),
        sql`${extensions.decidedAt} >= coalesce((select max(ev.at) from events ev where ev.proposal_id = ${extensions.proposalId} and ev.kind = 'record_feedback'
          and ev.changes @> ${DISSATISFIED_CHANGE}::jsonb), '-infinity'::timestamptz)`,
      ),
    )
    .groupBy(extensions.proposalId);
  return new Map(rows.filter((r) => r.newDue).map((r) => [r.proposalId, r.newDue!]));
}

/**
 * The extension in force against a newly computed deadline: the latest granted one (or the stored
 * one) when it is later than the deadline, else none; and the history line when that changes.
 */
export function extensionAgainst(p: { extendedDue: string | null; granted: string | null | undefined; due: string | null }): {
  extendedDue: string | null;
  change: FieldChange | null;
} {
  const granted =
    [p.extendedDue, p.granted]
      .filter((d): d is string => Boolean(d))
      .sort()
      .at(-1) ?? null;
  const extendedDue = granted && p.due && granted > p.due ? granted : null;
  if (extendedDue === p.extendedDue) return { extendedDue, change: null };
  const label = "延期后的期限";
  return {
    extendedDue,
    change: extendedDue
      ? { field: "extendedDue", label, from: p.extendedDue, to: `${extendedDue}（已批准的延期晚于新的办理期限 ${p.due}，重新适用）` }
      : { field: "extendedDue", label, from: p.extendedDue, to: `不再适用（新的办理期限 ${p.due} 更晚）` },
  };
}

export type DeadlineMove = {
  proposalId: number;
  number: string;
  state: string;
  handlerId: string | null;
  from: string | null;
  to: string | null;
  why: string;
  actorId?: string | null;
};

/** More moves than this for one handler at once (a calendar or rules change) are told in one notice. */
export const DEADLINE_DIGEST_AFTER = 3;
/** Proposals named in that notice; the rest are counted. */
const DIGEST_NAMED = 20;

/**
 * The date a proposal's handler works to moved (`from` → `to`): reminders about the old date are
 * over (the next run reminds by the new one), and an open proposal's handler is told when someone
 * else moved it (a 交办日期 corrected, a rules or calendar change) — it moved silently before, and
 * their reminders just stopped. Nothing when the date in force did not move (an extension holds).
 */
export async function deadlineMoved(db: Db, move: DeadlineMove) {
  await deadlinesMoved(db, [move]);
}

/**
 * Several deadlines moved by one change. A handler with more than DEADLINE_DIGEST_AFTER of them
 * gets one notice listing them: a calendar change once sent one notice (and one e-mail) for each of
 * a handler's hundreds of proposals.
 */
export async function deadlinesMoved(db: Db, moves: readonly DeadlineMove[]) {
  const moved = moves.filter((m) => m.from !== m.to);
  const byHandler = new Map<string, DeadlineMove[]>();
  for (const m of moved) {
    if (!m.handlerId || m.handlerId === m.actorId || (CLOCK_STOPPED_STATES as readonly string[]).includes(m.state)) continue;
    byHandler.set(m.handlerId, [...(byHandler.get(m.handlerId) ?? []), m]);
  }
  // First an earlier digest still unread whose every proposal a new one lists again: replaced by it
  // (已有新提醒, no longer counted or mailed). Then what else said these dates: 不再适用 — a digest
  // listing some of them among others included (resolveNotices).
  for (const [handlerId, list] of byHandler) if (list.length > DEADLINE_DIGEST_AFTER) await supersedeDigests(db, handlerId, list);
  for (const m of moved) {
    await resolveNotices(db, { proposalId: m.proposalId, kinds: DEADLINE_NOTICES, dateMoved: true });
    // A request still pending for a date the deadline now reaches asks for nothing: it lapses, off the
    // leaders' lists (it stayed 待审批 "2026-12-02 → 2026-12-20" with the deadline at 12-25).
    if (m.to) {
      const lapsed = await db
        .update(extensions)
        .set({ status: "lapsed", decidedAt: new Date(), decisionComment: `办理期限已调整为 ${m.to}，不早于申请延期的日期，延期申请自动失效` })
        .where(and(eq(extensions.proposalId, m.proposalId), eq(extensions.status, "requested"), sql`${extensions.newDue} <= ${m.to}::date`))
        .returning({ id: extensions.id, newDue: extensions.newDue });
      if (lapsed.length) {
        await resolveNotices(db, { proposalId: m.proposalId, kinds: ["extension"] });
        // the one who asked is told (a date that moves back leaves them without the request)
        if (m.handlerId && m.handlerId !== m.actorId)
          await notify(db, {
            proposalId: m.proposalId,
            userIds: [m.handlerId],
            kind: "extension_decided",
            message: `第${m.number}号提案的延期申请（至 ${lapsed.map((l) => l.newDue).join("、")}）已自动失效：办理期限已调整为 ${m.to}，不早于申请的日期。期限若再提前，请重新申请。`,
          });
      }
    }
  }
  const change = (m: DeadlineMove) => `${m.from ?? "未定"} 改为 ${m.to ?? "未定"}`;
  for (const [handlerId, list] of byHandler) {
    if (list.length <= DEADLINE_DIGEST_AFTER) {
      for (const m of list)
        await notify(db, {
          proposalId: m.proposalId,
          userIds: [handlerId],
          kind: "deadline_changed",
          message: `第${m.number}号提案的办理期限已由 ${change(m)}（${m.why}）。`,
        });
      continue;
    }
    const named = list.slice(0, DIGEST_NAMED).map((m) => `第${m.number}号 ${change(m)}`);
    const rest = list.length > DIGEST_NAMED ? `；另有 ${list.length - DIGEST_NAMED} 件，见提案列表` : "";
    await notify(db, {
      proposalId: null,
      userIds: [handlerId],
      kind: "deadline_changed",
      message: `您承办的 ${list.length} 件提案办理期限已变更（${list[0]!.why}）：${named.join("；")}${rest}。`,
      coveredProposalIds: list.map((m) => m.proposalId),
    });
  }
}

/**
 * An earlier digest still unread whose every proposal this one lists again holds dates no longer
 * true: this one replaces it. One about other proposals stays as it is — a change to another
 * 会议's rules said nothing about its dates.
 */
async function supersedeDigests(db: Db, handlerId: string, list: readonly DeadlineMove[]) {
  const covered = list.map((m) => m.proposalId);
  await db
    .update(notifications)
    .set({ supersededAt: new Date() })
    .where(
      and(
        eq(notifications.userId, handlerId),
        eq(notifications.kind, "deadline_changed"),
        isNull(notifications.proposalId),
        isNull(notifications.readAt),
        isNull(notifications.resolvedAt),
        isNull(notifications.supersededAt),
        // (a digest from before the proposals were kept — migration 0032 — is replaced as it was then)
        or(isNull(notifications.coveredProposalIds), sql`${notifications.coveredProposalIds} <@ ${sql.raw(`'{${covered.map(Number).join(",")}}'::int[]`)}`),
      ),
    );
}

/**
 * Recompute the stored due dates of open proposals (all, or one batch) — and, after a calendar
 * change, of answered ones whose deadline fell in a year the calendar did not cover then: their
 * 按时/超期 waited for that year.
 * Every moved deadline is written in that proposal's history with the reason; an extension stays
 * unless the new deadline is later still (then the later one holds, and the history says so) and
 * holds again when the deadline comes back before it (extensionAgainst).
 */
export async function recomputeDeadlines(
  db: Db,
  opts: {
    batchId?: number;
    reason?: string;
    actorId?: string | null;
    /**
     * After a calendar change: answered proposals whose deadline was in doubt too. Not after a rules
     * change — the batch's other answered proposals keep the rules they were answered under.
     */
    answeredInDoubt?: boolean;
  } = {},
) {
  const ctx = await deadlineContext(db);
  const answered = CLOCK_STOPPED_STATES.filter((s) => s !== "transferred_out");
  const open = notInArray(proposals.state, [...CLOCK_STOPPED_STATES]);
  const where: SQL[] = [
    opts.answeredInDoubt ? or(open, and(inArray(proposals.state, [...answered]), sql`${proposals.dueWarnings}::text like ${`%${CALENDAR_DOUBT_PREFIX}%`}`))! : open,
  ];
  if (opts.batchId) where.push(eq(proposals.batchId, opts.batchId));
  const rows = await db
    .select({
      id: proposals.id,
      number: proposals.number,
      handlerId: proposals.handlerId,
      batchId: proposals.batchId,
      state: proposals.state,
      assignedOn: proposals.assignedOn,
      bureauRole: proposals.bureauRole,
      rehandlingFrom: proposals.rehandlingFrom,
      due: proposals.due,
      firstDue: proposals.firstDue,
      extendedDue: proposals.extendedDue,
      reassignmentWindowEnds: proposals.reassignmentWindowEnds,
    })
    .from(proposals)
    .where(and(...where))
    .orderBy(proposals.id); // a handler's digest of moved deadlines lists them in registration order
  const granted = await grantedExtensions(
    db,
    rows.map((r) => r.id),
  );
  const moves: DeadlineMove[] = [];
  for (const r of rows) {
    const rules = await ctx.rulesFor(r.batchId);
    const cols: Record<string, unknown> = deadlineColumns(r, ctx.calendar, rules);
    const changes: FieldChange[] = [];
    if (cols.due !== r.due) changes.push({ field: "due", label: "办理期限", from: r.due, to: cols.due as string });
    // the first reply's deadline, like the answered ones, moves with the calendar, not with the rules
    if (opts.answeredInDoubt && r.firstDue && r.rehandlingFrom) {
      const firstDue = await firstReplyDue(db, { ...r, rehandlingFrom: r.rehandlingFrom }, ctx.calendar, rules);
      if (firstDue && firstDue !== r.firstDue) {
        cols.firstDue = firstDue;
        changes.push({ field: "firstDue", label: "首次答复期限", from: r.firstDue, to: firstDue });
      }
    }
    if (cols.reassignmentWindowEnds !== r.reassignmentWindowEnds)
      changes.push({ field: "reassignmentWindowEnds", label: "申请调整截止", from: r.reassignmentWindowEnds, to: (cols.reassignmentWindowEnds as string | null) ?? "无法计算" });
    const extension = extensionAgainst({ extendedDue: r.extendedDue, granted: granted.get(r.id), due: cols.due as string | null });
    if (extension.change) {
      cols.extendedDue = extension.extendedDue;
      changes.push(extension.change);
    }
    await db.update(proposals).set(cols).where(eq(proposals.id, r.id));
    if (changes.length) await recordEvent(db, { proposalId: r.id, actorId: opts.actorId ?? null, kind: "deadline_recomputed", comment: opts.reason ?? "重新计算期限", changes });
    moves.push({
      proposalId: r.id,
      number: r.number,
      state: r.state,
      handlerId: r.handlerId,
      from: dueInForce(r),
      to: dueInForce({ due: cols.due as string, extendedDue: "extendedDue" in cols ? (cols.extendedDue as string | null) : r.extendedDue }),
      why: opts.reason ?? "重新计算期限",
      actorId: opts.actorId,
    });
    // "延期已批准，新期限 …" is no longer the date in force
    if ("extendedDue" in cols) await resolveNotices(db, { proposalId: r.id, kinds: ["extension_decided"] });
  }
  await deadlinesMoved(db, moves);
  return rows.length;
}

/**
 * The batch's row, locked for the transaction: a rules change checks and writes without another in
 * between. The deadlines' turn comes first (advisory locks before row locks): a registration holds
 * that turn and then needs the batch row for its foreign key, so the other order deadlocked.
 */
export async function lockBatch(db: Db, batchId: number) {
  await takeTurn(db, "deadlines");
  await db.select({ id: batches.id }).from(batches).where(eq(batches.id, batchId)).for("update");
}

export async function setBatchRules(db: Db, batchId: number, rules: DeadlineRules, actorId: string | null = null) {
  await db.update(batches).set({ rules }).where(eq(batches.id, batchId));
  return recomputeDeadlines(db, { batchId, reason: "期限规则调整", actorId });
}

export async function listBatches(db: Db) {
  const rows = await db
    .select({
      id: batches.id,
      meeting: batches.meeting,
      rules: batches.rules,
      // a join, not a correlated subquery: drizzle writes a one-table query's columns unqualified,
      // and `"id"` inside `(select … from proposals p where p.batch_id = "id")` was p.id (every 会议 counted 1)
      proposals: sql<number>`count(${proposals.id})::int`,
      firstAssigned: sql<string | null>`min(${proposals.assignedOn})::text`,
      lastAssigned: sql<string | null>`max(${proposals.assignedOn})::text`,
    })
    .from(batches)
    .leftJoin(proposals, eq(proposals.batchId, batches.id))
    .groupBy(batches.id)
    .orderBy(asc(batches.id));
  return rows.map((r) => ({ ...r, proposals: Number(r.proposals), rules: rulesOf(r.rules), customised: r.rules != null }));
}

export const effectiveDue = sql<string>`coalesce(${proposals.extendedDue}, ${proposals.due})`;

/** The columns a list row needs to show its deadline (proposalDeadline): one selection for every list. */
export const deadlineSelection = {
  due: proposals.due,
  extendedDue: proposals.extendedDue,
  repliedOn: proposals.repliedOn,
  dueWarnings: proposals.dueWarnings,
  /** The batch's rules: "due soon" starts at its first reminder, as on the proposal's page. */
  batchRules: batches.rules,
};

export type DeadlineRow = {
  id: number;
  meeting: string;
  number: string;
  title: string;
  bureauRole: BureauRole;
  state: string;
  handlerName: string | null;
  due: string;
  daysLeft: number;
  level: "ok" | "soon" | "overdue" | "done";
  kind: "reply" | "co_handling";
  /** The deadline is a 再办理's (the proposer was 不满意): its own reply, named so in the calendar. */
  rehandling: boolean;
  repliedOn: string | null;
  /** Unknown-year warnings: the date may fall on a holiday nobody has entered yet. */
  doubts: string[];
  /** The exports' 期限提示: the doubts, and the rest-day notes of a running deadline (deadlineNotes). */
  notes: string[];
};

/**
 * Proposals (and 会办 tasks) with a due date, soonest first: open ones, or with `includeFinished`
 * also those answered, closed or transferred. `where` narrows further (the list's filters).
 */
export async function listDeadlines(
  db: Db,
  f: { today: string; dueWithin?: number; handlerId?: string; meeting?: string; ids?: number[]; includeFinished?: boolean; where?: SQL[]; limit?: number },
): Promise<DeadlineRow[]> {
  const where: SQL[] = [sql`${effectiveDue} is not null`, ...(f.where ?? [])];
  if (!f.includeFinished) where.push(notInArray(proposals.state, [...CLOCK_STOPPED_STATES]));
  if (f.handlerId) where.push(eq(proposals.handlerId, f.handlerId));
  if (f.meeting) where.push(sameMeeting(f.meeting));
  if (f.ids) where.push(f.ids.length ? inArray(proposals.id, f.ids) : sql`false`);
  if (f.dueWithin !== undefined) where.push(sql`${effectiveDue} <= (${f.today}::date + ${f.dueWithin}::int)`);
  const rows = await db
    .select({
      id: proposals.id,
      meeting: batches.meeting,
      number: proposals.number,
      title: proposals.title,
      bureauRole: proposals.bureauRole,
      state: proposals.state,
      handlerName: users.displayName,
      due: effectiveDue,
      repliedOn: proposals.repliedOn,
      rules: batches.rules,
      dueWarnings: proposals.dueWarnings,
      extended: sql<boolean>`${proposals.extendedDue} is not null`,
      rehandling: sql<boolean>`${proposals.rehandlingFrom} is not null`,
    })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(users, eq(users.id, proposals.handlerId))
    .where(and(...where))
    .orderBy(asc(effectiveDue), asc(proposals.id))
    .limit(f.limit ?? 1_000_000);
  return rows.map(({ rules, dueWarnings, extended, ...r }) => {
    const finished = r.state === "transferred_out" || (CLOCK_STOPPED_STATES as readonly string[]).includes(r.state);
    const s = deadlineStatus({ due: r.due, today: f.today, repliedOn: finished ? r.repliedOn : null, soonDays: rulesOf(rules).reminderDays[0] ?? 15 });
    const check = {
      warnings: dueWarnings,
      extended: Boolean(extended),
      answered: finished,
      onTime: s.onTime,
      earlierOnRestDay: rulesOf(rules).dueOnRestDay === "previous_working_day",
    };
    return {
      ...r,
      daysLeft: s.daysLeft,
      level: finished ? "done" : s.level,
      kind: r.bureauRole === "co" ? "co_handling" : "reply",
      doubts: deadlineDoubts(check),
      notes: deadlineNotes(check),
    };
  });
}

/** Deadline status for one proposal's page or list cell. */
export function proposalDeadline(p: {
  due: string | null;
  extendedDue: string | null;
  repliedOn: string | null;
  state: string;
  dueWarnings?: string[] | null;
  batchRules?: unknown;
}) {
  const soonDays = rulesOf(p.batchRules).reminderDays[0] ?? DEFAULT_DEADLINE_RULES.reminderDays[0];
  const due = p.extendedDue ?? p.due;
  if (!due) return null;
  if (p.state === "transferred_out") return null;
  const status = deadlineStatus({ due, today: today(), repliedOn: p.repliedOn, soonDays });
  const doubts = deadlineDoubts({
    warnings: p.dueWarnings,
    extended: Boolean(p.extendedDue),
    answered: Boolean(p.repliedOn),
    onTime: status.onTime,
    earlierOnRestDay: rulesOf(p.batchRules).dueOnRestDay === "previous_working_day",
  });
  return { due, ...status, doubts };
}
