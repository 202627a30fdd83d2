/** /library/import — the import's two steps: choose a file (or paste), then edit the plan. */
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import {
  DOCUMENT_KIND_LABELS,
  DUPLICATE_KIND_LABELS,
  IMPORT_ACTION_LABELS,
  IMPORT_ACTIONS,
  PARAGRAPH_KIND_LABELS,
  splitPoints,
  updateTarget,
  type ImportAction,
} from "~/domain/library";
import { DateField, FileField, FormError, SelectField, TextArea, TextField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import type { action } from "./import.server";

export default function ImportLibrary() {
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // 处理方式 as changed on the page since the plan came, for the counts above (a new plan starts afresh).
  const [chosen, setChosen] = useState<{ plan: unknown; at: Record<number, ImportAction> }>({ plan: result, at: {} });
  if (!result || result.stage === "upload") {
    return (
      <>
        <PageHeader title="导入段落" subtitle="第一步：选择政策文件或已发出的答复函。系统会接好分页和换行断开的句子、保留标题层级，并查出库中已有的段落。" />
        <Form method="post" encType="multipart/form-data" className="card space-y-4" noValidate>
          <FormError message={result?.formError} />
          {result?.existingId ? (
            <p className="text-sm">
              <Link to={`/library/documents/${result.existingId}`}>查看已导入的文件</Link>
            </p>
          ) : null}
          <FileField
            label="文件"
            name="file"
            accept=".txt,.md,.docx,text/plain,text/markdown,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            error={result?.errors.file}
            hint="支持纯文本（UTF-8 或 GBK）、Markdown 和 Word（.docx）"
          />
          <TextArea label="或直接粘贴文字" name="pasted" rows={8} error={result?.errors.pasted} placeholder="将政策文件或答复函的正文粘贴到这里" />
          <SelectField
            label="类型"
            name="kind"
            defaultValue="auto"
            options={[
              { value: "auto", label: "自动识别" },
              { value: "policy", label: DOCUMENT_KIND_LABELS.policy },
              { value: "letter", label: DOCUMENT_KIND_LABELS.letter },
            ]}
            hint="答复函会识别发文字号、提案号和落款，只把正文段落作为候选"
          />
          <div className="flex gap-2">
            <button type="submit" name="intent" value="read" className="btn-primary" disabled={busy}>
              {busy ? "正在读取…" : "读取并拆分段落"}
            </button>
            <Link to="/library" className="btn-secondary">
              取消
            </Link>
          </div>
        </Form>
      </>
    );
  }

  const { source, document: doc, items } = result;
  const errors = result.errors as Record<string, string | undefined>;
  const actionAt = (i: number) => (chosen.plan === result ? chosen.at[i] : undefined) ?? items[i]!.action;
  const counts = Object.fromEntries(IMPORT_ACTIONS.map((a) => [a, items.filter((_, i) => actionAt(i) === a).length])) as Record<ImportAction, number>;
  const onChange = (e: React.FormEvent<HTMLFormElement>) => {
    const field = e.target as HTMLSelectElement;
    const m = /^action-(\d+)$/.exec(field.name);
    if (!m || !(IMPORT_ACTIONS as readonly string[]).includes(field.value)) return;
    const at = { ...(chosen.plan === result ? chosen.at : {}), [Number(m[1])]: field.value as ImportAction };
    setChosen({ plan: result, at });
  };
  const duplicates = items.filter((it) => it.matches.length > 0).length;
  return (
    <>
      <PageHeader
        title="导入段落"
        subtitle={`第二步：检查 ${items.length} 个候选段落（${source.fileName}）。可修改标题和标签，合并或拆分段落，选择每段的处理方式；确认后整份文件一次导入。`}
      />
      <Form method="post" encType="multipart/form-data" noValidate onChange={onChange}>
        <FormError message={result.formError} />
        {source.notes.map((n) => (
          <p key={n} role="note" className="mb-3 rounded border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            {n}
          </p>
        ))}
        <input type="hidden" name="source" value={JSON.stringify(source)} />
        <input type="hidden" name="document" value={JSON.stringify({ kind: doc.kind, letterNumber: doc.letterNumber, frame: doc.frame })} />
        <input type="hidden" name="candidates" value={JSON.stringify(items.map((it) => it.candidate))} />
        <section className="card mb-4 grid gap-4 md:grid-cols-3">
          <TextField label="文件标题" name="title" required defaultValue={doc.title} error={errors.title} className="md:col-span-2" />
          <DateField label="资料截至" name="asOf" defaultValue={doc.asOf ?? ""} error={errors.asOf} hint="段落中数据的截止日期，用于时效提醒" />
          <div className="text-sm md:col-span-3">
            <span className="text-slate-500">类型：</span>
            {DOCUMENT_KIND_LABELS[doc.kind]}
            {doc.letterNumber ? <span className="ml-4">发文字号：{doc.letterNumber}</span> : null}
            {doc.frame?.proposalNumber ? (
              <span className="ml-4">
                提案：{doc.frame.session}第{doc.frame.proposalNumber}号
              </span>
            ) : null}
            <span className="ml-4 text-slate-500" aria-live="polite" data-testid="plan-counts">
              库中已有 {duplicates} 段；将新增 {counts.create} 段、关联 {counts.link} 段、更新 {counts.update} 段、不导入 {counts.skip} 段。
            </span>
          </div>
        </section>
        <ol className="space-y-3">
          {items.map((it, i) => {
            const c = it.candidate;
            const points = splitPoints(c);
            const target = updateTarget(it.matches);
            const seen = it.seen ?? (target ? { paragraphId: target.paragraphId, version: target.version } : null);
            const changed = Boolean(it.seen && (!target || it.seen.paragraphId !== target.paragraphId || it.seen.version !== target.version));
            const actions = IMPORT_ACTIONS.filter((a) => (a !== "link" || it.matches.length > 0) && (a !== "update" || target || it.action === "update"));
            return (
              <li key={`${i}-${c.text.length}-${c.title}`} className={`card ${actionAt(i) === "skip" ? "border-dashed bg-slate-50" : ""}`} data-testid="import-candidate">
                <fieldset>
                  <legend className="flex flex-wrap items-center gap-2 text-sm">
                    <span className="font-semibold">第 {i + 1} 段</span>
                    <StateBadge label={c.kind === "heading" ? "标题" : PARAGRAPH_KIND_LABELS[c.kind]} />
                    {c.headingPath.length ? <span className="text-xs text-slate-500">{c.headingPath.join(" / ")}</span> : null}
                  </legend>
                  {c.notes?.map((n) => (
                    <p key={n} className="mt-1 text-xs text-amber-800">
                      自动修正：{n}
                    </p>
                  ))}
                  <div className="mt-2 grid gap-3 md:grid-cols-[1fr_16rem]">
                    <div>
                      <div className="max-h-48 overflow-auto whitespace-pre-wrap rounded border border-slate-200 bg-slate-50 px-2 py-1.5 text-sm leading-6">
                        {c.lead ? <strong>{c.lead}</strong> : null}
                        {c.text}
                      </div>
                      {it.matches.length ? (
                        <ul className="mt-2 space-y-1 text-sm" aria-label="库中已有的相同或相似段落">
                          {it.matches.map((m) => (
                            <li key={m.paragraphId} className="flex flex-wrap items-center gap-2">
                              <StateBadge label={DUPLICATE_KIND_LABELS[m.kind]} tone={m.kind === "exact" ? "green" : "amber"} />
                              <Link to={`/library/${m.paragraphId}`} target="_blank">
                                #{m.paragraphId} {m.title}
                              </Link>
                              <span className="text-xs text-slate-500">
                                第 {m.version} 版 · 相似度 {Math.round(m.score * 100)}%
                              </span>
                              {m.status === "retired" ? <StateBadge label="已停用" tone="red" /> : null}
                              {m.newFigures.length && (m.kind === "near" || m.kind === "contained") ? (
                                <span className="text-xs text-amber-800">
                                  本段有库中段落没有的数字（{m.newFigures.slice(0, 5).join("、")}
                                  {m.newFigures.length > 5 ? "等" : ""}）：默认导入为新段落
                                  {m.kind === "near" ? "；如是同一段落的新数据，可选“用本段更新库中段落”" : ""}
                                </span>
                              ) : m.reworded ? (
                                <span className="text-xs text-amber-800">
                                  措辞与库中段落不同：默认记为该段落的一次“修改后使用”，库中段落不变；如是该段落的修订，请选“用本段更新库中段落”，如是另一段内容，请选“导入为新段落”
                                </span>
                              ) : null}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </div>
                    <div className="space-y-2">
                      {/* 更新 revises the version the user first saw: if it changes before the import, the import asks again */}
                      {seen ? <input type="hidden" name={`seen-${i}`} value={`${seen.paragraphId}:${seen.version}`} /> : null}
                      {changed ? (
                        <p className="text-xs text-amber-800" role="note">
                          您检查后库中段落已被修改{target ? `（现为第 ${target.version} 版）` : ""}，导入时会提示您重新确认。
                        </p>
                      ) : null}
                      <SelectField label="处理方式" name={`action-${i}`} defaultValue={it.action} options={actions.map((a) => ({ value: a, label: IMPORT_ACTION_LABELS[a] }))} />
                      <TextField label="标题" name={`title-${i}`} defaultValue={it.title} error={errors[`title-${i}`]} />
                      <TextField label="标签" name={`tags-${i}`} defaultValue={it.tags.join("、")} error={errors[`tags-${i}`]} />
                    </div>
                  </div>
                  <div className="mt-2 flex flex-wrap items-end gap-2 border-t border-slate-100 pt-2">
                    {i < items.length - 1 ? (
                      <button type="submit" name="intent" value={`merge:${i}`} className="btn-secondary" disabled={busy}>
                        与下一段合并
                      </button>
                    ) : null}
                    {points.length ? (
                      <>
                        <SelectField label="拆分位置" name={`split-${i}`} options={points.map((p) => ({ value: String(p.offset), label: p.label }))} className="min-w-[14rem]" />
                        <button type="submit" name="intent" value={`split:${i}`} className="btn-secondary" disabled={busy}>
                          拆分
                        </button>
                      </>
                    ) : null}
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="sticky bottom-0 mt-4 flex flex-wrap items-center gap-2 border-t border-slate-200 bg-slate-50 py-3">
          <button type="submit" name="intent" value="import" className="btn-primary" disabled={busy}>
            {busy ? "正在处理…" : "确认导入"}
          </button>
          <button type="submit" name="intent" value="refresh" className="btn-secondary" disabled={busy}>
            按修改后的选择刷新
          </button>
          <Link to="/library/import" className="btn-secondary">
            重新开始
          </Link>
          <span className="text-xs text-slate-500">整份文件一次导入：任何一段出错，都不会写入。</span>
        </div>
      </Form>
    </>
  );
}
