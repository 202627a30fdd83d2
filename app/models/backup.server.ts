/**
 * Backup and restore: one gzip'd archive of every table (uploaded originals and library files
 * included — they live in the database), read inside one REPEATABLE READ, read-only transaction:
 * a consistent snapshot taken while the app keeps running. The archive is logical (JSON lines),
 * so a backup of the embedded database restores into PostgreSQL and the other way round.
 *
 * Format: line 1 a header { format, version, migration, createdAt, tables: { name: rows } }, then
 * one line per row { t: table, r: row }. Dates and bytes are tagged so they come back typed.
 */
import { createHash } from "node:crypto";
import { withoutParameters } from "#db/errors";
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { createGunzip, createGzip } from "node:zlib";
import { asc, getTableColumns, gt, is, sql } from "drizzle-orm";
import { getTableConfig, PgTable, type PgColumn } from "drizzle-orm/pg-core";
import type { Db } from "#db/client.server";
import { rowsOf as queryRows } from "./library-search.server";
import { holdsOnlyDemoData } from "./demo-data.server";
import * as schema from "#db/schema";

const { documentNumbers } = schema;

export const BACKUP_FORMAT = "proposal-reply-desk-backup";
export const BACKUP_VERSION = 1;
const PAGE = 500;

type Table = PgTable;
const TABLES: Table[] = (Object.values(schema) as unknown[]).filter((v): v is Table => is(v, PgTable));
const nameOf = (t: Table) => getTableConfig(t).name;
/**
 * Not in a backup: a session's id is the cookie's value (a bearer token, stored as is), so an
 * archive copied off the machine would sign its reader in; sign-in limits last minutes; letter
 * exports are copies of letters kept for an hour (their ZIPs would make an archive as large as
 * the letters again); files read for a library import wait a day at most for their plan. A
 * restore ends every session, export and pending import (its truncate), and rows of these
 * tables in older archives are skipped.
 */
const NOT_BACKED_UP = new Set(["sessions", "sign_in_throttles", "export_jobs", "export_job_chunks", "library_import_uploads"]);
const BACKED_UP = TABLES.filter((t) => !NOT_BACKED_UP.has(nameOf(t)));

