import { correctFeedback, feedbackCorrectable, listFeedbackAnswers, readFeedbackForm, recordFeedbackAnswers } from "~/models/feedback.server";
import { lettersToPublish, listPublications, withdrawPublication, republishEarlierReply } from "~/models/publication.server";
import { requireVisibleProposal } from "~/http/visible-proposal.server";
import { audit } from "~/models/audit.server";
import { dateInputSchema } from "~/domain/proposal";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { foldFullWidthDigits } from "~/domain/full-width";
import { requireUser, type SessionUser } from "~/auth/session.server";
import { accessOf, may, mayEver } from "~/domain/permissions";
import { availableActions, coUnitsEditable, DISCLOSURES, FEEDBACK_RESULTS, publishesLatestReply, WORKFLOW_ACTIONS } from "~/domain/workflow";
import { proposalDeadline, today } from "~/models/deadline.server";
import { listEvents, meanwhileRefusal } from "~/models/event.server";
import { suggestParagraphsForProposal } from "~/models/suggestions.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { addAttachment, VersionConflictError } from "~/models/proposal.server";
import { readMultipartForm, readUpload } from "~/models/upload.server";
import { listUsers } from "~/models/user.server";
import { getCurrentLetter, signLetter, submitLetter } from "~/models/letter.server";
import { performAction, workflowContext, WorkflowRefusedError } from "~/models/workflow.server";
import { addCoUnit, listCoUnits, markCoOpinion, removeCoUnit } from "~/models/co-unit.server";
import { decideExtension, listExtensions, requestExtension } from "~/models/extension.server";
import { readForm } from "~/http/form.server";

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
      .transform((s) => foldFullWidthDigits(s?.trim() ?? "") || null)
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
    // one reply of several (after 再办理); absent or "": all of them
    publicationId: z.union([z.literal(""), z.coerce.number().int().positive().max(2_147_483_647)]).optional(),
  }),
  z.object({
    intent: z.literal("republish_reply"),
    version: z.coerce.number().int().nonnegative(),
    publicationId: z.coerce.number().int().positive().max(2_147_483_647),
  }),
  z.object({ intent: z.literal("co_unit_add"), name: z.string().trim().min(1, "请填写会办单位名称").max(100, "名称过长") }),
  z.object({ intent: z.literal("co_unit_remove"), coUnitId: z.coerce.number().int().positive().max(2_147_483_647) }),
  z
    .object({
      intent: z.literal("co_opinion"),
      coUnitId: z.coerce.number().int().positive().max(2_147_483_647),
      // which button: 登记已收到 needs its date (an emptied date field was read as 改为未收到)
      received: z.enum(["1", "0"]),
      receivedOn: z.union([isoDate, z.literal("")]).transform((s) => s || null),
    })
    .refine((f) => f.received === "0" || f.receivedOn, { path: ["receivedOn"], message: "请填写收到日期" })
    .transform((f) => ({ ...f, receivedOn: f.received === "1" ? f.receivedOn : null })),
]);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await requireVisibleProposal(request, { id: params.id, user });
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
  const actions = availableActions(ctx);
  // 更正征询意见: the latest registration, nothing done since; a handler corrects only their own
  const correctable =
    (proposal.state === "closed" || proposal.state === "rehandling") && may(user, "proposal.record_feedback", proposal) ? await feedbackCorrectable(db, proposal.id) : null;
  const mayCorrectFeedback = !!correctable?.ok && (accessOf(user, "proposal.record_feedback") === "any" || correctable.eventActorId === user.id);
  // what 公开 would put up, named on its button's form (after a 不满意, an earlier reply too)
  const toPublish = actions.includes("publish") ? await lettersToPublish(db, { proposalId: proposal.id, state: proposal.state, latest: publishesLatestReply(ctx) }) : [];
  return {
    proposal: { ...proposal, batchRules: null },
    history,
    extensions: extensionList,
    publications: publicationList,
    feedbackAnswers: feedbackList,
    coUnits,
    handlers: people.filter((u) => mayEver(u, "proposal.draft") && !u.disabled).map((u) => ({ id: u.id, name: u.displayName, phone: u.phone })),
    actions,
    mayCorrectFeedback,
    toPublish: toPublish.map((l) => ({ documentNumber: l.documentNumber, earlier: l.earlier })),
    letter: letter ? { state: letter.state, round: letter.round, documentNumber: letter.documentNumber } : null,
    deadline: proposalDeadline(proposal),
    suggestions: await suggestParagraphsForProposal(db, proposal),
    today: now,
    may: {
      edit: may(user, "proposal.register"),
      requestExtension: may(user, "extension.request", proposal),
      decideExtension: may(user, "extension.approve"),
      manageCoUnits: may(user, "proposal.manage_co_units", proposal) && coUnitsEditable(proposal),
      draft: may(user, "proposal.draft", proposal),
      withdrawPublication: may(user, "publication.withdraw"),
      publish: may(user, "proposal.publish"),
    },
  };
}

