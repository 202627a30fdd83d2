/**
 * Background jobs on the database itself, with pg-boss: each job is taken by exactly one
 * worker, whichever app instance it runs in, so several instances on one PostgreSQL send each
 * reminder once, and an export started on one can be downloaded from another (its file is
 * stored in the database: app/letters/export-jobs.server.ts). On the embedded PGlite (one
 * process) the same code runs in-process. See docs/decisions/012-scale-and-jobs.md.
 *
 * pg-boss 10 (not 12: 12 needs Node ≥ 22.12, this project runs on Node 20), driven through its
 * `db` adapter on the app's own driver (DbHandle.executeSql), so it needs no second connection
 * setting and works on PGlite too.
 */
import PgBoss from "pg-boss";
import type { DbHandle } from "#db/client.server";

export const QUEUES = {
  /** Due-soon and overdue notices and their e-mail: hourly, and once at start. */
  reminders: "reminders",
  /** One batch export of letters (data: { id }). */
  lettersExport: "letters-export",
  /** Deletes finished exports after an hour. */
  exportCleanup: "export-cleanup",
} as const;

export type JobHandlers = {
  reminders: () => Promise<void>;
  lettersExport: (id: string) => Promise<void>;
  exportCleanup: () => Promise<void>;
};

export type Jobs = { boss: PgBoss; quiesce: () => Promise<void>; stop: () => Promise<void> };
const KEY = Symbol.for("proposal-reply-desk.jobs");
type GlobalWithJobs = typeof globalThis & { [KEY]?: Jobs };
/** Advisory lock key for installing pg-boss and its queues (any fixed number unique to this app). */
const SETUP_LOCK = 74_201_130;

export function createBoss(handle: DbHandle, options: { schedule?: boolean } = {}): PgBoss {
  return new PgBoss({
    db: { executeSql: (text: string, values: unknown[]) => handle.executeSql(text, values) as Promise<{ rows: unknown[] }> },
    schema: "pgboss",
    // one instance per process; cron scheduling runs on every instance but pg-boss lets only one create each tick's job
    schedule: options.schedule ?? true,
    supervise: true,
    migrate: true,
    pollingIntervalSeconds: 1,
  });
}

/**
 * Starts the queues and this process's workers (the server calls it once; on globalThis so the
 * server entry and the Remix bundle share it).
 */
export async function startJobs(handle: DbHandle, handlers: JobHandlers, options: { schedule?: boolean } = {}): Promise<Jobs> {
  const g = globalThis as GlobalWithJobs;
  if (g[KEY]) return g[KEY];
  const jobs = await createJobs(handle, handlers, options);
  g[KEY] = {
    boss: jobs.boss,
    quiesce: jobs.quiesce,
    stop: async () => {
      delete g[KEY];
      await jobs.stop();
    },
  };
  return g[KEY];
}

/** An instance's queue and workers, not registered for enqueue() (tests run two "instances" in one process). */
export async function createJobs(handle: DbHandle, handlers: JobHandlers, options: { schedule?: boolean } = {}): Promise<Jobs> {
  const boss = createBoss(handle, options);
  boss.on("error", (e) => console.warn(`[jobs] ${e.message}`));
  // pg-boss 10 cannot install its schema or create queues from two processes at once (measured:
  // "type job_state already exists", then deadlocks in create_queue): instances starting
  // together take turns under a session advisory lock.
  await handle.executeSql(`select pg_advisory_lock(${SETUP_LOCK})`);
  try {
    await boss.start();
    for (const name of Object.values(QUEUES)) await boss.createQueue(name);
  } finally {
    await handle.executeSql(`select pg_advisory_unlock(${SETUP_LOCK})`);
  }
  await boss.work(QUEUES.reminders, async () => handlers.reminders());
  await boss.work<{ id: string }>(QUEUES.lettersExport, { batchSize: 1 }, async ([job]) => handlers.lettersExport(job!.data.id));
  await boss.work(QUEUES.exportCleanup, async () => handlers.exportCleanup());
  if (options.schedule ?? true) {
    await boss.schedule(QUEUES.reminders, "0 * * * *", {}, { tz: "Asia/Shanghai" });
    await boss.schedule(QUEUES.exportCleanup, "*/15 * * * *", {});
    // at start too, once however many instances start in the same five minutes
    await boss.send(QUEUES.reminders, {}, { singletonKey: "start", singletonSeconds: 300 });
  }
  return {
    boss,
    // Shutting down: take no more jobs (another instance takes them), let the running ones finish.
    quiesce: async () => {
      for (const name of Object.values(QUEUES)) await boss.offWork(name);
    },
    stop: () => boss.stop({ graceful: true, wait: true, timeout: 30_000 }),
  };
}

/** Queues a job from a request handler; throws if the server started without the queue. */
export async function enqueue(name: (typeof QUEUES)[keyof typeof QUEUES], data: object): Promise<string> {
  const jobs = (globalThis as GlobalWithJobs)[KEY];
  if (!jobs) throw new Error("后台任务队列未启动");
  const id = await jobs.boss.send(name, data);
  if (!id) throw new Error("任务未能加入队列");
  return id;
}
