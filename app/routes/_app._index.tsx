/** 工作台: each role's home — my tasks (handler), waiting for my signature (leader), the whole batch (admin/registrar). */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { accessOf, may, mayEver } from "~/domain/permissions";
import type { ProposalQueue } from "~/domain/proposal-filters";
import { PROPOSAL_STATES, STATE_LABELS, type ProposalState } from "~/domain/workflow";
import { visibilityFor } from "~/models/access.server";
import { dashboard, taskQueue } from "~/models/dashboard.server";
import { today } from "~/models/deadline.server";
import { listMeetings } from "~/models/proposal.server";
import { pendingExtensions } from "~/models/extension.server";
import { useClientLinks } from "~/ui/client-links";
import { DeadlineBadge, type DeadlineView } from "~/ui/deadline";
import { PageHeader } from "~/ui/layout";

export const meta: MetaFunction = () => [{ title: "工作台 · 提案答复系统" }];

/** Reads only the database, the user and the date, writes nothing: may be kept as rendered (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  const { scope } = await visibilityFor(db, user);
  // A 承办人 (who drafts their own proposals) sees their own work first; others see what they may read.
  const shows = {
    todo: mayEver(user, "proposal.draft"),
    toSign: may(user, "letter.sign"),
    unassigned: may(user, "proposal.assign"),
    toPublish: may(user, "proposal.publish"),
    // a handler sends their own replies, a registrar any
    toSend: accessOf(user, "proposal.send") === "any",
  };
  const mine = shows.todo ? { handlerId: user.id } : scope;
  const now = today();
  const none = Promise.resolve({ items: [], total: 0 });
  const [board, todo, toSign, toSend, unassigned, reassignments, extensions, meetings, toPublish] = await Promise.all([
    dashboard(db, { today: now, scope: mine }),
    shows.todo ? taskQueue(db, "todo", mine) : none,
    shows.toSign ? taskQueue(db, "sign", {}) : none,
    shows.toSend ? taskQueue(db, "send", {}) : accessOf(user, "proposal.send") === "own" ? taskQueue(db, "send", { handlerId: user.id }) : none,
    shows.unassigned ? taskQueue(db, "assign", {}) : none,
    may(user, "reassignment.decide") ? taskQueue(db, "reassign", {}) : none,
    may(user, "extension.approve") ? pendingExtensions(db) : Promise.resolve([]),
    listMeetings(db),
    shows.toPublish ? taskQueue(db, "publish", {}) : none,
  ]);
  return { user, shows, today: now, board, todo, toSign, toSend, unassigned, reassignments, extensions, meetings, toPublish };
}

type Task = { id: number; number: string; title: string; state: string; deadline?: DeadlineView };

/** A task list of the home page: its first rows (TASK_ROWS), and a link to all of them on the proposal list (plain links: see useClientLinks). */
function TaskList({ title, queue, items, total, mine, empty }: { title: string; queue: ProposalQueue; items: Task[]; total: number; mine?: boolean; empty: string }) {
  return (
    <section className="card" aria-label={title}>
      <h2 className="mb-2 font-semibold">
        {title}
        <span className="ml-2 text-sm font-normal text-slate-500">{total} 件</span>
      </h2>
      {items.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <ul className="space-y-1 text-sm">
          {items.map((p) => (
            <li key={p.id}>
              <a href={`/proposals/${p.id}`}>第{p.number}号</a> <span className="text-slate-700">{p.title}</span>
              <span className="ml-2 text-xs text-slate-500">{STATE_LABELS[p.state as ProposalState]}</span>
              {p.deadline ? (
                <span className="ml-2 inline-block align-top">
                  <DeadlineBadge d={p.deadline} />
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {total > items.length ? (
        <p className="mt-2 text-sm">
          只列出期限最近的 {items.length} 件。<a href={`/proposals?queue=${queue}${mine ? "&mine=1" : ""}`}>查看全部 {total} 件</a>
        </p>
      ) : null}
    </section>
  );
}

export default function Dashboard() {
  const { user, shows, today, board, todo, toSign, toSend, unassigned, reassignments, extensions, meetings, toPublish } = useLoaderData<typeof loader>();
  const max = Math.max(1, ...board.chart.map((b) => b.count));
  const exportQuery = shows.todo ? "?mine=1" : "";
  // plain links in both grids: see app/ui/client-links.tsx
  const countLinks = useClientLinks<HTMLDivElement>();
  const listLinks = useClientLinks<HTMLDivElement>();
  return (
    <>
      {/* the proposals whose deadline still runs: it said 未办结, which 已答复 and 已公开 (awaiting the proposer) are too (a review) */}
      <PageHeader
        title={`${user.displayName}的工作台`}
        subtitle={`今天 ${today} · 待答复 ${board.openTotal} 件`}
        actions={
          <>
            <a className="btn-secondary" href={`/deadlines.ics${exportQuery}`}>
              导出日历 (.ics)
            </a>
            <a className="btn-secondary" href={`/deadlines.csv${exportQuery}`}>
              导出 CSV
            </a>
            <a className="btn-secondary" href={`/deadlines.xlsx${exportQuery}`}>
              导出 Excel
            </a>
          </>
        }
      />
      <div className="mb-5 grid grid-cols-2 gap-3 md:grid-cols-4" ref={countLinks}>
        <div className="card">
          <div className="text-sm text-slate-500">已超期</div>
          <div className="text-2xl font-semibold text-red-700" data-testid="overdue-count">
            {board.overdueCount}
          </div>
        </div>
        <div className="card">
          <div className="text-sm text-slate-500">7日内到期</div>
          <div className="text-2xl font-semibold text-amber-700" data-testid="week-count">
            {board.dueThisWeekCount}
          </div>
        </div>
        <div className="card col-span-2">
          <div className="mb-1 text-sm text-slate-500">按状态</div>
          <div className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
            {PROPOSAL_STATES.filter((s) => board.counts[s]).map((s) => (
              // the counts are of the handler's own proposals (see `mine`): so is the list they open
              <a key={s} href={`/proposals?state=${s}${shows.todo ? "&mine=1" : ""}`} className="text-slate-800">
                {STATE_LABELS[s]} <strong>{board.counts[s]}</strong>
              </a>
            ))}
            {Object.keys(board.counts).length === 0 ? <span className="text-slate-500">暂无提案</span> : null}
          </div>
        </div>
      </div>

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2" ref={listLinks}>
        {shows.todo ? <TaskList title="我的待办" queue="todo" mine {...todo} empty="没有待办的提案。" /> : null}
        {toSign.total || shows.toSign ? <TaskList title="待我签发" queue="sign" {...toSign} empty="没有待签发的答复。" /> : null}
        {toSend.total || shows.toSend ? <TaskList title="待发送" queue="send" mine={!shows.toSend} {...toSend} empty="没有已签发待发送的答复。" /> : null}
        {unassigned.total || shows.unassigned ? <TaskList title="待分派" queue="assign" {...unassigned} empty="所有提案均已分派。" /> : null}
        {toPublish.total || shows.toPublish ? <TaskList title="待公开" queue="publish" {...toPublish} empty="没有待公开的答复（已发送、主动公开的答复都已公开）。" /> : null}
        {reassignments.total ? <TaskList title="调整申请待审核" queue="reassign" {...reassignments} empty="" /> : null}
        {extensions.length ? (
          <section className="card" aria-label="延期待审批">
            <h2 className="mb-2 font-semibold">延期待审批</h2>
            <ul className="space-y-1 text-sm">
              {extensions.map((e) => (
                <li key={e.id}>
                  <a href={`/proposals/${e.proposalId}`}>第{e.number}号</a> {e.oldDue} → {e.newDue}：{e.reason}
                </li>
              ))}
            </ul>
          </section>
        ) : null}

        <section className="card" aria-label="期限分布">
          <h2 className="mb-2 font-semibold">未来八周到期分布</h2>
          {/* the figures are in the name: a screen reader reads an image's name, not the text drawn in it */}
          <svg
            viewBox="0 0 360 150"
            className="w-full"
            role="img"
            aria-label={`各周到期提案数：${board.chart.map((b) => `${b.overdue ? "" : "自"}${b.label}${b.overdue ? "" : "起一周"} ${b.count} 件`).join("，")}`}
          >
            {board.chart.map((b, i) => {
              const h = Math.round((b.count / max) * 100);
              const x = 8 + i * 39;
              return (
                <g key={b.label}>
                  <rect x={x} y={115 - h} width={28} height={h} fill={b.overdue ? "#b91c1c" : i === 1 ? "#d97706" : "#1e40af"} rx={2} />
                  <text x={x + 14} y={110 - h} fontSize="10" textAnchor="middle" fill="#334155">
                    {b.count}
                  </text>
                  <text x={x + 14} y={130} fontSize="9" textAnchor="middle" fill="#64748b">
                    {b.label}
                  </text>
                </g>
              );
            })}
            <text x={8} y={146} fontSize="9" fill="#64748b">
              每列为自该日起一周
            </text>
          </svg>
        </section>

        <section className="card lg:col-span-2" aria-label="即将到期与超期">
          <h2 className="mb-2 font-semibold">超期与7日内到期</h2>
          {board.urgent.length === 0 ? (
            <p className="text-sm text-slate-500">没有超期或7日内到期的提案。</p>
          ) : (
            <table className="table-base">
              <thead>
                <tr>
                  <th>提案</th>
                  <th>案由</th>
                  <th>承办人</th>
                  <th>期限</th>
                </tr>
              </thead>
              <tbody>
                {board.urgent.map((d) => (
                  <tr key={d.id}>
                    {/* on a phone the 会议 wraps, not the title and the name a character a line */}
                    <td className="md:whitespace-nowrap">
                      <a href={`/proposals/${d.id}`} className="whitespace-nowrap">
                        第{d.number}号
                      </a>
                      {d.kind === "co_handling" ? <span className="ml-1 text-xs text-slate-500">会办意见</span> : null}
                      <div className="text-xs text-slate-500">{d.meeting}</div>
                    </td>
                    <td>
                      <div className="min-w-[8em]">{d.title}</div>
                    </td>
                    <td className="whitespace-nowrap">{d.handlerName ?? "未分派"}</td>
                    <td>
                      <DeadlineBadge d={d} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {board.overdueCount + board.dueThisWeekCount > board.urgent.length ? (
            <p className="mt-2 text-sm">
              只列出最紧迫的 {board.urgent.length} 件。
              <a href={`/proposals?due=urgent${shows.todo ? "&mine=1" : ""}`}>查看全部 {board.overdueCount + board.dueThisWeekCount} 件</a>
            </p>
          ) : null}
        </section>
      </div>
      {meetings.length ? <p className="mt-4 text-xs text-slate-500">会议：{meetings.join("、")}</p> : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
