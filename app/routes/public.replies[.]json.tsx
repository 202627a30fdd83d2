/**
 * /public/replies.json — open data: every published reply, after 再办理 each of a proposal's (文号, 会议, 提案号, 案由, dates, the public
 * text, links), filtered like the list (?q=, ?year=, ?meeting=), 100 per page (?page=). No sign-in.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { publicFiltersSchema } from "~/domain/public-filters";
import { publicCacheHeaders, publicOrigin } from "~/http/public-cache.server";
import { publishedRepliesWithText, withRegisteredMeeting } from "~/models/public-reply.server";
import { publicReplyPath } from "~/domain/public-filters";

const PAGE_SIZE = 100;

export async function loader({ request }: LoaderFunctionArgs) {
  const headers = await publicCacheHeaders(request);
  const db = await getDb();
  const f = await withRegisteredMeeting(db, publicFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams)));
  const origin = publicOrigin(request);
  const { items, total } = await publishedRepliesWithText(db, {
    q: f.q,
    year: f.year,
    meeting: f.meeting,
    topic: f.topic,
    limit: PAGE_SIZE,
    offset: (f.page - 1) * PAGE_SIZE,
  });
  const body = {
    source: "东莞市工业和信息化局 · 政协提案答复公开",
    total,
    page: f.page,
    pageSize: PAGE_SIZE,
    replies: items.map((i) => ({
      documentNumber: i.documentNumber,
      meeting: i.meeting,
      proposalNumber: i.number,
      title: i.title,
      date: i.date,
      // false: answered again after 再办理 (the later reply is listed too)
      latest: i.latest,
      publishedAt: i.publishedAt?.toISOString() ?? null,
      text: i.text,
      url: `${origin}${publicReplyPath(i)}`,
      docx: `${origin}${publicReplyPath(i, ".docx")}`,
    })),
  };
  headers.set("Content-Type", "application/json; charset=utf-8");
  return new Response(JSON.stringify(body, null, 1), { headers });
}
