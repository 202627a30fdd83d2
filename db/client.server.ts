/**
 * One `db` for the whole process, on either driver:
 *  - DATABASE_URL set → postgres.js against that server;
 *  - otherwise PGlite, persisted in DATA_DIR (default ./data/pglite), guarded by a lock file
 *    because PGlite allows one process per data folder.
 * Both run the same drizzle-kit migrations from db/migrations.
 *
 * The instance lives on globalThis so that the server entry (run by tsx) and the Remix
 * server bundle, which each get their own copy of this module, share one database.
 */
import fs from "node:fs";
import path from "node:path";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import * as schema from "./schema";
import { type AppConfig, config } from "~/config.server";

export type Schema = typeof schema;
/** Either driver's database, or a transaction of it: model functions take this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

export type DbHandle = {
  db: Db;
  driver: "pglite" | "postgres";
  /** Human description for logs: the data folder or the server (password hidden). */
  where: string;
  /**
   * Raw SQL on the underlying driver, for pg-boss (app/jobs/queue.server.ts): parameters use
   * $1…; a text without parameters may hold several statements.
   */
  executeSql: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
  close: () => Promise<void>;
};

/** Which database, from the configuration (app/config.server.ts validates both variables, once). */
export function resolveDbConfig(c: Pick<AppConfig, "DATABASE_URL" | "DATA_DIR"> = config()) {
  const { DATABASE_URL, DATA_DIR } = c;
  if (DATABASE_URL) return { kind: "postgres" as const, url: DATABASE_URL };
  return { kind: "pglite" as const, dataDir: path.resolve(DATA_DIR ?? "data", "pglite") };
}

// Resolved from the working directory (npm scripts run at the package root): inside the
// Remix server bundle import.meta.url would point into build/, not db/.
export const MIGRATIONS_DIR = path.resolve("db/migrations");

/** After the migrations: a table a later migration added gets its change-stamp trigger (migration 0037). */
const ENSURE_CHANGE_TRIGGERS = "select ensure_data_change_triggers()";

export class DataDirLockedError extends Error {
  constructor(
    public dataDir: string,
    public pid: number,
    public lockPath = `${dataDir}.lock`,
  ) {
    super(
      `嵌入式数据库目录 ${dataDir} 正被另一个进程（PID ${pid}）使用。` +
        `PGlite 只允许一个进程打开同一数据目录：请先停止该进程，或设置 DATABASE_URL 使用 PostgreSQL 服务器。` +
        `如确认没有其他进程在使用，删除锁文件 ${lockPath} 后重试。`,
    );
    this.name = "DataDirLockedError";
  }
}

/** DATABASE_URL names a server that does not answer (or refuses): say which, and why. */
export class DatabaseUnreachableError extends Error {
  constructor(
    public where: string,
    cause: Error,
  ) {
    const code = (cause as { code?: string }).code;
    const why =
      code === "ECONNREFUSED"
        ? "连接被拒绝（服务器未启动，或端口不对）"
        : code === "ENOTFOUND"
          ? "找不到该主机名"
          : code === "CONNECT_TIMEOUT"
            ? "连接超时"
            : code === "28P01" || code === "28000"
              ? "用户名或密码不正确"
              : code === "3D000"
                ? "数据库不存在（请先 createdb）"
                : cause.message;
    super(`无法连接 PostgreSQL 服务器 ${where}：${why}。请检查 DATABASE_URL。`);
    this.name = "DatabaseUnreachableError";
  }
}

function pidAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** When a process started (Linux: /proc/<pid>/stat, field 22), to tell a PID reused after a crash or reboot from the lock's owner; null elsewhere. */
function processStart(pid: number): string | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * The data folder, made one level at a time: node's recursive mkdir never returns under /proc
 * (DATA_DIR=/proc/x hung the start without a word), and a file in the path (DATA_DIR=/etc/passwd)
 * gave ENOTDIR in English. Either stops the start with a line naming DATA_DIR.
 */
function makeDataDir(dataDir: string) {
  const missing: string[] = [];
  let at = path.resolve(dataDir);
  while (!fs.existsSync(at)) {
    missing.unshift(at);
    const up = path.dirname(at);
    if (up === at) break;
    at = up;
  }
  const refuse = (why: string) => new Error(`DATA_DIR（${path.dirname(dataDir)}）不可用：${why}。请设置为本机上可写的文件夹。`);
  if (!fs.statSync(at).isDirectory()) throw refuse(`${at} 不是文件夹`);
  for (const dir of missing) {
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw refuse(code === "EACCES" || code === "EPERM" ? `没有权限创建 ${dir}` : `无法创建 ${dir}（${code ?? "未知错误"}）`);
    }
  }
  if (!fs.statSync(dataDir).isDirectory()) throw refuse(`${dataDir} 不是文件夹`);
}