/** The latest migration the code knows (db/migrations/meta/_journal.json). */
export function currentMigration(): string {
  const journal = JSON.parse(fs.readFileSync(path.resolve("db/migrations/meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  return journal.entries.at(-1)?.tag ?? "none";
}

/**
 * Tables in an order that inserts referenced rows first. A cycle (paragraphs ⇄ their current
 * version) is broken by inserting the cycle's nullable references as null and setting them after.
 */
export function restorePlan(): { order: Table[]; deferred: Map<Table, string[]> } {
  const deps = new Map<Table, Map<Table, string[]>>();
  for (const t of TABLES) {
    const m = new Map<Table, string[]>();
    for (const fk of getTableConfig(t).foreignKeys) {
      const ref = fk.reference();
      if (ref.foreignTable === t) continue;
      const cols = ref.columns.map((c) => c.name);
      m.set(ref.foreignTable as Table, [...(m.get(ref.foreignTable as Table) ?? []), ...cols]);
    }
    deps.set(t, m);
  }
  const order: Table[] = [];
  const deferred = new Map<Table, string[]>();
  const done = new Set<Table>();
  while (order.length < TABLES.length) {
    const ready = TABLES.find((t) => !done.has(t) && [...deps.get(t)!.keys()].every((d) => done.has(d)));
    if (ready) {
      order.push(ready);
      done.add(ready);
      continue;
    }
    // A cycle: take the table whose unmet references are all nullable, and defer those columns.
    const pending = TABLES.filter((t) => !done.has(t));
    const breakable = pending.find((t) => {
      const cols = getTableColumns(t) as Record<string, PgColumn>;
      return [...deps.get(t)!.entries()].filter(([d]) => !done.has(d)).every(([, names]) => names.every((n) => !Object.values(cols).find((c) => c.name === n)!.notNull));
    });
    if (!breakable) throw new Error("无法确定恢复顺序：存在不可为空的循环外键。");
    const unmet = [...deps.get(breakable)!.entries()].filter(([d]) => !done.has(d)).flatMap(([, names]) => names);
    deferred.set(breakable, unmet);
    order.push(breakable);
    done.add(breakable);
  }
  return { order, deferred };
}

const isTimestamp = (c: PgColumn) => c.getSQLType().startsWith("timestamp");

/**
 * How a column's values are written to the archive. Decided by the column's type, never by the
 * value's shape: a JSON value that happened to be `{"$d": …}` or to hold a `timestamp` key came
 * back as a date (or failed the restore) when the tags were read wherever they appeared.
 */
type Kind = "timestamp" | "bytes" | "value";
const kindOf = (c: PgColumn): Kind => (isTimestamp(c) ? "timestamp" : c.getSQLType() === "bytea" ? "bytes" : "value");
const kindsOf = (t: Table): Record<string, Kind> => Object.fromEntries(Object.entries(getTableColumns(t) as Record<string, PgColumn>).map(([k, c]) => [k, kindOf(c)]));

/** A timestamp arrives as the database's own text (rowsOf); bytes as a Buffer. */
function encode(v: unknown, kind: Kind | undefined): unknown {
  if (v == null || kind === "value" || kind === undefined) return v;
  if (kind === "timestamp") return { $d: v instanceof Date ? v.toISOString() : String(v) };
  return { $b: Buffer.from(v as Uint8Array).toString("base64") };
}

function decode(v: unknown, kind: Kind | undefined, table: string, key: string): unknown {
  if (v == null || kind === "value" || kind === undefined) return v;
  const o = v as Record<string, unknown>;
  // cast by the database: a JavaScript Date would cut the microseconds
  if (kind === "timestamp" && typeof o.$d === "string") return sql`${o.$d}::timestamptz`;
  if (kind === "bytes" && typeof o.$b === "string") return Buffer.from(o.$b, "base64");
  throw new RestoreRefusedError(`备份文件已损坏：${table}.${key} 的值不是${kind === "timestamp" ? "时间" : "文件内容"}。`);
}

const encodeRow = (r: Record<string, unknown>, kinds: Record<string, Kind>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, encode(v, kinds[k])]));

/**
 * Rows per read and per insert: a table holding files (bytea: originals of up to MAX_UPLOAD_MB,
 * the driver's hex text twice that) goes one row at a time — 500 files in one statement came to a
 * gigabyte, past what PostgreSQL takes in one message, and the archive could not be restored.
 */
function pageOf(t: Table): number {
  return Object.values(getTableColumns(t) as Record<string, PgColumn>).some((c) => c.getSQLType() === "bytea") ? 1 : PAGE;
}

/** Rows of a table in primary-key order (a stable order for paging and hashing). */
async function* rowsOf(db: Db, t: Table): AsyncGenerator<Record<string, unknown>> {
  const cols = getTableColumns(t) as Record<string, PgColumn>;
  const config = getTableConfig(t);
  const pk = [...Object.values(cols).filter((c) => c.primary), ...config.primaryKeys.flatMap((k) => k.columns)];
  const orderBy = (pk.length ? pk : Object.values(cols)).map((c) => asc(c));
  const size = pageOf(t);
  const key = pk.length === 1 ? pk[0]! : null;
  const keyName = key ? Object.entries(cols).find(([, c]) => c === key)![0] : null;
  // Timestamps as the database's own text: read into a JavaScript Date they lost their
  // microseconds, and a restore was not the database backed up.
  const selection = Object.fromEntries(
    Object.entries(cols).map(([k, c]) => [k, isTimestamp(c) ? sql<string | null>`to_char(${c} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')` : c]),
  );
  let last: unknown;
  for (let offset = 0; ; offset += size) {
    // by key where the key is one column (no OFFSET scanning every earlier row again), else by offset
    const page = (await db
      .select(selection)
      .from(t)
      .where(key && last !== undefined ? gt(key, last) : undefined)
      .orderBy(...orderBy)
      .limit(size)
      .offset(key ? 0 : offset)) as Record<string, unknown>[];
    yield* page;
    if (page.length < size) return;
    if (keyName) last = page.at(-1)![keyName];
  }
}

export type BackupSummary = { file: string; tables: Record<string, number>; bytes: number; migration: string };

/** Write the archive (atomically: a half-written file never carries the final name). */
export async function writeBackup(db: Db, file: string, onTable?: (name: string, rows: number) => void): Promise<BackupSummary> {
  const tmp = path.join(path.dirname(path.resolve(file)), `.${path.basename(file)}.${process.pid}.part`);
  const migration = currentMigration();
  const gzip = createGzip();
  // private: an archive holds password hashes, phone numbers and the proposals' originals
  const out = fs.createWriteStream(tmp, { mode: 0o600 });
  gzip.pipe(out);
  const write = (line: string) => (gzip.write(line + "\n") ? Promise.resolve() : new Promise<void>((r) => gzip.once("drain", () => r())));
  const counts: Record<string, number> = {};
  try {
    await db.transaction(
      async (tx) => {
        for (const t of BACKED_UP) counts[nameOf(t)] = (await tx.select({ n: sql<number>`count(*)::int` }).from(t))[0]!.n;
        await write(JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, migration, createdAt: new Date().toISOString(), tables: counts }));
        // In restore order, so that a restore streams the archive table by table.
        for (const t of restorePlan().order.filter((t) => BACKED_UP.includes(t))) {
          const name = nameOf(t);
          let n = 0;
          const kinds = kindsOf(t);
          for await (const r of rowsOf(tx as unknown as Db, t)) {
            await write(JSON.stringify({ t: name, r: encodeRow(r, kinds) }));
            n++;
          }
          if (n !== counts[name]) throw new Error(`备份不一致：${name} 计数 ${counts[name]}，实际读取 ${n}`);
          onTable?.(name, n);
        }
      },
      { isolationLevel: "repeatable read", accessMode: "read only" },
    );
    await new Promise<void>((resolve, reject) => {
      out.on("finish", resolve).on("error", reject);
      gzip.end();
    });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  } catch (e) {
    gzip.destroy();
    out.destroy();
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  return { file, tables: counts, bytes: fs.statSync(file).size, migration };
}

