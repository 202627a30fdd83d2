import { describe, it, expect } from "vitest";
import { isProposalPermission, may } from "~/domain/permissions";
import { ROLES, ROLE_LABELS, isRole, type Role } from "~/domain/roles";
import {
  ACTION_INPUTS,
  ACTION_LABELS,
  actionLabel,
  PROPOSAL_STATES,
  STATE_LABELS,
  WORKFLOW_ACTIONS,
  aggregateFeedback,
  availableActions,
  canEditDraft,
  checkTransition,
  isTerminal,
  isTextFrozen,
  permissionFor,
  publishesLatestReply,
  type BureauRole,
  type ProposalState,
  type TransitionInput,
  type WorkflowAction,
  type WorkflowContext,
} from "~/domain/workflow";

type Who = "admin" | "registrar" | "handler" | "other_handler" | "leader" | "viewer";
const USERS: Record<Who, { id: string; role: Role }> = {
  admin: { id: "u-admin", role: "admin" },
  registrar: { id: "u-reg", role: "registrar" },
  handler: { id: "u-h1", role: "handler" },
  other_handler: { id: "u-h2", role: "handler" },
  leader: { id: "u-lead", role: "leader" },
  viewer: { id: "u-view", role: "viewer" },
};
const WHO = Object.keys(USERS) as Who[];

function ctx(who: Who, state: ProposalState, over: Partial<WorkflowContext> = {}): WorkflowContext {
  return {
    state,
    bureauRole: "lead",
    assignedHandlerId: state === "received" ? null : USERS.handler.id,
    actor: USERS[who],
    disclosure: "public",
    reassignmentWindowOpen: true,
    ...over,
  };
}

/** Inputs that satisfy every action's requirements. */
const GOOD_INPUT: Record<WorkflowAction, TransitionInput> = {
  assign: { handlerId: USERS.handler.id, handlerRole: "handler" },
  reassign: { handlerId: USERS.other_handler.id },
  acknowledge: {},
  request_reassignment: { comment: "本提案主要涉及商务领域，建议调整至市商务局主办" },
  approve_reassignment: { receivingUnit: "东莞市商务局" },
  reject_reassignment: { comment: "经核实属我局职责" },
  submit: {},
  return: { comment: "第三部分数据请更新到最新年度" },
  sign: {},
  send: {},
  publish: {},
  record_feedback: { feedback: "satisfied" },
  close: {},
  restart_drafting: {},
  correct: { comment: "落款日期有误，需更正后重新签发" },
};

// The full matrix for a 主办 proposal, disclosure 主动公开, reassignment window open.
// `handler` is this proposal's 承办人; `other_handler` is another 承办人.
const EXPECTED: Record<ProposalState, Partial<Record<Who, WorkflowAction[]>>> = {
  received: { registrar: ["assign", "request_reassignment"], admin: ["assign", "request_reassignment"] },
  assigned: {
    registrar: ["reassign", "request_reassignment"],
    admin: ["reassign", "request_reassignment"],
    handler: ["acknowledge", "request_reassignment"],
  },
  drafting: { registrar: ["reassign"], admin: ["reassign"], handler: ["submit"] },
  in_review: { leader: ["return", "sign"] },
  signed: { registrar: ["send"], handler: ["send", "correct"], leader: ["correct"] },
  replied: { registrar: ["publish", "record_feedback"], admin: ["publish"], handler: ["record_feedback"] },
  published: { registrar: ["record_feedback"], handler: ["record_feedback"] },
  // Closed by the proposer's feedback before it was published: it can still be published (the ctx says not yet).
  closed: { registrar: ["publish"], admin: ["publish"] },
  rehandling: { registrar: ["reassign"], admin: ["reassign"], handler: ["restart_drafting"] },
  reassignment_requested: { admin: ["approve_reassignment", "reject_reassignment"] },
  transferred_out: {},
};

const EXPECTED_TARGET: Record<WorkflowAction, Partial<Record<ProposalState, ProposalState>>> = {
  assign: { received: "assigned" },
  reassign: { assigned: "assigned", drafting: "drafting", rehandling: "rehandling" },
  acknowledge: { assigned: "drafting" },
  request_reassignment: { received: "reassignment_requested", assigned: "reassignment_requested" },
  approve_reassignment: { reassignment_requested: "transferred_out" },
  reject_reassignment: { reassignment_requested: "assigned" },
  submit: { drafting: "in_review" },
  return: { in_review: "drafting" },
  sign: { in_review: "signed" },
  send: { signed: "replied" },
  publish: { replied: "published", closed: "closed" },
  record_feedback: { replied: "closed", published: "closed" },
  close: { replied: "closed" },
  restart_drafting: { rehandling: "drafting" },
  correct: { signed: "drafting" },
};

