/**
 * 办理情况统计: the year's (or a 会议's) figures for the annual 提案办理工作总结 — pure, from one
 * row per proposal, so the page, the XLSX and the CLI print the same numbers.
 */
import { daysBetween, type WorkCalendar, workingDaysBetween } from "./calendar";
import { OUTCOMES, type Outcome } from "./letter";
import { BUREAU_ROLES, type BureauRole } from "./proposal";
import { FEEDBACK_RESULTS, type FeedbackResult, PROPOSAL_STATES, type ProposalState } from "./workflow";

export interface StatRow {
  id: number;
  bureauRole: BureauRole;
  state: ProposalState;
  handlerName: string | null;
  /** Whose row in 承办人 the proposal counts in: two people may share a display name. */
  handlerId?: string | null;
  /** The deadline that applied to the first reply: the extension when approved, else the rules' date. */
  due: string | null;
  /** The first reply (按时/超期 are about it, even after 再办理). */
  repliedOn: string | null;
  /** 再办理 (the proposer was 不满意): the new reply's deadline and date, null when not re-handled. */
  rehandling?: { due: string | null; repliedOn: string | null } | null;
  /**
   * 再办理 replies made before the latest one: the proposer was 不满意 again after each, so the
   * proposal's columns hold only the latest round. Each counts in 再办理 as the latest does, and in
   * 承办人 for whoever submitted it.
   */
  earlierRehandlings?: { due: string | null; repliedOn: string | null; handler: { id: string; name: string } | null }[];
  /** Who made the first reply, when 再办理 went to someone else (改派): the first reply is theirs in 承办人. */
  firstHandler?: { id: string; name: string } | null;
  feedback: FeedbackResult | null;
  /** 办理结果分类 of the latest signed reply. */
  outcome: Outcome | null;
}

export interface HandlerStats {
  name: string;
  assigned: number;
  replied: number;
  onTime: number;
  late: number;
  openOverdue: number;
  /** 再办理 replies sent by this handler (the handler the proposal had when re-handled) — not in 已答复, which counts first replies. */
  rehandled: number;
}

export interface Statistics {
  total: number;
  byRoleState: Record<BureauRole, Partial<Record<ProposalState, number>> & { total: number }>;
  timeliness: {
    replied: number;
    onTime: number;
    late: number;
    /** Late replies: working days after the deadline (calendar days where the calendar lacks the year). */
    lateDays: { total: number; max: number; approximate: boolean };
    openOverdue: number;
  };
  /** 再办理: how many, and whether the new replies kept their deadline. */
  rehandling: { total: number; replied: number; onTime: number; late: number; openOverdue: number };
  outcomes: Record<Outcome | "none", number>;
  satisfaction: Record<FeedbackResult, number> & { answered: number; satisfiedRate: number | null };
  byHandler: HandlerStats[];
}

