/** Opening the configured database: a server that does not answer is named, with the reason. */
import { describe, expect, it } from "vitest";
import { DatabaseUnreachableError, openDatabase } from "#db/client.server";
import { ADMIN_URL, postgresUnavailable } from "../support/databases";

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
