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
  feedback_corrected: "更正征询意见",
  draft_repaired: "修复答复稿中的乱码字符",
  deadline_recomputed: "期限重新计算",
  ...ACTION_LABELS,
};

/** An entry of the history written after the page the user acted from was shown. */
export type MeanwhileEvent = { kind: string; actorName: string | null; self: boolean; time: string };

const MEANWHILE_SHOWN = 3;

/**
 * Why an action from an older page was refused, naming who did what since (the page is refreshed
 * with it). Without history entries (an old page, or a change that writes none) it says so generally.
 */
export function meanwhileMessage(meanwhile: MeanwhileEvent[], tail = "页面已刷新为最新状态，请确认后再操作。"): string {
  if (!meanwhile.length) return `其他人刚刚办理了这件提案，${tail}`;
  const shown = meanwhile.slice(-MEANWHILE_SHOWN).map((e) => `${e.time} ${e.self ? "您本人（在另一窗口）" : (e.actorName ?? "系统")}：${EVENT_LABELS[e.kind] ?? e.kind}`);
  const earlier = meanwhile.length - shown.length;
  const who = meanwhile.every((e) => e.self) ? "您在另一窗口" : "其他人";
  return `您打开本页后，${who}办理了这件提案（${earlier ? `另有更早的 ${earlier} 项，` : ""}${shown.join("；")}），您的操作未执行。${tail}`;
}
