/** /public/:id.docx — the public version of a published reply as a Word file; no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { sharedRenderPool } from "~/letters/render-pool.server";
import { DOCX_TYPE, downloadHeaders, letterFileName } from "~/letters/files";
import { publishedReplyForRequest } from "~/models/public-reply.server";

/**
 * Word files the public site has being made at once, per process. They share the render workers
 * with the bureau's own downloads, prints and exports: past this, an anonymous burst is told to
 * come back rather than queue ahead of them (as the public site's prints are).
 */
const MAX_PUBLIC_RENDERS = 4;
let publicRenders = 0;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await publishedReplyForRequest(await getDb(), request, params.id);
  if (publicRenders >= MAX_PUBLIC_RENDERS) throw new Response("下载人数较多，请稍后再试。", { status: 503, headers: { "Retry-After": "10" } });
  publicRenders++;
  const docx = await sharedRenderPool()
    .render(reply.letter)
    .finally(() => publicRenders--);
  const fileName = letterFileName({ documentNumber: reply.proposal.documentNumber, proposalNumber: reply.proposal.number, kind: reply.letter.kind, draft: false, public: true });
  // no-cache: a reply that is no longer public must not be served from a cache
  return new Response(new Uint8Array(docx), {
    headers: downloadHeaders(fileName, DOCX_TYPE, docx.length, { fallback: `reply-${reply.proposal.id}.docx`, cache: "no-cache" }),
  });
}
