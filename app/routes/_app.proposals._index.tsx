import { type ActionFunctionArgs, data, type LoaderFunctionArgs, type MetaFunction, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission, requireUser } from "~/auth/session.server";
import { readForm } from "~/http/form.server";
import { listUsers } from "~/models/user.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { assignProposals, WorkflowRefusedError } from "~/models/workflow.server";
import { BUREAU_ROLE_LABELS, BUREAU_ROLES } from "~/domain/proposal";
import { PROPOSAL_QUEUES, proposalListFiltersSchema, QUEUE_LABELS } from "~/domain/proposal-filters";
import { may, mayEver } from "~/domain/permissions";
import { PROPOSAL_STATES, STATE_LABELS } from "~/domain/workflow";
import { visibilityFor } from "~/models/access.server";
import { proposalDeadline, today } from "~/models/deadline.server";
import { listMeetings, listProposals } from "~/models/proposal.server";
import { useClientLinks } from "~/ui/client-links";
import { flashCount } from "~/ui/flash";
import { DeadlineBadge } from "~/ui/deadline";
import { SelectField } from "~/ui/form";
import { PageHeader, Pager, StateBadge } from "~/ui/layout";
import { ScrollArea } from "~/ui/scroll-area";
import { ASSIGN_FORM_ID, AssignSelected } from "~/ui/assign-selected";
import { queryOf } from "~/domain/query-params";

const PAGE_SIZE = 50;
/** Columns shown from a tablet's width up. */
const WIDE = "hidden md:table-cell";

export const meta: MetaFunction = () => [{ title: "提案 · 提案答复系统" }];

