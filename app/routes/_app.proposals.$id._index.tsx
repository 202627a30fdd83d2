import { FeedbackAnswers, FeedbackForm } from "~/ui/feedback-form";
import { listFeedbackAnswers, readFeedbackForm, recordFeedbackAnswers } from "~/models/feedback.server";
import { CoUnitsPanel } from "~/ui/co-units";
import { PublicationPanel } from "~/ui/publications";
import { listPublications, withdrawPublication } from "~/models/publication.server";
import { getVisibleProposal } from "~/models/visible-proposal.server";
import { audit } from "~/models/audit.server";
import { dateInputSchema } from "~/domain/proposal";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { requireUser, type SessionUser } from "~/auth/session.server";
import { EVENT_LABELS } from "~/domain/events";
import { BUREAU_ROLE_LABELS, formatProposers } from "~/domain/proposal";
import { may, mayEver } from "~/domain/permissions";
import { UPLOAD_ACCEPT } from "~/domain/uploads";
import {
  ACTION_INPUTS,
  ACTION_LABELS,
  availableActions,
  DISCLOSURE_LABELS,
  DISCLOSURES,
  FEEDBACK_LABELS,
  FEEDBACK_RESULTS,
  STATE_LABELS,
  WORKFLOW_ACTIONS,
  type ProposalState,
  type WorkflowAction,
} from "~/domain/workflow";
import { proposalDeadline, rulesOf, today } from "~/models/deadline.server";
import { listEvents } from "~/models/event.server";
import { suggestParagraphsForProposal } from "~/models/suggestions.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { addAttachment, VersionConflictError } from "~/models/proposal.server";
import { readMultipartForm, readUpload } from "~/models/upload.server";
import { listUsers } from "~/models/user.server";
import { getCurrentLetter, signLetter, submitLetter } from "~/models/letter.server";
import {
  addCoUnit,
  decideExtension,
  listCoUnits,
  listExtensions,
  markCoOpinion,
  removeCoUnit,
  performAction,
  requestExtension,
  workflowContext,
  WorkflowRefusedError,
} from "~/models/workflow.server";
import { DeadlineBadge } from "~/ui/deadline";
import { FileField, SelectField, TextArea, TextField, DateField } from "~/ui/form";
import { PageHeader, StateBadge } from "~/ui/layout";
import { ParagraphSuggestions } from "~/ui/library";

const isoDate = dateInputSchema;
const optionalText = z
  .string()
  .max(2000, "内容过长")
  .optional()
  .transform((s) => s?.trim() || null);

