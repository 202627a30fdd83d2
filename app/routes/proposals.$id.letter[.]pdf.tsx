/**
 * /proposals/:id/letter.pdf — the letter as it prints (LibreOffice), for anyone who may see
 * the proposal: the signed letter, or the current draft with its 草稿 watermark. 503 with the
 * reason where LibreOffice is not installed.
 */
import fs from "node:fs";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { downloadHeaders } from "~/letters/files";
import { PrintBusyError, PrintUnavailableError, printAvailable, printLetter } from "~/letters/print.server";
import { letterForRequest } from "~/letters/download.server";
import { audit } from "~/models/audit.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, proposal, letter, fileName, signed } = await letterForRequest(request, params.id);
  if (!printAvailable()) throw new Response(new PrintUnavailableError().message, { status: 503 });
  // LibreOffice failing or timing out is a 503 saying so, as the print preview does
  const printed = await printLetter(letter, { signal: request.signal }).catch((e: unknown) => {
    if (e instanceof PrintBusyError) throw new Response(e.message, { status: 503, headers: { "Retry-After": "30" } });
    throw new Response(e instanceof PrintUnavailableError ? e.message : "打印版暂时无法生成，请稍后再试。", { status: 503 });
  });
  const pdf = fs.readFileSync(printed.pdf);
  const pdfName = fileName.replace(/\.docx$/, ".pdf");
  // a download as the DOCX route records it: who took which letter out of the system
  await audit(request, {
    actor: user,
    action: "letter_downloaded",
    target: signed ? (letter.documentNumber ?? `第${proposal.number}号提案`) : `第${proposal.number}号提案（草稿）`,
    detail: pdfName,
  });
  return new Response(new Uint8Array(pdf), {
    headers: downloadHeaders(pdfName, "application/pdf", pdf.length, { fallback: `${signed ? "letter" : "draft"}-${proposal.id}.pdf` }),
  });
}
