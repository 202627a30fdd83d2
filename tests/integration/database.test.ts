/** Opening the configured database: a server that does not answer is named, with the reason; statements are prepared. */
import { eq, inArray, sql } from "drizzle-orm";
import { customType, integer, pgTable } from "drizzle-orm/pg-core";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import postgres from "postgres";
import { describe, expect, it } from "vitest";
import { DatabaseUnreachableError, type DbHandle, openDatabase } from "#db/client.server";
import { cleanLine, cleanText, proposalInputSchema } from "~/domain/proposal";
import { registerProposal } from "~/models/proposal.server";
import { createUser } from "~/models/user.server";
import { notifications, proposals, proposers as proposersTable } from "#db/schema";
import { rowsOf } from "~/models/library-search.server";
import { ADMIN_URL, availableDatabases, createPostgresDatabase, postgresUnavailable } from "../support/databases";

// as db/schema.ts declares bytea
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});
const bytesCheck = pgTable("bytes_check", { b: bytea("b").notNull() });

const pgDown = await postgresUnavailable();
if (pgDown && !process.env.CI) console.warn(`[database] missing-database case skipped: ${pgDown}`);

describe("DATABASE_URL pointing at nothing", () => {
  it("says which server could not be reached and why, instead of a failed query", async () => {
    await expect(openDatabase({ kind: "postgres", url: "postgres://postgres@127.0.0.1:1/none" })).rejects.toThrow(
      "无法连接 PostgreSQL 服务器 127.0.0.1:1/none：连接被拒绝（服务器未启动，或端口不对）。请检查 DATABASE_URL。",
    );
  });

  it.skipIf(Boolean(pgDown) && !process.env.CI)("names a database the server does not have", async () => {
    const missing = new URL(ADMIN_URL);
    missing.pathname = "/prd_no_such_database";
    const err = await openDatabase({ kind: "postgres", url: missing.toString() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnreachableError);
    expect((err as Error).message).toContain("数据库不存在（请先 createdb）");
  });
});

// Queries outside a transaction run as prepared statements (db/client.server.ts): one round trip
// instead of two, planned once per connection. These hold only where statements really are
// prepared on a server, so PostgreSQL only.
describe.skipIf(Boolean(pgDown) && !process.env.CI)("prepared statements on PostgreSQL", () => {
  const probe = pgTable("deploy_probe", { id: integer("id").notNull(), v: integer("v") });

  async function withProbe(test: (h: DbHandle, other: ReturnType<typeof postgres>) => Promise<void>) {
    const created = await createPostgresDatabase();
    const h = await openDatabase({ kind: "postgres", url: created.url });
    // another instance on the same database (the one that runs a migration in a rolling deploy)
    const other = postgres(created.url, { max: 1, onnotice: () => {} });
    try {
      await other.unsafe("create table deploy_probe (id integer not null, v integer)");
      await other.unsafe("insert into deploy_probe values (1, 7)");
      await test(h, other);
    } finally {
      await other.end();
      await h.close();
      await created.drop();
    }
  }
  const read = (h: DbHandle) => h.db.select({ v: probe.v }).from(probe).where(eq(probe.id, 1));

  it("a query with parameters is prepared on its connection", async () => {
    await withProbe(async (h) => {
      for (let i = 0; i < 3; i++) expect(await read(h)).toEqual([{ v: 7 }]);
      // sequential queries stay on one connection, so this one sees the probe's statement
      const rows = await rowsOf<{ statement: string }>(h.db, sql`select statement from pg_prepared_statements where statement like ${"%deploy_probe%"}`);
      expect(rows.map((r) => r.statement)).toContainEqual(expect.stringContaining('from "deploy_probe" where "deploy_probe"."id" = $1'));
    });
  });

  it("still answers after another instance's migration changes what the statement returns (rolling deploy)", async () => {
    await withProbe(async (h, other) => {
      expect(await read(h)).toEqual([{ v: 7 }]);
      // the result's type changes: PostgreSQL refuses the cached plan ("cached plan must not change
      // result type"); postgres.js drops the statement and prepares it again
      await other.unsafe("alter table deploy_probe alter column v type smallint");
      expect(await read(h)).toEqual([{ v: 7 }]);
      await other.unsafe("alter table deploy_probe add column note text");
      expect(await read(h)).toEqual([{ v: 7 }]);
    });
  });
});

describe.each(await availableDatabases())("bytes on $name", (database) => {
  it("a file's bytes round-trip exactly, also from a view into a larger buffer (PGlite's own bytea codec, one string per byte, ran out of memory at 10 MB)", async () => {
    const h = await database.open();
    try {
      const whole = randomBytes(3 * 1024 * 1024 + 7);
      const view = whole.subarray(5, whole.length - 2);
      await h.db.execute(sql`create table bytes_check (b bytea not null)`);
      await h.db.insert(bytesCheck).values({ b: view });
      const [row] = await h.db.select().from(bytesCheck);
      expect(Buffer.isBuffer(row!.b)).toBe(true);
      expect(row!.b.equals(view)).toBe(true);
    } finally {
      await h.db.execute(sql`drop table if exists bytes_check`);
      await h.close();
    }
  });
});

/** Runs a migration's statements again, as on data stored before it. */
async function rerunMigration(h: DbHandle, file: string) {
  for (const statement of fs.readFileSync(`db/migrations/${file}`, "utf8").split("--> statement-breakpoint")) await h.db.execute(sql.raw(statement));
}

/** One proposal of 张三's to run a migration over. */
function registerOne(h: DbHandle, actorId: string, over: Record<string, unknown>) {
  const input = proposalInputSchema.parse({
    meeting: "东莞市政协第十三届六次会议",
    number: "1",
    title: "关于某事的建议",
    proposers: [{ kind: "member", name: "张三" }],
    assignedOn: "2021-03-22",
    ...over,
  });
  return h.db.transaction((tx) => registerProposal(tx, { input, actorId }));
}

describe.each(await availableDatabases())("migration 0028 on $name", (database) => {
  it("cleans 备注, 案由 and 主办单位 stored before typed text lost CR and direction controls, as cleanText now does for the same text typed again", async () => {
    const h = await database.open();
    try {
      const actorId = await createUser(h.db, { username: "chenmin", displayName: "陈敏", role: "registrar", phone: null, password: "correct horse battery" });
      const input = {
        meeting: "东莞市政协第十三届六次会议",
        title: "关于某事的建议",
        proposers: [{ kind: "body", name: "民建市委会" }],
        bureauRole: "lead",
        assignedOn: "2021-03-22",
        notes: "",
      };
      const id = await h.db.transaction((tx) => registerProposal(tx, { input: proposalInputSchema.parse({ ...input, number: "1" }), actorId }));
      const plain = await h.db.transaction((tx) => registerProposal(tx, { input: proposalInputSchema.parse({ ...input, number: "2", notes: "普通" }), actorId }));
      // as stored before: a textarea's CRLF, direction controls
      const stored = { notes: "第一行\r\n第二行\r第三行", title: "关于\u202E某事\u202C的建议", leadUnit: "市\u2067科技局\u2069" };
      await h.db.update(proposals).set(stored).where(eq(proposals.id, id));
      await rerunMigration(h, "0028_clean_typed_text.sql");
      const [cleaned] = await h.db.select({ notes: proposals.notes, title: proposals.title, leadUnit: proposals.leadUnit }).from(proposals).where(eq(proposals.id, id));
      expect(cleaned).toEqual({ notes: cleanText(stored.notes), title: cleanText(stored.title), leadUnit: cleanText(stored.leadUnit) });
      expect(cleaned).toEqual({ notes: "第一行\n第二行\n第三行", title: "关于某事的建议", leadUnit: "市科技局" });
      const [untouched] = await h.db.select({ notes: proposals.notes, title: proposals.title, version: proposals.version }).from(proposals).where(eq(proposals.id, plain));
      expect(untouched).toMatchObject({ notes: "普通", title: "关于某事的建议" });
    } finally {
      await h.close();
    }
  });
});

describe.each(await availableDatabases())("migration 0029 on $name", (database) => {
  it("folds the line breaks of 案由, 主办单位 and proposers' names stored before, as cleanLine now does for the same text imported again", async () => {
    const h = await database.open();
    try {
      const actorId = await createUser(h.db, { username: "chenmin", displayName: "陈敏", role: "registrar", phone: null, password: "correct horse battery" });
      const id = await registerOne(h, actorId, { bureauRole: "co", leadUnit: "市科技局" });
      // as an Excel cell wrapped with Alt+Enter was stored before
      const stored = { title: "关于推进5G\n网络\n建设的建议", leadUnit: "市科技\n局", proposerNames: "张\n三" };
      await h.db.update(proposals).set(stored).where(eq(proposals.id, id));
      await h.db.update(proposersTable).set({ name: "张\n三" }).where(eq(proposersTable.proposalId, id));
      await rerunMigration(h, "0029_fold_line_breaks.sql");
      const [folded] = await h.db
        .select({ title: proposals.title, leadUnit: proposals.leadUnit, proposerNames: proposals.proposerNames })
        .from(proposals)
        .where(eq(proposals.id, id));
      expect(folded).toEqual({ title: cleanLine(stored.title), leadUnit: cleanLine(stored.leadUnit), proposerNames: "张三" });
      expect(folded!.title).toBe("关于推进5G网络建设的建议");
      const names = await h.db.select({ name: proposersTable.name }).from(proposersTable).where(eq(proposersTable.proposalId, id));
      expect(names).toEqual([{ name: "张三" }]);
    } finally {
      await h.close();
    }
  });
});

describe.each(await availableDatabases())("migration 0031 on $name", (database) => {
  it("supersedes the reminders piled up before: of one user's unread reminders about one proposal, the newest alone still counts", async () => {
    const h = await database.open();
    try {
      const actorId = await createUser(h.db, { username: "liyong", displayName: "李勇", role: "handler", phone: null, password: "correct horse battery" });
      const other = await createUser(h.db, { username: "wangfang", displayName: "王芳", role: "handler", phone: null, password: "correct horse battery" });
      const proposalId = await registerOne(h, actorId, { bureauRole: "lead" });
      // as the reminder job left them: written straight, as before 0030 nothing superseded them
      const rows = await h.db
        .insert(notifications)
        .values([
          { userId: actorId, proposalId, kind: "due_soon", message: "15 天" },
          { userId: actorId, proposalId, kind: "due_soon", message: "7 天", readAt: new Date() },
          { userId: actorId, proposalId, kind: "due_soon", message: "3 天" },
          { userId: actorId, proposalId, kind: "assigned", message: "已分派给您" },
          { userId: actorId, proposalId, kind: "overdue", message: "已超期" },
          { userId: other, proposalId, kind: "due_soon", message: "他人的提醒" },
        ])
        .returning({ id: notifications.id, message: notifications.message });
      await rerunMigration(h, "0031_supersede_piled_reminders.sql");
      const after = await h.db
        .select({ message: notifications.message, superseded: sql<boolean>`${notifications.supersededAt} is not null` })
        .from(notifications)
        .where(
          inArray(
            notifications.id,
            rows.map((r) => r.id),
          ),
        )
        .orderBy(notifications.id);
      expect(after).toEqual([
        { message: "15 天", superseded: true },
        { message: "7 天", superseded: false },
        { message: "3 天", superseded: true },
        { message: "已分派给您", superseded: false },
        { message: "已超期", superseded: false },
        { message: "他人的提醒", superseded: false },
      ]);
    } finally {
      await h.close();
    }
  });
});
