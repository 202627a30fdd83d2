/** Parts of the proposal page (ProposalPage.tsx): the registered facts with the original, and the history. */
import { Form, type useLoaderData } from "@remix-run/react";
import { EVENT_LABELS } from "~/domain/events";
import { BUREAU_ROLE_LABELS, formatProposers } from "~/domain/proposal";
import { UPLOAD_ACCEPT } from "~/domain/uploads";
import { DISCLOSURE_LABELS, FEEDBACK_LABELS, STATE_LABELS, type ProposalState } from "~/domain/workflow";
import { formatTime } from "~/ui/datetime";
import { FileField } from "~/ui/form";
import { StateBadge } from "~/ui/layout";
import type { loader } from "./proposal.server";

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

export function ProposalFacts({
  proposal: p,
  today,
  signers,
  canEdit,
  uploadError,
  busy,
}: {
  proposal: Data["proposal"];
  today: string;
  signers: number;
  canEdit: boolean;
  uploadError: string | undefined;
  busy: boolean;
}) {
  return (
    <section className="card">
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm md:grid-cols-[7rem_1fr]">
        <dt className="text-slate-500">案由</dt>
        <dd className="font-medium">《{p.title}》</dd>
        <dt className="text-slate-500">提案者</dt>
        <dd>
          {/* "张三、李四等5位委员": the members who signed, not only those named */}
          {formatProposers(p.proposers, p.proposerTotal)}
          {signers > 1 ? <span className="ml-2 text-slate-500">（共 {signers} 位）</span> : null}
        </dd>
        <dt className="text-slate-500">办理方式</dt>
        <dd>{BUREAU_ROLE_LABELS[p.bureauRole]}</dd>
        {p.leadUnit ? (
          <>
            <dt className="text-slate-500">主办单位</dt>
            <dd>{p.leadUnit}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">交办日期</dt>
        <dd>
          {p.assignedOn}
          {p.assignedOn > today ? <span className="ml-2 text-sm text-amber-800">⚠ 晚于今天，请核对</span> : null}
        </dd>
        <dt className="text-slate-500">收到日期</dt>
        <dd>{p.receivedOn ?? "—"}</dd>
        <dt className="text-slate-500">状态</dt>
        <dd>
          <StateBadge label={STATE_LABELS[p.state as ProposalState] ?? p.state} tone="blue" />
          {p.transferredTo ? <span className="ml-2">已调至 {p.transferredTo}</span> : null}
        </dd>
        <dt className="text-slate-500">承办人</dt>
        <dd>
          {p.handlerName ?? "未分派"}
          {p.handlerPhone ? <span className="ml-2 text-slate-500">联系电话 {p.handlerPhone}</span> : null}
        </dd>
        {p.disclosure ? (
          <>
            <dt className="text-slate-500">公开方式</dt>
            <dd>
              {DISCLOSURE_LABELS[p.disclosure]}
              {p.disclosureReason ? <span className="ml-2 text-slate-500">理由：{p.disclosureReason}</span> : null}
            </dd>
          </>
        ) : null}
        {p.repliedOn ? (
          <>
            <dt className="text-slate-500">答复日期</dt>
            <dd>
              {p.repliedOn}
              {p.replyChannel ? `（${p.replyChannel}）` : ""}
            </dd>
          </>
        ) : null}
        {p.feedback ? (
          <>
            <dt className="text-slate-500">提案者意见</dt>
            <dd>{FEEDBACK_LABELS[p.feedback]}</dd>
          </>
        ) : null}
        <dt className="text-slate-500">备注</dt>
        <dd className="whitespace-pre-wrap">{p.notes || "—"}</dd>
        <dt className="text-slate-500">提案原件</dt>
        <dd>
          {p.attachments.length === 0 ? (
            <span className="text-slate-500">未上传</span>
          ) : (
            <ul className="space-y-1">
              {p.attachments.map((a) => (
                <li key={a.id}>
                  <a href={`/proposals/${p.id}/files/${a.id}`} download>
                    {a.fileName}
                  </a>
                  <span className="ml-2 text-xs text-slate-500">{Math.ceil(a.size / 1024)} KB</span>
                </li>
              ))}
            </ul>
          )}
          {canEdit ? (
            <Form method="post" encType="multipart/form-data" className="no-print mt-3 flex flex-wrap items-end gap-2">
              <FileField label="上传原件" name="file" accept={UPLOAD_ACCEPT} error={uploadError} />
              <button type="submit" className="btn-secondary" disabled={busy}>
                上传
              </button>
            </Form>
          ) : null}
        </dd>
      </dl>
    </section>
  );
}

export function ProposalHistory({ history }: { history: Data["history"] }) {
  return (
    <section className="mt-5" aria-labelledby="history-h">
      <h2 id="history-h" className="mb-2 text-lg font-semibold">
        办理历史
      </h2>
      <ol className="card space-y-3 p-0">
        {history.map((e) => (
          <li key={e.id} className="border-b border-slate-100 px-4 py-3 last:border-0">
            <div className="flex flex-wrap gap-x-3 text-sm">
              <time className="text-slate-500">{formatTime(e.at, "minute")}</time>
              <span className="font-medium">{e.actorName ?? "系统"}</span>
              <span>{EVENT_LABELS[e.kind] ?? e.kind}</span>
            </div>
            {e.comment ? <p className="mt-1 text-sm text-slate-700">说明：{e.comment}</p> : null}
            {e.changes.length ? (
              <table className="mt-2 text-sm">
                <tbody>
                  {e.changes.map((c) => (
                    <tr key={c.field}>
                      <th scope="row" className="whitespace-nowrap pr-3 text-left align-top font-normal text-slate-500">
                        {c.label}
                      </th>
                      <td className="align-top">
                        {c.from !== null ? (
                          <>
                            <del className="text-red-700">{c.from}</del>
                            <span className="mx-1 text-slate-500">→</span>
                          </>
                        ) : null}
                        <ins className="text-green-800 no-underline">{c.to ?? "（空）"}</ins>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