/** Take the data folder's lock file atomically; a lock left by a dead process is taken over. */
export function acquireDataDirLock(dataDir: string): () => void {
  // private to the app's user: it holds password hashes and the proposals' originals (PGlite writes
  // its files 0666; the folder's mode is what keeps other local users out, as backups are 0600)
  makeDataDir(dataDir);
  fs.chmodSync(dataDir, 0o700);
  const lockPath = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      // "pid starttime": the start time tells a live owner from another process given its PID since
      const mine = [process.pid, processStart(process.pid)].filter((x) => x !== null).join(" ");
      fs.writeSync(fd, mine);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8") === mine) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const [pidText, started] = fs.readFileSync(lockPath, "utf8").trim().split(/\s+/);
      const pid = Number(pidText);
      // alive, and the same process (a lock written before the start time was kept has only the PID)
      const owner = Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid) && (!started || processStart(pid) === null || processStart(pid) === started);
      if (owner) throw new DataDirLockedError(dataDir, pid, lockPath);
      fs.unlinkSync(lockPath); // stale: its process is gone (or its PID now belongs to another)
    }
  }
  throw new Error(`无法获取数据目录锁：${lockPath}`);
}

/**
 * bytea to and from PGlite's text form through Buffer's hex codec: PGlite's own made an array of
 * one string per byte (and a substring per byte back) — a 10 MB upload ran a 256 MB heap out of
 * memory and ended the process, 5 MB blocked every request for 5 s (a fuzz run, 2026-12-01).
 */
const BYTEA = 17;
const byteaToHex = (x: unknown) => {
  if (!(x instanceof Uint8Array)) throw new Error("Invalid input for bytea type");
  return `\\x${Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("hex")}`;
};
const byteaFromHex = (text: string) => Buffer.from(text.slice(2), "hex");

/** `from`: a dump of a data directory to start from (tests: a migrated template, ~1.2 s instead of ~5 to open). */
async function openPglite(dataDir: string | null, from?: Blob): Promise<DbHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { pg_trgm } = await import("@electric-sql/pglite/contrib/pg_trgm");
  const { drizzle } = await import("drizzle-orm/pglite");
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  const release = dataDir ? acquireDataDirLock(dataDir) : () => {};
  try {
    const client = await PGlite.create(dataDir ?? undefined, {
      extensions: { pg_trgm },
      serializers: { [BYTEA]: byteaToHex },
      parsers: { [BYTEA]: byteaFromHex },
      ...(from ? { loadDataDir: from } : {}),
    });
    const db = drizzle(client, { schema });
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    await client.query(ENSURE_CHANGE_TRIGGERS);
    return {
      db: db as unknown as Db,
      driver: "pglite",
      where: dataDir ?? "内存",
      executeSql: async (text, values) => {
        if (values?.length) return { rows: (await client.query(text, values)).rows };
        const results = await client.exec(text);
        return { rows: results.at(-1)?.rows ?? [] };
      },
      close: async () => {
        await client.close();
        release();
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

/**
 * drizzle sends every query through postgres.js's `unsafe(text, params)` unprepared, and postgres.js
 * then needs two round trips for a query with parameters (Parse+Describe to learn the parameter
 * types, then Bind+Execute) and PostgreSQL plans it anew each time. Prepared, a statement is
 * described and parsed once per connection: one round trip and less work on both sides — about a
 * quarter of the server time of a page of ten queries (decision 012). Safe across a rolling
 * deploy: when another instance's migration changes what a statement returns, postgres.js drops
 * it and retries once. Transactions keep unprepared statements (drizzle runs them on postgres.js's
 * own transaction client, which this does not wrap), as a retry inside an aborted transaction
 * cannot succeed. Each connection's statements live as long as the connection (postgres.js
 * recycles a connection after 30–60 min by default).
 */
function preparingStatements<T extends { unsafe: (...args: never[]) => unknown }>(client: T): T {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== "unsafe") return Reflect.get(target, prop, receiver);
      return (text: string, params?: unknown[], options?: Record<string, unknown>) =>
        (target.unsafe as (t: string, p?: unknown[], o?: Record<string, unknown>) => unknown)(text, params, { ...options, prepare: Boolean(params?.length) });
    },
  });
}

