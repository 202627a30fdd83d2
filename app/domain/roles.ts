/**
 * User roles and coarse capabilities. Fine-grained rules that depend on a
 * proposal (its state, its handler) live in workflow.ts; this module answers
 * "may this kind of user ever do X", e.g. for menus and route guards.
 */

export const ROLES = ["admin", "registrar", "handler", "leader", "viewer"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "系统管理员",
  registrar: "登记员",
  handler: "承办人",
  leader: "签发领导",
  viewer: "只读用户",
};

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

export const CAPABILITIES = [
  "proposal.register", // 登记提案
  "proposal.assign", // 分派 / 改派承办人
  "proposal.read_all", // 查看全部提案（承办人只看分派给自己的）
  "proposal.draft", // 起草、提交签发（仅限分派给本人的提案）
  "proposal.send", // 发送答复
  "proposal.publish", // 公开答复
  "proposal.record_feedback", // 登记征询意见
  "reassignment.request", // 申请调整
  "reassignment.decide", // 同意 / 不同意调整
  "letter.sign", // 签发、退回修改
  "extension.request", // 申请延期
  "extension.approve", // 批准延期
  "user.manage",
  "calendar.edit",
  "deadline.rules.edit",
  "document_number.edit", // 设定下一个发文字号
  "library.edit", // 维护可复用的政策段落
  "letter.export", // 批量导出已签发的答复函（ZIP）
  "audit.read", // 查看、导出安全审计日志
] as const;
export type Capability = (typeof CAPABILITIES)[number];

export const CAPABILITY_LABELS: Record<Capability, string> = {
  "proposal.register": "登记提案",
  "proposal.assign": "分派承办人",
  "proposal.read_all": "查看全部提案",
  "proposal.draft": "起草答复",
  "proposal.send": "发送答复",
  "proposal.publish": "公开答复",
  "proposal.record_feedback": "登记征询意见",
  "reassignment.request": "申请调整",
  "reassignment.decide": "审核调整申请",
  "letter.sign": "签发答复",
  "extension.request": "申请延期",
  "extension.approve": "批准延期",
  "user.manage": "管理用户",
  "calendar.edit": "维护工作日历",
  "deadline.rules.edit": "设置办理期限规则",
  "document_number.edit": "设置发文字号",
  "library.edit": "维护段落库",
  "letter.export": "批量导出答复函",
  "audit.read": "查看审计日志",
};

// The admin is a system administrator, not a superuser: drafting stays with
// the handler and signing with a leader, so the history names the real actor.
const GRANTS: Record<Role, readonly Capability[]> = {
  admin: [
    "proposal.register",
    "proposal.assign",
    "proposal.read_all",
    "proposal.publish",
    "reassignment.request",
    "reassignment.decide",
    "extension.approve",
    "user.manage",
    "calendar.edit",
    "deadline.rules.edit",
    "document_number.edit",
    "library.edit",
    "letter.export",
    "audit.read",
  ],
  registrar: [
    "proposal.register",
    "proposal.assign",
    "proposal.read_all",
    "proposal.send",
    "proposal.publish",
    "proposal.record_feedback",
    "reassignment.request",
    "extension.request",
    "library.edit",
    "letter.export",
  ],
  handler: ["proposal.draft", "extension.request", "proposal.send", "proposal.record_feedback", "reassignment.request", "library.edit"],
  leader: ["proposal.read_all", "letter.sign", "extension.approve"],
  viewer: ["proposal.read_all"],
};

export function can(role: Role, capability: Capability): boolean {
  return GRANTS[role].includes(capability);
}

export function capabilitiesOf(role: Role): readonly Capability[] {
  return GRANTS[role];
}

export function rolesWith(capability: Capability): Role[] {
  return ROLES.filter((r) => can(r, capability));
}

/** The admin pages, each behind its capability (the 管理 page and navigation list them). */
export const ADMIN_SECTIONS: readonly { to: string; label: string; description: string; capability: Capability }[] = [
  { to: "/admin/users", label: "用户管理", description: "创建账号、设置角色和联系电话、停用离岗人员。", capability: "user.manage" },
  { to: "/admin/deadlines", label: "期限规则", description: "每批交办的答复、会办和申请调整期限，提醒天数；承办人可见范围。", capability: "deadline.rules.edit" },
  { to: "/admin/calendar", label: "工作日历", description: "法定节假日与调休上班日，按年度维护。", capability: "calendar.edit" },
  { to: "/admin/numbers", label: "发文字号", description: "设定各年度下一个文号，登记系统外已使用的文号。", capability: "document_number.edit" },
  { to: "/admin/audit", label: "审计日志", description: "登录、越权访问、用户与权限变更、日历和规则修改、下载导出与公开：谁、何时、从哪里、做了什么。", capability: "audit.read" },
];
