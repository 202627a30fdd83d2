/**
 * The proposal lifecycle: the one transition table and its guards.
 * Pure: the caller loads the proposal and the user, asks here, then records
 * the transition (actor, time, comment) in the append-only history.
 */
import { accessOf, isProposalPermission, may, mayEver, type Permission, whoMay } from "./permissions";
import { ROLE_LABELS, type Role } from "./roles";

export const PROPOSAL_STATES = [
  "received",
  "assigned",
  "drafting",
  "in_review",
  "signed",
  "replied",
  "published",
  "closed",
  "rehandling",
  "reassignment_requested",
  "transferred_out",
] as const;
export type ProposalState = (typeof PROPOSAL_STATES)[number];

export const STATE_LABELS: Record<ProposalState, string> = {
  received: "已登记",
  assigned: "已分派",
  drafting: "起草中",
  in_review: "待签发",
  signed: "已签发",
  replied: "已答复",
  published: "已公开",
  closed: "办结",
  rehandling: "再办理",
  reassignment_requested: "申请调整中",
  transferred_out: "已调出",
};

export const TERMINAL_STATES: readonly ProposalState[] = ["closed", "transferred_out"];

/** States in which the deadline clock no longer runs: answered, or transferred out. */
export const CLOCK_STOPPED_STATES = ["replied", "published", "closed", "transferred_out"] as const;

/** After signing the text is frozen; a change is a new revision (再办理). */
export const FROZEN_TEXT_STATES: readonly ProposalState[] = ["signed", "replied", "published", "closed"];

/**
 * 会办单位 and their opinions are kept where the bureau leads, while the reply is being prepared:
 * once signed they are what the signer confirmed (a 再办理 opens them again); transferred, they
 * are no longer the bureau's.
 */
export function coUnitsEditable(p: { state: string; bureauRole: string }): boolean {
  return p.bureauRole === "lead" && !([...FROZEN_TEXT_STATES, "transferred_out"] as readonly string[]).includes(p.state);
}

export const WORKFLOW_ACTIONS = [
  "assign",
  "reassign",
  "acknowledge",
  "request_reassignment",
  "approve_reassignment",
  "reject_reassignment",
  "submit",
  "return",
  "sign",
  "send",
  "publish",
  "record_feedback",
  "close",
  "restart_drafting",
  "correct",
] as const;
export type WorkflowAction = (typeof WORKFLOW_ACTIONS)[number];

export const ACTION_LABELS: Record<WorkflowAction, string> = {
  assign: "分派",
  reassign: "改派承办人",
  acknowledge: "签收",
  request_reassignment: "申请调整",
  approve_reassignment: "同意调整",
  reject_reassignment: "不同意调整",
  submit: "提交签发",
  return: "退回修改",
  sign: "签发",
  send: "发送答复",
  publish: "公开",
  record_feedback: "登记征询意见",
  close: "办结",
  restart_drafting: "重新起草",
  correct: "更正（重新签发）",
};

/**
 * A step's name as the proposal's page says it: a 会办 proposal's letter is a 会办意见 sent to the
 * 主办单位, not a reply (it read 发送答复 / 已发送答复 there).
 */
export function actionLabel(action: WorkflowAction, bureauRole: string): string {
  return bureauRole === "co" && action === "send" ? "发送会办意见" : ACTION_LABELS[action];
}

/**
 * While a 申请调整 can be made (or is pending): its 截止 date means nothing after 签收 — it read on
 * through 办理 and 再办理. The states are the transition's own.
 */
export function reassignmentAskable(state: string): boolean {
  return state === "reassignment_requested" || (RULES.request_reassignment.from as readonly string[]).includes(state);
}

export function isWorkflowAction(value: unknown): value is WorkflowAction {
  return typeof value === "string" && (WORKFLOW_ACTIONS as readonly string[]).includes(value);
}