const sorted = (xs: readonly string[]) => [...xs].sort();

describe("labels", () => {
  it("every state, action and role has a zh-CN label", () => {
    for (const s of PROPOSAL_STATES) expect(STATE_LABELS[s]).toMatch(/\p{Script=Han}/u);
    for (const a of WORKFLOW_ACTIONS) expect(ACTION_LABELS[a]).toMatch(/\p{Script=Han}/u);
    expect(ROLE_LABELS).toEqual({
      admin: "系统管理员",
      registrar: "登记员",
      handler: "承办人",
      leader: "签发领导",
      viewer: "只读用户",
    });
    expect(STATE_LABELS.in_review).toBe("待签发");
    expect(STATE_LABELS.transferred_out).toBe("已调出");
  });
  it("a 会办 proposal's letter is sent as a 会办意见, not a reply; the other steps read alike", () => {
    expect(actionLabel("send", "co")).toBe("发送会办意见");
    expect(actionLabel("send", "lead")).toBe("发送答复");
    expect(actionLabel("sign", "co")).toBe("签发");
  });
});

describe("availableActions: the full matrix for a 主办 proposal", () => {
  for (const state of PROPOSAL_STATES) {
    for (const who of WHO) {
      const expected = EXPECTED[state][who] ?? [];
      it(`${state} / ${who}: ${expected.join(", ") || "(none)"}`, () => {
        expect(sorted(availableActions(ctx(who, state)))).toEqual(sorted(expected));
      });
    }
  }
});

describe("checkTransition: every allowed transition per role reaches the right state", () => {
  for (const state of PROPOSAL_STATES) {
    for (const who of WHO) {
      for (const action of EXPECTED[state][who] ?? []) {
        const to = EXPECTED_TARGET[action][state]!;
        it(`${who}: ${state} —${action}→ ${to}`, () => {
          expect(checkTransition(ctx(who, state), action, GOOD_INPUT[action])).toMatchObject({ ok: true, to });
        });
      }
    }
  }

  it("every action is allowed to someone somewhere", () => {
    const used = new Set(Object.values(EXPECTED).flatMap((m) => Object.values(m).flat()));
    for (const a of WORKFLOW_ACTIONS.filter((a) => a !== "close")) expect(used.has(a), a).toBe(true);
  });
});

