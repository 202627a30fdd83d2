/**
 * 打印预览: the letter's real pages as LibreOffice prints them (page pictures from the server),
 * loaded when the panel is opened. Without JavaScript the panel offers the PDF itself; without
 * LibreOffice on the server it says so, and the HTML preview beside it stays the only one.
 */
import { useFetcher } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { PrintPreviewData } from "~/routes/proposals.$id.letter.print[.]json";

export function PrintPreview({ proposalId, note }: { proposalId: number | string; note?: string }) {
  const fetcher = useFetcher<PrintPreviewData>();
  const [open, setOpen] = useState(false);
  const url = `/proposals/${proposalId}/letter/print.json`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: load once per opening
  useEffect(() => {
    if (open && fetcher.state === "idle" && !fetcher.data) fetcher.load(url);
  }, [open, url]);
  const d = fetcher.data;
  return (
    <details className="card no-print mt-4" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary className="cursor-pointer font-medium">打印预览（实际分页）</summary>
      <p className="mt-2 text-sm text-slate-600">
        LibreOffice 按公文格式排出的真实页面{note ? `，${note}` : ""}。在 Word/WPS 中打开时分页可能略有不同。{" "}
        <a href={`/proposals/${proposalId}/letter.pdf`} download>
          下载 PDF
        </a>
      </p>
      {!d ? (
        <p className="mt-2 text-sm text-slate-500" aria-live="polite">
          {open ? "正在生成打印预览（首次约需几秒）…" : null}
        </p>
      ) : d.ok ? (
        <div className="mt-2 space-y-3">
          <p className="text-sm" aria-live="polite">
            共 {d.pages} 页。
            {d.carried ? "落款原本会单独成页，已将正文最后两行移到落款所在页（GB/T 9704 第 7.3.5 条）。" : null}
            {d.linesPerPage > 22 ? `落款原本会另起一页，已将行距调整为每页 ${d.linesPerPage} 行，少用一页（GB/T 9704 第 7.3.5.4 条）。` : null}
            {d.unchecked ? `未能自动检查分页（${d.unchecked}）：请逐页查看落款是否与正文同页、标题是否单独留在页末。` : null}
          </p>
          <ol className="flex flex-wrap gap-3">
            {d.images.map((src, i) => (
              <li key={src} className="text-center text-xs text-slate-500">
                <img src={src} alt={`第 ${i + 1} 页`} width={331} height={468} loading="lazy" className="border border-slate-300 bg-white shadow-sm" />
                <div>
                  第 {i + 1} / {d.pages} 页
                </div>
              </li>
            ))}
          </ol>
        </div>
      ) : (
        <p className="mt-2 text-sm text-amber-800" role="status">
          {d.message} 下方为不分页的近似预览。
        </p>
      )}
    </details>
  );
}
