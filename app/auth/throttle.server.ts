/**
 * Sign-in throttling, kept in the database so that it survives restarts and holds across
 * server processes.
 *
 * - An attempt is counted *before* its password is checked, per key in a transaction holding the
 *   key's row: parallel tries cannot slip past the limit (the 19th parallel try used to get
 *   through), nor past a lock's end.
 * - Keys (OWASP's usual remedy against both guessing and locking people out):
 *   the account *from one address* (5 tries per 15 minutes) — so a stranger cannot lock you out
 *   from elsewhere; the account from anywhere (30: slows guessing spread over many addresses);
 *   one address over all accounts (50: an office behind one NAT is not locked by one typist).
 * - Past a limit the key is locked for 1 minute. A try while a key is locked is refused without
 *   being counted and without moving the lock's end (it used to add to it: someone sharing the
 *   owner's address, trying now and then, held the owner out for good). The first try after a
 *   lock ends is checked — "请 1 分钟后再试" is then true (it was refused again, and the wait
 *   doubled) — and starts the next, longer lock: 2, 4, 8, then 15 minutes. Once the
 *   account-and-address key has been locked, its count starts afresh only a window after its last
 *   lock ended (a persistent guesser gets one try per 15 minutes, not five more each window; the
 *   shared keys forget once their window and lock are over, see `sticky`). The shared keys (the
 *   account, the address) are not counted by a try that is refused anyway. And the account's own
 *   limit does not apply where the owner signed in successfully in the last 30 days (a "known"
 *   address, OWASP's remedy against lock-outs): there only the account-and-address and the
 *   address limits hold.
 * A successful sign-in clears its account-and-address key and gives back its other counts.
 */
import { and, eq, inArray, max, or, sql } from "drizzle-orm";
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
    // `sticky`: once locked, the count starts afresh only a window after the lock ended (the guesser
    // at one address). A shared key forgets as soon as its window and lock are over: a stranger
    // keeping the account's key locked against its owner's new addresses must keep trying hard.
    { key: `pair:${user}|${address}`, max: THROTTLE.maxPerAccountAndAddress, sticky: true },
    { key: `user:${user}`, max: THROTTLE.maxPerAccount, sticky: false },
    { key: `ip:${address}`, max: THROTTLE.maxPerAddress, sticky: false },
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
  const minutesUntil = (d: Date) => Math.ceil((d.getTime() - now.getTime()) / 60_000);
  const [known] = await db
    .select({ at: signInThrottles.windowStartedAt })
    .from(signInThrottles)
    .where(
      and(
        eq(signInThrottles.key, knownKey(username, address)),
        sql`${signInThrottles.windowStartedAt} > ${new Date(now.getTime() - THROTTLE.knownAddressDays * 86_400_000).toISOString()}::timestamptz`,
      ),
    );
  const counted = keys(username, address).filter(({ key }) => !(known && key.startsWith("user:")));
  // A shared key (the address, the account) locked already refuses before anything is written or
  // counted: a script trying made-up names from a locked address would otherwise leave two rows
  // per try, and a try refused by the account's lock is not one of this address's.
  const [sharedLock] = await db
    .select({ until: max(signInThrottles.lockedUntil) })
    .from(signInThrottles)
    .where(
      and(
        inArray(
          signInThrottles.key,
          counted.filter(({ key }) => !key.startsWith("pair:")).map(({ key }) => key),
        ),
        lockedAt(now),
      ),
    );
  if (sharedLock?.until) return minutesUntil(new Date(sharedLock.until));
  for (const { key, max: limit, sticky } of counted) {
    const wait = await countTry(db, { key, limit, sticky }, now);
    // Refused here: the later (shared) keys do not count this try.
    if (wait) return minutesUntil(wait);
  }
  return 0;
}

/**
 * Counts one try on one key, in a transaction holding the key's row: parallel tries take turns, so
 * no two are let through by one lock's end. Returns the lock's end if this try is refused. Not to
 * be called inside another transaction (PGlite would wait on itself; PostgreSQL would hold the
 * keys until that one ends).
 */
