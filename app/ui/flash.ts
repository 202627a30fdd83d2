/**
 * Success notices carried in the address after a redirect (?assigned=3). Anyone can write such an
 * address, so a notice prints only what the parameter can truthfully hold — a count, or a name the
 * page itself knows — never the raw text ("已创建用户 …" with a sentence of someone's choosing).
 */
export function flashCount(params: URLSearchParams, name: string): number | null {
  const raw = params.get(name);
  return raw !== null && /^\d{1,6}$/.test(raw) ? Number(raw) : null;
}

/** The parameter's value only if it is one of `known` (e.g. the usernames listed on the page). */
export function flashKnown(params: URLSearchParams, name: string, known: readonly string[]): string | null {
  const raw = params.get(name);
  return raw !== null && known.includes(raw) ? raw : null;
}
