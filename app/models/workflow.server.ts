/**
 * Workflow transitions as stored changes (延期 in extension.server.ts, 会办单位 in co-unit.server.ts). The rules live in
 * ~/domain/workflow (checkTransition); this module loads the facts, applies the change with an
 * optimistic version check, and writes history and notifications in the same transaction.
 */
import { deadlineColumns, deadlineContext } from "./deadline.server";
import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, extensions, letterRevisions, letters, paragraphUses, proposals, users } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { isReassignmentWindowOpen } from "~/domain/deadlines";
import { cleanText } from "~/domain/proposal";
import {
  checkTransition,
  DISCLOSURE_LABELS,
  FEEDBACK_LABELS,
  publishesLatestReply,
  STATE_LABELS,
  type Disclosure,
  type FeedbackResult,
  type ProposalState,
  type WorkflowAction,
  type WorkflowContext,
} from "~/domain/workflow";
import type { FieldChange } from "#db/schema";
import { recordEvent } from "./event.server";
import { recordPublication } from "./publication.server";
import { DEADLINE_NOTICES, type NoticeKind, notify, resolveNotices, userIdsWhoMay } from "./notification.server";
import { earlierReplyToPublishSql, replyPublishedSql, replyWithdrawnSql, VersionConflictError } from "./proposal.server";
import { getSetting, SETTING_KEYS, setSetting } from "./settings.server";

export class WorkflowRefusedError extends Error {
  /** The form field the refusal is about, when it is about one (shown beside it). */
  readonly field?: string;
  /** Several fields at once (an incomplete draft at 提交签发): each message beside its own field. */
  readonly fieldErrors?: Record<string, string[]>;
  constructor(message: string, field?: string, fieldErrors?: Record<string, string[]>) {
    super(message);
    this.name = "WorkflowRefusedError";
    this.field = field;
    this.fieldErrors = fieldErrors;
  }
}

export type ActionInput = {
  comment?: string | null;
  handlerId?: string | null;
  handlerPhone?: string | null;
  receivingUnit?: string | null;
  feedback?: FeedbackResult | null;
  /** record_feedback 不满意: the day the proposer said so (the earliest such answer); the 再办理 clock starts there. */
  dissatisfiedOn?: string | null;
  disclosure?: Disclosure | null;
  disclosureReason?: string | null;
  repliedOn?: string | null;
  channel?: string | null;
};

export async function loadForWorkflow(db: Db, id: number) {
  const [row] = await db
    .select({
      id: proposals.id,
      number: proposals.number,
      meeting: batches.meeting,
      state: proposals.state,
      version: proposals.version,
      bureauRole: proposals.bureauRole,
      handlerId: proposals.handlerId,
      handlerPhone: proposals.handlerPhone,
      handlerName: users.displayName,
      disclosure: proposals.disclosure,
      disclosureReason: proposals.disclosureReason,
      assignedOn: proposals.assignedOn,
      batchId: proposals.batchId,
      due: proposals.due,
      extendedDue: proposals.extendedDue,
      repliedOn: proposals.repliedOn,
      firstRepliedOn: proposals.firstRepliedOn,
      // The 成文日期 of the latest signed letter: a reply is not sent before it was signed.
      signedOn: sql<string | null>`(select l.final_letter->>'date' from ${letters} l where l.proposal_id = ${proposals.id} and l.state = 'signed' order by l.round desc limit 1)`,
      reassignmentWindowEnds: proposals.reassignmentWindowEnds,
      stateBeforeReassignment: proposals.stateBeforeReassignment,
      replyPublished: replyPublishedSql,
      replyWithdrawn: replyWithdrawnSql,
      earlierReplyToPublish: earlierReplyToPublishSql,
    })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(users, eq(users.id, proposals.handlerId))
    .where(eq(proposals.id, id));
  return row ?? null;
}