export class RestoreRefusedError extends Error {}

/** Tables a fresh install fills by itself. */
const SETUP_TABLES = new Set(["calendar_years", "calendar_days", "app_meta"]);

/** Rows in the database, per table (the app's own tables; migration bookkeeping aside). */
export async function tableCounts(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of TABLES) out[nameOf(t)] = (await db.select({ n: sql<number>`count(*)::int` }).from(t))[0]!.n;
  return out;
}

/** A digest of every table's content, for checking a round trip. */
export async function contentHashes(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of TABLES) {
    const h = createHash("sha256");
    const kinds = kindsOf(t);
    for await (const r of rowsOf(db, t)) h.update(JSON.stringify(Object.entries(encodeRow(r, kinds))) + "\n");
    out[nameOf(t)] = h.digest("hex");
  }
  return out;
}

/** The statements of a migration that write rows (UPDATE, INSERT, DELETE), not its schema changes. */
export function dataStatements(tag: string): string[] {
  return fs
    .readFileSync(path.resolve("db/migrations", `${tag}.sql`), "utf8")
    .split("--> statement-breakpoint")
    .map((s) =>
      s
        .split("\n")
        .filter((l) => !l.trim().startsWith("--"))
        .join("\n")
        .trim(),
    )
    .filter((s) => /^(update|insert|delete)\b/i.test(s));
}

/**
 * The archive's lines as values. A file cut short or damaged is refused with a reason in Chinese
 * (zlib's "unexpected end of file", or JSON's "Expected ',' …", reached the operator as they were;
 * an error of the file stream once went unheard and ended the process).
 */
async function* readArchive(file: string): AsyncGenerator<unknown> {
  const source = fs.createReadStream(file);
  const gunzip = createGunzip();
  source.on("error", (e) => gunzip.destroy(e));
  const rl = readline.createInterface({ input: source.pipe(gunzip), crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of rl) {
      n++;
      if (!line) continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        throw new RestoreRefusedError(`备份文件已损坏：第 ${n} 行无法读取。数据库未作更改。`);
      }
      yield value;
    }
  } catch (e) {
    if (e instanceof RestoreRefusedError) throw e;
    throw new RestoreRefusedError(`备份文件不完整或已损坏（无法解压：${e instanceof Error ? e.message : String(e)}）。数据库未作更改。`);
  } finally {
    rl.close();
    source.destroy();
  }
}

/**
 * Restore into an empty database (the schema migrated to the latest). A database with data is
 * refused unless `replace` is set, which empties it first — all in one transaction, so a failed
 * restore leaves the database as it was.
 */
