/** The signed-in layout: header with navigation by role, then the page. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, Outlet, type ShouldRevalidateFunction, useLoaderData, useLocation } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { type GlobalPermission, may } from "~/domain/permissions";
import { ADMIN_SECTIONS, ROLE_LABELS } from "~/domain/roles";
import { unreadCount } from "~/models/notification.server";
import { useClientLinks } from "~/ui/client-links";
import { useFocusFirstRefusal } from "~/ui/focus-refusal";

/** The header reads the user and the unread count, both from the database: kept pages may include it (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { user, unread: await unreadCount(await getDb(), user.id) };
}

/**
 * An action that answered 401 (signed out meanwhile: the letter editor says so and keeps the
 * typing) reloads nothing: this loader would send the page to the sign-in form, and the text with it.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionStatus, defaultShouldRevalidate }) => actionStatus !== 401 && defaultShouldRevalidate;

const NAV: { to: string; label: string; permission?: GlobalPermission; end?: boolean }[] = [
  { to: "/", label: "工作台", end: true },
  { to: "/proposals", label: "提案", end: true },
  { to: "/proposals/new", label: "登记提案", permission: "proposal.register" },
  { to: "/proposals/import", label: "批量导入", permission: "proposal.register" },
  { to: "/letters/export", label: "答复函导出", permission: "letter.export" },
  { to: "/library", label: "段落库" },
  { to: "/stats", label: "统计", permission: "stats.read" },
];

/** Whether a navigation entry is the current page (as NavLink decides: `end` means this path only, else also the paths below it). */
function isCurrent(pathname: string, to: string, end = false) {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  return path === to || (!end && path.startsWith(to.endsWith("/") ? to : `${to}/`));
}

export default function AppLayout() {
  const { user, unread } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  // Plain links and one click handler instead of NavLinks: see app/ui/client-links.tsx.
  const clientLinks = useClientLinks<HTMLElement>();
  useFocusFirstRefusal();
  const current = (to: string, end?: boolean) => (isCurrent(pathname, to, end) ? "page" : undefined);
  return (
    <>
      {/* the first Tab stop: past the 7–10 header links to the page (WCAG 2.4.1) */}
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        跳到正文
      </a>
      <header className="no-print border-b border-slate-200 bg-white" ref={clientLinks}>
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2">
          <a href="/" className="flex items-baseline gap-2 text-slate-900 no-underline hover:no-underline">
            <span className="font-semibold text-red-700">东莞市工业和信息化局</span>
            <span className="font-semibold">提案答复系统</span>
          </a>
          {/* on a phone the links take their own rows under the name (beside it they stacked one a line, ~290 px) */}
          <nav aria-label="主导航" className="flex w-full flex-wrap gap-1 md:w-auto md:flex-1">
            {[
              ...NAV.filter((n) => !n.permission || may(user, n.permission)),
              ...(ADMIN_SECTIONS.some((a) => may(user, a.permission)) ? [{ to: "/admin", label: "管理", end: false }] : []),
            ].map((n) => {
              const here = current(n.to, n.end);
              return (
                <a
                  key={n.to}
                  href={n.to}
                  aria-current={here}
                  className={`rounded px-2 py-1 text-sm no-underline hover:no-underline ${here ? "bg-blue-800 text-white" : "text-slate-700 hover:bg-slate-100"}`}
                >
                  {n.label}
                </a>
              );
            })}
          </nav>
          <div className="flex items-center gap-3 text-sm">
            <a
              href="/notifications"
              aria-current={current("/notifications")}
              className="relative rounded px-2 py-1 text-slate-700 no-underline hover:bg-slate-100 hover:no-underline"
              aria-label={`通知，${unread} 条未读`}
            >
              通知
              {unread > 0 ? (
                <span className="ml-1 inline-block min-w-[1.25rem] rounded-full bg-red-600 px-1.5 text-center text-xs font-semibold text-white" data-testid="unread-count">
                  {unread}
                </span>
              ) : null}
            </a>
            <a
              href="/account"
              aria-current={current("/account")}
              className="rounded px-2 py-1 text-slate-700 no-underline hover:bg-slate-100 hover:no-underline"
              title="个人设置：修改密码、查看登录会话"
            >
              {user.displayName}
              <span className="ml-1 text-slate-500">（{ROLE_LABELS[user.role]}）</span>
            </a>
            <Form method="post" action="/logout">
              <button type="submit" className="btn-secondary">
                退出
              </button>
            </Form>
          </div>
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-5 focus:outline-none">
        <Outlet />
      </main>
      <footer className="no-print mx-auto max-w-6xl px-4 pb-6 text-sm text-slate-500">
        <a href="/public">答复公开</a>（公开网站，无需登录）
      </footer>
    </>
  );
}
