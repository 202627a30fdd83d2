/** Users: create, list, update. Functions take (db, params) so they can run inside a transaction. */
import { takeTurn } from "./locks.server";
import { and, asc, desc, eq, gt, inArray, notInArray, sql } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { Db } from "#db/client.server";
import { proposals, sessions, users } from "#db/schema";
import { hashPassword, verifyPassword } from "~/auth/password.server";
import { mayEver, rolesWith } from "~/domain/permissions";
import type { userInputSchema, userUpdateSchema } from "~/domain/user-input";
import { CLOCK_STOPPED_STATES } from "~/domain/workflow";

export class UsernameTakenError extends Error {
  constructor(public username: string) {
    super(`用户名 ${username} 已存在。`);
  }
}

type WithOptionalEmail<T> = Omit<T, "email"> & { email?: string | null };

/**
 * Changes to accounts take turns (a transaction-scoped advisory lock): two "Bob"/"bob" created at
 * once both passed the case-blind check, and two admins disabling each other at once both found
 * the other still an admin and left none.
 */
async function lockUsers(db: Db) {
  await takeTurn(db, "user-management");
}

/** A handler's role changed while proposals are still theirs to answer: nobody could act on them. */
export class HandlerHasProposalsError extends Error {
  constructor(open: number) {
    super(`该用户还有 ${open} 件在办提案，改为不能承办的角色后将无人办理：请先由登记员在这些提案上“改派”，再修改角色。`);
  }
}

/**
 * The proposals still being answered with this user as their handler (at most `limit` named, in
 * number order, and how many in all): a disabled handler's are nobody's to move on until reassigned.
 */
export async function openProposalsOf(db: Db, userId: string, limit = 20): Promise<{ total: number; named: { id: number; number: string }[] }> {
  const open = and(eq(proposals.handlerId, userId), notInArray(proposals.state, [...CLOCK_STOPPED_STATES]));
  const [[{ total }], named] = await Promise.all([
    db.select({ total: sql<number>`count(*)::int` }).from(proposals).where(open),
    db.select({ id: proposals.id, number: proposals.number }).from(proposals).where(open).orderBy(asc(proposals.id)).limit(limit),
  ]);
  return { total, named };
}

export class LastAdminError extends Error {
  constructor() {
    super("至少要保留一名启用的系统管理员：请先让另一位管理员启用或任命，再修改此账号。");
  }
}

export class UserChangedError extends Error {}

/**
 * An admin's edit (用户管理), checked and written as one step: refused if the account changed since
 * the form was opened (`unchanged` compares what the form showed), or if it would leave no enabled admin.
 */
export async function updateUserChecked(
  db: Db,
  r: { id: string; input: WithOptionalEmail<z.output<typeof userUpdateSchema>>; unchanged: (current: NonNullable<Awaited<ReturnType<typeof getUser>>>) => boolean },
) {
  await lockUsers(db);
  const current = await getUser(db, r.id);
  if (!current || !r.unchanged(current)) throw new UserChangedError();
  // the last enabled account that may manage users (the policy's user.manage) must stay one
  const losesAdmin = mayEver(current, "user.manage") && !current.disabled && (r.input.disabled || !mayEver({ role: r.input.role }, "user.manage"));
  if (losesAdmin) {
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(users)
      .where(and(inArray(users.role, rolesWith("user.manage")), eq(users.disabled, false)));
    if (n <= 1) throw new LastAdminError();
  }
  // (disabling alone is allowed: a departure must be possible at once, and a disabled handler's
  // proposals go to the registrars' reminders; a role change is refused even with it, or
  // disable-change-enable would leave them with someone who cannot act)
  const losesHandling = current.role !== r.input.role && mayEver(current, "proposal.draft") && !mayEver({ role: r.input.role }, "proposal.draft");
  if (losesHandling) {
    const [{ n }] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(proposals)
      .where(and(eq(proposals.handlerId, r.id), notInArray(proposals.state, [...CLOCK_STOPPED_STATES])));
    if (n > 0) throw new HandlerHasProposalsError(n);
  }
  await updateUser(db, r.id, r.input);
  return current;
}

