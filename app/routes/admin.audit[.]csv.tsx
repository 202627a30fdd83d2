/** /admin/audit.csv — the audit log's current selection, for the records (same filters as the page). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { refuseCrossSite } from "~/http/request-guards";
import { audit, auditCsv } from "~/models/audit.server";
import { attachment } from "~/models/deadline-request.server";
import { auditFiltersSchema } from "~/domain/audit";

export async function loader({ request }: LoaderFunctionArgs) {
  refuseCrossSite(request, "请从本系统的“审计日志”页面导出。");
  const user = await requirePermission(request, "audit.read");
  const { page: _page, ...filters } = auditFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const text = await auditCsv(await getDb(), filters);
  // Who took a copy of the log, and of which part, is itself on record.
  const chosen = Object.entries(filters)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${v}`)
    .join("，");
  await audit(request, { actor: user, action: "audit_exported", detail: chosen ? `筛选：${chosen}` : "全部" });
  return new Response(text, { headers: attachment("审计日志.csv", "text/csv; charset=utf-8", "audit-log.csv") });
}