export type ActionResult = { intent: string; error: string | null; fieldErrors?: Record<string, string>; ok?: string; values?: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await requireVisibleProposal(request, { id: params.id, user });

  if (request.headers.get("Content-Type")?.startsWith("multipart/form-data")) {
    if (!may(user, "proposal.register")) throw new Response("您没有上传原件的权限。", { status: 403 });
    const { form, tooLarge } = await readMultipartForm(request);
    const upload = tooLarge ? { file: null, error: "文件过大，超过上传上限。" } : await readUpload(form.get("file"));
    if (upload.error || !upload.file) return data<ActionResult>({ intent: "upload", error: upload.error ?? "请选择要上传的文件。" }, { status: 400 });
    await db.transaction((tx) => addAttachment(tx, { proposalId: proposal.id, file: upload.file!, actorId: user.id }));
    return data<ActionResult>({ intent: "upload", error: null, ok: "原件已上传。" });
  }

  const raw = Object.fromEntries(await readForm(request)) as Record<string, string>;
  if (raw.intent === "feedback" || raw.intent === "feedback_correction") return feedbackAction(request, { db, user, proposal, raw });
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
          await withdrawPublication(tx, { proposalId: proposal.id, expectedVersion: f.version, actor: user, reason: f.reason, publicationId: f.publicationId || null });
          break;
        case "republish_reply":
          await republishEarlierReply(tx, { proposalId: proposal.id, expectedVersion: f.version, actor: user, publicationId: f.publicationId });
          break;
        case "co_unit_add":
        case "co_unit_remove":
        case "co_opinion":
          if (f.intent === "co_unit_add") await addCoUnit(tx, { proposalId: proposal.id, name: f.name, actor: user });
          else if (f.intent === "co_unit_remove") await removeCoUnit(tx, { proposalId: proposal.id, coUnitId: f.coUnitId, actor: user });
          else await markCoOpinion(tx, { proposalId: proposal.id, coUnitId: f.coUnitId, receivedOn: f.receivedOn, actor: user, today: today() });
          break;
      }
    });
  } catch (e) {
    if (e instanceof WorkflowRefusedError)
      return data<ActionResult>(
        e.field ? { intent: f.intent, error: "请按提示修改后再提交。", fieldErrors: { [e.field]: e.message }, values: raw } : { intent: f.intent, error: e.message, values: raw },
        { status: 400 },
      );
    if (e instanceof VersionConflictError)
      return data<ActionResult>(
        { intent: f.intent, error: await meanwhileRefusal(db, { proposalId: proposal.id, seen: raw.seenEvent, userId: user.id }), values: raw },
        { status: 409 },
      );
    throw e;
  }
  if ((f.intent === "workflow" && f.action === "publish") || f.intent === "republish_reply")
    await audit(request, { actor: user, action: "published", target: `${proposal.meeting}第${proposal.number}号提案` });
  if (f.intent === "withdraw_publication") await audit(request, { actor: user, action: "withdrawn", target: `${proposal.meeting}第${proposal.number}号提案`, detail: f.reason });
  // Mail goes out after the commit; a mail failure never undoes the action.
  void deliverPendingEmails(db);
  throw redirect(`/proposals/${proposal.id}?done=${f.intent === "workflow" ? f.action : f.intent}`);
}

/** 登记征询意见 (or 更正征询意见, with its reason), one answer per proposer: stored with the transition, or nothing is. */
async function feedbackAction(
  _request: Request,
  c: { db: Awaited<ReturnType<typeof requireVisibleProposal>>["db"]; user: SessionUser; proposal: { id: number; assignedOn: string }; raw: Record<string, string> },
) {
  const intent = c.raw.intent === "feedback_correction" ? "feedback_correction" : "feedback";
  const form = readFeedbackForm(c.raw);
  const reason = (c.raw.reason ?? "").trim();
  const reasonError = intent === "feedback_correction" ? (!reason ? "请填写更正原因。" : reason.length > 500 ? "更正原因过长（最多 500 字）。" : null) : null;
  if (!form.ok || reasonError)
    return data<ActionResult>(
      { intent, error: "请按提示修改后再提交。", fieldErrors: { ...(form.ok ? {} : form.fieldErrors), ...(reasonError ? { reason: reasonError } : {}) }, values: c.raw },
      { status: 400 },
    );
  const given = { proposalId: c.proposal.id, expectedVersion: form.version, actor: c.user, answers: form.answers, today: today(), assignedOn: c.proposal.assignedOn };
  try {
    await c.db.transaction((tx) => (intent === "feedback_correction" ? correctFeedback(tx, { ...given, reason }) : recordFeedbackAnswers(tx, given)));
  } catch (e) {
    if (e instanceof WorkflowRefusedError) {
      const fieldErrors = e.fieldErrors && Object.fromEntries(Object.entries(e.fieldErrors).map(([k, v]) => [k, v.join("")]));
      const beside = fieldErrors ?? (e.field === "reason" ? { reason: e.message } : undefined);
      return data<ActionResult>({ intent, error: beside ? "请按提示修改后再提交。" : e.message, ...(beside ? { fieldErrors: beside } : {}), values: c.raw }, { status: 400 });
    }
    if (e instanceof VersionConflictError)
      return data<ActionResult>(
        { intent, error: await meanwhileRefusal(c.db, { proposalId: c.proposal.id, seen: c.raw.seenEvent, userId: c.user.id }), values: c.raw },
        { status: 409 },
      );
    throw e;
  }
  void deliverPendingEmails(c.db);
  throw redirect(`/proposals/${c.proposal.id}?done=${intent === "feedback_correction" ? "feedback_corrected" : "record_feedback"}`);
}
