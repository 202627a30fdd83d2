/**
 * Paragraph suggestions for a reply: the library paragraphs whose text matches the proposal
 * (案由 and original text), and the paragraphs that replies to similar proposals used — the
 * strongest signal a bureau has of what answers such a proposal. Measured by
 * `npm run bench -- suggestions` against seeds/relevance/suggestions.json.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { keptPerDatabase } from "./kept.server";
import { describeParagraphs, rowsOf, suggestParagraphs, type LibraryRow } from "./library-search.server";
import { findSimilarLetters, paragraphsUsedByLetters, proposalText } from "./letter-reuse.server";

/** How many similar letters lend their paragraphs, and how much a letter's use weighs against text relevance (0…1). */
export const SUGGESTION_TUNING = { letters: 3, letterWeight: 3, letterCap: 1.5, textWeight: 0.6, textPool: 40 };

export type Suggestion = LibraryRow & { matched: string[]; usedForProposal: boolean; why: string; combined: number };

export async function suggestForProposal(
  db: Db,
  q: { title: string; proposers: readonly string[]; text?: string | null; proposalId?: number; limit: number; today: Date; useLetters?: boolean },
): Promise<Suggestion[]> {
  const t = SUGGESTION_TUNING;
  const textHits = await suggestParagraphs(db, { text: `${q.title} ${(q.text ?? "").slice(0, 4000)}`, limit: t.textPool, today: q.today, proposalId: q.proposalId });
  const maxText = Math.max(1e-9, ...textHits.map((h) => h.score ?? 0));
  const combined = new Map<number, { score: number; letters: string[] }>();
  for (const h of textHits) combined.set(h.id, { score: (t.textWeight * (h.score ?? 0)) / maxText, letters: [] });
  if (q.useLetters !== false) {
    // Every signed letter is a signal here: only library paragraphs and 文号 (public inside the bureau) reach the user.
    const similar = await findSimilarLetters(db, { title: q.title, proposers: q.proposers, text: q.text, excludeProposalId: q.proposalId, limit: t.letters, scope: {} });
    const used = await paragraphsUsedByLetters(
      db,
      similar.map((s) => s.letterId),
    );
    for (const s of similar) {
      for (const pid of used.get(s.letterId) ?? []) {
        const c = combined.get(pid) ?? { score: 0, letters: [] };
        c.score += Math.min(t.letterCap, t.letterWeight * s.score);
        c.letters.push(s.documentNumber);
        combined.set(pid, c);
      }
    }
  }
  // Room for paragraphs that turn out retired (a past letter used them; 插入 would refuse them).
  const top = [...combined.entries()].sort((a, b) => b[1].score - a[1].score || a[0] - b[0]).slice(0, q.limit * 2);
  const byId = new Map(textHits.map((h) => [h.id, h]));
  const missing = top.map(([id]) => id).filter((id) => !byId.has(id));
  const extra = new Map((await describeParagraphs(db, { ids: missing, today: q.today, snippetChars: 120 })).map((r) => [r.id, r]));
  return top
    .flatMap(([id, c]) => {
      const row = byId.get(id) ?? (extra.has(id) ? { ...extra.get(id)!, matched: [] as string[], usedForProposal: false } : null);
      if (!row || row.status !== "active") return [];
      const why = [row.matched.length ? `相关：${row.matched.slice(0, 3).join("、")}` : null, c.letters.length ? `相近答复 ${c.letters.join("、")} 用过` : null]
        .filter(Boolean)
        .join("；");
      return [{ ...row, why, combined: c.score }];
    })
    .slice(0, q.limit);
}

/**
 * What a proposal's 推荐段落 depend on besides the proposal itself, in one cheap query (each
 * part an index lookup or a count over signed letters): the library (a paragraph or a version
 * added or changed), the signed letters and the paragraphs they used, this proposal's own uses
 * and attachments. Equal fingerprints mean equal suggestions on the same day.
 */
async function suggestionInputs(db: Db, proposalId: number): Promise<string> {
  const [r] = await rowsOf<Record<string, string | number | null>>(
    db,
    sql`select (select max(updated_at)::text from paragraphs) as p,
      (select max(id) from paragraph_versions) as v,
      (select max(id) from paragraph_uses) as u,
      (select count(*) || '.' || coalesce(max(id), 0) from paragraph_uses where proposal_id = ${proposalId}) as pu,
      (select count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(max(signed_at)::text, '') from letters where state = 'signed') as l,
      (select count(*) || '.' || coalesce(max(id), 0) from attachments where proposal_id = ${proposalId}) as a`,
  );
  return JSON.stringify(r ?? null);
}

/**
 * Computing suggestions is most of a proposal page's cost (ranking ~1,000 signed letters and
 * the library: ~75 % of its CPU at 10,000 proposals, decision 012), while their inputs rarely
 * change. So each process keeps recent results under the fingerprint of their inputs, the
 * proposal and the day (kept.server.ts): recomputed when any differs, never stale.
 */
const kept = keptPerDatabase<Suggestion[]>(500);

/** "推荐段落" for a proposal: what its text matches and what replies to similar proposals used (models/suggestions.server.ts). */
export async function suggestParagraphsForProposal(
  db: Db,
  proposal: { id: number; title: string; notes: string | null; proposers: { name: string }[]; version: number },
  limit = 5,
): Promise<Suggestion[]> {
  const today = new Date();
  const key = JSON.stringify([
    proposal.id,
    limit,
    proposal.version,
    proposal.title,
    proposal.notes,
    proposal.proposers.map((p) => p.name),
    today.toDateString(),
    await suggestionInputs(db, proposal.id),
  ]);
  return kept(db, key, async () =>
    suggestForProposal(db, {
      title: proposal.title,
      proposers: proposal.proposers.map((p) => p.name),
      text: `${proposal.notes ?? ""}\n${await proposalText(db, proposal.id)}`,
      proposalId: proposal.id,
      limit,
      today,
    }),
  );
}
