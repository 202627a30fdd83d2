/**
 * The job queue's scheduled jobs, through the app's own database adapter (DbHandle.executeSql)
 * on each database: pg-boss queues a cron tick's job with `json_to_recordset($1)` over a JSON
 * text, which postgres.js once encoded a second time — on PostgreSQL the hourly reminders and
 * the export clean-up were never queued (only the start-up reminder, sent another way, ran).
 */
import PgBoss from "pg-boss";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { availableDatabases } from "../support/databases";

describe.each(await availableDatabases())("scheduled jobs on $name", (database) => {
  let h: DbHandle;
  let boss: PgBoss | undefined;
  beforeAll(async () => {
    h = await database.open();
  });
  afterAll(async () => {
    await boss?.stop({ graceful: false, wait: true, timeout: 5_000 });
    await h?.close();
  });

  it("a cron schedule's tick queues its job and a worker runs it", async () => {
    boss = new PgBoss({
      db: { executeSql: (text: string, values: unknown[]) => h.executeSql(text, values) as Promise<{ rows: unknown[] }> },
      schema: "pgboss_cron_test",
      schedule: true,
      supervise: false,
      migrate: true,
      pollingIntervalSeconds: 0.5,
      // a tick checked every second, not every 30 s, so the test waits seconds
      cronMonitorIntervalSeconds: 1,
      cronWorkerIntervalSeconds: 1,
    });
    const errors: string[] = [];
    boss.on("error", (e) => errors.push(e.message));
    await boss.start();
    await boss.createQueue("tick");
    const ran = new Promise<string>((resolve) => {
      void boss!.work<{ from: string }>("tick", async ([job]) => resolve(job!.data.from));
    });
    // every minute: the current minute's tick is due at once
    await boss.schedule("tick", "* * * * *", { from: "cron" });
    const from = await Promise.race([ran, new Promise<string>((_, reject) => setTimeout(() => reject(new Error(`no job within 20 s; errors: ${errors.join("; ")}`)), 20_000))]);
    expect(from).toBe("cron");
    expect(errors).toEqual([]);
  }, 30_000);

  it("a batch of jobs inserted at once (pg-boss's insert, as each cron tick uses) is queued whole", async () => {
    await boss!.createQueue("batch");
    await boss!.insert([
      { name: "batch", data: { n: 1 } },
      { name: "batch", data: { n: 2 } },
    ]);
    const jobs = await boss!.fetch<{ n: number }>("batch", { batchSize: 5 });
    expect(jobs.map((j) => j.data.n).sort()).toEqual([1, 2]);
  });
});
