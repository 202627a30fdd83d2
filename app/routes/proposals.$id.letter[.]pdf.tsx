/**
 * /proposals/:id/letter.pdf — the letter as it prints (LibreOffice), for anyone who may see
 * the proposal: the signed letter, or the current draft with its 草稿 watermark. 503 with the
 * reason where LibreOffice is not installed.
 */
import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadHeaders } from "~/letters/files";
import { PrintUnavailableError, printAvailable, printLetter } from "~/letters/print.server";
import { letterForRequest } from "~/letters/download.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { proposal, letter, fileName, signed } = await letterForRequest(request, params.id);
  if (!printAvailable()) throw new Response(new PrintUnavailableError().message, { status: 503 });
  const pdf = fs.readFileSync((await printLetter(letter)).pdf);
  return new Response(new Uint8Array(pdf), {
    headers: downloadHeaders(fileName.replace(/\.docx$/, ".pdf"), "application/pdf", pdf.length, { fallback: `${signed ? "letter" : "draft"}-${proposal.id}.pdf` }),
  });
}
