/** /public/:id.pdf — the public version of a published reply as PDF (LibreOffice); no sign-in. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { renderLetterDocx } from "~/letters/docx.server";
import { downloadHeaders, letterFileName } from "~/letters/files";
import { docxToPdf, pdfAvailable } from "~/letters/pdf.server";
import { publishedReplyForRequest } from "~/models/public-reply.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const reply = await publishedReplyForRequest(await getDb(), request, params.id);
  if (!pdfAvailable()) throw new Response("本服务器未安装 LibreOffice，暂不提供 PDF 版本；请下载 Word 文件。", { status: 503 });
  const pdf = await docxToPdf(await renderLetterDocx(reply.letter));
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
