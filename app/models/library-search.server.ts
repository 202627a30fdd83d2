/**
 * Search over the paragraph library: the index (maintained on every write) and the ranked
 * query. Functions take (db, params) and never open their own transaction.
 *
 * Design (measured by `npm run bench`, see docs/decisions/005-library-search.md):
 * - Every paragraph stores its normalised title / tags / body and their bigrams
 *   (`paragraphs.grams`, GIN-indexed). The score of a query is computed from those columns
 *   with the formula of app/domain/library.ts.
 * - Ranking every paragraph that matches a common term (专精特新 matches thousands in a large
 *   library) is what makes naive search slow. So the index also keeps, per bigram, only the
 *   SEARCH_LIST_SIZE paragraphs with the highest impact of that bigram ("champion lists",
 *   table paragraph_search_postings), and for each bigram an upper bound (`floor`) on the
 *   impact of every paragraph left out of its list.
 * - A query term scores at most the impact of each of its bigrams. So the search takes, for
 *   each term, the list of its most selective bigram (lowest floor), ranks only the union
 *   of those lists exactly, and checks the certificate: if the last result it returns scores
 *   at least the sum over terms of the smallest floor, no paragraph outside the lists can
 *   beat it and the ranking is the exact one. Otherwise (rare: very restrictive filters, or
 *   terms whose bigrams are all common) it falls back to ranking every GIN match.
 */
