/**
 * The 答复函 page's loader and action: the handler's draft (a conform form whose list intents
 * work without JavaScript; ops that need the server save a revision), the leader's review and
 * signing, corrections. The page itself is LetterPage.tsx; its data loader.server.ts; the steps
 * review.server.ts and editor.server.ts. Here: which step a submission is, and how a refusal is shown.
 */
import type { SubmissionResult } from "@conform-to/react";
import { parseWithZod } from "@conform-to/zod/v4";
import { data, type ActionFunctionArgs } from "@remix-run/node";
import { getOptionalUser, requireUser } from "~/auth/session.server";
import { blockText, type Draft, draftDiff } from "~/domain/draft";
import { draftFormSchema, parseDraftFormSafely } from "~/domain/draft-form";
import type { DraftOverlap } from "~/domain/draft-merge";
import { readForm } from "~/http/form.server";
import { meanwhileRefusal } from "~/models/event.server";
import { DraftConflictError, DraftNotEditableError } from "~/models/letter.server";
import { VersionConflictError } from "~/models/proposal.server";
import { requireVisibleProposal } from "~/http/visible-proposal.server";
import { WorkflowRefusedError } from "~/models/workflow.server";
import { editorStep, typedDraft } from "./editor.server";
import { reviewStep, typedReview } from "./review.server";

export { loader } from "./loader.server";

export type EditResult = {
  error: string | null;
  /** Conform's answer: the form as the server sees it (after a list intent, or with field errors). */
  result?: SubmissionResult<string[]>;
  conflict?: {
    /** What 保留我的版本 saves: their changes with mine put in (mine where both changed), or, where the
     * revision mine started from is gone, mine whole (`merged` false) */
    mine: Draft;
    theirs: Draft;
    theirsRevisionId: number;
    by: string | null;
    self: boolean;
    merged: boolean;
    /** where both changed the same thing, in words (第 3 段, 段落顺序, 联系电话) */
    overlaps: string[];
    diff: ReturnType<typeof draftDiff>;
  };
  autosaved?: number;
  /** 退回修改 or 更正 refused: its comment as typed, and what was wrong with it (shown beside the field). */
  review?: { intent: "return" | "correct"; comment: string; error: string | null };
  /** An edit refused because the draft can no longer be edited (submitted or signed meanwhile): the text as typed, to copy. */
  unsaved?: string[];
  /** A list step (move, delete, add a block) done on the server without JavaScript: shown, not yet saved. */
  notSaved?: boolean;
};

const SETTING_WORDS: Record<string, string> = {
  outcome: "办理结果",
  disclosure: "公开属性",
  disclosureReason: "不予公开的理由",
  phone: "联系电话",
  printSignerName: "署名",
  addressee: "主送",
};
function overlapsInWords(overlaps: DraftOverlap[], draft: Draft): string[] {
  return overlaps.map((o) => {
    if (o.kind === "order") return "段落顺序";
    if (o.kind === "setting") return SETTING_WORDS[o.key] ?? o.key;
    if (o.kind === "added") {
      const at = draft.blocks.findIndex((b) => b.id === o.id);
      return at >= 0 ? `同一处新增的段落（第 ${at + 1} 段）` : "同一处新增的段落";
    }
    const at = draft.blocks.findIndex((b) => b.id === o.id);
    return at >= 0 ? `第 ${at + 1} 段` : "一个段落";
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed out meanwhile (an editor left open past the session, a restore): answering with the
  // sign-in page would navigate away from the typing (an autosave's redirect is followed too).
  const signedIn = await getOptionalUser(request);
  if (!signedIn) return data<EditResult>({ error: "登录已过期，刚才的修改尚未保存。请在新的标签页中重新登录，再回到本页点“保存”（本页输入的内容仍在）。" }, { status: 401 });
  const user = await requireUser(request, signedIn);
  const { db, proposal } = await requireVisibleProposal(request, { id: params.id, user });
  const form = await readForm(request);
  const back = (extra = "") => `/proposals/${proposal.id}/letter${extra}`;
  // the draft with the step applied (a paragraph inserted, a fix): a conflict offers that as "mine",
  // not the draft as typed before it — 保留我的版本 dropped the paragraph just inserted
  const step: { applied?: Draft } = {};
  try {
    if (form.get("intent") !== "edit") return await reviewStep(db, { form, proposal, user, back });
    return await editorStep(db, { request, form, proposal, user, back, step });
  } catch (err) {
    if (err instanceof DraftConflictError) {
      const mine = err.merged?.draft ?? err.mine ?? step.applied ?? typedDraft(form);
      const overlaps = err.merged ? overlapsInWords(err.merged.overlaps, mine) : [];
      return data<EditResult>(
        {
          error: err.message,
          conflict: {
            mine,
            theirs: err.theirs.draft,
            theirsRevisionId: err.theirs.revisionId,
            by: err.theirs.by,
            self: err.theirs.self,
            merged: Boolean(err.merged),
            overlaps,
            diff: draftDiff(err.theirs.draft, mine),
          },
        },
        { status: 409 },
      );
    }
    // Submitted or signed meanwhile (another tab, the leader): the editor is gone from the page, so
    // the typing comes back as text to copy — it vanished with the editor — and the page says who acted.
    if (err instanceof DraftNotEditableError && form.get("intent") === "edit") {
      const unsaved = (step.applied ?? typedDraft(form)).blocks.map(blockText).filter((t) => t.trim());
      const error = await meanwhileRefusal(db, {
        proposalId: proposal.id,
        seen: form.get("seenEvent"),
        userId: user.id,
        tail: "答复稿已不能修改，您刚才的修改未保存：内容见下方，可复制留用。",
      });
      return data<EditResult>({ error, unsaved }, { status: 409 });
    }
    if (err instanceof WorkflowRefusedError) {
      // What was typed stays in the form, with the reason beside it.
      const result =
        form.get("intent") === "edit" && !form.get("draftJson")
          ? (parseDraftFormSafely(() =>
              parseWithZod(form, { schema: draftFormSchema }).reply({
                formErrors: [err.message],
                fieldErrors: err.fieldErrors ?? (err.field ? { [err.field]: [err.message] } : {}),
              }),
            ) ?? undefined)
          : undefined;
      const typed = typedReview(form);
      return data<EditResult>({ error: err.message, result, ...(typed ? { review: { ...typed, error: null } } : {}) }, { status: 400 });
    }
    if (err instanceof VersionConflictError) {
      const typed = typedReview(form);
      const error = await meanwhileRefusal(db, { proposalId: proposal.id, seen: form.get("seenEvent"), userId: user.id, tail: "请刷新页面查看最新状态。" });
      return data<EditResult>({ error, ...(typed ? { review: { ...typed, error: null } } : {}) }, { status: 409 });
    }
    throw err;
  }
}
