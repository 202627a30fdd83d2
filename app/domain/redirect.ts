/**
 * Where to go after signing in: only a path on this site. Parsed with the URL API, as the
 * browser will: "/\t/evil.example/" (a tab a browser strips) or "/\\evil.example" resolve to
 * another origin and are refused. Browser-safe.
 */
const BASE = "http://this-app.invalid";

export function safeRedirectTarget(to: string | null | undefined, fallback = "/"): string {
  if (!to?.startsWith("/") || to.length > 2000) return fallback;
  // Control characters and backslashes are dropped or rewritten by browsers before they resolve a URL.
  if (/[\u0000-\u001F\u007F\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  return path.startsWith("//") ? fallback : path;
}