export function computeStatistics(rows: readonly StatRow[], calendar: WorkCalendar, today: string): Statistics {
  const byRoleState = Object.fromEntries(BUREAU_ROLES.map((r) => [r, { total: 0 }])) as Statistics["byRoleState"];
  const outcomes = Object.fromEntries([...OUTCOMES, "none"].map((o) => [o, 0])) as Statistics["outcomes"];
  const satisfaction = { ...(Object.fromEntries(FEEDBACK_RESULTS.map((f) => [f, 0])) as Record<FeedbackResult, number>), answered: 0, satisfiedRate: null as number | null };
  const timeliness = { replied: 0, onTime: 0, late: 0, lateDays: { total: 0, max: 0, approximate: false }, openOverdue: 0 };
  const rehandling = { total: 0, replied: 0, onTime: 0, late: 0, openOverdue: 0 };
  const handlers = new Map<string, HandlerStats>();
  /** A handler's row, the proposal counted in its 承办. */
  const handlerRow = (key: string, name: string) => {
    const h = handlers.get(key) ?? { name, assigned: 0, replied: 0, onTime: 0, late: 0, openOverdue: 0, rehandled: 0 };
    h.assigned++;
    handlers.set(key, h);
    return h;
  };
  for (const r of rows) {
    const role = byRoleState[r.bureauRole];
    role.total++;
    role[r.state] = (role[r.state] ?? 0) + 1;
    const key = r.handlerId ?? r.handlerName;
    // 已调出: no longer the bureau's work, nor its former handler's (调整 keeps the handler named)
    const counted = r.state !== "transferred_out";
    const h = key && r.handlerName && counted ? handlerRow(key, r.handlerName) : null;
    // the first reply is whoever made it: after 再办理 and 改派 the proposal is in both rows' 承办
    const first = r.firstHandler && counted && r.firstHandler.id !== key ? handlerRow(r.firstHandler.id, r.firstHandler.name) : h;
    if (r.repliedOn && r.due) {
      timeliness.replied++;
      if (first) first.replied++;
      if (r.repliedOn <= r.due) {
        timeliness.onTime++;
        if (first) first.onTime++;
      } else {
        timeliness.late++;
        if (first) first.late++;
        const wd = workingDaysBetween(calendar, r.due, r.repliedOn);
        const days = wd.ok ? wd.days : daysBetween(r.due, r.repliedOn);
        if (!wd.ok) timeliness.lateDays.approximate = true;
        timeliness.lateDays.total += days;
        timeliness.lateDays.max = Math.max(timeliness.lateDays.max, days);
      }
    } else if (r.repliedOn) {
      // answered, but the deadline it had is unknown (再办理 recorded before the first deadline was kept)
      timeliness.replied++;
      if (first) first.replied++;
    } else if (!r.repliedOn && r.due && r.due < today && !["closed", "transferred_out"].includes(r.state)) {
      timeliness.openOverdue++;
      if (h) h.openOverdue++;
    }
    // a person's row counts the proposal in 承办 once, however many of its replies were theirs
    const rowOf = new Map<string, HandlerStats | null>([...(key ? [[key, h] as const] : []), ...(r.firstHandler ? [[r.firstHandler.id, first] as const] : [])]);
    for (const earlier of r.earlierRehandlings ?? []) {
      rehandling.total++;
      const who = earlier.handler;
      if (who && counted && !rowOf.has(who.id)) rowOf.set(who.id, handlerRow(who.id, who.name));
      const row = who ? (rowOf.get(who.id) ?? null) : h;
      if (!earlier.repliedOn) continue;
      rehandling.replied++;
      if (row) row.rehandled++;
      if (earlier.due && earlier.repliedOn > earlier.due) rehandling.late++;
      else if (earlier.due) rehandling.onTime++;
    }
    if (r.rehandling) {
      const again = r.rehandling;
      rehandling.total++;
      if (again.repliedOn) {
        rehandling.replied++;
        // its handler answered it: the row said 已答复 0 for a handler whose only reply was this one
        if (h) h.rehandled++;
        // as for the first reply: neither 按时 nor 超期 where its deadline is unknown
        if (again.due && again.repliedOn > again.due) rehandling.late++;
        else if (again.due) rehandling.onTime++;
      } else if (again.due && again.due < today && !["closed", "transferred_out"].includes(r.state)) {
        rehandling.openOverdue++;
        // the handler sitting on an overdue 再办理 reply has open overdue work
        if (h) h.openOverdue++;
      }
    }
    // Outcomes count replies (a 会办 opinion has none).
    if (r.bureauRole !== "co" && r.repliedOn) outcomes[r.outcome ?? "none"]++;
    // The lead unit asks the proposer about a 会办 proposal (the workflow records no feedback for it):
    // an answer on one, imported or from before, is not this bureau's.
    if (r.feedback && r.bureauRole !== "co") {
      satisfaction[r.feedback]++;
      satisfaction.answered++;
    }
  }
  satisfaction.satisfiedRate = satisfaction.answered ? (satisfaction.satisfied + satisfaction.basically_satisfied) / satisfaction.answered : null;
  return {
    total: rows.length,
    byRoleState,
    timeliness,
    rehandling,
    outcomes,
    satisfaction,
    byHandler: [...handlers.values()].sort((a, b) => b.assigned - a.assigned || a.name.localeCompare(b.name, "zh-CN")),
  };
}

/**
 * What each table counts, said under it on the page and in the XLSX beside it (read alone, its
 * 已答复 was taken for every reply).
 */
export const STATISTICS_NOTES = {
  按时答复: "按首次答复统计；提案者不满意后的再办理另列。",
  再办理: "提案者每次不满意即再办理一次，各按其自身期限统计；再次答复后提案者又不满意的，该次答复仍计入。",
  满意度:
    "按提案者对本单位主办、分办答复的最近一次意见统计（不满意后再办理的，再次答复后登记的意见替代原意见，登记前仍计不满意；不满意的次数见“再办理”）；一件提案有多位提案者的，以最不满意的意见为准；会办提案由主办单位征询，不计入。",
  承办人:
    "“已答复”“按时”“超期”按首次答复计；再办理的答复计入“再办理已答复”，记在提交该答复签发的承办人名下。再办理时改派的提案，首次答复计入作出答复的承办人，再办理计入现承办人，两人各计承办一件。",
} as const;

/** "85.7%" — one decimal, or "—" when nothing was answered. */
export function percent(rate: number | null): string {
  return rate == null ? "—" : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

export { PROPOSAL_STATES };