/** One schema per form on this page; the intent names the form. */
const intents = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("workflow"),
    action: z.enum(WORKFLOW_ACTIONS),
    version: z.coerce.number().int(),
    comment: optionalText,
    handlerId: optionalText,
    handlerPhone: z
      .string()
      .optional()
      .transform((s) => s?.trim() || null)
      .pipe(
        z
          .string()
          .regex(/^[0-9\-+() ]{5,20}$/, "请填写有效的电话号码")
          .nullable(),
      ),
    receivingUnit: optionalText,
    feedback: z.enum(FEEDBACK_RESULTS).optional(),
    disclosure: z.enum(DISCLOSURES).optional(),
    disclosureReason: optionalText,
    repliedOn: z
      .union([isoDate, z.literal("")])
      .optional()
      .transform((s) => s || null),
    channel: optionalText,
  }),
  z.object({ intent: z.literal("extension_request"), newDue: isoDate, reason: z.string().trim().min(1, "请说明延期理由").max(1000, "理由过长") }),
  z.object({
    intent: z.literal("extension_decide"),
    extensionId: z.coerce.number().int().positive().max(2_147_483_647),
    decision: z.enum(["approve", "reject"]),
    comment: optionalText,
  }),
  z.object({
    intent: z.literal("withdraw_publication"),
    version: z.coerce.number().int().nonnegative(),
    reason: z.string().trim().min(1, "请说明撤回原因").max(1000, "原因过长"),
  }),
  z.object({ intent: z.literal("co_unit_add"), name: z.string().trim().min(1, "请填写会办单位名称").max(100, "名称过长") }),
  z.object({ intent: z.literal("co_unit_remove"), coUnitId: z.coerce.number().int().positive().max(2_147_483_647) }),
  z.object({
    intent: z.literal("co_opinion"),
    coUnitId: z.coerce.number().int().positive().max(2_147_483_647),
    receivedOn: z.union([isoDate, z.literal("")]).transform((s) => s || null),
  }),
]);

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `第${data.proposal.number}号提案 · 提案答复系统` : "提案" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await getVisibleProposal(request, { id: params.id, user });
  const now = today();
  const [history, extensionList, coUnits, people, letter, publicationList, feedbackList] = await Promise.all([
    listEvents(db, proposal.id),
    listExtensions(db, proposal.id),
    listCoUnits(db, proposal.id),
    may(user, "proposal.assign") ? listUsers(db) : Promise.resolve([]),
    getCurrentLetter(db, proposal.id),
    listPublications(db, proposal.id),
    listFeedbackAnswers(db, proposal.id),
  ]);
  const ctx = workflowContext(proposal, user, now);
  const rules = rulesOf(proposal.batchRules);
  return {
    proposal: { ...proposal, batchRules: null },
    history,
    extensions: extensionList,
    publications: publicationList,
    feedbackAnswers: feedbackList,
    coUnits,
    handlers: people.filter((u) => mayEver(u, "proposal.draft") && !u.disabled).map((u) => ({ id: u.id, name: u.displayName, phone: u.phone })),
    actions: availableActions(ctx),
    letter: letter ? { state: letter.state, round: letter.round, documentNumber: letter.documentNumber } : null,
    deadline: proposalDeadline(proposal, rules.reminderDays[0]),
    suggestions: await suggestParagraphsForProposal(db, proposal),
    today: now,
    may: {
      edit: may(user, "proposal.register"),
      requestExtension: may(user, "extension.request", proposal),
      decideExtension: may(user, "extension.approve"),
      manageCoUnits: may(user, "proposal.manage_co_units", proposal),
      draft: may(user, "proposal.draft", proposal),
      withdrawPublication: may(user, "publication.withdraw"),
    },
  };
}

type ActionResult = { intent: string; error: string | null; fieldErrors?: Record<string, string>; ok?: string; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await getVisibleProposal(request, { id: params.id, user });

  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    if (!may(user, "proposal.register")) throw new Response("您没有上传原件的权限。", { status: 403 });
    const { form, tooLarge } = await readMultipartForm(request);
    const upload = tooLarge ? { file: null, error: "文件过大，超过上传上限。" } : await readUpload(form.get("file"));
    if (upload.error || !upload.file) return data<ActionResult>({ intent: "upload", error: upload.error ?? "请选择要上传的文件。" }, { status: 400 });
    await db.transaction((tx) => addAttachment(tx, { proposalId: proposal.id, file: upload.file!, actorId: user.id }));
    return data<ActionResult>({ intent: "upload", error: null, ok: "原件已上传。" });
  }

  const raw = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (raw.intent === "feedback") return feedbackAction(request, { db, user, proposal, raw });
  // An unchosen select posts "": treat it as not given, so the rule's own message explains what is missing.
  const given = raw.intent === "workflow" ? Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== "")) : raw;
  const parsed = intents.safeParse(given);
  if (!parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
    return data<ActionResult>({ intent: raw.intent ?? "", error: "请按提示修改后再提交。", fieldErrors, values: raw }, { status: 400 });
  }
  const f = parsed.data;
  try {
    await db.transaction(async (tx) => {
      switch (f.intent) {
        case "workflow": {
          // Submitting and signing are about the letter: they check it and (signing) number and freeze it.
          const req = { proposalId: proposal.id, expectedVersion: f.version, actor: user, today: today() };
          if (f.action === "submit") await submitLetter(tx, req);
          else if (f.action === "sign") await signLetter(tx, req);
          else {
            await performAction(tx, { ...req, action: f.action, input: f });
          }
          break;
        }
        case "extension_request":
          await requestExtension(tx, { proposalId: proposal.id, newDue: f.newDue, reason: f.reason, actor: user });
          break;
        case "extension_decide":
          await decideExtension(tx, { proposalId: proposal.id, extensionId: f.extensionId, approve: f.decision === "approve", comment: f.comment, actor: user });
          break;
        case "withdraw_publication":
          await withdrawPublication(tx, { proposalId: proposal.id, expectedVersion: f.version, actor: user, reason: f.reason });
          break;
        case "co_unit_add":
        case "co_unit_remove":
        case "co_opinion":
          if (!may(user, "proposal.manage_co_units", proposal)) throw new WorkflowRefusedError("只有登记员或本提案的承办人可以维护会办单位。");
          if (f.intent === "co_unit_add") await addCoUnit(tx, { proposalId: proposal.id, name: f.name, actorId: user.id });
          else if (f.intent === "co_unit_remove") await removeCoUnit(tx, { proposalId: proposal.id, coUnitId: f.coUnitId, actorId: user.id });
          else await markCoOpinion(tx, { proposalId: proposal.id, coUnitId: f.coUnitId, receivedOn: f.receivedOn, actorId: user.id, today: today() });
          break;
      }
    });
  } catch (e) {
    if (e instanceof WorkflowRefusedError) return data<ActionResult>({ intent: f.intent, error: e.message, values: raw }, { status: 400 });
    if (e instanceof VersionConflictError)
      return data<ActionResult>({ intent: f.intent, error: "其他人刚刚办理了这件提案，页面已刷新为最新状态，请确认后再操作。", values: raw }, { status: 409 });
    throw e;
  }
  if (f.intent === "workflow" && f.action === "publish") await audit(request, { actor: user, action: "published", target: `${proposal.meeting}第${proposal.number}号提案` });
  if (f.intent === "withdraw_publication") await audit(request, { actor: user, action: "withdrawn", target: `${proposal.meeting}第${proposal.number}号提案`, detail: f.reason });
  // Mail goes out after the commit; a mail failure never undoes the action.
  void deliverPendingEmails(db);
  throw redirect(`/proposals/${proposal.id}?done=${f.intent === "workflow" ? f.action : f.intent}`);
}

