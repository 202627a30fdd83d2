/** The history's vocabulary: event kinds and how the page names them. Browser-safe. */
import { ACTION_LABELS } from "./workflow";

export const EVENT_LABELS: Record<string, string> = {
  registered: "登记提案",
  imported: "批量导入登记",
  updated: "修改登记信息",
  attachment_added: "上传原件",
  extension_requested: "申请延期",
  extension_approved: "批准延期",
  extension_rejected: "不批准延期",
  co_unit_added: "添加会办单位",
  co_unit_removed: "删除会办单位",
  co_opinion: "登记会办意见",
  history_imported: "录入历史办理结果",
  letter_imported: "录入系统外签发的答复函",
  publication_withdrawn: "撤回公开",
  publication_restored: "重新公开此前的答复",
  draft_repaired: "修复答复稿中的乱码字符",
  deadline_recomputed: "期限重新计算",
  ...ACTION_LABELS,
};
