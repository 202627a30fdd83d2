/**
 * The 15-minute housekeeping run (one instance takes each run, through the job queue): what
 * is finished or counts nothing any more is removed, from the database and from this
 * machine's temporary directory.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "#db/client.server";
import { deleteExpiredSessions } from "~/auth/lucia.server";
import { deleteExpiredThrottles } from "~/auth/throttle.server";
import { deleteOldExportJobs } from "~/letters/export-jobs.server";
import { sweepPrintCache } from "~/letters/print.server";

/** Work files of a print or an export older than this were left by a process that stopped mid-way. */
const STALE_WORK_MS = 60 * 60_000;

/** Print work directories and export files left behind by a stopped process (a running one is minutes old). */
export function sweepStaleWorkFiles(now = Date.now(), dir = os.tmpdir()): number {
  let removed = 0;
  for (const name of fs.readdirSync(dir)) {
    if (!/^prd-print-(?!cache-)|^prd-letters-export-/.test(name)) continue;
    const file = path.join(dir, name);
    try {
      if (fs.statSync(file).mtimeMs < now - STALE_WORK_MS) {
        fs.rmSync(file, { recursive: true, force: true });
        removed++;
      }
    } catch {
      /* removed meanwhile */
    }
  }
  return removed;
}

export async function housekeeping(db: Db) {
  await deleteOldExportJobs(db);
  await deleteExpiredThrottles(db);
  await deleteExpiredSessions(db);
  sweepPrintCache();
  sweepStaleWorkFiles();
}
