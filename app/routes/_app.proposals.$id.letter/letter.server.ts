/**
 * The 答复函 page's loader and action: the handler's draft (a conform form whose list intents
 * work without JavaScript; ops that need the server save a revision), the leader's review and
 * signing, corrections. The page itself is LetterPage.tsx.
 */
import { applyDraftFixes, mustFixes, proofreadDraft } from "~/domain/proofread-draft";
import { getVisibleProposal } from "~/models/visible-proposal.server";
import { visibilityFor } from "~/models/access.server";
import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getOptionalUser, requireUser } from "~/auth/session.server";
import { blockText, draftDiff, draftSchema, type Draft, withoutDefaultAddressee } from "~/domain/draft";
import { draftFormSchema, draftFromForm, parseDraftFormSafely, readEditorOp } from "~/domain/draft-form";
import { today } from "~/models/deadline.server";
import { lastEventId, listEvents, meanwhileRefusal } from "~/models/event.server";
import { blocksOfLetter, draftFromLetter, lettersByNumberQuery, letterSections, similarLettersForProposal } from "~/models/letter-reuse.server";
import {
  acceptLibraryUpdate,
  DraftConflictError,
  DraftNotEditableError,
  getCurrentLetter,
  keptReasonOf,
  getRevision,
  libraryBlocks,
  listLetters,
  listRevisions,
  outdatedSources,
  retiredSources,
  proposalFacts,
  reviewBaseline,
  saveDraft,
  signLetter,
  startDraft,
  submitLetter,
  templateFor,
} from "~/models/letter.server";
import { searchParagraphs } from "~/models/library-search.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { suggestParagraphsForProposal } from "~/models/suggestions.server";
import { lockProposal, VersionConflictError } from "~/models/proposal.server";
import { missingCoOpinions, performAction, WorkflowRefusedError, workflowContext } from "~/models/workflow.server";
import { availableActions, canEditDraft } from "~/domain/workflow";
import { may } from "~/domain/permissions";
import type { LetterHit, LibraryHit } from "~/ui/letter-editor";
import { readForm } from "~/http/form.server";

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

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await getVisibleProposal(request, { id: params.id, user });
  const url = new URL(request.url);
  const q = url.searchParams.get("q")?.trim().slice(0, 100) ?? "";
  const letter = await getCurrentLetter(db, proposal.id);
  const template = templateFor(proposal.bureauRole, letter?.templateId);
  const facts = proposalFacts(proposal);
  // Every flag below asks the workflow's table (which asks the policy), never the role directly.
  const actions = availableActions(workflowContext(proposal, user, today()));
  const mayDraft = canEditDraft(workflowContext(proposal, user, today()));
  const canEdit = letter?.state === "draft" && mayDraft;
  const canStart = !letter?.revision || (letter.state === "signed" && proposal.state === "drafting");
  const now = new Date();
  // Past letters offered for reuse: the user's own, or only disclosed ones of proposals they may not open.
  const reuseScope = (await visibilityFor(db, user)).scope;
  let hits: LibraryHit[] = [];
  let suggestions: LibraryHit[] = [];
  const letterHits: LetterHit[] = [];
  if (canEdit) {
    const toHit = (r: { id: number; title: string; source: string; snippet: unknown; stale: string[]; version: number }) => ({
      id: r.id,
      title: r.title,
      source: r.source,
      snippet: r.snippet as LibraryHit["snippet"],
      stale: r.stale,
      version: r.version,
    });
    if (q) hits = (await searchParagraphs(db, { q, limit: 10, today: now, status: "active", ...reuseScope })).rows.map(toHit);
    // "108号": offer that letter's whole body and each of its sections.
    if (q) {
      for (const l of await lettersByNumberQuery(db, q, reuseScope)) {
        const { blocks } = await blocksOfLetter(db, l.letterId, reuseScope);
        letterHits.push({
          letterId: l.letterId,
          documentNumber: l.documentNumber,
          blocks: blocks.length,
          sections: letterSections(blocks).map((s) => ({ title: s.title, start: s.start, end: s.end })),
        });
      }
    }
    suggestions = (await suggestParagraphsForProposal(db, proposal, 8)).map((r) => ({ ...toHit(r), why: r.why }));
  }
  const draft = letter?.revision?.draft ?? null;
  // The leader's return comment stays in view until the draft is submitted again.
  const lastVerdict = proposal.state === "drafting" ? (await listEvents(db, proposal.id)).filter((e) => e.kind === "return" || e.kind === "submit").at(-1) : undefined;
  const returned = lastVerdict?.kind === "return" ? { by: lastVerdict.actorName, at: lastVerdict.at, comment: lastVerdict.comment ?? "" } : null;
  const mayStart = canStart && mayDraft;
  // 参照往年答复: offered while the handler can start or edit the draft.
  const similar =
    canEdit || mayStart
      ? (await similarLettersForProposal(db, proposal.id, reuseScope, 5)).map((s) => ({
          letterId: s.letterId,
          documentNumber: s.documentNumber,
          title: s.title,
          reason: s.reason,
          date: s.date,
          excerpt: s.body.length > 90 ? `${s.body.slice(0, 90)}…` : s.body,
        }))
      : [];
  // "Every save is a revision with a diff to the previous one": ?rev=<id> shows that diff.
  const revs = letter ? await listRevisions(db, letter.id) : [];
  const revId = Number(url.searchParams.get("rev"));
  const shown = revs.find((r) => r.id === revId);
  const previous = shown ? revs.find((r) => r.revisionNo === shown.revisionNo - 1) : undefined;
  // Read again, not from the list: an autosave merge may replace a revision in between (then: no diff).
  const [shownRev, previousRev] = shown ? await Promise.all([getRevision(db, shown.id), previous ? getRevision(db, previous.id) : null]) : [null, null];
  const revisionDiff = shown && shownRev ? { revisionNo: shown.revisionNo, diff: draftDiff(previousRev?.draft ?? null, shownRev.draft) } : null;
  const baseline = letter?.submittedRevisionId && proposal.state === "in_review" ? await reviewBaseline(db, letter) : null;
  const review =
    letter?.submittedRevisionId && proposal.state === "in_review"
      ? {
          previous: baseline?.draft ?? null,
          signedAs: baseline?.signedAs ?? null,
          reused: baseline?.reused ?? false,
          current: (await getRevision(db, letter.submittedRevisionId))!.draft,
        }
      : null;
  return {
    user,
    proposal: {
      id: proposal.id,
      number: proposal.number,
      meeting: proposal.meeting,
      title: proposal.title,
      state: proposal.state,
      version: proposal.version,
      /** The last history entry: sent back by the forms, a refusal names what happened since. */
      seenEvent: await lastEventId(db, proposal.id),
      handlerName: proposal.handlerName,
      bureauRole: proposal.bureauRole,
    },
    template,
    /** 公文校对 of the draft as it stands (the editor recomputes as the handler types; the leader sees these). */
    proofread: draft && (canEdit || actions.includes("sign")) ? proofreadDraft(template, facts, draft) : [],
    keptFindingsNote: letter?.keptFindingsNote ?? null,
    /** After 退回: the reason given at the last submission for keeping must-fix findings, offered again. */
    lastKeepReason: canEdit ? keptReasonOf(letter?.keptFindingsNote) : null,
    /** 主办 with 会办 units: whose opinion has not arrived (提交签发 and 签发 ask for a confirmation). */
    missingOpinions: proposal.bureauRole === "lead" && (canEdit || actions.includes("sign")) ? await missingCoOpinions(db, proposal.id) : [],
    /** What this page is about: a reply, or (会办) the opinion sent to the lead unit. */
    docName: template.kind === "reply" ? "答复函" : "会办意见",
    facts,
    letter: letter
      ? {
          id: letter.id,
          round: letter.round,
          state: letter.state,
          documentNumber: letter.documentNumber,
          finalLetter: letter.finalLetter,
          revisionId: letter.revision?.id ?? null,
          revisionNo: letter.revision?.revisionNo ?? null,
        }
      : null,
    draft,
    rounds: await listLetters(db, proposal.id),
    revisions: revs,
    revisionDiff,
    outdated: canEdit && draft ? await outdatedSources(db, draft) : [],
    retired: canEdit && draft ? await retiredSources(db, draft) : [],
    review: review ? { diff: draftDiff(review.previous, review.current), firstSubmission: !review.previous, signedAs: review.signedAs, reused: review.reused } : null,
    q,
    today: today(),
    hits,
    letterHits,
    suggestions,
    similar,
    returned,
    may: {
      edit: canEdit,
      start: mayStart,
      review: actions.includes("sign"),
      correct: actions.includes("correct"),
      restart: actions.includes("restart_drafting"),
      /** the handler has not yet taken it on (签收): drafting starts after */
      acknowledge: actions.includes("acknowledge"),
    },
  };
}

