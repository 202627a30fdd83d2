/** The public site's frame (/public): the bureau's name, no staff navigation, no sign-in. */
import type { ReactNode } from "react";
import { describeError } from "./error";
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";

export function PublicLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col bg-slate-50">
      <header className="no-print border-b-4 border-red-700 bg-white">
        <div className="mx-auto flex max-w-5xl flex-wrap items-baseline gap-x-4 gap-y-1 px-4 py-3">
          <a href="/public" className="text-lg font-semibold text-red-700 no-underline hover:no-underline">
            东莞市工业和信息化局
          </a>
          <span className="text-slate-700">政协提案答复公开</span>
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-5">{children}</main>
      <footer className="no-print border-t border-slate-200 bg-white py-3 text-center text-xs text-slate-500">
        本栏目公开本局主动公开的政协提案答复。答复中的个人联系方式等信息已按规定隐去。
      </footer>
    </div>
  );
}

/** Errors on the public pages: no link into the staff area. */
export function PublicErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  // a refused request (a POST to a page, a bad address) is not a server error
  const refused = !notFound && isRouteErrorResponse(error) && error.status < 500 ? describeError(error) : null;
  return (
    <PublicLayout>
      <div className="mx-auto mt-12 max-w-lg text-center">
        <h1 className="text-2xl font-semibold">{notFound ? "没有找到这份答复" : (refused?.title ?? "页面出错了")}</h1>
        <p className="mt-3 text-slate-600">{notFound ? "这份答复不存在或尚未公开。" : (refused?.detail ?? "服务器处理请求时发生错误，请稍后重试。")}</p>
        <p className="mt-6">
          <a href="/public">返回答复公开列表</a>
        </p>
      </div>
    </PublicLayout>
  );
}
