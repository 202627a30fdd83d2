/**
 * Topic relevance between a proposal and past replies: which signed letters answered a similar
 * proposal (参照往年答复), and the phrases two texts share, for the one-line reason shown to the
 * handler. Pure and browser-safe. Chinese has no word boundaries, so texts are compared as
 * idf-weighted character bigrams after dropping the words every 案由 has (关于…的建议).
 */
import { bigramCounts, bigrams, codePointLength, normalizeForSearch } from "./library";
import { memo } from "./memo";

/** Words of a 案由 or letter frame that say nothing about its topic. */
export const BOILERPLATE = /关于|的建议|建议|提案|议案|答复函|答复|东工信函\s*[〔[（(]\s*\d{4}\s*[〕\]）)]\s*\d+\s*号|\d{4}年\d{1,2}月\d{1,2}日/g;
export const FUNCTION_CHARS = /[的和与及或等了在对为是有于把被将其之并而以由从向]/;
const EDGE_FUNCTION_CHARS = /^[的和与及或等了在对为是有于把被将其之并而以由从向]+|[的和与及或等了在对为是有于把被将其之并而以由从向]+$/g;

const countsOf = memo(bigramCounts);
const gramsOf = memo(bigrams);

/** The topic of a 案由 or text: normalised, boilerplate removed. */
export const topicText = memo((s: string): string => normalizeForSearch(s.replace(BOILERPLATE, " ")));

/** A run of Latin letters and digits this long is a word, not an acronym (LED, ERP, SaaS, 5G). */
const LATIN_WORD = /[a-z0-9]{5,}/g;

/**
 * The bigrams of a normalised query worth looking for in Chinese paragraphs: the pieces of a Latin
 * word ("script" → cr, ri, ip) match inside unrelated words (LED, Micro) and say nothing, so they
 * go, unless the same bigram stands in the query by itself (an acronym).
 */
export function queryBigrams(norm: string): string[] {
  const fragments = new Set<string>();
  for (const m of norm.matchAll(LATIN_WORD)) {
    // with the characters on either side: "于s", "t的" are no more a topic
    const end = m.index + m[0].length;
    for (const g of bigrams(norm.slice(Math.max(0, m.index - 1), end + 1))) fragments.add(g);
  }
  if (!fragments.size) return bigrams(norm);
  const kept = new Set(bigrams(norm.replace(LATIN_WORD, " ")));
  return bigrams(norm).filter((g) => !fragments.has(g) || kept.has(g));
}

const words = new Intl.Segmenter("zh", { granularity: "word" });

/**
 * Where the words of a normalised query begin and end (code-point offsets), by ICU's dictionary:
 * a phrase shown as what matched starts and ends at one, so the pieces across two words
 * (推动|工业 → 动工, 优化|工业 → 化工) that happen to be words of the other text are not shown.
 */
export const wordEdges = memo((query: string): Set<number> => {
  const edges = new Set<number>([0]);
  let at = 0;
  // what the segment before was: a Han word of two or more characters, a lone Han character, or other
  let before: "word" | "single" | "other" = "other";
  for (const w of words.segment(query)) {
    const n = Array.from(w.segment).length;
    const han = /^\p{Script=Han}+$/u.test(w.segment);
    // ICU leaves pieces of a word on their own: a one-character suffix (制造|业, 数字|化) belongs to
    // the word before it, and lone characters in a row are one word (互|联|网, 特|新, 用|电)
    if (han && n === 1 && before !== "other" && (SUFFIX.test(w.segment) || before === "single")) {
      edges.delete(at);
      before = "word";
    } else before = han ? (n === 1 ? "single" : "word") : "other";
    at += n;
    edges.add(at);
  }
  return edges;
});

/** Characters that end words (制造业, 数字化, 安全性, 互联网) rather than begin them. */
const SUFFIX = /[业化性型式者家员率度级网群链]/u;

/** The longest pieces of `query` (≥ 2 characters) found in `text`, both normalised: what a match was on. */
export function sharedPhrases(query: string, text: string, max = 6, informative?: Set<string>): string[] {
  const q = Array.from(query);
  const edges = wordEdges(query);
  // The longest run shared from each position; the longest runs are taken first, so a phrase is not
  // cut by a shorter one read before it ("企业数" of 企业数量 took 数 from 数字化转型: 匹配：字化转型、企业数).
  const runs: { i: number; len: number }[] = [];
  for (let i = 0; i < q.length - 1; i++) {
    let len = 1;
    while (i + len < q.length && text.includes(q.slice(i, i + len + 1).join(""))) len++;
    if (len >= 2) runs.push({ i, len });
  }
  runs.sort((a, b) => b.len - a.len || a.i - b.i);
  const taken = new Uint8Array(q.length);
  const out: string[] = [];
  for (const run of runs) {
    if (taken[run.i]) continue;
    // the part before a phrase already taken (a prefix of a shared run is shared too)
    let len = 0;
    while (len < run.len && !taken[run.i + len]) len++;
    // from the first word edge to the last one inside the run
    let from = run.i;
    let to = run.i + len;
    while (from < to && !edges.has(from)) from++;
    while (to > from && !edges.has(to)) to--;
    const phrase = q.slice(from, to).join("").replace(EDGE_FUNCTION_CHARS, "");
    // Two characters with a function word ("具有", "力和") are noise, not a topic.
    const n = codePointLength(phrase);
    // Only phrases carrying a topical bigram (not 产业, 发展…) are worth pointing at.
    const topical = !informative || bigrams(phrase).some((g) => informative.has(g));
    if (!topical || !(n >= 3 || (n === 2 && !FUNCTION_CHARS.test(phrase)))) continue;
    // a run of figures (a year cut in two: 匹配：202、21) points at no topic
    if (/^[\p{N}\p{P}\s]+$/u.test(phrase)) continue;
    taken.fill(1, from, to);
    if (!out.some((p) => p.includes(phrase))) out.push(phrase);
  }
  return out.sort((a, b) => b.length - a.length).slice(0, max);
}