describe("checkTransition: refusals with zh-CN reasons", () => {
  const cases: Array<[string, WorkflowContext, WorkflowAction | string, TransitionInput, string, string]> = [
    // viewer
    ["viewer signs", ctx("viewer", "in_review"), "sign", {}, "read_only", "只读用户不能办理提案"],
    ["viewer assigns", ctx("viewer", "received"), "assign", GOOD_INPUT.assign, "read_only", "只读用户不能办理提案"],
    // handler
    ["handler signs", ctx("handler", "in_review"), "sign", {}, "forbidden_role", "签发须由签发领导操作"],
    ["handler assigns", ctx("handler", "received"), "assign", GOOD_INPUT.assign, "forbidden_role", "分派须由登记员或系统管理员操作"],
    ["handler publishes", ctx("handler", "replied"), "publish", {}, "forbidden_role", "公开须由登记员或系统管理员操作"],
    [
      "handler approves own request",
      ctx("handler", "reassignment_requested"),
      "approve_reassignment",
      GOOD_INPUT.approve_reassignment,
      "forbidden_role",
      "同意调整须由系统管理员操作",
    ],
    ["handler submits twice", ctx("handler", "in_review"), "submit", {}, "invalid_state", "当前状态为“待签发”，不能提交签发"],
    [
      "handler asks for reassignment after acknowledging",
      ctx("handler", "drafting"),
      "request_reassignment",
      GOOD_INPUT.request_reassignment,
      "invalid_state",
      "当前状态为“起草中”，不能申请调整",
    ],
    ["other handler acknowledges", ctx("other_handler", "assigned"), "acknowledge", {}, "not_assigned_handler", "该提案未分派给您，只有本提案的承办人可以办理"],
    ["other handler submits", ctx("other_handler", "drafting"), "submit", {}, "not_assigned_handler", "该提案未分派给您，只有本提案的承办人可以办理"],
    [
      "handler on an unassigned proposal",
      ctx("handler", "received"),
      "request_reassignment",
      GOOD_INPUT.request_reassignment,
      "not_assigned_handler",
      "该提案未分派给您，只有本提案的承办人可以办理",
    ],
    // leader
    ["leader submits", ctx("leader", "drafting"), "submit", {}, "forbidden_role", "提交签发须由本提案的承办人操作"],
    ["leader signs a draft", ctx("leader", "drafting"), "sign", {}, "invalid_state", "当前状态为“起草中”，不能签发"],
    ["leader signs twice", ctx("leader", "signed"), "sign", {}, "invalid_state", "当前状态为“已签发”，不能签发"],
    ["leader returns without comment", ctx("leader", "in_review"), "return", {}, "missing_input", "退回修改须填写修改意见"],
    ["leader returns with blank comment", ctx("leader", "in_review"), "return", { comment: "  " }, "missing_input", "退回修改须填写修改意见"],
    ["leader sends", ctx("leader", "signed"), "send", {}, "forbidden_role", "发送答复须由本提案的承办人或登记员操作"],
    // registrar
    ["registrar signs", ctx("registrar", "in_review"), "sign", {}, "forbidden_role", "签发须由签发领导操作"],
    ["registrar returns", ctx("registrar", "in_review"), "return", GOOD_INPUT.return, "forbidden_role", "退回修改须由签发领导操作"],
    ["registrar acknowledges", ctx("registrar", "assigned"), "acknowledge", {}, "forbidden_role", "签收须由本提案的承办人操作"],
    ["registrar rejects reassignment", ctx("registrar", "reassignment_requested"), "reject_reassignment", {}, "forbidden_role", "不同意调整须由系统管理员操作"],
    ["registrar assigns twice", ctx("registrar", "assigned"), "assign", GOOD_INPUT.assign, "invalid_state", "当前状态为“已分派”，不能分派"],
    ["registrar assigns nobody", ctx("registrar", "received"), "assign", {}, "missing_input", "请选择承办人"],
    ["registrar assigns a leader", ctx("registrar", "received"), "assign", { handlerId: "u-lead", handlerRole: "leader" }, "invalid_input", "只能分派给承办人角色的用户"],
    ["registrar reassigns to the same handler", ctx("registrar", "drafting"), "reassign", { handlerId: USERS.handler.id }, "invalid_input", "新承办人与当前承办人相同"],
    ["registrar reassigns while in review", ctx("registrar", "in_review"), "reassign", GOOD_INPUT.reassign, "invalid_state", "当前状态为“待签发”，不能改派承办人"],
    ["registrar records feedback without result", ctx("registrar", "replied"), "record_feedback", {}, "missing_input", "请选择提案者意见（满意、基本满意或不满意）"],
    ["registrar closes a 主办 proposal without feedback", ctx("registrar", "replied"), "close", {}, "not_co_handling", "主办、分办提案须登记提案者意见后办结"],
    // admin
    ["admin drafts", ctx("admin", "drafting"), "submit", {}, "forbidden_role", "提交签发须由本提案的承办人操作"],
    ["admin signs", ctx("admin", "in_review"), "sign", {}, "forbidden_role", "签发须由签发领导操作"],
    ["admin approves without receiving unit", ctx("admin", "reassignment_requested"), "approve_reassignment", {}, "missing_input", "同意调整须填写接收单位"],
    ["admin reopens a closed proposal", ctx("admin", "closed"), "restart_drafting", {}, "invalid_state", "当前状态为“办结”，不能重新起草"],
    ["admin acts on a transferred proposal", ctx("admin", "transferred_out"), "assign", GOOD_INPUT.assign, "invalid_state", "当前状态为“已调出”，不能分派"],
    // business rules
    ["request reassignment without reason", ctx("handler", "assigned"), "request_reassignment", {}, "missing_input", "申请调整须说明理由"],
    [
      "request reassignment after the window",
      ctx("handler", "assigned", { reassignmentWindowOpen: false, reassignmentWindowEnds: "2024-02-19" }),
      "request_reassignment",
      GOOD_INPUT.request_reassignment,
      "window_closed",
      "已超过申请调整期限（2024-02-19），不能再申请调整",
    ],
    ["submit without disclosure", ctx("handler", "drafting", { disclosure: null }), "submit", {}, "disclosure", "提交签发前须选择公开方式"],
    ["sign without disclosure", ctx("leader", "in_review", { disclosure: null }), "sign", {}, "disclosure", "签发前须确认公开方式"],
    ["publish 依申请公开", ctx("registrar", "replied", { disclosure: "on_request" }), "publish", {}, "disclosure", "公开方式为“依申请公开”，只有主动公开的答复才能公开"],
    ["publish 不予公开", ctx("admin", "replied", { disclosure: "not_public" }), "publish", {}, "disclosure", "公开方式为“不予公开”，只有主动公开的答复才能公开"],
    ["publish before sending", ctx("registrar", "signed"), "publish", {}, "invalid_state", "当前状态为“已签发”，不能公开"],
    ["publish a 会办意见", ctx("registrar", "replied", { bureauRole: "co" }), "publish", {}, "co_handling", "会办提案只出具会办意见（送主办单位），不对外公开"],
    [
      "the registrar publishes a reply an admin withdrew",
      ctx("registrar", "replied", { replyWithdrawn: true }),
      "publish",
      {},
      "withdrawn",
      "该答复已被撤回公开（原因见“公开情况”），只有系统管理员可以重新公开",
    ],
    [
      "feedback on a 会办 proposal",
      ctx("handler", "replied", { bureauRole: "co" }),
      "record_feedback",
      GOOD_INPUT.record_feedback,
      "co_handling",
      "会办提案由主办单位征询提案者意见，本单位无需登记",
    ],
    ["unknown action", ctx("admin", "received"), "delete", {}, "unknown_action", "未知操作：delete"],
  ];

  it.each(cases)("%s", (_name, c, action, input, code, reason) => {
    const r = checkTransition(c, action, input);
    expect(r).toMatchObject({ ok: false, code, reason });
    // a refusal about what was typed names its field (the message shows beside it); others none
    expect(r.ok === false && r.field !== undefined).toBe(code === "missing_input" || code === "invalid_input" || (code === "disclosure" && /选择|确认/.test(reason)));
  });

  it("names the field of a refusal about input", () => {
    const field = (c: WorkflowContext, action: WorkflowAction, input: TransitionInput) => {
      const r = checkTransition(c, action, input);
      return r.ok ? null : r.field;
    };
    expect(field(ctx("leader", "in_review"), "return", {})).toBe("comment");
    expect(field(ctx("registrar", "received"), "assign", {})).toBe("handlerId");
  });

  it("viewer can do nothing in any state", () => {
    for (const state of PROPOSAL_STATES) {
      expect(availableActions(ctx("viewer", state))).toEqual([]);
      for (const a of WORKFLOW_ACTIONS) {
        expect(checkTransition(ctx("viewer", state), a, GOOD_INPUT[a])).toMatchObject({ ok: false, code: "read_only" });
      }
    }
  });

  it("a refused action is never offered", () => {
    for (const state of PROPOSAL_STATES) {
      for (const who of WHO) {
        const offered = availableActions(ctx(who, state));
        for (const a of WORKFLOW_ACTIONS) {
          const r = checkTransition(ctx(who, state), a, GOOD_INPUT[a]);
          expect(r.ok, `${who} ${state} ${a}`).toBe(offered.includes(a));
        }
      }
    }
  });
});