export type EditResult = {
  error: string | null;
  /** Conform's answer: the form as the server sees it (after a list intent, or with field errors). */
  result?: SubmissionResult<string[]>;
  conflict?: { mine: Draft; theirs: Draft; theirsRevisionId: number; by: string | null; self: boolean; diff: ReturnType<typeof draftDiff> };
  autosaved?: number;
  /** 退回修改 or 更正 refused: its comment as typed, and what was wrong with it (shown beside the field). */
  review?: { intent: "return" | "correct"; comment: string; error: string | null };
  /** An edit refused because the draft can no longer be edited (submitted or signed meanwhile): the text as typed, to copy. */
  unsaved?: string[];
  /** A list step (move, delete, add a block) done on the server without JavaScript: shown, not yet saved. */
  notSaved?: boolean;
};

/** A refused 退回修改/更正 keeps what was typed (without JavaScript the page is drawn afresh). */
function typedReview(form: FormData): { intent: "return" | "correct"; comment: string } | null {
  const intent = form.get("intent");
  const comment = form.get("comment");
  return (intent === "return" || intent === "correct") && typeof comment === "string" ? { intent, comment } : null;
}

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** The draft as typed, for the conflict screen: from the conform fields, or the conflict form's JSON. */
function typedDraft(form: FormData): Draft {
  const json = form.get("draftJson");
  if (typeof json === "string" && json) {
    const r = draftSchema.safeParse(safeJson(json));
    if (r.success) return r.data as Draft;
  }
  const s = parseDraftFormSafely(() => parseWithZod(form, { schema: draftFormSchema }));
  return draftFromForm((s ? (s.status === "success" ? s.value : s.payload) : {}) as Record<string, unknown>);
}

