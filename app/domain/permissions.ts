/**
 * The authorization policy — the one place that says who may do what, for pages, actions,
 * menus and the workflow's transition table alike (in the style of the epic-stack's
 * permissions: an action on an entity with an "own" or "any" scope).
 *
 * "own" means the proposal is assigned to the user (they are its 承办人); "any" means every
 * proposal. Pure and shared by server and browser: the server decides, the browser only
 * uses it to hide what would be refused anyway.
 */
import { ROLE_LABELS, ROLES, type Role } from "./roles";

export const ACCESS = ["own", "any"] as const;
export type Access = (typeof ACCESS)[number];

/** Actions on one proposal: answered for that proposal (own or any). */
export const PROPOSAL_PERMISSIONS = {
  "proposal.read": "查看提案",
  "proposal.draft": "签收、起草答复、提交签发",
  "proposal.send": "发送答复",
  "proposal.record_feedback": "登记征询意见",
  "proposal.close": "办结会办提案",
  "proposal.manage_co_units": "维护会办单位",
  "reassignment.request": "申请调整",
  "extension.request": "申请延期",
  "letter.correct": "更正已签发的答复",
} as const;
export type ProposalPermission = keyof typeof PROPOSAL_PERMISSIONS;

/** Actions that do not depend on a particular proposal's 承办人. */
export const GLOBAL_PERMISSIONS = {
  "proposal.register": "登记、修改提案，上传原件",
  "proposal.assign": "分派、改派承办人",
  "proposal.publish": "公开答复",
  "publication.withdraw": "撤回公开的答复",
  "redaction.manage": "维护公开隐去规则",
  "reassignment.decide": "审核调整申请",
  "letter.sign": "签发、退回修改",
  "extension.approve": "批准延期",
  "user.manage": "管理用户",
  "calendar.edit": "维护工作日历",
  "deadline.rules.edit": "设置办理期限规则",
  "document_number.edit": "设置发文字号",
  "library.edit": "维护段落库",
  "letter.export": "批量导出答复函",
  "audit.read": "查看审计日志",
  "stats.read": "查看办理情况统计",
} as const;
export type GlobalPermission = keyof typeof GLOBAL_PERMISSIONS;

export type Permission = ProposalPermission | GlobalPermission;
export const PERMISSION_LABELS: Record<Permission, string> = { ...PROPOSAL_PERMISSIONS, ...GLOBAL_PERMISSIONS };
export const PERMISSIONS = Object.keys(PERMISSION_LABELS) as Permission[];

export function isProposalPermission(p: Permission): p is ProposalPermission {
  return p in PROPOSAL_PERMISSIONS;
}

// The admin is a system administrator, not a superuser: drafting stays with the handler and
// signing with a leader, so the history names the real actor.
const GRANTS: Record<Role, Partial<Record<Permission, Access>>> = {
  admin: {
    "proposal.read": "any",
    "proposal.register": "any",
    "proposal.assign": "any",
    "proposal.publish": "any",
    "publication.withdraw": "any",
    "redaction.manage": "any",
    "proposal.manage_co_units": "any",
    "reassignment.request": "any",
    "reassignment.decide": "any",
    "extension.approve": "any",
    "user.manage": "any",
    "calendar.edit": "any",
    "deadline.rules.edit": "any",
    "document_number.edit": "any",
    "library.edit": "any",
    "letter.export": "any",
    "audit.read": "any",
    "stats.read": "any",
  },
  registrar: {
    "proposal.read": "any",
    "proposal.register": "any",
    "proposal.assign": "any",
    "proposal.send": "any",
    "proposal.publish": "any",
    "redaction.manage": "any",
    "proposal.record_feedback": "any",
    "proposal.close": "any",
    "proposal.manage_co_units": "any",
    "reassignment.request": "any",
    "extension.request": "any",
    "library.edit": "any",
    "letter.export": "any",
    "stats.read": "any",
  },
  handler: {
    "proposal.read": "own",
    "proposal.draft": "own",
    "proposal.send": "own",
    "proposal.record_feedback": "own",
    "proposal.close": "own",
    "proposal.manage_co_units": "own",
    "reassignment.request": "own",
    "extension.request": "own",
    "letter.correct": "own",
    "library.edit": "any",
  },
  leader: {
    "proposal.read": "any",
    "letter.sign": "any",
    "letter.correct": "any",
    "extension.approve": "any",
    "stats.read": "any",
  },
  viewer: { "proposal.read": "any", "stats.read": "any" },
};

/** Settings that widen the policy (kept by the admin in 期限规则). */
export interface PolicySettings {
  /** Handlers may read every proposal, not only their own (they still act only on their own). */
  handlersMayReadAll?: boolean;
}

export interface Subject {
  id: string;
  role: Role;
}

/** The scope this user holds for a permission, or null. */
export function accessOf(user: Pick<Subject, "role">, permission: Permission, settings: PolicySettings = {}): Access | null {
  const granted = GRANTS[user.role][permission] ?? null;
  if (permission === "proposal.read" && granted === "own" && settings.handlersMayReadAll) return "any";
  return granted;
}

/** The proposal a proposal permission is asked about: only its 承办人 matters to the policy. */
export interface ProposalResource {
  handlerId: string | null;
}

/**
 * May this user do this? Proposal permissions must name the proposal (so an "own" scope is
 * never mistaken for "any"); global permissions take none. For "could this user ever …"
 * (menus, the 管理 page) use mayEver.
 */
export function may(user: Subject, permission: ProposalPermission, resource: ProposalResource, settings?: PolicySettings): boolean;
export function may(user: Subject, permission: GlobalPermission): boolean;
export function may(user: Subject, permission: Permission, resource?: ProposalResource, settings?: PolicySettings): boolean {
  const access = accessOf(user, permission, settings);
  if (access === "any") return true;
  if (access !== "own" || !resource) return false;
  return resource.handlerId != null && resource.handlerId === user.id;
}

/** Whether the user holds the permission in some scope — for menus and route guards only. */
export function mayEver(user: Pick<Subject, "role">, permission: Permission): boolean {
  return accessOf(user, permission) !== null;
}

/** Who may, in words: "系统管理员或本提案的承办人" — for refusal messages. */
export function whoMay(permission: Permission): string {
  const names: string[] = [];
  // The person closest to the work first: "本提案的承办人或登记员".
  for (const role of ["handler", "registrar", "leader", "admin", "viewer"] as const) {
    const a = GRANTS[role][permission];
    if (a === "any") names.push(ROLE_LABELS[role]);
    else if (a === "own") names.push("本提案的承办人");
  }
  return names.join("或");
}

/** Roles holding a permission in some scope, or only in `scope` (e.g. whom to list as library owners). */
export function rolesWith(permission: Permission, scope?: Access): Role[] {
  return ROLES.filter((r) => (scope ? GRANTS[r][permission] === scope : GRANTS[r][permission] != null));
}

/** What a role holds, for the user-management page. */
export function grantsOf(role: Role): readonly { permission: Permission; access: Access }[] {
  return PERMISSIONS.flatMap((permission) => {
    const access = GRANTS[role][permission];
    return access ? [{ permission, access }] : [];
  });
}