/** Reads only the database, the user, the address and the date, writes nothing: may be kept as rendered (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const filters = proposalListFiltersSchema.parse(queryOf(request.url));
  const db = await getDb();
  const { scope } = await visibilityFor(db, user);
  const mine = filters.mine ? { handlerId: user.id } : {};
  const [result, meetings] = await Promise.all([listProposals(db, { ...filters, ...scope, ...mine, today: today(), pageSize: PAGE_SIZE }), listMeetings(db)]);
  const rows = result.rows.map(({ dueWarnings, batchRules, ...r }) => ({ ...r, deadline: proposalDeadline({ ...r, dueWarnings, batchRules }) }));
  // 只看我的: a handler who may read every proposal narrows the list to their own; the home page's
  // links ask for it (mine=1), and the filter form keeps it — it was dropped at 筛选, the list
  // and its exports silently becoming everyone's
  const offerMine = Boolean(filters.mine) || (!scope.handlerId && mayEver(user, "proposal.draft"));
  // 待分派: each row can be chosen and several assigned at once (分派所选)
  const assigning = filters.queue === "assign" && may(user, "proposal.assign");
  const handlers = assigning
    ? (await listUsers(db)).filter((u) => mayEver(u, "proposal.draft") && !u.disabled).map((u) => ({ id: u.id, name: u.displayName, phone: u.phone }))
    : [];
  return { ...result, rows, filters, meetings, offerMine, canRegister: may(user, "proposal.register"), canAssign: may(user, "proposal.assign"), assigning, handlers };
}

const assignForm = z.object({
  handlerId: z.string({ error: "请选择承办人" }).min(1, "请选择承办人").max(100),
  items: z
    .array(
      z
        .string()
        .regex(/^\d{1,10}:\d{1,10}$/, "所选提案无效，请刷新页面后重试")
        .transform((x) => ({ id: Number(x.split(":")[0]), version: Number(x.split(":")[1]) }))
        // a database id is an int4: a larger one names no proposal (it failed the query with 500)
        .refine((x) => x.id <= 2_147_483_647 && x.version <= 2_147_483_647, "所选提案无效，请刷新页面后重试"),
    )
    .min(1, "请勾选要分派的提案")
    .max(200, "一次最多分派 200 件提案")
    // the same proposal ticked twice (a forged post) is one
    .transform((xs) => [...new Map(xs.map((x) => [x.id, x])).values()]),
});

export type AssignResult = { error: string; fieldErrors: Record<string, string>; values: { handlerId: string; items: string[] } };

/** 分派所选 (the 待分派 list): every chosen proposal to one handler, or none. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "proposal.assign");
  const form = await readForm(request);
  const values = { handlerId: String(form.get("handlerId") ?? ""), items: form.getAll("item").map(String) };
  const parsed = assignForm.safeParse(values);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    return data<AssignResult>({ error: "请按提示修改后再分派。", fieldErrors, values }, { status: 400 });
  }
  const db = await getDb();
  try {
    const n = await db.transaction((tx) => assignProposals(tx, { items: parsed.data.items, handlerId: parsed.data.handlerId, actor: user, today: today() }));
    void deliverPendingEmails(db);
    const back = new URL(request.url);
    back.searchParams.set("assigned", String(n));
    // back to the list with nothing ticked: 全选 kept on would tick the rows that move up unseen
    back.searchParams.delete("choose");
    back.searchParams.delete("index");
    throw redirect(`${back.pathname}${back.search}`);
  } catch (e) {
    if (e instanceof WorkflowRefusedError) return data<AssignResult>({ error: e.message, fieldErrors: e.field ? { [e.field]: e.message } : {}, values }, { status: 409 });
    throw e;
  }
}

export default function ProposalList() {
  const { rows, total, pageCount, filters, meetings, offerMine, canRegister, canAssign, assigning, handlers } = useLoaderData<typeof loader>();
  const assignResult = useActionData<typeof action>() as AssignResult | undefined;
  const busy = useNavigation().state !== "idle";
  const chosen = new Set(assignResult?.values.items ?? []);
  const [params] = useSearchParams();
  // 全选 (the 待分派 list): every row of this page ticked, as the address says
  const choosePage = params.get("choose") === "page";
  const chooseAll = new URLSearchParams(params);
  chooseAll.delete("assigned");
  chooseAll.delete("index"); // Remix's marker of a posted index route
  if (choosePage) chooseAll.delete("choose");
  else chooseAll.set("choose", "page");
  const chooseAllHref = `?${chooseAll}`;
  const clientLinks = useClientLinks<HTMLDivElement>();
  const list = (
    <div ref={clientLinks}>
      <ScrollArea label="提案列表（表格）" className="card p-0">
        <table className="table-base">
          <thead>
            <tr>
              {assigning ? (
                <th scope="col" className="whitespace-nowrap">
                  {/* a link, not a script: it works before hydration and without JavaScript */}
                  <a href={chooseAllHref} className="text-xs font-normal" aria-label={choosePage ? "取消全选本页" : "全选本页的提案"}>
                    {choosePage ? "取消全选" : "全选"}
                  </a>
                </th>
              ) : null}
              <th scope="col">提案号</th>
              <th scope="col">案由</th>
              {/* on a phone the four secondary columns give way (the table was twice the screen's width); the proposal page has them */}
              <th scope="col" className={WIDE}>
                提案者
              </th>
              <th scope="col" className={WIDE}>
                办理方式
              </th>
              <th scope="col" className={WIDE}>
                交办日期
              </th>
              <th scope="col">承办人</th>
              <th scope="col">状态</th>
              <th scope="col" className={WIDE}>
                文号
              </th>
              <th scope="col">期限</th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={assigning ? 10 : 9} className="py-8 text-center text-slate-500">
                  {total > 0 ? "这一页没有提案：见下方的页码。" : "没有符合条件的提案。"}
                </td>
              </tr>
            ) : (
              rows.map((p) => (
                <tr key={p.id}>
                  {assigning ? (
                    <td>
                      <input
                        // a new box when 全选 changes: defaultChecked does not reach one already shown
                        key={choosePage ? "all" : "one"}
                        type="checkbox"
                        name="item"
                        value={`${p.id}:${p.version}`}
                        form={ASSIGN_FORM_ID}
                        // after a refusal, the ticks that were sent (some unticked after 全选), not 全选 again
                        defaultChecked={assignResult ? chosen.has(`${p.id}:${p.version}`) : choosePage}
                        aria-label={`选择第${p.number}号提案`}
                        className="h-5 w-5"
                      />
                    </td>
                  ) : null}
                  <td className="md:whitespace-nowrap">
                    <a href={`/proposals/${p.id}`} className="whitespace-nowrap">
                      第{p.number}号
                    </a>
                    <div className="text-xs text-slate-500">{p.meeting}</div>
                  </td>
                  <td>
                    {/* a table cell's min-width is not kept: its content's is */}
                    <div className="min-w-[8em]">
                      <a href={`/proposals/${p.id}`} className="text-slate-900">
                        {p.title}
                      </a>
                    </div>
                  </td>
                  <td className={WIDE}>{p.proposerNames}</td>
                  <td className={`whitespace-nowrap ${WIDE}`}>{BUREAU_ROLE_LABELS[p.bureauRole]}</td>
                  <td className={`whitespace-nowrap ${WIDE}`}>{p.assignedOn}</td>
                  <td className="whitespace-nowrap">{p.handlerName ?? <span className="text-slate-500">未分派</span>}</td>
                  <td>
                    <StateBadge label={STATE_LABELS[p.state as keyof typeof STATE_LABELS] ?? p.state} />
                  </td>
                  <td className={`whitespace-nowrap text-xs ${WIDE}`}>{p.documentNumber ?? <span className="text-slate-500">—</span>}</td>
                  <td>
                    <DeadlineBadge d={p.deadline} />
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollArea>
    </div>
  );
  return (
    <>
      <PageHeader
        title="提案"
        subtitle={`共 ${total} 件`}
        actions={
          canRegister ? (
            <>
              <Link to="/proposals/new" className="btn-primary">
                登记提案
              </Link>
              <Link to="/proposals/import" className="btn-secondary">
                批量导入
              </Link>
            </>
          ) : null
        }
      />
      {/* said only to those who could have done it: anyone can write the address */}
      {canAssign && flashCount(params, "assigned") !== null ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已分派 {flashCount(params, "assigned")} 件提案，已通知承办人。
        </div>
      ) : null}
      {canRegister && flashCount(params, "imported") !== null ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已导入 {flashCount(params, "imported")} 件提案{(flashCount(params, "skipped") ?? 0) > 0 ? `，跳过已登记的 ${flashCount(params, "skipped")} 件` : ""}。
          {(flashCount(params, "imported") ?? 0) > 0 ? (
            <a href="/proposals?queue=assign" className="ml-2">
              去分派（可勾选多件一次分派）
            </a>
          ) : null}
        </div>
      ) : null}
      <Form method="get" className="no-print mb-4 grid grid-cols-2 gap-3 md:grid-cols-7" role="search">
        <div className="col-span-2">
          <label htmlFor="q" className="mb-1 block text-sm font-medium text-slate-700">
            搜索
          </label>
          {/* as many characters as proposalListFiltersSchema keeps: a longer paste built an address past the server's limit (414) */}
          <input id="q" name="q" maxLength={100} defaultValue={filters.q ?? ""} placeholder="提案号、案由、提案者或文号（如 108号）" className="input" />
        </div>
        <SelectField label="会议" name="meeting" defaultValue={filters.meeting} placeholder="全部会议" options={meetings.map((m) => ({ value: m, label: m }))} />
        <SelectField label="办理方式" name="role" defaultValue={filters.role} placeholder="全部" options={BUREAU_ROLES.map((r) => ({ value: r, label: BUREAU_ROLE_LABELS[r] }))} />
        <SelectField
          label="期限"
          name="due"
          defaultValue={filters.due}
          placeholder="全部"
          options={[
            { value: "urgent", label: "超期与7日内到期" },
            { value: "overdue", label: "已超期" },
            { value: "week", label: "7日内到期" },
          ]}
        />
        <SelectField label="工作台" name="queue" defaultValue={filters.queue} placeholder="全部" options={PROPOSAL_QUEUES.map((q) => ({ value: q, label: QUEUE_LABELS[q] }))} />
        <SelectField
          label="状态"
          name="state"
          defaultValue={filters.state}
          placeholder="全部状态"
          options={PROPOSAL_STATES.map((st) => ({ value: st, label: STATE_LABELS[st] }))}
        />
        <div className="col-span-2 flex flex-wrap items-center gap-2 md:col-span-7">
          {offerMine ? (
            <label className="mr-2 inline-flex items-center gap-1 text-sm">
              <input type="checkbox" name="mine" value="1" defaultChecked={Boolean(filters.mine)} />
              只看我承办的
            </label>
          ) : null}
          <button type="submit" className="btn-primary">
            筛选
          </button>
          <Link to="/proposals" className="btn-secondary">
            清除
          </Link>
        </div>
      </Form>
      {/* A plain form: the exports are files, and take the list's filters as they stand. */}
      <form method="get" action="/deadlines.csv" className="no-print mb-4 flex flex-wrap items-center gap-2 text-sm" aria-label="导出办理期限">
        {(["q", "meeting", "role", "state", "queue", "due", "mine"] as const).map((k) => (filters[k] ? <input key={k} type="hidden" name={k} value={filters[k]} /> : null))}
        <span className="text-slate-600">按当前筛选导出期限：</span>
        <button type="submit" className="btn-secondary" formAction="/deadlines.csv">
          CSV
        </button>
        <button type="submit" className="btn-secondary" formAction="/deadlines.xlsx">
          Excel
        </button>
        <button type="submit" className="btn-secondary" formAction="/deadlines.ics">
          日历（.ics）
        </button>
        <label className="ml-2 inline-flex items-center gap-1">
          <input type="checkbox" name="all" value="1" />
          含已答复、办结和已调出的提案
        </label>
      </form>
      {assigning ? (
        <AssignSelected handlers={handlers} result={assignResult} busy={busy}>
          {list}
        </AssignSelected>
      ) : (
        list
      )}
      <Pager page={filters.page} pageCount={pageCount} params={params} />
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
