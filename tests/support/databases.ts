/**
 * The databases integration tests run against: an in-memory PGlite and a fresh database on
 * the PostgreSQL server (TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Each Postgres test database is created for the run and dropped afterwards.
 * Without a server: under CI the tests fail; locally they are skipped with the reason printed.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { openDatabase, type DbHandle } from "#db/client.server";
import { ensureOfficialCalendar } from "~/models/calendar.server";

export const ADMIN_URL = process.env.TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";

let serverCheck: Promise<string | null> | null = null;
/** null when the server answers, else why not. */
export function postgresUnavailable(): Promise<string | null> {
  serverCheck ??= (async () => {
    const sql = postgres(ADMIN_URL, { max: 1, connect_timeout: 5, onnotice: () => {} });
    try {
      await sql`select 1`;
      return null;
    } catch (e) {
      return `PostgreSQL 不可用（${ADMIN_URL}）：${(e as Error).message}`;
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  })();
  return serverCheck;
}

/**
 * A new database on the server. `{ withDemo: true }` (vitest only): a copy of one that this test run
 * filled with the demo data once (postgresDemoTemplate below), instead of an empty one.
 */
export async function createPostgresDatabase(options: { withDemo?: boolean } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `prd_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const template = options.withDemo ? await postgresDemoTemplate() : null;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(template ? `create database ${name} template ${template}` : `create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists ${name} with (force)`);
      await a.end();
    },
  };
}

/** Like a real install: the shipped official calendar is loaded. */
async function withCalendar(opening: Promise<DbHandle>) {
  const h = await opening;
  await ensureOfficialCalendar(h.db);
  return h;
}

/**
 * A fresh in-memory PGlite costs ~5 s to open on a 2-core machine (its WASM initdb, then every
 * migration); one started from a dump of a migrated one with the shipped calendar, ~1.2 s. The dump
 * is made once and kept on disk for the other files, workers and runs, named by what it contains
 * (the migrations, the calendar seed, PGlite's version): a changed migration makes a new one, so a
 * test never runs on a schema its migrations would not build. Migrating from empty stays tested: every
 * PostgreSQL test database, and the CLI's new embedded data folder (cli.test.ts).
 */
function templateKey(): string {
  const hash = createHash("sha256");
  const migrations = path.resolve("db/migrations");
  for (const f of fs
    .readdirSync(migrations, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort())
    hash.update(f).update(fs.readFileSync(f));
  hash.update(fs.readFileSync(path.resolve("seeds/calendar/cn-official.json")));
  hash.update(fs.readFileSync(path.resolve("node_modules/@electric-sql/pglite/package.json")));
  return hash.digest("hex").slice(0, 16);
}

/**
 * A PGlite database's data folder, written to `file` and closed. Written whole, then renamed: a
 * worker reading it at the same moment sees all or nothing; two workers making it, the last stays.
 */
async function dumpTo(h: DbHandle, file: string): Promise<Blob> {
  // drizzle's handle on the PGlite client underneath
  const dump = await (h.db as unknown as { $client: { dumpDataDir: (c: "none") => Promise<Blob> } }).$client.dumpDataDir("none");
  await h.close();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.${randomBytes(3).toString("hex")}`;
  fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  fs.renameSync(partial, file);
  return dump;
}

let template: Promise<Blob> | null = null;
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const dir = path.join(os.tmpdir(), "prd-test-templates");
    const file = path.join(dir, `pglite-${templateKey()}.tar`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const dump = await dumpTo(await withCalendar(openDatabase({ kind: "memory" })), file);
    // templates of earlier schemas (another checkout's run may still use one made within the hour)
    for (const old of fs.readdirSync(dir).map((f) => path.join(dir, f))) if (old !== file && Date.now() - fs.statSync(old).mtimeMs > 3_600_000) fs.rmSync(old, { force: true });
    return dump;
  })();
  return template;
}

/**
 * The demo data, loaded once per test run and database kind, then copied: loading it costs 4–5 s
 * (three policy documents and two letters through the real importer, ~1,600 statements) and
 * twenty-five set-ups (seven files, most on both databases) loaded it again in a CPU-bound run. The copies are made within
 * the run (named by vitest's global setup, tests/support/test-run.ts) and removed after it: the
 * demo data depends on the code and the day, so no copy outlives the run that made it. Loading the
 * demo data itself stays tested (proposals.test.ts loads it on both databases, and every copy is
 * made by loadDemoData).
 */
