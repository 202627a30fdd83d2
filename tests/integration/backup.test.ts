/** Backup and restore, on both databases and across them. */
import fs from "node:fs";
import { inspect } from "node:util";
import { withoutParameters } from "#db/errors";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.server";
import { eq } from "drizzle-orm";
import { auditLog, documentNumbers, exportJobChunks, exportJobs, libraryDocuments, publications, sessions, users } from "#db/schema";
import { recordAudit } from "~/models/audit.server";
import { registerExternalNumber } from "~/models/document-numbers.server";
import { proposalInputSchema } from "~/domain/proposal";
import { contentHashes, restoreBackup, RestoreRefusedError, tableCounts, writeBackup } from "~/models/backup.server";
import { createUser } from "~/models/user.server";
import { listEvents } from "~/models/event.server";
import { listProposals, registerProposal } from "~/models/proposal.server";
import { availableDatabases, createPostgresDatabase, TEST_DATABASES } from "../support/databases";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-backup-"));

/** An archive's lines (header first), to read or to rewrite as an older or damaged archive. */
// biome-ignore lint/suspicious/noExplicitAny: archive lines are free-form JSON in these tests
const archiveLines = (file: string): any[] =>
  zlib
    .gunzipSync(fs.readFileSync(file))
    .toString("utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const writeArchiveLines = (file: string, lines: unknown[]) => fs.writeFileSync(file, zlib.gzipSync(`${lines.map((l) => JSON.stringify(l)).join("\n")}\n`));

describe.each(await availableDatabases())("backup and restore on $name", (database) => {
  let source: DbHandle;
  beforeAll(async () => {
    source = await database.openWithDemo();
  });
  afterAll(() => source?.close());

  it("round trip: every table, every row, byte for byte (uploads and library files included) — into either database", async () => {
    const file = path.join(dir, `${database.name}.prd.gz`);
    const original = { fileName: "原件.pdf", mediaType: "application/pdf", content: Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.from([0, 1, 2, 255, 254])]) };
    await source.db.transaction((tx) =>
      registerProposal(tx, {
        input: proposalInputSchema.parse({
          meeting: "备份会议",
          number: "1",
          title: "关于带原件的建议",
          proposers: [{ kind: "member", name: "张三" }],
          bureauRole: "lead",
          assignedOn: "2026-11-02",
        }),
        actorId: null,
        file: original,
      }),
    );
    const summary = await writeBackup(source.db, file);
    expect(summary.tables.library_documents).toBeGreaterThan(0);
    expect(summary.tables.attachments).toBe(1);
    const before = { counts: await tableCounts(source.db), hashes: await contentHashes(source.db) };
    for (const target of await availableDatabases()) {
      const h = await target.open();
      try {
        // A fresh install (only its shipped calendar) counts as empty: no --replace needed.
        await restoreBackup(h.db, file);
        expect(await tableCounts(h.db), `${database.name} → ${target.name}`).toEqual(before.counts);
        expect(await contentHashes(h.db), `${database.name} → ${target.name}`).toEqual(before.hashes);
        // Ids go on after the restored rows: the restored database takes new work.
        const id = await h.db.transaction((tx) =>
          registerProposal(tx, {
            input: proposalInputSchema.parse({
              meeting: "恢复后会议",
              number: "1",
              title: "关于恢复后登记的建议",
              proposers: [{ kind: "member", name: "张三" }],
              bureauRole: "lead",
              assignedOn: "2026-11-02",
            }),
            actorId: null,
          }),
        );
        expect(id).toBeGreaterThan(0);
        // Now it has data of its own: another restore is refused unless told to replace it.
        await expect(restoreBackup(h.db, file)).rejects.toBeInstanceOf(RestoreRefusedError);
        await restoreBackup(h.db, file, { replace: true });
        expect(await contentHashes(h.db)).toEqual(before.hashes);
      } finally {
        await h.close();
      }
    }
  });

  it("a backup from an older release gets what later upgrades filled in: a reply public before 公开情况 existed stays public", async () => {
    const file = path.join(dir, `${database.name}-0009.prd.gz`);
    await writeBackup(source.db, file);
    const published = await source.db.select({ proposalId: publications.proposalId, letterId: publications.letterId }).from(publications);
    expect(published.length).toBeGreaterThan(0); // letter 108 in the demo data
    // As the release whose last migration was 0009 wrote it: no publications table yet.
    const tags = (JSON.parse(fs.readFileSync("db/migrations/meta/_journal.json", "utf8")).entries as { tag: string }[]).map((e) => e.tag);
    const [header, ...rows] = archiveLines(file);
    header.migration = tags.find((t) => t.startsWith("0009_"));
    delete header.tables.publications;
    const old = [header, ...rows.filter((r: { t: string }) => r.t !== "publications")];
    writeArchiveLines(file, old);
    const h = await database.open();
    try {
      await restoreBackup(h.db, file, { replace: true });
      expect(await h.db.select({ proposalId: publications.proposalId, letterId: publications.letterId }).from(publications)).toEqual(published);
    } finally {
      await h.close();
    }
  });

  it("--replace keeps what must outlive a restore: audit entries made after the backup, and 文号 used since (never issued again)", async () => {
    const h = await database.openWithDemo();
    try {
      // real work beside the demo: an account of the bureau's own
      await createUser(h.db, { username: "kezhang", displayName: "张科长", role: "registrar", phone: null, password: "correct horse battery" });
      await recordAudit(h.db, { action: "sign_in", address: "10.0.0.1", target: "before" });
      const file = path.join(dir, `${database.name}-replace.prd.gz`);
      await writeBackup(h.db, file);
      await new Promise((r) => setTimeout(r, 5));
      await recordAudit(h.db, { action: "sign_in", address: "10.0.0.2", target: "after" });
      // Committed after the backup's snapshot, with a time before the backup's last entry (its
      // transaction began earlier): not in the backup, so kept all the same.
      await h.db.insert(auditLog).values({ at: new Date("2020-01-01T00:00:00Z"), action: "sign_in", address: "10.0.0.3", target: "during" });
      await h.db.transaction((tx) => registerExternalNumber(tx, { number: "东工信函〔2026〕300号", note: "备份之后发出", actorId: null }));
      const r = await restoreBackup(h.db, file, { replace: true });
      expect(r.kept).toEqual({ auditEntries: 2, documentNumbers: ["东工信函〔2026〕300号"] });
      const targets = (await h.db.select({ target: auditLog.target }).from(auditLog)).map((a) => a.target);
      expect(targets.filter((t) => t === "before" || t === "after" || t === "during").sort()).toEqual(["after", "before", "during"]);
      const [used] = await h.db.select().from(documentNumbers).where(eq(documentNumbers.number, "东工信函〔2026〕300号"));
      expect(used).toMatchObject({ year: 2026, seq: 300, letterId: null });
      // the next restore of the same backup keeps them too (nothing doubled)
      await restoreBackup(h.db, file, { replace: true });
      expect((await h.db.select({ target: auditLog.target }).from(auditLog)).filter((a) => a.target === "after" || a.target === "during")).toHaveLength(2);
    } finally {
      await h.close();
    }
  });

  it("--replace over the demo data alone (an embedded install started once before its archive came back) keeps nothing of the demo", async () => {
    // production: its own account and proposal, no demo
    const prod = await database.open();
    const file = path.join(dir, `${database.name}-production.prd.gz`);
    try {
      const reg = await createUser(prod.db, { username: "kezhang", displayName: "张科长", role: "registrar", phone: null, password: "correct horse battery" });
      await prod.db.transaction((tx) =>
        registerProposal(tx, {
          input: proposalInputSchema.parse({
            meeting: "东莞市政协第十四届五次会议",
            number: "501",
            title: "关于生产数据的建议",
            proposers: [{ kind: "member", name: "王五" }],
            bureauRole: "lead",
            assignedOn: "2026-03-02",
            notes: "",
          }),
          actorId: reg,
        }),
      );
      await writeBackup(prod.db, file);
    } finally {
      await prod.close();
    }
    const fresh = await database.openWithDemo();
    try {
      await recordAudit(fresh.db, { action: "sign_in", address: "127.0.0.1", target: "chenmin" }); // someone tried the demo
      const r = await restoreBackup(fresh.db, file, { replace: true });
      // the demo's 108号/109号 and its sign-ins were kept as production's "used since the backup"
      expect(r.kept).toEqual({ auditEntries: 0, documentNumbers: [] });
      expect(await fresh.db.select().from(documentNumbers)).toEqual([]);
      expect((await fresh.db.select({ target: auditLog.target }).from(auditLog)).map((a) => a.target)).not.toContain("chenmin");
      expect((await fresh.db.select({ username: users.username }).from(users)).map((u) => u.username)).toEqual(["kezhang"]);
    } finally {
      await fresh.close();
    }
  });

  it("a JSON value shaped like the archive's own tags comes back as it was (tags are read by column type)", async () => {
    const h = await database.openWithDemo();
    try {
      const shapes = [{ $d: "2021-04-22" }, { $b: "AAEC" }, { timestamp: "2021-04-22T00:00:00Z" }];
      const docs = await h.db.select({ id: libraryDocuments.id }).from(libraryDocuments).orderBy(libraryDocuments.id).limit(shapes.length);
      expect(docs).toHaveLength(shapes.length);
      for (const [i, d] of docs.entries())
        await h.db
          .update(libraryDocuments)
          .set({ letterFrame: shapes[i] as never })
          .where(eq(libraryDocuments.id, d.id));
      const before = await contentHashes(h.db);
      const file = path.join(dir, `${database.name}-tags.prd.gz`);
      await writeBackup(h.db, file);
      await restoreBackup(h.db, file, { replace: true });
      const frames = await h.db.select({ frame: libraryDocuments.letterFrame }).from(libraryDocuments).orderBy(libraryDocuments.id).limit(shapes.length);
      expect(frames.map((f) => f.frame)).toEqual(shapes);
      expect(await contentHashes(h.db)).toEqual(before);
    } finally {
      await h.close();
    }
  });

  it("refuses an archive whose timestamp or file column holds something else, and leaves the database as it was", async () => {
    const h = await database.openWithDemo();
    try {
      const file = path.join(dir, `${database.name}-damaged.prd.gz`);
      await writeBackup(h.db, file);
      const before = await contentHashes(h.db);
      const [header, ...rows] = archiveLines(file);
      const event = rows.find((r: { t: string }) => r.t === "events");
      event.r.at = "2021-04-22"; // an untagged value where the archive writes { $d }
      writeArchiveLines(file, [header, ...rows]);
      await expect(restoreBackup(h.db, file, { replace: true })).rejects.toThrow("备份文件已损坏：events.at");
      expect(await contentHashes(h.db)).toEqual(before);
    } finally {
      await h.close();
    }
  });

  it("holds no session tokens (a session's id is its cookie) nor letter exports' ZIPs: a restore signs everyone out, also from an archive that had them", async () => {
    const h = await database.openWithDemo();
    try {
      const [someone] = await h.db.select({ id: users.id }).from(users).limit(1);
      await h.db.insert(sessions).values({ id: "live-session-token", userId: someone!.id, expiresAt: new Date(Date.now() + 3_600_000) });
      const jobId = "00000000-0000-4000-8000-000000000001";
      await h.db.insert(exportJobs).values({ id: jobId, userId: someone!.id, filter: {}, fileName: "答复函.zip", state: "done", total: 1, bytes: 3 });
      await h.db.insert(exportJobChunks).values({ jobId, seq: 0, content: Buffer.from("zip") });
      const file = path.join(dir, `${database.name}-sessions.prd.gz`);
      await writeBackup(h.db, file);
      // readable by its owner only: it holds password hashes, phone numbers and the originals
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const [header, ...rows] = archiveLines(file);
      expect(Object.keys(header.tables)).not.toContain("sessions");
      expect(Object.keys(header.tables)).not.toContain("sign_in_throttles");
      expect(Object.keys(header.tables)).not.toContain("export_jobs");
      expect(Object.keys(header.tables)).not.toContain("export_job_chunks");
      expect(rows.filter((r: { t: string }) => ["sessions", "sign_in_throttles", "export_jobs", "export_job_chunks"].includes(r.t))).toEqual([]);
      await restoreBackup(h.db, file, { replace: true });
      expect(await h.db.select().from(sessions)).toEqual([]);
      expect(await h.db.select().from(exportJobs)).toEqual([]);
      // An archive written before: its session rows are not put back.
      header.tables.sessions = 1;
      const withSession = [header, { t: "sessions", r: { id: "old-token", userId: someone!.id, expiresAt: { $d: new Date(Date.now() + 3_600_000).toISOString() } } }, ...rows];
      writeArchiveLines(file, withSession);
      await restoreBackup(h.db, file, { replace: true });
      expect(await h.db.select().from(sessions)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it("refuses what is not a backup", async () => {
    const bad = path.join(dir, "bad.prd.gz");
    fs.writeFileSync(bad, "not a backup");
    await expect(restoreBackup(source.db, bad, { replace: true })).rejects.toThrow("不是有效的备份文件");
    await expect(restoreBackup(source.db, path.join(dir, "missing.gz"))).rejects.toThrow("备份文件不存在");
  });

  it("an archive cut short or damaged is refused with a reason in Chinese, and the database stays as it was", async () => {
    const h = await database.openWithDemo();
    try {
      const whole = path.join(dir, `${database.name}-whole.prd.gz`);
      await writeBackup(h.db, whole);
      const before = await contentHashes(h.db);
      const bytes = fs.readFileSync(whole);
      const refusal = async (file: string) =>
        restoreBackup(h.db, file, { replace: true }).then(
          () => null,
          (e: unknown) => e,
        );
      // the gzip cut in the middle (a copy interrupted): zlib's "unexpected end of file" before
      const cut = path.join(dir, `${database.name}-cut.prd.gz`);
      fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      const e1 = await refusal(cut);
      expect(e1).toBeInstanceOf(RestoreRefusedError);
      expect((e1 as Error).message).toMatch(/^备份文件不完整或已损坏（无法解压：.*）。数据库未作更改。$/);
      // cut at a line's end and compressed again: a foreign-key error at the links before
      const lines = archiveLines(whole);
      const short = path.join(dir, `${database.name}-short.prd.gz`);
      writeArchiveLines(short, lines.slice(0, Math.floor(lines.length / 2)));
      const e2 = await refusal(short);
      expect(e2).toBeInstanceOf(RestoreRefusedError);
      expect((e2 as Error).message).toMatch(/^备份文件不完整：\w+ 应为 \d+ 行，只读到 \d+ 行。数据库未作更改。$/);
      // a line that is no JSON
      const broken = path.join(dir, `${database.name}-broken.prd.gz`);
      fs.writeFileSync(broken, zlib.gzipSync(`${JSON.stringify(lines[0])}\n{"t":"users","r":{"id":\n`));
      expect(((await refusal(broken)) as Error).message).toBe("备份文件已损坏：第 2 行无法读取。数据库未作更改。");
      // a row the database refuses (two accounts with one username): named by its table and the
      // database's reason — never by its values, which printed every user's password hash
      const twice = path.join(dir, `${database.name}-twice.prd.gz`);
      const [head, ...rest] = lines;
      const accounts = rest.filter((l: { t: string }) => l.t === "users");
      accounts[1].r.username = accounts[0].r.username;
      writeArchiveLines(twice, [head, ...rest]);
      const e3 = (await refusal(twice)) as Error;
      expect(e3).toBeInstanceOf(RestoreRefusedError);
      expect(e3.message).toMatch(/^备份文件中 users 表的数据无法写入（数据库语句失败：.*unique.*）。数据库未作更改。$/);
      expect(`${e3.message}${e3.stack}`).not.toContain(accounts[0].r.passwordHash);
      // nor in the server's log: not the statement's values, nor the database's detail quoting the row
      const failed = await h.db
        .insert(users)
        .values({ id: "x-1", username: "x-fail", displayName: null, role: "viewer", passwordHash: "SECRET-HASH" } as never)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(failed).toBeInstanceOf(Error);
      expect(inspect(failed)).toContain("SECRET-HASH"); // as drizzle raises it
      expect(inspect(withoutParameters(failed))).not.toContain("SECRET-HASH");
      expect(await contentHashes(h.db)).toEqual(before);
    } finally {
      await h.close();
    }
  });
});

const pg = TEST_DATABASES.find((d) => d.name === "postgres")!;
const pgAvailable = (await availableDatabases()).some((d) => d.name === "postgres");

describe.skipIf(!pgAvailable)("a backup taken during a burst of writes (a real race on PostgreSQL)", () => {
  it("restores to a consistent state: every proposal with its proposers and history", async () => {
    const h = await pg.open();
    const file = path.join(dir, "burst.prd.gz");
    try {
      let stop = false;
      let n = 0;
      const writer = (async () => {
        while (!stop && n < 400) {
          const k = ++n;
          await h.db.transaction((tx) =>
            registerProposal(tx, {
              input: proposalInputSchema.parse({
                meeting: "并发会议",
                number: String(k),
                title: `关于并发写入第${k}件的建议`,
                proposers: [{ kind: "member", name: `委员${k}` }],
                bureauRole: "lead",
                assignedOn: "2026-11-02",
              }),
              actorId: null,
            }),
          );
        }
      })();
      while (n < 20) await new Promise((r) => setTimeout(r, 10));
      const summary = await writeBackup(h.db, file);
      stop = true;
      await writer;
      const target = await pg.open();
      try {
        await restoreBackup(target.db, file, { replace: true });
        const restored = await listProposals(target.db, { meeting: "并发会议", page: 1, pageSize: 1000 });
        expect(restored.total).toBe(summary.tables.proposals);
        // Writes went on while the backup ran: the snapshot holds some of them, each one whole.
        expect(n).toBeGreaterThan(restored.total);
        for (const p of restored.rows) {
          expect(p.proposerNames).toMatch(/^委员\d+委员$/);
          expect((await listEvents(target.db, p.id)).map((e) => e.kind)).toContain("registered");
        }
      } finally {
        await target.close();
      }
    } finally {
      await h.close();
    }
  });
});

describe.skipIf(!pgAvailable)("a restore while another instance signs (transactions really overlap, PostgreSQL)", () => {
  it("--replace waits for a 文号 being committed and keeps it: the series never issues it again", async () => {
    const created = await createPostgresDatabase({ withDemo: true });
    const a = await openDatabase({ kind: "postgres", url: created.url });
    const b = await openDatabase({ kind: "postgres", url: created.url });
    try {
      const file = path.join(dir, "signing-during-restore.prd.gz");
      await writeBackup(a.db, file);
      let inserted!: () => void;
      const numberWritten = new Promise<void>((r) => (inserted = r));
      let restoreStarted = false;
      // instance B: a number taken, its transaction still open while the restore starts
      const signing = b.db.transaction(async (tx) => {
        await registerExternalNumber(tx, { number: "东工信函〔2026〕301号", note: "恢复时正在签发", actorId: null });
        inserted();
        while (!restoreStarted) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 300));
      });
      await numberWritten;
      const restoring = restoreBackup(a.db, file, { replace: true });
      restoreStarted = true;
      await signing;
      const r = await restoring;
      expect(r.kept.documentNumbers).toEqual(["东工信函〔2026〕301号"]);
      const [used] = await a.db.select().from(documentNumbers).where(eq(documentNumbers.number, "东工信函〔2026〕301号"));
      expect(used).toMatchObject({ year: 2026, seq: 301 });
    } finally {
      await a.close();
      await b.close();
      await created.drop();
    }
  });
});
