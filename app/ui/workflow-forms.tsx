import { Form } from "@remix-run/react";
import { ACTION_INPUTS, actionLabel, DISCLOSURE_LABELS, DISCLOSURES, FEEDBACK_LABELS, FEEDBACK_RESULTS, type WorkflowAction } from "~/domain/workflow";
import { SelectField, TextArea, TextField, DateField } from "~/ui/form";
import { StateBadge } from "~/ui/layout";
import { whoMay } from "~/domain/permissions";
import { UnsavedTyping } from "~/ui/unsaved-typing";

type Result = { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;

/**
 * What the page showed, sent with each action on it: the proposal's version (an action from an
 * older page is refused) and its last history entry (the refusal then names what happened since).
 */
export type PageStamp = { version: number; seenEvent: number };

export function StampInputs({ stamp }: { stamp: PageStamp }) {
  return (
    <>
      <input type="hidden" name="version" value={stamp.version} />
      <input type="hidden" name="seenEvent" value={stamp.seenEvent} />
    </>
  );
}

export function WorkflowForm({
  action,
  stamp,
  handlers,
  proposal,
  today,
  result,
  carried,
  publishes,
  busy,
}: {
  action: WorkflowAction;
  stamp: PageStamp;
  handlers: { id: string; name: string; phone: string | null }[];
  proposal: { disclosure: string | null; disclosureReason: string | null; bureauRole: string; handlerPhone: string | null };
  today: string;
  result: Result;
  /** What was typed into a refused step no longer offered (分派 after someone else's 分派: now 改派): its values, no errors. */
  carried?: Record<string, string>;
  /** 公开: the replies it puts up (`earlier`: one the proposer answered 不满意, owed since). */
  publishes?: { documentNumber: string | null; earlier: boolean }[];
  busy: boolean;
}) {
  const needs = ACTION_INPUTS[action];
  const mine = result?.values?.action === action ? result : null;
  const v = mine?.values ?? carried ?? {};
  const fe = mine?.fieldErrors ?? {};
  const needsDisclosure = (action === "submit" || action === "sign") && proposal.bureauRole !== "co";
  const simple = !needs.handler && !needs.receivingUnit && !needs.feedback && !needsDisclosure && action !== "send" && needs.comment === "optional";
  return (
    <Form method="post" className={simple ? "flex flex-wrap items-end gap-2" : "space-y-2 border-t border-slate-100 pt-3 first:border-0 first:pt-0"} noValidate>
      <input type="hidden" name="intent" value="workflow" />
      <input type="hidden" name="action" value={action} />
      <StampInputs stamp={stamp} />
      {action === "request_reassignment" ? (
        // a 理由 box and a button under 签收, said nowhere what for (a new user asked)
        <p className="text-sm text-slate-600">
          不属于本单位职责的提案，可在“申请调整截止”日期前申请调整承办单位：写明理由，由{whoMay("reassignment.decide")}审核。签收即表示接受办理。
        </p>
      ) : null}
      {publishes?.some((l) => l.earlier) ? (
        // after a 不满意 公开 is offered in 再办理 too: say what it puts up
        <p className="basis-full text-sm text-slate-600">
          将公开：
          {publishes.map((l) => `${l.documentNumber ?? "答复函"}${l.earlier ? "（提案者不满意前已发出的主动公开答复）" : "（最新答复）"}`).join("、")}
        </p>
      ) : null}
      {needs.handler ? (
        <>
          <SelectField
            label="承办人"
            name="handlerId"
            defaultValue={v.handlerId}
            placeholder="请选择"
            options={handlers.map((h) => ({ value: h.id, label: h.phone ? `${h.name}（${h.phone}）` : h.name }))}
            error={fe.handlerId}
          />
          <TextField label="联系电话（印在答复函上）" name="handlerPhone" defaultValue={v.handlerPhone} error={fe.handlerPhone} hint="留空则用承办人账号中的电话" />
        </>
      ) : null}
      {needs.receivingUnit ? <TextField label="接收单位" name="receivingUnit" defaultValue={v.receivingUnit} error={fe.receivingUnit} /> : null}
      {needs.feedback ? (
        <SelectField
          label="提案者意见"
          name="feedback"
          defaultValue={v.feedback}
          placeholder="请选择"
          options={FEEDBACK_RESULTS.map((f) => ({ value: f, label: FEEDBACK_LABELS[f] }))}
          error={fe.feedback}
        />
      ) : null}
      {needsDisclosure ? (
        <>
          <SelectField
            label="公开方式"
            name="disclosure"
            defaultValue={v.disclosure ?? proposal.disclosure ?? ""}
            placeholder="请选择"
            options={DISCLOSURES.map((d) => ({ value: d, label: DISCLOSURE_LABELS[d] }))}
            error={fe.disclosure}
          />
          <TextField label="不公开或依申请公开的理由" name="disclosureReason" defaultValue={v.disclosureReason ?? proposal.disclosureReason} error={fe.disclosureReason} />
        </>
      ) : null}
      {action === "send" ? (
        <>
          <DateField
            label={proposal.bureauRole === "co" ? "发送日期" : "答复日期"}
            name="repliedOn"
            defaultValue={v.repliedOn ?? today}
            error={fe.repliedOn}
            hint={`格式：年-月-日，如 ${today}；留空即为今天`}
          />
          <TextField label="发送方式（可选）" name="channel" defaultValue={v.channel} placeholder="如：邮寄、政协提案系统" error={fe.channel} />
        </>
      ) : null}
      {simple ? (
        <input type="hidden" name="comment" value="" />
      ) : (
        <TextArea
          label={needs.comment === "required" ? commentLabel(action) : "说明（可选）"}
          name="comment"
          rows={2}
          defaultValue={v.comment}
          error={fe.comment}
          required={needs.comment === "required"}
        />
      )}
      <button
        type="submit"
        className={action === "return" || action === "request_reassignment" || action === "reject_reassignment" ? "btn-secondary" : "btn-primary"}
        disabled={busy}
      >
        {actionLabel(action, proposal.bureauRole)}
      </button>
    </Form>
  );
}

/** What a step's comment is called on its form (and where its unsaved typing is given back). */
export function commentLabel(action: string | undefined): string {
  if (!action || !Object.hasOwn(ACTION_INPUTS, action)) return "说明";
  if (ACTION_INPUTS[action as WorkflowAction].comment !== "required") return "说明";
  return action === "return" ? "修改意见" : "理由";
}

export function ExtensionList({
  extensions,
  canDecide,
  result,
}: {
  extensions: { id: number; reason: string; oldDue: string; newDue: string; status: string; requestedBy: string; decidedBy: string | null; decisionComment: string | null }[];
  canDecide: boolean;
  result: Result;
}) {
  if (!extensions.length) return <p className="text-sm text-slate-500">无延期申请。</p>;
  const status = { requested: "待审批", approved: "已批准", rejected: "未批准", lapsed: "已失效" } as Record<string, string>;
  // A refusal for a request no longer pending (decided meanwhile by someone else) has no form to sit in.
  const orphanError = result?.error && !extensions.some((e) => e.status === "requested" && String(e.id) === result.values?.extensionId) ? result.error : null;
  return (
    <ul className="space-y-2 text-sm">
      {orphanError ? (
        <li role="alert" className="text-red-700">
          {orphanError}
          <UnsavedTyping values={result?.values} commentLabel="审批意见" />
        </li>
      ) : null}
      {extensions.map((e) => (
        <li key={e.id} className="rounded border border-slate-200 p-2">
          <div>
            {e.oldDue} → <strong>{e.newDue}</strong>{" "}
            <StateBadge
              label={status[e.status] ?? e.status}
              tone={e.status === "approved" ? "green" : e.status === "rejected" ? "red" : e.status === "lapsed" ? "slate" : "amber"}
            />
          </div>
          <div className="text-slate-600">
            {e.requestedBy}：{e.reason}
          </div>
          {e.decidedBy ? (
            <div className="text-slate-500">
              {e.decidedBy}
              {e.decisionComment ? `：${e.decisionComment}` : ""}
            </div>
          ) : e.status === "lapsed" && e.decisionComment ? (
            <div className="text-slate-500">{e.decisionComment}</div>
          ) : null}
          {canDecide && e.status === "requested" ? (
            <Form method="post" className="no-print mt-2 flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="extension_decide" />
              <input type="hidden" name="extensionId" value={e.id} />
              {/* a text area: Enter in a one-line field would submit with the first button, 批准 */}
              <textarea
                name="comment"
                rows={1}
                aria-label="审批意见"
                placeholder="审批意见（可选）"
                className="input w-56"
                defaultValue={result?.values?.extensionId === String(e.id) ? result.values.comment : undefined}
                aria-invalid={result?.fieldErrors?.comment ? true : undefined}
              />
              <button type="submit" name="decision" value="approve" className="btn-primary">
                批准
              </button>
              <button type="submit" name="decision" value="reject" className="btn-secondary">
                不批准
              </button>
              {result?.error && result.values?.extensionId === String(e.id) ? <span className="text-red-700">{result.fieldErrors?.comment ?? result.error}</span> : null}
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/**
 * The step a refused step's typing goes to when the refused one is no longer offered because someone
 * else took it first: 分派 refused after a colleague's 分派 → 改派, the same handler and comment
 * (only between the steps choosing a handler: a 退回 comment is no 申请调整 reason). Null otherwise.
 */
export function carryRefusedTo(refused: string | undefined, offered: readonly WorkflowAction[]): WorkflowAction | null {
  if (!refused || (offered as readonly string[]).includes(refused) || !Object.hasOwn(ACTION_INPUTS, refused)) return null;
  if (!ACTION_INPUTS[refused as WorkflowAction].handler) return null;
  return offered.find((a) => ACTION_INPUTS[a].handler) ?? null;
}
