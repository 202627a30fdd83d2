/**
 * Sign-in throttling, kept in the database so that it survives restarts and holds across
 * server processes.
 *
 * - An attempt is counted *before* its password is checked, in one atomic statement per key:
 *   parallel tries cannot slip past the limit (the 19th parallel try used to get through).
 * - Keys (OWASP's usual remedy against both guessing and locking people out):
 *   the account *from one address* (5 tries per 15 minutes) — so a stranger cannot lock you out
 *   from elsewhere; the account from anywhere (30: slows guessing spread over many addresses);
 *   one address over all accounts (50: an office behind one NAT is not locked by one typist).
 * - Past a limit the key is locked for 1 minute. A try while a key is locked is refused without
 *   being counted and without moving the lock's end (it used to add to it: someone sharing the
 *   owner's address, trying now and then, held the owner out for good). The first try after a
 *   lock ends is checked — "请 1 分钟后再试" is then true (it was refused again, and the wait
 *   doubled) — and starts the next, longer lock: 2, 4, 8, then 15 minutes, until the window is
 *   over. The shared keys (the account, the address) are not counted by a try that is refused
 *   anyway. And the account's own limit does not apply where the owner signed in successfully in
 *   the last 30 days (a "known" address, OWASP's remedy against lock-outs): there only the
 *   account-and-address and the address limits hold.
 * A successful sign-in clears its account-and-address key and gives back its other counts.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signInThrottles } from "#db/schema";

export const THROTTLE = {
  windowMinutes: 15,
  knownAddressDays: 30,
  maxLockMinutes: 15,
  maxPerAccountAndAddress: 5,
  maxPerAccount: 30,
  maxPerAddress: 50,
};

const userKey = (username: string) => username.trim().toLowerCase();
const knownKey = (username: string, address: string) => `known:${userKey(username)}|${address}`;

const keys = (username: string, address: string) => {
  const user = userKey(username);
  return [
    { key: `pair:${user}|${address}`, max: THROTTLE.maxPerAccountAndAddress },
    { key: `user:${user}`, max: THROTTLE.maxPerAccount },
    { key: `ip:${address}`, max: THROTTLE.maxPerAddress },
  ];
};

/** 1, 2, 4, 8, 15, 15… minutes for the 1st, 2nd… try past the limit. */
export function lockMinutesFor(overLimit: number): number {
  return Math.min(THROTTLE.maxLockMinutes, 2 ** Math.max(0, overLimit - 1));
}

/**
 * Count this attempt on every key; the minutes to wait if any key is over its limit (the
 * password must then not be checked), else 0.
 */
export async function reserveAttempt(db: Db, username: string, address: string, now = new Date()): Promise<number> {
  // Raw Date parameters inside sql`` are not serialised by postgres.js: pass ISO text with a cast.
  const windowStart = sql`${new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString()}::timestamptz`;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const fresh = sql`${signInThrottles.windowStartedAt} < ${windowStart} and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${nowSql})`;
  const locked = sql`${signInThrottles.lockedUntil} is not null and ${signInThrottles.lockedUntil} > ${nowSql}`;
  const [known] = await db
    .select({ at: signInThrottles.windowStartedAt })
    .from(signInThrottles)
    .where(
      and(
        eq(signInThrottles.key, knownKey(username, address)),
        sql`${signInThrottles.windowStartedAt} > ${new Date(now.getTime() - THROTTLE.knownAddressDays * 86_400_000).toISOString()}::timestamptz`,
      ),
    );
  // An address locked already refuses before anything is written: a script trying made-up names
  // from it would otherwise leave two rows per try (their account-and-address and account keys).
  const [addressLock] = await db
    .select({ until: signInThrottles.lockedUntil })
    .from(signInThrottles)
    .where(and(eq(signInThrottles.key, `ip:${address}`), locked));
  if (addressLock?.until) return Math.ceil((addressLock.until.getTime() - now.getTime()) / 60_000);
  for (const { key, max } of keys(username, address)) {
    if (known && key.startsWith("user:")) continue;
    // One statement: the row lock of ON CONFLICT makes parallel attempts count one after another.
    // A locked key keeps its count (this try is refused anyway) and its lock's end; a fresh window
    // forgets an old lock too.
    const [row] = await db
      .insert(signInThrottles)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: signInThrottles.key,
        set: {
          failures: sql`case when ${fresh} then 1 when ${locked} then ${signInThrottles.failures} else ${signInThrottles.failures} + 1 end`,
          windowStartedAt: sql`case when ${fresh} then ${nowSql} else ${signInThrottles.windowStartedAt} end`,
          lockedUntil: sql`case when ${fresh} then null else ${signInThrottles.lockedUntil} end`,
        },
      })
      .returning({ failures: signInThrottles.failures, lockedUntil: signInThrottles.lockedUntil });
    if (row!.lockedUntil && row!.lockedUntil > now) return Math.ceil((row!.lockedUntil.getTime() - now.getTime()) / 60_000);
    if (row!.failures > max) {
      const until = new Date(now.getTime() + lockMinutesFor(row!.failures - max) * 60_000);
      await db.update(signInThrottles).set({ lockedUntil: until }).where(eq(signInThrottles.key, key));
      // The first try past the limit is refused (the later, shared keys do not count it). A try
      // after a lock has ended is checked, the next lock started for the tries after it.
      if (!row!.lockedUntil) return Math.ceil((until.getTime() - now.getTime()) / 60_000);
    }
  }
  return 0;
}