async function countTry(db: Db, k: { key: string; limit: number; sticky: boolean }, now: Date): Promise<Date | null> {
  return db.transaction(async (tx) => {
    // one statement that takes the row's lock whether it was there or not (a row deleted meanwhile
    // by a sign-in or the housekeeping is simply made again)
    const [row] = await tx
      .insert(signInThrottles)
      .values({ key: k.key, failures: 0, windowStartedAt: now })
      .onConflictDoUpdate({ target: signInThrottles.key, set: { key: sql`excluded.key` } })
      .returning();
    const { failures: before, windowStartedAt, lockedUntil } = row!;
    // during a lock: refused, neither counted nor extended
    if (lockedUntil && lockedUntil > now) return lockedUntil;
    const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000);
    const fresh = windowStartedAt < windowStart && (!lockedUntil || lockedUntil < (k.sticky ? windowStart : now));
    const failures = fresh ? 1 : before + 1;
    const over = failures - k.limit;
    const until = over > 0 ? new Date(now.getTime() + lockMinutesFor(over) * 60_000) : fresh ? null : lockedUntil;
    await tx
      .update(signInThrottles)
      .set({ failures, windowStartedAt: fresh ? now : windowStartedAt, lockedUntil: until })
      .where(eq(signInThrottles.key, k.key));
    // The first try past the limit, with no lock before it in this count, is refused. One after a
    // lock has ended is checked, and starts the next, longer lock.
    return over > 0 && (fresh || !lockedUntil) ? until : null;
  });
}

/** The account's keys at every address. */
const pairKeysOf = (user: string) => sql`starts_with(${signInThrottles.key}, ${`pair:${user}|`})`;
/** Keys locked at `now`. (Raw Date parameters inside sql`` are not serialised by postgres.js: ISO text with a cast.) */
const lockedAt = (now: Date) => sql`${signInThrottles.lockedUntil} > ${now.toISOString()}::timestamptz`;

/** Until when this account is refused at some address or everywhere (null: nowhere), for 用户管理. */
export async function accountLockedUntil(db: Db, username: string, now = new Date()): Promise<Date | null> {
  const user = userKey(username);
  const [row] = await db
    .select({ until: max(signInThrottles.lockedUntil) })
    .from(signInThrottles)
    .where(and(or(eq(signInThrottles.key, `user:${user}`), pairKeysOf(user)), lockedAt(now)));
  return row?.until ? new Date(row.until) : null;
}

/** Of these accounts, those refused somewhere now (for the 用户管理 list; one query for the page). */
export async function lockedAccounts(db: Db, usernames: readonly string[], now = new Date()): Promise<Set<string>> {
  if (!usernames.length) return new Set();
  const rows = await db
    .select({ key: signInThrottles.key })
    .from(signInThrottles)
    .where(and(or(sql`starts_with(${signInThrottles.key}, 'user:')`, sql`starts_with(${signInThrottles.key}, 'pair:')`), lockedAt(now)));
  // user:<name> or pair:<name>|<address>
  const locked = new Set(rows.map((r) => r.key.replace(/^(?:user|pair):/, "").replace(/\|.*$/, "")));
  return new Set(usernames.filter((u) => locked.has(userKey(u))));
}

/**
 * An admin lifts the account's sign-in limits: a stranger who spread guesses over many addresses
 * can hold the account's limit against an address the owner has not used lately (new staff, a new
 * PC). The account's count starts afresh; a lock on the account at one address ends now, but that
 * address keeps its count — the next try there is checked and a wrong one locks it again (a
 * guesser's five tries are not handed back). The addresses' own limits stay.
 */
export async function clearAccountLocks(db: Db, username: string, now = new Date()): Promise<void> {
  const user = userKey(username);
  await db.delete(signInThrottles).where(eq(signInThrottles.key, `user:${user}`));
  // just past the limit: the next try is checked, a wrong one locks for 2 minutes (not the 15 an
  // escalation reached — the owner mistyping the password an admin gave them)
  await db
    .update(signInThrottles)
    .set({ lockedUntil: now, failures: THROTTLE.maxPerAccountAndAddress + 1 })
    .where(and(pairKeysOf(user), lockedAt(now)));
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
 * Rows that count nothing any more — their window is over and any lock ended a window ago, so
 * the next try starts afresh as if there were none — and known addresses older than 30 days: removed by the
 * 15-minute housekeeping job, so tries with made-up names leave nothing behind.
 */
export async function deleteExpiredThrottles(db: Db, now = new Date()) {
  const windowStart = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const knownSince = new Date(now.getTime() - THROTTLE.knownAddressDays * 86_400_000).toISOString();
  const gone = await db
    .delete(signInThrottles)
    .where(
      sql`case when ${signInThrottles.key} like 'known:%' then ${signInThrottles.windowStartedAt} < ${knownSince}::timestamptz
        else ${signInThrottles.windowStartedAt} < ${windowStart}::timestamptz and (${signInThrottles.lockedUntil} is null or ${signInThrottles.lockedUntil} < ${windowStart}::timestamptz) end`,
    )
    .returning({ key: signInThrottles.key });
  return gone.length;
}