import { and, arrayContains, asc, desc, eq, gt, inArray, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { libraryDocuments, paragraphSearchGrams, paragraphSearchPostings, paragraphs, paragraphUses, paragraphVersions, proposals } from "#db/schema";
import {
  bigrams,
  buildSearchDocument,
  codePointLength,
  highlight,
  MAX_TERM_SCORE,
  normalizeForSearch,
  parseSearchQuery,
  RANKING,
  sourceLabel,
  type Highlighted,
  type ParagraphKind,
  type ParagraphStatus,
} from "~/domain/library";
import { BOILERPLATE, FUNCTION_CHARS, queryBigrams, sharedPhrases } from "~/domain/relevance";
import { HIDDEN_LETTER_LABEL, letterNumberPatterns, parseReferenceQuery, type ReferenceQuery } from "~/domain/library";
import { memoBy } from "~/domain/memo";
import { letterProposalIdSql } from "./paragraph.server";
import { type StalenessInput, stalenessOf } from "~/domain/staleness";

/** Paragraphs kept per bigram in the index. */
export const SEARCH_LIST_SIZE = 100;
/**
 * Bigrams per term whose lists are read: the one with the lowest floor is enough. A paragraph
 * missing from that list scores at most its floor, which is the bound anyway, so more lists
 * could only add candidates that tie with the bound — and cost time.
 */
const GRAMS_PER_TERM = 1;
const EPSILON = 1e-9;

// ---------------------------------------------------------------------------
// Results of raw SQL on either driver
// ---------------------------------------------------------------------------

export async function rowsOf<T>(db: Db, query: SQL): Promise<T[]> {
  const r = (await db.execute(query)) as unknown;
  return (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];
}

// ---------------------------------------------------------------------------
// Index maintenance
// ---------------------------------------------------------------------------

/**
 * (Re)index one paragraph from its current title, tags and body: search columns, its
 * postings, document frequencies, and the lists it may have pushed over the size limit.
 */
export async function indexParagraph(db: Db, p: { id: number; title: string; tags: readonly string[]; body: string }) {
  const [prev] = await db.select({ grams: paragraphs.grams }).from(paragraphs).where(eq(paragraphs.id, p.id));
  const doc = buildSearchDocument(p);
  await db
    .update(paragraphs)
    .set({ searchTitle: doc.searchTitle, searchTags: doc.searchTags, searchBody: doc.searchBody, bodyLength: doc.bodyLength, grams: doc.grams })
    .where(eq(paragraphs.id, p.id));
  await db.delete(paragraphSearchPostings).where(eq(paragraphSearchPostings.paragraphId, p.id));
  for (const chunk of chunks(doc.grams, 2000)) {
    await db.insert(paragraphSearchPostings).values(chunk.map((gram) => ({ gram, paragraphId: p.id, impact: doc.impacts.get(gram)! })));
  }
  // Document frequencies: +1 for bigrams gained, −1 for bigrams lost. Sorted, so that
  // concurrent writers lock the rows in the same order.
  const before = new Set(prev?.grams ?? []);
  const after = new Set(doc.grams);
  const deltas = [...doc.grams.filter((g) => !before.has(g)).map((gram) => ({ gram, df: 1 })), ...[...before].filter((g) => !after.has(g)).map((gram) => ({ gram, df: -1 }))].sort(
    (a, b) => (a.gram < b.gram ? -1 : a.gram > b.gram ? 1 : 0),
  );
  for (const chunk of chunks(deltas, 2000)) {
    await db
      .insert(paragraphSearchGrams)
      .values(chunk)
      .onConflictDoUpdate({ target: paragraphSearchGrams.gram, set: { df: sql`${paragraphSearchGrams.df} + excluded.df` } });
  }
  const full = await db
    .select({ gram: paragraphSearchGrams.gram })
    .from(paragraphSearchGrams)
    .where(and(inArray(paragraphSearchGrams.gram, doc.grams.length ? doc.grams : [""]), gt(paragraphSearchGrams.df, SEARCH_LIST_SIZE)));
  if (full.length)
    await trimLists(
      db,
      full.map((r) => r.gram),
    );
}

/** Cut lists back to SEARCH_LIST_SIZE; what is cut raises the gram's floor. */
async function trimLists(db: Db, grams: string[]) {
  for (const chunk of chunks(grams, 500)) {
    await db.execute(sql`
      with ranked as (
        select gram, paragraph_id, row_number() over (partition by gram order by impact desc, paragraph_id) as rn
        from ${paragraphSearchPostings}
        where ${inArray(paragraphSearchPostings.gram, chunk)}
      ), cut as (
        delete from ${paragraphSearchPostings} p using ranked r
        where r.rn > ${sql.raw(String(SEARCH_LIST_SIZE))} and p.gram = r.gram and p.paragraph_id = r.paragraph_id
        returning p.gram, p.impact
      )
      update ${paragraphSearchGrams} g set floor = greatest(g.floor, c.m)
      from (select gram, max(impact) as m from cut group by gram) c
      where g.gram = c.gram`);
  }
}

function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

/**
 * Rebuild the whole index from the paragraphs' current versions (maintenance, ranking
 * changes, bulk loads such as the benchmark). Streams the library in batches.
 */
export async function rebuildSearchIndex(db: Db, opts: { batchSize?: number; onProgress?: (done: number, total: number) => void } = {}) {
  const batchSize = opts.batchSize ?? 2000;
  const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(paragraphs);
  await db.delete(paragraphSearchPostings);
  await db.delete(paragraphSearchGrams);
  type Entry = { id: number; impact: number };
  const lists = new Map<string, Entry[]>();
  const df = new Map<string, number>();
  const floor = new Map<string, number>();
  const cut = (gram: string, list: Entry[]) => {
    list.sort((a, b) => b.impact - a.impact || a.id - b.id);
    const dropped = list.splice(SEARCH_LIST_SIZE);
    if (dropped.length) floor.set(gram, Math.max(floor.get(gram) ?? 0, dropped[0]!.impact));
  };
  let lastId = 0;
  let done = 0;
  for (;;) {
    const batch = await db
      .select({
        id: paragraphs.id,
        title: paragraphVersions.title,
        tags: paragraphVersions.tags,
        body: paragraphVersions.body,
        searchTitle: paragraphs.searchTitle,
        searchTags: paragraphs.searchTags,
        searchBody: paragraphs.searchBody,
        bodyLength: paragraphs.bodyLength,
      })
      .from(paragraphs)
      .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphs.currentVersionId))
      .where(gt(paragraphs.id, lastId))
      .orderBy(asc(paragraphs.id))
      .limit(batchSize);
    if (batch.length === 0) break;
    const stale: { id: number; doc: ReturnType<typeof buildSearchDocument> }[] = [];
    for (const p of batch) {
      const doc = buildSearchDocument(p);
      if (doc.searchTitle !== p.searchTitle || doc.searchTags !== p.searchTags || doc.searchBody !== p.searchBody || doc.bodyLength !== p.bodyLength) stale.push({ id: p.id, doc });
      for (const [gram, impact] of doc.impacts) {
        df.set(gram, (df.get(gram) ?? 0) + 1);
        let list = lists.get(gram);
        if (!list) lists.set(gram, (list = []));
        list.push({ id: p.id, impact });
        if (list.length >= 2 * SEARCH_LIST_SIZE) cut(gram, list);
      }
    }
    for (const s of stale) {
      await db
        .update(paragraphs)
        .set({ searchTitle: s.doc.searchTitle, searchTags: s.doc.searchTags, searchBody: s.doc.searchBody, bodyLength: s.doc.bodyLength, grams: s.doc.grams })
        .where(eq(paragraphs.id, s.id));
    }
    lastId = batch[batch.length - 1]!.id;
    done += batch.length;
    opts.onProgress?.(done, total);
  }
  const postings: { gram: string; paragraphId: number; impact: number }[] = [];
  for (const [gram, list] of lists) {
    cut(gram, list);
    for (const e of list) postings.push({ gram, paragraphId: e.id, impact: e.impact });
  }
  // Bulk: one JSON parameter per chunk (far cheaper to send and parse than thousands of bound values).
  for (const chunk of chunks(postings, 50_000)) {
    await db.execute(sql`insert into ${paragraphSearchPostings} (gram, paragraph_id, impact)
      select x.g, x.p, x.i from json_to_recordset(${JSON.stringify(chunk.map((e) => ({ g: e.gram, p: e.paragraphId, i: e.impact })))}::json) as x(g text, p integer, i float8)`);
  }
  const grams = [...df].map(([gram, n]) => ({ g: gram, d: n, f: floor.get(gram) ?? 0 }));
  for (const chunk of chunks(grams, 50_000)) {
    await db.execute(sql`insert into ${paragraphSearchGrams} (gram, df, floor)
      select x.g, x.d, x.f from json_to_recordset(${JSON.stringify(chunk)}::json) as x(g text, d integer, f float8)`);
  }
  return { paragraphs: done, grams: grams.length, postings: postings.length };
}

