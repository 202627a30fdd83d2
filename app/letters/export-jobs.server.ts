/**
 * Export jobs for the export page's progress bar: a background job (app/jobs/queue.server.ts)
 * writes the ZIP while the page polls its progress; the finished file is then downloaded like
 * any file (with its size, so the browser shows its own progress too).
 *
 * Jobs live in the database (export_jobs): whichever app instance runs the job, any instance
 * shows its progress and serves the file. A job is visible only to the user who started it;
 * finished ones are deleted after an hour. Without JavaScript the page skips all this and
 * streams the ZIP directly (routes/letters.export[.]zip.tsx).
 */
import { takeTurn } from "~/models/locks.server";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { exportJobChunks, exportJobs } from "#db/schema";
import { enqueue, QUEUES } from "~/jobs/queue.server";
import { exportFileName, exportFilterSchema, listExportItems, writeLettersZip, type ExportFilter } from "./export.server";
import { sharedRenderPool } from "./render-pool.server";

export type ExportJobState = "running" | "done" | "failed" | "cancelled";

/** What the page sees of a job ("queued" shows as running with nothing done yet). */
export type ExportJobView = {
  id: string;
  fileName: string;
  total: number;
  done: number;
  failed: number;
  state: ExportJobState;
  error: string | null;
  bytes: number;
  filter: ExportFilter;
};

const KEEP_MS = 60 * 60 * 1000;
/** Jobs queued or running at once in the whole installation; a user has at most one (starting another cancels it). */
const MAX_RUNNING = 3;
/** Progress is written at most this often (ms) and checked for cancellation. */
const PROGRESS_EVERY_MS = 300;
/** A running job silent this long lost its instance (stopped, restarted): said at once, not after the half-hour sweep. */
export const STALLED_AFTER_MS = 2 * 60 * 1000;

/** Running jobs whose worker fell silent are failed with the reason: the user is told, and they leave the three places. */
async function failStalled(db: Db, now = Date.now()) {
  await db
    .update(exportJobs)
    .set({ state: "failed", error: "导出中断（服务器重启或停止），请重新导出。", finishedAt: new Date(now) })
    .where(and(eq(exportJobs.state, "running"), lt(exportJobs.heartbeatAt, new Date(now - STALLED_AFTER_MS))));
}

export class ExportBusyError extends Error {
  constructor() {
    super("服务器正在处理其他导出任务，请稍后再试。");
  }
}

const viewColumns = {
  id: exportJobs.id,
  fileName: exportJobs.fileName,
  total: exportJobs.total,
  done: exportJobs.done,
  failed: exportJobs.failed,
  state: exportJobs.state,
  error: exportJobs.error,
  bytes: exportJobs.bytes,
  filter: exportJobs.filter,
};
type Row = { [K in keyof typeof viewColumns]: (typeof exportJobs.$inferSelect)[K] };

function viewOf(r: Row): ExportJobView {
  return { ...r, state: r.state === "queued" ? "running" : r.state, filter: exportFilterSchema.parse(r.filter) };
}

/**
 * Queues the export and returns at once. Returns null when no letter matches (nothing to
 * export). `send` queues the job (the server's queue by default; tests pass their own).
 */
export async function startExportJob(
  db: Db,
  r: { userId: string; filter: ExportFilter; today: string },
  send: (data: { id: string }) => Promise<unknown> = (data) => enqueue(QUEUES.lettersExport, data),
): Promise<ExportJobView | null> {
  // Starts take turns (a transaction-scoped lock): several at once all counted the same running
  // jobs and went past MAX_RUNNING. The job is queued once its row is committed.
  const row = await db.transaction(async (tx) => {
    await takeTurn(tx, "letter-exports");
    await tx
      .update(exportJobs)
      .set({ state: "cancelled", finishedAt: new Date() })
      .where(and(eq(exportJobs.userId, r.userId), inArray(exportJobs.state, ["queued", "running"])));
    await failStalled(tx);
    const [{ running }] = await tx
      .select({ running: sql<number>`count(*)::int` })
      .from(exportJobs)
      .where(inArray(exportJobs.state, ["queued", "running"]));
    if (running >= MAX_RUNNING) throw new ExportBusyError();
    const items = await listExportItems(tx, r.filter);
    if (!items.length) return null;
    const [inserted] = await tx
      .insert(exportJobs)
      .values({ id: randomUUID(), userId: r.userId, filter: r.filter, fileName: exportFileName(r.filter, r.today), total: items.length })
      .returning(viewColumns);
    return inserted!;
  });
  if (!row) return null;
  await send({ id: row.id });
  return viewOf(row);
}

/** The job, if it exists and belongs to this user. */
export async function getExportJob(db: Db, id: string, userId: string): Promise<ExportJobView | null> {
  await failStalled(db);
  const [row] = await db
    .select(viewColumns)
    .from(exportJobs)
    .where(and(eq(exportJobs.id, id), eq(exportJobs.userId, userId)));
  return row ? viewOf(row) : null;
}

/** Stored and served a piece at a time (see export_job_chunks): one piece is ~2 MiB of the driver's hex text. */
export const EXPORT_CHUNK_BYTES = 1024 * 1024;

/**
 * The finished ZIP of this user's job, or null: its size, and its bytes as a stream that reads
 * one stored piece per pull, so a download holds one piece in memory however large the ZIP.
 */
