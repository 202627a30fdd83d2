/**
 * 征询意见: every proposer answers separately (each co-signing member, or the body); the least
 * satisfied answer decides, through the workflow's 登记征询意见 (不满意 → 再办理 with its own deadline).
 */
import { and, asc, desc, eq, ne, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, feedbackAnswers, letters, proposals, proposers, type FieldChange } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { cleanText, dateInputSchema } from "~/domain/proposal";
import { z } from "zod";
import { aggregateFeedback, FEEDBACK_LABELS, FEEDBACK_RESULTS, type FeedbackResult } from "~/domain/workflow";
import { FEEDBACK_RESTORED, label, transitionForFeedback, WorkflowRefusedError } from "./workflow.server";
import { recordEvent } from "./event.server";
import { DEADLINE_NOTICES, notify, resolveNotices } from "./notification.server";
import { replyPublishedSql, VersionConflictError } from "./proposal.server";
import { accessOf } from "~/domain/permissions";
import { replyNumbersOf } from "./reply-rounds.server";

export type FeedbackAnswer = { proposer: string; result: FeedbackResult; answeredOn: string; channel?: string | null; comment?: string | null };

export async function proposerNames(db: Db, proposalId: number): Promise<string[]> {
  const rows = await db.select({ name: proposers.name }).from(proposers).where(eq(proposers.proposalId, proposalId)).orderBy(asc(proposers.position));
  return rows.map((r) => r.name);
}

export async function recordFeedbackAnswers(
  db: Db,
  r: { proposalId: number; expectedVersion: number; actor: SessionUser; answers: FeedbackAnswer[]; today: string; assignedOn: string },
) {
  const names = await proposerNames(db, r.proposalId);
  const given = new Map(r.answers.map((a) => [a.proposer, a]));
  if (given.size !== r.answers.length) throw new WorkflowRefusedError("同一位提案者的意见登记了不止一次，请核对。");
  const missing = names.filter((n) => !given.has(n));
  if (missing.length) throw new WorkflowRefusedError(`请登记每位提案者的意见：还缺${missing.join("、")}。`);
  if (r.answers.some((a) => !names.includes(a.proposer))) throw new WorkflowRefusedError("意见中有不属于本提案的提案者。");
  // an answer is about the reply sent: not before that reply went out (after 再办理, the second one)
  const [sent] = await db.select({ repliedOn: proposals.repliedOn }).from(proposals).where(eq(proposals.id, r.proposalId));
  // every wrong date at once, each beside its own field (answers.N.answeredOn, as the form names them)
  const dateErrors: Record<string, string[]> = {};
  r.answers.forEach((a, i) => {
    const problem =
      a.answeredOn > r.today
        ? "意见日期不能晚于今天"
        : a.answeredOn < r.assignedOn
          ? "意见日期不能早于交办日期"
          : sent?.repliedOn && a.answeredOn < sent.repliedOn
            ? `意见日期不能早于本次答复的发出日期（${sent.repliedOn}）`
            : null;
    if (problem) dateErrors[`answers.${i}.answeredOn`] = [`${a.proposer}的${problem}。`];
  });
  const problems = Object.values(dateErrors).flat();
  if (problems.length) throw new WorkflowRefusedError(problems.join(""), undefined, dateErrors);
  const decided = aggregateFeedback(r.answers.map((a) => a.result))!;
  const [letter] = await db.select({ round: letters.round }).from(letters).where(eq(letters.proposalId, r.proposalId)).orderBy(desc(letters.round)).limit(1);
  const round = letter?.round ?? 1;
  const summary = r.answers.map((a) => `${a.proposer}：${FEEDBACK_LABELS[a.result]}`).join("；");
  // The transition first: it checks who may and when, and the version; the answers go with it or not at all.
  const result = await transitionForFeedback(db, {
    proposalId: r.proposalId,
    expectedVersion: r.expectedVersion,
    action: "record_feedback",
    actor: r.actor,
    input: {
      feedback: decided,
      comment: summary,
      dissatisfiedOn: r.answers.filter((a) => a.result === "dissatisfied").reduce<string | null>((min, a) => (min === null || a.answeredOn < min ? a.answeredOn : min), null),
    },
    today: r.today,
  });
  await db.insert(feedbackAnswers).values(
    r.answers.map((a) => ({
      proposalId: r.proposalId,
      round,
      proposer: a.proposer,
      result: a.result,
      answeredOn: a.answeredOn,
      channel: a.channel ? cleanText(a.channel) || null : null,
      comment: a.comment ? cleanText(a.comment) || null : null,
      recordedBy: r.actor.id,
    })),
  );
  return { decided, ...result };
}

