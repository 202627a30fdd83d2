/**
 * How tests run the CLI: the bundle tests/support/cli-bundle.ts compiles from scripts/cli.ts at the
 * start of the run, on plain node (what `npm run cli` runs, without compiling it per call).
 */
export const CLI_BUNDLE = "tests/.artifacts/cli.mjs";

export const CLI = [process.execPath, [CLI_BUNDLE]] as const;

/** The arguments for execFile/spawn: `execFile(CLI[0], cliArgs("stats", "--json"))`. */
export const cliArgs = (...args: string[]) => [...CLI[1], ...args];