/** 登记征询意见, one answer per proposer: stored with the transition, or nothing is. */
async function feedbackAction(
  _request: Request,
  c: { db: Awaited<ReturnType<typeof getVisibleProposal>>["db"]; user: SessionUser; proposal: { id: number; assignedOn: string }; raw: Record<string, string> },
) {
  const form = readFeedbackForm(c.raw);
  if (!form.ok) return data<ActionResult>({ intent: "feedback", error: "请按提示修改后再提交。", fieldErrors: form.fieldErrors, values: c.raw }, { status: 400 });
  try {
    await c.db.transaction((tx) =>
      recordFeedbackAnswers(tx, {
        proposalId: c.proposal.id,
        expectedVersion: form.version,
        actor: c.user,
        answers: form.answers,
        today: today(),
        assignedOn: c.proposal.assignedOn,
      }),
    );
  } catch (e) {
    if (e instanceof WorkflowRefusedError) return data<ActionResult>({ intent: "feedback", error: e.message, values: c.raw }, { status: 400 });
    if (e instanceof VersionConflictError)
      return data<ActionResult>({ intent: "feedback", error: "其他人刚刚办理了这件提案，页面已刷新为最新状态，请确认后再操作。", values: c.raw }, { status: 409 });
    throw e;
  }
  void deliverPendingEmails(c.db);
  throw redirect(`/proposals/${c.proposal.id}?done=record_feedback`);
}

const dateTime = (d: string | Date) =>
  new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" });

const DONE_MESSAGES: Record<string, string> = {
  extension_request: "延期申请已提交，等待审批。",
  extension_decide: "已处理延期申请。",
  co_unit_add: "已添加会办单位。",
  co_opinion: "已更新会办意见情况。",
  co_unit_remove: "已删除会办单位（已记入办理历史）。",
  withdraw_publication: "已撤回公开：答复已从公开网站移除，原因已记入办理历史。",
};

