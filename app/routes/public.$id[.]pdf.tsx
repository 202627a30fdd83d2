/** /public/:id.pdf — the public version of a published reply as PDF (LibreOffice); no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import fs from "node:fs";
import { downloadHeaders, letterFileName } from "~/letters/files";
import { PrintBusyError, PrintUnavailableError, printAvailable, printLetter } from "~/letters/print.server";
import { publishedReplyForRequest } from "~/models/public-reply.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await publishedReplyForRequest(await getDb(), request, params.id);
  if (!printAvailable()) throw new Response(new PrintUnavailableError().message, { status: 503 });
  // LibreOffice failing or timing out is a 503 saying so, as on the internal letter.pdf
  const printed = await printLetter(reply.letter, { lane: "public", signal: request.signal }).catch((e: unknown) => {
    if (e instanceof PrintBusyError) throw new Response(e.message, { status: 503, headers: { "Retry-After": "30" } });
    throw new Response(e instanceof PrintUnavailableError ? e.message : "PDF 暂时无法生成，请稍后再试，或下载 Word 版本。", { status: 503 });
  });
  const pdf = fs.readFileSync(printed.pdf);
  const fileName = letterFileName({
    documentNumber: reply.proposal.documentNumber,
    proposalNumber: reply.proposal.number,
    kind: reply.letter.kind,
    draft: false,
    public: true,
  }).replace(/\.docx$/, ".pdf");
  return new Response(new Uint8Array(pdf), {
    headers: downloadHeaders(fileName, "application/pdf", pdf.length, { fallback: `reply-${reply.proposal.id}.pdf`, cache: "no-cache" }),
  });
}