export async function restoreBackup(db: Db, file: string, opts: { replace?: boolean; onTable?: (name: string, rows: number) => void } = {}) {
  if (!fs.existsSync(file)) throw new RestoreRefusedError(`备份文件不存在：${file}`);
  const lines = readArchive(file);
  let header: { format?: string; version?: number; migration?: string; tables?: Record<string, number> };
  try {
    header = (await lines.next()).value as typeof header;
  } catch {
    throw new RestoreRefusedError("不是有效的备份文件（无法解压或读取）。");
  }
  if (header?.format !== BACKUP_FORMAT || header.version !== BACKUP_VERSION) throw new RestoreRefusedError("不是本系统的备份文件，或备份格式版本不受支持。");
  // Older backups load into a newer schema (added columns take their defaults; what later
  // migrations filled into existing rows is filled again below); newer ones are refused.
  const known = JSON.parse(fs.readFileSync(path.resolve("db/migrations/meta/_journal.json"), "utf8")).entries.map((e: { tag: string }) => e.tag) as string[];
  if (!known.includes(header.migration ?? "")) throw new RestoreRefusedError(`备份来自更新的系统版本（${header.migration}），请先升级本系统。`);
  const later = known.slice(known.indexOf(header.migration!) + 1);
  const counts = await tableCounts(db);
  // What every install fills by itself (the shipped calendar, setup markers) does not make it "not empty".
  const nonEmpty = Object.entries(counts).filter(([t, n]) => n > 0 && !SETUP_TABLES.has(t));
  if (nonEmpty.length && !opts.replace)
    throw new RestoreRefusedError(
      `目标数据库不是空的（${nonEmpty
        .map(([t, n]) => `${t} ${n} 行`)
        .slice(0, 4)
        .join("、")}）。确需覆盖，请加 --replace。`,
    );

  const { deferred } = restorePlan();
  const byName = new Map(TABLES.map((t) => [nameOf(t), t]));
  const restored: Record<string, number> = {};
  const fixups: { t: Table; key: Record<string, unknown>; set: Record<string, unknown> }[] = [];

  const kept = { auditEntries: 0, documentNumbers: [] as string[] };
  await db.transaction(async (tx) => {
    // Nobody writes while the data is read and replaced: a signing that committed between reading
    // the live 文号 and the truncate lost its number, which the series then issued again.
    await tx.execute(sql.raw(`lock table ${TABLES.map((t) => `"${nameOf(t)}"`).join(", ")} in access exclusive mode`));
    const countsNow = await tableCounts(tx as unknown as Db);
    if (!opts.replace && Object.entries(countsNow).some(([t, n]) => n > 0 && !SETUP_TABLES.has(t)))
      throw new RestoreRefusedError("目标数据库在恢复开始时已有新数据。确需覆盖，请加 --replace。");
    const empty = Object.values(countsNow).every((n) => n === 0);
    // the demo data set alone (an embedded install started once before its production archive came
    // back) is replaced whole: nothing of it is production's to keep
    const keepLive = !empty && !(await holdsOnlyDemoData(tx as unknown as Db));
    // Replacing live data keeps what must outlive any restore: the audit log is append-only (its
    // entries made after the backup are put back), and a 文号 once used stays used (the series
    // must not issue again a number already on a letter sent after the backup).
    // The live audit log waits in a temporary table (not in memory: it can be long).
    if (keepLive) await tx.execute(sql`create temp table restore_live_audit on commit drop as select at, actor_id, actor_name, address, action, target, detail from audit_log`);
    const liveNumbers = keepLive ? await tx.select().from(documentNumbers) : [];
    if (!empty) await tx.execute(sql.raw(`truncate ${TABLES.map((t) => `"${nameOf(t)}"`).join(", ")} restart identity cascade`));
    const insertRows = async (name: string, rows: Record<string, unknown>[]) => {
      const t = byName.get(name)!;
      const cols = getTableColumns(t) as Record<string, PgColumn>;
      const deferredCols = deferred.get(t) ?? [];
      const deferredKeys = Object.entries(cols)
        .filter(([, c]) => deferredCols.includes(c.name))
        .map(([k]) => k);
      const pkKeys = Object.entries(cols)
        .filter(([, c]) => c.primary)
        .map(([k]) => k);
      const kinds = kindsOf(t);
      const clean = rows.map((r) => {
        const row = Object.fromEntries(
          Object.entries(r)
            .filter(([k]) => k in cols)
            .map(([k, v]) => [k, decode(v, kinds[k], name, k)]),
        );
        if (deferredKeys.length) {
          const set = Object.fromEntries(deferredKeys.filter((k) => row[k] != null).map((k) => [k, row[k]]));
          if (Object.keys(set).length) fixups.push({ t, key: Object.fromEntries(pkKeys.map((k) => [k, row[k]])), set });
          for (const k of deferredKeys) row[k] = null;
        }
        return row;
      });
      // a row the database refuses is named by its table and the database's reason, never by its
      // values (the error would print every parameter: a user's password hash among them)
      if (clean.length)
        await tx
          .insert(t)
          .values(clean as never)
          .catch((e: unknown) => {
            const reason = (withoutParameters(e) as Error).message.split("\n")[0];
            throw new RestoreRefusedError(`备份文件中 ${name} 表的数据无法写入（${reason}）。数据库未作更改。`);
          });
      restored[name] = (restored[name] ?? 0) + rows.length;
    };
    // The archive lists tables in dependency order: stream it, a batch at a time.
    let batch: { name: string; rows: Record<string, unknown>[] } | null = null;
    for await (const item of lines) {
      const { t: name, r } = item as { t: string; r: Record<string, unknown> };
      if (!byName.has(name) || NOT_BACKED_UP.has(name)) continue; // a table this version no longer has, or sessions from an older archive
      if (batch && (batch.name !== name || batch.rows.length >= pageOf(byName.get(batch.name)!))) {
        await insertRows(batch.name, batch.rows);
        if (batch.name !== name) opts.onTable?.(batch.name, restored[batch.name] ?? 0);
        batch = null;
      }
      batch ??= { name, rows: [] };
      batch.rows.push(r);
    }
    if (batch) {
      await insertRows(batch.name, batch.rows);
      opts.onTable?.(batch.name, restored[batch.name] ?? 0);
    }
    // Every table as many rows as the backup wrote, checked before the links between rows are set:
    // an archive cut at a line's end failed there with a foreign-key error, not this reason.
    for (const [name, n] of Object.entries(header.tables ?? {})) {
      if (byName.has(name) && !NOT_BACKED_UP.has(name) && (restored[name] ?? 0) !== n)
        throw new RestoreRefusedError(`备份文件不完整：${name} 应为 ${n} 行，只读到 ${restored[name] ?? 0} 行。数据库未作更改。`);
    }
    for (const f of fixups) {
      const where = sql.join(
        Object.entries(f.key).map(([k, v]) => sql`${(getTableColumns(f.t) as Record<string, PgColumn>)[k]!} = ${v}`),
        sql` and `,
      );
      await tx
        .update(f.t)
        .set(f.set as never)
        .where(where);
    }
    // A backup from before a migration that filled existing rows (the first reply's date, the
    // publications of replies already public…) gets that filling now, as an upgrade would have
    // given it: the migrations' data statements, in order, on the restored rows.
    for (const tag of later) for (const statement of dataStatements(tag)) await tx.execute(sql.raw(statement));
    // Serial ids continue after the restored rows.
    for (const t of TABLES) {
      for (const c of Object.values(getTableColumns(t) as Record<string, PgColumn>)) {
        if (!["PgSerial", "PgBigSerial53", "PgBigSerial64"].includes(c.columnType)) continue;
        await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('"${nameOf(t)}"', '${c.name}'), coalesce((select max("${c.name}") from "${nameOf(t)}"), 0) + 1, false)`));
      }
    }
    // After the ids: these rows take new ones.
    if (keepLive) {
      // An entry is kept unless the backup has it — compared by content, not by time: an entry
      // committed while the backup's snapshot was being read can carry an earlier time than the
      // backup's last entry and still not be in it.
      const [{ n }] = await queryRows<{ n: number }>(
        tx as unknown as Db,
        sql`with kept as (
          insert into audit_log (at, actor_id, actor_name, address, action, target, detail)
          select l.at, u.id, l.actor_name, l.address, l.action, l.target, l.detail
          from restore_live_audit l left join users u on u.id = l.actor_id
          where not exists (
            select 1 from audit_log a
            where a.at = l.at and a.action = l.action and a.actor_name is not distinct from l.actor_name
              and a.address is not distinct from l.address and a.target is not distinct from l.target and a.detail is not distinct from l.detail)
          order by l.at
          returning 1)
        select count(*)::int as n from kept`,
      );
      kept.auditEntries = n;
      const restoredNumbers = new Set((await tx.select({ number: documentNumbers.number }).from(documentNumbers)).map((n) => n.number));
      for (const n of liveNumbers.filter((n) => !restoredNumbers.has(n.number))) {
        await tx
          .insert(documentNumbers)
          .values({
            number: n.number,
            prefix: n.prefix,
            year: n.year,
            seq: n.seq,
            letterId: null,
            note: "恢复备份前已使用的文号（备份之后发出）",
            createdBy: null,
            createdAt: n.createdAt,
          })
          .onConflictDoNothing();
        kept.documentNumbers.push(n.number);
      }
    }
  });
  return { tables: restored, migration: header.migration, kept };
}