describe("reassignment", () => {
  it("hides request_reassignment once the window has closed", () => {
    expect(availableActions(ctx("handler", "assigned", { reassignmentWindowOpen: false }))).toEqual(["acknowledge"]);
  });

  it("allows it with a warning when the calendar does not cover the year", () => {
    expect(checkTransition(ctx("handler", "assigned", { reassignmentWindowOpen: "unknown" }), "request_reassignment", GOOD_INPUT.request_reassignment)).toEqual({
      ok: true,
      to: "reassignment_requested",
      warnings: ["工作日历未覆盖交办年度，无法确认是否仍在申请调整期限内，请人工核对"],
    });
  });

  it("rejection restores the state the request came from", () => {
    const c = (prev: ProposalState | null, handler: string | null) => ctx("admin", "reassignment_requested", { stateBeforeReassignment: prev, assignedHandlerId: handler });
    expect(checkTransition(c("received", null), "reject_reassignment")).toMatchObject({ ok: false, reason: "不同意调整须说明理由" });
    expect(checkTransition(c("received", null), "reject_reassignment", { comment: "属我局职责" })).toEqual({ ok: true, to: "received" });
    expect(checkTransition(c("assigned", "u-h1"), "reject_reassignment", { comment: "属我局职责" })).toEqual({ ok: true, to: "assigned" });
    // Unknown origin: infer from whether a handler is set.
    expect(checkTransition(c(null, "u-h1"), "reject_reassignment", { comment: "属我局职责" })).toEqual({ ok: true, to: "assigned" });
    expect(checkTransition(c(null, null), "reject_reassignment", { comment: "属我局职责" })).toEqual({ ok: true, to: "received" });
  });
});

