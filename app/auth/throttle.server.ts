/**
 * Sign-in throttling per account and per client address, kept in the database so that
 * it survives restarts and holds across server processes.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { signInThrottles } from "#db/schema";

export const THROTTLE = {
  windowMinutes: 15,
  lockMinutes: 15,
  maxPerAccount: 5,
  maxPerAddress: 20,
};

const keys = (username: string, address: string) => [
  { key: `user:${username.toLowerCase()}`, max: THROTTLE.maxPerAccount },
  { key: `ip:${address}`, max: THROTTLE.maxPerAddress },
];

/** Minutes left on a lock for this account or address, or 0. */
export async function lockedMinutes(db: Db, username: string, address: string, now = new Date()): Promise<number> {
  let ms = 0;
  for (const { key } of keys(username, address)) {
    const [row] = await db.select().from(signInThrottles).where(eq(signInThrottles.key, key));
    if (row?.lockedUntil && row.lockedUntil > now) ms = Math.max(ms, row.lockedUntil.getTime() - now.getTime());
  }
  return Math.ceil(ms / 60_000);
}

export async function recordFailure(db: Db, username: string, address: string, now = new Date()) {
  // Raw Date parameters inside sql`` are not serialised by postgres.js: pass ISO text with a cast.
  const windowStart = sql`${new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString()}::timestamptz`;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  for (const { key, max } of keys(username, address)) {
    // One statement per key: concurrent failures count correctly under either driver.
    await db
      .insert(signInThrottles)
      .values({ key, failures: 1, windowStartedAt: now })
      .onConflictDoUpdate({
        target: signInThrottles.key,
        set: {
          failures: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} then 1 else ${signInThrottles.failures} + 1 end`,
          windowStartedAt: sql`case when ${signInThrottles.windowStartedAt} < ${windowStart} then ${nowSql} else ${signInThrottles.windowStartedAt} end`,
        },
      });
    await db
      .update(signInThrottles)
      .set({ lockedUntil: new Date(now.getTime() + THROTTLE.lockMinutes * 60_000), failures: 0, windowStartedAt: now })
      .where(sql`${signInThrottles.key} = ${key} and ${signInThrottles.failures} >= ${max}`);
  }
}

export async function clearAccountFailures(db: Db, username: string) {
  await db.delete(signInThrottles).where(eq(signInThrottles.key, `user:${username.toLowerCase()}`));
}
