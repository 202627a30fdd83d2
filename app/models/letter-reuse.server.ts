/**
 * Reusing past replies: the signed letters most similar to a proposal (参照往年答复), a draft
 * built from one of them in one step with every block linked back to the library version it
 * came from, and a letter's sections by 文号 ("108号") for inserting into a draft.
 */
import { and, desc, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { attachments, letterRevisions, letters, paragraphUses, paragraphVersions, paragraphs, proposals } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { isoDateInTimeZone } from "~/domain/calendar";
import { blockText, liftTypedLeads, newBlockId, type Draft, type DraftBlock } from "~/domain/draft";
import { letterNumberPatterns, parseReferenceQuery } from "~/domain/library";
import type { LetterBlock } from "~/domain/letter";
import { rankSimilarLetters, topicText, cosine, inverseDocumentFrequencies, proposerKey, type LetterCandidate, type SimilarLetter } from "~/domain/relevance";
import { buildSimilarityIndex, findDuplicates, normalizeForCompare } from "~/domain/similarity";
import { assertDrafter, DraftConflictError, getCurrentLetter, getRevision, saveDraft, startDraft } from "./letter.server";
import { blockFromVersion, type SourceVersion } from "./letter-sources.server";
import { rowsOf } from "./library-search.server";
import { getProposal } from "./proposal.server";
import { WorkflowRefusedError } from "./workflow.server";
import { rulesForLetter, rulesInForce } from "./redaction.server";
import { replacedByCorrection, type ReuseScope, reusableBy } from "./reply-rounds.server";

export type { ReuseScope };
import { publicBlocks, redactText } from "~/domain/redaction";
import { compileRules } from "~/domain/redaction-rules";

/** How many letters, preselected by 案由 and proposer, have their full text compared. */
const PRESELECT = 40;

type SignedRow = {
  letter_id: number;
  proposal_id: number;
  handler_id: string | null;
  document_number: string;
  title: string;
  proposers: string | null;
  signed_at: string | Date | null;
};

/** The latest signed letter of every proposal (a correction replaces the first reply). */
async function signedLetters(db: Db, scope: ReuseScope, excludeProposalId?: number): Promise<SignedRow[]> {
  return rowsOf<SignedRow>(
    db,
    sql`select distinct on (l.proposal_id) l.id as letter_id, l.proposal_id, p.handler_id, l.document_number, p.title, l.signed_at,
          (select string_agg(pr.name, '|' order by pr.position) from proposers pr where pr.proposal_id = p.id) as proposers
        from ${letters} l join proposals p on p.id = l.proposal_id
        where l.state = 'signed' and l.document_number is not null and not ${replacedByCorrection("l")} and ${reusableBy(scope, { letter: "l", proposal: "p" })} ${excludeProposalId ? sql`and l.proposal_id <> ${excludeProposalId}` : sql``}
        order by l.proposal_id, l.round desc`,
  );
}

function sectionsText(sections: LetterBlock[]): string {
  return sections.map((b) => blockText(b)).join("\n");
}

/** The text of a proposal as registered: its 案由 and, when an original was uploaded and could be read, that text. */
export async function proposalText(db: Db, proposalId: number): Promise<string> {
  const rows = await db.select({ text: attachments.text }).from(attachments).where(eq(attachments.proposalId, proposalId)).orderBy(desc(attachments.id)).limit(3);
  return rows.map((r) => r.text ?? "").join("\n");
}

/** Signed letters most similar to a proposal, best first, each with a one-line reason. */
export async function findSimilarLetters(
  db: Db,
  q: { title: string; proposers: readonly string[]; text?: string | null; excludeProposalId?: number; limit?: number; scope: ReuseScope },
): Promise<SimilarLetter[]> {
  const signed = await signedLetters(db, q.scope, q.excludeProposalId);
  if (!signed.length) return [];
  // Another's reply, reusable because it was disclosed, is compared and quoted as the public reads
  // it: its 案由 too (a rule for its 文号 may hide a name there), before it is ranked or shown.
  const disclosedOnly = (handlerId: string | null) => q.scope.handlerId !== undefined && handlerId !== q.scope.handlerId;
  const rules = signed.some((r) => disclosedOnly(r.handler_id)) ? await rulesInForce(db) : [];
  const matchersFor = (proposalId: number) => compileRules(rules.filter((r) => r.proposalId == null || r.proposalId === proposalId));
  const all = signed.map((r) => (disclosedOnly(r.handler_id) ? { ...r, title: redactText(r.title, matchersFor(Number(r.proposal_id))) } : r));
  // Stage 1 (cheap, every letter): 案由 topics and proposer. Stage 2: the letters' full text.
  const qTitle = topicText(q.title);
  const titles = all.map((r) => topicText(r.title));
  const idf = inverseDocumentFrequencies([...titles, qTitle]);
  const names = new Set(q.proposers.map(proposerKey));
  const pre = all
    .map((r, i) => ({ r, s: cosine(qTitle, titles[i]!, idf) + ((r.proposers ?? "").split("|").some((n) => names.has(proposerKey(n))) ? 0.5 : 0) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, PRESELECT)
    .map((x) => x.r);
  const bodies = await db
    .select({
      id: letters.id,
      proposalId: letters.proposalId,
      handlerId: proposals.handlerId,
      finalLetter: letters.finalLetter,
    })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .where(
      inArray(
        letters.id,
        pre.map((r) => Number(r.letter_id)),
      ),
    );
  const bodyById = new Map(
    bodies.map((b) => {
      const sections = (b.finalLetter as { sections?: LetterBlock[] } | null)?.sections ?? [];
      const shown = disclosedOnly(b.handlerId) ? publicBlocks(sections, signedHead(b.finalLetter), matchersFor(b.proposalId)) : sections;
      return [b.id, sectionsText(shown)];
    }),
  );
  const candidates: LetterCandidate[] = pre.map((r) => ({
    letterId: Number(r.letter_id),
    proposalId: Number(r.proposal_id),
    documentNumber: r.document_number,
    title: r.title,
    proposers: (r.proposers ?? "").split("|").filter(Boolean),
    body: bodyById.get(Number(r.letter_id)) ?? "",
    // the day in Beijing, as the letter's 成文日期 is (a letter signed before 08:00 showed the day before)
    date: r.signed_at ? isoDateInTimeZone(new Date(r.signed_at)) : null,
  }));
  return rankSimilarLetters({ title: q.title, proposers: q.proposers, text: q.text }, candidates, q.limit ?? 5);
}

/** Similar letters for a registered proposal (its 案由, proposers and original text). */
export async function similarLettersForProposal(db: Db, proposalId: number, scope: ReuseScope, limit = 5) {
  const p = await getProposal(db, proposalId);
  if (!p) return [];
  return findSimilarLetters(db, {
    title: p.title,
    proposers: p.proposers.map((x) => x.name),
    text: await proposalText(db, proposalId),
    excludeProposalId: proposalId,
    limit,
    scope,
  });
}

type VersionRow = SourceVersion & { asOf: string | null; usedText: string | null };

/** The library versions a signed letter drew on: by its drafting revisions, or by the imported copy of the letter. */
async function versionsUsedBy(db: Db, letterId: number, documentNumber: string | null): Promise<VersionRow[]> {
  const revisionIds = db.select({ id: letterRevisions.id }).from(letterRevisions).where(eq(letterRevisions.letterId, letterId));
  return db
    .select({
      paragraphId: paragraphVersions.paragraphId,
      versionId: paragraphVersions.id,
      versionNo: paragraphVersions.number,
      title: paragraphs.title,
      kind: paragraphVersions.kind,
      body: paragraphVersions.body,
      lead: paragraphVersions.lead,
      asOf: paragraphVersions.asOf,
      usedText: paragraphUses.text,
    })
    .from(paragraphUses)
    .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphUses.versionId))
    .innerJoin(paragraphs, eq(paragraphs.id, paragraphUses.paragraphId))
    .where(or(inArray(paragraphUses.letterRevisionId, revisionIds), documentNumber ? eq(paragraphUses.letterNumber, documentNumber) : sql`false`));
}

/**
 * Link a block of a past letter to the library version it came from, by its wording: the
 * version's text (with or without its inline lead), or the edited wording that letter used.
 */
export function linkBlock(b: DraftBlock, versions: readonly VersionRow[]): DraftBlock {
  if (b.source || b.type === "heading") return b;
  const whole = normalizeForCompare(blockText(b));
  const body = b.type === "paragraph" ? normalizeForCompare(b.text) : whole;
  if (!whole) return b;
  let hit =
    versions.find((v) => normalizeForCompare((v.lead && !v.lead.standalone ? v.lead.text : "") + v.body) === whole || normalizeForCompare(v.body) === body) ??
    versions.find((v) => v.usedText && (normalizeForCompare(v.usedText) === whole || normalizeForCompare(v.usedText) === body));
  if (!hit) {
    // The letter as sent may differ by a typo the library has fixed ("推动专专精特新"): a near duplicate still links, shown as edited.
    const index = buildSimilarityIndex(versions.map((v, i) => ({ id: String(i), text: v.body })));
    const near = findDuplicates(b.type === "paragraph" ? b.text : whole, index).find((m) => m.kind === "exact" || m.kind === "near");
    if (near) hit = versions[Number(near.id)];
  }
  if (!hit) return b;
  const linked = blockFromVersion(hit);
  return { ...b, source: linked.source };
}

/** A signed letter's fields before its body, as `publicBlocks` reads them. */
function signedHead(finalLetter: unknown, phone = "") {
  const f = (finalLetter ?? {}) as { title?: unknown; addressee?: unknown; opening?: unknown; signature?: { phone?: unknown } };
  const text = (v: unknown) => (typeof v === "string" ? v : "");
  return { phone: text(f.signature?.phone) || phone, title: text(f.title), addressee: text(f.addressee), opening: text(f.opening) };
}

/** The blocks of a signed letter as a new draft's body: structure kept, linked to the library, fresh ids. */
export async function blocksOfLetter(db: Db, letterId: number, scope: ReuseScope): Promise<{ documentNumber: string; blocks: DraftBlock[] }> {
  const [l] = await db
    .select({
      id: letters.id,
      currentRevisionId: letters.currentRevisionId,
      documentNumber: letters.documentNumber,
      handlerId: proposals.handlerId,
      finalLetter: letters.finalLetter,
    })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .where(
      and(eq(letters.id, letterId), eq(letters.state, "signed"), sql`not ${replacedByCorrection("letters")}`, reusableBy(scope, { letter: "letters", proposal: "proposals" })),
    );
  if (!l?.currentRevisionId || !l.documentNumber) throw new WorkflowRefusedError("找不到这份已签发的答复函。");
  const rev = (await getRevision(db, l.currentRevisionId))!;
  // Another's reply reaches this handler only because it was disclosed: its wording as the public
  // reads it (〖〗-marked text as ■, contact details and the redaction rules masked), never more.
  const blocks =
    scope.handlerId !== undefined && l.handlerId !== scope.handlerId
      ? publicBlocks(rev.draft.blocks, signedHead(l.finalLetter, rev.draft.phone), compileRules(await rulesForLetter(db, l.id)))
      : rev.draft.blocks;
  const versions = await versionsUsedBy(db, l.id, l.documentNumber);
  return { documentNumber: l.documentNumber, blocks: liftTypedLeads(blocks).map((b) => ({ ...linkBlock(b, versions), id: newBlockId() })) };
}

/**
 * 参照此函起草: the draft's body becomes the body of a past signed letter (starting the draft
 * when there is none). The salutation, 案由 and proposal number come from this proposal, as
 * the template prints them; outcome, disclosure and phone stay as the handler set them.
 */
export async function draftFromLetter(db: Db, r: { proposalId: number; fromLetterId: number; actor: SessionUser; scope: ReuseScope; baseRevisionId?: number | null }) {
  const p = await getProposal(db, r.proposalId);
  if (!p) throw new Response("提案不存在。", { status: 404 });
  // first: someone who may not draft is refused as such, not shown a "conflict" with the draft
  assertDrafter(p, r.actor);
  let current = await getCurrentLetter(db, r.proposalId);
  // The page showed no draft (no base revision), but one was started since (another tab, a
  // colleague): replacing its body unseen would lose that work — their version is offered instead.
  if (current?.state === "draft" && current.revision && r.baseRevisionId == null) {
    const theirs = (await getRevision(db, current.revision.id))!;
    const { blocks } = await blocksOfLetter(db, r.fromLetterId, r.scope);
    throw DraftConflictError.over(theirs, r.actor.id, { ...theirs.draft, blocks });
  }
  let base = r.baseRevisionId ?? null;
  if (current?.state !== "draft") {
    await startDraft(db, { proposalId: r.proposalId, actor: r.actor });
    current = (await getCurrentLetter(db, r.proposalId))!;
    // The page showed no draft, so what it replaces is the round's empty start. A colleague whose
    // start won the race (both clicked 参照此函起草 at once) and saved a body over it is a conflict:
    // taking their revision as the base replaced their choice unseen (the concurrency review).
    if (base == null) {
      const [first] = await db
        .select({ id: letterRevisions.id })
        .from(letterRevisions)
        .where(and(eq(letterRevisions.letterId, current.id), eq(letterRevisions.revisionNo, 1)));
      base = first?.id ?? current.currentRevisionId!;
    }
  }
  const { blocks, documentNumber } = await blocksOfLetter(db, r.fromLetterId, r.scope);
  const draft: Draft = { ...current.revision!.draft, blocks };
  const saved = await saveDraft(db, { letterId: current.id, baseRevisionId: base ?? current.currentRevisionId!, draft, actor: r.actor, kind: "reuse" }).catch((e: unknown) => {
    // Someone saved since the page was shown: offer their version with this letter's body in it.
    if (e instanceof DraftConflictError) throw new DraftConflictError(e.theirs, { ...e.theirs.draft, blocks });
    throw e;
  });
  return { ...saved, documentNumber, blocks: blocks.length };
}

/**
 * "108号", "〔2021〕108号", "东工信函〔2021〕108号" — or a bare "108", as people type it (it found
 * nothing): the signed letters it can mean (newest first). The library's text search still runs
 * beside it, so a figure typed alone is found in paragraphs too.
 */
export async function lettersByNumberQuery(db: Db, q: string, scope: ReuseScope): Promise<{ letterId: number; documentNumber: string }[]> {
  const typed = q.normalize("NFKC").trim();
  const ref = parseReferenceQuery(/^\d{1,5}$/.test(typed) ? `${typed}号` : q);
  if (ref?.kind !== "letter") return [];
  const { like, regex } = letterNumberPatterns(ref);
  const rows = await db
    .select({ letterId: letters.id, documentNumber: letters.documentNumber })
    .from(letters)
    .innerJoin(proposals, eq(proposals.id, letters.proposalId))
    .where(
      and(
        eq(letters.state, "signed"),
        sql`not ${replacedByCorrection("letters")}`,
        reusableBy(scope, { letter: "letters", proposal: "proposals" }),
        sql`${letters.documentNumber} like ${like} and ${letters.documentNumber} ~ ${regex}`,
      ),
    )
    .orderBy(desc(letters.signedAt))
    .limit(5);
  return rows.map((r) => ({ letterId: r.letterId, documentNumber: r.documentNumber! }));
}

export type LetterSection = { title: string; start: number; end: number; blocks: DraftBlock[] };

/** A letter body cut into sections: a section starts at a standalone heading or at a paragraph with an inline lead (or "一、…。"). */
export function letterSections(blocks: readonly DraftBlock[]): LetterSection[] {
  // What opens a section, as a title: a heading, an inline lead, or a paragraph that starts "一、…。".
  const sectionTitle = (b: DraftBlock): string | undefined => {
    if (b.type === "heading") return b.text;
    if (b.type !== "paragraph") return undefined;
    if (b.lead) return b.lead.text;
    if (!/^[一二三四五六七八九十]+、/.test(b.text)) return undefined;
    return /^([一二三四五六七八九十]+、[^。]{1,30}。)/.exec(b.text)?.[1] ?? b.text.slice(0, 20);
  };
  const out: LetterSection[] = [];
  blocks.forEach((b, i) => {
    const title = sectionTitle(b);
    const last = out.at(-1);
    if (title === undefined && last) {
      last.end = i + 1;
      last.blocks.push(b);
    } else out.push({ title: title ?? "开头", start: i, end: i + 1, blocks: [b] });
  });
  return out;
}

/** For each letter: the library paragraphs it drew on. */
export async function paragraphsUsedByLetters(db: Db, letterIds: readonly number[]): Promise<Map<number, number[]>> {
  const out = new Map<number, number[]>();
  for (const id of letterIds) {
    const [l] = await db.select({ documentNumber: letters.documentNumber }).from(letters).where(eq(letters.id, id));
    if (!l) continue;
    out.set(id, [...new Set((await versionsUsedBy(db, id, l.documentNumber)).map((v) => v.paragraphId))]);
  }
  return out;
}
