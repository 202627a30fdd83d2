import { z } from "zod";
import { BUREAU_ROLES, cleanText } from "./proposal";
import { CLOCK_STOPPED_STATES, PROPOSAL_STATES } from "./workflow";

/** The home page's task lists, each in full on the proposal list (`?queue=…`). */
export const PROPOSAL_QUEUES = ["todo", "sign", "send", "assign", "reassign", "publish"] as const;
export type ProposalQueue = (typeof PROPOSAL_QUEUES)[number];
export const QUEUE_LABELS: Record<ProposalQueue, string> = {
  todo: "待办（已分派、起草中、再办理）",
  sign: "待签发",
  send: "待发送（已签发）",
  assign: "待分派",
  reassign: "调整申请待审核",
  publish: "待公开",
};
/**
 * The states each queue holds (待公开 also needs: sent, 主动公开, not on the public site; and it holds
 * proposals in 再办理 whose reply before the 不满意 is owed there: proposal.server.ts queueConditions).
 */
export const QUEUE_STATES: Record<ProposalQueue, readonly string[]> = {
  todo: ["assigned", "drafting", "rehandling"],
  sign: ["in_review"],
  // signed and not yet sent: the deadline still runs
  send: ["signed"],
  assign: ["received"],
  reassign: ["reassignment_requested"],
  publish: ["replied", "closed"],
};

/** The proposal list's filters, from the address bar: also what the deadline exports filter by. */
export const proposalListFiltersSchema = z.object({
  // Over-long values are cut, not refused: a filter in the address bar never yields an error page.
  meeting: z
    .string()
    .optional()
    .transform((s) => (s ? cleanText(s.slice(0, 100)) : undefined)),
  role: z.enum(BUREAU_ROLES).optional().catch(undefined),
  state: z.enum(PROPOSAL_STATES).optional().catch(undefined),
  q: z
    .string()
    .optional()
    .transform((s) => (s ? cleanText(s.slice(0, 100)) || undefined : undefined)),
  /** Deadline: overdue, due within the week, or both ("urgent": the home page's list in full). */
  due: z.enum(["overdue", "week", "urgent"]).optional().catch(undefined),
  queue: z.enum(PROPOSAL_QUEUES).optional().catch(undefined),
  /** Only the signed-in handler's own proposals. */
  mine: z.literal("1").optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/**
 * Whether a filter asks for answered, closed or transferred proposals — by state, or by a task
 * list of such (待公开) — which the deadline exports otherwise leave out.
 */
export function asksForFinished(f: { state?: string; queue?: ProposalQueue }): boolean {
  const finished = (state: string) => (CLOCK_STOPPED_STATES as readonly string[]).includes(state);
  return (!!f.state && finished(f.state)) || (!!f.queue && QUEUE_STATES[f.queue].some(finished));
}
