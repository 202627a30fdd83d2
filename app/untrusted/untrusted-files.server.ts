/**
 * Files people upload are read in a worker thread with a memory ceiling and a time limit: a
 * crafted 2 KB workbook (a cell at row 1,048,576, a merged range of 500,000 cells, a zip entry
 * that inflates to 300 MB), a DOCX of a million empty paragraphs or a PDF page of a million
 * glyphs ran the server out of memory — the whole process, every user. Now the worker alone
 * ends, and the reader gets a refusal (UnreadableFileError) it can show beside the field.
 *
 * One worker, kept while files arrive and started again after a failure; tasks take turns.
 */
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "~/jobs/worker-thread.server";
import type { ReadResult, ReadTask } from "./readers.server";
import type { WorkerReply } from "./worker.server";

/** What one file may cost: enough for a real 5 MB workbook or a 10 MB Word file, far below the server's own heap. */
export const READER_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 };
export const READER_TIMEOUT_MS = 30_000;

/** `tooCostly`: past the memory or time a file may take; otherwise the reader could not make sense of it. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly tooCostly: boolean,
  ) {
    super(message);
  }
}

const TOO_COSTLY = "文件内容过于庞大或结构异常，无法读取。";

let worker: Worker | null = null;
let ready: Promise<void> | null = null;
let turn: Promise<unknown> = Promise.resolve();
let nextId = 1;

function start(): Promise<void> {
  const w = startModuleWorker({ source: "app/untrusted/worker.server.ts", built: "build/untrusted-worker.mjs", resourceLimits: READER_LIMITS });
  worker = w;
  w.unref();
  ready = new Promise<void>((resolve, reject) => {
    const onBoot = (m: { ready?: true; bootError?: string }) => {
      if (m.ready) resolve();
      else if (m.bootError) reject(new Error(`文件读取进程无法启动：${m.bootError}`));
      else return;
      w.off("message", onBoot);
    };
    w.on("message", onBoot);
    w.once("error", reject);
  });
  // A worker that ended (out of memory, terminated after a timeout) is started afresh next time.
  w.once("exit", () => {
    if (worker === w) {
      worker = null;
      ready = null;
    }
  });
  return ready;
}

/** This worker is done for (out of memory, past its time): the next task starts a new one, not waits on this one's exit. */
function discard(w: Worker) {
  if (worker === w) {
    worker = null;
    ready = null;
  }
  void w.terminate();
}

function runOne(p: { id: number; task: ReadTask }, timeoutMs: number): Promise<ReadResult> {
  return new Promise<ReadResult>((resolve, reject) => {
    const w = worker!;
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      w.off("message", onMessage);
      w.off("error", onError);
      w.off("exit", onExit);
      w.unref();
    };
    const onMessage = (m: WorkerReply) => {
      if (m.id !== p.id) return;
      done();
      if (m.ok) resolve(m.result);
      else reject(new UnreadableFileError("文件内容无法读取。", false));
    };
    // ERR_WORKER_OUT_OF_MEMORY and the like: the file asked for more than a file may cost.
    const onError = () => {
      done();
      discard(w);
      reject(new UnreadableFileError(TOO_COSTLY, true));
    };
    const onExit = () => {
      done();
      discard(w);
      reject(new UnreadableFileError(TOO_COSTLY, true));
    };
    timer = setTimeout(() => {
      done();
      discard(w);
      reject(new UnreadableFileError(`文件读取超过 ${Math.ceil(timeoutMs / 1000)} 秒未完成，无法读取。`, true));
    }, timeoutMs);
    w.on("message", onMessage);
    w.once("error", onError);
    w.once("exit", onExit);
    w.ref();
    w.postMessage({ id: p.id, task: p.task });
  });
}

/** Read an uploaded file in the worker; UnreadableFileError when it cannot be read within the limits. */
export function readUntrusted(task: ReadTask, opts: { timeoutMs?: number } = {}): Promise<ReadResult> {
  const job = turn.then(async () => {
    if (!worker || !ready) await start();
    else await ready;
    return runOne({ id: nextId++, task }, opts.timeoutMs ?? READER_TIMEOUT_MS);
  });
  turn = job.catch(() => {});
  return job;
}
