/**
 * The text of a proposal's uploaded original, for finding similar past replies: PDF through
 * pdf.js (unpdf), DOCX through mammoth. Images have no text here (no OCR). Never fails an
 * upload: an unreadable file simply has no text.
 */
import { sanitizeText } from "~/domain/letter";

/** Enough for relevance; a 200-page appendix adds nothing. */
const MAX_CHARS = 100_000;
const MAX_PDF_PAGES = 40;

export async function extractAttachmentText(file: { mediaType: string; content: Buffer }): Promise<string | null> {
  try {
    let text: string | null = null;
    if (file.mediaType === "application/pdf") {
      const { getDocumentProxy } = await import("unpdf");
      const pdf = await getDocumentProxy(new Uint8Array(file.content));
      const pages: string[] = [];
      for (let i = 1; i <= Math.min(pdf.numPages, MAX_PDF_PAGES); i++) {
        const page = await pdf.getPage(i);
        const content = await page.getTextContent();
        pages.push(content.items.map((it) => ("str" in it ? it.str : "")).join(""));
      }
      await pdf.cleanup();
      text = pages.join("\n");
    } else if (file.mediaType === "application/vnd.openxmlformats-officedocument.wordprocessingml.document") {
      const mammoth = (await import("mammoth")).default;
      text = (await mammoth.extractRawText({ buffer: file.content })).value;
    }
    const clean = text ? sanitizeText(text).trim().slice(0, MAX_CHARS) : "";
    return clean || null;
  } catch {
    return null;
  }
}
