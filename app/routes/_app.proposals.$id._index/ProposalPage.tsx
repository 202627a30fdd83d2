/** The proposal page: facts, deadline, 办理 actions, letter, publication, feedback, 会办, history. Loader and action: proposal.server.ts. */
import { FeedbackAnswers, FeedbackForm } from "~/ui/feedback-form";
import { CoUnitsPanel } from "~/ui/co-units";
import { PublicationPanel } from "~/ui/publications";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { ACTION_LABELS, actionLabel, CLOCK_STOPPED_STATES, reassignmentAskable, type WorkflowAction } from "~/domain/workflow";
import { DeadlineBadge } from "~/ui/deadline";
import { deadlineWarningsShown } from "~/domain/deadlines";
import { TextArea, DateField } from "~/ui/form";
import { PageHeader } from "~/ui/layout";
import { ParagraphSuggestions } from "~/ui/library";

import type { action, ActionResult, loader } from "./proposal.server";
import { carryRefusedTo, commentLabel, ExtensionList, WorkflowForm } from "~/ui/workflow-forms";
import { formatTime } from "~/ui/datetime";
import { useHydrated } from "~/ui/hydrated";
import { UnsavedTyping } from "~/ui/unsaved-typing";
import { ProposalFacts, ProposalHistory } from "./sections";

const _dateTime = (d: string | Date) => formatTime(d, "minute");

const DONE_MESSAGES: Record<string, string> = {
  extension_request: "延期申请已提交，等待审批。",
  extension_decide: "已处理延期申请。",
  co_unit_add: "已添加会办单位。",
  co_opinion: "已更新会办意见情况。",
  co_unit_remove: "已删除会办单位（已记入办理历史）。",
  withdraw_publication: "已撤回公开：答复已从公开网站移除，原因已记入办理历史。",
  republish_reply: "已重新公开此前的答复。",
  feedback_corrected: "已更正征询意见，原因已记入办理历史。",
};

