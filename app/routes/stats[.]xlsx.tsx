/** /stats.xlsx — 办理情况统计 as a workbook, the same figures as the page. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { refuseCrossSite } from "~/http/request-guards";
import { scopeLabel } from "~/domain/statistics-scope";
import { audit } from "~/models/audit.server";
import { today } from "~/models/deadline.server";
import { attachment } from "~/models/deadline-request.server";
import { statisticsToXlsx } from "~/models/statistics-export.server";
import { statisticsFor, statisticsScope } from "~/models/statistics.server";
import { queryOf } from "~/domain/query-params";

export async function loader({ request }: LoaderFunctionArgs) {
  refuseCrossSite(request, "请从本系统的“统计”页面导出。");
  const user = await requirePermission(request, "stats.read");
  const params = queryOf(request.url);
  const db = await getDb();
  const { scope } = await statisticsScope(db, params);
  const label = scopeLabel(scope);
  const buf = await statisticsToXlsx(await statisticsFor(db, scope, today()), label);
  await audit(request, { actor: user, action: "stats_exported", target: "办理情况统计", detail: label });
  return new Response(new Uint8Array(buf), {
    headers: attachment(`办理情况统计（${label}）.xlsx`, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "statistics.xlsx"),
  });
}
