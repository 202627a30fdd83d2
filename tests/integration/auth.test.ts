import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { acquireDataDirLock, DataDirLockedError, setDbHandle, type DbHandle } from "#db/client.server";
import { signIn } from "~/auth/session.server";
import { deleteExpiredSessions } from "~/auth/lucia.server";
import { accountLockedUntil, clearAccountLocks, deleteExpiredThrottles, lockedAccounts, reserveAttempt, THROTTLE } from "~/auth/throttle.server";
import { createUser, LastAdminError, updateUser, updateUserChecked, UsernameTakenError } from "~/models/user.server";
import { and, eq } from "drizzle-orm";
import { sessions, signInThrottles, users } from "#db/schema";
import { availableDatabases } from "../support/databases";

describe.each(await availableDatabases())("sign-in on $name", (database) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await database.open();
    setDbHandle(h);
    await createUser(h.db, { username: "liyong", displayName: "李泳", role: "handler", phone: "28685020", password: "correct horse battery" });
  });
  afterAll(() => h?.close());

  it("signs in with the right password (any letter case of the name) and refuses a wrong one", async () => {
    const ok = await signIn({ username: "LiYong", password: "correct horse battery", address: "10.0.0.1" });
    expect(ok.ok && ok.setCookie).toMatch(/^prd_session=\w+; .*HttpOnly.*SameSite=Lax/);
    // A browser-session cookie: it never outlives the browser (lucia's default lasted 400 days; the session 8 hours).
    expect(ok.ok && ok.setCookie).not.toMatch(/Max-Age|Expires/i);
    const bad = await signIn({ username: "liyong", password: "wrong", address: "10.0.0.1" });
    expect(bad).toEqual({ ok: false, error: "用户名或密码不正确。" });
    expect(await signIn({ username: "nobody", password: "x", address: "10.0.0.1" })).toEqual({ ok: false, error: "用户名或密码不正确。" });
  });

  it("never redirects a signed-in user off the site", async () => {
    const r = await signIn({ username: "liyong", password: "correct horse battery", address: "10.0.0.9", redirectTo: "//evil.example/x" });
    expect(r.ok && r.redirectTo).toBe("/");
  });

  it("slows one address guessing one account — with the right password too — but a stranger cannot lock the owner out from elsewhere", async () => {
    await createUser(h.db, { username: "target", displayName: "甲", role: "viewer", phone: null, password: "correct horse battery" });
    for (let i = 0; i < THROTTLE.maxPerAccountAndAddress; i++) await signIn({ username: "target", password: "guess" + i, address: "10.1.0.1" });
    const r = await signIn({ username: "target", password: "correct horse battery", address: "10.1.0.1" });
    expect(!r.ok && r.error).toBe("登录失败次数过多，请 1 分钟后再试。");
    // A try during the lock is refused, without adding to it
    const again = await signIn({ username: "target", password: "x", address: "10.1.0.1" });
    expect(!again.ok && again.error).toBe("登录失败次数过多，请 1 分钟后再试。");
    // The owner, at their own desk, signs in.
    expect((await signIn({ username: "target", password: "correct horse battery", address: "10.1.0.77" })).ok).toBe(true);
  });

  it("the wait shown is true: the first try after a lock is checked (and starts the next, longer lock); tries during a lock do not move its end", async () => {
    await createUser(h.db, { username: "typist", displayName: "丁", role: "viewer", phone: null, password: "correct horse battery" });
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    const address = "10.11.0.1";
    for (let i = 0; i < THROTTLE.maxPerAccountAndAddress; i++) expect(await reserveAttempt(h.db, "typist", address, t0)).toBe(0);
    expect(await reserveAttempt(h.db, "typist", address, t0)).toBe(1); // "请 1 分钟后再试"
    // someone sharing the address tries during the lock: refused, the end unmoved
    for (const m of [0.2, 0.5, 0.9]) expect(await reserveAttempt(h.db, "typist", address, at(m))).toBe(1);
    // after the minute, the try is checked (0), and a wrong one means 2 minutes for the next
    expect(await reserveAttempt(h.db, "typist", address, at(1.05))).toBe(0);
    expect(await reserveAttempt(h.db, "typist", address, at(1.1))).toBe(2);
    expect(await reserveAttempt(h.db, "typist", address, at(3.1))).toBe(0);
    expect(await reserveAttempt(h.db, "typist", address, at(3.2))).toBe(4);
    // the lock ended at 7.2: the escalation holds for a window after it (one try, then 8 minutes)…
    expect(await reserveAttempt(h.db, "typist", address, at(20))).toBe(0);
    expect(await reserveAttempt(h.db, "typist", address, at(20.05))).toBe(8);
    // …and a window after the last lock ended (28), the count starts afresh: five tries again
    for (let i = 0; i < THROTTLE.maxPerAccountAndAddress; i++) expect(await reserveAttempt(h.db, "typist", address, at(43.1 + i / 100))).toBe(0);
    expect(await reserveAttempt(h.db, "typist", address, at(43.2))).toBe(1);
  });

  it("the account's shared count forgets as soon as its window and lock are over: holding it locked against the owner's new addresses takes thirty tries a window, not one", async () => {
    await createUser(h.db, { username: "sharedkey", displayName: "庚", role: "viewer", phone: null, password: "correct horse battery" });
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    for (let i = 0; i < THROTTLE.maxPerAccount; i++) await reserveAttempt(h.db, "sharedkey", `10.18.${Math.floor(i / 5)}.1`, t0);
    expect(await reserveAttempt(h.db, "sharedkey", "10.18.99.1", at(14.5))).toBe(1); // locked until 15.5
    // at 16 the window (from 0) and the lock are over: counting starts afresh, many tries go through
    for (let i = 0; i < 6; i++) expect(await reserveAttempt(h.db, "sharedkey", `10.19.${i}.1`, at(16 + i / 100))).toBe(0);
  });

  it("parallel tries when a lock ends: one is checked, the others wait for the next lock (a real race on PostgreSQL)", async () => {
    await createUser(h.db, { username: "racer", displayName: "己", role: "viewer", phone: null, password: "correct horse battery" });
    const t0 = new Date();
    const address = "10.16.0.1";
    for (let i = 0; i <= THROTTLE.maxPerAccountAndAddress; i++) await reserveAttempt(h.db, "racer", address, t0);
    const after = new Date(t0.getTime() + 61_000);
    const waits = await Promise.all(Array.from({ length: 8 }, () => reserveAttempt(h.db, "racer", address, after)));
    expect(waits.filter((w) => w === 0)).toHaveLength(1);
    expect(waits.filter((w) => w === 2)).toHaveLength(7);
  });

  it("a stranger cannot keep the owner locked out: tries during a lock neither count nor extend it, and the owner's known address is not held by the account's limit", async () => {
    await createUser(h.db, { username: "victim", displayName: "丙", role: "viewer", phone: null, password: "correct horse battery" });
    // The owner signed in from their desk before.
    expect((await signIn({ username: "victim", password: "correct horse battery", address: "10.6.0.1" })).ok).toBe(true);
    const t0 = new Date();
    const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
    // A stranger spreads guesses over addresses (5 per address): the account's limit is reached…
    for (let i = 0; i < THROTTLE.maxPerAccount; i++) expect(await reserveAttempt(h.db, "victim", `10.7.${Math.floor(i / 5)}.1`, t0)).toBe(0);
    expect(await reserveAttempt(h.db, "victim", "10.7.99.1", t0)).toBe(1);
    // …and more tries during the lock are refused without moving its end.
    for (let i = 0; i < 5; i++) expect(await reserveAttempt(h.db, "victim", `10.7.100.${i}`, at(0.9))).toBe(1);
    expect(await reserveAttempt(h.db, "victim", "10.7.101.1", at(0.95))).toBe(1);
    // Meanwhile the owner, at the known desk, signs in.
    expect((await signIn({ username: "victim", password: "correct horse battery", address: "10.6.0.1" })).ok).toBe(true);
  });

  it("sessions past their end are removed by the housekeeping (with the address and browser they were opened from); live ones stay", async () => {
    const [u] = await h.db.select({ id: users.id }).from(users).where(eq(users.username, "liyong"));
    const now = new Date();
    await h.db.insert(sessions).values([
      { id: "expired-session-test", userId: u!.id, expiresAt: new Date(now.getTime() - 60_000), address: "10.12.0.1", userAgent: "old browser" },
      { id: "live-session-test", userId: u!.id, expiresAt: new Date(now.getTime() + 3_600_000), address: "10.12.0.2", userAgent: "browser" },
    ]);
    expect(await deleteExpiredSessions(h.db, now)).toBeGreaterThanOrEqual(1);
    const left = (await h.db.select({ id: sessions.id }).from(sessions)).map((r) => r.id);
    expect(left).not.toContain("expired-session-test");
    expect(left).toContain("live-session-test");
  });

  it("an admin lifts an account's sign-in limits: a stranger's guesses spread over addresses hold the account against an address its owner has not used lately", async () => {
    await createUser(h.db, { username: "newcomer", displayName: "戊", role: "viewer", phone: null, password: "correct horse battery" });
    for (let i = 0; i <= THROTTLE.maxPerAccount; i++) await reserveAttempt(h.db, "newcomer", `10.13.${Math.floor(i / 5)}.1`);
    expect(await accountLockedUntil(h.db, "newcomer")).toBeInstanceOf(Date);
    // the user list reads it as held (one query for the page)
    expect(await lockedAccounts(h.db, ["newcomer", "liyong"])).toEqual(new Set(["newcomer"]));
    const refused = await signIn({ username: "newcomer", password: "correct horse battery", address: "10.14.0.1" });
    expect(!refused.ok && refused.error).toMatch(/登录失败次数过多/);
    for (let i = 0; i <= THROTTLE.maxPerAccountAndAddress; i++) await reserveAttempt(h.db, "bystander", "10.15.0.1");
    await clearAccountLocks(h.db, "NewComer");
    expect(await accountLockedUntil(h.db, "newcomer")).toBeNull();
    expect(await lockedAccounts(h.db, ["newcomer"])).toEqual(new Set());
    expect((await signIn({ username: "newcomer", password: "correct horse battery", address: "10.14.0.1" })).ok).toBe(true);
    // another account's limits stay
    expect(await accountLockedUntil(h.db, "bystander")).toBeInstanceOf(Date);
    // a lock at one address ends, but that address's count is not handed back: one checked try, then locked again
    for (let i = 0; i <= THROTTLE.maxPerAccountAndAddress; i++) await reserveAttempt(h.db, "newcomer", "10.17.0.1");
    await clearAccountLocks(h.db, "newcomer");
    expect(await reserveAttempt(h.db, "newcomer", "10.17.0.1")).toBe(0);
    expect(await reserveAttempt(h.db, "newcomer", "10.17.0.1")).toBe(2);
  });

  it('a user name no account can have never reaches an account: "lİyong" is not liyong under throttle keys of its own', async () => {
    expect(await signIn({ username: "lİyong", password: "correct horse battery", address: "10.8.0.1" })).toEqual({ ok: false, error: "用户名或密码不正确。" });
  });

  it("counts parallel tries before checking any password: no try past the limit gets its password checked (a real race on PostgreSQL)", async () => {
    await createUser(h.db, { username: "raced", displayName: "乙", role: "viewer", phone: null, password: "correct horse battery" });
    const tries = Array.from({ length: 19 }, (_, i) => signIn({ username: "raced", password: i === 18 ? "correct horse battery" : `guess${i}`, address: "10.4.0.1" }));
    const results = await Promise.all(tries);
    const checked = results.filter((r) => !r.ok && r.error === "用户名或密码不正确。").length + results.filter((r) => r.ok).length;
    expect(checked).toBe(THROTTLE.maxPerAccountAndAddress);
    expect(results.filter((r) => !r.ok && /登录失败次数过多/.test(r.error))).toHaveLength(19 - THROTTLE.maxPerAccountAndAddress);
  });

  it("throttles one address that tries many accounts", async () => {
    for (let i = 0; i < THROTTLE.maxPerAddress; i++) await signIn({ username: `spray${i}`, password: "x", address: "10.2.0.1" });
    const r = await signIn({ username: "liyong", password: "correct horse battery", address: "10.2.0.1" });
    expect(!r.ok && r.error).toMatch(/登录失败次数过多/);
    expect((await signIn({ username: "liyong", password: "correct horse battery", address: "10.2.0.2" })).ok).toBe(true);
  });

  it("tries with made-up names from a locked address write nothing; the housekeeping removes limits that count nothing any more, and keeps those in force", async () => {
    const t0 = new Date();
    const rows = async (prefix: string) => (await h.db.select({ key: signInThrottles.key }).from(signInThrottles)).filter((r) => r.key.includes(prefix)).length;
    for (let i = 0; i <= THROTTLE.maxPerAddress; i++) await reserveAttempt(h.db, `made-up-${i}`, "10.9.0.1", t0);
    const before = await h.db.select().from(signInThrottles);
    for (let i = 0; i < 20; i++) expect(await reserveAttempt(h.db, `made-up-more-${i}`, "10.9.0.1", t0)).toBeGreaterThan(0);
    expect(await h.db.select().from(signInThrottles)).toEqual(before);
    expect(await rows("made-up-more")).toBe(0);
    // 20 minutes on, the address's lock (1 minute) and every window are over: nothing of it is left…
    const later = new Date(t0.getTime() + 20 * 60_000);
    await reserveAttempt(h.db, "fresh-name", "10.9.0.2", later); // …while this one, just made, stays
    await deleteExpiredThrottles(h.db, later);
    expect(await rows("10.9.0.1")).toBe(0);
    expect(await rows("fresh-name")).toBeGreaterThan(0);
  });

  it("refuses a disabled account and a taken user name", async () => {
    const id = await createUser(h.db, { username: "leaver", displayName: "离职者", role: "handler", phone: null, password: "correct horse battery" });
    await updateUser(h.db, id, { displayName: "离职者", role: "handler", phone: null, disabled: true });
    const r = await signIn({ username: "leaver", password: "correct horse battery", address: "10.3.0.1" });
    expect(r).toEqual({ ok: false, error: "该账号已停用，请联系系统管理员。" });
    await expect(createUser(h.db, { username: "LEAVER", displayName: "x", role: "viewer", phone: null, password: "correct horse battery" })).rejects.toBeInstanceOf(
      UsernameTakenError,
    );
  });
  it("two admins disabling each other at once leave one enabled admin; “Bob” and “bob” created at once make one account (a real race on PostgreSQL; PGlite runs them one after the other)", async () => {
    const make = (username: string, role: "admin" | "viewer") =>
      h.db.transaction((tx) => createUser(tx, { username, displayName: username, role, phone: null, password: "correct horse battery" }));
    const a = await make("admin-a", "admin");
    const b = await make("admin-b", "admin");
    const disable = (id: string) =>
      h.db.transaction((tx) => updateUserChecked(tx, { id, input: { displayName: "管理员", role: "admin", phone: null, disabled: true }, unchanged: () => true }));
    const results = await Promise.allSettled([disable(a), disable(b)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(LastAdminError);
    const enabledAdmins = await h.db
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.role, "admin"), eq(users.disabled, false)));
    expect(enabledAdmins).toHaveLength(1);

    const made = await Promise.allSettled([make("Bob", "viewer"), make("bob", "viewer")]);
    expect(made.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((made.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toBeInstanceOf(UsernameTakenError);
  });
});

