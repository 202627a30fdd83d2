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
 * - Past a limit the delay grows: 1, 2, 4, 8, then 15 minutes for each further try.
 * A successful sign-in clears its account-and-address key and gives back its other counts.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signInThrottles } from "#db/schema";

export const THROTTLE = {
  windowMinutes: 15,
  maxLockMinutes: 15,
  maxPerAccountAndAddress: 5,
  maxPerAccount: 30,
  maxPerAddress: 50,
};

const keys = (username: string, address: string) => {
  const user = username.trim().toLowerCase();
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
  let waitMs = 0;
  for (const { key, max } of keys(username, address)) {
    // One statement: the row lock of ON CONFLICT makes parallel attempts count one after another.
    const [row] = await db
      .insert(signInThrottles)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: signInThrottles.key,
        set: {
          failures: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${nowSql}) then 1 else ${signInThrottles.failures} + 1 end`,
          windowStartedAt: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${nowSql}) then ${nowSql} else ${signInThrottles.windowStartedAt} end`,
        },
      })
      .returning({ failures: signInThrottles.failures, lockedUntil: signInThrottles.lockedUntil });
    if (row!.failures > max) {
      const until = new Date(now.getTime() + lockMinutesFor(row!.failures - max) * 60_000);
      await db.update(signInThrottles).set({ lockedUntil: until }).where(eq(signInThrottles.key, key));
      waitMs = Math.max(waitMs, until.getTime() - now.getTime());
    } else if (row!.lockedUntil && row!.lockedUntil > now) {
      waitMs = Math.max(waitMs, row!.lockedUntil.getTime() - now.getTime());
    }
  }
  return Math.ceil(waitMs / 60_000);
}

/** A right password: this account-and-address starts afresh; the shared counts get this try back. */
export async function releaseAttempt(db: Db, username: string, address: string) {
  const [pair, ...shared] = keys(username, address);
  await db.delete(signInThrottles).where(eq(signInThrottles.key, pair!.key));
  for (const { key } of shared) {
    await db
      .update(signInThrottles)
      .set({ failures: sql`greatest(${signInThrottles.failures} - 1, 0)` })
      .where(and(eq(signInThrottles.key, key)));
  }
}