export function workflowContext(
  p: {
    state: string;
    bureauRole: "lead" | "co" | "split";
    handlerId: string | null;
    disclosure: string | null;
    reassignmentWindowEnds: string | null;
    stateBeforeReassignment: string | null;
    replyPublished?: boolean;
    replyWithdrawn?: boolean;
    earlierReplyToPublish?: boolean;
  },
  actor: Pick<SessionUser, "id" | "role">,
  today: string,
): WorkflowContext {
  return {
    state: p.state as ProposalState,
    bureauRole: p.bureauRole,
    assignedHandlerId: p.handlerId,
    actor: { id: actor.id, role: actor.role },
    disclosure: (p.disclosure as Disclosure | null) ?? null,
    reassignmentWindowOpen: isReassignmentWindowOpen(p.reassignmentWindowEnds ?? "unknown", today),
    reassignmentWindowEnds: p.reassignmentWindowEnds,
    stateBeforeReassignment: (p.stateBeforeReassignment as ProposalState | null) ?? null,
    replyPublished: p.replyPublished ?? false,
    replyWithdrawn: p.replyWithdrawn ?? false,
    earlierReplyToPublish: p.earlierReplyToPublish ?? false,
  };
}

export const label = (s: string | null) => (s ? (STATE_LABELS[s as ProposalState] ?? s) : null);

type ActionRequest = { proposalId: number; expectedVersion: number; action: WorkflowAction; actor: SessionUser; input: ActionInput; today: string };

/** Actions that are about the letter itself: the letter module checks, numbers and freezes it, then moves the proposal. */
const LETTER_ACTIONS: readonly WorkflowAction[] = ["submit", "sign"];

/**
 * Take one workflow action. Throws WorkflowRefusedError (with the zh-CN reason),
 * VersionConflictError (someone acted first), or a 404 Response.
 *
 * 提交签发 and 签发 are refused here: they go through submitLetter / signLetter, which check the
 * draft and (signing) number and freeze it. A reply is sent only once its letter is signed.
 */
export async function performAction(db: Db, req: ActionRequest): Promise<{ to: ProposalState; warnings: string[] }> {
  if (LETTER_ACTIONS.includes(req.action)) throw new WorkflowRefusedError("提交签发和签发须在答复函页面办理：系统先检查答复稿，签发时编号并定稿。");
  // The answers of every proposer go with it (feedback.server.ts: recordFeedbackAnswers checks them, and stores them with the transition).
  if (req.action === "record_feedback") throw new WorkflowRefusedError("请在“征询意见”中逐一登记每位提案者的意见。");
  if (req.action === "send") {
    const [current] = await db.select({ state: letters.state }).from(letters).where(eq(letters.proposalId, req.proposalId)).orderBy(desc(letters.round)).limit(1);
    if (current?.state !== "signed") throw new WorkflowRefusedError("答复函尚未签发，不能发送。");
  }
  return transition(db, req);
}

/**
 * 分派所选: several proposals to one handler at once (after a 批量导入 each took three steps). One
 * transaction: any that cannot be assigned — assigned meanwhile, changed since the list was shown —
 * refuses the whole batch, named, and nothing is written. `version`: as the list showed it.
 */
export async function assignProposals(db: Db, r: { items: readonly { id: number; version: number }[]; handlerId: string; actor: SessionUser; today: string }) {
  // Locked at once in id order, as every other change of many proposals takes them (a deadline
  // recomputation, a 会议 renamed): locked one by one in the list's order, the two deadlocked and
  // one user got an error page (found by the concurrency review).
  const rows = await db
    .select({ id: proposals.id, number: proposals.number, version: proposals.version })
    .from(proposals)
    .where(
      inArray(
        proposals.id,
        r.items.map((i) => i.id),
      ),
    )
    .orderBy(asc(proposals.id))
    .for("update");
  const byId = new Map(rows.map((p) => [p.id, p]));
  const missing = r.items.filter((i) => !byId.has(i.id));
  if (missing.length) throw new WorkflowRefusedError(`所选的${missing.length}件提案已不存在，本次未分派任何提案；请刷新后重试。`);
  // every proposal changed since the list was shown is named, not only the first
  const changed = r.items.filter((i) => byId.get(i.id)!.version !== i.version).map((i) => `第${byId.get(i.id)!.number}号`);
  if (changed.length)
    throw new WorkflowRefusedError(
      `${changed.slice(0, 10).join("、")}${changed.length > 10 ? `等${changed.length}件` : ""}提案在本页打开后已被他人办理，本次未分派任何提案；请刷新后重试。`,
    );
  for (const item of [...r.items].sort((a, b) => a.id - b.id)) {
    const named = `第${byId.get(item.id)!.number}号提案`;
    try {
      await performAction(db, { proposalId: item.id, expectedVersion: item.version, actor: r.actor, today: r.today, action: "assign", input: { handlerId: r.handlerId } });
    } catch (e) {
      if (e instanceof VersionConflictError) throw new WorkflowRefusedError(`${named}在本页打开后已被他人办理，本次未分派任何提案；请刷新后重试。`);
      if (e instanceof WorkflowRefusedError) throw new WorkflowRefusedError(`${named}：${e.message.replace(/[。.]?$/, "。")}本次未分派任何提案。`, e.field);
      throw e;
    }
  }
  return r.items.length;
}