describe("proposer feedback", () => {
  it.each([
    ["satisfied", "closed"],
    ["basically_satisfied", "closed"],
    ["dissatisfied", "rehandling"],
  ] as const)("%s → %s, from replied or published", (feedback, to) => {
    for (const state of ["replied", "published"] as const) {
      expect(checkTransition(ctx("handler", state), "record_feedback", { feedback })).toEqual({ ok: true, to });
    }
  });

  it("the least satisfied proposer decides", () => {
    expect(aggregateFeedback([])).toBeNull();
    expect(aggregateFeedback(["satisfied", "satisfied"])).toBe("satisfied");
    expect(aggregateFeedback(["satisfied", "basically_satisfied"])).toBe("basically_satisfied");
    expect(aggregateFeedback(["satisfied", "dissatisfied", "basically_satisfied"])).toBe("dissatisfied");
  });

  it("再办理 goes back to drafting a new revision", () => {
    expect(checkTransition(ctx("handler", "rehandling"), "restart_drafting")).toEqual({ ok: true, to: "drafting" });
  });
});

describe("bureau roles", () => {
  const co = (who: Who, state: ProposalState, over: Partial<WorkflowContext> = {}) => ctx(who, state, { bureauRole: "co", ...over });

  it("会办: after sending the 会办意见 the bureau closes; no publish, no feedback", () => {
    expect(sorted(availableActions(co("registrar", "replied")))).toEqual(["close"]);
    expect(availableActions(co("handler", "replied"))).toEqual(["close"]);
    expect(availableActions(co("admin", "replied"))).toEqual([]);
    expect(checkTransition(co("handler", "replied"), "close")).toEqual({ ok: true, to: "closed" });
  });

  it("会办: no disclosure is needed to submit or sign", () => {
    expect(checkTransition(co("handler", "drafting", { disclosure: null }), "submit")).toEqual({
      ok: true,
      to: "in_review",
    });
    expect(checkTransition(co("leader", "in_review", { disclosure: null }), "sign")).toEqual({ ok: true, to: "signed" });
  });

  it("会办 otherwise follows the same path up to sending", () => {
    for (const state of ["received", "assigned", "drafting", "in_review", "signed"] as const) {
      for (const who of WHO) {
        expect(sorted(availableActions(co(who, state))), `${state} ${who}`).toEqual(sorted(EXPECTED[state][who] ?? []));
      }
    }
  });

  it.each(["lead", "split"] as BureauRole[])("%s: publish when 主动公开", (bureauRole) => {
    expect(checkTransition(ctx("registrar", "replied", { bureauRole }), "publish")).toEqual({
      ok: true,
      to: "published",
    });
  });

  it("a reply owed since a 不满意 is published in any state of the 再办理; the proposal's state moves only when the latest goes up", () => {
    const owed = { earlierReplyToPublish: true };
    for (const state of ["rehandling", "drafting", "in_review", "signed", "published", "closed"] as const) {
      expect(checkTransition(ctx("registrar", state, owed), "publish"), state).toEqual({ ok: true, to: state });
      expect(publishesLatestReply(ctx("registrar", state, owed)), state).toBe(state === "closed");
      expect(checkTransition(ctx("handler", state, owed), "publish").ok, state).toBe(false);
    }
    // the latest reply 依申请公开: the earlier one alone goes up, still 已答复
    expect(checkTransition(ctx("registrar", "replied", { ...owed, disclosure: "on_request" }), "publish")).toEqual({ ok: true, to: "replied" });
    expect(checkTransition(ctx("registrar", "replied", owed), "publish")).toEqual({ ok: true, to: "published" });
    expect(checkTransition(ctx("registrar", "rehandling", owed), "publish")).toMatchObject({ ok: true });
    expect(checkTransition(ctx("registrar", "rehandling", { ...owed, bureauRole: "co" }), "publish")).toMatchObject({ ok: false, code: "co_handling" });
  });
});

