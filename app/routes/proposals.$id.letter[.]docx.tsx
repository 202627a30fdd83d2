/**
 * /proposals/:id/letter.docx — the letter of a proposal as a Word file, for anyone who may see
 * the proposal: the frozen letter once signed, else the current draft with a 草稿 watermark.
 */
import { audit } from "~/models/audit.server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { refuseAsNotFound, requireUser } from "~/auth/session.server";
import { renderLetterDocx } from "~/letters/docx.server";
import { letterForDownload, LetterUnavailableError } from "~/letters/download.server";
import { DOCX_TYPE, downloadHeaders } from "~/letters/files";
import { visibilityFor } from "~/models/access.server";
import { getProposal } from "~/models/proposal.server";

const idSchema = z.coerce.number().int().positive().max(2_147_483_647);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idSchema.safeParse(params.id);
  if (!id.success) throw new Response("提案不存在。", { status: 404 });
  const db = await getDb();
  const proposal = await getProposal(db, id.data);
  // Not visible and not existing look the same: a 404 tells nothing about other people's proposals.
  if (!proposal) throw new Response("提案不存在。", { status: 404 });
  if (!(await visibilityFor(db, user)).canSee(proposal)) await refuseAsNotFound(request, user, "提案不存在。");
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
