/**
 * Conditional requests for the public site: a weak ETag from what is published (publicStamp) and
 * the request's own query, so unchanged pages answer 304 and a withdrawal is seen at the next
 * request (no-cache: caches must revalidate every time, never serve a withdrawn reply unasked).
 */
import { createHash } from "node:crypto";
import { config } from "~/config.server";
import { getDb } from "#db/client.server";
import { publicStamp } from "~/models/public-reply.server";

export async function publicCacheHeaders(request: Request): Promise<Headers> {
  const stamp = await publicStamp(await getDb());
  const url = new URL(request.url);
  // The origin is part of the validator and Vary says so: feeds carry absolute links built from it
  // (without PUBLIC_URL), so a copy made for one Host must never be confirmed for another.
  const etag = `W/"${createHash("sha256")
    .update(`${stamp}|${publicOrigin(request)}|${url.pathname}${url.search}`)
    .digest("base64url")
    .slice(0, 27)}"`;
  const headers = new Headers({ ETag: etag, "Cache-Control": "public, no-cache" });
  if (!config().PUBLIC_URL) headers.set("Vary", "Host, X-Forwarded-Host, X-Forwarded-Proto");
  const asked = request.headers.get("If-None-Match");
  if (asked?.split(",").some((t) => t.trim() === etag)) throw new Response(null, { status: 304, headers });
  return headers;
}

/** Absolute links for feeds: PUBLIC_URL when set (behind a proxy), else this request's origin. */
export function publicOrigin(request: Request): string {
  return (config().PUBLIC_URL ?? new URL(request.url).origin).replace(/\/$/, "");
}
