/**
 * The text of a proposal's uploaded original, for finding similar past replies: PDF through
 * pdf.js (unpdf), DOCX through mammoth. Images have no text here (no OCR). Never fails an
 * upload: an unreadable file simply has no text.
 */
import { sanitizeText } from "~/domain/letter";
import { readUntrusted } from "~/untrusted/untrusted-files.server";

/** Enough for relevance; a 200-page appendix adds nothing. */
const MAX_CHARS = 100_000;
const MAX_PDF_PAGES = 40;

export async function extractAttachmentText(file: { mediaType: string; content: Buffer }): Promise<string | null> {
  const kind =
    file.mediaType === "application/pdf"
      ? ("pdf-text" as const)
      : file.mediaType === "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        ? ("docx-text" as const)
        : null;
  if (!kind) return null;
  try {
    // In the untrusted-file worker: a crafted original cannot take the server down.
    const bytes = new Uint8Array(file.content);
    // the text stops at MAX_CHARS in the worker: a crafted file's 150 million letters never leave it
    const r = await readUntrusted(kind === "pdf-text" ? { kind, bytes, maxPages: MAX_PDF_PAGES, maxChars: MAX_CHARS } : { kind, bytes, maxChars: MAX_CHARS });
    const clean = "text" in r ? sanitizeText(r.text).trim().slice(0, MAX_CHARS) : "";
    return clean || null;
  } catch {
    return null;
  }
}