// The bureau's role is a registration fact: defined once in proposal.ts.
export { BUREAU_ROLES, BUREAU_ROLE_LABELS, type BureauRole } from "./proposal";
import type { BureauRole } from "./proposal";

export const DISCLOSURES = ["public", "on_request", "not_public"] as const;
export type Disclosure = (typeof DISCLOSURES)[number];
export const DISCLOSURE_LABELS: Record<Disclosure, string> = {
  public: "主动公开",
  on_request: "依申请公开",
  not_public: "不予公开",
};

export const FEEDBACK_RESULTS = ["satisfied", "basically_satisfied", "dissatisfied"] as const;
export type FeedbackResult = (typeof FEEDBACK_RESULTS)[number];
export const FEEDBACK_LABELS: Record<FeedbackResult, string> = {
  satisfied: "满意",
  basically_satisfied: "基本满意",
  dissatisfied: "不满意",
};

/** Several proposers answer separately; the least satisfied answer decides (one 不满意 → 再办理). */
export function aggregateFeedback(results: readonly FeedbackResult[]): FeedbackResult | null {
  if (results.length === 0) return null;
  if (results.includes("dissatisfied")) return "dissatisfied";
  if (results.includes("basically_satisfied")) return "basically_satisfied";
  return "satisfied";
}

export interface WorkflowContext {
  state: ProposalState;
  bureauRole: BureauRole;
  /** User id of the 承办人, or null before assignment. */
  assignedHandlerId: string | null;
  actor: { id: string; role: Role };
  /** Chosen while drafting, confirmed at signing; null while undecided. Ignored for 会办. */
  disclosure?: Disclosure | null;
  /**
   * Whether a reassignment request is still allowed (see deadlines.ts
   * isReassignmentWindowOpen); "unknown" when the calendar does not cover the
   * year: the request is then allowed with a warning rather than blocked.
   */
  reassignmentWindowOpen: boolean | "unknown";
  /** For the refusal message only. */
  reassignmentWindowEnds?: string | null;
  /** The state a reassignment request came from, restored on rejection. */
  stateBeforeReassignment?: ProposalState | null;
  /** Whether the latest signed reply is on the public site now. */
  replyPublished?: boolean;
  /** Whether the latest signed reply was taken off the public site (撤回公开) and is not back. */
  replyWithdrawn?: boolean;
  /**
   * Whether a reply answered 不满意 went out 主动公开 and was never published: 公开 puts it up in
   * any state of the 再办理 that follows (proposal.server.ts earlierRepliesToPublish).
   */
  earlierReplyToPublish?: boolean;
}

export interface TransitionInput {
  comment?: string | null;
  /** assign / reassign: the new 承办人. */
  handlerId?: string | null;
  /** assign / reassign: the new 承办人's role, when the caller has it. */
  handlerRole?: Role | null;
  /** approve_reassignment: the unit the proposal is transferred to. */
  receivingUnit?: string | null;
  /** record_feedback: the aggregated proposer feedback. */
  feedback?: FeedbackResult | null;
  /** submit / sign: the disclosure chosen in the form (else the one already recorded). */
  disclosure?: Disclosure | null;
}

export type RefusalCode =
  | "unknown_action"
  | "read_only"
  | "invalid_state"
  | "forbidden_role"
  | "not_assigned_handler"
  | "co_handling"
  | "not_co_handling"
  | "disclosure"
  | "window_closed"
  | "missing_input"
  | "invalid_input"
  | "withdrawn";

/** `field`: the form field a refusal is about (missing or wrong input), shown beside it. */
export type TransitionResult = { ok: true; to: ProposalState; warnings?: string[] } | { ok: false; reason: string; code: RefusalCode; field?: string };

interface TransitionRule {
  from: readonly ProposalState[];
  /** null = computed (stays, restores, or depends on input). */
  to: ProposalState | null;
  /** Who may take it: asked of the one policy (permissions.ts), scoped to this proposal's 承办人. */
  permission: Permission;
  comment: "required" | "optional";
}