// ---------------------------------------------------------------------------
// Ranking
// ---------------------------------------------------------------------------

const f8 = (x: number) => sql.raw(`${String(x)}::float8`);

/** SQL twin of scoreDocument (app/domain/library.ts), same operation order. */
function termScoreSql(term: string): SQL {
  const { k1, b, pivot, titleBonus, tagBonus } = RANKING;
  // a parameter, not a literal: the statement's text stays the same for every term (it is prepared, db/client.server.ts)
  const len = sql`${codePointLength(term)}::int`;
  const tf = sql`((length(${paragraphs.searchBody}) - length(replace(${paragraphs.searchBody}, ${term}::text, ''))) / ${len})::float8`;
  return sql`((${tf} * ${f8(k1 + 1)}) / (${tf} + ${f8(k1)} * (${f8(1 - b)} + (${f8(b)} * ${paragraphs.bodyLength}::float8) / ${f8(pivot)}))
    + (case when strpos(${paragraphs.searchTitle}, ${term}::text) > 0 then ${f8(titleBonus)} else 0::float8 end)
    + (case when strpos(${paragraphs.searchTags}, ${term}::text) > 0 then ${f8(tagBonus)} else 0::float8 end))`;
}

function termMatchSql(term: string): SQL {
  return sql`(strpos(${paragraphs.searchBody}, ${term}::text) > 0 or strpos(${paragraphs.searchTitle}, ${term}::text) > 0 or strpos(${paragraphs.searchTags}, ${term}::text) > 0)`;
}