describe("ACTION_INPUTS", () => {
  it("declares what each form must ask for", () => {
    expect(ACTION_INPUTS.return).toEqual({ comment: "required" });
    expect(ACTION_INPUTS.request_reassignment).toEqual({ comment: "required" });
    expect(ACTION_INPUTS.assign).toEqual({ comment: "optional", handler: true });
    expect(ACTION_INPUTS.approve_reassignment).toEqual({ comment: "optional", receivingUnit: true });
    expect(ACTION_INPUTS.record_feedback).toEqual({ comment: "optional", feedback: true });
    expect(ACTION_INPUTS.sign).toEqual({ comment: "optional" });
  });
});

describe("draft editing and frozen text", () => {
  it("only the assigned handler edits, only while drafting", () => {
    expect(canEditDraft(ctx("handler", "drafting"))).toBe(true);
    expect(canEditDraft(ctx("other_handler", "drafting"))).toBe(false);
    expect(canEditDraft(ctx("admin", "drafting"))).toBe(false);
    expect(canEditDraft(ctx("handler", "in_review"))).toBe(false);
  });

  it("the text is frozen from signing on", () => {
    expect(isTextFrozen("drafting")).toBe(false);
    expect(isTextFrozen("in_review")).toBe(false);
    expect(isTextFrozen("signed")).toBe(true);
    expect(isTextFrozen("published")).toBe(true);
    expect(isTerminal("closed")).toBe(true);
    expect(isTerminal("transferred_out")).toBe(true);
    expect(isTerminal("rehandling")).toBe(false);
  });
});

describe("roles", () => {
  it("recognises roles", () => {
    for (const r of ROLES) expect(isRole(r)).toBe(true);
    expect(isRole("superuser")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe("the transition table asks the one policy", () => {
  // From a state where the action is possible, for every role, on an own and another's proposal.
  const FROM: Record<WorkflowAction, ProposalState> = {
    assign: "received",
    reassign: "assigned",
    acknowledge: "assigned",
    request_reassignment: "assigned",
    approve_reassignment: "reassignment_requested",
    reject_reassignment: "reassignment_requested",
    submit: "drafting",
    return: "in_review",
    sign: "in_review",
    send: "signed",
    publish: "replied",
    record_feedback: "replied",
    close: "replied",
    restart_drafting: "rehandling",
    correct: "signed",
  };
  it.each(WORKFLOW_ACTIONS.map((a) => [a]))("%s is offered exactly to whom may() allows", (action) => {
    const permission = permissionFor(action);
    for (const role of ROLES) {
      for (const own of [true, false]) {
        const actor = { id: "me", role };
        const c = { ...ctx("leader", FROM[action], { bureauRole: action === "close" ? "co" : "lead" }), actor, assignedHandlerId: own ? "me" : "someone" };
        const allowed = isProposalPermission(permission) ? may(actor, permission, { handlerId: c.assignedHandlerId }) : may(actor, permission);
        expect(availableActions(c).includes(action), `${role} ${own ? "own" : "other"}`).toBe(allowed);
      }
    }
  });
});

describe("publication", () => {
  it("a reply already on the public site is not published twice, whatever the state", () => {
    for (const state of ["replied", "closed"] as const) {
      const c = { ...ctx("registrar", state), replyPublished: true };
      expect(availableActions(c)).not.toContain("publish");
      expect(checkTransition(c, "publish")).toMatchObject({ ok: false, reason: "该答复已在公开网站上" });
    }
  });
});

describe("disclosure is chosen in the submit form", () => {
  it("offers 提交签发 while no disclosure is recorded, and asks for one on submitting", () => {
    const c = ctx("handler", "drafting", { disclosure: null });
    expect(availableActions(c)).toContain("submit");
    expect(checkTransition(c, "submit")).toMatchObject({ ok: false, code: "disclosure", reason: "提交签发前须选择公开方式" });
    expect(checkTransition(c, "submit", { disclosure: "public" })).toEqual({ ok: true, to: "in_review" });
  });

  it("a 会办 opinion needs no disclosure", () => {
    expect(checkTransition(ctx("handler", "drafting", { disclosure: null, bureauRole: "co" }), "submit")).toEqual({ ok: true, to: "in_review" });
  });
});