export default function ProposalDetail() {
  const { proposal: p, history, extensions, publications, feedbackAnswers, coUnits, handlers, actions, deadline, today, may, letter } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { suggestions } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const done = params.get("done");
  const doneMessage = done ? (DONE_MESSAGES[done] ?? `已${ACTION_LABELS[done as WorkflowAction] ?? "完成"}。`) : null;
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
            <button type="button" className="btn-secondary" onClick={() => window.print()}>
              打印
            </button>
          </>
        }
      />
      {params.get("registered") || params.get("saved") || doneMessage ? (
        <div role="status" className="no-print mb-4 rounded border border-green-300 bg-green-50 px-3 py-2 text-sm text-green-800">
          {params.get("registered") ? "提案已登记。" : params.get("saved") ? "修改已保存，并已记入办理历史。" : doneMessage}
          {/^\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}$/.test(params.get("superseded") ?? "")
            ? ` 注意：按新的交办日期计算的办理期限 ${params.get("superseded")!.split("_")[1]} 晚于此前批准的延期期限 ${params.get("superseded")!.split("_")[0]}，现以较晚的 ${params.get("superseded")!.split("_")[1]} 为准（两者均已记入办理历史）。`
            : null}
        </div>
      ) : null}

      <div className="grid grid-cols-1 gap-5 lg:grid-cols-[1fr_22rem]">
        <section className="card">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm md:grid-cols-[7rem_1fr]">
            <dt className="text-slate-500">案由</dt>
            <dd className="font-medium">《{p.title}》</dd>
            <dt className="text-slate-500">提案者</dt>
            <dd>
              {formatProposers(p.proposers)}
              {p.proposers.length > 1 ? <span className="ml-2 text-slate-500">（共 {p.proposers.length} 位）</span> : null}
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
              {may.edit ? (
                <Form method="post" encType="multipart/form-data" className="no-print mt-3 flex flex-wrap items-end gap-2">
                  <FileField label="上传原件" name="file" accept={UPLOAD_ACCEPT} error={errorFor("upload")?.error ?? undefined} />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    上传
                  </button>
                </Form>
              ) : null}
            </dd>
          </dl>
        </section>

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

          <FeedbackAnswers answers={feedbackAnswers} />

          {publications.length > 0 ? (
            <PublicationPanel
              proposalId={p.id}
              version={p.version}
              publications={publications}
              canWithdraw={may.withdrawPublication}
              busy={busy}
              result={errorFor("withdraw_publication")}
            />
          ) : null}

          <section className="card" aria-labelledby="deadline-h">
            <h2 id="deadline-h" className="mb-2 font-semibold">
              办理期限
            </h2>
            <DeadlineBadge d={deadline} />
            <dl className="mt-3 grid grid-cols-[7rem_1fr] gap-y-1 text-sm">
              {p.bureauRole === "co" ? (
                <>
                  <dt className="text-slate-500">会办意见期限</dt>
                  <dd>{p.coHandlingDue ?? "—"}</dd>
                </>
              ) : null}
              <dt className="text-slate-500">答复期限</dt>
              <dd>{p.replyDue ?? "—"}</dd>
              {p.extendedDue ? (
                <>
                  <dt className="text-slate-500">延期至</dt>
                  <dd className="font-medium">{p.extendedDue}</dd>
                </>
              ) : null}
              <dt className="text-slate-500">申请调整截止</dt>
              <dd>{p.reassignmentWindowEnds ?? "未知（工作日历缺该年度）"}</dd>
            </dl>
            {p.dueWarnings.length ? (
              <ul className="mt-2 list-disc pl-5 text-xs text-amber-800">
                {p.dueWarnings.map((w) => (
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
                <p role="alert" className="mb-2 rounded border border-red-300 bg-red-50 px-2 py-1 text-sm text-red-800">
                  {errorFor("workflow")!.error}
                </p>
              ) : null}
              <div className="space-y-4">
                {actions.map((a) =>
                  a === "submit" || a === "sign" ? (
                    <Link key={a} to={`/proposals/${p.id}/letter`} className="btn-primary">
                      {`到${p.bureauRole === "co" ? "会办意见" : "答复函"}页面${a === "submit" ? "提交签发" : "审签"}`}
                    </Link>
                  ) : a === "record_feedback" ? (
                    <FeedbackForm key={a} proposers={p.proposers.map((x) => x.name)} version={p.version} today={today} busy={busy} result={errorFor("feedback")} />
                  ) : (
                    <WorkflowForm key={a} action={a} version={p.version} handlers={handlers} proposal={p} today={today} result={errorFor("workflow")} busy={busy} />
                  ),
                )}
              </div>
            </section>
          ) : null}

          {/* A 会办 task is extended like a reply: its own request and approval. */}
          {(may.requestExtension || extensions.length > 0) && !["replied", "published", "closed", "transferred_out"].includes(p.state) ? (
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
                    error={errorFor("extension_request")?.fieldErrors?.newDue}
                  />
                  <TextArea
                    label="延期理由"
                    name="reason"
                    rows={2}
                    defaultValue={errorFor("extension_request")?.values?.reason}
                    error={errorFor("extension_request")?.fieldErrors?.reason ?? errorFor("extension_request")?.error ?? undefined}
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

      <section className="mt-5" aria-labelledby="history-h">
        <h2 id="history-h" className="mb-2 text-lg font-semibold">
          办理历史
        </h2>
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

type Result = { error: string | null; fieldErrors?: Record<string, string>; values?: Record<string, string> } | null;

function WorkflowForm({
  action,
  version,
  handlers,
  proposal,
  today,
  result,
  busy,
}: {
  action: WorkflowAction;
  version: number;
  handlers: { id: string; name: string; phone: string | null }[];
  proposal: { disclosure: string | null; disclosureReason: string | null; bureauRole: string; handlerPhone: string | null };
  today: string;
  result: Result;
  busy: boolean;
}) {
  const needs = ACTION_INPUTS[action];
  const mine = result?.values?.action === action ? result : null;
  const v = mine?.values ?? {};
  const fe = mine?.fieldErrors ?? {};
  const needsDisclosure = (action === "submit" || action === "sign") && proposal.bureauRole !== "co";
  const simple = !needs.handler && !needs.receivingUnit && !needs.feedback && !needsDisclosure && action !== "send" && needs.comment === "optional";
  return (
    <Form method="post" className={simple ? "flex flex-wrap items-end gap-2" : "space-y-2 border-t border-slate-100 pt-3 first:border-0 first:pt-0"} noValidate>
      <input type="hidden" name="intent" value="workflow" />
      <input type="hidden" name="action" value={action} />
      <input type="hidden" name="version" value={version} />
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
          <DateField label="答复日期" name="repliedOn" defaultValue={v.repliedOn ?? today} error={fe.repliedOn} />
          <TextField label="发送方式" name="channel" defaultValue={v.channel} placeholder="如：邮寄、政协提案系统" error={fe.channel} />
        </>
      ) : null}
      {simple ? (
        <input type="hidden" name="comment" value="" />
      ) : (
        <TextArea
          label={needs.comment === "required" ? (action === "return" ? "修改意见" : "理由") : "说明（可选）"}
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
        {ACTION_LABELS[action]}
      </button>
    </Form>
  );
}

function ExtensionList({
  extensions,
  canDecide,
  result,
}: {
  extensions: { id: number; reason: string; oldDue: string; newDue: string; status: string; requestedBy: string; decidedBy: string | null; decisionComment: string | null }[];
  canDecide: boolean;
  result: Result;
}) {
  if (!extensions.length) return <p className="text-sm text-slate-500">无延期申请。</p>;
  const status = { requested: "待审批", approved: "已批准", rejected: "未批准" } as Record<string, string>;
  return (
    <ul className="space-y-2 text-sm">
      {extensions.map((e) => (
        <li key={e.id} className="rounded border border-slate-200 p-2">
          <div>
            {e.oldDue} → <strong>{e.newDue}</strong>{" "}
            <StateBadge label={status[e.status] ?? e.status} tone={e.status === "approved" ? "green" : e.status === "rejected" ? "red" : "amber"} />
          </div>
          <div className="text-slate-600">
            {e.requestedBy}：{e.reason}
          </div>
          {e.decidedBy ? (
            <div className="text-slate-500">
              {e.decidedBy}
              {e.decisionComment ? `：${e.decisionComment}` : ""}
            </div>
          ) : null}
          {canDecide && e.status === "requested" ? (
            <Form method="post" className="no-print mt-2 flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="extension_decide" />
              <input type="hidden" name="extensionId" value={e.id} />
              <input name="comment" aria-label="审批意见" placeholder="审批意见（可选）" className="input w-40" />
              <button type="submit" name="decision" value="approve" className="btn-primary">
                批准
              </button>
              <button type="submit" name="decision" value="reject" className="btn-secondary">
                不批准
              </button>
              {result?.error ? <span className="text-red-700">{result.error}</span> : null}
            </Form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

export { RouteErrorBoundary as ErrorBoundary } from "~/ui/error";
