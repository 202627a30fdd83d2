/** 段落库: ranked Chinese search with highlights, filters by tag / source / status, staleness flags. */
import { proofreadCounts } from "~/domain/proofread-draft";
import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { audit } from "~/models/audit.server";
import { visibilityFor } from "~/models/access.server";
import { requirePermission, requireUser } from "~/auth/session.server";
import { DEFAULT_STALE_AFTER_DAYS, PARAGRAPH_STATUS_LABELS, PARAGRAPH_STATUSES } from "~/domain/library";
import { may } from "~/domain/permissions";
import { searchParagraphs } from "~/models/library-search.server";
import { getStaleAfterDays, setStaleAfterDays } from "~/models/paragraph.server";
import { documentsNamedByNumber, hiddenDocumentTitle, listLibraryDocuments, listLibraryTags } from "~/models/library-document.server";
import { getFormProps } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { useClientLinks } from "~/ui/client-links";
import { useZodForm } from "~/ui/zod-form";
import { TextField } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { ParagraphCard } from "~/ui/library";
import { readForm } from "~/http/form.server";
import { queryOf } from "~/domain/query-params";

const PAGE_SIZE = 20;
/** The longest search the library takes; the box holds no more, so a pasted page never builds an address the server refuses (414). */
const QUERY_MAX = 100;

const filtersSchema = z.object({
  q: z
    .string()
    .optional()
    .transform((s) => s?.slice(0, QUERY_MAX).trim() ?? ""),
  tag: z
    .string()
    .optional()
    .transform((s) => s?.slice(0, 20).trim() || undefined),
  doc: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
  status: z
    .enum([...PARAGRAPH_STATUSES, "all"])
    .catch("active")
    .default("active"),
  page: z.coerce.number().int().min(1).max(10_000).catch(1).default(1),
  more: z.coerce.number().int().min(0).max(4).catch(0).default(0),
});

/** 时效提醒设置 (conform turns the typed text into a number; text that is not one is refused as such) */
const settingsSchema = z.object({
  staleAfterDays: z
    .number({ error: (i) => (i.input === undefined ? "请填写天数" : "请填写整数天数") })
    .int("请填写整数天数")
    .min(30, "不能少于 30 天")
    .max(3650, "不能超过 3650 天"),
});

export const meta: MetaFunction = () => [{ title: "段落库 · 提案答复系统" }];

/** Reads only the database, the user, the address and the date, writes nothing: may be kept as rendered (app/http/page-cache.server.ts). */
export const handle = { pageCache: true };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const raw = queryOf(request.url);
  const filters = filtersSchema.parse(raw);
  const db = await getDb();
  const [staleAfterDays, vis] = await Promise.all([getStaleAfterDays(db), visibilityFor(db, user)]);
  const { scope } = vis;
  const limit = filters.q ? PAGE_SIZE * (1 + filters.more) : PAGE_SIZE;
  const [result, tags, allDocuments] = await Promise.all([
    searchParagraphs(db, {
      q: filters.q,
      tag: filters.tag,
      documentId: filters.doc,
      status: filters.status,
      limit,
      page: filters.page,
      today: new Date(),
      staleAfterDays,
      withBody: true,
      ...scope,
    }),
    listLibraryTags(db),
    listLibraryDocuments(db),
  ]);
  // a past letter whose proposal this reader may not open: its 文号 only (decision 009)
  const hidden = await documentsNamedByNumber(db, vis);
  const documents = allDocuments.map((d) => (hidden.has(d.id) ? { ...d, title: hiddenDocumentTitle(d), summary: null } : d));
  // Each paragraph's 公文校对, so an error is fixed once here instead of spreading through reuse.
  const rows = result.rows.map(({ body, ...r }) => ({ ...r, proofread: proofreadCounts(typeof body === "string" ? body : null) }));
  return { ...result, rows, limit, filters, tags, documents, staleAfterDays, canEdit: may(user, "library.edit") };
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "library.edit");
  const submission = parseWithZod(await readForm(request), { schema: settingsSchema });
  if (submission.status !== "success") return data({ result: submission.reply(), saved: false }, { status: 400 });
  const { staleAfterDays } = submission.value;
  const db = await getDb();
  await db.transaction((tx) => setStaleAfterDays(tx, staleAfterDays));
  await audit(request, { actor: user, action: "library_changed", target: "段落库时效提醒", detail: `资料超过 ${staleAfterDays} 天提醒更新` });
  // the form shows the value saved (from the loader), not the last typed one
  return { result: submission.reply({ resetForm: true }), saved: true };
}