export type StatusFilter = ParagraphStatus | "all";

export type LibraryFilters = {
  status?: StatusFilter;
  tag?: string;
  /** Paragraphs from this document, or used / appearing in it. */
  documentId?: number;
};

function filterSql(f: LibraryFilters): SQL[] {
  const where: SQL[] = [];
  const status = f.status ?? "active";
  if (status !== "all") where.push(eq(paragraphs.status, status));
  if (f.tag) where.push(arrayContains(paragraphs.tags, [f.tag]));
  if (f.documentId) {
    where.push(
      or(
        eq(paragraphs.sourceDocumentId, f.documentId),
        sql`exists (select 1 from ${paragraphUses} u where u.paragraph_id = ${paragraphs.id} and u.document_id = ${f.documentId})`,
      )!,
    );
  }
  return where;
}

export type RankStrategy = "index" | "full" | "scan" | "none" | "reference";

export type RankResult = {
  terms: string[];
  hits: { id: number; score: number }[];
  /** index: champion lists, certified; full: every GIN match ranked; scan: no bigram (1-character terms); none: empty query. */
  strategy: RankStrategy;
  /** True when the ranking is provably the one a full scan gives (ties aside). */
  exact: boolean;
  candidates: number | null;
};

/** The ranked ids and scores for a query (no display data): what the benchmark times. */
export async function rankParagraphs(db: Db, params: { q: string; limit: number } & LibraryFilters): Promise<RankResult> {
  const terms = parseSearchQuery(params.q);
  if (terms.length === 0) return { terms, hits: [], strategy: "none", exact: true, candidates: 0 };
  const limit = Math.max(1, Math.min(200, params.limit));
  const termGrams = terms.map((t) => bigrams(t));
  const allGrams = [...new Set(termGrams.flat())];
  const score = sql.join(terms.map(termScoreSql), sql` + `);
  const where = [...terms.map(termMatchSql), ...filterSql(params)];
  // Prepared (postgres.js caches the statement per connection by its text): the search runs the
  // same few statement shapes over and over, and planning them each time costs more than running them.
  const rank = (extra: SQL[]) =>
    db
      .select({ id: paragraphs.id, score: sql<number>`${score}`.mapWith(Number).as("score") })
      .from(paragraphs)
      .where(and(...where, ...extra))
      .orderBy(sql`score desc`, asc(paragraphs.id))
      .limit(limit)
      .prepare("library_rank")
      .execute();

  if (allGrams.length === 0) {
    // One-character terms have no bigram: scan (rare; a single character is rarely a useful search).
    return { terms, hits: await rank([]), strategy: "scan", exact: true, candidates: null };
  }

  const stats = await db
    .select({ gram: paragraphSearchGrams.gram, df: paragraphSearchGrams.df, floor: paragraphSearchGrams.floor })
    .from(paragraphSearchGrams)
    .where(inArray(paragraphSearchGrams.gram, allGrams))
    .prepare("library_gram_stats")
    .execute();
  const byGram = new Map(stats.filter((s) => s.df > 0).map((s) => [s.gram, s]));
  // A bigram no paragraph contains: nothing can match.
  if (allGrams.some((g) => !byGram.has(g))) return { terms, hits: [], strategy: "index", exact: true, candidates: 0 };

  let bound = 0;
  let complete = false;
  const selected = new Set<string>();
  for (const grams of termGrams) {
    if (grams.length === 0) {
      bound += MAX_TERM_SCORE;
      continue;
    }
    const best = grams
      .map((g) => byGram.get(g)!)
      .sort((a, b) => a.floor - b.floor || a.df - b.df)
      .slice(0, GRAMS_PER_TERM);
    for (const s of best) selected.add(s.gram);
    bound += best[0]!.floor;
    // A list that was never cut holds every paragraph with that bigram: the union is exhaustive.
    if (best[0]!.floor === 0) complete = true;
  }

  const candidateIds = db
    .selectDistinct({ id: paragraphSearchPostings.paragraphId })
    .from(paragraphSearchPostings)
    .where(inArray(paragraphSearchPostings.gram, [...selected]));
  const hits = await rank([inArray(paragraphs.id, candidateIds)]);
  const certified = complete || (hits.length >= limit && hits[limit - 1]!.score >= bound - EPSILON);
  if (certified) return { terms, hits, strategy: "index", exact: true, candidates: null };
  // Not provable from the lists: rank every paragraph holding all the bigrams (GIN).
  return { terms, hits: await rank([arrayContains(paragraphs.grams, allGrams)]), strategy: "full", exact: true, candidates: null };
}

