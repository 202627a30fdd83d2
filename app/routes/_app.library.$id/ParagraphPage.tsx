/** /library/:id — one library paragraph: current text, edit (a new version), versions with diffs, retire, where used. */
import { getFormProps } from "@conform-to/react";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { paragraphEditSchema } from "~/domain/paragraph-form";
import { HIDDEN_LETTER_LABEL, PARAGRAPH_KIND_LABELS, PARAGRAPH_STATUS_LABELS, USE_MODE_LABELS } from "~/domain/library";
import { formatTime } from "~/ui/datetime";
import { DateField, FormError, SelectField, TextArea, TextField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import { DiffText, ParagraphBody, StaleFlag } from "~/ui/library";
import { FindingItem } from "~/ui/proofread";
import { useZodForm } from "~/ui/zod-form";
import type { action, loader } from "./paragraph.server";
import { ScrollArea } from "~/ui/scroll-area";

const dateTime = (d: string | Date) => formatTime(d, "minute");

export default function ParagraphPage() {
  const { paragraph: p, versions, uses, outdated, diff, stale, owners, canEdit, proofread } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const editing = canEdit && (params.get("edit") === "1" || Boolean(actionData));
  const letterUses = uses.filter((u) => u.inLetter);
  const appearances = uses.filter((u) => !u.inLetter);
  const [form, fields] = useZodForm(paragraphEditSchema, {
    lastResult: actionData?.result,
    defaultValue: { title: p.title, body: p.body, tags: p.tags.join("、"), asOf: p.asOf ?? "", ownerId: p.ownerId ?? "", note: "" },
  });
  return (
    <>
      <PageHeader
        title={p.title}
        subtitle={
          <span className="flex flex-wrap items-center gap-2">
            <span>段落 #{p.id}</span>
            <span>第 {p.version} 版</span>
            <StateBadge label={PARAGRAPH_STATUS_LABELS[p.status]} tone={p.status === "active" ? "green" : "red"} />
            {p.kind !== "paragraph" ? <StateBadge label={PARAGRAPH_KIND_LABELS[p.kind]} /> : null}
            <span>答复函引用 {letterUses.length} 次</span>
          </span>
        }
        actions={
          <>
            <Link to="/library" className="btn-secondary">
              返回段落库
            </Link>
            {canEdit && !editing ? (
              <Link to="?edit=1" className="btn-primary">
                修改
              </Link>
            ) : null}
            {canEdit ? (
              <Form method="post">
                <input type="hidden" name="intent" value={p.status === "active" ? "retire" : "activate"} />
                <button type="submit" className={p.status === "active" ? "btn-danger" : "btn-secondary"} disabled={busy}>
                  {p.status === "active" ? "停用" : "恢复使用"}
                </button>
              </Form>
            ) : null}
          </>
        }
      />
      {params.get("saved") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          已保存为第 {p.version} 版。已使用旧版本的答复函不受影响。
        </div>
      ) : null}
      {params.get("unchanged") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-slate-300 bg-slate-50 px-3 py-2 text-sm text-slate-700">
          内容没有变化，未生成新版本。
        </div>
      ) : null}
      {params.get("retired") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          段落已停用：不再出现在检索和推荐中（选择“已停用”状态仍可查到），已有的引用记录保留。
        </div>
      ) : null}
      {params.get("activated") && !actionData ? (
        <div role="status" className="mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          段落已恢复使用。
        </div>
      ) : null}
      <StaleFlag reasons={stale} />

      {editing ? (
        <Form method="post" {...getFormProps(form)} className="card mb-5 space-y-4">
          <h2 className="text-lg font-semibold">修改段落（保存后生成第 {p.version + 1} 版）</h2>
          <FormError message={form.errors?.[0]} />
          <input type="hidden" name="version" value={actionData?.seen?.version ?? p.version} />
          <input type="hidden" name="ownerSeen" value={actionData?.seen?.ownerSeen ?? p.ownerId ?? ""} />
          <TextField label="标题" name="title" required defaultValue={fields.title.initialValue} error={fields.title.errors?.[0]} />
          <TextArea label="正文" name="body" required rows={10} defaultValue={fields.body.initialValue} error={fields.body.errors?.[0]} />
          <div className="grid gap-4 md:grid-cols-3">
            <TextField label="标签" name="tags" defaultValue={fields.tags.initialValue} error={fields.tags.errors?.[0]} hint="用顿号、逗号或空格分隔" />
            <DateField label="资料截至" name="asOf" defaultValue={fields.asOf.initialValue} error={fields.asOf.errors?.[0]} hint="文中事实和数据所截止的日期" />
            <SelectField
              label="负责人"
              name="ownerId"
              defaultValue={fields.ownerId.initialValue}
              placeholder="（无）"
              // An owner who has since left (disabled, or no longer a library editor) stays selected:
              // saving a text edit must not clear it unasked.
              options={[
                ...owners.map((o) => ({ value: o.id, label: o.displayName })),
                ...(p.ownerId && !owners.some((o) => o.id === p.ownerId) ? [{ value: p.ownerId, label: `${p.ownerName ?? "原负责人"}（已停用或无编辑权限）` }] : []),
              ]}
              error={fields.ownerId.errors?.[0]}
            />
          </div>
          <TextField label="修改说明" name="note" defaultValue={fields.note.initialValue} error={fields.note.errors?.[0]} hint="可选，例如：更新为 2023 年数据" />
          <div className="flex gap-2">
            <button type="submit" className="btn-primary" disabled={busy}>
              保存为新版本
            </button>
            <Link to={`/library/${p.id}`} className="btn-secondary">
              取消
            </Link>
          </div>
        </Form>
      ) : (
        <section className="card mb-5" aria-label="当前内容">
          {p.lead ? (
            <p className="mb-1 text-sm">
              <span className="font-semibold">{p.lead.text}</span>
              <span className="ml-2 text-xs text-slate-500">
                {(p.lead as { standalone?: boolean }).standalone ? "单独成行的标题" : "行内标题"}（{p.lead.level === 1 ? "一级" : "二级"}），插入答复稿时一并插入
              </span>
            </p>
          ) : null}
          <ParagraphBody kind={p.kind} body={p.body} />
          {proofread.length ? (
            <section aria-label="段落校对" className="mt-3">
              <h3 className="mb-1 text-sm font-medium text-slate-700">校对：{proofread.length} 处（修改本段后，今后插入答复稿的都是改正后的文字）</h3>
              <ul className="space-y-1">
                {proofread.map((f) => (
                  <FindingItem key={`${f.rule}:${f.offset}`} f={{ ...f, part: "body", blockId: null, blockIndex: null }} canFix={false} busy={false} />
                ))}
              </ul>
            </section>
          ) : null}
          <dl className="mt-4 grid grid-cols-1 gap-x-6 gap-y-2 border-t border-slate-100 pt-3 text-sm md:grid-cols-[7rem_1fr]">
            {p.annotation ? (
              <>
                <dt className="text-slate-500">责任单位</dt>
                <dd>
                  {p.annotation}
                  <span className="ml-2 text-xs text-slate-500">（原文中的分工标注，插入答复稿时不插入）</span>
                </dd>
              </>
            ) : null}
            <dt className="text-slate-500">标签</dt>
            <dd>{p.tags.length ? p.tags.join("、") : "—"}</dd>
            <dt className="text-slate-500">来源</dt>
            <dd>
              {p.sourceDocumentId ? <Link to={`/library/documents/${p.sourceDocumentId}`}>{p.sourceLetterNumber ?? p.sourceDocumentTitle}</Link> : "手工录入"}
              {p.sourceSection ? <span className="ml-2 text-slate-500">{p.sourceSection}</span> : null}
            </dd>
            <dt className="text-slate-500">资料截至</dt>
            <dd>{p.asOf ?? "未填写"}</dd>
            <dt className="text-slate-500">负责人</dt>
            <dd>{p.ownerName ?? "—"}</dd>
            <dt className="text-slate-500">更新时间</dt>
            <dd>{dateTime(p.updatedAt)}</dd>
          </dl>
        </section>
      )}

      {outdated.length ? (
        <section className="mb-5 rounded border border-amber-300 bg-amber-50 p-4 text-sm" aria-labelledby="outdated-heading">
          <h2 id="outdated-heading" className="mb-1 font-semibold text-amber-900">
            待更新的草稿（{outdated.length}）
          </h2>
          <p className="mb-2 text-amber-900">以下答复草稿使用的是本段的旧版本；承办人在起草页面可查看差异并选择是否更新。已签发的答复函不受影响。</p>
          <ul className="list-disc pl-5">
            {outdated.map((u) => (
              <li key={u.id}>
                {u.letterNumber ?? `答复草稿 #${u.letterRevisionId}`}
                {u.proposalId ? (
                  <>
                    {"（"}
                    <Link to={`/proposals/${u.proposalId}`}>查看提案</Link>
                    {"）"}
                  </>
                ) : null}
                ：使用第 {u.versionNumber} 版，当前为第 {u.currentVersion} 版
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section className="mb-5" aria-labelledby="uses-heading">
        <h2 id="uses-heading" className="mb-2 text-lg font-semibold">
          引用情况
          <span className="ml-2 text-sm font-normal text-slate-500">共 {letterUses.length} 次，每份答复函保留其引用时的版本</span>
        </h2>
        {letterUses.length === 0 ? (
          <p className="card text-sm text-slate-500">尚未被答复函引用。</p>
        ) : (
          <ScrollArea label="引用本段的答复函（表格）" className="card p-0">
            <table className="table-base" aria-label="引用本段的答复函">
              <thead>
                <tr>
                  <th scope="col">答复函</th>
                  <th scope="col">提案</th>
                  <th scope="col">所在部分</th>
                  <th scope="col">版本</th>
                  <th scope="col">方式</th>
                  <th scope="col">时间</th>
                </tr>
              </thead>
              <tbody>
                {letterUses.map((u) => (
                  <tr key={u.id}>
                    <td className="whitespace-nowrap">
                      {u.documentId ? (
                        <Link to={`/library/documents/${u.documentId}`}>{u.letterNumber ?? u.documentTitle ?? HIDDEN_LETTER_LABEL}</Link>
                      ) : (
                        (u.letterNumber ?? `答复草稿 #${u.letterRevisionId}`)
                      )}
                      {!u.frozen ? <StateBadge label="草稿" tone="blue" /> : null}
                    </td>
                    <td>
                      {u.proposalId ? <Link to={`/proposals/${u.proposalId}`}>第{u.proposalNumber}号</Link> : u.hidden ? <span className="text-slate-500">无权查看</span> : "—"}
                    </td>
                    <td>{u.section ?? "—"}</td>
                    <td className="whitespace-nowrap">
                      第 {u.versionNumber} 版{u.outdated ? <span className="ml-1 text-amber-800">（有新版本）</span> : null}
                    </td>
                    <td className="whitespace-nowrap">
                      {USE_MODE_LABELS[u.mode]}
                      {u.mode === "edited" && u.text ? (
                        <details className="mt-1">
                          <summary className="cursor-pointer text-xs text-blue-800">查看函中文字</summary>
                          <p className="mt-1 max-w-xl whitespace-pre-wrap text-xs leading-5 text-slate-700">{u.text}</p>
                        </details>
                      ) : null}
                    </td>
                    <td className="whitespace-nowrap">{u.letterDate ? `${u.letterDate}（成文）` : dateTime(u.usedAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollArea>
        )}
        {appearances.length ? (
          <p className="mt-2 text-sm text-slate-600">
            也出现在：
            {appearances.map((u, i) => (
              <span key={u.id}>
                {i > 0 ? "；" : null}
                <Link to={`/library/documents/${u.documentId}`}>《{u.documentTitle}》</Link>
                {u.mode === "edited" ? "（文字略有不同）" : null}
              </span>
            ))}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="versions-heading">
        <h2 id="versions-heading" className="mb-2 text-lg font-semibold">
          版本历史
        </h2>
        {diff ? (
          <div className="card mb-3" id="diff">
            <h3 className="mb-2 font-medium">
              第 {diff.from} 版 → 第 {diff.to} 版的变化
            </h3>
            {diff.title ? (
              <p className="mb-1 text-sm">
                标题：<del className="text-red-700">{diff.title.from}</del> → <ins className="text-green-800 no-underline">{diff.title.to}</ins>
              </p>
            ) : null}
            {diff.tags ? (
              <p className="mb-1 text-sm">
                标签：<del className="text-red-700">{diff.tags.from || "（无）"}</del> → <ins className="text-green-800 no-underline">{diff.tags.to || "（无）"}</ins>
              </p>
            ) : null}
            {diff.asOf ? (
              <p className="mb-1 text-sm">
                资料截至：<del className="text-red-700">{diff.asOf.from ?? "（无）"}</del> → <ins className="text-green-800 no-underline">{diff.asOf.to ?? "（无）"}</ins>
              </p>
            ) : null}
            <DiffText parts={diff.body} />
          </div>
        ) : null}
        <ol className="card space-y-2 p-0">
          {versions.map((v) => (
            <li key={v.id} className="flex flex-wrap items-baseline gap-x-3 border-b border-slate-100 px-4 py-2 text-sm last:border-0">
              <span className="font-medium">第 {v.number} 版</span>
              {v.number === p.version ? <StateBadge label="当前" tone="green" /> : null}
              <time className="text-slate-500">{dateTime(v.createdAt)}</time>
              <span>{v.authorName ?? "系统"}</span>
              {v.note ? <span className="text-slate-600">{v.note}</span> : null}
              {v.number > 1 ? (
                <Link to={`?from=${v.number - 1}&to=${v.number}#diff`} className="ml-auto">
                  与第 {v.number - 1} 版比较
                </Link>
              ) : null}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}
