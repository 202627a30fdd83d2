/**
 * A Word file's text for the library import and for a proposal's original: mammoth's raw text, but a
 * table comes out as one line per row with its cells between tabs — the form the importer reads as
 * a table (as from a .txt source). mammoth's own extractRawText ran every cell into the next
 * ("指标2025年2028年产业规模（亿元）600 1000", imported as one paragraph). The document is taken from
 * mammoth's document transform (its tree of paragraphs, runs, tables), the HTML it also makes unused.
 */
type DocxElement = { type: string; value?: string; children?: DocxElement[] };

function cellText(cell: DocxElement): string {
  // a cell's paragraphs on one line; a tab inside would start another cell
  return elementText(cell)
    .replace(/\s*\n\s*/g, " ")
    .replace(/\t/g, " ")
    .trim();
}

function elementText(e: DocxElement): string {
  if (e.type === "text") return e.value ?? "";
  if (e.type === "tab") return "\t";
  // Shift+Enter: a line of its own ("第一条…" ↵ "第二条…" ran together into one paragraph)
  if (e.type === "break") return "\n";
  if (e.type === "table") {
    const rows = (e.children ?? [])
      .filter((r) => r.type === "tableRow")
      .map((r) =>
        (r.children ?? [])
          .filter((c) => c.type === "tableCell")
          .map(cellText)
          .join("\t"),
      );
    return `${rows.join("\n")}\n\n`;
  }
  return (e.children ?? []).map(elementText).join("") + (e.type === "paragraph" ? "\n\n" : "");
}

export async function docxText(buffer: Buffer): Promise<string> {
  const mammoth = (await import("mammoth")).default;
  let text = "";
  await mammoth.convertToHtml(
    { buffer },
    {
      transformDocument: (document: DocxElement) => {
        text = elementText(document);
        return document;
      },
    },
  );
  return text;
}