describe("the embedded database's folder lock", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prd-lock-"));
  const dataDir = path.join(dir, "pglite");
  const lockFile = `${dataDir}.lock`;

  it("refuses a second process while the first is alive, with a clear message", async () => {
    const holder = spawn("sleep", ["30"]);
    try {
      fs.writeFileSync(lockFile, String(holder.pid));
      expect(() => acquireDataDirLock(dataDir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dataDir)).toThrow(/正被另一个进程（PID \d+）使用/);
    } finally {
      holder.kill();
    }
  });

  it("takes over a lock left by a process that has died, and releases it", async () => {
    fs.writeFileSync(lockFile, "999999");
    const release = acquireDataDirLock(dataDir);
    expect(fs.readFileSync(lockFile, "utf8").split(" ")[0]).toBe(String(process.pid));
    release();
    expect(fs.existsSync(lockFile)).toBe(false);
  });

  it("takes over a lock whose PID now belongs to another process (reused after a crash or reboot); names the lock file when refusing", async () => {
    const other = spawn("sleep", ["30"]);
    try {
      // the live process's PID, with a start time that is not its own
      fs.writeFileSync(lockFile, `${other.pid} 1`);
      const release = acquireDataDirLock(dataDir);
      release();
      // with its own start time it is the owner: refused, and the message says which file to delete
      const stat = fs.readFileSync(`/proc/${other.pid}/stat`, "utf8");
      fs.writeFileSync(lockFile, `${other.pid} ${stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19]}`);
      expect(() => acquireDataDirLock(dataDir)).toThrow(`删除锁文件 ${lockFile} 后重试`);
    } finally {
      other.kill();
      fs.rmSync(lockFile, { force: true });
    }
  });
});
