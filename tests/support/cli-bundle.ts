/**
 * Vitest global setup of the integration tests: `scripts/cli.ts` compiled once per run, as
 * `npm run build` compiles the server (scripts/esbuild-options.mjs), into tests/.artifacts/cli.mjs.
 * Each CLI call then starts plain node (~0.6 s of CPU) instead of compiling the CLI's TypeScript
 * again through tsx (~2 s) — some 50 calls per run. `npm run cli` itself (tsx) is run by a test too.
 */
import { build } from "esbuild";
import { nodeBundle } from "../../scripts/esbuild-options.mjs";
import { CLI_BUNDLE } from "./cli";

export default async function setup() {
  await build({ ...nodeBundle, sourcemap: "inline", entryPoints: ["scripts/cli.ts"], outfile: CLI_BUNDLE });
}
