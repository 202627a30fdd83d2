/** /public — the published replies (主动公开, after 公开), searchable; no sign-in. */
import { data, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getDb } from "#db/client.server";
import { formatLetterDate, isValidIsoDate } from "~/domain/letter";
import { PUBLIC_QUERY_MAX, publicFiltersSchema, publicReplyPath, queryWasCut } from "~/domain/public-filters";
import { publicCacheHeaders } from "~/http/public-cache.server";
import { listPublishedReplies, publicFacets, underPublicStamp, withRegisteredMeeting } from "~/models/public-reply.server";
import { Pager } from "~/ui/layout";
import { PublicErrorBoundary, PublicLayout } from "~/ui/public-layout";
import { ScrollArea } from "~/ui/scroll-area";

const PAGE_SIZE = 20;

export const meta: MetaFunction = () => [{ title: "政协提案答复公开 · 东莞市工业和信息化局" }];

export const links: LinksFunction = () => [{ rel: "alternate", type: "application/atom+xml", title: "政协提案答复公开（Atom）", href: "/public/feed.atom" }];

// Revalidated on every request (ETag): a withdrawal shows at once, an unchanged list costs a 304.
export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => errorHeaders ?? loaderHeaders;

/** Reads only the database and the address, writes nothing: kept as rendered for visitors without a session (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const cache = await publicCacheHeaders(request);
  // Public page: the only input is the query string, validated here.
  const db = await getDb();
  const query = await withRegisteredMeeting(db, publicFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams)));
  const [result, facets] = await Promise.all([
    underPublicStamp(db, `list:${PAGE_SIZE}:${JSON.stringify(query)}`, () => listPublishedReplies(db, { ...query, pageSize: PAGE_SIZE })),
    underPublicStamp(db, "facets", () => publicFacets(db)),
  ]);
  return data({ ...result, query, facets, queryCut: queryWasCut(new URL(request.url).searchParams.get("q")) }, { headers: cache });
}

const dateText = (iso: string | null) => (iso && isValidIsoDate(iso) ? formatLetterDate(iso, "arabic") : "");

export default function PublicReplies() {
  const { rows, total, pageCount, query, facets, queryCut } = useLoaderData<typeof loader>();
  const filtered = Boolean(query.q || query.year || query.meeting || query.topic);
  const [params] = useSearchParams();
  return (
    <PublicLayout>
      <h1 className="mb-1 text-xl font-semibold text-slate-900">政协提案答复</h1>
      <p className="mb-4 text-sm text-slate-600">{filtered ? `符合条件的答复：${total} 件` : `共 ${total} 件已公开的答复`}</p>
      <Form method="get" role="search" className="mb-2 flex flex-wrap items-end gap-2">
        <label htmlFor="q" className="sr-only">
          搜索答复
        </label>
        {/* the box holds what the list takes: a pasted reply built an address past the server's limit (414); queryCut remains for a typed address */}
        <input
          id="q"
          name="q"
          maxLength={PUBLIC_QUERY_MAX}
          defaultValue={query.q ?? ""}
          placeholder="提案号、案由、文号或答复内容"
          className="input min-w-[14em] max-w-md flex-1"
        />
        <FilterSelect name="year" label="年度" all="全部年度" value={query.year} options={facets.years.map((y) => ({ value: String(y), label: `${y}年` }))} />
        <FilterSelect name="meeting" label="会议" all="全部会议" value={query.meeting} options={facets.meetings.map((m) => ({ value: m, label: m }))} />
        <FilterSelect name="topic" label="主题" all="全部主题" value={query.topic} options={facets.topics.map((t) => ({ value: t, label: t }))} />
        <button type="submit" className="btn-primary">
          搜索
        </button>
        {filtered ? (
          <Link to="/public" className="btn-secondary">
            清除
          </Link>
        ) : null}
      </Form>
      {queryCut ? (
        <p role="status" className="mb-2 text-sm text-amber-900">
          搜索词超过 {PUBLIC_QUERY_MAX} 个字，只按前 {PUBLIC_QUERY_MAX} 个字搜索。
        </p>
      ) : null}
      <p className="mb-4 text-sm text-slate-600">
        订阅：
        <a className="underline" href="/public/feed.atom">
          Atom 订阅源
        </a>{" "}
        · 开放数据：
        <a className="underline" href="/public/replies.json">
          JSON
        </a>
        （文号、会议、提案号、案由、日期、全文和链接）
      </p>
      {/* relative: the header's screen-reader-only 下载 is absolutely placed, and widened the phone page past its container */}
      <ScrollArea label="答复列表（表格）" className="card relative p-0">
        <table className="table-base">
          <thead>
            <tr>
              <th scope="col">会议</th>
              <th scope="col">提案号</th>
              <th scope="col">案由</th>
              <th scope="col">文号</th>
              {/* the date the letter bears (its 成文日期): the day it was sent is internal (a review: two figures under one name) */}
              <th scope="col">成文日期</th>
              <th scope="col">
                <span className="sr-only">下载</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={6} className="py-8 text-center text-slate-500">
                  {/* past the end: the pager below says which pages there are, with the way back */}
                  {total > 0 ? "这一页没有答复：见下方的页码。" : filtered ? "没有找到符合条件的答复。" : "目前还没有公开的答复。"}
                </td>
              </tr>
            ) : (
              rows.map((r) => (
                <tr key={`${r.id}-${r.round}`}>
                  <td className="min-w-[7em] text-sm text-slate-600">{r.meeting}</td>
                  <td className="whitespace-nowrap">第{r.number}号</td>
                  <td className="min-w-[10em]">
                    <Link to={publicReplyPath(r)}>{r.title}</Link>
                    {/* after 再办理 both replies are listed: this one was answered again */}
                    {r.latest ? null : <span className="ml-1 whitespace-nowrap text-xs text-slate-500">（再办理前的答复）</span>}
                  </td>
                  <td className="whitespace-nowrap">{r.documentNumber}</td>
                  <td className="whitespace-nowrap">{dateText(r.date)}</td>
                  <td className="whitespace-nowrap">
                    <a href={publicReplyPath(r, ".docx")} download aria-label={`下载第${r.number}号提案答复${r.documentNumber ? `（${r.documentNumber}）` : ""}（Word）`}>
                      Word
                    </a>
                  </td>
                </tr>
              ))
            )}
          </tbody>
        </table>
      </ScrollArea>
      <Pager page={query.page} pageCount={pageCount} params={params} />
    </PublicLayout>
  );
}

/** A filter of the public list: a select with a visually hidden label and an "all" choice. */
function FilterSelect(p: { name: string; label: string; all: string; value: string | number | undefined; options: { value: string; label: string }[] }) {
  return (
    <>
      <label htmlFor={p.name} className="sr-only">
        {p.label}
      </label>
      <select id={p.name} name={p.name} defaultValue={p.value ?? ""} className="input w-auto">
        <option value="">{p.all}</option>
        {/* a filter in effect with nothing published under it (a year, a 会议) is shown, not 全部 */}
        {p.value !== undefined && p.value !== "" && !p.options.some((o) => o.value === String(p.value)) ? (
          <option value={String(p.value)}>{p.name === "year" ? `${p.value}年` : p.value}</option>
        ) : null}
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </>
  );
}

export { PublicErrorBoundary as ErrorBoundary };