/** The ranking by a sequential scan (no index at all): the benchmark's floor, and a test oracle. */
export async function rankParagraphsByScan(db: Db, params: { q: string; limit: number } & LibraryFilters) {
  const terms = parseSearchQuery(params.q);
  if (terms.length === 0) return [];
  const score = sql.join(terms.map(termScoreSql), sql` + `);
  return db
    .select({ id: paragraphs.id, score: sql<number>`${score}`.mapWith(Number).as("score") })
    .from(paragraphs)
    .where(and(...terms.map(termMatchSql), ...filterSql(params)))
    .orderBy(sql`score desc`, asc(paragraphs.id))
    .limit(params.limit);
}

// ---------------------------------------------------------------------------
// Display rows
// ---------------------------------------------------------------------------

export type LibraryRow = {
  id: number;
  title: string;
  titleHighlight: Highlighted | null;
  status: ParagraphStatus;
  kind: ParagraphKind;
  tags: string[];
  version: number;
  asOf: string | null;
  source: string;
  sourceDocumentId: number | null;
  snippet: Highlighted;
  /** The whole current text, only when asked for (CLI --json). */
  body?: string;
  score: number | null;
  uses: number;
  stale: string[];
  updatedAt: Date;
};

// The same paragraphs are listed on view after view: their staleness (years and periods found in
// the text) is remembered per day, settings and text.
const staleness = memoBy(
  (i: StalenessInput) => `${i.today instanceof Date ? i.today.toISOString().slice(0, 10) : i.today}|${i.asOf ?? ""}|${i.maxAgeDays ?? ""}|${i.text}`,
  stalenessOf,
  500_000,
);

