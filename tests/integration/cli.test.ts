/** The CLI as an admin runs it: a real process against a real database. */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { openDatabase } from "#db/client.server";
import { auditLog } from "#db/schema";
import { listProposals } from "~/models/proposal.server";
import { findUserForSignIn } from "~/models/user.server";
import { createPostgresDatabase, postgresUnavailable } from "../support/databases";
import { CLI, cliArgs } from "../support/cli";

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prd-cli-"));

async function cli(args: string[], env: Record<string, string>) {
  try {
    const r = await run(CLI[0], cliArgs(...args), { env: { ...process.env, ...env, DEMO_DATA: "" }, timeout: 60_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe("CLI on the embedded database", () => {
  const env = { DATA_DIR: path.join(tmp, "data") };

  it("lists its commands — through `npm run cli` itself (tsx), as an admin types it", async () => {
    const r = await run("npm", ["run", "-s", "cli", "--", "help"], { env: { ...process.env, ...env, DEMO_DATA: "" }, timeout: 60_000 });
    for (const c of ["user:create", "proposals:import", "db:migrate"]) expect(r.stdout).toContain(c);
    // and the same from the compiled CLI the other tests run
    expect((await cli(["help"], env)).out).toBe(r.stdout + r.stderr);
  });

  it("migrates, seeds the demo data when empty, and imports a sheet", async () => {
    const file = path.join(tmp, "batch.csv");
    fs.writeFileSync(file, "会议,提案号,案由,提案者,办理方式,交办日期\n测试会议,1,关于甲的建议,民建市委会,主办,2021-03-22\n");
    const r = await cli(["proposals:import", file], env);
    expect(r.out).toContain("已导入 1 件，跳过已登记 0 件");
    expect(r.code).toBe(0);
    const again = await cli(["proposals:import", file], env);
    expect(again.out).toContain("已导入 0 件，跳过已登记 1 件");
    const h = await openDatabase({ kind: "pglite", dataDir: path.join(env.DATA_DIR, "pglite") });
    try {
      const demo = JSON.parse(fs.readFileSync("seeds/demo/proposals.json", "utf8")).proposals.length;
      expect((await listProposals(h.db, { page: 1, pageSize: 50 })).total).toBe(demo + 1);
      expect(await findUserForSignIn(h.db, "liyong")).not.toBeNull();
    } finally {
      await h.close();
    }
  });

  it("prints the deadline list for a daily job, as text and as JSON", async () => {
    const r = await cli(["deadlines", "--json"], { ...env, APP_TODAY: "2026-11-25" });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.out.slice(r.out.indexOf("[")));
    const overdue = rows.find((x: { number: string }) => x.number === "30145");
    expect(overdue).toMatchObject({ meeting: "东莞市政协第十四届五次会议", due: "2026-11-20", daysLeft: -5, kind: "reply" });
    expect(rows.find((x: { number: string }) => x.number === "30210")).toMatchObject({ kind: "co_handling", due: "2026-11-30", daysLeft: 5 });
    // Replied proposals (letters 108/109) are not open.
    expect(rows.some((x: { number: string }) => x.number === "10121")).toBe(false);
    // a date in a year the calendar does not cover carries the pages' ⚠ (it was printed as certain)
    const unsure = rows.filter((x: { due: string }) => x.due >= "2027-01-01");
    expect(unsure.length).toBeGreaterThan(0);
    for (const x of unsure) expect(x.doubts, x.number).toEqual([expect.stringContaining("工作日历未覆盖 2027年")]);
    expect(rows.filter((x: { due: string; doubts: string[] }) => x.due < "2027-01-01" && x.doubts.length)).toEqual([]);
    const text = await cli(["deadlines"], { ...env, APP_TODAY: "2026-11-25" });
    expect(text.out).toMatch(new RegExp(`第${unsure[0].number}号.*⚠ 工作日历未覆盖 2027年`));
    const soon = await cli(["deadlines", "--due-within", "5"], { ...env, APP_TODAY: "2026-11-25" });
    expect(soon.out).toMatch(/2026-11-30\s+5\s+东莞市政协第十四届五次会议\s+第30210号（会办意见）/);
    expect(soon.out).not.toContain("30302");
    expect((await cli(["deadlines", "--due-within", "soon"], env)).out).toContain("--due-within 须为 0 到 3650 之间的整数天数");
  });

  it("fails clearly on bad arguments", async () => {
    const r = await cli(["user:create", "--username", "x", "--role", "boss"], env);
    expect(r.code).not.toBe(0);
    expect(r.out).toMatch(/--name: 请填写姓名/);
    expect((await cli(["nonsense"], env)).out).toContain("未知命令：nonsense");
    // a value that parses but is out of range is refused, not silently dropped or passed to the database
    const year = await cli(["stats", "--year", "1999"], env);
    expect(year.code).not.toBe(0);
    expect(year.out).toContain("--year 须在 2000 到 2100 之间");
    // a 会议 that is not registered is named, not reported as one with no proposals (all zeros)
    const meeting = await cli(["stats", "--meeting", "不存在的会议"], env);
    expect(meeting.code).not.toBe(0);
    expect(meeting.out).toMatch(/没有名为“不存在的会议”的会议。已有的会议：.*东莞市政协第十四届五次会议/);
    const short = await cli(["stats", "--meeting", "十四届五次会议"], env); // the short name is the registered one
    expect(short.code).toBe(0);
    expect(short.out).toContain("东莞市政协第十四届五次会议");
    // nothing chosen is the page's scope, the latest year with proposals (it printed all years); all years is --year all
    expect((await cli(["stats"], env)).out).toMatch(/^办理情况统计 · 20\d\d年交办 · 共/m);
    expect((await cli(["stats", "--year", "all"], env)).out).toMatch(/^办理情况统计 · 全部提案 · 共/m);
    const asOf = await cli(["paragraphs:import", "seeds/source/letter-108.txt", "--as-of", "2021-02-30"], env);
    expect(asOf.code).not.toBe(0);
    expect(asOf.out).toContain("日期不存在");
    expect(asOf.out).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    // a mistyped option is named in Chinese, with the command's usage
    const typo = await cli(["deadlines", "--due", "7"], env);
    expect(typo.code).not.toBe(0);
    expect(typo.out).toContain("错误：不认识的选项 --due。用法：npm run cli -- deadlines [--due-within DAYS]");
    expect((await cli(["stats", "extra"], env)).out).toContain("错误：多余的参数“extra”");
    // db:backup takes one file: a second word was ignored, a folder gave an English EISDIR
    const two = await cli(["db:backup", path.join(os.tmpdir(), "my"), "backup.prd.gz"], env);
    expect(two.code).not.toBe(0);
    expect(two.out).toContain("多余的参数“backup.prd.gz”：只需一个备份文件名（含空格时请加引号）");
    const folder = await cli(["db:backup", os.tmpdir()], env);
    expect(folder.code).not.toBe(0);
    expect(folder.out).toContain(`${os.tmpdir()} 是一个目录：请给出备份文件名`);
  });
});

const pgDown = await postgresUnavailable();
if (pgDown && process.env.CI) throw new Error(`CI 中必须有 PostgreSQL：${pgDown}`);
if (pgDown) console.warn(`[skip] CLI 的 PostgreSQL 测试已跳过：${pgDown}`);

describe.skipIf(Boolean(pgDown))("CLI on PostgreSQL (production install: no demo users)", () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeAll(async () => {
    db = await createPostgresDatabase();
  });
  afterAll(() => db?.drop());

  it("creates the first admin and refuses the same name twice", async () => {
    const env = { DATABASE_URL: db.url, NEW_USER_PASSWORD: "a long enough password" };
    const r = await cli(["user:create", "--username", "root", "--name", "管理员", "--role", "admin"], env);
    expect(r.out).toContain("已创建用户 root");
    expect((await cli(["user:create", "--username", "root", "--name", "管理员", "--role", "admin"], env)).out).toContain("用户名 root 已存在");
    const h = await openDatabase({ kind: "postgres", url: db.url });
    try {
      expect((await findUserForSignIn(h.db, "root"))?.role).toBe("admin");
      expect(await findUserForSignIn(h.db, "liyong")).toBeNull();
      // in the audit log, as an account made on 用户管理 is (the CLI left none)
      const [made] = await h.db.select().from(auditLog).where(eq(auditLog.action, "user_created"));
      expect(made).toMatchObject({ address: "命令行", target: "root", detail: "角色 系统管理员（user:create）" });
    } finally {
      await h.close();
    }
    // A production database does not get fictitious proposals by a mistyped command.
    const scale = await cli(["demo:scale", "--proposals", "10"], env);
    expect(scale.code).not.toBe(0);
    expect(scale.out).toContain("请加 --yes");
    const h2 = await openDatabase({ kind: "postgres", url: db.url });
    try {
      expect((await listProposals(h2.db, { page: 1, pageSize: 10 })).total).toBe(0);
    } finally {
      await h2.close();
    }
  });
});

describe("proofread (公文校对) from the command line", () => {
  it("reports letter 109's errors as JSON, fixes what has one right answer, and reads a DOCX", async () => {
    const r = await cli(["proofread", "seeds/source/letter-109.txt", "--json"], {});
    expect(r.code).toBe(1); // must-fix findings: exit code 1 with --json too
    const findings = JSON.parse(r.out.slice(r.out.indexOf("["))) as { rule: string; severity: string; excerpt: string; offset: number; suggestion: string | null }[];
    expect(findings).toContainEqual(expect.objectContaining({ rule: "date.zero-circle", severity: "must", excerpt: "○", suggestion: "〇" }));
    expect(findings.some((f) => f.rule === "punct.yi-dash")).toBe(true);
    const fixed = path.join(tmp, "109-fixed.txt");
    const human = await cli(["proofread", "seeds/source/letter-109.txt", "--fix", fixed], {});
    expect(human.code).toBe(1); // must-fix findings remain in the original
    expect(human.out).toMatch(/共 \d+ 处，其中必须修改 \d+ 处/);
    const again = JSON.parse((await cli(["proofread", fixed, "--json"], {})).out.replace(/^[^[]*/, "")) as { severity: string; suggestion: string | null }[];
    expect(again.filter((f) => f.severity === "must" && f.suggestion !== null)).toEqual([]);
    expect(fs.readFileSync(fixed, "utf8")).toContain("二〇二一年");
    // a "should" is left for a person: two words meeting on one character stay as written
    const words = path.join(tmp, "words.txt");
    fs.writeFileSync(words, "依据《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》，压实责任任务，统筹协调调度。\n");
    await cli(["proofread", words, "--fix", `${words}.fixed`], {});
    expect(fs.readFileSync(`${words}.fixed`, "utf8")).toBe(fs.readFileSync(words, "utf8"));

    const { renderLetterDocx } = await import("~/letters/docx.server");
    const { seedLetter } = await import("../letters/helpers");
    const docx = path.join(tmp, "108.docx");
    const letter = seedLetter("108");
    fs.writeFileSync(docx, await renderLetterDocx(letter));
    const fromDocx = JSON.parse((await cli(["proofread", docx, "--json"], {})).out.replace(/^[^[]*/, "")) as { rule: string; excerpt: string }[];
    expect(fromDocx.some((f) => f.rule === "char.duplicate")).toBe(true); // 推动专专精特新
    expect((await cli(["proofread", "README"], {})).out).toContain("找不到文件");
  });

  it("an operator's mistake reads as one sentence, not a stack trace", async () => {
    const r = await cli(["stats"], { TRUST_PROXY: "yes" });
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^错误：/m);
    expect(r.out).not.toMatch(/^\s+at /m);
  });
});
