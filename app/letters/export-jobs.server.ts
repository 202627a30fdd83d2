/**
 * Export jobs for the export page's progress bar: the server process writes the ZIP to a
 * temporary file while the page polls the job's progress; the finished file is then
 * downloaded like any file (with its size, so the browser shows its own progress too).
 *
 * Jobs live in this process's memory (on globalThis, shared by the server entry and the
 * bundle): the server is one process (docs/decisions/004). A job is visible only to the user
 * who started it; finished files are deleted after an hour, and when the process exits.
 * Without JavaScript the page skips all this and streams the ZIP directly
 * (routes/letters.export[.]zip.tsx).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Db } from "#db/client.server";
import { exportFileName, listExportItems, writeLettersZip, type ExportFilter } from "./export.server";
import { sharedRenderPool } from "./render-pool.server";

export type ExportJobState = "running" | "done" | "failed" | "cancelled";

export type ExportJob = {
  id: string;
  userId: string;
  filter: ExportFilter;
  fileName: string;
  total: number;
  done: number;
  failed: number;
  state: ExportJobState;
  error: string | null;
  bytes: number;
  startedAt: number;
  finishedAt: number | null;
  file: string;
  controller: AbortController;
};

/** What the page sees of a job. */
export type ExportJobView = Pick<ExportJob, "id" | "fileName" | "total" | "done" | "failed" | "state" | "error" | "bytes"> & { filter: ExportFilter };

const KEEP_MS = 60 * 60 * 1000;
/** Jobs running at once in the process; a user has at most one (starting another cancels it). */
const MAX_RUNNING = 3;

type Registry = { jobs: Map<string, ExportJob>; sweeper: NodeJS.Timeout | null };
const KEY = Symbol.for("proposal-reply-desk.exportJobs");

function registry(): Registry {
  const g = globalThis as unknown as Record<symbol, Registry | undefined>;
  let r = g[KEY];
  if (!r) {
    r = { jobs: new Map(), sweeper: null };
    g[KEY] = r;
    const jobs = r.jobs;
    // Leave no temporary files behind.
    process.once("exit", () => {
      for (const j of jobs.values()) fs.rmSync(j.file, { force: true });
    });
  }
  if (!r.sweeper) {
    r.sweeper = setInterval(sweep, 5 * 60 * 1000);
    r.sweeper.unref();
  }
  return r;
}

function sweep() {
  const { jobs } = registry();
  const now = Date.now();
  for (const j of jobs.values()) {
    if (j.finishedAt && now - j.finishedAt > KEEP_MS) {
      fs.rmSync(j.file, { force: true });
      jobs.delete(j.id);
    }
  }
}

export class ExportBusyError extends Error {
  constructor() {
    super("服务器正在处理其他导出任务，请稍后再试。");
  }
}

export function viewOf(j: ExportJob): ExportJobView {
  return { id: j.id, fileName: j.fileName, total: j.total, done: j.done, failed: j.failed, state: j.state, error: j.error, bytes: j.bytes, filter: j.filter };
}

/**
 * Starts writing the export to a temporary file and returns at once. Returns null when no
 * letter matches (nothing to export).
 */
export async function startExportJob(db: Db, r: { userId: string; filter: ExportFilter; today: string }): Promise<ExportJob | null> {
  const { jobs } = registry();
  sweep();
  for (const j of jobs.values()) if (j.userId === r.userId && j.state === "running") cancelJob(j);
  if ([...jobs.values()].filter((j) => j.state === "running").length >= MAX_RUNNING) throw new ExportBusyError();

  const items = await listExportItems(db, r.filter);
  if (!items.length) return null;
  const id = randomUUID();
  const job: ExportJob = {
    id,
    userId: r.userId,
    filter: r.filter,
    fileName: exportFileName(r.filter, r.today),
    total: items.length,
    done: 0,
    failed: 0,
    state: "running",
    error: null,
    bytes: 0,
    startedAt: Date.now(),
    finishedAt: null,
    file: path.join(os.tmpdir(), `prd-letters-export-${id}.zip`),
    controller: new AbortController(),
  };
  jobs.set(id, job);
  const out = fs.createWriteStream(job.file, { mode: 0o600 });
  const closed = new Promise<void>((resolve) => out.once("close", () => resolve()));
  writeLettersZip(db, items, out, {
    pool: sharedRenderPool(),
    signal: job.controller.signal,
    onProgress: (p) => {
      job.done = p.done;
    },
  })
    .then(async (result) => {
      await closed;
      job.failed = result.failed;
      job.bytes = result.bytes;
      job.state = "done";
    })
    .catch(async (e: Error) => {
      await closed;
      fs.rmSync(job.file, { force: true });
      if (job.state === "running") {
        job.state = "failed";
        job.error = "导出失败，请重试；如问题持续，请联系系统管理员。";
        console.error("[letters] 导出失败：", e);
      }
    })
    .finally(() => {
      job.finishedAt = Date.now();
    });
  return job;
}

function cancelJob(j: ExportJob) {
  j.state = "cancelled";
  j.controller.abort(new Error("已取消"));
}

/** The job, if it exists and belongs to this user. */
export function getExportJob(id: string, userId: string): ExportJob | null {
  const j = registry().jobs.get(id);
  return j && j.userId === userId ? j : null;
}

export function cancelExportJob(id: string, userId: string): boolean {
  const j = getExportJob(id, userId);
  if (j?.state !== "running") return false;
  cancelJob(j);
  return true;
}