/** Display data for paragraph ids, in the given order, with highlights and staleness flags. */
export async function describeParagraphs(
  db: Db,
  params: {
    ids: number[];
    terms?: string[];
    /** Per-row terms to highlight (suggestions), instead of `terms`. */
    termsById?: Map<number, string[]>;
    scores?: Map<number, number>;
    today: Date;
    /** Library maintenance: also flag by age. Drafting leaves it out (content only). */
    staleAfterDays?: number;
    snippetChars?: number;
    withBody?: boolean;
  },
): Promise<LibraryRow[]> {
  if (params.ids.length === 0) return [];
  const rows = await db
    .select({
      id: paragraphs.id,
      title: paragraphs.title,
      status: paragraphs.status,
      kind: paragraphs.kind,
      tags: paragraphs.tags,
      version: paragraphs.version,
      asOf: paragraphs.asOf,
      updatedAt: paragraphs.updatedAt,
      body: paragraphVersions.body,
      section: paragraphVersions.sourceSection,
      sourceDocumentId: paragraphs.sourceDocumentId,
      // a past letter by its 文号 only: these rows (search, 推荐段落) are shared by readers who may not
      // open its proposal (documentHiddenFrom), and its title names the proposal
      documentTitle: sql<
        string | null
      >`case when ${libraryDocuments.kind} = 'letter' then coalesce(${libraryDocuments.letterNumber}, ${HIDDEN_LETTER_LABEL}) else ${libraryDocuments.title} end`,
      letterNumber: libraryDocuments.letterNumber,
      uses: sql<number>`(select count(*) from ${paragraphUses} u where u.paragraph_id = ${paragraphs.id} and (u.letter_number is not null or u.letter_revision_id is not null))`.mapWith(
        Number,
      ),
    })
    .from(paragraphs)
    .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphs.currentVersionId))
    .leftJoin(libraryDocuments, eq(libraryDocuments.id, paragraphs.sourceDocumentId))
    .where(inArray(paragraphs.id, params.ids));
  const byId = new Map(rows.map((r) => [r.id, r]));
  return params.ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const terms = params.termsById?.get(id) ?? params.terms ?? [];
    const stale = staleness({ asOf: r.asOf ?? undefined, text: r.body, today: params.today, maxAgeDays: params.staleAfterDays });
    return [
      {
        id: r.id,
        title: r.title,
        titleHighlight: terms.length ? highlight(r.title, terms) : null,
        status: r.status,
        kind: r.kind,
        tags: r.tags,
        version: r.version,
        asOf: r.asOf,
        source: sourceLabel({ documentTitle: r.documentTitle, letterNumber: r.letterNumber, section: r.section }),
        sourceDocumentId: r.sourceDocumentId,
        snippet: highlight(r.body, terms, { window: params.snippetChars ?? 160 }),
        ...(params.withBody ? { body: r.body } : {}),
        score: params.scores?.get(id) ?? null,
        uses: r.uses,
        stale: stale.reasons,
        updatedAt: r.updatedAt,
      },
    ];
  });
}

/**
 * The paragraphs of a past reply found by its 文号 ("108号") or its proposal's number, in the
 * order the letter used them: through the letter's drafting, or its imported copy in the library.
 */
export async function paragraphsOfReference(db: Db, ref: ReferenceQuery, f: LibraryFilters & { limit: number; handlerId?: string }): Promise<number[]> {
  const match =
    ref.kind === "letter"
      ? sql`coalesce(u.letter_number, d.letter_number) like ${letterNumberPatterns(ref).like}
            and coalesce(u.letter_number, d.letter_number) ~ ${letterNumberPatterns(ref).regex}`
      : // By proposal number, a handler who sees only their own proposals finds only those (and the
        // letters imported into the library): "where used" hides which paragraphs another
        // handler's proposal uses (scopeUses), and a search must not rebuild it.
        sql`(pr.number = ${ref.number} or d.letter_frame->>'proposalNumber' = ${ref.number})
            ${f.handlerId ? sql`and (u.proposal_id is null or pr.handler_id = ${f.handlerId})` : sql``}`;
  const rows = await rowsOf<{ id: number }>(
    db,
    sql`select u.paragraph_id as id from ${paragraphUses} u
          left join ${libraryDocuments} d on d.id = u.document_id
          left join ${proposals} pr on pr.id = coalesce(u.proposal_id, d.proposal_id)
          join ${paragraphs} on ${paragraphs.id} = u.paragraph_id
        where ${match} ${sql.join(
          filterSql(f).map((w) => sql` and ${w}`),
          sql``,
        )}
        group by u.paragraph_id order by min(u.id) limit ${Math.min(200, f.limit)}`,
  );
  return rows.map((r) => Number(r.id));
}

export type SearchResult = Omit<RankResult, "hits"> & { rows: LibraryRow[]; total: number | null; ms: number };

/**
 * Ranked search with highlights, or (empty query) the library browsed newest first.
 * `total` is only known when browsing: counting every match is what ranking avoids.
 */
