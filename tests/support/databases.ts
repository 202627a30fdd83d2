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

export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `prd_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
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

let template: Promise<Blob> | null = null;
function pgliteTemplate(): Promise<Blob> {
  template ??= (async () => {
    const dir = path.join(os.tmpdir(), "prd-test-templates");
    const file = path.join(dir, `pglite-${templateKey()}.tar`);
    if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
    const h = await withCalendar(openDatabase({ kind: "memory" }));
    // drizzle's handle on the PGlite client underneath
    const dump = await (h.db as unknown as { $client: { dumpDataDir: (c: "none") => Promise<Blob> } }).$client.dumpDataDir("none");
    await h.close();
    fs.mkdirSync(dir, { recursive: true });
    // written whole, then renamed: a worker reading it at the same moment sees all or nothing
    const partial = `${file}.${process.pid}.${randomBytes(3).toString("hex")}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
    // templates of earlier schemas (another checkout's run may still use one made within the hour)
    for (const old of fs.readdirSync(dir).map((f) => path.join(dir, f))) if (old !== file && Date.now() - fs.statSync(old).mtimeMs > 3_600_000) fs.rmSync(old, { force: true });
    return dump;
  })();
  return template;
}

export type TestDatabase = { name: "pglite" | "postgres"; open: () => Promise<DbHandle> };

export const TEST_DATABASES: TestDatabase[] = [
  { name: "pglite", open: async () => openDatabase({ kind: "memory", from: await pgliteTemplate() }) },
  {
    name: "postgres",
    open: async () => {
      const why = await postgresUnavailable();
      if (why) throw new Error(why);
      const created = await createPostgresDatabase();
      const handle = await withCalendar(openDatabase({ kind: "postgres", url: created.url }));
      return {
        ...handle,
        close: async () => {
          await handle.close();
          await created.drop();
        },
      };
    },
  },
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
