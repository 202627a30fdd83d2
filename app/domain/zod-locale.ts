/**
 * Zod's own messages (those no schema overrides, e.g. "Too big: expected array to have <=5000
 * items") in Simplified Chinese, wherever zod runs: imported once by app/root.tsx (server and
 * browser) and by the CLI.
 */
import { z } from "zod";

z.config(z.locales.zhCN());
// A value outside a list comes from a forged or stale form (a <select>, a hidden field) or a
// mistyped setting: the locale's wording would show internal values (无效选项：期望以下之一 "lead"|"co"…).
z.config({ customError: (issue) => (issue.code === "invalid_value" ? "所选的值不在可选范围内，请重新选择" : undefined) });
