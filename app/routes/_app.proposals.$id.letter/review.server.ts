/**
 * The 答复函 page's steps other than editing: 开始起草, 签发, 退回修改, 更正, 重新起草, and
 * 参照此函起草 from a page without a draft. Each is one transaction; the page is redirected to.
 */
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { may } from "~/domain/permissions";
import { visibilityFor } from "~/models/access.server";
import { today } from "~/models/deadline.server";
import { draftFromLetter } from "~/models/letter-reuse.server";
import { signLetter, startDraft } from "~/models/letter.server";
import { deliverPendingEmails } from "~/models/notification.server";
import type { VisibleProposal } from "~/models/visible-proposal.server";
import { performAction } from "~/models/workflow.server";
import type { EditResult } from "./letter.server";

// counted as the textarea counts (a line break is one character; the browser posts it as CRLF);
// no maxLength on the textarea: the browser would cut a paste without a word
const comment = (required: string, tooLong: string) =>
  z
    .string()
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(
      z
        .string()
        .min(1, required)
        .max(2000, { error: (i) => `${tooLong}（最多 2000 字，现有 ${String(i.input).length} 字）` }),
    );

const reviewSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start") }),
  z.object({
    intent: z.literal("sign"),
    version: z.coerce.number().int(),
    printSignerName: z.literal("on").optional(),
    confirmMissingOpinions: z.literal("on").optional(),
  }),
  z.object({ intent: z.literal("return"), version: z.coerce.number().int(), comment: comment("退回修改须填写修改意见", "意见过长") }),
  z.object({ intent: z.literal("correct"), version: z.coerce.number().int(), comment: comment("更正须说明原因", "说明过长") }),
  // 再办理 from this page: 重新起草 and the new round's draft in one step
  z.object({ intent: z.literal("restart"), version: z.coerce.number().int() }),
]);
const reuseSchema = z.object({
  intent: z.literal("reuse"),
  letterId: z.coerce.number().int().positive().max(2147483647),
  baseRevisionId: z.coerce.number().int().positive().max(2147483647).optional(),
});

/** A refused 退回修改/更正 keeps what was typed (without JavaScript the page is drawn afresh). */
export function typedReview(form: FormData): { intent: "return" | "correct"; comment: string } | null {
  const intent = form.get("intent");
  const comment = form.get("comment");
  return (intent === "return" || intent === "correct") && typeof comment === "string" ? { intent, comment } : null;
}

/** A step of review or reuse: throws the redirect to the page, or answers a refusal of the form. */
export async function reviewStep(db: Db, r: { form: FormData; proposal: VisibleProposal; user: SessionUser; back: (extra?: string) => string }) {
  const { form, proposal, user, back } = r;
  if (form.get("intent") === "reuse") {
    const reuse = reuseSchema.safeParse(Object.fromEntries(form));
    if (!reuse.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
    const scope = (await visibilityFor(db, user)).scope;
    await db.transaction((tx) =>
      draftFromLetter(tx, { proposalId: proposal.id, fromLetterId: reuse.data.letterId, actor: user, scope, baseRevisionId: reuse.data.baseRevisionId ?? null }),
    );
    throw redirect(back("?done=reuse"));
  }
  const parsed = reviewSchema.safeParse(Object.fromEntries(form));
  if (!parsed.success) {
    const message = parsed.error.issues[0].message;
    const typed = typedReview(form);
    const onComment = parsed.error.issues[0].path[0] === "comment";
    // said once: beside the comment when it is about the comment (a second alert at the top read it twice)
    const fieldError = onComment && typed;
    return data<EditResult>({ error: fieldError ? null : message, ...(typed ? { review: { ...typed, error: onComment ? message : null } } : {}) }, { status: 400 });
  }
  const f = parsed.data;
  await db.transaction(async (tx) => {
    if (f.intent === "start") await startDraft(tx, { proposalId: proposal.id, actor: user });
    else if (f.intent === "sign")
      await signLetter(tx, {
        proposalId: proposal.id,
        expectedVersion: f.version,
        actor: user,
        today: today(),
        printSignerName: f.printSignerName === "on",
        confirmMissingOpinions: f.confirmMissingOpinions === "on",
      });
    else if (f.intent === "return")
      await performAction(tx, { proposalId: proposal.id, expectedVersion: f.version, action: "return", actor: user, input: { comment: f.comment }, today: today() });
    else if (f.intent === "restart") {
      await performAction(tx, { proposalId: proposal.id, expectedVersion: f.version, action: "restart_drafting", actor: user, input: {}, today: today() });
      await startDraft(tx, { proposalId: proposal.id, actor: user });
    } else {
      await performAction(tx, { proposalId: proposal.id, expectedVersion: f.version, action: "correct", actor: user, input: { comment: f.comment }, today: today() });
      // the handler who asks for the correction makes it: the new draft (the signed text) is there at once
      if (may(user, "proposal.draft", proposal)) await startDraft(tx, { proposalId: proposal.id, actor: user });
    }
  });
  void deliverPendingEmails(db);
  throw redirect(back(`?done=${f.intent}`));
}
