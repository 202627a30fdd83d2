import { Link } from "@remix-run/react";
import type { ReactNode } from "react";

export function PageHeader({ title, actions, subtitle }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode }) {
  return (
    <div className="mb-4 flex flex-wrap items-end justify-between gap-3 border-b border-slate-200 pb-3">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
        {subtitle ? <div className="mt-1 text-sm text-slate-600">{subtitle}</div> : null}
      </div>
      {actions ? <div className="no-print flex flex-wrap gap-2">{actions}</div> : null}
    </div>
  );
}

export function StateBadge({ label, tone = "slate" }: { label: string; tone?: "slate" | "blue" | "green" | "amber" | "red" }) {
  const tones = {
    slate: "bg-slate-100 text-slate-700 border-slate-300",
    blue: "bg-blue-50 text-blue-800 border-blue-200",
    green: "bg-green-50 text-green-800 border-green-200",
    amber: "bg-amber-50 text-amber-800 border-amber-200",
    red: "bg-red-50 text-red-800 border-red-200",
  };
  return <span className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs ${tones[tone]}`}>{label}</span>;
}

/** 上一页 / 第 n / m 页 / 下一页, keeping the other query parameters. */
export function Pager({ page, pageCount, params }: { page: number; pageCount: number; params: URLSearchParams }) {
  if (pageCount <= 1 && page <= 1) return null;
  const href = (n: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(n));
    return `?${next}`;
  };
  // A page past the end (the list shrank since, or a typed address): said so, with the way back.
  if (page > pageCount)
    return (
      <nav aria-label="分页" className="no-print mt-3 flex items-center gap-3 text-sm">
        <span>
          没有第 {page} 页（共 {pageCount} 页）。
        </span>
        <Link to={href(pageCount)}>回到第 {pageCount} 页</Link>
      </nav>
    );
  return (
    <nav aria-label="分页" className="no-print mt-3 flex items-center gap-3 text-sm">
      {page > 1 ? <Link to={href(page - 1)}>上一页</Link> : <span className="text-slate-500">上一页</span>}
      <span>
        第 {page} / {pageCount} 页
      </span>
      {page < pageCount ? <Link to={href(page + 1)}>下一页</Link> : <span className="text-slate-500">下一页</span>}
    </nav>
  );
}
