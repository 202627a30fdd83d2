/** The error page inside the signed-in layout (navigation stays): 404, 403, other client errors, 500 without details. */
import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";

export function describeError(error: unknown): { title: string; detail: string } {
  if (isRouteErrorResponse(error)) {
    // the app's own refusals carry a Chinese message; the framework's (internal) carry English
    // meant for developers ("You made a POST request to … but did not provide an `action`")
    const internal = (error as { internal?: boolean }).internal === true;
    const text = !internal && typeof error.data === "string" && error.data ? error.data : null;
    if (error.status === 405) return { title: "此页面不接受提交", detail: text ?? "请使用页面上的按钮或表单操作。" };
    if (error.status === 404) return { title: "页面不存在", detail: text ?? "您访问的页面或记录不存在，可能已被删除或地址有误。" };
    if (error.status === 403) return { title: "没有权限", detail: text ?? "您没有访问此页面的权限。" };
    if (error.status < 500) return { title: `请求无法处理（${error.status}）`, detail: text ?? "请求无效。" };
  }
  return { title: "系统出错了", detail: "服务器处理请求时发生错误。请稍后重试；如问题持续，请联系系统管理员。" };
}

export function RouteErrorBoundary() {
  const { title, detail } = describeError(useRouteError());
  return (
    <div className="mx-auto mt-16 max-w-lg text-center">
      <h1 className="text-2xl font-semibold">{title}</h1>
      <p className="mt-3 text-slate-600">{detail}</p>
      <p className="mt-6">
        <Link to="/">返回工作台</Link>
      </p>
    </div>
  );
}
