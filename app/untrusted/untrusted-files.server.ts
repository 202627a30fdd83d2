/**
 * Files people upload are read in a child process with a memory ceiling and a time limit: a
 * crafted 2 KB workbook (a cell at row 1,048,576, a merged range of 500,000 cells, a zip entry
 * that inflates to 300 MB), a DOCX of a million empty paragraphs or a PDF page of a million
 * glyphs ran the server out of memory — the whole process, every user. Now the reader alone
 * ends, and the caller gets a refusal (UnreadableFileError) it can show beside the field.
 *
 * A process, not a worker thread: a 400 KB Word file whose one run of text inflates to 400 MB
 * took a worker thread's isolate far past its ceiling in one allocation, and V8's out-of-memory
 * failure then ended the server with it (a review; so did a 150 KB one, its text copied back).
 *
 * One reader, kept while files arrive and started again after a failure; tasks take turns.
 */
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { ReadResult, ReadTask } from "./readers.server";
import type { WorkerReply } from "./worker.server";

/** What one file may cost: enough for a real 5 MB workbook or a 10 MB Word file, far below the server's own heap. */
export const READER_LIMITS = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 32 };
export const READER_TIMEOUT_MS = 30_000;

// Resolved from the working directory like db/migrations: inside the Remix server bundle
// import.meta.url points into build/.
const ROOT = process.cwd();

/** build/untrusted-worker.mjs on plain node in production; its TypeScript entry through tsx elsewhere (dev, tests, CLI). */
function spawnReader(): ChildProcess {
  const built = path.join(ROOT, "build/untrusted-worker.mjs");
  const limits = [`--max-old-space-size=${READER_LIMITS.maxOldGenerationSizeMb}`, `--max-semi-space-size=${READER_LIMITS.maxYoungGenerationSizeMb / 2}`];
  const production = process.env.NODE_ENV === "production" && fs.existsSync(built);
  return fork(production ? built : path.join(ROOT, "scripts/untrusted-worker-entry.ts"), [], {
    cwd: ROOT,
    execArgv: production ? limits : [...limits, "--import", "tsx"],
    serialization: "advanced",
    // its out-of-memory report is not the server's log: a refusal says what happened
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
}

/** `tooCostly`: past the memory or time a file may take; otherwise the reader could not make sense of it. */
export class UnreadableFileError extends Error {
  constructor(
    message: string,
    readonly tooCostly: boolean,
  ) {
    super(message);
  }
}

export const TOO_COSTLY = "文件内容过于庞大或结构异常，无法读取。";

let worker: ChildProcess | null = null;
let ready: Promise<void> | null = null;
let turn: Promise<unknown> = Promise.resolve();
let nextId = 1;

/** Idle, the reader keeps neither the server's event loop nor its exit waiting. */
function idle(w: ChildProcess) {
  w.unref();
  w.channel?.unref();
}
function busy(w: ChildProcess) {
  w.ref();
  w.channel?.ref();
}

function start(): Promise<void> {
  const w = spawnReader();
  worker = w;
  w.stderr?.resume();
  idle(w);
  ready = new Promise<void>((resolve, reject) => {
    const onBoot = (m: { ready?: true; bootError?: string }) => {
      if (m.ready) resolve();
      else if (m.bootError) reject(new Error(`文件读取进程无法启动：${m.bootError}`));
      else return;
      w.off("message", onBoot);
    };
    w.on("message", onBoot);
    w.once("error", reject);
    w.once("exit", (code, signal) => reject(new Error(`文件读取进程无法启动（${signal ?? code}）`)));
  });
  // A reader that ended (out of memory, killed after a timeout) is started afresh next time.
  w.once("exit", () => {
    if (worker === w) {
      worker = null;
      ready = null;
    }
  });
  return ready;
}

/** This reader is done for (out of memory, past its time): the next task starts a new one, not waits on this one's exit. */
function discard(w: ChildProcess) {
  if (worker === w) {
    worker = null;
    ready = null;
  }
  w.kill("SIGKILL");
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
      idle(w);
    };
    const onMessage = (m: WorkerReply) => {
      if (m.id !== p.id) return;
      done();
      if (m.ok) resolve(m.result);
      else reject(new UnreadableFileError("文件内容无法读取。", false));
    };
    // out of memory and the like: the file asked for more than a file may cost
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
    busy(w);
    w.send({ id: p.id, task: p.task });
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
