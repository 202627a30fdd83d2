/**
 * Pagination checks of a rendered letter: the PDF's lines (pdftotext -bbox-layout) are
 * matched back to the letter's paragraphs, so that each printed line knows which
 * paragraph it belongs to and whether it is that paragraph's first or last line.
 */
import type { Letter, LetterBlock } from "~/domain/letter";
import { parseBboxLayout, printedLines as mapLines, type PrintedLine } from "~/letters/print-layout";
import { run, seedLetter } from "./helpers";

export type { PrintedLine };

/** The printed lines of a PDF matched to the letter (throws when a character is missing from the print). */
export function printedLines(letter: Letter, pdf: string): PrintedLine[] {
  return mapLines(letter, parseBboxLayout(run("pdftotext", ["-bbox-layout", pdf, "-"]).toString("utf8")));
}

/** What is wrong with the pagination of a printed letter; empty when nothing is. */
export function paginationProblems(lines: PrintedLine[]): string[] {
  const problems: string[] = [];
  const pages = [...new Set(lines.map((l) => l.page))];
  const on = (page: number) => lines.filter((l) => l.page === page);
  const seal = lines.find((l) => l.role === "seal");
  if (!seal) return ["no seal line"];
  const closing = lines.filter((l) => l.role !== "body");
  const closingPages = [...new Set(closing.map((l) => l.page))];
  if (closingPages.length > 1) problems.push(`the closing block is split over pages ${closingPages.join(", ")}`);
  if (!on(seal.page).some((l) => l.role === "body" && l.y < seal.y && l.paragraph > 0)) problems.push(`page ${seal.page} holds the seal line but no body text`);
  for (const page of pages) {
    const here = on(page);
    if (here.every((l) => l.role === "disclosure")) problems.push(`page ${page} holds only the 公开方式 line`);
    const top = here[0];
    if (page > pages[0] && top.role === "body" && top.last && !top.first) problems.push(`page ${page} starts with the last line of a paragraph (widow): «${top.text}»`);
    const bottom = here[here.length - 1];
    if (page < pages[pages.length - 1] && bottom.role === "body" && bottom.first && !bottom.last)
      problems.push(`page ${page} ends with the first line of a paragraph (orphan): «${bottom.text}»`);
    if (page < pages[pages.length - 1] && bottom.heading) problems.push(`page ${page} ends with a heading: «${bottom.text}»`);
  }
  return problems;
}

/**
 * Letters of growing body length, from about half a page to about five pages: the
 * paragraphs of letters 108 and 109 in turn, the last one cut at a sentence end.
 */
export function sweepLetters(count: number, fromChars = 280, step = 47): { chars: number; letter: Letter }[] {
  const base = seedLetter("109");
  const source = [...seedLetter("108").sections, ...base.sections].filter((b): b is Extract<LetterBlock, { type: "paragraph" }> => b.type === "paragraph" && !b.lead);
  const out: { chars: number; letter: Letter }[] = [];
  for (let i = 0; i < count; i++) {
    const target = fromChars + i * step;
    const sections: LetterBlock[] = [];
    let chars = 0;
    // each letter starts at another paragraph, so that paragraph ends fall at varied places
    for (let k = i; chars < target; k++) {
      const text = source[k % source.length].text;
      const take = Math.min(text.length, target - chars);
      let piece = text.slice(0, take);
      if (take < text.length) piece = `${piece.replace(/[，、；：。]$/, "")}。`;
      sections.push({ type: "paragraph", text: piece });
      chars += piece.length;
    }
    out.push({ chars, letter: { ...base, sections } });
  }
  return out;
}
