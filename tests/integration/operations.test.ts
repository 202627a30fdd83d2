/** What an operator sets up: configuration refused at start with a reason, the embedded database's folder kept private. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acquireDataDirLock, resolveDbConfig } from "#db/client.server";
import { readConfig } from "~/config.server";
import "~/domain/zod-locale";

const env = (vars: Record<string, string>) => ({ NODE_ENV: "test", ...vars }) as NodeJS.ProcessEnv;

describe("configuration", () => {
  it("an SMTP_URL that is no smtp:// address stops the start naming it (it was accepted and mail silently never went out)", () => {
    for (const bad of ["mail.example.com:587", "http://mail.example.com"])
      expect(() => readConfig(env({ SMTP_URL: bad })), bad).toThrow(/SMTP_URL.*应以 smtp:\/\/ 或 smtps:\/\/ 开头/);
    expect(readConfig(env({ SMTP_URL: "smtps://user:pass@mail.example.com:465" })).SMTP_URL).toBe("smtps://user:pass@mail.example.com:465");
    expect(readConfig(env({ SMTP_URL: "" })).SMTP_URL).toBeUndefined();
  });

  it("a PORT that is no port number is said so (it read 格式不对)", () => {
    for (const bad of ["abc", "0", "70000", "80.5"]) expect(() => readConfig(env({ PORT: bad })), bad).toThrow("PORT: 应为 1 到 65535 之间的端口号");
    expect(readConfig(env({ PORT: "8080" })).PORT).toBe(8080);
  });

  it("a DATABASE_URL that is no address stops the start naming it, in the one place the environment is read", () => {
    expect(() => readConfig(env({ DATABASE_URL: "localhost:5432/proposals" }))).toThrow(/DATABASE_URL: 应为 postgres:\/\/用户:密码@主机:5432\/数据库 形式的地址/);
    expect(readConfig(env({ DATABASE_URL: "" })).DATABASE_URL).toBeUndefined();
    // without a database name the app set itself up in the server's default database; %zz stopped the start in English
    for (const bad of ["postgres://postgres@127.0.0.1:5432/", "postgres://"]) expect(() => readConfig(env({ DATABASE_URL: bad })), bad).toThrow(/DATABASE_URL: 地址中缺少数据库名/);
    expect(() => readConfig(env({ DATABASE_URL: "postgres://%zz@127.0.0.1/x" }))).toThrow(/DATABASE_URL: 应为 postgres:\/\//);
    // the name may come from PGDATABASE, as the driver takes it (the diff review)
    expect(readConfig(env({ DATABASE_URL: "postgres://u@h", PGDATABASE: "proposals" })).DATABASE_URL).toBe("postgres://u@h");
    expect(resolveDbConfig(readConfig(env({ DATABASE_URL: "postgres://u@h:5432/d" })))).toEqual({ kind: "postgres", url: "postgres://u@h:5432/d" });
    expect(resolveDbConfig(readConfig(env({ DATA_DIR: "/srv/desk" })))).toEqual({ kind: "pglite", dataDir: "/srv/desk/pglite" });
  });
});

describe("the embedded database's folder", () => {
  it("that cannot be made stops the start naming DATA_DIR (a file in the path gave ENOTDIR in English; under /proc the start hung)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "prd-datadir-"));
    try {
      const file = path.join(root, "a-file");
      fs.writeFileSync(file, "");
      expect(() => acquireDataDirLock(path.join(file, "pglite"))).toThrow(/^DATA_DIR（.*a-file）不可用：.*a-file 不是文件夹/);
      if (fs.existsSync("/proc/self")) expect(() => acquireDataDirLock("/proc/no-such-dir/pglite")).toThrow(/^DATA_DIR（\/proc\/no-such-dir）不可用：无法创建/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it("is private to the app's user (PGlite writes its files world-readable; the folder keeps others out)", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "prd-datadir-"));
    try {
      const dir = path.join(root, "pglite");
      fs.mkdirSync(dir, { mode: 0o755 }); // made by an earlier release
      const release = acquireDataDirLock(dir);
      expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
      release();
      const fresh = path.join(root, "new", "pglite");
      acquireDataDirLock(fresh)();
      expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("a failed export's log line", () => {
  it("is the database's reason in one line, not the failed query with its parameters (a ZIP's bytes)", async () => {
    const { briefError } = await import("~/letters/export-jobs.server");
    const cause = Object.assign(new Error('insert or update on table "export_job_chunks" violates foreign key constraint'), { name: "PostgresError" });
    const wrapped = new Error(`Failed query: insert into "export_job_chunks" values ($1, $2)\nparams: 1,${"PK\u0003\u0004".repeat(50_000)}`, { cause });
    expect(briefError(wrapped)).toBe('PostgresError: insert or update on table "export_job_chunks" violates foreign key constraint');
    expect(briefError(new Error("x".repeat(1000))).length).toBeLessThanOrEqual(301);
  });
});
