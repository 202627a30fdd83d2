/**
 * DOCX rendering on worker threads, so a batch export uses every core while the main thread
 * reads the database and writes the ZIP, and one large letter (a download, a print) neither holds
 * every other request while it renders nor, past a worker's memory, ends the server.
 *
 * In production (`npm start`) workers run the compiled build/render-worker.mjs; elsewhere
 * (dev, tests, CLI) they load app/letters/render-worker.server.ts through tsx's `tsImport`. A
 * worker that cannot start switches the pool to rendering on the calling thread, so an
 * export is slower but never fails for that reason. Idle workers are unref'd: a CLI run
 * exits when its work is done even if nobody calls close().
 */
import os from "node:os";
import type { Worker } from "node:worker_threads";
import { startModuleWorker } from "~/jobs/worker-thread.server";
import type { Letter } from "~/domain/letter";
import { type LayoutOptions, renderLetterDocx } from "./docx.server";
import type { RenderReply, RenderRequest } from "./render-worker.server";

type Task = { id: number; letter: Letter; options?: LayoutOptions; resolve: (b: Buffer) => void; reject: (e: Error) => void; retried?: boolean };
type Slot = { worker: Worker; ready: boolean; tasks: Task[]; idle?: NodeJS.Timeout };

/**
 * A worker with nothing to do for this long is ended: each holds its own heap (~50–80 MB with the
 * docx library), and since downloads and prints render here too, a server would otherwise keep a
 * full pool for good after one download. Starting one again costs a fraction of a second.
 */
const IDLE_MS = 30_000;

/**
 * Letters handed to a worker at once: while it renders one, the next waits in its message
 * queue, so it never idles while the main thread is busy reading the database or zipping.
 */
const PER_WORKER = 2;

/** What rendering one letter may take: the largest a draft may be renders in far less (drafts are bounded: draftLimitProblem). */
export const RENDER_LIMITS = { maxOldGenerationSizeMb: 192, maxYoungGenerationSizeMb: 32 };

export function defaultPoolSize(): number {
  return Math.max(1, Math.min(8, os.availableParallelism?.() ?? os.cpus().length));
}

export class RenderPool {
  readonly size: number;
  private slots: Slot[] = [];
  private queue: Task[] = [];
  private nextId = 1;
  /** Set when no worker could start: render on this thread from then on. */
  private inline = false;
  /** A worker has started once; boot failures since the last start. */
  private started = false;
  private bootFailures = 0;
  private closed = false;

  private readonly idleMs: number;

  constructor(size = defaultPoolSize(), opts: { idleMs?: number } = {}) {
    this.size = Math.max(1, size);
    this.idleMs = opts.idleMs ?? IDLE_MS;
  }

  /** Workers running now (started, not yet ended for idleness or a failure). */
  get workerCount() {
    return this.slots.length;
  }

  /** Whether rendering runs on worker threads (false after a worker failed to start). */
  get threaded() {
    return !this.inline;
  }

  render(letter: Letter, options?: LayoutOptions): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error("RenderPool is closed"));
    if (this.inline) return renderLetterDocx(letter, options);
    return new Promise<Buffer>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, letter, options, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    for (const s of slots) clearTimeout(s.idle);
    for (const t of [...this.queue.splice(0), ...slots.flatMap((s) => s.tasks)]) t.reject(new Error("RenderPool is closed"));
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private pump() {
    while (this.queue.length) {
      // the least busy ready worker; a new one while the pool is not full
      const ready = this.slots.filter((s) => s.ready && s.tasks.length < PER_WORKER).sort((a, b) => a.tasks.length - b.tasks.length);
      if (this.slots.length < this.size && !ready.some((s) => s.tasks.length === 0)) this.spawn();
      const slot = ready[0];
      if (!slot) return; // a worker takes the task when it is ready or done
      const task = this.queue.shift()!;
      clearTimeout(slot.idle);
      slot.tasks.push(task);
      slot.worker.ref();
      slot.worker.postMessage({ id: task.id, letter: task.letter, options: task.options } satisfies RenderRequest);
    }
  }

  private spawn() {
    const worker = startModuleWorker({ source: "app/letters/render-worker.server.ts", built: "build/render-worker.mjs", resourceLimits: RENDER_LIMITS });
    const slot: Slot = { worker, ready: false, tasks: [] };
    this.slots.push(slot);
    worker.on("message", (m: RenderReply | { ready: true } | { bootError: string }) => {
      if ("bootError" in m) return this.fail(slot, new Error(`答复函渲染进程无法启动：${m.bootError}`), true);
      if ("ready" in m) {
        slot.ready = true;
        this.started = true;
        this.bootFailures = 0;
      } else {
        const i = slot.tasks.findIndex((t) => t.id === m.id);
        const [task] = i >= 0 ? slot.tasks.splice(i, 1) : [];
        if (task) {
          if (m.ok) task.resolve(Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength));
          else task.reject(new Error(m.error));
        }
      }
      if (!this.queue.length && !slot.tasks.length) {
        worker.unref();
        clearTimeout(slot.idle);
        slot.idle = setTimeout(() => this.retire(slot), this.idleMs).unref();
      }
      this.pump();
    });
    worker.on("error", (e) => this.fail(slot, e, !slot.ready));
    worker.on("exit", (code) => {
      if (!this.closed && this.slots.includes(slot)) this.fail(slot, new Error(`答复函渲染进程意外退出（代码 ${code}）`), !slot.ready);
    });
  }

  /** An idle worker is ended (not a failure: its exit is expected). */
  private retire(slot: Slot) {
    if (slot.tasks.length || !this.slots.includes(slot)) return;
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate().catch(() => {});
  }

  /**
   * A worker failed. Only a pool whose workers never started renders on this thread from then on: idle
   * workers are ended and started again, and a later start that fails (three times running) must not
   * quietly drop the memory ceiling for good. The letter the worker was rendering may be what broke it:
   * it gets one more try; the letters queued behind it were not rendering and go back as they were.
   */
  private fail(slot: Slot, error: Error, atBoot: boolean) {
    clearTimeout(slot.idle);
    this.slots = this.slots.filter((s) => s !== slot);
    void slot.worker.terminate().catch(() => {});
    if (atBoot) this.bootFailures++;
    if (atBoot && (!this.started || this.bootFailures >= 3)) {
      if (!this.inline) console.warn(`[letters] ${error.message}；改为在主线程渲染。`);
      this.inline = true;
    }
    const tasks = slot.tasks.splice(0);
    if (this.inline) {
      for (const t of [...tasks, ...this.queue.splice(0)]) renderLetterDocx(t.letter, t.options).then(t.resolve, t.reject);
      return;
    }
    const culprit = atBoot ? undefined : tasks[0];
    const again: Task[] = [];
    for (const t of tasks) {
      if (t !== culprit) again.push(t);
      else if (t.retried)
        t.reject(error); // the same letter broke a worker twice: give up on it
      else again.push({ ...t, retried: true });
    }
    this.queue.unshift(...again);
    this.pump();
  }
}

const GLOBAL_KEY = Symbol.for("proposal-reply-desk.renderPool");

/** The server process's shared pool (on globalThis: the server entry and the bundle share it). */
export function sharedRenderPool(): RenderPool {
  const g = globalThis as unknown as Record<symbol, RenderPool | undefined>;
  return (g[GLOBAL_KEY] ??= new RenderPool());
}
