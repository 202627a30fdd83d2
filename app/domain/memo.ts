/**
 * Remembers a pure function's results for recent inputs, up to a total input length (least
 * recently used first out; lru-cache). Used where the same texts come back on every page view:
 * the frozen text of signed letters compared with each proposal opened (normalising and
 * counting them was ≈ 2/3 of the proposal page's CPU at 1,000 letters), and library paragraphs
 * proofread for the library list's badges (≈ 20 % of a library search page). Callers must not
 * modify what they get back. Browser-safe.
 */
import { LRUCache } from "lru-cache";

export function memo<T>(fn: (s: string) => T, maxChars = 2_000_000): (s: string) => T {
  return memoBy((s: string) => s, fn, maxChars);
}

/** As `memo`, for a function of any argument: `key` gives the text it is remembered by, which must determine the result. */
export function memoBy<A, T>(key: (a: A) => string, fn: (a: A) => T, maxChars = 2_000_000): (a: A) => T {
  // values boxed: lru-cache stores no undefined or null
  const cache = new LRUCache<string, { value: T }>({ maxSize: maxChars, sizeCalculation: (_v, k) => Math.max(1, k.length) });
  return (a) => {
    const k = key(a);
    const hit = cache.get(k);
    if (hit) return hit.value;
    const value = fn(a);
    cache.set(k, { value });
    return value;
  };
}