const RULES: Record<WorkflowAction, TransitionRule> = {
  assign: { from: ["received"], to: "assigned", permission: "proposal.assign", comment: "optional" },
  // Changes the 承办人 without moving the state: the new handler continues the draft.
  reassign: {
    from: ["assigned", "drafting", "rehandling"],
    to: null,
    permission: "proposal.assign",
    comment: "optional",
  },
  acknowledge: { from: ["assigned"], to: "drafting", permission: "proposal.draft", comment: "optional" },
  // 签收 and 申请调整 are alternatives: after acknowledging, the bureau has accepted.
  request_reassignment: {
    from: ["received", "assigned"],
    to: "reassignment_requested",
    permission: "reassignment.request",
    comment: "required",
  },
  approve_reassignment: {
    from: ["reassignment_requested"],
    to: "transferred_out",
    permission: "reassignment.decide",
    comment: "optional",
  },
  // The handler asked for a reason to be heard: a refusal says why (kept in the history, sent to them).
  reject_reassignment: { from: ["reassignment_requested"], to: null, permission: "reassignment.decide", comment: "required" },
  submit: { from: ["drafting"], to: "in_review", permission: "proposal.draft", comment: "optional" },
  return: { from: ["in_review"], to: "drafting", permission: "letter.sign", comment: "required" },
  sign: { from: ["in_review"], to: "signed", permission: "letter.sign", comment: "optional" },
  send: { from: ["signed"], to: "replied", permission: "proposal.send", comment: "optional" },
  // A reply may be published after the proposer's feedback closed the proposal, too (it then stays 办结);
  // the other states only for an earlier reply owed since a 不满意 (latestReplyRefusal).
  publish: {
    from: ["replied", "closed", "published", "rehandling", "drafting", "in_review", "signed"],
    to: null,
    permission: "proposal.publish",
    comment: "optional",
  },
  record_feedback: {
    from: ["replied", "published"],
    to: null,
    permission: "proposal.record_feedback",
    comment: "optional",
  },
  // 会办 only: once the 会办意见 reaches the lead unit, this bureau's part is done.
  close: { from: ["replied"], to: "closed", permission: "proposal.close", comment: "optional" },
  restart_drafting: { from: ["rehandling"], to: "drafting", permission: "proposal.draft", comment: "optional" },
  // A signed letter is never edited in place: a correction is a new draft that is signed again.
  correct: { from: ["signed"], to: "drafting", permission: "letter.correct", comment: "required" },
};

/** Which inputs each action needs, for forms. */
export const ACTION_INPUTS: Record<WorkflowAction, { comment: "required" | "optional"; handler?: true; receivingUnit?: true; feedback?: true }> = Object.fromEntries(
  WORKFLOW_ACTIONS.map((a) => [
    a,
    {
      comment: RULES[a].comment,
      ...(a === "assign" || a === "reassign" ? { handler: true as const } : {}),
      ...(a === "approve_reassignment" ? { receivingUnit: true as const } : {}),
      ...(a === "record_feedback" ? { feedback: true as const } : {}),
    },
  ]),
) as Record<WorkflowAction, { comment: "required" | "optional"; handler?: true; receivingUnit?: true; feedback?: true }>;

const COMMENT_REQUIRED_REASON: Partial<Record<WorkflowAction, string>> = {
  return: "退回修改须填写修改意见",
  request_reassignment: "申请调整须说明理由",
  reject_reassignment: "不同意调整须说明理由",
  correct: "更正须说明原因",
};

function refuse(code: RefusalCode, reason: string, field?: string): TransitionResult {
  return field ? { ok: false, code, reason, field } : { ok: false, code, reason };
}

function isBlank(s: string | null | undefined): boolean {
  return s == null || s.trim() === "";
}

function mayTake(ctx: Pick<WorkflowContext, "actor" | "assignedHandlerId">, permission: Permission): boolean {
  return isProposalPermission(permission) ? may(ctx.actor, permission, { handlerId: ctx.assignedHandlerId }) : may(ctx.actor, permission);
}

