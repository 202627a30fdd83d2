import type { LinksFunction, MetaFunction } from "@remix-run/node";
import { Links, Meta, Outlet, Scripts, ScrollRestoration, useRouteError } from "@remix-run/react";
import type { ReactNode } from "react";
import "~/domain/zod-locale";
import stylesheet from "~/tailwind.css";
import { describeError } from "~/ui/error";
import { useNonce } from "~/ui/nonce";

const ICON =
  "data:image/svg+xml," +
  encodeURIComponent(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#b91c1c"/><text x="8" y="12.5" font-size="11" text-anchor="middle" fill="white">答</text></svg>',
  );

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: ICON },
];

/** Its pages may be kept as rendered where every route below takes part too (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export const meta: MetaFunction = () => [{ title: "提案答复系统 · 东莞市工业和信息化局" }];

export function Layout({ children }: { children: ReactNode }) {
  const nonce = useNonce();
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
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const { title, detail } = describeError(useRouteError());
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
