/**
 * Starting a worker thread on one of the app's modules: in production (`npm start`) the module
 * compiled by scripts/build.mjs (plain node), elsewhere (dev, tests, CLI) its TypeScript source
 * through tsx's `tsImport`. The module exports `serve(port)`; a worker that cannot load it
 * posts `{ bootError }`.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type ResourceLimits, Worker } from "node:worker_threads";

// Resolved from the working directory like db/migrations: inside the Remix server bundle
// import.meta.url points into build/.
const ROOT = process.cwd();

const BOOT = `
const { parentPort, workerData } = require("node:worker_threads");
Promise.resolve()
  .then(() => import(workerData.tsx))
  .then(({ tsImport }) => tsImport(workerData.module, workerData.parent))
  .then((m) => m.serve(parentPort))
  .catch((e) => parentPort.postMessage({ bootError: String((e && e.stack) || e) }));
`;

/** file: URL of tsx's ESM API (its CommonJS build cannot load inside a worker that inherits tsx's loader). */
function tsxApiUrl(): string {
  const pkgPath = createRequire(path.join(ROOT, "package.json")).resolve("tsx/package.json");
  const pkg = JSON.parse(fs.readFileSync(pkgPath, "utf8")) as { exports: Record<string, { import: { default: string } }> };
  return pathToFileURL(path.join(path.dirname(pkgPath), pkg.exports["./esm/api"].import.default)).href;
}

/** `source`: the module under the project (app/…/x.server.ts); `built`: its compiled file (build/x.mjs). */
export function startModuleWorker(r: { source: string; built: string; resourceLimits?: ResourceLimits }): Worker {
  const built = path.join(ROOT, r.built);
  if (process.env.NODE_ENV === "production" && fs.existsSync(built)) return new Worker(built, { stdin: false, resourceLimits: r.resourceLimits });
  return new Worker(BOOT, {
    eval: true,
    workerData: { tsx: tsxApiUrl(), module: path.join(ROOT, r.source), parent: pathToFileURL(ROOT + "/").href },
    stdin: false,
    resourceLimits: r.resourceLimits,
  });
}