/** The permission each action asks of the policy (for the access overview and tests). */
export function permissionFor(action: WorkflowAction): Permission {
  return RULES[action].permission;
}

/** Permission, state and business guards, without looking at the input. */
export function guardTransition(ctx: WorkflowContext, action: WorkflowAction): TransitionResult {
  return checkGuards(ctx, action);
}

function checkGuards(ctx: WorkflowContext, action: WorkflowAction): TransitionResult {
  const rule = RULES[action];
  const { actor, state } = ctx;

  if (!WORKFLOW_ACTIONS.some((a) => mayEver(actor, RULES[a].permission))) return refuse("read_only", `${ROLE_LABELS[actor.role]}不能办理提案`);

  if (!rule.from.includes(state)) {
    return refuse("invalid_state", `当前状态为“${STATE_LABELS[state]}”，不能${ACTION_LABELS[action]}`);
  }

  if (!mayTake(ctx, rule.permission)) {
    if (accessOf(actor, rule.permission) === "own") return refuse("not_assigned_handler", "该提案未分派给您，只有本提案的承办人可以办理");
    return refuse("forbidden_role", `${ACTION_LABELS[action]}须由${whoMay(rule.permission)}操作`);
  }

  const isCo = ctx.bureauRole === "co";
  const warnings: string[] = [];

  switch (action) {
    case "request_reassignment":
      if (ctx.reassignmentWindowOpen === false) {
        const ends = ctx.reassignmentWindowEnds ? `（${ctx.reassignmentWindowEnds}）` : "";
        return refuse("window_closed", `已超过申请调整期限${ends}，不能再申请调整`);
      }
      if (ctx.reassignmentWindowOpen === "unknown") {
        warnings.push("工作日历未覆盖交办年度，无法确认是否仍在申请调整期限内，请人工核对");
      }
      break;
    case "publish": {
      if (isCo) return refuse("co_handling", "会办提案只出具会办意见（送主办单位），不对外公开");
      const latest = latestReplyRefusal(ctx);
      // an earlier reply owed goes up on its own; the latest with it when it may
      if (latest && !ctx.earlierReplyToPublish) return latest;
      break;
    }
    case "record_feedback":
      if (isCo) return refuse("co_handling", "会办提案由主办单位征询提案者意见，本单位无需登记");
      break;
    case "close":
      if (!isCo) return refuse("not_co_handling", "主办、分办提案须登记提案者意见后办结");
      break;
    default:
      break;
  }

  return { ok: true, to: staticTarget(ctx, action), ...(warnings.length ? { warnings } : {}) };
}

/** Why 公开 cannot put up the latest reply now (null: it can). */
function latestReplyRefusal(ctx: WorkflowContext): TransitionResult | null {
  if (ctx.state !== "replied" && ctx.state !== "closed") return refuse("invalid_state", `当前状态为“${STATE_LABELS[ctx.state]}”，不能${ACTION_LABELS.publish}`);
  if (ctx.replyPublished) return refuse("invalid_state", "该答复已在公开网站上");
  // Whoever may take a reply down decides when it goes back up: a withdrawal (a leak, a
  // mistake) is not undone by the next 公开 from the 待公开 list.
  if (ctx.replyWithdrawn && !may(ctx.actor, "publication.withdraw"))
    return refuse("withdrawn", `该答复已被撤回公开（原因见“公开情况”），只有${whoMay("publication.withdraw")}可以重新公开`);
  if (ctx.disclosure !== "public") {
    const mode = ctx.disclosure ? DISCLOSURE_LABELS[ctx.disclosure] : "未选择";
    return refuse("disclosure", `公开方式为“${mode}”，只有主动公开的答复才能公开`);
  }
  return null;
}

