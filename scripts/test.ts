/**
 * `npm test`: type check, format and lint (Biome), then every vitest project (unit, letters, integration on both
 * databases), then the Playwright end-to-end run. Prints one closing line
 * "N passed, N failed, N skipped" over all of them; exits non-zero if anything failed.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";

const ART = "tests/.artifacts";
fs.mkdirSync(`${ART}/screens`, { recursive: true });
for (const f of ["vitest-results.json", "e2e-results.json"]) fs.rmSync(`${ART}/${f}`, { force: true });

const step = (title: string, cmd: string, args: string[]) => {
  console.log(`\n━━ ${title} ━━`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: process.env });
  return r.status === 0;
};

const only = process.argv.slice(2); // e.g. `npm test -- unit integration`
const wants = (name: string) => only.length === 0 || only.includes(name);
let ok = true;
let typeFailures = 0;

if (wants("types")) {
  const typesOk = step("类型检查 (tsc)", "npx", ["tsc", "--noEmit"]);
  if (!typesOk) typeFailures = 1;
  ok = typesOk && ok;
}
if (wants("lint")) {
  // Formatting and lint rules: biome.json (the rules the code keeps, and why some are off).
  const lintOk = step("格式与代码检查 (Biome)", "npx", ["biome", "check", "."]);
  if (!lintOk) typeFailures += 1;
  ok = lintOk && ok;
}
const projects = ["unit", "letters", "integration"].filter(wants);
if (projects.length) {
  ok =
    step("单元、公文与集成测试 (vitest)", "npx", [
      "vitest",
      "run",
      ...projects.flatMap((p) => ["--project", p]),
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${ART}/vitest-results.json`,
    ]) && ok;
}
if (wants("e2e")) ok = step("端到端测试 (Playwright + Chromium)", "npx", ["tsx", "tests/e2e/run.ts"]) && ok;

let passed = 0;
let failed = typeFailures;
let skipped = 0;
try {
  const v = JSON.parse(fs.readFileSync(`${ART}/vitest-results.json`, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + v.numTodoTests;
} catch {
  if (projects.length) failed += 1; // vitest did not even report
}
try {
  const e = JSON.parse(fs.readFileSync(`${ART}/e2e-results.json`, "utf8"));
  passed += e.stats.expected + (e.stats.flaky ?? 0);
  failed += e.stats.unexpected;
  skipped += e.stats.skipped;
} catch {
  /* e2e skipped (printed why) or not requested */
}
if (!ok && failed === 0) failed = 1;
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(ok ? 0 : 1);
