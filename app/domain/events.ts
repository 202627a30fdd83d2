/** The history's vocabulary: event kinds and how the page names them. Browser-safe. */
export const EVENT_LABELS: Record<string, string> = {
  registered: "登记提案",
  imported: "批量导入登记",
  updated: "修改登记信息",
  attachment_added: "上传原件",
};