export default function ProposalDetail() {
  const { proposal: p, history, extensions, publications, feedbackAnswers, coUnits, handlers, actions, deadline, today, may, letter } = useLoaderData<typeof loader>();
  const stamp = { version: p.version, seenEvent: history.at(-1)?.id ?? 0 };
  const members = p.proposers.filter((x) => x.kind === "member").length;
  const signers = p.proposers.length - members + Math.max(members, p.proposerTotal ?? 0);
  const actionData = useActionData<typeof action>();
  const { suggestions, toPublish, mayCorrectFeedback } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const hydrated = useHydrated();
  const refusal = actionData?.error ? (actionData as ActionResult) : null;
  // answered, closed or transferred: no extension to ask for
  const closed = (CLOCK_STOPPED_STATES as readonly string[]).includes(p.state);
  const refusalShown =
    refusal?.intent === "workflow"
      ? actions.length > 0
      : refusal?.intent === "feedback"
        ? actions.includes("record_feedback")
        : refusal?.intent === "extension_request"
          ? may.requestExtension && !closed && !extensions.some((e) => e.status === "requested")
          : refusal?.intent === "withdraw_publication"
            ? may.withdrawPublication && publications.some((x) => !x.withdrawnAt)
            : refusal?.intent === "republish_reply"
              ? publications.length > 0
              : refusal?.intent === "feedback_correction"
                ? mayCorrectFeedback
                : true;
  const unshownRefusal = refusal && !refusalShown ? refusal.error : null;
  // a refused step no longer offered hands its typing to the step that now asks for the same (分派 → 改派)
  const carryTo = refusal?.intent === "workflow" ? carryRefusedTo(refusal.values?.action, actions) : null;
  const done = params.get("done");
  // (own keys only: ?done=__proto__ found Object.prototype and the page failed to render)
  const doneMessage = done
    ? Object.hasOwn(DONE_MESSAGES, done)
      ? DONE_MESSAGES[done]
      : `已${Object.hasOwn(ACTION_LABELS, done) ? actionLabel(done as WorkflowAction, p.bureauRole) : "完成"}。`
    : null;
  const warnings = deadlineWarningsShown(p, deadline);
  const errorFor = (intent: string): ActionResult | null => (actionData?.intent === intent ? (actionData as ActionResult) : null);
  return (
    <>
      <PageHeader
        title={`第${p.number}号提案`}
        subtitle={p.meeting}
        actions={
          <>
            {may.edit ? (
              <Link to={`/proposals/${p.id}/edit`} className="btn-secondary">
                修改登记信息
              </Link>
            ) : null}
            {/* window.print() needs JavaScript: without it the browser's own 打印 (Ctrl+P) remains, not a dead button */}
            {hydrated ? (
              <button type="button" className="btn-secondary" onClick={() => window.print()}>
                打印
              </button>
            ) : null}
          </>
        }
      />
      {/* A refusal whose form is gone (someone else's step came first: the request already made, the
          reply already withdrawn, the action no longer open) is said here, or nobody would say it. */}
      {unshownRefusal ? (
        <div role="alert" className="no-print mb-4 rounded border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p>未完成：{unshownRefusal}</p>
          <UnsavedTyping values={refusal?.values} commentLabel={refusal?.intent === "workflow" ? commentLabel(refusal.values?.action) : undefined} />
        </div>
      ) : null}
      {/* a success notice in the address (?done=…) is of an earlier step: not shown beside a refusal */}
      {(params.get("registered") || params.get("saved") || doneMessage) && !actionData ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          {params.get("registered") ? "提案已登记。" : params.get("saved") ? "修改已保存，并已记入办理历史。" : doneMessage}
          {/^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/.test(params.get("superseded") ?? "")
            ? ` 注意：按新的交办日期计算的办理期限 ${params.get("superseded")!.split("_")[1]} 晚于此前批准的延期期限 ${params.get("superseded")!.split("_")[0]}，现以较晚的 ${params.get("superseded")!.split("_")[1]} 为准（两者均已记入办理历史）。`
            : null}
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[1fr_22rem]">
        <ProposalFacts proposal={p} today={today} signers={signers} canEdit={may.edit} uploadError={errorFor("upload")?.error ?? undefined} busy={busy} />

        <aside className="space-y-4">
          <section className="card" aria-labelledby="letter-h">
            <h2 id="letter-h" className="mb-2 font-semibold">
              {p.bureauRole === "co" ? "会办意见" : "答复函"}
            </h2>
            {letter ? (
              <p className="text-sm">
                第 {letter.round} 稿 · {letter.state === "signed" ? `已签发 ${letter.documentNumber ?? ""}` : p.state === "in_review" ? "待领导审签" : "起草中"}
              </p>
            ) : (
              <p className="text-sm text-slate-500">尚未起草。</p>
            )}
            <div className="mt-2 flex flex-wrap gap-2">
              <Link to={`/proposals/${p.id}/letter`} className="btn-secondary">
                {`${letter ? "打开" : may.draft ? "起草" : "查看"}${p.bureauRole === "co" ? "会办意见" : "答复函"}`}
              </Link>
              {letter ? (
                <a href={`/proposals/${p.id}/letter.docx`} className="btn-secondary" download>
                  下载 DOCX
                </a>
              ) : null}
            </div>
          </section>

          <FeedbackAnswers
            answers={feedbackAnswers}
            correction={mayCorrectFeedback ? { proposers: p.proposers.map((x) => x.name), stamp, today, busy, result: errorFor("feedback_correction") } : null}
          />

          {publications.length > 0 ? (
            <PublicationPanel
              proposalId={p.id}
              stamp={stamp}
              publications={publications}
              canWithdraw={may.withdrawPublication}
              canRepublish={may.withdrawPublication}
              busy={busy}
              result={errorFor("withdraw_publication")}
              republishError={errorFor("republish_reply")?.error ?? null}
            />
          ) : null}

          <section className="card" aria-labelledby="deadline-h">
            <h2 id="deadline-h" className="mb-2 font-semibold">
              办理期限
            </h2>
            <DeadlineBadge d={deadline} />
            <dl className="mt-3 grid grid-cols-[8.5rem_1fr] gap-y-1 text-sm">
              {p.bureauRole === "co" ? (
                <>
                  <dt className="text-slate-500">会办意见期限</dt>
                  <dd>{p.coHandlingDue ?? "—"}</dd>
                </>
              ) : null}
              {/* whose reply, and which: the lead unit's for a 会办 proposal; the new one during 再办理 */}
              <dt className="text-slate-500">{p.bureauRole === "co" ? "主办单位答复期限" : p.rehandlingFrom ? "再办理答复期限" : "答复期限"}</dt>
              <dd>{p.replyDue ?? "—"}</dd>
              {p.extendedDue ? (
                <>
                  <dt className="text-slate-500">延期至</dt>
                  <dd className="font-medium">{p.extendedDue}</dd>
                </>
              ) : null}
              {/* only while a 申请调整 can still be made (it read on through 办理 and 再办理) */}
              {reassignmentAskable(p.state) ? (
                <>
                  <dt className="text-slate-500">申请调整截止</dt>
                  <dd>{p.reassignmentWindowEnds ?? "未知（工作日历缺该年度）"}</dd>
                </>
              ) : null}
            </dl>
            {warnings.length && p.extendedDue ? (
              <p className="mt-2 text-xs text-slate-600">以下提示针对按规则计算的期限；延期后的期限 {p.extendedDue} 是批准的日期，不受工作日历影响。</p>
            ) : null}
            {warnings.length ? (
              <ul className="mt-2 list-disc pl-5 text-xs text-amber-800">
                {warnings.map((w) => (
                  <li key={w}>{w}</li>
                ))}
              </ul>
            ) : null}
          </section>

          {actions.length ? (
            <section className="card no-print" aria-labelledby="actions-h">
              <h2 id="actions-h" className="mb-2 font-semibold">
                办理
              </h2>
              {errorFor("workflow")?.error ? (
                <div role="alert" className="mb-2 rounded border border-red-300 bg-red-50 px-2 py-1 text-sm text-red-800">
                  <p>{errorFor("workflow")!.error}</p>
                  {/* the refused step's form is gone and no other step took its typing (发送答复 after a colleague's) */}
                  {!carryTo && !(actions as readonly string[]).includes(refusal?.values?.action ?? "") ? (
                    <UnsavedTyping values={refusal?.values} commentLabel={commentLabel(refusal?.values?.action)} />
                  ) : null}
                </div>
              ) : null}
              <div className="space-y-4">
                {actions.map((a) =>
                  a === "submit" || a === "sign" ? (
                    <Link key={a} to={`/proposals/${p.id}/letter`} className="btn-primary">
                      {`到${p.bureauRole === "co" ? "会办意见" : "答复函"}页面${a === "submit" ? "提交签发" : "审签"}`}
                    </Link>
                  ) : a === "record_feedback" ? (
                    <FeedbackForm key={a} proposers={p.proposers.map((x) => x.name)} stamp={stamp} today={today} busy={busy} result={errorFor("feedback")} />
                  ) : (
                    <WorkflowForm
                      key={a}
                      action={a}
                      stamp={stamp}
                      handlers={handlers}
                      proposal={p}
                      today={today}
                      result={errorFor("workflow")}
                      carried={a === carryTo ? errorFor("workflow")?.values : undefined}
                      publishes={a === "publish" ? toPublish : undefined}
                      busy={busy}
                    />
                  ),
                )}
              </div>
            </section>
          ) : null}

          {/* A 会办 task is extended like a reply: its own request and approval. */}
          {(may.requestExtension || extensions.length > 0) && !closed ? (
            <section className="card no-print" aria-labelledby="ext-h">
              <h2 id="ext-h" className="mb-2 font-semibold">
                延期
              </h2>
              <ExtensionList extensions={extensions} canDecide={may.decideExtension} result={errorFor("extension_decide")} />
              {may.requestExtension && !extensions.some((e) => e.status === "requested") ? (
                <Form method="post" className="mt-3 space-y-2" noValidate>
                  <input type="hidden" name="intent" value="extension_request" />
                  <DateField
                    label="申请延期至"
                    name="newDue"
                    defaultValue={errorFor("extension_request")?.values?.newDue}
                    // a refusal is about the date asked for (not later than the deadline, past the limit);
                    // with field errors, each is beside its own field (the general line is not the date's)
                    error={errorFor("extension_request")?.fieldErrors ? errorFor("extension_request")?.fieldErrors?.newDue : (errorFor("extension_request")?.error ?? undefined)}
                  />
                  <TextArea
                    label="延期理由"
                    name="reason"
                    rows={2}
                    defaultValue={errorFor("extension_request")?.values?.reason}
                    error={errorFor("extension_request")?.fieldErrors?.reason}
                  />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    申请延期
                  </button>
                </Form>
              ) : null}
            </section>
          ) : null}

          {p.bureauRole === "lead" ? (
            <CoUnitsPanel units={coUnits} canManage={may.manageCoUnits} today={today} busy={busy} addResult={errorFor("co_unit_add")} opinionResult={errorFor("co_opinion")} />
          ) : null}
        </aside>
      </div>

      <div className="no-print mt-5">
        <ParagraphSuggestions items={suggestions} />
      </div>

      <ProposalHistory history={history} />
    </>
  );
}
