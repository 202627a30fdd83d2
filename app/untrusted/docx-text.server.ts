/**
 * A Word file's text for the library import and for a proposal's original: mammoth's raw text, but a
 * table comes out as one line per row with its cells between tabs — the form the importer reads as
 * a table (as from a .txt source). mammoth's own extractRawText ran every cell into the next
 * ("指标2025年2028年产业规模（亿元）600 1000", imported as one paragraph). The document is taken from
 * mammoth's document transform (its tree of paragraphs, runs, tables), the HTML it also makes unused.
 */
type DocxElement = { type: string; value?: string; children?: DocxElement[] };

/**
 * The characters a text may still take. A 150 KB Word file holding one run of 150 million letters
 * was read whole and handed to the server as one string: copying it out of the worker ran past the
 * worker's memory in a way that ended the whole server (V8 flattens a joined string in one piece).
 * The text stops at the caller's limit instead, and says it was cut.
 */
class Budget {
  cut = false;
  constructor(private left: number) {}
  take(s: string): string {
    if (s.length <= this.left) {
      this.left -= s.length;
      return s;
    }
    this.cut = true;
    const part = s.slice(0, this.left);
    this.left = 0;
    return part;
  }
}

function cellText(cell: DocxElement, budget: Budget): string {
  // a cell's paragraphs on one line; a tab inside would start another cell
  return elementText(cell, budget)
    .replace(/\s*\n\s*/g, " ")
    .replace(/\t/g, " ")
    .trim();
}

function elementText(e: DocxElement, budget: Budget): string {
  if (budget.cut) return "";
  if (e.type === "text") return budget.take(e.value ?? "");
  if (e.type === "tab") return budget.take("\t");
  // Shift+Enter: a line of its own ("第一条…" ↵ "第二条…" ran together into one paragraph)
  if (e.type === "break") return budget.take("\n");
  if (e.type === "table") {
    const rows = (e.children ?? [])
      .filter((r) => r.type === "tableRow")
      .map((r) =>
        (r.children ?? [])
          .filter((c) => c.type === "tableCell")
          .map((c) => cellText(c, budget))
          .join(budget.take("\t")),
      );
    return `${rows.join(budget.take("\n"))}${budget.take("\n\n")}`;
  }
  return (e.children ?? []).map((c) => elementText(c, budget)).join("") + (e.type === "paragraph" ? budget.take("\n\n") : "");
}

/** The text, up to `maxChars` characters (`cut`: there was more). */
export async function docxText(buffer: Buffer, maxChars = Number.POSITIVE_INFINITY): Promise<{ text: string; cut: boolean }> {
  const mammoth = (await import("mammoth")).default;
  const budget = new Budget(maxChars);
  let text = "";
  await mammoth.convertToHtml(
    { buffer },
    {
      transformDocument: (document: DocxElement) => {
        text = elementText(document, budget);
        // the HTML is not used: not made of a text that may be huge
        return { ...document, children: [] };
      },
    },
  );
  return { text, cut: budget.cut };
}