/** Whether 公开 puts up the proposal's latest reply (besides any earlier one owed). */
export function publishesLatestReply(ctx: WorkflowContext): boolean {
  return ctx.bureauRole !== "co" && latestReplyRefusal(ctx) === null;
}

function staticTarget(ctx: WorkflowContext, action: WorkflowAction): ProposalState {
  const rule = RULES[action];
  if (rule.to) return rule.to;
  switch (action) {
    case "reassign":
      return ctx.state;
    case "publish":
      return ctx.state === "replied" && latestReplyRefusal(ctx) === null ? "published" : ctx.state;
    case "reject_reassignment": {
      const prev = ctx.stateBeforeReassignment;
      if (prev === "received" || prev === "assigned") return prev;
      return ctx.assignedHandlerId ? "assigned" : "received";
    }
    case "record_feedback":
      // Placeholder until the feedback is known; checkTransition computes the real target.
      return "closed";
    default:
      return ctx.state;
  }
}

/**
 * Whether `action` is allowed now, and the resulting state. `input` is
 * validated too (comments, the new handler, the receiving unit, feedback).
 */
export function checkTransition(ctx: WorkflowContext, action: WorkflowAction | string, input: TransitionInput = {}): TransitionResult {
  if (!isWorkflowAction(action)) return refuse("unknown_action", `未知操作：${action}`);
  const guard = checkGuards(ctx, action);
  if (!guard.ok) return guard;

  const rule = RULES[action];
  if (rule.comment === "required" && isBlank(input.comment)) {
    return refuse("missing_input", COMMENT_REQUIRED_REASON[action] ?? `${ACTION_LABELS[action]}须填写意见`, "comment");
  }

  // The disclosure is chosen in the submit/sign form itself, so it is an input check, not a guard.
  if ((action === "submit" || action === "sign") && ctx.bureauRole !== "co" && !(input.disclosure ?? ctx.disclosure)) {
    return refuse("disclosure", action === "submit" ? "提交签发前须选择公开方式" : "签发前须确认公开方式", "disclosure");
  }

  let to = guard.to;
  switch (action) {
    case "assign":
    case "reassign":
      if (isBlank(input.handlerId)) return refuse("missing_input", "请选择承办人", "handlerId");
      if (input.handlerRole != null && !mayEver({ role: input.handlerRole }, "proposal.draft")) {
        return refuse("invalid_input", "只能分派给承办人角色的用户", "handlerId");
      }
      if (action === "reassign" && input.handlerId === ctx.assignedHandlerId) {
        return refuse("invalid_input", "新承办人与当前承办人相同", "handlerId");
      }
      break;
    case "approve_reassignment":
      if (isBlank(input.receivingUnit)) return refuse("missing_input", "同意调整须填写接收单位", "receivingUnit");
      break;
    case "record_feedback":
      if (!input.feedback || !(FEEDBACK_RESULTS as readonly string[]).includes(input.feedback)) {
        return refuse("missing_input", "请选择提案者意见（满意、基本满意或不满意）", "feedback");
      }
      to = input.feedback === "dissatisfied" ? "rehandling" : "closed";
      break;
    default:
      break;
  }
  return { ok: true, to, ...(guard.warnings ? { warnings: guard.warnings } : {}) };
}

/** Actions this user may take now (inputs such as comments are asked for afterwards). */
export function availableActions(ctx: WorkflowContext): WorkflowAction[] {
  return WORKFLOW_ACTIONS.filter((a) => checkGuards(ctx, a).ok);
}

/** Only the assigned handler edits the draft, and only while drafting. */
export function canEditDraft(ctx: Pick<WorkflowContext, "state" | "assignedHandlerId" | "actor">): boolean {
  return ctx.state === "drafting" && mayTake(ctx, "proposal.draft");
}

export function isTextFrozen(state: ProposalState): boolean {
  return FROZEN_TEXT_STATES.includes(state);
}

export function isTerminal(state: ProposalState): boolean {
  return TERMINAL_STATES.includes(state);
}