export default function Library() {
  const { rows, total, terms, strategy, ms, limit, filters, tags, documents, staleAfterDays, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state !== "idle";
  const clientLinks = useClientLinks<HTMLOListElement>();
  const [settingsForm, settings] = useZodForm(settingsSchema, { id: "stale-settings", lastResult: actionData?.result });
  // refused by the server: the section opens on the refusal (a check in the browser happens inside it already open)
  const refused = actionData?.saved === false;
  const href = (patch: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) next.delete(k);
      else next.set(k, v);
    }
    return `/library?${next}`;
  };
  const searching = strategy !== "none";
  const pageCount = total !== null ? Math.max(1, Math.ceil(total / limit)) : 1;
  return (
    <>
      <PageHeader
        title="段落库"
        subtitle="答复常用的政策段落：可检索、有版本、可追溯引用情况。"
        actions={
          canEdit ? (
            <Link to="/library/import" className="btn-primary">
              导入文件
            </Link>
          ) : null
        }
      />
      <Form method="get" role="search" className="no-print mb-4 grid grid-cols-2 gap-3 md:grid-cols-6">
        <div className="col-span-2 md:col-span-3">
          <label htmlFor="q" className="mb-1 block text-sm font-medium text-slate-700">
            搜索
          </label>
          <input
            id="q"
            name="q"
            type="search"
            maxLength={QUERY_MAX}
            defaultValue={filters.q}
            placeholder="例如：专精特新、科技成果转化（多个词用空格分隔）"
            className="input"
            autoFocus={!filters.q}
          />
        </div>
        <div>
          <label htmlFor="tag" className="mb-1 block text-sm font-medium text-slate-700">
            标签
          </label>
          <select id="tag" name="tag" defaultValue={filters.tag ?? ""} className="input">
            <option value="">全部标签</option>
            {tags.map((t) => (
              <option key={t.tag} value={t.tag}>
                {t.tag}（{t.count}）
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="doc" className="mb-1 block text-sm font-medium text-slate-700">
            来源文件
          </label>
          <select id="doc" name="doc" defaultValue={filters.doc ? String(filters.doc) : ""} className="input">
            <option value="">全部来源</option>
            {documents.map((d) => (
              <option key={d.id} value={d.id}>
                {(d.letterNumber ?? d.title).slice(0, 40)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="status" className="mb-1 block text-sm font-medium text-slate-700">
            状态
          </label>
          <select id="status" name="status" defaultValue={filters.status} className="input">
            {PARAGRAPH_STATUSES.map((s) => (
              <option key={s} value={s}>
                {PARAGRAPH_STATUS_LABELS[s]}
              </option>
            ))}
            <option value="all">全部</option>
          </select>
        </div>
        <div className="col-span-2 flex items-center gap-2 md:col-span-6">
          {/* shrink-0: on a phone the note beside them squeezed the buttons to a character a line */}
          <button type="submit" className="btn-primary shrink-0" disabled={busy}>
            搜索
          </button>
          <Link to="/library" className="btn-secondary shrink-0">
            清除
          </Link>
          <span className="text-xs text-slate-500">中文按字检索，忽略空格和标点；多个词须同时出现。</span>
        </div>
      </Form>

      <p className="mb-3 text-sm text-slate-600" role="status">
        {searching
          ? rows.length === 0
            ? `没有找到包含“${terms.join("”“")}”的段落。`
            : `按相关度列出前 ${rows.length} 段（用时 ${Math.max(1, Math.round(ms))} 毫秒）。`
          : `共 ${total} 段${filters.tag || filters.doc || filters.status !== "active" ? "（已筛选）" : ""}，按更新时间排列。`}
      </p>

      <ol className="space-y-3" ref={clientLinks}>
        {rows.map((r, i) => (
          <ParagraphCard key={r.id} row={r} rank={searching ? i + 1 : undefined} tagHref={(t) => href({ tag: t, page: null })} />
        ))}
      </ol>

      {searching && rows.length >= limit && filters.more < 4 ? (
        <p className="mt-3">
          <Link to={href({ more: String(filters.more + 1) })} className="btn-secondary">
            显示更多结果
          </Link>
        </p>
      ) : null}
      {!searching && pageCount > 1 ? (
        <nav aria-label="分页" className="no-print mt-3 flex items-center gap-3 text-sm">
          {filters.page > 1 ? <Link to={href({ page: String(filters.page - 1) })}>上一页</Link> : <span className="text-slate-500">上一页</span>}
          <span>
            第 {filters.page} / {pageCount} 页
          </span>
          {filters.page < pageCount ? <Link to={href({ page: String(filters.page + 1) })}>下一页</Link> : <span className="text-slate-500">下一页</span>}
        </nav>
      ) : null}

      {canEdit ? (
        <details className="no-print card mt-6" open={refused}>
          <summary className="cursor-pointer text-sm font-medium">时效提醒设置</summary>
          <Form method="post" {...getFormProps(settingsForm)} className="mt-3 flex flex-wrap items-end gap-3">
            <TextField
              label="资料截至日期超过多少天即提醒"
              name="staleAfterDays"
              type="number"
              defaultValue={refused ? String(settings.staleAfterDays.initialValue ?? "") : String(staleAfterDays)}
              error={settings.staleAfterDays.errors?.[0]}
              hint={`默认 ${DEFAULT_STALE_AFTER_DAYS} 天。另外，文中数据年份早于去年、或目标年份已过的段落也会提醒。`}
            />
            <button type="submit" className="btn-secondary">
              保存
            </button>
            {actionData?.saved ? (
              <span role="status" className="text-sm text-green-800">
                已保存。
              </span>
            ) : null}
          </Form>
        </details>
      ) : null}
    </>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
