/**
 * Replies on the public site (/public): standing publications (publication.server.ts) of
 * 主动公开 replies — one row per published reply (after 再办理 a proposal has two: each is a
 * reply, with its own 文号, date and text, listed, searched and harvested) — in their public version
 * (app/domain/redaction.ts). Nothing here needs a signed-in user, so nothing here may return
 * more than the public version.
 */
import { compareMeetingsNewestFirst } from "~/domain/proposal";
import { and, desc, eq, ilike, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { recordId } from "~/domain/query-params";
import type { Db } from "#db/client.server";
import { batches, letters, proposals, publications } from "#db/schema";
import { letterPlainText, letterSchema, type Letter } from "~/domain/letter";
import { isPublished, isRedacted, publicLetter, type RuleMatcher, redactText } from "~/domain/redaction";
import { compileRules, type RedactionRule } from "~/domain/redaction-rules";
import { rowsOf } from "./library-search.server";
import { oncePerRequest } from "~/http/request-scope.server";
import { keptPerDatabase } from "./kept.server";
import { rulesForLetter, rulesInForce } from "./redaction.server";
import { canonicalMeeting, sameMeeting } from "./meeting.server";

/** The proposal's latest published letter (after 再办理 the second reply, the first stays public beside it). */
const latestPublished = sql`${letters.round} = (select max(l2.round) from publications p2 join letters l2 on l2.id = p2.letter_id where p2.proposal_id = ${proposals.id} and p2.withdrawn_at is null)`;
/**
 * The proposal's 公开方式 is that of its latest round. A reply of an earlier round (before 再办理)
 * was checked when it was published and stands on its own: a second reply set to 依申请公开
 * does not take the first off the site — only withdrawing it does.
 */
const laterRound = sql<boolean>`${letters.round} < (select max(l3.round) from letters l3 where l3.proposal_id = ${proposals.id})`;
const disclosureAllows = sql`(${proposals.disclosure} = 'public' or ${laterRound})`;
const standing = and(isNull(publications.withdrawnAt), disclosureAllows, eq(letters.state, "signed"))!;
const publishedWhere = and(standing, latestPublished)!;
/** Whether a listed reply is its proposal's latest published one (its page is /public/:id, an earlier one's ?round=N). */
const isLatest = sql<boolean>`(${latestPublished})`;

export type PublicReplyRow = {
  id: number;
  meeting: string;
  number: string;
  title: string;
  documentNumber: string | null;
  date: string | null;
  round: number;
  /** The proposal's latest published reply; an earlier one was answered again after 再办理. */
  latest: boolean;
};

const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();

/**
 * The 案由 as published: the redaction rules hide in it what they hide in the letter (whose
 * opening quotes it), so the heading, the list, the feed, the open data and the search never
 * show what the letter masks. The rules are compiled once per call, per letter with own rules.
 */
function publicTitles(rules: (RedactionRule & { proposalId: number | null })[]) {
  const global = rules.filter((r) => r.proposalId == null);
  const compiled = new Map<number | null, RuleMatcher[]>([[null, compileRules(global)]]);
  const matchersFor = (proposalId: number) => {
    if (!rules.some((r) => r.proposalId === proposalId)) return compiled.get(null)!;
    if (!compiled.has(proposalId)) compiled.set(proposalId, compileRules([...global, ...rules.filter((r) => r.proposalId === proposalId)]));
    return compiled.get(proposalId)!;
  };
  return Object.assign((title: string, proposalId: number) => redactText(title, matchersFor(proposalId)), { matchersFor });
}

/**
 * Published replies, newest letter first. The text search matches the meeting, number, title,
 * 文号 and the *public* text of the letter: the database narrows the candidates on the stored
 * text, then each candidate is checked again on its redacted text, so a search can never
 * reveal what redaction hides (e.g. find a letter by its officer's phone number).
 */
export type PublicFilters = { q?: string; year?: number; meeting?: string; topic?: string };

/**
 * The filters with the 会议 as it is registered: a short name (十三届六次会议) finds its replies, as
 * in registration and 统计 (it found none, and the list showed 全部会议).
 */
export async function withRegisteredMeeting<F extends { meeting?: string }>(db: Db, f: F): Promise<F> {
  return f.meeting ? { ...f, meeting: await canonicalMeeting(db, f.meeting) } : f;
}

/** Replies whose letter used a library paragraph tagged with the topic. */
const usesTopic = (topic: string) =>
  sql`exists (select 1 from paragraph_uses pu join paragraphs pg on pg.id = pu.paragraph_id where (pu.letter_number = ${letters.documentNumber} or pu.letter_revision_id = ${letters.currentRevisionId}) and ${topic} = any(pg.tags))`;

export async function listPublishedReplies(db: Db, r: PublicFilters & { page: number; pageSize: number }) {
  // every standing reply: after 再办理 the first one too (it was listed only through the second's page,
  // so its 文号 and text found nothing, the count and the open data missed it)
  const where: SQL[] = [standing];
  if (r.meeting) where.push(sameMeeting(r.meeting));
  if (r.topic) where.push((await redactedTopic(db))(r.topic) ? sql`false` : usesTopic(r.topic));
  // The reply's year: its 成文日期.
  if (r.year) where.push(sql`${letters.finalLetter}->>'date' like ${`${r.year}-%`}`);
  // Terms separated by spaces must all match.
  const terms = (r.q ?? "").split(/\s+/).filter(Boolean).slice(0, 8);
  const q = terms.length > 0;
  // The database narrows the candidates on the stored text; each is then checked on its public text.
  const like = (s: string) => `%${s.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
  for (const term of terms) {
    where.push(
      or(
        ilike(sql`(${batches.meeting} || ' ' || ${proposals.number} || ' ' || ${proposals.title} || ' ' || coalesce(${letters.documentNumber}, ''))`, like(term)),
        // the letter is searched as its stored JSON text, where a " is written \" (a phrase copied
        // from a reply with its quotes found nothing)
        ilike(sql`${letters.finalLetter}::text`, like(JSON.stringify(term).slice(1, -1))),
      )!,
    );
  }
  // Read before what it stamps (rules, rows): a change made meanwhile is then kept under the old
  // stamp, which no later request asks for — never under the new one.
  const stamp = q ? await publicStamp(db) : "";
  const rows = db
    .select({
      id: proposals.id,
      meeting: batches.meeting,
      number: proposals.number,
      title: proposals.title,
      documentNumber: letters.documentNumber,
      date: sql<string | null>`${letters.finalLetter}->>'date'`,
      round: letters.round,
      latest: isLatest,
      publishedAt: publications.publishedAt,
      letterId: letters.id,
      total: sql<number>`count(*) over ()::int`,
    })
    .from(publications)
    .innerJoin(proposals, eq(proposals.id, publications.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(and(...where))
    .orderBy(desc(sql`${letters.finalLetter}->>'date'`), desc(proposals.id), desc(letters.round))
    // without a text search the database pages; a search checks every candidate's public text first
    .$dynamic();
  const rules = await rulesInForce(db);
  const titleOf = publicTitles(rules);
  if (!q) {
    const pageRows = await rows.limit(r.pageSize).offset((r.page - 1) * r.pageSize);
    const total = pageRows[0]?.total ?? (r.page > 1 ? await countPublished(db, and(...where)!) : 0);
    return {
      rows: pageRows.map(({ total: _t, letterId: _l, ...row }) => ({ ...row, title: titleOf(row.title, row.id) })),
      total,
      pageCount: Math.max(1, Math.ceil(total / r.pageSize)),
    };
  }
  // Every page of one search shares its matches (a visitor paging through them, or anyone asking
  // for page after page, redacts nothing again), kept under the stamp like the pages themselves.
  const filters = { year: r.year, meeting: r.meeting, topic: r.topic };
  const matching = await keptMatches(db, `${stamp}\n${terms.join(" ")}\n${JSON.stringify(filters)}`, async () => {
    const candidates = (await rows).map(({ total: _t, ...row }) => ({ ...row, title: titleOf(row.title, row.id) }));
    const texts = await searchableTexts(db, stamp, candidates, titleOf.matchersFor);
    const wanted = terms.map(squash);
    return candidates.filter((row) => {
      const text = texts.get(row.letterId);
      return text !== undefined && wanted.every((t) => text.includes(t));
    });
  });
  const total = matching.length;
  const start = (r.page - 1) * r.pageSize;
  const page = matching.slice(start, start + r.pageSize).map(({ letterId: _l, ...row }) => row);
  return { rows: page, total, pageCount: Math.max(1, Math.ceil(total / r.pageSize)) };
}

type Candidate = PublicReplyRow & { letterId: number; publishedAt: Date };
const keptMatches = keptPerDatabase<Candidate[]>(100);

/**
 * What a search looks in, per published letter: its 会议, number, 案由 (as published), 文号 and
 * public text, without white space. Making it (the letter's JSON read, parsed and redacted) is what
 * a search costs — ~0.4 ms a letter, 0.3 s for the scale data set's 652 replies — so each process
 * keeps them under the public stamp (which covers every input: the rules, the publications, the
 * proposals' registered details; a signed letter never changes), up to 32 MB; entries under an old
 * stamp age out. Only the letters not kept are read from the database.
 */
const textsByDb = new WeakMap<Db, LRUCache<string, string>>();
const TEXTS_MAX_BYTES = 32 * 1024 * 1024;

async function searchableTexts(db: Db, stamp: string, candidates: Candidate[], matchersFor: (proposalId: number) => RuleMatcher[]): Promise<Map<number, string>> {
  let kept = textsByDb.get(db);
  if (!kept) textsByDb.set(db, (kept = new LRUCache<string, string>({ maxSize: TEXTS_MAX_BYTES, sizeCalculation: (t) => 2 * t.length + 64 })));
  const out = new Map<number, string>();
  const missing: Candidate[] = [];
  for (const c of candidates) {
    const text = kept.get(`${stamp}\n${c.letterId}`);
    if (text === undefined) missing.push(c);
    else out.set(c.letterId, text);
  }
  for (let i = 0; i < missing.length; i += 200) {
    const chunk = missing.slice(i, i + 200);
    const found = await db
      .select({ id: letters.id, finalLetter: letters.finalLetter })
      .from(letters)
      .where(
        inArray(
          letters.id,
          chunk.map((c) => c.letterId),
        ),
      );
    const letterOf = new Map(found.map((f) => [f.id, f.finalLetter]));
    for (const c of chunk) {
      const parsed = letterSchema.safeParse(letterOf.get(c.letterId));
      if (!parsed.success) continue;
      const text = squash([c.meeting, c.number, c.title, c.documentNumber ?? "", letterPlainText(publicLetter(parsed.data, matchersFor(c.id)))].join("\n"));
      kept.set(`${stamp}\n${c.letterId}`, text);
      out.set(c.letterId, text);
    }
  }
  return out;
}

async function countPublished(db: Db, where: SQL): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(publications)
    .innerJoin(proposals, eq(proposals.id, publications.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(where);
  return row?.n ?? 0;
}

/** One published reply in its public version, or null when it is not (or no longer) public. */
/** The proposal's published replies (after 再办理 more than one), newest first: round and 文号. */
export async function publishedRounds(db: Db, proposalId: number): Promise<{ round: number; documentNumber: string | null; date: string | null }[]> {
  return db
    .select({ round: letters.round, documentNumber: letters.documentNumber, date: sql<string | null>`${letters.finalLetter}->>'date'` })
    .from(publications)
    .innerJoin(proposals, eq(proposals.id, publications.proposalId))
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(and(eq(proposals.id, proposalId), standing))
    .orderBy(desc(letters.round));
}

/**
 * One published reply in its public version — the latest, or the given round (a first reply
 * stays public beside the one written after 再办理) — or null when it is not (or no longer) public.
 */
export async function getPublishedReply(
  db: Db,
  proposalId: number,
  round?: number,
): Promise<{ proposal: PublicReplyRow; letter: Letter; redacted: boolean; round: number } | null> {
  const which = round ? and(standing, eq(letters.round, round))! : publishedWhere;
  const [row] = await db
    .select({
      id: proposals.id,
      meeting: batches.meeting,
      number: proposals.number,
      title: proposals.title,
      withdrawnAt: publications.withdrawnAt,
      disclosure: proposals.disclosure,
      laterRound,
      documentNumber: letters.documentNumber,
      finalLetter: letters.finalLetter,
      letterId: letters.id,
      round: letters.round,
      latest: isLatest,
    })
    .from(publications)
    .innerJoin(proposals, eq(proposals.id, publications.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(and(eq(proposals.id, proposalId), which));
  // The SQL already filters; the domain rule is checked again so the two cannot drift apart silently.
  if (!row || !isPublished(row)) return null;
  const parsed = letterSchema.safeParse(row.finalLetter);
  if (!parsed.success) return null;
  const rules = compileRules(await rulesForLetter(db, row.letterId));
  const letter = publicLetter(parsed.data, rules);
  return {
    proposal: {
      id: row.id,
      meeting: row.meeting,
      number: row.number,
      title: redactText(row.title, rules),
      documentNumber: row.documentNumber,
      date: letter.date,
      round: row.round,
      latest: row.latest,
    },
    letter,
    redacted: isRedacted(letter),
    round: row.round,
  };
}

/** The filter choices on /public: the 会议 and years that have published replies. */
export async function publicFacets(db: Db) {
  const rows = await db
    .selectDistinct({ meeting: batches.meeting, year: sql<string | null>`substr(${letters.finalLetter}->>'date', 1, 4)` })
    .from(publications)
    .innerJoin(proposals, eq(proposals.id, publications.proposalId))
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .innerJoin(letters, eq(letters.id, publications.letterId))
    .where(standing);
  // topics of the replies the list shows (every standing one)
  const topics = await rowsOf<{ tag: string }>(
    db,
    sql`select distinct unnest(pg.tags) as tag from paragraph_uses pu join paragraphs pg on pg.id = pu.paragraph_id join letters l on (l.document_number = pu.letter_number or l.current_revision_id = pu.letter_revision_id) join publications pub on pub.letter_id = l.id and pub.withdrawn_at is null join proposals p on p.id = pub.proposal_id and (p.disclosure = 'public' or l.round < (select max(l3.round) from letters l3 where l3.proposal_id = p.id)) where l.state = 'signed' order by 1`,
  );
  const meetings = [...new Set(rows.map((r) => r.meeting))].sort(compareMeetingsNewestFirst);
  const years = [...new Set(rows.map((r) => Number(r.year)).filter((y) => y > 0))].sort((a, b) => b - a);
  const hidden = await redactedTopic(db);
  return { meetings, years, topics: topics.map((t) => t.tag).filter((t) => !hidden(t)) };
}

/**
 * A topic is a library tag; a redaction rule for all replies that hides its words hides the topic
 * too (a rule hiding 智能终端 left 主题: 智能终端 offered, and ?topic=智能终端 listing 108: a review).
 */
async function redactedTopic(db: Db): Promise<(topic: string) => boolean> {
  const global = compileRules((await rulesInForce(db)).filter((r) => r.proposalId == null));
  return (topic) => redactText(topic, global) !== topic;
}

const publishedProposalsChanged = sql<
  string | null
>`(select max(p.updated_at)::text from proposals p where p.id in (select pub.proposal_id from publications pub where pub.withdrawn_at is null))`;

/**
 * A stamp that changes whenever anything public changes (a publication, a withdrawal, a
 * redaction rule, a library paragraph whose tags make the 主题 filter, a published proposal's
 * registered details): the public pages' ETag, so a browser or proxy revalidates cheaply and a
 * withdrawal shows at once. Asked once per page request (the ETag and the page's data share it).
 */
export function publicStamp(db: Db): Promise<string> {
  return oncePerRequest("publicStamp", async () => {
    const [row] = await db
      .select({
        n: sql<number>`count(*)::int`,
        // Counts that only grow: a withdrawal changes the stamp whatever the clocks of the app's
        // instances (withdrawn_at) and of the database (published_at) say.
        withdrawn: sql<number>`count(${publications.withdrawnAt})::int`,
        last: sql<string | null>`max(greatest(${publications.publishedAt}, coalesce(${publications.withdrawnAt}, ${publications.publishedAt})))::text`,
        // A redaction rule added or removed changes every public form too.
        rules: sql<string>`(select count(*) || '-' || count(r.removed_at) || '-' || coalesce(max(greatest(r.created_at, coalesce(r.removed_at, r.created_at)))::text, '0') from redaction_rules r)`,
        library: sql<string | null>`(select max(updated_at)::text from paragraphs)`,
        // A published proposal's 案由, number or 会议 corrected shows at once too.
        proposals: publishedProposalsChanged,
      })
      .from(publications);
    return `${row?.n ?? 0}-${row?.withdrawn ?? 0}-${row?.last ?? "0"}-${row?.rules ?? ""}-${row?.library ?? ""}-${row?.proposals ?? ""}`;
  });
}

/**
 * The public site's data is a function of what is published (publicStamp) and the visitor's
 * query, and reading it is the site's main cost (every published letter's date and facets come
 * out of the letters' JSON: ~30 ms a page at 10,000 proposals). So each process keeps recent
 * answers under the current stamp (kept.server.ts) — a withdrawal changes the stamp, so it is
 * never served from here, on any instance.
 */
const keptPublic = keptPerDatabase<unknown>(200);

export async function underPublicStamp<T>(db: Db, key: string, make: () => Promise<T>): Promise<T> {
  return keptPublic(db, `${await publicStamp(db)}\n${key}`, make) as Promise<T>;
}

/** Published replies with their public text, newest first: the Atom feed and the open-data JSON. */
export async function publishedRepliesWithText(db: Db, r: PublicFilters & { limit: number; offset?: number }) {
  // Asked by feed readers and harvesters, without sign-in: one answer per query under the stamp (as the list).
  return underPublicStamp(db, `texts\n${JSON.stringify(r)}`, () => repliesWithText(db, r));
}

async function repliesWithText(db: Db, r: PublicFilters & { limit: number; offset?: number }) {
  const list = await listPublishedReplies(db, { ...r, page: 1, pageSize: 100_000 });
  const page = list.rows.slice(r.offset ?? 0, (r.offset ?? 0) + r.limit);
  const out = [];
  for (const row of page) {
    const reply = await getPublishedReply(db, row.id, row.round);
    if (!reply) continue;
    out.push({ ...row, text: letterPlainText(reply.letter) });
  }
  return { items: out, total: list.total };
}

const idParam = recordId;
const roundParam = z.coerce.number().int().min(1).max(99).optional().catch(undefined);

/** The reply a public URL names (/public/:id, ?round=N), or a 404 that says nothing more. */
export async function publishedReplyForRequest(db: Db, request: Request, id: string | undefined) {
  const parsed = idParam.safeParse(id);
  const reply = parsed.success ? await getPublishedReply(db, parsed.data, roundParam.parse(new URL(request.url).searchParams.get("round") ?? undefined)) : null;
  if (!reply) throw new Response("答复不存在或尚未公开。", { status: 404 });
  return reply;
}
