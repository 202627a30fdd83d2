/**
 * The security audit log: who did what, when, from where. Append-only: there is no update or
 * delete here. Recording never fails the action it records (a log write error is reported on
 * the console; the action's own transaction is not touched).
 */
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { getDb } from "#db/client.server";
import { auditLog, users } from "#db/schema";
import type { AuditAction } from "~/domain/audit";
import { csvText } from "~/domain/csv";
import { AUDIT_ACTIONS } from "~/domain/audit";

import { clientAddressOf } from "~/http/client-address";

export type AuditEntry = {
  actor?: { id: string; displayName?: string; username?: string } | null;
  address?: string | null;
  action: AuditAction;
  target?: string | null;
  detail?: string | null;
};

export async function recordAudit(db: Db, e: AuditEntry) {
  await db.insert(auditLog).values({
    actorId: e.actor?.id ?? null,
    actorName: e.actor ? (e.actor.displayName ?? e.actor.username ?? null) : null,
    address: e.address ?? null,
    action: e.action,
    target: e.target ?? null,
    detail: e.detail ?? null,
  });
}

/** From a loader or action: the address from the request, outside the action's transaction. */
export async function audit(request: Request, e: Omit<AuditEntry, "address">) {
  try {
    await recordAudit(await getDb(), { ...e, address: clientAddressOf(request) });
  } catch (err) {
    console.error("审计日志写入失败：", err);
  }
}

/** Whether an entry of this kind from this address was written since then (to log a flood once, not per request). */
export async function auditedSince(db: Db, e: { action: AuditAction; address: string | null; since: Date; detailPrefix: string }) {
  const [row] = await db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, e.action),
        gte(auditLog.at, e.since),
        e.address === null ? sql`${auditLog.address} is null` : eq(auditLog.address, e.address),
        sql`starts_with(${auditLog.detail}, ${e.detailPrefix})`,
      ),
    )
    .limit(1);
  return Boolean(row);
}

export type AuditFilters = { action?: AuditAction; actor?: string; from?: string; to?: string; page: number; pageSize: number };

function whereOf(f: AuditFilters): SQL | undefined {
  const w: SQL[] = [];
  if (f.action) w.push(eq(auditLog.action, f.action));
  if (f.actor) w.push(sql`(${auditLog.actorName} = ${f.actor} or ${users.username} = ${f.actor})`);
  if (f.from) w.push(gte(auditLog.at, new Date(`${f.from}T00:00:00+08:00`)));
  if (f.to) w.push(lt(auditLog.at, new Date(new Date(`${f.to}T00:00:00+08:00`).getTime() + 86_400_000)));
  return w.length ? and(...w) : undefined;
}

export async function listAudit(db: Db, f: AuditFilters) {
  const where = whereOf(f);
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(auditLog).leftJoin(users, eq(users.id, auditLog.actorId)).where(where);
  const rows = await db
    .select({
      id: auditLog.id,
      at: auditLog.at,
      actorName: auditLog.actorName,
      username: users.username,
      address: auditLog.address,
      action: auditLog.action,
      target: auditLog.target,
      detail: auditLog.detail,
    })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.actorId))
    .where(where)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize);
  return { rows, total, pageCount: Math.max(1, Math.ceil(total / f.pageSize)) };
}

/** The most rows one CSV holds (memory); a longer selection says so in its last line. */
export const AUDIT_CSV_MAX_ROWS = 100_000;

export async function auditCsv(db: Db, f: Omit<AuditFilters, "page" | "pageSize">, maxRows = AUDIT_CSV_MAX_ROWS) {
  const { rows, total } = await listAudit(db, { ...f, page: 1, pageSize: maxRows });
  const time = (d: Date) => d.toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });
  return csvText(
    ["时间", "用户", "账号", "地址", "操作", "对象", "说明"],
    [
      ...rows.map((r) => [time(r.at), r.actorName ?? "", r.username ?? "", r.address ?? "", AUDIT_ACTIONS[r.action as AuditAction] ?? r.action, r.target ?? "", r.detail ?? ""]),
      // never a silent cut: the oldest entries are left out, and the file says so
      ...(total > rows.length ? [[`（仅含最近的 ${rows.length} 条，共 ${total} 条；更早的请按日期分段导出）`, "", "", "", "", "", ""]] : []),
    ],
  );
}

/** Who last did this to this target, and when (a conflict names the colleague); null when nothing is logged. */
export async function lastAudited(db: Db, e: { action: AuditAction; target: string }): Promise<{ actorName: string | null; at: Date } | null> {
  const [row] = await db
    .select({ actorName: auditLog.actorName, at: auditLog.at })
    .from(auditLog)
    .where(and(eq(auditLog.action, e.action), eq(auditLog.target, e.target)))
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(1);
  return row ?? null;
}
