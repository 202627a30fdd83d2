/** An imported source document: what it is, what the import did, and the library paragraphs it draws on. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { DOCUMENT_KIND_LABELS, PARAGRAPH_STATUS_LABELS, USE_MODE_LABELS } from "~/domain/library";
import { listDocumentParagraphs } from "~/models/paragraph.server";
import { getReadableLibraryDocument, hiddenDocumentTitle } from "~/models/library-document.server";
import { PageHeader, StateBadge } from "~/ui/layout";
import { DocumentKindBadge } from "~/ui/library";
import { formatTime } from "~/ui/datetime";
import { recordId } from "~/domain/query-params";
import { ScrollArea } from "~/ui/scroll-area";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.document.letterNumber ?? data.document.title} · 段落库` : "段落库" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = recordId.safeParse(params.id);
  const db = await getDb();
  const readable = id.success ? await getReadableLibraryDocument(db, { id: id.data, user }) : null;
  if (!readable) throw new Response("文件不存在。", { status: 404 });
  const { access } = readable;
  const hidden = access === "hidden";
  const { proposalHandlerId: _h, ...shown } = readable.document;
  // 文号 only: the letter's title names the proposal, its file name often the 案由; read as
  // disclosed: no way to the proposal the reader may not open.
  const document =
    access === "full" ? shown : { ...shown, proposalId: null, proposalNumber: null, ...(hidden ? { title: hiddenDocumentTitle(shown), fileName: null, letterFrame: null } : {}) };
  const listed = await listDocumentParagraphs(db, document.id);
  // the heading of the letter's part a paragraph went into is that letter's wording (as scopeUses)
  const used = hidden ? listed.map((u) => ({ ...u, section: null })) : listed;
  return { document, used, access };
}

const dateTime = (d: string | Date) => formatTime(d, "minute");

export default function LibraryDocument() {
  const { document: d, used, access } = useLoaderData<typeof loader>();
  const hidden = access === "hidden";
  const [params] = useSearchParams();
  const s = d.summary;
  return (
    <>
      <PageHeader
        title={d.letterNumber ?? d.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <DocumentKindBadge kind={d.kind} />
            {d.letterNumber && !hidden ? <span>{d.title}</span> : null}
          </span>
        }
        actions={
          <>
            <Link to={`/library?doc=${d.id}`} className="btn-secondary">
              在段落库中查看
            </Link>
            {access === "full" ? (
              <a href={`/library/documents/${d.id}/file`} className="btn-secondary" download>
                下载原文件
              </a>
            ) : null}
          </>
        }
      />
      {params.get("imported") ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          导入完成：新增 {s.created} 段，关联已有段落 {s.linked} 处，更新 {s.updated} 段，未导入 {s.skipped} 段。
        </div>
      ) : null}
      {hidden ? (
        <p role="note" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          这封答复函所答复的提案不在您的查看范围内，且未公开：只显示文号，主送、案由和原文件不显示。
        </p>
      ) : access === "public" ? (
        <p role="note" className="mb-4 rounded border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          这封答复函所答复的提案不在您的查看范围内；答复已公开，这里按公开文本显示（隐去的内容显示为 ■）。原文件印有承办人姓名和联系电话，不提供下载。
        </p>
      ) : null}
      <section className="card mb-5">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm md:grid-cols-[8rem_1fr]">
          <dt className="text-slate-500">类型</dt>
          <dd>{DOCUMENT_KIND_LABELS[d.kind]}</dd>
          <dt className="text-slate-500">文件</dt>
          <dd>
            {d.fileName ?? "（不显示）"}
            <span className="ml-2 text-xs text-slate-500">
              {Math.ceil(d.size / 1024)} KB · {d.encoding === "docx" ? "Word 文档" : `文本（${d.encoding}）`} · SHA-256 {d.sha256.slice(0, 12)}…
            </span>
          </dd>
          {d.letterFrame?.addressee ? (
            <>
              <dt className="text-slate-500">主送</dt>
              <dd>{d.letterFrame.addressee}</dd>
            </>
          ) : null}
          {d.letterFrame?.caseTitle ? (
            <>
              <dt className="text-slate-500">案由</dt>
              <dd>
                《{d.letterFrame.caseTitle}》
                {d.proposalId ? (
                  <Link to={`/proposals/${d.proposalId}`} className="ml-2">
                    第{d.proposalNumber}号提案
                  </Link>
                ) : null}
              </dd>
            </>
          ) : null}
          <dt className="text-slate-500">资料截至</dt>
          <dd>{d.asOf ?? "未填写"}</dd>
          <dt className="text-slate-500">导入</dt>
          <dd>
            {dateTime(d.importedAt)} · {d.importedByName ?? "系统"}：新增 {s.created} 段，关联 {s.linked} 处，更新 {s.updated} 段，未导入 {s.skipped} 段
          </dd>
        </dl>
      </section>
      <section aria-labelledby="drawn-heading">
        <h2 id="drawn-heading" className="mb-2 text-lg font-semibold">
          {d.kind === "letter" ? "本函引用的段落" : "本文件中已在库的其他段落（关联或更新）"}
        </h2>
        {used.length === 0 ? (
          <p className="card text-sm text-slate-500">{d.kind === "letter" ? "没有记录。" : "本文件的段落均为新入库段落，见“在段落库中查看”。"}</p>
        ) : (
          <ScrollArea label="段落（表格）" className="card p-0">
            <table className="table-base">
              <thead>
                <tr>
                  <th scope="col">所在部分</th>
                  <th scope="col">段落</th>
                  <th scope="col">版本</th>
                  <th scope="col">方式</th>
                </tr>
              </thead>
              <tbody>
                {used.map((u) => (
                  <tr key={u.key}>
                    <td>{u.section ?? "—"}</td>
                    <td>
                      <Link to={`/library/${u.paragraphId}`}>{u.title}</Link>
                      {u.status === "retired" ? <StateBadge label={PARAGRAPH_STATUS_LABELS.retired} tone="red" /> : null}
                      {u.origin === "created" ? (
                        <span className="ml-2 text-xs text-slate-500">{d.kind === "letter" ? "由本函导入" : "由本文件导入"}</span>
                      ) : u.origin === "updated" ? (
                        <span className="ml-2 text-xs text-blue-800">{d.kind === "letter" ? "据本函更新" : "据本文件更新"}</span>
                      ) : (
                        <span className="ml-2 text-xs text-green-800">复用库中段落</span>
                      )}
                    </td>
                    <td className="whitespace-nowrap">
                      第 {u.versionNumber} 版{u.currentVersion > u.versionNumber ? <span className="text-xs text-slate-500">（当前第 {u.currentVersion} 版）</span> : null}
                    </td>
                    <td className="whitespace-nowrap">{u.mode === "updated" ? "更新为新版本" : USE_MODE_LABELS[u.mode]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
      </section>
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
