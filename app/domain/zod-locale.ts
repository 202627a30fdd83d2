/**
 * Zod's own messages (those no schema overrides, e.g. "Too big: expected array to have <=5000
 * items") in Simplified Chinese, wherever zod runs: imported once by app/root.tsx (server and
 * browser) and by the CLI.
 */
import { z } from "zod";

z.config(z.locales.zhCN());
// A value outside a list can only come from a forged or stale form (a <select>, a hidden field):
// the locale's wording would show the internal values (无效选项：期望以下之一 "lead"|"co"…).
z.config({ customError: (issue) => (issue.code === "invalid_value" ? "所选的值无效，请刷新页面后重新选择" : undefined) });
