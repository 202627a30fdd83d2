/** 公开情况 on the proposal page: where the reply stands on the public site, and the admin's withdrawal form. */
import { Form } from "@remix-run/react";
import { TextArea } from "./form";
import { formatTime } from "~/ui/datetime";

export type PublicationRow = {
  id: number;
  documentNumber: string | null;
  publishedAt: string | Date;
  publishedBy: string | null;
  withdrawnAt: string | Date | null;
  withdrawnBy: string | null;
  withdrawalReason: string | null;
};

const when = (d: string | Date) => formatTime(d, "short");

export function PublicationPanel(props: {
  proposalId: number;
  version: number;
  publications: PublicationRow[];
  canWithdraw: boolean;
  busy: boolean;
  result: { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;
}) {
  const standing = props.publications.filter((p) => !p.withdrawnAt);
  return (
    <section className="card" aria-labelledby="pub-h">
      <h2 id="pub-h" className="mb-2 font-semibold">
        公开情况
      </h2>
      <ul className="space-y-2 text-sm">
        {props.publications.map((p) => (
          <li key={p.id}>
            {p.documentNumber ?? "答复函"}：{when(p.publishedAt)} 由{p.publishedBy ?? "—"}公开
            {p.withdrawnAt ? (
              <span className="block text-red-800">
                {when(p.withdrawnAt)} 由{p.withdrawnBy ?? "—"}撤回：{p.withdrawalReason}
              </span>
            ) : (
              <a className="ml-2" href={`/public/${props.proposalId}`}>
                在公开网站上查看
              </a>
            )}
          </li>
        ))}
      </ul>
      {props.canWithdraw && standing.length > 0 ? (
        <Form method="post" className="no-print mt-3 space-y-2" noValidate>
          <input type="hidden" name="intent" value="withdraw_publication" />
          <input type="hidden" name="version" value={props.version} />
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
