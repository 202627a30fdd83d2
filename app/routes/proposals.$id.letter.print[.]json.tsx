/**
 * /proposals/:id/letter/print.json — the print preview's facts: how many pages the letter
 * prints on (LibreOffice), whether body lines were carried to the closing block or the line spacing tightened, and where the
 * page pictures are. Converting takes a few seconds the first time; later calls hit the cache.
 */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { PrintBusyError, PrintUnavailableError, printAvailable, printLetter } from "~/letters/print.server";
import { letterForRequest } from "~/letters/download.server";

export type PrintPreviewData =
  | { ok: true; pages: number; carried: boolean; linesPerPage: number; unchecked: string | null; images: string[]; pdf: string }
  | { ok: false; message: string };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { proposal, letter, key } = await letterForRequest(request, params.id);
  const headers = { "Cache-Control": "private, no-store" };
  if (!printAvailable()) return Response.json({ ok: false, message: new PrintUnavailableError().message } satisfies PrintPreviewData, { headers });
  try {
    // (the page left before its turn in the line: the print is given up)
    const printed = await printLetter(letter, { signal: request.signal });
    const base = `/proposals/${proposal.id}/letter/print/${key}`;
    return Response.json(
      {
        ok: true,
        pages: printed.pages,
        carried: printed.carried,
        linesPerPage: printed.linesPerPage,
        unchecked: printed.unchecked,
        images: Array.from({ length: printed.pages }, (_, i) => `${base}/${i + 1}.png`),
        pdf: `/proposals/${proposal.id}/letter.pdf`,
      } satisfies PrintPreviewData,
      { headers },
    );
  } catch (e) {
    if (e instanceof PrintBusyError || request.signal.aborted)
      return Response.json({ ok: false, message: e instanceof Error ? e.message : "已取消" } satisfies PrintPreviewData, { headers });
    console.error("print preview failed", e);
    return Response.json({ ok: false, message: "生成打印预览失败，请稍后再试；仍可下载 Word 文件。" } satisfies PrintPreviewData, { headers });
  }
}
