import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { isRouteErrorResponse, Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import stylesheet from "~/tailwind.css";

const ICON = "data:image/svg+xml," + encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#b91c1c"/><text x="8" y="12.5" font-size="11" text-anchor="middle" fill="white">答</text></svg>');

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: ICON },
];

export const meta: MetaFunction = () => [{ title: "提案答复系统 · 东莞市工业和信息化局" }];

export function Layout({ children }: { children: ReactNode }) {
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body className="min-h-screen">
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  let title = "系统出错了";
  let detail = "服务器处理请求时发生错误。请稍后重试；如问题持续，请联系系统管理员。";
  if (isRouteErrorResponse(error)) {
    if (error.status === 404) {
      title = "页面不存在";
      detail = typeof error.data === "string" && error.data ? error.data : "您访问的页面或记录不存在，可能已被删除或地址有误。";
    } else if (error.status === 403) {
      title = "没有权限";
      detail = typeof error.data === "string" && error.data ? error.data : "您没有访问此页面的权限。";
    } else if (error.status < 500) {
      title = `请求无法处理（${error.status}）`;
      detail = typeof error.data === "string" ? error.data : detail;
    }
  }
  return (
    <main className="mx-auto mt-24 max-w-lg px-4 text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-3 text-slate-600">{detail}</p>
      <p className="mt-6">
        <a href="/">返回首页</a>
      </p>
    </main>
  );
}
