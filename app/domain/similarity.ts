/**
 * Near-duplicate detection for library paragraphs. Chinese has no word
 * boundaries, so texts are compared as sets of character n-grams (shingles)
 * after a normalisation that ignores what PDF extraction and retyping change
 * without changing the wording: whitespace, punctuation, full/half width,
 * quote styles. Pure and browser-safe.
 *
 * Scores:
 * - exact: identical after `normalizeForCompare`;
 * - near: Jaccard similarity of the shingle sets ≥ `nearThreshold` (0.8) —
 *   the same paragraph with a changed figure or a retyped dash;
 * - contains: the candidate contains (most of) a library paragraph — a letter
 *   section made of an extra intro sentence + a reused paragraph;
 * - contained: the candidate is (most of) a part of a library paragraph.
 * The containment score is |A ∩ B| / |B| for "A contains B".
 */

export type DuplicateKind = "exact" | "near" | "contains" | "contained";

export interface LibraryText {
  id: string;
  text: string;
}

export interface DuplicateMatch {
  id: string;
  /** 1 for exact; the Jaccard score for near; the containment score otherwise. */
  score: number;
  kind: DuplicateKind;
  jaccard: number;
  /** Share of the library paragraph's shingles found in the candidate. */
  containsLibrary: number;
  /** Share of the candidate's shingles found in the library paragraph. */
  containedInLibrary: number;
}

export interface DuplicateOptions {
  /** Shingle length in characters (default 2: bigrams suit short Chinese paragraphs). */
  n?: number;
  nearThreshold?: number;
  containmentThreshold?: number;
  /** Ignore texts shorter than this after normalisation (too little to compare). Default 8. */
  minLength?: number;
}

export const DEFAULT_NEAR_THRESHOLD = 0.8;
export const DEFAULT_CONTAINMENT_THRESHOLD = 0.85;

const QUOTES = /[“”„‟«»「」『』‘’‚‛"'`´]/g;

/**
 * Text for comparison: NFKC (full-width letters/digits → ASCII), lower case,
 * no whitespace, no punctuation or symbols (quotes, dashes, brackets, ·).
 * Letters and digits stay, so "49 个" = "49个" but "—" ≠ "一" (U+4E00).
 */
export function normalizeForCompare(s: string): string {
  return s
    .normalize("NFKC")
    .toLowerCase()
    .replace(QUOTES, "")
    .replace(/[\s\p{P}\p{S}]/gu, "");
}

/** The set of character n-grams of an already normalised string (the string itself when shorter than n). */
export function shingles(normalized: string, n = 2): Set<string> {
  const chars = Array.from(normalized);
  const out = new Set<string>();
  if (chars.length === 0) return out;
  if (chars.length < n) {
    out.add(chars.join(""));
    return out;
  }
  for (let i = 0; i + n <= chars.length; i++) out.add(chars.slice(i, i + n).join(""));
  return out;
}

function intersectionSize(a: Set<string>, b: Set<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let k = 0;
  for (const x of small) if (large.has(x)) k++;
  return k;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const k = intersectionSize(a, b);
  return k / (a.size + b.size - k);
}

/** Share of `part`'s shingles that occur in `whole`: 1 when whole contains part. */
export function containment(whole: Set<string>, part: Set<string>): number {
  if (part.size === 0) return 0;
  return intersectionSize(whole, part) / part.size;
}

/** Jaccard similarity of two raw texts. */
export function textSimilarity(a: string, b: string, n = 2): number {
  return jaccard(shingles(normalizeForCompare(a), n), shingles(normalizeForCompare(b), n));
}

/** How much of `part` is found in `whole` (raw texts). */
export function textContainment(whole: string, part: string, n = 2): number {
  return containment(shingles(normalizeForCompare(whole), n), shingles(normalizeForCompare(part), n));
}

interface IndexedText {
  id: string;
  normalized: string;
  set: Set<string>;
}

/** A library prepared once for many look-ups (shingles computed up front). */
export interface SimilarityIndex {
  n: number;
  entries: IndexedText[];
}

export function buildSimilarityIndex(library: readonly LibraryText[], n = 2): SimilarityIndex {
  return {
    n,
    entries: library.map((e) => {
      const normalized = normalizeForCompare(e.text);
      return { id: e.id, normalized, set: shingles(normalized, n) };
    }),
  };
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Library paragraphs that duplicate, nearly duplicate, contain or are
 * contained in the candidate text, best first. Exact beats near beats
 * containment for the same entry; each entry appears at most once.
 */
export function findDuplicates(candidate: string | { text: string }, library: readonly LibraryText[] | SimilarityIndex, options: DuplicateOptions = {}): DuplicateMatch[] {
  const index = Array.isArray(library) ? buildSimilarityIndex(library as readonly LibraryText[], options.n ?? 2) : (library as SimilarityIndex);
  const nearThreshold = options.nearThreshold ?? DEFAULT_NEAR_THRESHOLD;
  const containmentThreshold = options.containmentThreshold ?? DEFAULT_CONTAINMENT_THRESHOLD;
  const minLength = options.minLength ?? 8;
  const normalized = normalizeForCompare(typeof candidate === "string" ? candidate : candidate.text);
  if (Array.from(normalized).length < minLength) return [];
  const set = shingles(normalized, index.n);

  const out: DuplicateMatch[] = [];
  for (const e of index.entries) {
    if (Array.from(e.normalized).length < minLength) continue;
    const k = intersectionSize(set, e.set);
    if (k === 0) continue;
    const j = k / (set.size + e.set.size - k);
    const containsLibrary = k / e.set.size;
    const containedInLibrary = k / set.size;
    const base = { id: e.id, jaccard: round(j), containsLibrary: round(containsLibrary), containedInLibrary: round(containedInLibrary) };
    if (e.normalized === normalized) out.push({ ...base, kind: "exact", score: 1 });
    else if (j >= nearThreshold) out.push({ ...base, kind: "near", score: round(j) });
    // "contains" only when the library text is clearly shorter: otherwise it is a near match or nothing.
    else if (containsLibrary >= containmentThreshold && e.normalized.length < normalized.length) out.push({ ...base, kind: "contains", score: round(containsLibrary) });
    else if (containedInLibrary >= containmentThreshold && normalized.length < e.normalized.length) out.push({ ...base, kind: "contained", score: round(containedInLibrary) });
  }
  const rank: Record<DuplicateKind, number> = { exact: 0, near: 1, contains: 2, contained: 2 };
  return out.sort((a, b) => rank[a.kind] - rank[b.kind] || b.score - a.score || a.id.localeCompare(b.id));
}

/**
 * Figures in `candidate` that `library` does not have (digits, full-width ones folded): a paragraph
 * that matches a library one but says 250 家 where it says 103 家 carries new data, which linking
 * to the library paragraph would lose.
 */
export function newFigures(candidate: string, library: string): string[] {
  const figures = (s: string) => s.normalize("NFKC").match(/\d+(?:\.\d+)?/g) ?? [];
  const known = new Set(figures(library));
  return [...new Set(figures(candidate).filter((f) => !known.has(f)))];
}
