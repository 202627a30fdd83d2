/** /public/:id.docx — the public version of a published reply as a Word file; no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { renderLetterDocx } from "~/letters/docx.server";
import { DOCX_TYPE, downloadHeaders, letterFileName } from "~/letters/files";
import { getPublishedReply } from "~/models/public-reply.server";

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);
const roundSchema = z.coerce.number().int().min(1).max(99).optional().catch(undefined);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw new Response("答复不存在或尚未公开。", { status: 404 });
  const round = roundSchema.parse(new URL(request.url).searchParams.get("round") ?? undefined);
  const reply = await getPublishedReply(await getDb(), id.data, round);
  if (!reply) throw new Response("答复不存在或尚未公开。", { status: 404 });
  const docx = await renderLetterDocx(reply.letter);
  const fileName = letterFileName({ documentNumber: reply.proposal.documentNumber, proposalNumber: reply.proposal.number, kind: reply.letter.kind, draft: false, public: true });
  // no-cache: a reply that is no longer public must not be served from a cache
  return new Response(new Uint8Array(docx), {
    headers: downloadHeaders(fileName, DOCX_TYPE, docx.length, { fallback: `reply-${reply.proposal.id}.docx`, cache: "no-cache" }),
  });
}
