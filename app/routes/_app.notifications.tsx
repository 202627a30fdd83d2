import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { notificationsFor } from "~/models/notification-list.server";
import { markRead, markUnread, unreadCount } from "~/models/notification.server";
import { isDeadlineNotice } from "~/domain/notices";
import { PageHeader } from "~/ui/layout";
import { formatTime } from "~/ui/datetime";
import { recordId } from "~/domain/query-params";
import { readForm } from "~/http/form.server";

const markSchema = z.union([
  /** The newest notice the page showed: one arriving after it stays unread (and is still e-mailed). */
  z.object({ intent: z.literal("all"), upTo: recordId }),
  z.object({ intent: z.literal("unread"), id: recordId }),
  z.object({
    intent: z.literal("one"),
    id: recordId,
    go: z
      .string()
      .regex(/^\/proposals(\/\d+|\?mine=1)?$/)
      .optional(),
  }),
]);

export const meta: MetaFunction = () => [{ title: "通知 · 提案答复系统" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const db = await getDb();
  // the count the header shows, of all of them (the list holds the first 200)
  const [items, unread] = await Promise.all([notificationsFor(db, user), unreadCount(db, user.id)]);
  return { items, unread };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const parsed = markSchema.safeParse(Object.fromEntries(await readForm(request)));
  if (!parsed.success) throw new Response("请求无效。", { status: 400 });
  const db = await getDb();
  if (parsed.data.intent === "all") {
    await markRead(db, user.id, { upTo: parsed.data.upTo });
    // the button is gone with the unread ones: the page says what happened where it was
    throw redirect("/notifications?done=all");
  }
  if (parsed.data.intent === "unread") await markUnread(db, user.id, parsed.data.id);
  else {
    await markRead(db, user.id, [parsed.data.id]);
    if (parsed.data.go) throw redirect(parsed.data.go);
  }
  // back at that notice, not at the top of a long list (without JavaScript too)
  throw redirect(`/notifications#n-${parsed.data.id}`);
}

const when = (d: string | Date) => formatTime(d, "monthDay");

export default function Notifications() {
  const { items, unread } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  // The counter counts what needs the user now: unread, and the task not yet done.
  const listedUnread = items.filter((n) => !n.readAt && !n.resolvedAt && !n.supersededAt).length;
  return (
    <>
      <PageHeader
        title="通知"
        subtitle={`${unread} 条未读`}
        actions={
          unread ? (
            <Form method="post">
              <input type="hidden" name="upTo" value={Math.max(...items.map((n) => n.id))} />
              <button type="submit" name="intent" value="all" className="btn-secondary">
                全部标为已读
              </button>
            </Form>
          ) : null
        }
      />
      {params.get("done") === "all" && !unread ? (
        <p role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已将全部通知标为已读。
        </p>
      ) : null}
      {items.length === 0 ? <p className="text-slate-500">暂无通知。</p> : null}
      {unread > listedUnread ? <p className="mb-2 text-sm text-slate-600">另有 {unread - listedUnread} 条较早的未读通知未列出；“全部标为已读”也包括它们。</p> : null}
      <ul className="card divide-y divide-slate-100 p-0">
        {items.map((n) => (
          <li
            key={n.id}
            id={`n-${n.id}`}
            className={`scroll-mt-4 flex flex-wrap items-center justify-between gap-2 px-4 py-2 ${n.readAt || n.resolvedAt || n.supersededAt ? "text-slate-500" : "font-medium"}`}
          >
            <span>
              {!n.readAt && !n.resolvedAt && !n.supersededAt ? <span role="img" className="mr-2 inline-block h-2 w-2 rounded-full bg-red-600" aria-label="未读" /> : null}
              {n.resolvedAt && isDeadlineNotice(n.kind) ? (
                // a reminder whose date moved, whose reply went out or whose proposal went to another handler: nothing was done about the reminder itself
                <span className="mr-2 rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 text-xs font-normal text-slate-600">不再适用</span>
              ) : n.resolvedAt ? (
                <span className="mr-2 rounded border border-green-300 bg-green-50 px-1.5 py-0.5 text-xs font-normal text-green-800">已办</span>
              ) : n.supersededAt && !n.readAt ? (
                <span className="mr-2 rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 text-xs font-normal text-slate-600">已有新提醒</span>
              ) : null}
              {n.message}
              <span className="ml-2 text-xs font-normal text-slate-500">
                {when(n.createdAt)}
                {/* said on the page, not in a tooltip a phone or a keyboard cannot open */}
                {n.resolvedAt && isDeadlineNotice(n.kind)
                  ? ` · ${when(n.resolvedAt)} 期限已变更、已答复或已改派他人`
                  : n.resolvedAt
                    ? ` · 办结于 ${when(n.resolvedAt)}`
                    : n.supersededAt && !n.readAt
                      ? ` · ${when(n.supersededAt)} 有了更新的期限提醒`
                      : ""}
              </span>
            </span>
            <Form method="post" className="flex gap-2" preventScrollReset>
              <input type="hidden" name="intent" value="one" />
              <input type="hidden" name="id" value={n.id} />
              {n.proposalId ? (
                <button type="submit" name="go" value={`/proposals/${n.proposalId}`} className="btn-secondary">
                  查看提案
                </button>
              ) : n.general && n.kind === "deadline_changed" ? (
                // one notice for many moved deadlines (a calendar or rules change): they are the handler's own
                // list (only 只看我的: where handlers read every proposal, /proposals lists everyone's)
                <button type="submit" name="go" value="/proposals?mine=1" className="btn-secondary">
                  查看提案列表
                </button>
              ) : null}
              {!n.readAt ? (
                <button type="submit" className="btn-secondary">
                  标为已读
                </button>
              ) : (
                <button type="submit" name="intent" value="unread" className="btn-secondary">
                  标为未读
                </button>
              )}
            </Form>
          </li>
        ))}
      </ul>
      <p className="mt-3 text-sm">
        <Link to="/">返回工作台</Link>
      </p>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
