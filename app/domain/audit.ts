import { z } from "zod";
import { normalizeDateInput } from "./proposal";
import { isValidIsoDate } from "./letter";

/** The security audit log's vocabulary (等保 2.0 安全审计): what is recorded and how the page names it. Browser-safe. */
export const AUDIT_ACTIONS = {
  sign_in: "登录",
  sign_in_failed: "登录失败",
  sign_out: "退出",
  password_changed: "修改密码",
  password_change_failed: "修改密码失败",
  sessions_ended: "退出其他会话",
  refused: "越权访问被拒绝",
  user_created: "创建用户",
  user_updated: "修改用户",
  calendar_changed: "修改工作日历",
  rules_changed: "修改期限规则",
  numbers_changed: "修改发文字号",
  meeting_changed: "修改会议名称或合并会议",
  letter_downloaded: "下载答复函",
  letters_exported: "导出答复函",
  stats_exported: "导出办理情况统计",
  deadlines_exported: "导出办理期限",
  audit_exported: "导出审计日志",
  published: "公开答复",
  withdrawn: "撤回公开",
  redaction_changed: "修改公开隐去规则",
  library_changed: "修改段落库",
  backup: "备份数据库",
  restore: "恢复数据库",
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;
export const isAuditAction = (v: unknown): v is AuditAction => typeof v === "string" && v in AUDIT_ACTIONS;

/** The audit page's filters (also the CSV export's): anything unreadable is simply not a filter. */
const date = z
  .string()
  .optional()
  .transform((s) => (s ? normalizeDateInput(s) : undefined))
  .pipe(
    z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .refine(isValidIsoDate) // 2021-13-45 or 2021-02-30 is no date (an invalid Date made the query throw)
      // year 0001 is a date PostgreSQL cannot take once moved to UTC (a 500); nothing is logged outside these years
      .refine((s) => s >= "2000-01-01" && s <= "2100-12-31")
      .optional(),
  )
  .catch(undefined);
export const auditFiltersSchema = z.object({
  action: z
    .string()
    .optional()
    .transform((s) => (isAuditAction(s) ? (s as AuditAction) : undefined)),
  actor: z
    .string()
    .optional()
    .transform((s) => s?.trim().slice(0, 40) || undefined),
  from: date,
  to: date,
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});
