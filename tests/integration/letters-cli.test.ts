/** letter:docx and letters:export as an admin runs them: real processes on the embedded demo database and on PostgreSQL. */
import { execFile, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import JSZip from "jszip";
import postgres from "postgres";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "#db/client.server";
import { auditLog } from "#db/schema";
import { normalise, pdfPages, seedLetter, seedSource, unzipDocx, xmlText } from "../letters/helpers";
import { createPostgresDatabase, postgresUnavailable } from "../support/databases";
import { CLI, cliArgs } from "../support/cli";

const run = promisify(execFile);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "prd-letters-cli-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string>) {
  try {
    const r = await run(CLI[0], cliArgs(...args), { env: { ...process.env, DEMO_DATA: "", ...env }, timeout: 90_000 });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const docxText = async (file: string) => {
  const parts = await unzipDocx(fs.readFileSync(file));
  return xmlText(parts.headers.first) + xmlText(parts.document);
};

describe("letter:render: a Letter value as JSON → DOCX and PDF (no database)", () => {
  const canPrint = ["soffice", "pdftotext", "pdfinfo"].every((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status === 0);
  if (!canPrint && !process.env.CI) console.warn("[letters-cli] letter:render --pdf skipped: LibreOffice or poppler missing");

  it("renders letter 109 to the same DOCX text, and --pdf to its 4 printed pages", async () => {
    const json = path.join(tmp, "letter-109.json");
    fs.writeFileSync(json, JSON.stringify(seedLetter("109")));
    const out = path.join(tmp, "rendered-109.docx");
    const r = await cli(["letter:render", json, "--out", out, ...(canPrint || process.env.CI ? ["--pdf"] : [])], {});
    expect(r.out).toContain(`已写出 ${out}`);
    expect(r.code).toBe(0);
    expect(normalise(xmlText((await unzipDocx(fs.readFileSync(out))).document))).toBe(normalise(seedSource("109")).replaceAll("○", "〇"));
    if (canPrint || process.env.CI) {
      expect(r.out).toContain("（4 页");
      expect(pdfPages(out.replace(/\.docx$/, ".pdf"))).toBe(4);
    }
  });

  it("refuses an invalid Letter value field by field, and writes nothing", async () => {
    const json = path.join(tmp, "bad.json");
    fs.writeFileSync(json, JSON.stringify({ ...seedLetter("109"), date: "2021-02-30", sections: [{ type: "paragraph" }] }));
    const out = path.join(tmp, "bad.docx");
    const r = await cli(["letter:render", json, "--out", out], {});
    expect(r.code).not.toBe(0);
    expect(r.out).toContain("不是有效的 Letter 值");
    expect(r.out).toContain("date:");
    expect(r.out).toContain("sections.0.text");
    expect(fs.existsSync(out)).toBe(false);
    fs.writeFileSync(json, "{ not json");
    expect((await cli(["letter:render", json, "--out", out], {})).out).toContain("不是有效的 JSON");
  });
});

describe("letter CLI on the embedded demo database", () => {
  const env = { DATA_DIR: path.join(tmp, "data") };

  it("letter:docx writes the signed letter by 文号: the seed text exactly", async () => {
    const out = path.join(tmp, "108.docx");
    const r = await cli(["letter:docx", "--number", "东工信函〔2021〕108号", "--out", out], env);
    expect(r.out).toContain("已导出 东工信函〔2021〕108号");
    expect(r.code).toBe(0);
    expect(normalise(await docxText(out))).toBe(normalise(seedSource("108")));
    // spaces and [] typed instead of 〔〕 find it too; --public writes the redacted version
    const pub = path.join(tmp, "108-public.docx");
    const p = await cli(["letter:docx", "--number", "东工信函[2021]108 号", "--public", "--out", pub], env);
    expect(p.code).toBe(0);
    const text = await docxText(pub);
    expect(text).toContain("三、系统规划引领。");
    expect(text).not.toContain("28685020");
  });

  it("letters:export writes one ZIP with progress, files named by 文号 and 提案号", async () => {
    const out = path.join(tmp, "letters.zip");
    const r = await cli(["letters:export", "--meeting", "东莞市政协第十三届六次会议", "--state", "signed", "--out", out], env);
    expect(r.out).toContain("导出答复函 2/2（100%）");
    expect(r.out).toContain("已导出 2 封答复函");
    expect(r.code).toBe(0);
    const zip = await JSZip.loadAsync(fs.readFileSync(out));
    expect(Object.keys(zip.files).sort()).toEqual(["东工信函〔2021〕108号_第10121号提案答复.docx", "东工信函〔2021〕109号_第20210100号提案答复.docx", "清单.csv"].sort());
    expect(fs.readdirSync(tmp).filter((f) => f.endsWith(".part"))).toEqual([]);
    // letters taken out of the system from the CLI are in the audit log, as from the pages (they were not)
    const h = await openDatabase({ kind: "pglite", dataDir: path.join(env.DATA_DIR, "pglite") });
    try {
      const entries = await h.db.select({ action: auditLog.action, address: auditLog.address, target: auditLog.target }).from(auditLog).where(eq(auditLog.address, "命令行"));
      expect(entries).toEqual(
        expect.arrayContaining([
          { action: "letter_downloaded", address: "命令行", target: "东工信函〔2021〕108号" },
          { action: "letters_exported", address: "命令行", target: "东莞市政协第十三届六次会议" },
        ]),
      );
    } finally {
      await h.close();
    }
  });

  it("fails clearly, and leaves no file behind", async () => {
    const missing = await cli(["letter:docx", "--number", "东工信函〔2021〕999号", "--out", path.join(tmp, "x.docx")], env);
    expect(missing.code).not.toBe(0);
    expect(missing.out).toContain("没有文号为 东工信函〔2021〕999号 的已签发答复函");
    expect(fs.existsSync(path.join(tmp, "x.docx"))).toBe(false);
    const noOut = await cli(["letters:export"], env);
    expect(noOut.code).not.toBe(0);
    expect(noOut.out).toContain("请用 --out 指定输出的 ZIP 文件");
    const badMeeting = await cli(["letters:export", "--meeting", "不存在的会议", "--out", path.join(tmp, "y.zip")], env);
    expect(badMeeting.out).toContain("没有名为“不存在的会议”的会议");
    expect(fs.existsSync(path.join(tmp, "y.zip"))).toBe(false);
    expect((await cli(["letters:export", "--state", "sent", "--out", path.join(tmp, "y.zip")], env)).out).toContain("--state 只能是 signed（已签发）或 draft（草稿）");
    // "--meeting $M" with M unset is not every meeting
    const empty = await cli(["letters:export", "--meeting", "", "--out", path.join(tmp, "y.zip")], env);
    expect(empty.code).not.toBe(0);
    expect(empty.out).toContain("--meeting 不能为空");
    // a file that cannot be written: the reason in Chinese, nothing left behind
    fs.writeFileSync(path.join(tmp, "not-a-folder"), "");
    const unwritable = await cli(["letters:export", "--out", path.join(tmp, "not-a-folder", "z.zip")], env);
    expect(unwritable.code).not.toBe(0);
    expect(unwritable.out).toMatch(/^错误：.*ENOTDIR/m);
    expect(unwritable.out).not.toMatch(/^\s+at /m);
  });
});

const pgDown = await postgresUnavailable();
if (pgDown && process.env.CI) throw new Error(`CI 中必须有 PostgreSQL：${pgDown}`);
if (pgDown) console.warn(`[skip] 答复函 CLI 的 PostgreSQL 测试已跳过：${pgDown}`);

describe.skipIf(Boolean(pgDown))("letter CLI on PostgreSQL", () => {
  let db: Awaited<ReturnType<typeof createPostgresDatabase>>;
  beforeAll(async () => {
    db = await createPostgresDatabase();
  });
  afterAll(() => db?.drop());

  it("works on the configured server (demo data enabled there)", async () => {
    const env = { DATABASE_URL: db.url, DEMO_DATA: "1" };
    const one = path.join(tmp, "pg-109.docx");
    const r = await cli(["letter:docx", "--number", "东工信函〔2021〕109号", "--out", one], env);
    expect(r.code).toBe(0);
    expect(await docxText(one)).toContain("领导签字：詹志斌");
    const zip = path.join(tmp, "pg-all.zip");
    const e = await cli(["letters:export", "--out", zip], env);
    expect(e.code).toBe(0);
    expect(Object.keys((await JSZip.loadAsync(fs.readFileSync(zip))).files)).toHaveLength(3);
  });

  it("letter:docx --public applies the redaction rules in force, as the public site does", async () => {
    const env = { DATABASE_URL: db.url, DEMO_DATA: "1" };
    const out = path.join(tmp, "pg-108-public.docx");
    const before = await cli(["letter:docx", "--number", "东工信函〔2021〕108号", "--public", "--out", out], env);
    expect(before.code).toBe(0);
    expect(await docxText(out)).toContain("智能终端");
    const sql = postgres(db.url, { onnotice: () => {} });
    try {
      await sql`insert into redaction_rules (kind, match, reason) values ('text', '智能终端', '测试：公开版隐去')`;
    } finally {
      await sql.end();
    }
    const r = await cli(["letter:docx", "--number", "东工信函〔2021〕108号", "--public", "--out", out], env);
    expect(r.code).toBe(0);
    const text = await docxText(out);
    expect(text).not.toContain("智能终端");
    expect(text).toContain("■■■■");
  });
});
