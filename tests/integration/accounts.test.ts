/** Accounts and the audit log, on both databases. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { auditCsv, listAudit, recordAudit } from "~/models/audit.server";
import { passwordChangeSchema } from "~/domain/user-input";
import { changeOwnPassword, createUser, findUserForSignIn, updateUser, WrongPasswordError } from "~/models/user.server";
import { availableDatabases } from "../support/databases";

describe.each(await availableDatabases())("accounts and audit on $name", (database) => {
  let h: DbHandle;
  beforeAll(async () => {
    h = await database.open();
  });
  afterAll(() => h?.close());

  it("a user changes their own password only with the current one; an admin's reset makes them choose a new one", async () => {
    const id = await createUser(h.db, { username: "zhou", displayName: "周", role: "handler", phone: null, password: "first password 1" });
    await expect(h.db.transaction((tx) => changeOwnPassword(tx, { userId: id, current: "wrong", next: "second password 2" }))).rejects.toBeInstanceOf(WrongPasswordError);
    await h.db.transaction((tx) => changeOwnPassword(tx, { userId: id, current: "first password 1", next: "second password 2" }));
    await updateUser(h.db, id, { displayName: "周", role: "handler", phone: null, disabled: false, password: "admin set 12345" });
    expect((await findUserForSignIn(h.db, "zhou"))!.mustChangePassword).toBe(true);
    await h.db.transaction((tx) => changeOwnPassword(tx, { userId: id, current: "admin set 12345", next: "my own choice 3" }));
    expect((await findUserForSignIn(h.db, "zhou"))!.mustChangePassword).toBe(false);
    const bad = passwordChangeSchema.safeParse({ current: "a", next: "short", confirm: "other" });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual(["新密码至少 10 个字符", "两次输入的新密码不一致"]);
  });

  it("the audit log filters by action, user and day, and exports what it shows (formula cells neutralised)", async () => {
    const admin = await createUser(h.db, { username: "auditadmin", displayName: "审计员", role: "admin", phone: null, password: "correct horse battery" });
    await recordAudit(h.db, { actor: { id: admin, displayName: "审计员" }, address: "10.0.0.8", action: "sign_in", target: "auditadmin" });
    await recordAudit(h.db, { actor: null, address: "10.6.6.6", action: "sign_in_failed", target: "=cmd|' /C calc'!A0", detail: "用户名或密码不正确。" });
    const failed = await listAudit(h.db, { action: "sign_in_failed", page: 1, pageSize: 10 });
    expect(failed.rows.map((r) => [r.address, r.target])).toEqual([["10.6.6.6", "=cmd|' /C calc'!A0"]]);
    expect((await listAudit(h.db, { actor: "auditadmin", page: 1, pageSize: 10 })).rows.map((r) => r.action)).toEqual(["sign_in"]);
    const today = new Date().toLocaleDateString("sv-SE", { timeZone: "Asia/Shanghai" });
    expect((await listAudit(h.db, { from: today, to: today, page: 1, pageSize: 10 })).total).toBe(2);
    expect((await listAudit(h.db, { to: "2000-01-01", page: 1, pageSize: 10 })).total).toBe(0);
    // a selection longer than one file holds says so in its last line
    const cut = (await auditCsv(h.db, {}, 1)).trim().split("\n");
    expect(cut).toHaveLength(3);
    expect(cut.at(-1)).toMatch(/^（仅含最近的 1 条，共 \d+ 条；更早的请按日期分段导出）/);
    const csv = await auditCsv(h.db, { action: "sign_in_failed" });
    expect(csv).toContain("登录失败");
    expect(csv).toContain("'=cmd");
  });
});
