/**
 * /proposals/:id/letter.docx — the letter of a proposal as a Word file, for anyone who may see
 * the proposal: the frozen letter once signed, else the current draft with a 草稿 watermark.
 */
import { audit } from "~/models/audit.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { sharedRenderPool } from "~/letters/render-pool.server";
import { letterForRequest } from "~/letters/download.server";
import { DOCX_TYPE, downloadHeaders } from "~/letters/files";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // Not visible and not existing look the same: a 404 tells nothing about other people's proposals.
  const { user, proposal, ...found } = await letterForRequest(request, params.id);
  // on a render worker: a letter's tables can take seconds and much memory to lay out
  const docx = await sharedRenderPool().render(found.letter);
  await audit(request, {
    actor: user,
    action: "letter_downloaded",
    target: found.signed ? (found.letter.documentNumber ?? `第${proposal.number}号提案`) : `第${proposal.number}号提案（草稿）`,
    detail: found.fileName,
  });
  return new Response(new Uint8Array(docx), {
    headers: downloadHeaders(found.fileName, DOCX_TYPE, docx.length, { fallback: `${found.signed ? "letter" : "draft"}-${proposal.id}.docx` }),
  });
}
