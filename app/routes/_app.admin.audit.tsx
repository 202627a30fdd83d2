/** 审计日志: the security audit log, filtered and paged; the same selection as CSV. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { AUDIT_ACTIONS, auditFiltersSchema, type AuditAction } from "~/domain/audit";
import { listAudit } from "~/models/audit.server";
import { PageHeader, Pager } from "~/ui/layout";
import { formatTime } from "~/ui/datetime";
import { ScrollArea } from "~/ui/scroll-area";

const PAGE_SIZE = 100;
export const meta: MetaFunction = () => [{ title: "审计日志 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "audit.read");
  const params = new URL(request.url).searchParams;
  const filters = auditFiltersSchema.parse(Object.fromEntries(params));
  const result = await listAudit(await getDb(), { ...filters, pageSize: PAGE_SIZE });
  // a date the filter could not read is said beside its field, as typed (it used to vanish, and
  // every entry be listed as if the filter were applied)
  const typed = { from: params.get("from")?.trim() ?? "", to: params.get("to")?.trim() ?? "" };
  const invalid = { from: Boolean(typed.from && !filters.from), to: Boolean(typed.to && !filters.to) };
  return { ...result, filters, typed, invalid, query: params.toString() };
}

const time = (d: string | Date) => formatTime(d, "second");

export default function AuditLog() {
  const { rows, total, pageCount, filters, typed, invalid, query } = useLoaderData<typeof loader>();
  const params = new URLSearchParams(query);
  params.delete("page");
  return (
    <>
      <PageHeader
        title="审计日志"
        subtitle={`共 ${total} 条，按时间倒序。日志只增不改。`}
        actions={
          <a href={`/admin/audit.csv?${params.toString()}`} className="btn-secondary" download>
            导出 CSV
          </a>
        }
      />
      <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3" aria-label="筛选">
        <div>
          <label htmlFor="action" className="mb-1 block text-sm font-medium text-slate-700">
            操作
          </label>
          <select id="action" name="action" defaultValue={filters.action ?? ""} className="input">
            <option value="">全部</option>
            {Object.entries(AUDIT_ACTIONS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="actor" className="mb-1 block text-sm font-medium text-slate-700">
            用户（姓名或账号）
          </label>
          {/* auditFiltersSchema keeps 40 characters: the box holds no more (a long paste made an address the server refuses) */}
          <input id="actor" name="actor" maxLength={40} defaultValue={filters.actor ?? ""} className="input" />
        </div>
        <DateFilter name="from" label="从（年-月-日）" typed={typed.from} invalid={invalid.from} />
        <DateFilter name="to" label="到" typed={typed.to} invalid={invalid.to} />
        <button type="submit" className="btn-primary">
          筛选
        </button>
        <Link to="/admin/audit" className="btn-secondary">
          清除
        </Link>
      </Form>
      <ScrollArea label="操作日志（表格）">
        <table className="table-base">
          <thead>
            <tr>
              <th scope="col">时间</th>
              <th scope="col">用户</th>
              <th scope="col">地址</th>
              <th scope="col">操作</th>
              <th scope="col">对象</th>
              <th scope="col">说明</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="py-8 text-center text-slate-500">
                  没有符合条件的记录。
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id}>
                  <td className="whitespace-nowrap">{time(r.at)}</td>
                  <td className="whitespace-nowrap">
                    {r.actorName ?? <span className="text-slate-500">—</span>}
                    {r.username ? <span className="ml-1 text-xs text-slate-500">{r.username}</span> : null}
                  </td>
                  <td className="whitespace-nowrap text-xs">{r.address ?? "—"}</td>
                  <td className="whitespace-nowrap">{AUDIT_ACTIONS[r.action as AuditAction] ?? r.action}</td>
                  <td>{r.target ?? "—"}</td>
                  <td className="text-sm text-slate-700">{r.detail ?? ""}</td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollArea>
      <Pager page={filters.page} pageCount={pageCount} params={params} />
    </>
  );
}

/** A date bound of the filter, kept as typed; one the filter could not read says so beside it. */
function DateFilter({ name, label, typed, invalid }: { name: "from" | "to"; label: string; typed: string; invalid: boolean }) {
  return (
    <div>
      <label htmlFor={name} className="mb-1 block text-sm font-medium text-slate-700">
        {label}
      </label>
      <input
        id={name}
        name={name}
        defaultValue={typed}
        placeholder="年-月-日"
        className={`input w-36 ${invalid ? "input-error" : ""}`}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${name}-error` : undefined}
      />
      {invalid ? (
        <p id={`${name}-error`} className="mt-1 text-xs text-red-700">
          不是有效的日期（如 2026-11-30），未按此日期筛选
        </p>
      ) : null}
    </div>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