/**
 * Whether the latest 登记征询意见 can still be corrected, and what it overwrote: nothing else may
 * have happened since (重新起草, a publication, a corrected 交办日期 …: the step is the proposal's
 * latest history entry), and its entry must keep what it overwrote (`restore`; registrations from
 * before it was kept can be corrected only when they closed the proposal: nothing but the state moved).
 */
export async function feedbackCorrectable(
  db: Db,
  proposalId: number,
): Promise<{ ok: true; eventActorId: string | null; before: Record<string, unknown> } | { ok: false; reason: string }> {
  const [[last], [p]] = await Promise.all([
    // a recomputation of deadlines (期限规则, 工作日历) is nobody's step on this proposal: it does not
    // stand in the way (the reply's own deadline does not move with the rules; a first reply's
    // recomputed deadline is kept — correctFeedback)
    db
      .select({ kind: events.kind, actorId: events.actorId, restore: events.restore })
      .from(events)
      .where(and(eq(events.proposalId, proposalId), ne(events.kind, "deadline_recomputed")))
      .orderBy(desc(events.id))
      .limit(1),
    db.select({ state: proposals.state, bureauRole: proposals.bureauRole, published: replyPublishedSql }).from(proposals).where(eq(proposals.id, proposalId)),
  ]);
  if (last?.kind !== "record_feedback" || !p || p.bureauRole === "co" || (p.state !== "closed" && p.state !== "rehandling"))
    return { ok: false, reason: "登记征询意见之后已有其他办理（见办理历史），不能再更正这次登记。" };
  if (last.restore) return { ok: true, eventActorId: last.actorId, before: last.restore };
  if (p.state !== "closed") return { ok: false, reason: "这次不满意登记于系统升级之前，未保存转入再办理前的答复日期和期限，不能自动更正。" };
  return { ok: true, eventActorId: last.actorId, before: { state: p.published ? "published" : "replied", feedback: null } };
}

/**
 * 更正征询意见: the latest registration was wrong (a 满意 that closed the proposal of a dissatisfied
 * member; a 不满意 that started 再办理 by mistake). Its effects are taken back — state, reply date,
 * deadlines, the first reply kept, its answers — with the reason in the history, and the corrected
 * answers are registered as 登记征询意见 is (不满意 → 再办理 with its own deadline, and the notice).
 * Those who register for any proposal may correct; a handler only what they registered.
 */
