/** /public — the published replies (主动公开, after 公开), searchable; no sign-in. */
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { formatLetterDate, isValidIsoDate } from "~/domain/letter";
import { cleanText } from "~/domain/proposal";
import { listPublishedReplies } from "~/models/public-reply.server";
import { Pager } from "~/ui/layout";
import { PublicErrorBoundary, PublicLayout } from "~/ui/public-layout";

const querySchema = z.object({
  q: z
    .string()
    .max(100)
    .optional()
    .catch(undefined)
    .transform((s) => (s ? cleanText(s) || undefined : undefined)),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
});
const PAGE_SIZE = 20;

export const meta: MetaFunction = () => [{ title: "政协提案答复公开 · 东莞市工业和信息化局" }];

export async function loader({ request }: LoaderFunctionArgs) {
  // Public page: the only input is the query string, validated here.
  const query = querySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const result = await listPublishedReplies(await getDb(), { q: query.q, page: query.page, pageSize: PAGE_SIZE });
  return { ...result, query };
}

const dateText = (iso: string | null) => (iso && isValidIsoDate(iso) ? formatLetterDate(iso, "arabic") : "");

export default function PublicReplies() {
  const { rows, total, pageCount, query } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <PublicLayout>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">政协提案答复</h1>
      <p className="mb-4 text-sm text-slate-600">{query.q ? `“${query.q}”的搜索结果：${total} 件` : `共 ${total} 件已公开的答复`}</p>
      <Form method="get" role="search" className="mb-4 flex flex-wrap gap-2">
        <label htmlFor="q" className="sr-only">
          搜索答复
        </label>
        <input id="q" name="q" defaultValue={query.q ?? ""} placeholder="提案号、案由、文号或答复内容" className="input max-w-md flex-1" />
        <button type="submit" className="btn-primary">
          搜索
        </button>
        {query.q ? (
          <Link to="/public" className="btn-secondary">
            清除
          </Link>
        ) : null}
      </Form>
      <div className="card overflow-x-auto p-0">
        <table className="table-base">
          <thead>
            <tr>
              <th scope="col">会议</th>
              <th scope="col">提案号</th>
              <th scope="col">案由</th>
              <th scope="col">文号</th>
              <th scope="col">答复日期</th>
              <th scope="col">
                <span className="sr-only">下载</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="py-8 text-center text-slate-500">
                  {query.q ? "没有找到符合条件的答复。" : "目前还没有公开的答复。"}
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={r.id}>
                  <td className="text-sm text-slate-600">{r.meeting}</td>
                  <td className="whitespace-nowrap">第{r.number}号</td>
                  <td>
                    <Link to={`/public/${r.id}`}>{r.title}</Link>
                  </td>
                  <td className="whitespace-nowrap">{r.documentNumber}</td>
                  <td className="whitespace-nowrap">{dateText(r.date)}</td>
                  <td className="whitespace-nowrap">
                    <a href={`/public/${r.id}.docx`} download aria-label={`下载第${r.number}号提案答复（Word）`}>
                      Word
                    </a>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <Pager page={query.page} pageCount={pageCount} params={params} />
    </PublicLayout>
  );
}

export { PublicErrorBoundary as ErrorBoundary };