/**
 * `mustChangePassword`: the password was typed by someone else (an admin's 初始密码): like a reset,
 * a one-time key the user replaces at the first sign-in.
 */
export async function createUser(db: Db, input: WithOptionalEmail<z.output<typeof userInputSchema>>, opts: { mustChangePassword?: boolean } = {}) {
  await lockUsers(db);
  const [existing] = await db.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = lower(${input.username})`);
  if (existing) throw new UsernameTakenError(input.username);
  const [row] = await db
    .insert(users)
    .values({
      id: randomUUID(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      phone: input.phone,
      email: input.email ?? null,
      emailSetAt: input.email ? new Date() : null,
      passwordHash: await hashPassword(input.password),
      mustChangePassword: opts.mustChangePassword ?? false,
    })
    .returning({ id: users.id });
  return row.id;
}

/** `email` left out keeps the address as it is. */
export async function updateUser(db: Db, id: string, input: WithOptionalEmail<z.output<typeof userUpdateSchema>>) {
  const set: Partial<typeof users.$inferInsert> = {
    displayName: input.displayName,
    role: input.role,
    phone: input.phone,
    disabled: input.disabled,
  };
  if (input.email !== undefined) await setEmailIfChanged(db, id, input.email);
  // A password an admin sets is a one-time key: its owner chooses their own at next sign-in.
  if (input.password) {
    set.passwordHash = await hashPassword(input.password);
    set.mustChangePassword = true;
  }
  const rows = await db.update(users).set(set).where(eq(users.id, id)).returning({ id: users.id });
  return rows.length === 1;
}

export class WrongPasswordError extends Error {
  constructor() {
    super("当前密码不正确。");
  }
}

/** Is this the user's own password? (Asked again before changes an open session must not make alone.) */
export async function checkOwnPassword(db: Db, userId: string, password: string) {
  const [u] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!u || !(await verifyPassword(u.hash, password))) throw new WrongPasswordError();
}

/** The user's own change: the current password is required; the forced-change mark is cleared. */
export async function changeOwnPassword(db: Db, r: { userId: string; current: string; next: string }) {
  await checkOwnPassword(db, r.userId, r.current);
  await db
    .update(users)
    .set({ passwordHash: await hashPassword(r.next), mustChangePassword: false })
    .where(eq(users.id, r.userId));
}

/** The user's active sessions, newest first. */
export async function listSessionsOf(db: Db, userId: string) {
  return db
    .select({ id: sessions.id, createdAt: sessions.createdAt, address: sessions.address, userAgent: sessions.userAgent, expiresAt: sessions.expiresAt })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.createdAt));
}

export async function findUserForSignIn(db: Db, username: string) {
  // Only names an account can have: SQL's lower() folds "İ" to "i" where JavaScript's does not,
  // so "lİyong" would reach liyong under throttle keys of its own.
  if (!/^[a-zA-Z0-9_.-]+$/.test(username)) return undefined;
  const [row] = await db.select().from(users).where(sql`lower(${users.username}) = lower(${username})`);
  return row ?? null;
}

/**
 * A new address gets only what is created from now on (emailSetAt): no backlog of old notices
 * lands in a mailbox the moment it is entered.
 */
export async function setEmailIfChanged(db: Db, id: string, email: string | null) {
  await db
    .update(users)
    .set({ email, emailSetAt: email ? new Date() : null })
    .where(and(eq(users.id, id), sql`${users.email} is distinct from ${email}`));
}

const publicColumns = {
  id: users.id,
  username: users.username,
  displayName: users.displayName,
  role: users.role,
  phone: users.phone,
  email: users.email,
  disabled: users.disabled,
  createdAt: users.createdAt,
};

export async function listUsers(db: Db) {
  return db.select(publicColumns).from(users).orderBy(asc(users.role), asc(users.username));
}

export async function getUser(db: Db, id: string) {
  const [row] = await db.select(publicColumns).from(users).where(eq(users.id, id));
  return row ?? null;
}

export async function countUsers(db: Db) {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(users);
  return row.n;
}