async function openPostgres(url: string): Promise<DbHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 10, onnotice: () => {}, connect_timeout: 10 });
  let jobsClient: ReturnType<typeof postgres> | undefined;
  const u = new URL(url);
  const where = `${u.hostname}:${u.port || 5432}${u.pathname}`;
  try {
    await client`select 1`;
  } catch (e) {
    await client.end({ timeout: 1 }).catch(() => {});
    throw new DatabaseUnreachableError(where, e as Error);
  }
  const db = drizzle(preparingStatements(client), { schema });
  // Instances starting together (a rolling deploy, a restart of all of them) take turns: the
  // migrator reads the last migration applied and applies the rest without a lock of its own, so
  // two at once failed on "already exists" — or would apply a data migration twice.
  const turn = await client.reserve();
  try {
    await turn`select pg_advisory_lock(hashtext('prd-migrations'))`;
    await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
    await turn.unsafe(ENSURE_CHANGE_TRIGGERS);
  } finally {
    await turn`select pg_advisory_unlock(hashtext('prd-migrations'))`.catch(() => {});
    turn.release();
  }
  return {
    db: db as unknown as Db,
    driver: "postgres",
    where,
    executeSql: async (text, values) => {
      // pg-boss sends texts that open their own transaction (BEGIN; …; COMMIT): postgres.js allows
      // that only on a single-connection client, so its queries go through one of their own.
      jobsClient ??= postgres(url, {
        max: 1,
        onnotice: () => {},
        connect_timeout: 10,
        // A json parameter given as text is that JSON, as node-postgres (pg-boss's own driver)
        // sends it: pg-boss queues each cron tick with json_to_recordset($1) over JSON.stringify(jobs),
        // and postgres.js's own serializer stringified the text again ("cannot call
        // json_to_recordset on a scalar"): no scheduled job was ever queued on PostgreSQL.
        types: { json: { to: 114, from: [114, 3802], serialize: (x: unknown) => (typeof x === "string" ? x : JSON.stringify(x)), parse: (x: string) => JSON.parse(x) } },
      });
      // undefined as null, as node-postgres sends it; objects for json parameters are serialised above
      const params = (values ?? []).map((v) => (v === undefined ? null : v));
      try {
        return { rows: [...(await jobsClient.unsafe(text, params as never[]))] };
      } catch (e) {
        // a failed statement inside the text's own BEGIN … COMMIT leaves the connection in an
        // aborted transaction: end it, so the next job query does not fail too
        if (config().DEBUG_JOBS_SQL) console.error("[jobs sql]", (e as Error).message, text.slice(0, 300));
        await jobsClient.unsafe("rollback").catch(() => {});
        throw e;
      }
    },
    close: async () => {
      await Promise.all([client.end({ timeout: 5 }), jobsClient?.end({ timeout: 5 })]);
    },
  };
}

/** Open and migrate a database. `memory` gives a throwaway PGlite (tests), optionally started from a dump of another (`from`). */
export async function openDatabase(config: ReturnType<typeof resolveDbConfig> | { kind: "memory"; from?: Blob }): Promise<DbHandle> {
  if (config.kind === "postgres") return openPostgres(config.url);
  if (config.kind === "memory") return openPglite(null, config.from);
  return openPglite(config.dataDir);
}

const GLOBAL_KEY = Symbol.for("proposal-reply-desk.db");
type GlobalWithDb = typeof globalThis & { [GLOBAL_KEY]?: Promise<DbHandle> };

/** The process-wide database, opened on first use from the environment. */
export function getDbHandle(): Promise<DbHandle> {
  const g = globalThis as GlobalWithDb;
  if (!g[GLOBAL_KEY]) {
    g[GLOBAL_KEY] = openDatabase(resolveDbConfig()).catch((e) => {
      delete g[GLOBAL_KEY];
      throw e;
    });
  }
  return g[GLOBAL_KEY]!;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Install an already-open handle as the process database (tests, CLI). */
export function setDbHandle(handle: DbHandle) {
  (globalThis as GlobalWithDb)[GLOBAL_KEY] = Promise.resolve(handle);
}

export async function closeDb() {
  const g = globalThis as GlobalWithDb;
  const p = g[GLOBAL_KEY];
  delete g[GLOBAL_KEY];
  if (p) await (await p).close();
}
