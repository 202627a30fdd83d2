/**
 * Zod's own messages (those no schema overrides, e.g. "Too big: expected array to have <=5000
 * items") in Simplified Chinese, wherever zod runs: imported once by app/root.tsx (server and
 * browser) and by the CLI.
 */
import { z } from "zod";

z.config(z.locales.zhCN());
