/**
 * `npm run build` — the deploy-time build: the Remix app (build/index.js, public/build) and the
 * server entry with its worker threads compiled by esbuild (build/start.mjs,
 * build/render-worker.mjs, build/untrusted-worker.mjs), so production runs on plain `node` without tsx (no wrapper
 * process, no TypeScript compiled at start). npm packages stay external (node_modules).
 */
import { spawnSync } from "node:child_process";
import { build } from "esbuild";
import { nodeBundle } from "./esbuild-options.mjs";

const remix = spawnSync("npx", ["remix", "build"], { stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
if (remix.status !== 0) process.exit(remix.status ?? 1);

await build({
  ...nodeBundle,
  entryPoints: { start: "scripts/start.ts", "render-worker": "scripts/render-worker-entry.ts", "untrusted-worker": "scripts/untrusted-worker-entry.ts" },
  outdir: "build",
  outExtension: { ".js": ".mjs" },
});
console.log("已构建：build/index.js、build/start.mjs、build/render-worker.mjs、build/untrusted-worker.mjs");