/** Bigram → idf over a set of documents (their topic texts). */
export function inverseDocumentFrequencies(docs: readonly string[]): (gram: string) => number {
  const df = new Map<string, number>();
  for (const d of docs) for (const g of gramsOf(d)) df.set(g, (df.get(g) ?? 0) + 1);
  const n = docs.length;
  // Smoothed: with a handful of letters every gram would otherwise weigh nothing or the same.
  return (g) => Math.log(1 + (n + 1) / ((df.get(g) ?? 0) + 0.5));
}

/** Cosine similarity of idf-weighted bigram vectors (0…1). */
export function cosine(a: string, b: string, idf: (g: string) => number): number {
  const va = countsOf(a);
  const vb = countsOf(b);
  if (!va.size || !vb.size) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [g, c] of va) {
    const w = c * idf(g);
    na += w * w;
    const cb = vb.get(g);
    if (cb) dot += w * cb * idf(g);
  }
  for (const [g, c] of vb) nb += (c * idf(g)) ** 2;
  return dot / Math.sqrt(na * nb);
}

/** Bigrams in almost every 案由 of an industry bureau: a phrase needs more than these to name a topic. */
export const GENERIC_BIGRAMS = new Set(
  "发展 推动 加快 建设 促进 提升 加强 推进 支持 工作 问题 进一 一步 高质 质量 我市 东莞 全市 打造 具有 实施 完善 构建 产业 企业 创新 服务 体系 机制 政策 全面 积极 优化 培育 做好 量发".split(
    " ",
  ),
);

/**
 * How much of the query (idf-weighted bigrams) the document contains (0…1). For a proposal's
 * text against a letter's: unlike cosine, a long letter that answers every point is not
 * penalised for its length.
 */
export function coverage(query: string, doc: string, idf: (g: string) => number): number {
  const q = gramsOf(query).filter((g) => !FUNCTION_CHARS.test(g));
  if (!q.length) return 0;
  const d = countsOf(doc);
  let hit = 0;
  let all = 0;
  for (const g of q) {
    const w = idf(g);
    all += w;
    if (d.has(g)) hit += w;
  }
  return all ? hit / all : 0;
}

export type SimilarQuery = { title: string; proposers: readonly string[]; text?: string | null };
export type LetterCandidate = { letterId: number; proposalId: number; documentNumber: string; title: string; proposers: readonly string[]; body: string; date: string | null };
export type SimilarLetter = LetterCandidate & { score: number; reason: string; sameProposer: boolean; topics: string[] };

export const SIMILARITY_WEIGHTS = { title: 0.45, body: 0.35, proposer: 0.2 };
/** Below this a letter is not worth showing as a model for the reply. */
export const MIN_SIMILARITY = 0.1;

/** The names of proposers without "等N位委员" and spaces, for comparison. */
export function proposerKey(name: string): string {
  return name.replace(/等\s*\d+\s*[位名人](?:委员|政协委员)?$/u, "").replace(/\s+/g, "");
}

/**
 * Past signed replies best suited as the model of this proposal's reply, best first:
 * the 案由s' topics, the proposal's own text against the letter's text, and the same proposer.
 */
export function rankSimilarLetters(query: SimilarQuery, candidates: readonly LetterCandidate[], limit = 5): SimilarLetter[] {
  const qTitle = topicText(query.title);
  // The proposal's own text (an uploaded original) is matched by coverage; without one, the 案由 by cosine.
  const qText = query.text && query.text.trim().length >= 30 ? topicText(query.text.slice(0, 6000)) : null;
  const titles = candidates.map((c) => topicText(c.title));
  const bodies = candidates.map((c) => topicText(c.body.slice(0, 20000)));
  const idf = inverseDocumentFrequencies([...titles, ...bodies, qTitle, ...(qText ? [qText] : [])]);
  const names = new Set(query.proposers.map(proposerKey).filter(Boolean));
  const ranked = candidates.map((c, i) => {
    const title = cosine(qTitle, titles[i]!, idf);
    const body = qText ? coverage(qText, bodies[i]!, idf) : cosine(qTitle, bodies[i]!, idf);
    const sameProposer = c.proposers.some((p) => names.has(proposerKey(p)));
    const score = SIMILARITY_WEIGHTS.title * title + SIMILARITY_WEIGHTS.body * body + (sameProposer ? SIMILARITY_WEIGHTS.proposer : 0);
    // Name the shared topic from the 案由s when they share one, else from the letter's text.
    const informative = new Set(bigrams(qTitle).filter((g) => !FUNCTION_CHARS.test(g) && !GENERIC_BIGRAMS.has(g)));
    let topics = sharedPhrases(qTitle, titles[i]!, 3, informative);
    if (!topics.length) topics = sharedPhrases(qTitle, bodies[i]!, 3, informative);
    return { ...c, score, sameProposer, topics, fromText: Boolean(qText) && body >= 0.3 };
  });
  return ranked
    .filter((r) => r.score >= MIN_SIMILARITY)
    .sort((a, b) => b.score - a.score || b.letterId - a.letterId)
    .slice(0, limit)
    .map(({ fromText, ...r }) => ({
      ...r,
      reason:
        [r.sameProposer ? "同一提案者" : null, r.topics.length ? `主题相近：${r.topics.join("、")}` : null, fromText ? "提案原件所提事项在该函中多有答复" : null]
          .filter(Boolean)
          .join("；") || "内容相近",
    }));
}
