/**
 * Remembers a pure function's results for recent inputs, up to a total input length (least
 * recently used first out). Used where the same texts come back on every page view: the frozen
 * text of signed letters compared with each proposal opened (normalising and counting them was
 * ≈ 2/3 of the proposal page's CPU at 1,000 letters), and library paragraphs proofread for the
 * library list's badges (≈ 20 % of a library search page). Callers must not modify what they
 * get back. Browser-safe.
 */
export function memo<T>(fn: (s: string) => T, maxChars = 2_000_000): (s: string) => T {
  const cache = new Map<string, T>();
  let chars = 0;
  return (s) => {
    const hit = cache.get(s);
    if (hit !== undefined) {
      cache.delete(s);
      cache.set(s, hit); // most recently used last
      return hit;
    }
    const value = fn(s);
    cache.set(s, value);
    chars += s.length;
    while (chars > maxChars && cache.size > 1) {
      const oldest = cache.keys().next().value as string;
      cache.delete(oldest);
      chars -= oldest.length;
    }
    return value;
  };
}