export async function exportJobFile(db: Db, id: string, userId: string): Promise<{ fileName: string; bytes: number; stream: ReadableStream<Uint8Array> } | null> {
  const [row] = await db
    .select({
      fileName: exportJobs.fileName,
      bytes: exportJobs.bytes,
      pieces: sql<number>`(select count(*)::int from ${exportJobChunks} where ${exportJobChunks.jobId} = ${exportJobs.id})`,
    })
    .from(exportJobs)
    .where(and(eq(exportJobs.id, id), eq(exportJobs.userId, userId), eq(exportJobs.state, "done")));
  // (a job finished before its file was kept in pieces has none: gone, as an expired one)
  if (!row || row.pieces === 0) return null;
  let seq = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (seq >= row.pieces) return controller.close();
      const [piece] = await db
        .select({ content: exportJobChunks.content })
        .from(exportJobChunks)
        .where(and(eq(exportJobChunks.jobId, id), eq(exportJobChunks.seq, seq)));
      // deleted under a slow download (an hour after it finished): the browser sees a failed download, not a short file
      if (!piece) return controller.error(new Error("导出文件已过期"));
      seq += 1;
      controller.enqueue(new Uint8Array(piece.content.buffer, piece.content.byteOffset, piece.content.byteLength));
    },
  });
  return { fileName: row.fileName, bytes: row.bytes, stream };
}

export async function cancelExportJob(db: Db, id: string, userId: string): Promise<boolean> {
  const rows = await db
    .update(exportJobs)
    .set({ state: "cancelled", finishedAt: new Date() })
    .where(and(eq(exportJobs.id, id), eq(exportJobs.userId, userId), inArray(exportJobs.state, ["queued", "running"])))
    .returning({ id: exportJobs.id });
  return rows.length > 0;
}

/**
 * The job's work (the "letters-export" queue's handler): writes the ZIP to a temporary file,
 * reporting progress to the row and stopping when the row says cancelled, then stores the
 * file in pieces (export_job_chunks).
 */
export async function runExportJob(db: Db, id: string, options: { chunkBytes?: number } = {}): Promise<void> {
  const claimed = await db
    .update(exportJobs)
    .set({ state: "running", heartbeatAt: new Date() })
    .where(and(eq(exportJobs.id, id), eq(exportJobs.state, "queued")))
    .returning({ filter: exportJobs.filter });
  if (!claimed.length) return; // cancelled before it started, or already taken
  const filter = exportFilterSchema.parse(claimed[0]!.filter);
  const controller = new AbortController();
  const file = path.join(os.tmpdir(), `prd-letters-export-${id}.zip`);
  let last = 0;
  let writing: Promise<unknown> = Promise.resolve();
  try {
    const items = await listExportItems(db, filter);
    // the letters as they are now (a draft started since the export was asked for is in it): the
    // progress and the finished count say what the ZIP holds
    await db.update(exportJobs).set({ total: items.length }).where(eq(exportJobs.id, id));
    const out = fs.createWriteStream(file, { mode: 0o600 });
    const closed = new Promise<void>((resolve) => out.once("close", () => resolve()));
    const result = await writeLettersZip(db, items, out, {
      pool: sharedRenderPool(),
      signal: controller.signal,
      onProgress: ({ done }) => {
        const now = Date.now();
        if (now - last < PROGRESS_EVERY_MS && done < items.length) return;
        last = now;
        writing = writing.then(async () => {
          const [row] = await db.update(exportJobs).set({ done, heartbeatAt: new Date() }).where(eq(exportJobs.id, id)).returning({ state: exportJobs.state });
          if (row?.state === "cancelled") controller.abort(new Error("已取消"));
        });
      },
    });
    await closed;
    await writing;
    let bytes = 0;
    let seq = 0;
    for await (const piece of fs.createReadStream(file, { highWaterMark: options.chunkBytes ?? EXPORT_CHUNK_BYTES })) {
      await db.insert(exportJobChunks).values({ jobId: id, seq: seq++, content: piece as Buffer });
      bytes += (piece as Buffer).length;
    }
    const finished = await db
      .update(exportJobs)
      .set({ state: "done", done: items.length, failed: result.failed, bytes, finishedAt: new Date() })
      .where(and(eq(exportJobs.id, id), eq(exportJobs.state, "running")))
      .returning({ id: exportJobs.id });
    // cancelled (or failed as stalled) while its pieces were stored: nobody will download them
    if (!finished.length) await db.delete(exportJobChunks).where(eq(exportJobChunks.jobId, id));
  } catch (e) {
    await writing.catch(() => {});
    if (!controller.signal.aborted) {
      console.error(`[letters] 导出失败：${briefError(e)}`);
      await db
        .update(exportJobs)
        .set({ state: "failed", error: "导出失败，请重试；如问题持续，请联系系统管理员。", finishedAt: new Date() })
        .where(and(eq(exportJobs.id, id), eq(exportJobs.state, "running")));
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

/**
 * Deletes jobs finished more than an hour ago, and fails jobs left unfinished for half an hour
 * (their instance stopped mid-way) so they no longer count as running (the "export-cleanup"
 * queue's handler).
 */
export async function deleteOldExportJobs(db: Db, now = Date.now()): Promise<number> {
  await db
    .update(exportJobs)
    .set({ state: "failed", error: "导出中断（服务器重启），请重新导出。", finishedAt: new Date(now) })
    .where(and(inArray(exportJobs.state, ["queued", "running"]), lt(exportJobs.createdAt, new Date(now - 30 * 60 * 1000))));
  const rows = await db
    .delete(exportJobs)
    .where(and(isNotNull(exportJobs.finishedAt), lt(exportJobs.finishedAt, new Date(now - KEEP_MS))))
    .returning({ id: exportJobs.id });
  return rows.length;
}

/**
 * An error as one log line: the database's own reason, not drizzle's "Failed query: … params:" —
 * whose parameters were a ZIP's 1 MiB pieces, 170 KB of binary in the server log.
 */
export function briefError(e: unknown): string {
  const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
  const text = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
