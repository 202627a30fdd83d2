/**
 * The 文号 series: allocation inside a signing's transaction (gapless under concurrency: the
 * counter row's lock), and the admin's view and settings — the next number, numbers issued
 * outside the system (管理 → 发文字号).
 */
import { and, asc, desc, eq, isNull, max, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { documentNumbers, numberCounters } from "#db/schema";
import { formatDocumentNumber, parseDocumentNumber } from "~/domain/letter";
import { WorkflowRefusedError } from "./workflow.server";
import { rowsOf } from "./library-search.server";

/**
 * Allocate the next 文号 of a series inside the caller's transaction. The counter row's lock
 * serialises concurrent signers and a failed signing rolls its number back: the series stays
 * gapless. Numbers entered by an admin as issued outside the system are skipped.
 */
export async function allocateNumber(db: Db, r: { prefix: string; year: number; letterId: number; actorId: string }) {
  for (let guard = 0; guard < 10_000; guard++) {
    const [row] = await db
      .insert(numberCounters)
      .values({ prefix: r.prefix, year: r.year, next: 2 })
      .onConflictDoUpdate({ target: [numberCounters.prefix, numberCounters.year], set: { next: sql`${numberCounters.next} + 1` } })
      .returning({ next: numberCounters.next });
    const seq = row.next - 1;
    const number = formatDocumentNumber({ prefix: r.prefix, year: r.year, seq });
    const taken = await db
      .insert(documentNumbers)
      // the moment it was taken, not its transaction's start: removeExternalNumber tells by it
      // whether this signing stepped over an outside number entered while it was under way
      .values({ number, prefix: r.prefix, year: r.year, seq, letterId: r.letterId, createdBy: r.actorId, createdAt: sql`clock_timestamp()` })
      .onConflictDoNothing()
      .returning({ number: documentNumbers.number });
    if (taken.length) return number;
  }
  throw new Error("无法分配文号");
}

/**
 * The 文号 signing now would take (not reserved: another signing may take it first), and whether the
 * year's series was ever begun — by an admin's 设定下一个号 or by a signing. A series never begun starts
 * at 1, which is wrong wherever the bureau's other letters share it: the leader is told before signing
 * (a review: December's letter was about to go out as 〔2026〕1号).
 */
export async function nextNumberPreview(db: Db, r: { prefix: string; year: number }): Promise<{ number: string; begun: boolean }> {
  const [counter] = await db
    .select({ next: numberCounters.next })
    .from(numberCounters)
    .where(and(eq(numberCounters.prefix, r.prefix), eq(numberCounters.year, r.year)));
  const from = counter?.next ?? 1;
  // the first number from there not entered as issued outside the system (allocateNumber skips those)
  const [free] = await rowsOf<{ seq: number | null }>(
    db,
    sql`select min(s)::int as seq from generate_series(${from}::int, ${from}::int + 10000) s where not exists (select 1 from ${documentNumbers} d where d.prefix = ${r.prefix} and d.year = ${r.year} and d.seq = s)`,
  );
  return { number: formatDocumentNumber({ prefix: r.prefix, year: r.year, seq: free?.seq ?? from }), begun: Boolean(counter) };
}

export async function listCounters(db: Db) {
  return db.select().from(numberCounters).orderBy(desc(numberCounters.year), asc(numberCounters.prefix));
}

export async function listDocumentNumbers(db: Db, limit = 200) {
  return db.select().from(documentNumbers).orderBy(desc(documentNumbers.year), desc(documentNumbers.seq)).limit(limit);
}

/** Set the next number of a series (the bureau's other letters share it). */
export async function setNextNumber(db: Db, r: { prefix: string; year: number; next: number; seen?: number | null }) {
  // `seen`: the series' next number on the admin's page (null: none yet). Changed since — by another
  // admin, or by signings — the page was stale: setting it would silently undo what happened.
  if (r.seen !== undefined) {
    const [now] = await db
      .select({ next: numberCounters.next })
      .from(numberCounters)
      .where(and(eq(numberCounters.prefix, r.prefix), eq(numberCounters.year, r.year)))
      .for("update");
    const current = now?.next ?? null;
    if (current !== r.seen)
      throw new WorkflowRefusedError(
        `${r.prefix}〔${r.year}〕的下一个号在您打开页面后已变为 ${current ?? "（未设定）"}（当时为 ${r.seen ?? "未设定"}）：请看上方最新的序列后再设定。`,
      );
  }
  const [highest] = await db
    .select({ seq: max(documentNumbers.seq) })
    .from(documentNumbers)
    .where(and(eq(documentNumbers.prefix, r.prefix), eq(documentNumbers.year, r.year)));
  if (highest?.seq != null && r.next <= highest.seq) throw new WorkflowRefusedError(`${r.prefix}〔${r.year}〕已用到 ${highest.seq} 号，下一个号不能小于或等于它。`);
  await db
    .insert(numberCounters)
    .values(r)
    .onConflictDoUpdate({ target: [numberCounters.prefix, numberCounters.year], set: { next: r.next } });
}

/** Enter a number issued outside the system: checked for uniqueness; the counter skips it. */
export async function registerExternalNumber(db: Db, r: { number: string; note?: string | null; actorId: string | null; letterId?: number | null }) {
  const parts = parseDocumentNumber(r.number);
  if (!parts) throw new WorkflowRefusedError("文号格式不正确，应为 东工信函〔2021〕108号 这样的格式。");
  // the same bounds as 设定下一个号 (a typo such as 〔0221〕 or 〔2201〕 is refused, not stored)
  if (parts.year < 2000 || parts.year > 2100) throw new WorkflowRefusedError(`文号中的年份 ${parts.year} 不合理，请核对。`);
  if (parts.seq > 99999) throw new WorkflowRefusedError(`文号中的序号 ${parts.seq} 过大，请核对。`);
  const number = formatDocumentNumber(parts);
  const rows = await db
    .insert(documentNumbers)
    .values({ number, ...parts, letterId: r.letterId ?? null, note: r.note ?? null, createdBy: r.actorId })
    .onConflictDoNothing()
    .returning({ number: documentNumbers.number });
  if (!rows.length) throw new WorkflowRefusedError(`文号 ${number} 已被使用。`);
  return number; // allocateNumber skips it when the counter reaches it
}

/** Take back an outside number entered by mistake (a typo such as 1200 for 120 blocked 设定下一个号); a number on a letter signed here stays. */
export async function removeExternalNumber(db: Db, r: { number: string }) {
  // One a signing stepped over after it was registered (a later number signed here since): removed,
  // it would be a gap no signing can fill — the registration stays, as the record of why the number
  // is missing. One registered below numbers already used (a typo) stepped nothing: it can go.
  // The series' counter is locked first: a signing stepping over the number right now holds it
  // until it commits, and the check below then sees its number (unlocked, both went through).
  // A series without a counter yet gets one at 1, as the allocator reads its absence: the insert
  // waits for a signing inserting it at the same moment.
  const [target] = await db.select({ prefix: documentNumbers.prefix, year: documentNumbers.year }).from(documentNumbers).where(eq(documentNumbers.number, r.number));
  let madeCounter = false;
  if (target) {
    madeCounter =
      (await db.insert(numberCounters).values({ prefix: target.prefix, year: target.year, next: 1 }).onConflictDoNothing().returning({ next: numberCounters.next })).length > 0;
    await db
      .select({ next: numberCounters.next })
      .from(numberCounters)
      .where(and(eq(numberCounters.prefix, target.prefix), eq(numberCounters.year, target.year)))
      .for("update");
  }
  const [skipped] = await db
    .select({ number: documentNumbers.number })
    .from(documentNumbers)
    .where(
      and(
        eq(documentNumbers.number, r.number),
        isNull(documentNumbers.letterId),
        sql`exists (select 1 from ${documentNumbers} later where later.prefix = ${documentNumbers.prefix} and later.year = ${documentNumbers.year}
          and later.letter_id is not null and later.seq > ${documentNumbers.seq} and later.created_at > ${documentNumbers.createdAt})`,
      ),
    );
  if (skipped)
    throw new WorkflowRefusedError(
      `文号 ${r.number} 登记后已被签发跳过（其后的文号已在本系统签发），删除后会留下无法补上的空号，因此不能删除；登记保留，说明这个号为何不在本系统中。`,
    );
  const rows = await db
    .delete(documentNumbers)
    .where(and(eq(documentNumbers.number, r.number), isNull(documentNumbers.letterId)))
    .returning({ number: documentNumbers.number });
  if (!rows.length) throw new WorkflowRefusedError(`文号 ${r.number} 不是登记的系统外文号（本系统签发的文号不能删除），或已被删除。`);
  // the counter made only to lock the series goes again (a mistyped year would leave a 下一个号 1 row)
  if (madeCounter && target) await db.delete(numberCounters).where(and(eq(numberCounters.prefix, target.prefix), eq(numberCounters.year, target.year), eq(numberCounters.next, 1)));
}