export async function correctFeedback(
  db: Db,
  r: { proposalId: number; expectedVersion: number; actor: SessionUser; answers: FeedbackAnswer[]; reason: string; today: string; assignedOn: string },
) {
  const reason = cleanText(r.reason);
  if (!reason) throw new WorkflowRefusedError("请填写更正原因。", "reason");
  const [p] = await db
    .select({ version: proposals.version, number: proposals.number, handlerId: proposals.handlerId, ...FEEDBACK_RESTORED })
    .from(proposals)
    .where(eq(proposals.id, r.proposalId))
    .for("update");
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  const correctable = await feedbackCorrectable(db, r.proposalId);
  if (!correctable.ok) throw new WorkflowRefusedError(correctable.reason);
  const scope = accessOf(r.actor, "proposal.record_feedback");
  if (scope !== "any" && !(scope === "own" && p.handlerId === r.actor.id && correctable.eventActorId === r.actor.id))
    throw new WorkflowRefusedError(scope === "own" ? "只能更正本人登记的征询意见。" : "您不能更正征询意见。");
  const before = pick(correctable.before);
  // the first reply was kept before this registration: its deadline as recomputed since stays
  if (before.firstRepliedOn != null) delete before.firstDue;
  const changes: FieldChange[] = [];
  const shown = (v: unknown) => (v == null ? null : String(v));
  if (before.state !== p.state) changes.push({ field: "state", label: "状态", from: label(p.state), to: label(String(before.state)) });
  if ((before.feedback ?? null) !== p.feedback)
    changes.push({
      field: "feedback",
      label: "提案者意见",
      from: p.feedback ? FEEDBACK_LABELS[p.feedback] : null,
      to: before.feedback ? FEEDBACK_LABELS[before.feedback as FeedbackResult] : null,
    });
  if ((before.repliedOn ?? p.repliedOn) !== p.repliedOn) changes.push({ field: "repliedOn", label: "答复日期", from: shown(p.repliedOn), to: shown(before.repliedOn) });
  const dueOf = (x: { due?: unknown; extendedDue?: unknown }) => shown(x.extendedDue ?? x.due);
  if ("due" in before && dueOf(before) !== dueOf(p)) changes.push({ field: "due", label: "办理期限", from: dueOf(p), to: dueOf(before) });
  const restored = await db
    .update(proposals)
    .set({ ...before, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(and(eq(proposals.id, r.proposalId), eq(proposals.version, r.expectedVersion)))
    .returning({ id: proposals.id });
  if (!restored.length) throw new VersionConflictError();
  const [letter] = await db.select({ round: letters.round }).from(letters).where(eq(letters.proposalId, r.proposalId)).orderBy(desc(letters.round)).limit(1);
  await db.delete(feedbackAnswers).where(and(eq(feedbackAnswers.proposalId, r.proposalId), eq(feedbackAnswers.round, letter?.round ?? 1)));
  // 须再办理 and the 再办理 deadline's reminders no longer hold (a 不满意 again tells the handler anew)
  await resolveNotices(db, { proposalId: r.proposalId, kinds: ["feedback", ...DEADLINE_NOTICES], dateMoved: changes.some((c) => c.field === "due") });
  await recordEvent(db, { proposalId: r.proposalId, actorId: r.actor.id, kind: "feedback_corrected", comment: reason, changes });
  const result = await recordFeedbackAnswers(db, { ...r, expectedVersion: r.expectedVersion + 1 });
  // 再办理 taken back: the handler told to re-handle is told it is off (a 不满意 again tells them anew)
  if (p.state === "rehandling" && result.decided !== "dissatisfied" && p.handlerId)
    await notify(db, {
      proposalId: r.proposalId,
      userIds: [p.handlerId],
      kind: "feedback",
      message: `第${p.number}号提案的提案者意见已更正为${FEEDBACK_LABELS[result.decided]}，无须再办理（${reason}）。`,
    });
  return result;
}

/** Only the columns 登记征询意见 changes, whatever an entry kept. */
function pick(before: Record<string, unknown>): Partial<typeof proposals.$inferInsert> {
  return Object.fromEntries(Object.entries(before).filter(([k]) => Object.hasOwn(FEEDBACK_RESTORED, k))) as Partial<typeof proposals.$inferInsert>;
}

/** The answers, each with the reply it was about (`reply`: 1 for the first, 2 after 再办理 …; a 更正 does not count). */
export async function listFeedbackAnswers(db: Db, proposalId: number) {
  const [rows, numbers] = await Promise.all([
    db
      .select()
      .from(feedbackAnswers)
      .where(and(eq(feedbackAnswers.proposalId, proposalId)))
      .orderBy(asc(feedbackAnswers.round), asc(feedbackAnswers.id)),
    replyNumbersOf(db, proposalId),
  ]);
  return rows.map((r) => ({ ...r, reply: numbers.get(r.round) ?? r.round }));
}

const answerSchema = z.object({
  proposer: z.string().trim().min(1).max(200),
  result: z.enum(FEEDBACK_RESULTS, { error: "请选择意见（满意、基本满意或不满意）" }),
  // a real calendar day (2025-02-30 reached the database and failed there), typed in any usual form
  answeredOn: z.string({ error: "请填写意见日期" }).pipe(dateInputSchema),
  channel: z.string().max(100, "方式过长").optional(),
  comment: z.string().max(1000, "说明过长").optional(),
});

/** The 登记征询意见 form's fields (answers.0.result …) → answers, or field errors by field name. */
export function readFeedbackForm(raw: Record<string, string>): { ok: true; version: number; answers: FeedbackAnswer[] } | { ok: false; fieldErrors: Record<string, string> } {
  const byIndex = new Map<number, Record<string, string>>();
  for (const [k, v] of Object.entries(raw)) {
    const m = /^answers\.(\d{1,3})\.(proposer|result|answeredOn|channel|comment)$/.exec(k);
    if (!m) continue;
    const i = Number(m[1]);
    byIndex.set(i, { ...(byIndex.get(i) ?? {}), [m[2]!]: v });
  }
  const fieldErrors: Record<string, string> = {};
  const answers: FeedbackAnswer[] = [];
  for (const [i, a] of [...byIndex.entries()].sort(([x], [y]) => x - y)) {
    const parsed = answerSchema.safeParse(Object.fromEntries(Object.entries(a).filter(([, v]) => v !== "")));
    if (parsed.success) answers.push(parsed.data);
    else for (const issue of parsed.error.issues) fieldErrors[`answers.${i}.${String(issue.path[0])}`] ??= issue.message;
  }
  const version = Number(raw.version);
  if (!Number.isInteger(version)) fieldErrors.version = "请求无效，请刷新页面后重试。";
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : { ok: true, version, answers };
}
