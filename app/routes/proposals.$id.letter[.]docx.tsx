/**
 * /proposals/:id/letter.docx — the letter of a proposal as a Word file, for anyone who may see
 * the proposal: the frozen letter once signed, else the current draft with a 草稿 watermark.
 */
import { audit } from "~/models/audit.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/auth/session.server";
import { renderLetterDocx } from "~/letters/docx.server";
import { letterForDownload, LetterUnavailableError } from "~/letters/download.server";
import { DOCX_TYPE, downloadHeaders } from "~/letters/files";
import { getVisibleProposal } from "~/models/visible-proposal.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Not visible and not existing look the same: a 404 tells nothing about other people's proposals.
  const { db, proposal } = await getVisibleProposal(request, { id: params.id, user });
  let found: Awaited<ReturnType<typeof letterForDownload>>;
  try {
    found = await letterForDownload(db, proposal);
  } catch (e) {
    if (e instanceof LetterUnavailableError) throw new Response(e.message, { status: e.status });
    throw e;
  }
  const docx = await renderLetterDocx(found.letter);
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
