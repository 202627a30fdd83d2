/**
 * `npm start` — production start on plain node. Builds once when there is no build yet (a fresh
 * clone), never on every start: after changing the code, deploy with `npm run build`. For
 * development use `npm run dev` (tsx, rebuilds when sources change).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const needed = ["build/index.js", "build/start.mjs", "build/render-worker.mjs"];
if (needed.some((f) => !fs.existsSync(f))) {
  console.log("尚未构建，正在构建（npm run build）…");
  const r = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
process.env.NODE_ENV ??= "production";
await import(new URL("../build/start.mjs", import.meta.url).href);