async function testRun(): Promise<string> {
  const { inject } = await import("vitest");
  return inject("testRun");
}
const demoDumpFile = (run: string) => path.join(os.tmpdir(), "prd-test-templates", `pglite-demo-${run}.tar`);
const demoDatabaseName = (run: string) => `prd_demo_${run}`;

async function withDemoData(h: DbHandle) {
  const { loadDemoData } = await import("~/models/demo-data.server");
  await h.db.transaction((tx) => loadDemoData(tx));
  return h;
}

let pgliteDemo: Promise<Blob> | null = null;
function pgliteDemoTemplate(): Promise<Blob> {
  pgliteDemo ??= (async () => {
    const file = demoDumpFile(await testRun());
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    return dumpTo(await withDemoData(await openDatabase({ kind: "memory", from: await pgliteTemplate() })), file);
  })();
  return pgliteDemo;
}

let postgresDemo: Promise<string> | null = null;
function postgresDemoTemplate(): Promise<string> {
  postgresDemo ??= (async () => {
    const name = demoDatabaseName(await testRun());
    const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
    try {
      if ((await admin`select 1 from pg_database where datname = ${name}`).length) return name;
      // filled under another name and renamed when complete: a worker never copies a half-filled one
      const partial = `${name}_${randomBytes(3).toString("hex")}`;
      await admin.unsafe(`create database ${partial}`);
      const url = new URL(ADMIN_URL);
      url.pathname = `/${partial}`;
      const h = await withDemoData(await withCalendar(openDatabase({ kind: "postgres", url: url.toString() })));
      await h.close();
      try {
        await admin.unsafe(`alter database ${partial} rename to ${name}`);
      } catch {
        await admin.unsafe(`drop database if exists ${partial} with (force)`); // another worker's came first
      }
      return name;
    } finally {
      await admin.end();
    }
  })();
  return postgresDemo;
}

/** The run's demo copies, removed by the global setup's teardown. */
export async function dropDemoTemplates(run: string) {
  fs.rmSync(demoDumpFile(run), { force: true });
  if (await postgresUnavailable()) return;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    for (const { datname } of await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${demoDatabaseName(run)}%`}`)
      await admin.unsafe(`drop database if exists ${datname} with (force)`);
  } finally {
    await admin.end();
  }
}

export type TestDatabase = {
  name: "pglite" | "postgres";
  /** migrated, with the shipped calendar */
  open: () => Promise<DbHandle>;
  /** the same, with the demo data loaded (a copy of the run's: pgliteDemoTemplate, postgresDemoTemplate) */
  openWithDemo: () => Promise<DbHandle>;
};

async function openPostgresTest(options: { withDemo?: boolean }): Promise<DbHandle> {
  const why = await postgresUnavailable();
  if (why) throw new Error(why);
  const created = await createPostgresDatabase(options);
  const handle = await withCalendar(openDatabase({ kind: "postgres", url: created.url }));
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await created.drop();
    },
  };
}

export const TEST_DATABASES: TestDatabase[] = [
  {
    name: "pglite",
    open: async () => openDatabase({ kind: "memory", from: await pgliteTemplate() }),
    openWithDemo: async () => openDatabase({ kind: "memory", from: await pgliteDemoTemplate() }),
  },
  { name: "postgres", open: () => openPostgresTest({}), openWithDemo: () => openPostgresTest({ withDemo: true }) },
];

/**
 * Which databases to run: both, unless Postgres is down locally (then skipped, with the reason
 * printed). Under CI a missing server is a failure, not a skip.
 */
export async function availableDatabases(): Promise<TestDatabase[]> {
  const why = await postgresUnavailable();
  if (!why) return TEST_DATABASES;
  if (process.env.CI) throw new Error(`CI 中必须有 PostgreSQL：${why}`);
  console.warn(`[skip] PostgreSQL 集成测试已跳过：${why}`);
  return TEST_DATABASES.filter((d) => d.name === "pglite");
}
