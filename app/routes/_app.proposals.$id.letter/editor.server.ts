/**
 * The 答复函 editor's submissions (a conform form): list intents come back unsaved, as the form
 * state; every other op — 保存, autosave, an insert from the library or a past letter, 改正, a
 * library update accepted, 参照此函起草 over a draft, 提交签发 — saves a revision first.
 */
import { parseWithZod } from "@conform-to/zod/v4";
import { data, redirect } from "@remix-run/node";
import { z } from "zod";
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { type Draft, draftSchema, withoutDefaultAddressee } from "~/domain/draft";
import { draftFormSchema, draftFromForm, parseDraftFormSafely, readEditorOp } from "~/domain/draft-form";
import { applyDraftFixes, blockFixes, mustFixes, proofreadDraft } from "~/domain/proofread-draft";
import { visibilityFor } from "~/models/access.server";
import { today } from "~/models/deadline.server";
import { blocksOfLetter, draftFromLetter } from "~/models/letter-reuse.server";
import { DraftNotEditableError, getCurrentLetter, getRevision, saveDraft, submitLetter } from "~/models/letter.server";
import { acceptLibraryUpdate, libraryBlocks } from "~/models/letter-sources.server";
import { proposalFacts, templateFor } from "~/models/letter-templates.server";
import { deliverPendingEmails } from "~/models/notification.server";
import { lockProposal } from "~/models/proposal.server";
import type { VisibleProposal } from "~/models/visible-proposal.server";
import { WorkflowRefusedError } from "~/models/workflow.server";
import type { EditResult } from "./letter.server";

function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return null;
  }
}

/** The draft as typed, for the conflict screen: from the conform fields, or the conflict form's JSON. */
export function typedDraft(form: FormData): Draft {
  const json = form.get("draftJson");
  if (typeof json === "string" && json) {
    const r = draftSchema.safeParse(safeJson(json));
    if (r.success) return r.data as Draft;
  }
  const s = parseDraftFormSafely(() => parseWithZod(form, { schema: draftFormSchema }));
  return draftFromForm((s ? (s.status === "success" ? s.value : s.payload) : {}) as Record<string, unknown>);
}

/**
 * One submission of the editor. `step.applied`: the draft with the step applied (a paragraph
 * inserted, a fix), for the conflict screen — set before saving.
 */
export async function editorStep(
  db: Db,
  r: { request: Request; form: FormData; proposal: VisibleProposal; user: SessionUser; back: (extra?: string) => string; step: { applied?: Draft } },
) {
  const { request, form, proposal, user, back, step } = r;
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
  if (op.op === "restore") {
    // 恢复为第 N 版: what was typed is saved first (it stays in the history), then the chosen version
    // over it — from the editor's own form, so its unsaved typing and its latest autosave go with it
    const revision = await getRevision(db, op.revisionId);
    // only this draft's own history (another round's or another proposal's revision is not offered)
    if (revision?.letterId !== letter.id) return data<EditResult>({ error: "该版本已不在本稿的保存记录中（可能已与之后的自动保存合并），请刷新页面。" }, { status: 409 });
    step.applied = draft;
    await db.transaction(async (tx) => {
      const typed = await saveDraft(tx, { letterId: letter.id, baseRevisionId: base.data, draft, actor: user, kind: "save", merge: true });
      await saveDraft(tx, { letterId: letter.id, baseRevisionId: typed.revisionId, draft: revision.draft, actor: user, kind: "save" });
    });
    throw redirect(back("?done=restored"));
  }
  const insertAt = Math.min(value?.insertAt ?? draft.blocks.length, draft.blocks.length);
  if (op.op === "insert") {
    const added = await libraryBlocks(db, op.paragraphId);
    draft = { ...draft, blocks: [...draft.blocks.slice(0, insertAt), ...added, ...draft.blocks.slice(insertAt)] };
  } else if (op.op === "letter") {
    const { blocks } = await blocksOfLetter(db, op.letterId, (await visibilityFor(db, user)).scope);
    draft = { ...draft, blocks: [...draft.blocks.slice(0, insertAt), ...blocks.slice(op.from, op.to), ...draft.blocks.slice(insertAt)] };
  } else if (op.op === "accept") draft = await acceptLibraryUpdate(db, draft, op.blockId, op.versionId);
  let fixMissed = false;
  if (op.op === "fix") {
    const fixed = applyDraftFixes(draft, [op]);
    draft = fixed.draft;
    // the text there changed since the finding was shown (typed without JavaScript, then 改正): said, not skipped silently
    fixMissed = fixed.applied === 0;
  } else if (op.op === "fix-must") draft = applyDraftFixes(draft, mustFixes(proofreadDraft(template, facts, draft))).draft;
  else if (op.op === "fix-block") draft = applyDraftFixes(draft, blockFixes(proofreadDraft(template, facts, draft), op.blockId)).draft;
  step.applied = draft;

  // The proposal as the clerk saw it (案由, proposers, 会办 opinions): 提交签发 goes on that, or not at all.
  const seen = z.coerce
    .number()
    .int()
    .safeParse(value?.version ?? form.get("version"));
  const saved = await db.transaction(async (tx) => {
    // A submit holds the proposal's row before the letter's, the order 改派 takes them (the other order deadlocked).
    const version = op.op === "submit" ? await lockProposal(tx, proposal.id) : null;
    // keep-mine posts the version it showed as theirs: a save made since then is a new conflict.
    // Saved elsewhere meanwhile: put together with it where the two changed different places (an
    // autosave gets the conflict screen instead: its page would go on without the other's changes).
    const r = await saveDraft(tx, {
      letterId: letter.id,
      baseRevisionId: base.data,
      draft,
      actor: user,
      kind: op.op === "autosave" ? "autosave" : "save",
      merge: op.op !== "autosave",
    });
    if (op.op === "submit") {
      // Changed since the page was opened: the typing is saved, the submission waits for a look at the change.
      if (!seen.success || seen.data !== version) return { ...r, stale: true };
      // nor is a letter submitted with a colleague's changes its sender has not seen
      if (r.mergedWith) return { ...r, mergedUnseen: true };
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
  if ("mergedUnseen" in saved) throw redirect(back("?done=merged-unsent"));
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
  const fixed = op.op === "fix" || op.op === "fix-block" || op.op === "accept" ? draft.blocks.findIndex((b) => b.id === op.blockId) : -1;
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
  const done = op.op === "submit" ? "submit" : saved.mergedWith ? "merged" : fixMissed ? "fix-missed" : "save";
  throw redirect(back(`?done=${done}${q ? `&q=${encodeURIComponent(q)}` : ""}${anchor}`));
}
