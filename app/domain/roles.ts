/**
 * User roles. What each role may do is decided in permissions.ts (the one policy); the
 * workflow's transition table asks it too.
 */
import type { GlobalPermission } from "./permissions";

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

/** The admin pages, each behind its permission (the 管理 page and navigation list them). */
export const ADMIN_SECTIONS: readonly { to: string; label: string; description: string; permission: GlobalPermission }[] = [
  { to: "/admin/users", label: "用户管理", description: "创建账号、设置角色和联系电话、停用离岗人员。", permission: "user.manage" },
  { to: "/admin/deadlines", label: "期限规则", description: "每批交办的答复、会办和申请调整期限，提醒天数；承办人可见范围。", permission: "deadline.rules.edit" },
  { to: "/admin/calendar", label: "工作日历", description: "法定节假日与调休上班日，按年度维护。", permission: "calendar.edit" },
  { to: "/admin/meetings", label: "会议", description: "一次改正登记时写错的会议名称；同一会议登记成两个名称时合并为一个。", permission: "proposal.register" },
  { to: "/admin/numbers", label: "发文字号", description: "设定各年度下一个文号，登记系统外已使用的文号。", permission: "document_number.edit" },
  {
    to: "/admin/redactions",
    label: "公开隐去规则",
    description: "公开网站上要隐去的文字或规则（全部答复或某一文号），谁定的、为什么；内部答复函不受影响。",
    permission: "redaction.manage",
  },
  { to: "/admin/audit", label: "审计日志", description: "登录、越权访问、用户与权限变更、日历和规则修改、下载导出与公开：谁、何时、从哪里、做了什么。", permission: "audit.read" },
];
