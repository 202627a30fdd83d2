/** Printed letters on disk: private to the server's user, and swept when old or left behind. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { sweepStaleWorkFiles } from "~/jobs/housekeeping.server";
import { PRINT_CACHE_DAYS, printCacheDir, sweepPrintCache } from "~/letters/print.server";

const age = (file: string, ms: number) => {
  const t = new Date(Date.now() - ms);
  fs.utimesSync(file, t, t);
};

it("the print cache (drafts, 不予公开 letters) is readable by the server's user only; prints not asked for in a week are removed", () => {
  const root = printCacheDir();
  expect(fs.statSync(root).mode & 0o777).toBe(0o700);
  const old = path.join(root, "0".repeat(32));
  const recent = path.join(root, "1".repeat(32));
  for (const d of [old, recent]) fs.mkdirSync(d, { recursive: true });
  age(old, (PRINT_CACHE_DAYS + 1) * 86_400_000);
  sweepPrintCache();
  expect(fs.existsSync(old)).toBe(false);
  expect(fs.existsSync(recent)).toBe(true);
  fs.rmSync(recent, { recursive: true });
});

it("work files a stopped process left (a print's folder, an export's ZIP) are removed after an hour; the cache and others' files stay", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prd-sweep-test-"));
  const names = ["prd-print-abc123", "prd-letters-export-42.zip", "prd-print-cache-xyz", "prd-print-fresh", "someone-elses-file"];
  for (const n of names) n.endsWith(".zip") || n === "someone-elses-file" ? fs.writeFileSync(path.join(tmp, n), "x") : fs.mkdirSync(path.join(tmp, n));
  for (const n of names.filter((n) => n !== "prd-print-fresh")) age(path.join(tmp, n), 2 * 3_600_000);
  expect(sweepStaleWorkFiles(Date.now(), tmp)).toBe(2);
  expect(fs.readdirSync(tmp).sort()).toEqual(["prd-print-cache-xyz", "prd-print-fresh", "someone-elses-file"]);
  fs.rmSync(tmp, { recursive: true });
});