export async function searchParagraphs(
  db: Db,
  /** `handlerId`: the searcher sees only that handler's proposals (visibilityFor's scope). */
  params: { q: string; limit: number; page?: number; today: Date; staleAfterDays?: number; withBody?: boolean; handlerId?: string } & LibraryFilters,
): Promise<SearchResult> {
  const started = performance.now();
  const ref = parseReferenceQuery(params.q);
  if (ref) {
    const ids = await paragraphsOfReference(db, ref, params);
    if (ids.length) {
      const rows = await describeParagraphs(db, { ids, today: params.today, staleAfterDays: params.staleAfterDays, withBody: params.withBody });
      return { terms: [], strategy: "reference", exact: true, candidates: ids.length, rows, total: ids.length, ms: performance.now() - started };
    }
  }
  const ranked = await rankParagraphs(db, params);
  if (ranked.strategy === "none") {
    const page = Math.max(1, params.page ?? 1);
    const where = and(...filterSql(params));
    const [{ total }] = await db.select({ total: sql<number>`count(*)::int` }).from(paragraphs).where(where);
    const ids = await db
      .select({ id: paragraphs.id })
      .from(paragraphs)
      .where(where)
      .orderBy(desc(paragraphs.updatedAt), desc(paragraphs.id))
      .limit(params.limit)
      .offset((page - 1) * params.limit);
    const rows = await describeParagraphs(db, { ids: ids.map((r) => r.id), today: params.today, staleAfterDays: params.staleAfterDays, withBody: params.withBody });
    return { ...ranked, rows, total, ms: performance.now() - started };
  }
  const rows = await describeParagraphs(db, {
    ids: ranked.hits.map((h) => h.id),
    terms: ranked.terms,
    scores: new Map(ranked.hits.map((h) => [h.id, h.score])),
    today: params.today,
    staleAfterDays: params.staleAfterDays,
    withBody: params.withBody,
  });
  const { hits: _hits, ...rest } = ranked;
  return { ...rest, rows, total: null, ms: performance.now() - started };
}

// ---------------------------------------------------------------------------
// Suggestions and duplicate candidates
// ---------------------------------------------------------------------------

/**
 * Library paragraphs most relevant to a text (a proposal's 案由 and notes), best first:
 * bigrams weighted by rarity (idf) times their impact, read from the index lists.
 */
export async function suggestParagraphs(db: Db, params: { text: string; limit: number; today: Date; staleAfterDays?: number; proposalId?: number }) {
  const norm = normalizeForSearch(params.text.replace(BOILERPLATE, " "));
  const grams = queryBigrams(norm);
  if (grams.length === 0) return [];
  const [{ n }] = await db.select({ n: sql<number>`count(*)::int` }).from(paragraphs);
  if (n === 0) return [];
  const stats = await db
    .select({ gram: paragraphSearchGrams.gram, df: paragraphSearchGrams.df })
    .from(paragraphSearchGrams)
    .where(and(inArray(paragraphSearchGrams.gram, grams), gt(paragraphSearchGrams.df, 0)));
  const weighted = stats
    // A bigram in most paragraphs (产业, 发展) or made with a function word (具有, 力和) says nothing about the topic.
    .filter((s) => s.df <= Math.max(3, n * 0.3) && !FUNCTION_CHARS.test(s.gram))
    .map((s) => ({ gram: s.gram, idf: Math.log(1 + (n - s.df + 0.5) / (s.df + 0.5)) }))
    .sort((a, b) => b.idf - a.idf)
    .slice(0, 32);
  if (weighted.length === 0) return [];
  const q = sql.join(
    weighted.map((w) => sql`(${w.gram}::text, ${f8(w.idf)})`),
    sql`, `,
  );
  const ranked = await rowsOf<{ paragraph_id: number; score: number }>(
    db,
    sql`select p.paragraph_id, sum(p.impact * q.idf)::float8 as score
        from ${paragraphSearchPostings} p join (values ${q}) as q(gram, idf) on q.gram = p.gram
        join ${paragraphs} on ${paragraphs.id} = p.paragraph_id and ${paragraphs.status} = 'active'
        group by p.paragraph_id order by score desc, p.paragraph_id limit ${params.limit}`,
  );
  const ids = ranked.map((r) => Number(r.paragraph_id));
  if (ids.length === 0) return [];
  const texts = await db
    .select({ id: paragraphs.id, text: sql<string>`${paragraphs.searchTitle} || '|' || ${paragraphs.searchBody}` })
    .from(paragraphs)
    .where(inArray(paragraphs.id, ids));
  const informative = new Set(weighted.map((w) => w.gram));
  const termsById = new Map(texts.map((t) => [t.id, sharedPhrases(norm, t.text, 6, informative)]));
  const rows = await describeParagraphs(db, {
    ids,
    termsById,
    scores: new Map(ranked.map((r) => [Number(r.paragraph_id), Number(r.score)])),
    today: params.today,
    staleAfterDays: params.staleAfterDays,
    snippetChars: 120,
  });
  // Used for this proposal: by a letter written for it, or by an imported letter whose frame names it.
  const used = params.proposalId
    ? new Set(
        (
          await db
            .selectDistinct({ id: paragraphUses.paragraphId })
            .from(paragraphUses)
            .leftJoin(libraryDocuments, eq(libraryDocuments.id, paragraphUses.documentId))
            .where(
              and(
                inArray(paragraphUses.paragraphId, ids),
                // the letter's proposal found as everywhere else (letterProposalIdSql: 会议 names folded)
                sql`coalesce(${paragraphUses.proposalId}, ${letterProposalIdSql()}) = ${params.proposalId}`,
              ),
            )
        ).map((r) => r.id),
      )
    : new Set<number>();
  return rows.map((r) => ({ ...r, matched: termsById.get(r.id) ?? [], usedForProposal: used.has(r.id) }));
}

