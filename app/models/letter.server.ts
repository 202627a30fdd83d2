/**
 * Letters: drafts with immutable revisions (conflict-checked), submission, signing with a
 * gapless 文号 series, the frozen final Letter, corrections as new rounds. Beside it: the 文号
 * series (document-numbers.server.ts), the library in drafts (letter-sources.server.ts), the
 * templates and the Letter a draft builds (letter-templates.server.ts).
 */
import { may } from "~/domain/permissions";
import { and, asc, desc, eq, max, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { events, type FieldChange, letterRevisions, letters, proposals, users } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { sanitizeDraft, DISCLOSURE_TO_WORKFLOW, draftProblems, draftSchema, draftToLetterInput, emptyDraft, type Draft, type ProposalFacts } from "~/domain/draft";
import { draftLimitProblem } from "~/domain/draft-form";
import { type DraftMerge, mergeDrafts, sameData } from "~/domain/draft-merge";
import { cleanText } from "~/domain/proposal";
import { type DraftFinding, keptFindingsSummary, listFindings, proofreadDraft } from "~/domain/proofread-draft";
import { formatDocumentNumber, letterProblems, letterSchema, parseDocumentNumber, tryBuildLetter, type Letter, type LetterTemplate, sanitizeText } from "~/domain/letter";
import { DISCLOSURE_LABELS as WORKFLOW_DISCLOSURE_LABELS, guardTransition, STATE_LABELS, type Disclosure as WorkflowDisclosure, type ProposalState } from "~/domain/workflow";
import { allocateNumber, registerExternalNumber } from "./document-numbers.server";
import { recordEvent } from "./event.server";
import { syncParagraphUses, verifySources } from "./letter-sources.server";
import { previewLetter, proposalFacts, templateFor } from "./letter-templates.server";
import { getProposal, VersionConflictError } from "./proposal.server";
import { transitionForLetter, WorkflowRefusedError, workflowContext } from "./workflow.server";
import { missingCoOpinions } from "./co-unit.server";

export class DraftConflictError extends Error {
  constructor(
    /** `self`: saved by the same person (another window or tab), not a colleague. */
    public theirs: { revisionId: number; draft: Draft; by: string | null; at: Date; self: boolean },
    /** What the refused save would have written, when it was not typed (参照此函起草 computes it). */
    public mine?: Draft,
    /** Their changes and mine since the revision mine started from, put together (mine where both changed). */
    public merged?: DraftMerge,
  ) {
    super(
      theirs.self
        ? "这份答复稿已在您的另一个窗口（或标签页）中保存过新的版本。请对照两个版本，决定保留哪一个。"
        : "这份答复稿已被其他人保存过新的版本。请对照两个版本，决定保留哪一个。",
    );
    this.name = "DraftConflictError";
  }

  /** The conflict with the revision that got in first, as `actorId` meets it. */
  static over(
    revision: { id: number; draft: Draft; by: string | null; createdAt: Date; createdBy: string | null },
    actorId: string,
    mine?: Draft,
    merged?: DraftMerge,
  ): DraftConflictError {
    return new DraftConflictError({ revisionId: revision.id, draft: revision.draft, by: revision.by, at: revision.createdAt, self: revision.createdBy === actorId }, mine, merged);
  }
}

// ── reading ──────────────────────────────────────────────────────────────
/** A revision as the pages read it (with `by`, its author's name, joined beside). */
const revisionColumns = {
  id: letterRevisions.id,
  letterId: letterRevisions.letterId,
  revisionNo: letterRevisions.revisionNo,
  draft: letterRevisions.draft,
  kind: letterRevisions.kind,
  createdAt: letterRevisions.createdAt,
  createdBy: letterRevisions.createdBy,
};

export async function getCurrentLetter(db: Db, proposalId: number) {
  // Letter and revision in one statement (one snapshot): a merged autosave replaces the revision
  // row, and a second query could miss both the old row and the new one.
  const [row] = await db
    .select({
      l: letters,
      rev: revisionColumns,
      by: users.displayName,
    })
    .from(letters)
    .leftJoin(letterRevisions, eq(letterRevisions.id, letters.currentRevisionId))
    .leftJoin(users, eq(users.id, letterRevisions.createdBy))
    .where(eq(letters.proposalId, proposalId))
    .orderBy(desc(letters.round))
    .limit(1);
  if (!row) return null;
  const { l, rev, by } = row;
  const revision = rev ? { ...rev, by, draft: draftSchema.parse(rev.draft) as Draft } : null;
  return { ...l, finalLetter: l.finalLetter ? letterSchema.parse(l.finalLetter) : null, revision };
}

export async function listLetters(db: Db, proposalId: number) {
  return db
    .select({ id: letters.id, round: letters.round, state: letters.state, documentNumber: letters.documentNumber, signedAt: letters.signedAt, signedBy: users.displayName })
    .from(letters)
    .leftJoin(users, eq(users.id, letters.signedBy))
    .where(eq(letters.proposalId, proposalId))
    .orderBy(asc(letters.round));
}

export async function getRevision(db: Db, id: number) {
  const [r] = await db
    .select({ ...revisionColumns, by: users.displayName })
    .from(letterRevisions)
    .leftJoin(users, eq(users.id, letterRevisions.createdBy))
    .where(eq(letterRevisions.id, id));
  return r ? { ...r, draft: draftSchema.parse(r.draft) as Draft } : null;
}

export async function listRevisions(db: Db, letterId: number) {
  return db
    .select({ id: letterRevisions.id, revisionNo: letterRevisions.revisionNo, kind: letterRevisions.kind, createdAt: letterRevisions.createdAt, by: users.displayName })
    .from(letterRevisions)
    .leftJoin(users, eq(users.id, letterRevisions.createdBy))
    .where(eq(letterRevisions.letterId, letterId))
    .orderBy(desc(letterRevisions.revisionNo));
}

export async function getSignedLetterByNumber(db: Db, documentNumber: string) {
  const parts = parseDocumentNumber(documentNumber);
  const normalized = parts ? formatDocumentNumber(parts) : documentNumber.trim();
  const [l] = await db
    .select()
    .from(letters)
    .where(and(eq(letters.documentNumber, normalized), eq(letters.state, "signed")));
  return l ? { ...l, finalLetter: letterSchema.parse(l.finalLetter) } : null;
}

/**
 * What the leader's review compares a submission with: the previous submission of this round, or,
 * on a round's first submission after a correction or 再办理, the letter signed in the round before
 * (what the leader approves then is the change to it). Null: a first submission, shown whole.
 */
export async function reviewBaseline(
  db: Db,
  letter: { proposalId: number; round: number; previousSubmittedRevisionId: number | null },
): Promise<{ draft: Draft; signedAs: string | null; reused?: boolean } | null> {
  if (letter.previousSubmittedRevisionId) {
    const r = await getRevision(db, letter.previousSubmittedRevisionId);
    return r ? { draft: r.draft, signedAs: null } : null;
  }
  if (letter.round <= 1) {
    // drafted from a past letter (参照往年答复): what changed from it is what the leader approves —
    // shown whole, the changed figure in a reused letter was one line among thirty marked 新增
    const [reused] = await db
      .select({ id: letterRevisions.id })
      .from(letterRevisions)
      .innerJoin(letters, eq(letters.id, letterRevisions.letterId))
      .where(and(eq(letters.proposalId, letter.proposalId), eq(letters.round, letter.round), eq(letterRevisions.kind, "reuse")))
      .orderBy(desc(letterRevisions.revisionNo))
      .limit(1);
    const r = reused ? await getRevision(db, reused.id) : null;
    return r ? { draft: r.draft, signedAs: null, reused: true } : null;
  }
  const [before] = await db
    .select({ revisionId: letters.currentRevisionId, number: letters.documentNumber })
    .from(letters)
    .where(and(eq(letters.proposalId, letter.proposalId), eq(letters.round, letter.round - 1), eq(letters.state, "signed")));
  const r = before?.revisionId ? await getRevision(db, before.revisionId) : null;
  return r ? { draft: r.draft, signedAs: before!.number ?? "" } : null;
}

// ── drafting ─────────────────────────────────────────────────────────────
/** The draft can no longer be edited (submitted, signed or corrected meanwhile): the page gives the typing back to copy. */
export class DraftNotEditableError extends WorkflowRefusedError {}

export function assertDrafter(p: { state: string; handlerId: string | null }, actor: SessionUser) {
  if (!may(actor, "proposal.draft", p)) throw new WorkflowRefusedError("只有本提案的承办人可以起草答复。");
  if (p.state !== "drafting") throw new DraftNotEditableError("只有在“起草中”状态才能修改答复稿；已提交或已签发的答复不能直接修改。");
}

/** Start the draft of this round (round 1, or the next after a signed one was corrected or re-handled). */
export async function startDraft(db: Db, r: { proposalId: number; actor: SessionUser }) {
  const p = await getProposal(db, r.proposalId);
  if (!p) throw new Response("提案不存在。", { status: 404 });
  assertDrafter(p, r.actor);
  const current = await getCurrentLetter(db, p.id);
  if (current && current.state === "draft") return current.id;
  const template = templateFor(p.bureauRole);
  // A new round starts from the last signed text, so a correction edits rather than retypes —
  // with the handler's phone when someone else signed off the last round as handler (改派 since).
  const phone = p.handlerPhone ?? r.actor.phone ?? "";
  const previous = current?.revision?.draft;
  const sameHandler = !current?.finalLetter || current.finalLetter.signature.handlerName === p.handlerName;
  const base: Draft = previous ? { ...previous, ...(sameHandler ? {} : { phone }) } : emptyDraft(phone, template.printSignerName);
  const round = (current?.round ?? 0) + 1;
  const [l] = await db.insert(letters).values({ proposalId: p.id, round, templateId: template.id }).onConflictDoNothing().returning({ id: letters.id });
  if (!l) {
    // Someone started this round at the same moment (two tabs, two clicks): theirs is the draft.
    const [theirs] = await db
      .select({ id: letters.id })
      .from(letters)
      .where(and(eq(letters.proposalId, p.id), eq(letters.round, round)));
    if (!theirs) throw new WorkflowRefusedError("答复稿正在由其他人创建，请刷新页面。");
    return theirs.id;
  }
  const [rev] = await db
    .insert(letterRevisions)
    .values({ letterId: l.id, revisionNo: 1, draft: base, kind: "created", createdBy: r.actor.id })
    .returning({ id: letterRevisions.id });
  await db.update(letters).set({ currentRevisionId: rev.id }).where(eq(letters.id, l.id));
  return l.id;
}

/**
 * Save a revision. `baseRevisionId` is the revision the editor started from: if someone saved
 * since, nothing is written and DraftConflictError carries their version.
 */
export async function saveDraft(
  db: Db,
  r: {
    letterId: number;
    baseRevisionId: number;
    draft: Draft;
    actor: SessionUser;
    kind: "save" | "autosave" | "reuse";
    /** Saved meanwhile over changes elsewhere: merged and saved (else the conflict screen). */
    merge?: boolean;
  },
) {
  // The row lock makes simultaneous saves of one draft take turns: the second sees the first's
  // revision and gets the conflict screen (not a unique-key error on the revision number).
  const [l] = await db.select().from(letters).where(eq(letters.id, r.letterId)).for("update");
  if (!l) throw new Response("答复稿不存在。", { status: 404 });
  if (l.state !== "draft") throw new WorkflowRefusedError("该答复已签发，不能再修改。如需更正，请发起更正。");
  const p = (await getProposal(db, l.proposalId))!;
  assertDrafter(p, r.actor);
  // The same limits on every path (the editor's fields, the conflict form's JSON, scripts).
  const parsed = draftSchema.safeParse(r.draft);
  if (!parsed.success) throw new WorkflowRefusedError(`答复稿无效：${parsed.error.issues[0]?.message ?? "格式不正确"}`);
  const beyond = draftLimitProblem(parsed.data as Draft);
  if (beyond) throw new WorkflowRefusedError(`${beyond}。`);
  let draft = await verifySources(db, sanitizeDraft(parsed.data as Draft));
  let baseRevisionId = r.baseRevisionId;
  let mergedWith: { by: string | null; self: boolean } | null = null;
  if (l.currentRevisionId !== r.baseRevisionId) {
    // Saved meanwhile (another tab, a colleague): the changes each made since the revision this
    // save started from are put together. Where both changed the same place, or on an autosave
    // (the page would go on showing only its own text), the person chooses on the conflict screen,
    // offered the merge with their own changes taken there — never their whole draft over the other's.
    const theirs = (await getRevision(db, l.currentRevisionId!))!;
    const base = await getRevision(db, r.baseRevisionId);
    const merge = base?.letterId === l.id ? mergeDrafts(base.draft, theirs.draft, draft) : null;
    if (!r.merge || !merge || merge.overlaps.length || draftLimitProblem(merge.draft)) throw DraftConflictError.over(theirs, r.actor.id, undefined, merge ?? undefined);
    draft = merge.draft;
    baseRevisionId = theirs.id;
    mergedWith = { by: theirs.by, self: theirs.createdBy === r.actor.id };
  }
  const current = (await getRevision(db, l.currentRevisionId!))!;
  if (sameData(current.draft, draft)) return { revisionId: current.id, changed: false, mergedWith };
  // Autosaves coalesce: one typing session by one person is one entry in the save history. The
  // merged entry gets a new id (same number): a second tab still holding the old id as its base
  // then gets the conflict instead of silently writing over this text.
  let revisionNo: number | null = null;
  if (r.kind === "autosave" && current.kind === "autosave" && l.submittedRevisionId !== current.id && l.previousSubmittedRevisionId !== current.id) {
    const [merged] = await db
      .delete(letterRevisions)
      .where(and(eq(letterRevisions.id, current.id), eq(letterRevisions.createdBy, r.actor.id), sql`${letterRevisions.createdAt} > now() - interval '30 minutes'`))
      .returning({ revisionNo: letterRevisions.revisionNo });
    revisionNo = merged?.revisionNo ?? null;
  }
  if (revisionNo == null) {
    const [{ n }] = await db
      .select({ n: max(letterRevisions.revisionNo) })
      .from(letterRevisions)
      .where(eq(letterRevisions.letterId, l.id));
    revisionNo = (n ?? 0) + 1;
  }
  const [rev] = await db.insert(letterRevisions).values({ letterId: l.id, revisionNo, draft, kind: r.kind, createdBy: r.actor.id }).returning({ id: letterRevisions.id });
  // The base in the WHERE makes check-and-write atomic against a simultaneous save.
  const moved = await db
    .update(letters)
    .set({ currentRevisionId: rev.id })
    .where(and(eq(letters.id, l.id), eq(letters.currentRevisionId, baseRevisionId)))
    .returning({ id: letters.id });
  if (!moved.length) {
    const latest = (await getCurrentLetter(db, l.proposalId))!.revision!;
    throw DraftConflictError.over(latest, r.actor.id);
  }
  await syncParagraphUses(db, { proposalId: l.proposalId, revisionId: rev.id, draft, actorId: r.actor.id });
  return { revisionId: rev.id, changed: true, mergedWith };
}

// ── submit, sign ─────────────────────────────────────────────────────────
async function draftFor(db: Db, proposalId: number) {
  const l = await getCurrentLetter(db, proposalId);
  if (l?.state !== "draft" || !l.revision) throw new WorkflowRefusedError("还没有答复稿。请先起草答复。");
  return { letter: l, draft: l.revision.draft };
}

function refuseIncomplete(problems: string[]) {
  if (problems.length) throw new WorkflowRefusedError(`答复稿尚不完整：${problems.join("；")}。`);
}

/** The draft's own problems: all in the message at the top, and each beside its field (a block's is drawn beside the block already). */
function refuseIncompleteDraft(problems: { field: string; message: string }[]) {
  if (!problems.length) return;
  const fieldErrors: Record<string, string[]> = {};
  for (const p of problems) if (!p.field.startsWith("block")) (fieldErrors[p.field] ??= []).push(p.message);
  throw new WorkflowRefusedError(`答复稿尚不完整：${problems.map((p) => p.message).join("；")}。`, undefined, fieldErrors);
}

/** Who and when before what: a refusal names the role or the state rather than a missing draft. */
function assertMayTake(p: Parameters<typeof workflowContext>[0], action: "submit" | "sign", actor: SessionUser, today: string) {
  const guard = guardTransition(workflowContext(p, actor, today), action);
  if (!guard.ok) throw new WorkflowRefusedError(guard.reason);
}

/**
 * 主办 with 会办 units: going ahead while an opinion is missing needs an explicit confirmation,
 * and the history says which opinions were missing.
 */
async function missingOpinionsNote(db: Db, p: { id: number; bureauRole: string }, confirmed: boolean | undefined, what: string): Promise<string | null> {
  if (p.bureauRole !== "lead") return null;
  const missing = await missingCoOpinions(db, p.id);
  if (!missing.length) return null;
  if (!confirmed) throw new MissingCoOpinionsError(missing, what);
  return `尚未收到会办意见即${what}（已确认）：${missing.join("、")}`;
}

export class MissingCoOpinionsError extends WorkflowRefusedError {
  constructor(
    readonly units: string[],
    what: string,
  ) {
    super(`尚未收到${units.join("、")}的会办意见：如确需${what}，请勾选确认后再${what}。`);
  }
}

type LetterStep = { proposalId: number; expectedVersion: number; actor: SessionUser; today: string; confirmMissingOpinions?: boolean };

/** 公文校对 found must-fix problems: fix them, or (at 提交签发) say why the text stays. */
export class ProofreadBlockedError extends WorkflowRefusedError {
  constructor(
    readonly findings: DraftFinding[],
    message: string,
  ) {
    // the reason box is marked with it, so a screen reader is taken there too
    super(message, undefined, { keepFindingsReason: ["请填写保留原文的理由，或先在“校对”中修正这些问题。"] });
  }
}

/** The longest reason a handler may give for keeping must-fix findings (shown to the leader, kept in the history). */
const KEEP_REASON_MAX = 1000;

/**
 * The must-fix findings of the draft about to go up: none, or kept with a reason (returned as the
 * note for the history and the leader), or a refusal.
 */
function checkProofreading(template: LetterTemplate, facts: ProposalFacts, draft: Draft, keepReason: string | null | undefined): string | null {
  const must = proofreadDraft(template, facts, draft).filter((f) => f.severity === "must");
  if (!must.length) return null;
  const reason = keepReason ? cleanText(sanitizeText(keepReason)) : "";
  if (reason.length > KEEP_REASON_MAX) throw new WorkflowRefusedError(`保留原文的理由请不超过 ${KEEP_REASON_MAX} 字（现有 ${reason.length} 字）。`, "keepFindingsReason");
  if (!reason) throw new ProofreadBlockedError(must, `校对发现 ${must.length} 处必须修改的问题（${listFindings(must)}）：请在“校对”中修正，或填写保留原文的理由后再提交签发。`);
  return `校对：${keptFindingsSummary(must)}，理由：${reason}`;
}

/** A kept-findings note (checkProofreading's) read back: which findings, and the reason, to offer again after 退回. */
export function keptFindingsOf(note: string | null | undefined): { summary: string; reason: string } | null {
  const at = note?.indexOf("，理由：") ?? -1;
  if (!note?.startsWith("校对：") || at < 0) return null;
  const reason = note.slice(at + "，理由：".length);
  return reason ? { summary: note.slice("校对：".length, at), reason } : null;
}

export async function submitLetter(db: Db, r: LetterStep & { keepFindingsReason?: string | null }) {
  const p = (await getProposal(db, r.proposalId))!;
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  assertMayTake(p, "submit", r.actor, r.today);
  const { letter, draft } = await draftFor(db, r.proposalId);
  const template = templateFor(p.bureauRole, letter.templateId);
  const isReply = template.kind === "reply";
  refuseIncompleteDraft(draftProblems(draft, { requireOutcome: isReply && template.requireOutcome, requireDisclosure: isReply }));
  const built = previewLetter(template, proposalFacts(p), draft);
  refuseIncomplete(built.errors);
  // What signing checks on the letter, checked now: a draft submitted must be one the leader can sign.
  if (built.letter) refuseIncomplete(letterProblems(built.letter, { requireDisclosure: isReply, requireOutcome: isReply && template.requireOutcome }));
  const kept = checkProofreading(template, proposalFacts(p), draft, r.keepFindingsReason);
  const opinions = await missingOpinionsNote(db, p, r.confirmMissingOpinions, "提交签发");
  const note = [opinions, kept].filter(Boolean).join("；") || null;
  await transitionForLetter(db, {
    proposalId: p.id,
    expectedVersion: r.expectedVersion,
    action: "submit",
    actor: r.actor,
    today: r.today,
    input: {
      comment: note,
      ...(isReply && draft.disclosure ? { disclosure: DISCLOSURE_TO_WORKFLOW[draft.disclosure], disclosureReason: draft.disclosureReason } : {}),
    },
  });
  await db
    .update(letters)
    .set({ previousSubmittedRevisionId: letter.submittedRevisionId, submittedRevisionId: letter.currentRevisionId, keptFindingsNote: kept })
    .where(eq(letters.id, letter.id));
}

/** Sign: checks, number, date, signer, frozen Letter — one transaction (the caller's). */
export async function signLetter(db: Db, r: LetterStep & { printSignerName?: boolean }) {
  const p = (await getProposal(db, r.proposalId))!;
  // Someone acted first (another leader signed, the handler withdrew): say so, not "no draft".
  if (p.version !== r.expectedVersion) throw new VersionConflictError();
  assertMayTake(p, "sign", r.actor, r.today);
  const { letter, draft } = await draftFor(db, r.proposalId);
  // The leader signs what was submitted and shown to them, nothing saved after it.
  if (letter.submittedRevisionId !== letter.currentRevisionId) throw new WorkflowRefusedError("答复稿在提交签发后又有改动：请退回承办人核对后重新提交。");
  const template = templateFor(p.bureauRole, letter.templateId);
  const isReply = template.kind === "reply";
  refuseIncompleteDraft(draftProblems(draft, { requireOutcome: isReply && template.requireOutcome, requireDisclosure: isReply }));
  // Must-fix findings block signing unless the handler kept them, with a reason, at 提交签发.
  const must = proofreadDraft(template, proposalFacts(p), draft).filter((f) => f.severity === "must");
  if (must.length && !letter.keptFindingsNote) throw new ProofreadBlockedError(must, `校对发现 ${must.length} 处必须修改的问题（${listFindings(must)}）：请退回承办人修改。`);
  const note = await missingOpinionsNote(db, p, r.confirmMissingOpinions, "签发");
  await transitionForLetter(db, {
    proposalId: p.id,
    expectedVersion: r.expectedVersion,
    action: "sign",
    actor: r.actor,
    today: r.today,
    input: {
      comment: note,
      ...(isReply && draft.disclosure ? { disclosure: DISCLOSURE_TO_WORKFLOW[draft.disclosure], disclosureReason: draft.disclosureReason } : {}),
    },
  });
  const year = Number(r.today.slice(0, 4));
  const documentNumber = await allocateNumber(db, { prefix: template.numberPrefix, year, letterId: letter.id, actorId: r.actor.id });
  // the history's 签发 entry (written by the transition above) names the number it gave
  const numbered: FieldChange[] = [{ field: "documentNumber", label: "文号", from: null, to: documentNumber }];
  await db
    .update(events)
    .set({ changes: sql`${events.changes} || ${JSON.stringify(numbered)}::jsonb` })
    .where(eq(events.id, sql`(select max(${events.id}) from ${events} where ${events.proposalId} = ${p.id} and ${events.kind} = 'sign')`));
  const finalDraft = r.printSignerName === undefined ? draft : { ...draft, printSignerName: r.printSignerName };
  const built = tryBuildLetter(template, draftToLetterInput(proposalFacts(p), finalDraft, { documentNumber, date: r.today, leaderName: r.actor.displayName }));
  if (!built.ok) refuseIncomplete(built.errors);
  const final = (built as { ok: true; letter: Letter }).letter;
  refuseIncomplete(letterProblems(final, { requireDisclosure: isReply, requireOutcome: isReply && template.requireOutcome }));
  const [{ n }] = await db
    .select({ n: max(letterRevisions.revisionNo) })
    .from(letterRevisions)
    .where(eq(letterRevisions.letterId, letter.id));
  const [rev] = await db
    .insert(letterRevisions)
    .values({ letterId: letter.id, revisionNo: (n ?? 0) + 1, draft: finalDraft, kind: "signed", createdBy: r.actor.id })
    .returning({ id: letterRevisions.id });
  await db
    .update(letters)
    .set({ state: "signed", documentNumber, signedAt: new Date(), signedBy: r.actor.id, finalLetter: final, currentRevisionId: rev.id })
    .where(eq(letters.id, letter.id));
  // The letter keeps exactly the versions it used: later library edits never reach it.
  await syncParagraphUses(db, { proposalId: p.id, revisionId: rev.id, draft: finalDraft, actorId: r.actor.id, frozen: true, letterNumber: documentNumber });
  return { documentNumber, letterId: letter.id };
}

/** Record a letter signed outside the system (demo history, migration): its number must be free. */
export async function importSignedLetter(
  db: Db,
  r: {
    proposalId: number;
    draft: Draft;
    documentNumber: string;
    date: string;
    leaderName: string;
    signerId: string | null;
    actorId: string | null;
    /** The 公开方式 decided for it, when the letter itself does not print one. */
    disclosure?: WorkflowDisclosure | null;
    disclosureReason?: string | null;
  },
) {
  const p = (await getProposal(db, r.proposalId))!;
  // Recorded as signed, so the proposal moves to 已签发 with it (and can then be sent).
  if (p.state !== "drafting" && p.state !== "in_review") throw new WorkflowRefusedError(`当前状态为“${STATE_LABELS[p.state as ProposalState]}”，不能录入已签发的答复函。`);
  const template = templateFor(p.bureauRole);
  const parts = parseDocumentNumber(r.documentNumber);
  if (!parts) throw new WorkflowRefusedError(`发文字号格式不正确：${r.documentNumber}`);
  const number = formatDocumentNumber(parts);
  const final = tryBuildLetter(template, draftToLetterInput(proposalFacts(p), r.draft, { documentNumber: number, date: r.date, leaderName: r.leaderName }));
  if (!final.ok) throw new WorkflowRefusedError(final.errors.join("；"));
  const [l] = await db
    .insert(letters)
    .values({
      proposalId: p.id,
      round: 1,
      templateId: template.id,
      state: "signed",
      documentNumber: number,
      signedAt: new Date(`${r.date}T09:00:00+08:00`),
      signedBy: r.signerId,
      finalLetter: final.letter,
    })
    .returning({ id: letters.id });
  const [rev] = await db
    .insert(letterRevisions)
    .values({ letterId: l.id, revisionNo: 1, draft: r.draft, kind: "imported", createdBy: r.actorId })
    .returning({ id: letterRevisions.id });
  await db.update(letters).set({ currentRevisionId: rev.id }).where(eq(letters.id, l.id));
  await registerExternalNumber(db, { number, note: "系统外签发，导入", actorId: r.actorId, letterId: l.id });
  const disclosure = r.draft.disclosure ? DISCLOSURE_TO_WORKFLOW[r.draft.disclosure] : (r.disclosure ?? null);
  const reason = disclosure && disclosure !== "public" ? (r.disclosureReason ?? r.draft.disclosureReason ?? null) : null;
  await db
    .update(proposals)
    .set({ state: "signed", disclosure, disclosureReason: reason, version: sql`${proposals.version} + 1`, updatedAt: new Date() })
    .where(eq(proposals.id, p.id));
  await recordEvent(db, {
    proposalId: p.id,
    actorId: r.actorId,
    kind: "letter_imported",
    comment: `系统外签发：${r.leaderName}，${r.date}`,
    changes: [
      { field: "state", label: "状态", from: STATE_LABELS[p.state as ProposalState], to: STATE_LABELS.signed },
      { field: "documentNumber", label: "文号", from: null, to: number },
      ...(disclosure ? [{ field: "disclosure", label: "公开方式", from: null, to: WORKFLOW_DISCLOSURE_LABELS[disclosure] }] : []),
    ],
  });
  return { letterId: l.id, revisionId: rev.id };
}
