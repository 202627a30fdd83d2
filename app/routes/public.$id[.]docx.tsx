/** /public/:id.docx — the public version of a published reply as a Word file; no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { sharedRenderPool } from "~/letters/render-pool.server";
import { DOCX_TYPE, downloadHeaders, letterFileName } from "~/letters/files";
import { publishedReplyForRequest } from "~/models/public-reply.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await publishedReplyForRequest(await getDb(), request, params.id);
  const docx = await sharedRenderPool().render(reply.letter);
  const fileName = letterFileName({ documentNumber: reply.proposal.documentNumber, proposalNumber: reply.proposal.number, kind: reply.letter.kind, draft: false, public: true });
  // no-cache: a reply that is no longer public must not be served from a cache
  return new Response(new Uint8Array(docx), {
    headers: downloadHeaders(fileName, DOCX_TYPE, docx.length, { fallback: `reply-${reply.proposal.id}.docx`, cache: "no-cache" }),
  });
}