/** Until when this account is refused at some address or everywhere (null: nowhere), for 用户管理. */
export async function accountLockedUntil(db: Db, username: string, now = new Date()): Promise<Date | null> {
  const user = userKey(username);
  const [row] = await db
    .select({ until: sql<Date | null>`max(${signInThrottles.lockedUntil})`.mapWith((v) => (v ? new Date(v) : null)) })
    .from(signInThrottles)
    .where(
      and(
        sql`(${signInThrottles.key} = ${`user:${user}`} or starts_with(${signInThrottles.key}, ${`pair:${user}|`}))`,
        sql`${signInThrottles.lockedUntil} > ${now.toISOString()}::timestamptz`,
      ),
    );
  return row?.until ?? null;
}

/**
 * An admin lifts the account's sign-in limits (its own, and at every address): a stranger who
 * spread guesses over many addresses can hold the account's limit against an address the owner
 * has not used lately (new staff, a new PC). The addresses' own limits stay.
 */
export async function clearAccountLocks(db: Db, username: string): Promise<void> {
  const user = userKey(username);
  await db.delete(signInThrottles).where(sql`${signInThrottles.key} = ${`user:${user}`} or starts_with(${signInThrottles.key}, ${`pair:${user}|`})`);
}

/** A right password: this account-and-address starts afresh and becomes known; the shared counts get this try back. */
export async function releaseAttempt(db: Db, username: string, address: string, now = new Date()) {
  const [pair, ...shared] = keys(username, address);
  await db.delete(signInThrottles).where(eq(signInThrottles.key, pair!.key));
  await db
    .insert(signInThrottles)
    .values({ key: knownKey(username, address), failures: 0, windowStartedAt: now })
    .onConflictDoUpdate({ target: signInThrottles.key, set: { windowStartedAt: now } });
  for (const { key } of shared) {
    await db
      .update(signInThrottles)
      .set({ failures: sql`greatest(${signInThrottles.failures} - 1, 0)` })
      .where(and(eq(signInThrottles.key, key)));
  }
}

/**
 * Rows that count nothing any more — their window and lock are over, so the next try starts
 * afresh as if there were none — and known addresses older than 30 days: removed by the
 * 15-minute housekeeping job, so tries with made-up names leave nothing behind.
 */
export async function deleteExpiredThrottles(db: Db, now = new Date()) {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const knownSince = new Date(now.getTime() - THROTTLE.knownAddressDays * 86_400_000).toISOString();
  const gone = await db
    .delete(signInThrottles)
    .where(
      sql`case when ${signInThrottles.key} like 'known:%' then ${signInThrottles.windowStartedAt} < ${knownSince}::timestamptz
        else ${signInThrottles.windowStartedAt} < ${windowStart}::timestamptz and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${now.toISOString()}::timestamptz) end`,
    )
    .returning({ key: signInThrottles.key });
  return gone.length;
}
