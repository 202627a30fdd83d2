/**
 * How tests run `npm run cli`: node with tsx's loader, not `npx tsx` — the same code path
 * without npx's start-up and tsx's wrapper process (~0.8 s per call, ~35 calls per run).
 */
export const CLI = [process.execPath, ["--import", "tsx", "scripts/cli.ts"]] as const;

/** The arguments for execFile/spawn: `execFile(CLI[0], cliArgs("stats", "--json"))`. */
export const cliArgs = (...args: string[]) => [...CLI[1], ...args];
