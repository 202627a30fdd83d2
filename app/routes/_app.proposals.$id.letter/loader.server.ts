/**
 * The 答复函 page's data: the letter and its draft, what the user may do, the library's hits and
 * 推荐段落, 参照往年答复, the save history, the leader's review and 公文校对 (decision 007).
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { draftDiff } from "~/domain/draft";
import { proofreadDraft } from "~/domain/proofread-draft";
import { availableActions, canEditDraft } from "~/domain/workflow";
import { visibilityFor } from "~/models/access.server";
import { today } from "~/models/deadline.server";
import { lastEventId, listEvents } from "~/models/event.server";
import { blocksOfLetter, lettersByNumberQuery, letterSections, similarLettersForProposal } from "~/models/letter-reuse.server";
import { getCurrentLetter, getRevision, keptFindingsOf, listLetters, listRevisions, reviewBaseline } from "~/models/letter.server";
import { outdatedSources, retiredSources } from "~/models/letter-sources.server";
import { proposalFacts, templateFor } from "~/models/letter-templates.server";
import { searchParagraphs } from "~/models/library-search.server";
import { suggestParagraphsForProposal } from "~/models/suggestions.server";
import { requireVisibleProposal } from "~/http/visible-proposal.server";
import { workflowContext } from "~/models/workflow.server";
import { missingCoOpinions } from "~/models/co-unit.server";
import { nextNumberPreview } from "~/models/document-numbers.server";
import type { LetterHit, LibraryHit } from "~/ui/letter-editor";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await requireVisibleProposal(request, { id: params.id, user });
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
  const revisionDiff = shown && shownRev ? { id: shown.id, revisionNo: shown.revisionNo, diff: draftDiff(previousRev?.draft ?? null, shownRev.draft) } : null;
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
    lastKept: canEdit ? keptFindingsOf(letter?.keptFindingsNote) : null,
    /** 签发: the 文号 it would take now, and whether this year's series was ever begun (else it starts at 1). */
    nextNumber: actions.includes("sign") ? await nextNumberPreview(db, { prefix: template.numberPrefix, year: Number(today().slice(0, 4)) }) : null,
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
