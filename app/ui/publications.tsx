/** 公开情况 on the proposal page: where the reply stands on the public site, and the admin's withdrawal form. */
import { Form } from "@remix-run/react";
import { TextArea } from "./form";
import { formatTime } from "~/ui/datetime";
import { type PageStamp, StampInputs } from "~/ui/workflow-forms";

export type PublicationRow = {
  id: number;
  documentNumber: string | null;
  round: number;
  publishedAt: string | Date;
  publishedBy: string | null;
  withdrawnAt: string | Date | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
  /** A withdrawn earlier reply (before 再办理), not back up: it can be republished here. */
  restorable: boolean;
};

const when = (d: string | Date) => formatTime(d, "short");

export function PublicationPanel(props: {
  proposalId: number;
  stamp: PageStamp;
  publications: PublicationRow[];
  canWithdraw: boolean;
  canRepublish: boolean;
  busy: boolean;
  republishError?: string | null;
  result: { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;
}) {
  const standing = props.publications.filter((p) => !p.withdrawnAt);
  // After 再办理 two replies can stand: each links to its own public page (the latest is the plain address).
  const latestRound = Math.max(...standing.map((p) => p.round));
  const publicHref = (p: PublicationRow) => `/public/${props.proposalId}${p.round === latestRound ? "" : `?round=${p.round}`}`;
  return (
    <section className="card" aria-labelledby="pub-h">
      <h2 id="pub-h" className="mb-2 font-semibold">
        公开情况
      </h2>
      {props.republishError ? (
        <p role="alert" className="mb-2 text-sm text-red-700">
          {props.republishError}
        </p>
      ) : null}
      <ul className="space-y-2 text-sm">
        {props.publications.map((p) => (
          <li key={p.id}>
            {p.documentNumber ?? "答复函"}：{when(p.publishedAt)} 由{p.publishedBy ?? "—"}公开
            {p.withdrawnAt ? (
              <span className="block text-red-800">
                {when(p.withdrawnAt)} 由{p.withdrawnBy ?? "—"}撤回：{p.withdrawalReason}
                {props.canRepublish && p.restorable ? (
                  <Form method="post" className="ml-2 inline">
                    <input type="hidden" name="intent" value="republish_reply" />
                    <StampInputs stamp={props.stamp} />
                    <input type="hidden" name="publicationId" value={p.id} />
                    <button type="submit" className="btn-secondary px-2 py-0.5 text-xs" disabled={props.busy} aria-label={`重新公开${p.documentNumber ?? "答复函"}`}>
                      重新公开
                    </button>
                  </Form>
                ) : null}
              </span>
            ) : (
              <a className="ml-2" href={publicHref(p)}>
                在公开网站上查看
              </a>
            )}
          </li>
        ))}
      </ul>
      {props.canWithdraw && standing.length > 0 ? (
        <Form method="post" className="no-print mt-3 space-y-2" noValidate>
          <input type="hidden" name="intent" value="withdraw_publication" />
          <StampInputs stamp={props.stamp} />
          {standing.length > 1 ? (
            <label className="block text-sm">
              <span className="mb-1 block font-medium text-slate-700">撤回哪份答复</span>
              <select name="publicationId" className="input w-auto" defaultValue={props.result?.values?.publicationId ?? ""}>
                <option value="">全部公开的答复（{standing.length} 份）</option>
                {standing.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.documentNumber ?? "答复函"}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
          <TextArea
            label="撤回原因"
            name="reason"
            rows={2}
            required
            hint="撤回后答复立即从公开网站的列表、页面、检索和下载中移除；原因记入办理历史。"
            defaultValue={props.result?.values?.reason}
            error={props.result?.fieldErrors?.reason ?? props.result?.error ?? undefined}
          />
          <button type="submit" className="btn-danger" disabled={props.busy}>
            撤回公开
          </button>
        </Form>
      ) : null}
    </section>
  );
}
