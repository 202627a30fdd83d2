/**
 * Zod's own messages (those no schema overrides, e.g. "Too big: expected array to have <=5000
 * items") in Simplified Chinese, wherever zod runs: imported once by app/root.tsx (server and
 * browser) and by the CLI.
 */
import { z } from "zod";

z.config(z.locales.zhCN());
// A value outside a list comes from a forged or stale form (a <select>, a hidden field) or a
// mistyped setting: the locale's wording would show internal values (无效选项：期望以下之一 "lead"|"co"…).
// A field left out or of the wrong kind also comes only from a forged or stale form: the locale
// named types (无效输入：期望 string，实际接收 undefined; 期望 数字，实际接收 NaN). Plain words, no page
// named: the CLI reads its JSON and flags with the same schemas.
z.config({
  customError: (issue) => {
    if (issue.code === "invalid_value") return "所选的值不在可选范围内，请重新选择";
    if (issue.code === "invalid_type") return issue.input === undefined || issue.input === null ? "请填写此项" : "格式不对";
    return undefined;
  },
});