/**
 * The transition itself, after the letter's own checks. Only the letter module calls it for
 * 提交签发 and 签发 (letter.server.ts: submitLetter, signLetter); everyone else uses performAction.
 */
export async function transitionForLetter(db: Db, req: ActionRequest & { action: "submit" | "sign" }) {
  return transition(db, req);
}

/** 登记征询意见's transition, after recordFeedbackAnswers has checked every proposer's answer. */
export async function transitionForFeedback(db: Db, req: ActionRequest & { action: "record_feedback" }) {
  return transition(db, req);
}

async function transition(db: Db, req: ActionRequest): Promise<{ to: ProposalState; warnings: string[] }> {
  const p = await loadForWorkflow(db, req.proposalId);
  if (!p) throw new Response("提案不存在。", { status: 404 });
  if (p.version !== req.expectedVersion) throw new VersionConflictError();
  const input = { ...req.input, comment: req.input.comment ? cleanText(req.input.comment) : null };

  let newHandler: { id: string; displayName: string; phone: string | null; role: string; disabled: boolean } | null = null;
  if (req.action === "assign" || req.action === "reassign") {
    if (input.handlerId) {
      const [u] = await db
        .select({ id: users.id, displayName: users.displayName, phone: users.phone, role: users.role, disabled: users.disabled })
        .from(users)
        .where(eq(users.id, input.handlerId));
      if (!u) throw new WorkflowRefusedError("所选承办人不存在。", "handlerId");
      if (u.disabled) throw new WorkflowRefusedError(`${u.displayName} 的账号已停用，不能分派。`, "handlerId");
      newHandler = u;
    }
  }
  const disclosure = req.action === "submit" || req.action === "sign" ? (input.disclosure ?? (p.disclosure as Disclosure | null)) : (p.disclosure as Disclosure | null);
  if ((req.action === "submit" || req.action === "sign") && disclosure && disclosure !== "public") {
    const reason = input.disclosureReason ?? p.disclosureReason;
    if (!reason || !cleanText(reason)) throw new WorkflowRefusedError(`公开方式为“${DISCLOSURE_LABELS[disclosure]}”时须说明理由。`, "disclosureReason");
  }

  const ctx = workflowContext({ ...p, disclosure }, req.actor, req.today);
  const check = checkTransition(ctx, req.action, {
    comment: input.comment,
    handlerId: input.handlerId,
    handlerRole: newHandler ? (newHandler.role as SessionUser["role"]) : null,
    receivingUnit: input.receivingUnit,
    feedback: input.feedback,
    disclosure,
  });
  if (!check.ok) throw new WorkflowRefusedError(check.reason, check.field);

  const set: Partial<typeof proposals.$inferInsert> = { state: check.to };
  const changes: FieldChange[] = [];
  if (check.to !== p.state) changes.push({ field: "state", label: "状态", from: label(p.state), to: label(check.to) });

  switch (req.action) {
    case "assign":
    case "reassign": {
      const phone = input.handlerPhone ? cleanText(input.handlerPhone) : newHandler!.phone;
      set.handlerId = newHandler!.id;
      set.handlerPhone = phone;
      changes.push({ field: "handler", label: "承办人", from: p.handlerName ?? null, to: newHandler!.displayName });
      if ((p.handlerPhone ?? null) !== (phone ?? null)) changes.push({ field: "handlerPhone", label: "联系电话", from: p.handlerPhone, to: phone });
      break;
    }
    case "request_reassignment":
      set.stateBeforeReassignment = p.state;
      break;
    case "approve_reassignment":
      set.transferredTo = cleanText(input.receivingUnit!);
      changes.push({ field: "transferredTo", label: "接收单位", from: null, to: set.transferredTo });
      break;
    case "reject_reassignment":
      set.stateBeforeReassignment = null;
      break;
    case "submit":
    case "sign":
      if (disclosure !== p.disclosure)
        changes.push({
          field: "disclosure",
          label: "公开方式",
          from: p.disclosure ? DISCLOSURE_LABELS[p.disclosure as Disclosure] : null,
          to: disclosure ? DISCLOSURE_LABELS[disclosure] : null,
        });
      set.disclosure = disclosure;
      if (disclosure !== "public") set.disclosureReason = cleanText(input.disclosureReason ?? p.disclosureReason ?? "") || null;
      else set.disclosureReason = null;
      break;
    case "send": {
      const on = input.repliedOn || req.today;
      if (on < p.assignedOn) throw new WorkflowRefusedError("答复日期不能早于交办日期。", "repliedOn");
      if (p.signedOn && on < p.signedOn) throw new WorkflowRefusedError(`答复日期不能早于答复函的签发日期（${p.signedOn}）。`, "repliedOn");
      if (on > req.today) throw new WorkflowRefusedError("答复日期不能晚于今天。", "repliedOn");
      set.repliedOn = on;
      set.replyChannel = input.channel ? cleanText(input.channel) : null;
      changes.push({ field: "repliedOn", label: "答复日期", from: null, to: on });
      if (set.replyChannel) changes.push({ field: "replyChannel", label: "发送方式", from: null, to: set.replyChannel });
      break;
    }
    case "record_feedback":
      set.feedback = input.feedback!;
      changes.push({ field: "feedback", label: "提案者意见", from: null, to: FEEDBACK_LABELS[input.feedback!] });
      // 再办理: a new reply is due by the batch's rules, from the day the proposer said 不满意 (not the
      // day a clerk typed it in: a late entry would have moved the deadline later); the first reply's
      // deadline (and any extension of it) is over.
      if (input.feedback === "dissatisfied") {
        // The first reply stays on record for 按时/超期 (a second 再办理 keeps the first one's).
        if (!p.firstRepliedOn) Object.assign(set, { firstRepliedOn: p.repliedOn, firstDue: p.extendedDue ?? p.due, firstHandlerId: p.handlerId });
        set.repliedOn = null;
        const from = input.dissatisfiedOn && input.dissatisfiedOn <= req.today ? input.dissatisfiedOn : req.today;
        set.rehandlingFrom = from;
        const ctx = await deadlineContext(db);
        const cols = deadlineColumns({ assignedOn: p.assignedOn, bureauRole: p.bureauRole, rehandlingFrom: from }, ctx.calendar, await ctx.rulesFor(p.batchId));
        Object.assign(set, cols, { extendedDue: null });
        changes.push({ field: "due", label: "办理期限", from: p.extendedDue ?? p.due, to: cols.due });
      }
      break;
    default:
      break;
  }

  // 登记征询意见 can be taken back (更正征询意见): what it overwrites is kept with its history entry
  const restore = req.action === "record_feedback" ? await feedbackRestorePoint(db, p.id) : undefined;
  const updated = await db
    .update(proposals)
    .set({ ...set, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(and(eq(proposals.id, p.id), eq(proposals.version, req.expectedVersion)))
    .returning({ id: proposals.id });
  if (updated.length === 0) throw new VersionConflictError();
  const lapseReason = EXTENSION_LAPSES[req.action];
  if (lapseReason && (await lapsePendingExtensions(db, { proposalId: p.id, reason: lapseReason })))
    changes.push({ field: "extension", label: "延期申请", from: "待审批", to: "已失效" });
  if (req.action === "reassign" && set.handlerPhone !== p.handlerPhone)
    await followHandlerPhone(db, { proposalId: p.id, from: p.handlerPhone, to: set.handlerPhone ?? null, actorId: req.actor.id });
  if (req.action === "publish") changes.push(await recordPublication(db, { proposalId: p.id, state: p.state, actorId: req.actor.id, latest: publishesLatestReply(ctx) }));

  await recordEvent(db, { proposalId: p.id, actorId: req.actor.id, kind: req.action, comment: input.comment, changes, restore });
  await resolveNotices(db, { proposalId: p.id, kinds: RESOLVES[req.action] ?? [] });
  await notifyFor(db, req.action, p, { handlerId: set.handlerId ?? p.handlerId, actor: req.actor, comment: input.comment, feedback: input.feedback });
  return { to: check.to, warnings: check.warnings ?? [] };
}

/**
 * 改派 while a draft is open: the letter prints the handler's name from the proposal, so a phone
 * still the previous handler's is changed to the new one's (as a new revision). A number the
 * clerk typed deliberately (not the previous handler's) stays.
 */
async function followHandlerPhone(db: Db, r: { proposalId: number; from: string | null; to: string | null; actorId: string }) {
  const [open] = await db
    .select({ id: letters.id, revisionId: letters.currentRevisionId, draft: letterRevisions.draft })
    .from(letters)
    .innerJoin(letterRevisions, eq(letterRevisions.id, letters.currentRevisionId))
    .where(and(eq(letters.proposalId, r.proposalId), eq(letters.state, "draft")))
    .for("update", { of: letters });
  const draft = open?.draft as { phone?: string } | undefined;
  if (!open || !draft || (draft.phone ?? "") !== (r.from ?? "")) return;
  // No phone on file for the new handler: the draft is left without one, and asks them for it.
  const [{ n }] = await db
    .select({ n: sql<number>`coalesce(max(${letterRevisions.revisionNo}), 0)::int` })
    .from(letterRevisions)
    .where(eq(letterRevisions.letterId, open.id));
  const [rev] = await db
    .insert(letterRevisions)
    .values({ letterId: open.id, revisionNo: n + 1, draft: { ...draft, phone: r.to ?? "" }, kind: "save", createdBy: r.actorId })
    .returning({ id: letterRevisions.id });
  await db.update(letters).set({ currentRevisionId: rev.id }).where(eq(letters.id, open.id));
  // The draft's paragraph uses follow its current revision (as a save's would).
  await db
    .update(paragraphUses)
    .set({ letterRevisionId: rev.id })
    .where(and(eq(paragraphUses.proposalId, r.proposalId), eq(paragraphUses.frozen, false), eq(paragraphUses.letterRevisionId, open.revisionId!)));
}

/** The notices each action finishes the task of (resolved before the action's own notices go out). */
/** The proposal's columns 登记征询意见 may change (不满意: the reply's date, the deadlines, the first reply kept). */
export const FEEDBACK_RESTORED = {
  state: proposals.state,
  feedback: proposals.feedback,
  repliedOn: proposals.repliedOn,
  replyDue: proposals.replyDue,
  coHandlingDue: proposals.coHandlingDue,
  due: proposals.due,
  extendedDue: proposals.extendedDue,
  reassignmentWindowEnds: proposals.reassignmentWindowEnds,
  dueWarnings: proposals.dueWarnings,
  rehandlingFrom: proposals.rehandlingFrom,
  firstRepliedOn: proposals.firstRepliedOn,
  firstDue: proposals.firstDue,
  firstHandlerId: proposals.firstHandlerId,
};

async function feedbackRestorePoint(db: Db, proposalId: number): Promise<Record<string, unknown>> {
  const [row] = await db.select(FEEDBACK_RESTORED).from(proposals).where(eq(proposals.id, proposalId));
  return row ?? {};
}

/**
 * A request still pending when the deadline it asked to move stops counting has nothing left to
 * decide: it lapses (with why), off the approvers' lists, its notices resolved. (A 再办理 starts
 * from 已答复, where nothing can be pending; its own deadline takes new requests.)
 */
const EXTENSION_LAPSES: Partial<Record<WorkflowAction, string>> = {
  send: "答复已发出，延期申请自动失效",
  approve_reassignment: "提案已调整出本单位，延期申请自动失效",
};

async function lapsePendingExtensions(db: Db, r: { proposalId: number; reason: string }): Promise<number> {
  const lapsed = await db
    .update(extensions)
    .set({ status: "lapsed", decidedAt: new Date(), decisionComment: r.reason })
    .where(and(eq(extensions.proposalId, r.proposalId), eq(extensions.status, "requested")))
    .returning({ id: extensions.id });
  if (lapsed.length) await resolveNotices(db, { proposalId: r.proposalId, kinds: ["extension"] });
  return lapsed.length;
}

const RESOLVES: Partial<Record<WorkflowAction, NoticeKind[]>> = {
  // the registrars' reminders about an unassigned proposal: from now on its handler is reminded
  assign: [...DEADLINE_NOTICES],
  acknowledge: ["assigned"],
  // the previous handler's reminders go with the proposal (the next run reminds the new one)
  // (a 退回 or 不满意 notice too: the new handler is told where the proposal stands)
  reassign: ["assigned", "returned", "feedback", "extension_decided", ...DEADLINE_NOTICES],
  request_reassignment: ["assigned"],
  approve_reassignment: ["reassignment", "extension_decided", ...DEADLINE_NOTICES],
  reject_reassignment: ["reassignment"],
  // "已改由您办理…请接续办理" (a 改派 after drafting began, when there is no 签收 to end it) is done
  // once the new handler moves the proposal on, or it is answered
  submit: ["returned", "assigned"],
  sign: ["awaiting_signature", "assigned"],
  return: ["awaiting_signature"],
  // "签发了, to be sent" is done too, and the date an extension set was met
  send: ["signed", "extension_decided", "assigned", ...DEADLINE_NOTICES],
  restart_drafting: ["feedback", "assigned"],
  // "签发了" is no longer so: the letter is being corrected
  correct: ["signed"],
};

async function notifyFor(
  db: Db,
  action: WorkflowAction,
  p: { id: number; number: string; handlerId: string | null; state: string },
  x: { handlerId: string | null | undefined; actor: SessionUser; comment: string | null; feedback?: FeedbackResult | null },
) {
  const n = `第${p.number}号提案`;
  const base = { proposalId: p.id };
  switch (action) {
    case "assign":
    case "reassign":
      // 签收 exists only before drafting: a proposal reassigned later says where it stands instead
      await notify(db, {
        ...base,
        userIds: [x.handlerId],
        kind: "assigned",
        message:
          p.state === "assigned" || action === "assign"
            ? `${n}已分派给您办理，请签收。`
            : p.state === "rehandling"
              ? `${n}已改由您办理：提案者对答复不满意，须再办理。`
              : `${n}已改由您办理（当前：${STATE_LABELS[p.state as ProposalState] ?? p.state}），请接续办理。`,
      });
      if (action === "reassign" && p.handlerId && p.handlerId !== x.handlerId)
        await notify(db, { ...base, userIds: [p.handlerId], kind: "assigned", message: `${n}已改派他人办理。` });
      break;
    case "submit":
      await notify(db, { ...base, userIds: await userIdsWhoMay(db, "letter.sign"), kind: "awaiting_signature", message: `${n}答复待您签发。` });
      break;
    case "return":
      await notify(db, { ...base, userIds: [x.handlerId], kind: "returned", message: `${n}答复被退回修改：${x.comment ?? ""}` });
      break;
    case "sign":
      await notify(db, { ...base, userIds: [x.handlerId], kind: "signed", message: `${n}答复已由${x.actor.displayName}签发。` });
      // the registrars send it (待发送 on their home page); the notice ends when it is sent
      await notify(db, {
        ...base,
        userIds: (await userIdsWhoMay(db, "proposal.send", "any")).filter((id) => id !== x.handlerId),
        kind: "signed",
        message: `${n}答复已签发，待发送。`,
      });
      break;
    case "request_reassignment":
      await notify(db, { ...base, userIds: await userIdsWhoMay(db, "reassignment.decide"), kind: "reassignment", message: `${n}申请调整：${x.comment ?? ""}` });
      break;
    case "approve_reassignment":
    case "reject_reassignment":
      await notify(db, {
        ...base,
        // the handler, and those who assign the proposal anew (not the one who just decided)
        userIds: [x.handlerId, ...(await userIdsWhoMay(db, "proposal.assign")).filter((id) => id !== x.actor.id)],
        kind: "reassignment",
        message: `${n}的调整申请${action === "approve_reassignment" ? "已同意" : `未获同意：${x.comment ?? ""}`}。`,
      });
      break;
    case "correct":
      // A leader (or admin) reopening a signed letter tells its handler, with the reason; a handler correcting their own needs no notice.
      if (x.handlerId && x.handlerId !== x.actor.id)
        await notify(db, { ...base, userIds: [x.handlerId], kind: "returned", message: `${n}已签发的答复由${x.actor.displayName}退回更正：${x.comment ?? ""}` });
      break;
    case "record_feedback":
      if (x.feedback === "dissatisfied") await notify(db, { ...base, userIds: [x.handlerId], kind: "feedback", message: `提案者对${n}的答复不满意，须再办理。` });
      break;
    default:
      break;
  }
}

// ── settings ─────────────────────────────────────────────────────────────
export async function handlersMayReadAll(db: Db) {
  return (await getSetting(db, SETTING_KEYS.handlersReadAll)) === "1";
}

export async function setHandlersMayReadAll(db: Db, on: boolean) {
  await setSetting(db, SETTING_KEYS.handlersReadAll, on ? "1" : "0");
}