export async function action({ request, params }: ActionFunctionArgs) {
  // Signed out meanwhile (an editor left open past the session, a restore): answering with the
  // sign-in page would navigate away from the typing (an autosave's redirect is followed too).
  const signedIn = await getOptionalUser(request);
  if (!signedIn) return data<EditResult>({ error: "登录已过期，刚才的修改尚未保存。请在新的标签页中重新登录，再回到本页点“保存”（本页输入的内容仍在）。" }, { status: 401 });
  const user = await requireUser(request, signedIn);
  const { db, proposal } = await getVisibleProposal(request, { id: params.id, user });
  const form = await readForm(request);
  const back = (extra = "") => `/proposals/${proposal.id}/letter${extra}`;
  // the draft with the step applied (a paragraph inserted, a fix): a conflict offers that as "mine",
  // not the draft as typed before it — 保留我的版本 dropped the paragraph just inserted
  let applied: Draft | undefined;
  try {
    if (form.get("intent") === "reuse") {
      const r = reuseSchema.safeParse(Object.fromEntries(form));
      if (!r.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
      const scope = (await visibilityFor(db, user)).scope;
      await db.transaction((tx) =>
        draftFromLetter(tx, { proposalId: proposal.id, fromLetterId: r.data.letterId, actor: user, scope, baseRevisionId: r.data.baseRevisionId ?? null }),
      );
      throw redirect(back("?done=reuse"));
    }
    if (form.get("intent") !== "edit") {
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

    // The editor (a conform form): list intents come back unsaved; ops that need the server save.
    const json = form.get("draftJson");
    const fromConflictForm = typeof json === "string" && json !== "";
    const submission = fromConflictForm ? null : parseDraftFormSafely(() => parseWithZod(form, { schema: draftFormSchema }));
    if (!fromConflictForm && !submission) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
    // (without JavaScript: 上移/下移/删除/＋ 段落 come here and are not saved — the page says so)
    if (submission && submission.status === undefined) return data<EditResult>({ error: null, result: submission.reply(), notSaved: true });
    if (submission && submission.status === "error") return data<EditResult>({ error: "请按提示修改后再保存。", result: submission.reply() }, { status: 400 });
    const value = submission?.status === "success" ? submission.value : null;
    const op = readEditorOp(form.get("op"));
    const base = z.coerce
      .number()
      .int()
      .positive()
      .max(2_147_483_647)
      .safeParse(value?.baseRevisionId ?? form.get("baseRevisionId"));
    if (!op || !base.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
    let draft: Draft;
    if (value) draft = draftFromForm(value);
    else {
      const parsed = draftSchema.safeParse(safeJson(String(json)));
      if (!parsed.success) return data<EditResult>({ error: "请求无效，请刷新页面后重试。" }, { status: 400 });
      draft = parsed.data as Draft;
    }
    const letter = await getCurrentLetter(db, proposal.id);
    if (letter?.state !== "draft") throw new DraftNotEditableError("没有可编辑的答复稿。");
    const template = templateFor(proposal.bureauRole, letter.templateId);
    const facts = proposalFacts(proposal);
    draft = withoutDefaultAddressee(draft, facts.leadUnit);
    if (op.op === "reuse") {
      const scope = (await visibilityFor(db, user)).scope;
      await db.transaction(async (tx) => {
        // what was typed, saved or not, is saved first: the body it replaces stays in the save history
        const typed = await saveDraft(tx, { letterId: letter.id, baseRevisionId: base.data, draft, actor: user, kind: "save" });
        await draftFromLetter(tx, { proposalId: proposal.id, fromLetterId: op.letterId, actor: user, scope, baseRevisionId: typed.revisionId });
      });
      throw redirect(back("?done=reuse"));
    }
    const insertAt = Math.min(value?.insertAt ?? draft.blocks.length, draft.blocks.length);
    if (op.op === "insert") {
      const added = await libraryBlocks(db, op.paragraphId);
      draft = { ...draft, blocks: [...draft.blocks.slice(0, insertAt), ...added, ...draft.blocks.slice(insertAt)] };
    } else if (op.op === "letter") {
      const { blocks } = await blocksOfLetter(db, op.letterId, (await visibilityFor(db, user)).scope);
      draft = { ...draft, blocks: [...draft.blocks.slice(0, insertAt), ...blocks.slice(op.from, op.to), ...draft.blocks.slice(insertAt)] };
    } else if (op.op === "accept") draft = await acceptLibraryUpdate(db, draft, op.blockId, op.versionId);
    else if (op.op === "fix") draft = applyDraftFixes(draft, [op]).draft;
    else if (op.op === "fix-must") draft = applyDraftFixes(draft, mustFixes(proofreadDraft(template, facts, draft))).draft;
    applied = draft;

    // The proposal as the clerk saw it (案由, proposers, 会办 opinions): 提交签发 goes on that, or not at all.
    const seen = z.coerce
      .number()
      .int()
      .safeParse(value?.version ?? form.get("version"));
    const saved = await db.transaction(async (tx) => {
      // A submit holds the proposal's row before the letter's, the order 改派 takes them (the other order deadlocked).
      const version = op.op === "submit" ? await lockProposal(tx, proposal.id) : null;
      // keep-mine posts the version it showed as theirs: a save made since then is a new conflict.
      const r = await saveDraft(tx, { letterId: letter.id, baseRevisionId: base.data, draft, actor: user, kind: op.op === "autosave" ? "autosave" : "save" });
      if (op.op === "submit") {
        // Changed since the page was opened: the typing is saved, the submission waits for a look at the change.
        if (!seen.success || seen.data !== version) return { ...r, stale: true };
        try {
          // In a savepoint: a refused submission (incomplete, findings kept without a reason) leaves
          // the save made — it rolled back with it, and what was typed was lost after leaving the page.
          await tx.transaction((sp) =>
            submitLetter(sp, {
              proposalId: proposal.id,
              expectedVersion: version!,
              actor: user,
              today: today(),
              confirmMissingOpinions: form.get("confirmMissingOpinions") === "on",
              keepFindingsReason: typeof form.get("keepFindingsReason") === "string" ? String(form.get("keepFindingsReason")) : null,
            }),
          );
        } catch (err) {
          if (err instanceof WorkflowRefusedError) return { ...r, refused: err };
          throw err;
        }
      }
      return r;
    });
    if (op.op === "autosave") return { error: null, autosaved: saved.revisionId } satisfies EditResult;
    if ("stale" in saved) throw redirect(back("?done=stale"));
    if ("refused" in saved) {
      // the form comes back on the revision just saved, so the next save builds on it
      form.set("baseRevisionId", String(saved.revisionId));
      const { message, field, fieldErrors } = saved.refused;
      throw new WorkflowRefusedError(`已保存答复稿，但未提交签发。${message}`, undefined, fieldErrors ?? (field ? { [field]: [message] } : undefined));
    }
    if (op.op === "submit") void deliverPendingEmails(db);
    const q = op.op === "search" ? (value?.q?.trim() ?? "") : (new URL(request.url).searchParams.get("q") ?? "");
    // at the inserted block (its place may be 最前面 or after any paragraph): the page scrolls and focuses there
    // where the user is taken: the inserted block, or the library's results after a search (the page
    // opened at its top, thousands of pixels above them)
    // and after 保存 or a fix, where the user was (the editor is drawn afresh on the new revision:
    // focus fell to the page and it opened at its top)
    const fixed = op.op === "fix" || op.op === "accept" ? draft.blocks.findIndex((b) => b.id === op.blockId) : -1;
    const anchor =
      op.op === "insert" || op.op === "letter"
        ? `#block-${insertAt}`
        : op.op === "search"
          ? "#library"
          : fixed >= 0
            ? `#block-${fixed}`
            : op.op === "save" || op.op === "fix-must"
              ? "#save"
              : "";
    throw redirect(back(`?done=${op.op === "submit" ? "submit" : "save"}${q ? `&q=${encodeURIComponent(q)}` : ""}${anchor}`));
  } catch (err) {
    if (err instanceof DraftConflictError) {
      const mine = err.mine ?? applied ?? typedDraft(form);
      return data<EditResult>(
        {
          error: err.message,
          conflict: { mine, theirs: err.theirs.draft, theirsRevisionId: err.theirs.revisionId, by: err.theirs.by, self: err.theirs.self, diff: draftDiff(err.theirs.draft, mine) },
        },
        { status: 409 },
      );
    }
    // Submitted or signed meanwhile (another tab, the leader): the editor is gone from the page, so
    // the typing comes back as text to copy — it vanished with the editor — and the page says who acted.
    if (err instanceof DraftNotEditableError && form.get("intent") === "edit") {
      const unsaved = (applied ?? typedDraft(form)).blocks.map(blockText).filter((t) => t.trim());
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
