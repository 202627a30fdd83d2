/** /public/feed.atom — the published replies as an Atom feed (RFC 4287), newest first, filtered like the list; no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { publicFiltersSchema } from "~/domain/public-filters";
import { publicCacheHeaders, publicOrigin } from "~/http/public-cache.server";
import { publishedRepliesWithText, withRegisteredMeeting } from "~/models/public-reply.server";
import { publicReplyPath } from "~/domain/public-filters";

const xml = (s: string) => s.replace(/[<>&'"]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", "'": "&apos;", '"': "&quot;" })[c]!);

export async function loader({ request }: LoaderFunctionArgs) {
  const headers = await publicCacheHeaders(request);
  const origin = publicOrigin(request);
  // filtered like the list (?q=, ?year=, ?meeting=, ?topic=): a feed of one 会议 or one topic to subscribe to
  const db = await getDb();
  const f = await withRegisteredMeeting(db, publicFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams)));
  const { items } = await publishedRepliesWithText(db, { q: f.q, year: f.year, meeting: f.meeting, topic: f.topic, limit: 50 });
  const updated = items.reduce((max, i) => (i.publishedAt && i.publishedAt.toISOString() > max ? i.publishedAt.toISOString() : max), "2000-01-01T00:00:00Z");
  const entries = items.map((i) => {
    const url = `${origin}${publicReplyPath(i)}`;
    // one entry per reply, named by its round: it stays the same entry when a later reply is published
    return `  <entry>
    <id>${xml(`${origin}/public/${i.id}?round=${i.round}`)}</id>
    <title>${xml(`${i.documentNumber ?? ""} 关于${i.meeting}第${i.number}号提案的答复：${i.title}`)}</title>
    <updated>${(i.publishedAt ?? new Date(0)).toISOString()}</updated>
    <link rel="alternate" type="text/html" href="${xml(url)}"/>
    <link rel="enclosure" type="application/vnd.openxmlformats-officedocument.wordprocessingml.document" href="${xml(`${origin}${publicReplyPath(i, ".docx")}`)}"/>
    <content type="text">${xml(i.text)}</content>
  </entry>`;
  });
  const body = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">
  <id>${xml(`${origin}/public`)}</id>
  <title>东莞市工业和信息化局 · 政协提案答复公开</title>
  <updated>${updated}</updated>
  <author><name>东莞市工业和信息化局</name></author>
  <link rel="self" type="application/atom+xml" href="${xml(`${origin}${new URL(request.url).pathname}${new URL(request.url).search}`)}"/>
  <link rel="alternate" type="text/html" href="${xml(`${origin}/public`)}"/>
${entries.join("\n")}
</feed>
`;
  headers.set("Content-Type", "application/atom+xml; charset=utf-8");
  return new Response(body, { headers });
}