/**
 * Library paragraphs that may duplicate a text, for the exact duplicate check
 * (findDuplicates): the ones sharing most of its rarest bigrams, plus the ones holding
 * its three rarest bigrams.
 */
export async function duplicateCandidates(db: Db, texts: string[]): Promise<Map<number, { id: number; title: string; status: ParagraphStatus; body: string; version: number }>> {
  const gramsOf = texts.map((t) => bigrams(normalizeForSearch(t)));
  const all = [...new Set(gramsOf.flat())];
  const out = new Map<number, { id: number; title: string; status: ParagraphStatus; body: string; version: number }>();
  if (all.length === 0) return out;
  const df = new Map<string, number>();
  for (const chunk of chunks(all, 5000)) {
    const rows = await db.select({ gram: paragraphSearchGrams.gram, df: paragraphSearchGrams.df }).from(paragraphSearchGrams).where(inArray(paragraphSearchGrams.gram, chunk));
    for (const r of rows) if (r.df > 0) df.set(r.gram, r.df);
  }
  const ids = new Set<number>();
  for (const grams of gramsOf) {
    const rare = grams.filter((g) => df.has(g)).sort((a, b) => df.get(a)! - df.get(b)! || (a < b ? -1 : 1));
    if (rare.length === 0) continue;
    const overlap = await db
      .select({ id: paragraphSearchPostings.paragraphId })
      .from(paragraphSearchPostings)
      .where(inArray(paragraphSearchPostings.gram, rare.slice(0, 32)))
      .groupBy(paragraphSearchPostings.paragraphId)
      .orderBy(sql`count(*) desc`, asc(paragraphSearchPostings.paragraphId))
      .limit(20);
    for (const r of overlap) ids.add(r.id);
    const holding = await db
      .select({ id: paragraphs.id })
      .from(paragraphs)
      .where(arrayContains(paragraphs.grams, rare.slice(0, 3)))
      .limit(20);
    for (const r of holding) ids.add(r.id);
  }
  if (ids.size === 0) return out;
  const rows = await db
    .select({ id: paragraphs.id, title: paragraphs.title, status: paragraphs.status, body: paragraphVersions.body, version: paragraphs.version })
    .from(paragraphs)
    .innerJoin(paragraphVersions, eq(paragraphVersions.id, paragraphs.currentVersionId))
    .where(inArray(paragraphs.id, [...ids]));
  for (const r of rows) out.set(r.id, r);
  return out;
}
