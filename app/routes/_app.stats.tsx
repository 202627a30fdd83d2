/** 办理情况统计: a year's (or a 会议's) figures — tables, a few server-drawn charts, and the XLSX for the annual summary. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { ignoredYear, scopeLabel, statisticsScopeQuery } from "~/domain/statistics-scope";
import { STATISTICS_NOTES } from "~/domain/statistics";
import { today } from "~/models/deadline.server";
import { statisticsTables } from "~/models/statistics-export.server";
import { listMeetings } from "~/models/proposal.server";
import { statisticsFor, statisticsScope } from "~/models/statistics.server";
import { PageHeader } from "~/ui/layout";
import { BarChart, StatTable } from "~/ui/stats";
import { queryOf } from "~/domain/query-params";

export const meta: MetaFunction = () => [{ title: "办理情况统计 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "stats.read");
  const db = await getDb();
  const params = queryOf(request.url);
  const [{ scope, years, unknownMeeting }, meetings] = await Promise.all([statisticsScope(db, params), listMeetings(db)]);
  const stats = await statisticsFor(db, scope, today());
  return { scope, label: scopeLabel(scope), ignored: ignoredYear(params), unknownMeeting, years, meetings, stats, tables: statisticsTables(stats) };
}

export default function Stats() {
  const { scope, label, ignored, unknownMeeting, years, meetings, stats, tables } = useLoaderData<typeof loader>();
  // a year asked for that has no proposals is still the year shown: the list offers it, or 统计 would switch to all years
  const yearOptions = scope.year && !years.includes(scope.year) ? [scope.year, ...years].sort((a, b) => b - a) : years;
  const query = statisticsScopeQuery(scope);
  return (
    <>
      <PageHeader
        title="办理情况统计"
        subtitle={`${label} · 共 ${stats.total} 件`}
        actions={
          <a className="btn-secondary" href={`/stats.xlsx?${query}`} download>
            导出 Excel（年度总结用）
          </a>
        }
      />
      <Form method="get" className="no-print mb-4 flex flex-wrap items-end gap-2" aria-label="统计范围">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">交办年度</span>
          <select name="year" defaultValue={scope.year ?? "all"} className="input w-auto">
            <option value="all">全部年度</option>
            {yearOptions.map((y) => (
              <option key={y} value={y}>
                {y}年
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">会议</span>
          <select name="meeting" defaultValue={scope.meeting ?? ""} className="input w-auto">
            <option value="">全部会议</option>
            {meetings.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary">
          统计
        </button>
      </Form>
      {unknownMeeting ? (
        <p role="status" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          没有名为“{unknownMeeting}”的会议，下面是{label}的统计。
        </p>
      ) : null}
      {ignored ? (
        <p role="status" className="no-print mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          “{ignored}”不是有效的年度（2000—2100），下面是{label}的统计。
        </p>
      ) : null}
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <StatTable title="办理方式与状态" rows={tables.办理方式与状态} wide />
        <section className="card" aria-label="按时答复">
          <h2 className="mb-2 font-semibold">按时答复</h2>
          <BarChart
            label="按时与超期答复"
            bars={[
              { label: "按时", value: stats.timeliness.onTime, tone: "green" },
              { label: "超期", value: stats.timeliness.late, tone: "red" },
              { label: "未答复且已超期", value: stats.timeliness.openOverdue, tone: "amber" },
            ]}
          />
          <StatTable rows={tables.按时答复} />
          {stats.timeliness.lateDays.approximate ? <p className="mt-1 text-xs text-amber-800">部分超期天数按自然日计（工作日历未覆盖该年度）。</p> : null}
          <p className="mt-1 text-xs text-slate-500">{STATISTICS_NOTES.按时答复}</p>
        </section>
        <StatTable title="再办理" rows={tables.再办理} note={STATISTICS_NOTES.再办理} />
        <section className="card" aria-label="办理结果">
          <h2 className="mb-2 font-semibold">办理结果</h2>
          <BarChart label="办理结果分类" bars={tables.办理结果.slice(1).map(([l, v]) => ({ label: String(l), value: Number(v), tone: "blue" }))} />
        </section>
        <section className="card" aria-label="满意度">
          <h2 className="mb-2 font-semibold">提案者满意度</h2>
          <BarChart label="提案者意见" bars={tables.满意度.slice(1, -1).map(([l, v]) => ({ label: String(l), value: Number(v), tone: "blue" }))} />
          <p className="mt-1 text-sm">满意及基本满意率：{tables.满意度.at(-1)![1]}</p>
          {/* what is counted, said: a reader of the annual summary asked whether the first 不满意 was */}
          <p className="mt-1 text-xs text-slate-500">{STATISTICS_NOTES.满意度}</p>
        </section>
        <StatTable title="承办人" rows={tables.承办人} note={STATISTICS_NOTES.承办人} />
        <StatTable title="复用最多的政策段落" rows={tables.常用段落} empty="所选范围内的答复未使用段落库。" />
      </div>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
