import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireCapability, requireUser } from "~/auth/session.server";
import { BUREAU_ROLE_LABELS, formatProposers } from "~/domain/proposal";
import { can } from "~/domain/roles";
import { STATE_LABELS } from "~/domain/workflow";
import { canSeeProposal } from "~/models/access.server";
import { EVENT_LABELS } from "~/domain/events";
import { listEvents } from "~/models/event.server";
import { addAttachment, getProposal } from "~/models/proposal.server";
import { UPLOAD_ACCEPT } from "~/domain/uploads";
import { readMultipartForm, readUpload } from "~/models/upload.server";
import { FileField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";

const idSchema = z.coerce.number().int().positive();

async function loadVisibleProposal(request: Request, rawId: string | undefined) {
  const user = await requireUser(request);
  const id = idSchema.safeParse(rawId);
  if (!id.success) throw new Response("提案不存在。", { status: 404 });
  const db = await getDb();
  const proposal = await getProposal(db, id.data);
  // Not found and not yours look the same: an address reveals nothing.
  if (!proposal || !canSeeProposal(user, proposal)) throw new Response("提案不存在，或您无权查看。", { status: 404 });
  return { user, db, proposal };
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `第${data.proposal.number}号提案 · 提案答复系统` : "提案" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, db, proposal } = await loadVisibleProposal(request, params.id);
  const history = await listEvents(db, proposal.id);
  return { proposal, history, canEdit: can(user.role, "proposal.register") };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCapability(request, "proposal.register");
  const { db, proposal } = await loadVisibleProposal(request, params.id);
  const { form, tooLarge } = await readMultipartForm(request);
  const upload = tooLarge ? { file: null, error: "文件过大，超过上传上限。" } : await readUpload(form.get("file"));
  if (upload.error || !upload.file) return data({ fileError: upload.error ?? "请选择要上传的文件。", uploaded: false }, { status: 400 });
  await db.transaction((tx) => addAttachment(tx, { proposalId: proposal.id, file: upload.file!, actorId: user.id }));
  return { fileError: null, uploaded: true };
}

const dateTime = (d: string | Date) =>
  new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

export default function ProposalDetail() {
  const { proposal: p, history, canEdit } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  return (
    <>
      <PageHeader
        title={`第${p.number}号提案`}
        subtitle={p.meeting}
        actions={
          <>
            {canEdit ? (
              <Link to={`/proposals/${p.id}/edit`} className="btn-secondary">
                修改登记信息
              </Link>
            ) : null}
            <button type="button" className="btn-secondary" onClick={() => window.print()}>
              打印
            </button>
          </>
        }
      />
      {params.get("registered") ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          提案已登记。
        </div>
      ) : null}
      {params.get("saved") ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          修改已保存，并已记入办理历史。
        </div>
      ) : null}
      <section className="card mb-5">
        <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm md:grid-cols-[8rem_1fr]">
          <dt className="text-slate-500">案由</dt>
          <dd className="font-medium">《{p.title}》</dd>
          <dt className="text-slate-500">提案者</dt>
          <dd>
            {formatProposers(p.proposers)}
            {p.proposers.length > 1 ? <span className="ml-2 text-slate-500">（共 {p.proposers.length} 位）</span> : null}
          </dd>
          <dt className="text-slate-500">办理方式</dt>
          <dd>{BUREAU_ROLE_LABELS[p.bureauRole]}</dd>
          <dt className="text-slate-500">交办日期</dt>
          <dd>{p.assignedOn}</dd>
          <dt className="text-slate-500">收到日期</dt>
          <dd>{p.receivedOn ?? "—"}</dd>
          <dt className="text-slate-500">状态</dt>
          <dd>
            <StateBadge label={STATE_LABELS[p.state as keyof typeof STATE_LABELS] ?? p.state} tone="blue" />
          </dd>
          <dt className="text-slate-500">承办人</dt>
          <dd>{p.handlerName ?? "未分派"}</dd>
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
                <FileField label="上传原件" name="file" accept={UPLOAD_ACCEPT} error={actionData?.fileError ?? undefined} />
                <button type="submit" className="btn-secondary" disabled={busy}>
                  上传
                </button>
              </Form>
            ) : null}
          </dd>
        </dl>
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">办理历史</h2>
        <ol className="card space-y-3 p-0">
          {history.map((e) => (
            <li key={e.id} className="border-b border-slate-100 px-4 py-3 last:border-0">
              <div className="flex flex-wrap gap-x-3 text-sm">
                <time className="text-slate-500">{dateTime(e.at)}</time>
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
                              <span className="mx-1 text-slate-400">→</span>
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
    </>
  );
}
