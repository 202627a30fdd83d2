/**
 * The databases integration tests run against: an in-memory PGlite and a fresh database on
 * the PostgreSQL server (TEST_PG_URL, default postgres://postgres@127.0.0.1:5432/postgres).
 * Each Postgres test database is created for the run and dropped afterwards.
 * Without a server: under CI the tests fail; locally they are skipped with the reason printed.
 */
import { randomBytes } from "node:crypto";
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

export type TestDatabase = { name: "pglite" | "postgres"; open: () => Promise<DbHandle> };

export const TEST_DATABASES: TestDatabase[] = [
  { name: "pglite", open: () => withCalendar(openDatabase({ kind: "memory" })) },
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
