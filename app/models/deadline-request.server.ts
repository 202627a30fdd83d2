/**
 * The deadline rows a signed-in user may export: their visibility, optionally only their own,
 * filtered like the proposal list (会议, 办理方式, 状态, search), optionally with finished ones.
 */
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { refuseCrossSite } from "~/http/request-guards";
import { contentDisposition } from "~/letters/files";
import { asksForFinished, proposalListFiltersSchema } from "~/domain/proposal-filters";
import { visibilityFor } from "./access.server";
import { audit } from "./audit.server";
import { listDeadlines, today } from "./deadline.server";
import { proposalFilterConditions } from "./proposal.server";
import { queryOf } from "~/domain/query-params";

const query = proposalListFiltersSchema.omit({ page: true, mine: true }).extend({
  mine: z.literal("1").optional(),
  dueWithin: z.coerce.number().int().min(0).max(3650).optional(),
  /** Also answered, closed and transferred proposals. */
  all: z.literal("1").optional(),
});

/**
 * `format` names the file in the audit log: like letters and statistics, a list of proposals (titles,
 * proposers' bodies, handlers) taken out of the system is recorded, with its filters and size.
 */
export async function deadlinesForRequest(request: Request, format: "CSV" | "Excel" | "日历") {
  refuseCrossSite(request, "请从本系统的提案列表或工作台导出办理期限。");
  const user = await requireUser(request);
  const params = queryOf(request.url);
  const q = query.safeParse(params);
  if (!q.success) throw new Response("查询参数无效。", { status: 400 });
  const db = await getDb();
  const { scope } = await visibilityFor(db, user);
  const handlerId = q.data.mine ? user.id : scope.handlerId;
  const { mine: _m, dueWithin, all, ...filters } = q.data;
  const now = today();
  const includeFinished = all === "1" || asksForFinished(filters);
  const rows = await listDeadlines(db, { today: now, handlerId, dueWithin, includeFinished, where: proposalFilterConditions({ ...filters, today: now }) });
  const asked = new URLSearchParams(params).toString();
  await audit(request, {
    actor: user,
    action: "deadlines_exported",
    target: `办理期限（${format}）`,
    detail: `${rows.length} 件${asked ? `；筛选：${decodeURIComponent(asked)}` : ""}`,
  });
  return rows;
}

/** Headers of a downloaded file; `fallback` is the ASCII name for clients that ignore filename*. */
export const attachment = (name: string, type: string, fallback: string) => ({
  "Content-Type": type,
  "Content-Disposition": contentDisposition(name, fallback),
  "Cache-Control": "private, no-store",
});
