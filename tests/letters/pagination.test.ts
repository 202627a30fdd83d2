/**
 * Pagination of the printed letter, through the app's print pipeline (app/letters/print.server.ts:
 * DOCX → LibreOffice → PDF, with its check-and-carry pass): a sweep over body lengths from
 * half a page to five pages, and letters 108 and 109.
 *
 * Without soffice/poppler the suite is skipped with a warning — except under CI, where it fails.
 */
import fs from "node:fs";
import { describe, it, expect, beforeAll } from "vitest";
import type { Letter } from "~/domain/letter";
import { printAvailable, printLetters, type PrintedLetter } from "~/letters/print.server";
import { seedLetter } from "./helpers";
import { paginationProblems, printedLines, sweepLetters } from "./pagination";

const skip = !printAvailable() && !process.env.CI;
if (skip) console.warn("[letters/pagination] skipped: soffice, pdftotext or pdftoppm is not installed");

/** The letter with part of each paragraph marked 〖…〗 for the public version, and a zero-width space: the official print drops both. */
function marked(l: Letter): Letter {
  return { ...l, sections: l.sections.map((b) => (b.type === "paragraph" ? { ...b, text: b.text.replace(/^(.{4})(.{6})/u, "$1〖$2〗\u200b") } : b)) };
}

/** Letter 109's first two blocks and a table of n rows under a repeated header row, ending the body. */
function endingWithTable(n: number): Letter {
  const base = seedLetter("109");
  const rows = [["序号", "项目", "数量"], ...Array.from({ length: n }, (_, i) => [String(i + 1), `项目名称${i + 1}`, String((i + 1) * 3)])];
  return { ...base, sections: [...base.sections.slice(0, 2), { type: "table", caption: "表1 重点项目", headerRows: 1, rows }] };
}
/** Row counts around the page ends (14, 36 and 38 left the closing block alone before the table carry). */
const TABLE_ROWS = [14, 20, 30, 32, 36, 38];

/** Letters the print review found unmended (2026-12-03): a table inside the body, a heading above a short last paragraph. */
const reviewed = (name: string): Letter => JSON.parse(fs.readFileSync(`tests/letters/reference/${name}.json`, "utf8"));
const REVIEWED = ["table-inside-body", "heading-before-short-end"];

/** A draft as the leader reviews it (no 文号, no date yet) and the same letter signed. */
const unsigned = (l: Letter): Letter => ({ ...l, documentNumber: null, date: null, draft: true, signature: { ...l.signature, leaderName: null } });
const signed = (l: Letter): Letter => ({ ...l, documentNumber: "东工信函〔2026〕6号", date: "2026-12-03", draft: false, signature: { ...l.signature, leaderName: "詹志斌" } });
/** The review found this one on one page as a draft and on two once signed (the date's line pushed the closing block over). */
const DATE_AT_PAGE_END = reviewed("date-line-at-page-end");

const SWEEP = sweepLetters(48); // 280 to 2,490 characters of body text: about half a page to five pages

(skip ? describe.skip : describe)("the printed letter's pages", () => {
  const printed = new Map<string, { letter: Letter; result: PrintedLetter }>();
  /** The sweep's letters whose last lines were carried over, printed again with 〖〗 marks in every paragraph. */
  const markedCarried: { letter: Letter; result: PrintedLetter; plain: PrintedLetter }[] = [];

  beforeAll(async () => {
    const items: [string, Letter][] = [
      ["108", seedLetter("108")],
      ["109", seedLetter("109")],
      ["109 marked", marked(seedLetter("109"))],
      ["109 to five bodies", { ...seedLetter("109"), addressee: "民革市委会、民盟市委会、民建市委会、民进市委会、农工党市委会：" }],
      ...SWEEP.map((s): [string, Letter] => [`${s.chars} characters`, s.letter]),
      ...TABLE_ROWS.map((n): [string, Letter] => [`table of ${n} rows`, endingWithTable(n)]),
      ...REVIEWED.map((n): [string, Letter] => [n, reviewed(n)]),
      ["date at page end, draft", unsigned(DATE_AT_PAGE_END)],
      ["date at page end, signed", signed(DATE_AT_PAGE_END)],
      ...SWEEP.filter((_, i) => i % 4 === 0).map((s): [string, Letter] => [`${s.chars} characters, draft`, unsigned(s.letter)]),
    ];
    const results = await printLetters(items.map(([, l]) => l));
    items.forEach(([name, letter], i) => printed.set(name, { letter, result: results[i] }));
    const carried = SWEEP.map((s) => printed.get(`${s.chars} characters`)!.result).flatMap((r, i) => (r.carried ? [{ letter: marked(SWEEP[i]!.letter), plain: r }] : []));
    const again = await printLetters(carried.map((c) => c.letter));
    carried.forEach((c, i) => markedCarried.push({ ...c, result: again[i]! }));
  }, 600_000);

  it("checks and mends a letter with 〖〗 redaction marks and invisible characters as it prints (the marks are not printed)", () => {
    const plain = printed.get("109")!.result;
    const { letter, result } = printed.get("109 marked")!;
    expect(result.unchecked).toBeNull();
    expect(result.pages).toBe(plain.pages);
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
    // where the last lines go over, the cut falls at the same printed character with the marks in the text
    expect(markedCarried.length).toBeGreaterThan(0);
    for (const c of markedCarried) {
      expect(c.result.unchecked).toBeNull();
      expect(c.result.carried).toBe(true);
      expect(c.result.pages).toBe(c.plain.pages);
      expect(paginationProblems(printedLines(c.letter, c.result.pdf))).toEqual([]);
    }
  });

  it("checks a body ending with a table whose header row is printed again on each page, and never leaves the closing block alone: its last rows go over", () => {
    // (the repeated header did not match the letter's text: 未能自动检查分页, and the seal stood alone on its page)
    for (const n of TABLE_ROWS) {
      const { letter, result } = printed.get(`table of ${n} rows`)!;
      expect(result.unchecked, `${n} rows`).toBeNull();
      expect(paginationProblems(printedLines(letter, result.pdf)), `${n} rows`).toEqual([]);
    }
    expect(TABLE_ROWS.filter((n) => printed.get(`table of ${n} rows`)!.result.carried)).toEqual([14, 36, 38]);
  });

  it("checks and mends a letter with a table inside the body (pdftotext reads a page's piece of it column by column): the closing block is not left alone", () => {
    const { letter, result } = printed.get("table-inside-body")!;
    expect(result.unchecked).toBeNull();
    expect(result.linesPerPage !== 22 || result.carried).toBe(true); // mended: it was three pages, the last holding only the closing block
    expect(result.pages).toBe(2);
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("a heading above a short last paragraph goes over with it when that paragraph is carried (it stayed alone at the foot of the page)", () => {
    const { letter, result } = printed.get("heading-before-short-end")!;
    expect(result.carried).toBe(true);
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("checks a letter whose 主送 wraps onto a second line (a joint proposal of several bodies)", () => {
    const { letter, result } = printed.get("109 to five bodies")!;
    expect(result.unchecked).toBeNull();
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("sweeps at least 40 body lengths from half a page to five pages", () => {
    expect(SWEEP.length).toBeGreaterThanOrEqual(40);
    const pages = SWEEP.map((s) => printed.get(`${s.chars} characters`)!.result.pages);
    expect(Math.min(...pages)).toBe(2); // half a page of body text and the closing block
    expect(Math.max(...pages)).toBe(5);
  });

  it.each(SWEEP.map((s) => `${s.chars} characters`))("%s: seal with body text, nothing stranded", (name) => {
    const { letter, result } = printed.get(name)!;
    expect(result.unchecked).toBeNull();
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("mends the layout only where the closing block went to a page of its own", () => {
    const results = SWEEP.map((s) => printed.get(`${s.chars} characters`)!.result);
    const carried = results.filter((r) => r.carried).length;
    const tightened = results.filter((r) => r.linesPerPage > 22);
    // in this sweep some letters need each remedy; none would be a sign the check never runs
    expect(carried).toBeGreaterThan(0);
    expect(tightened.length).toBeGreaterThan(0);
    expect(carried + tightened.length).toBeLessThan(SWEEP.length / 2);
    for (const r of tightened) expect(r.carried).toBe(false);
  });

  it("a draft breaks its pages where the signed letter will (the leader reviews the layout that is issued)", () => {
    const layout = (r: PrintedLetter) => ({ pages: r.pages, linesPerPage: r.linesPerPage, carried: r.carried });
    expect(layout(printed.get("date at page end, draft")!.result)).toEqual(layout(printed.get("date at page end, signed")!.result));
    for (const s of SWEEP.filter((_, i) => i % 4 === 0))
      expect(layout(printed.get(`${s.chars} characters, draft`)!.result), `${s.chars} characters`).toEqual(layout(printed.get(`${s.chars} characters`)!.result));
  });

  it("prints letter 109 on 4 pages, as the original, at the standard 22 lines", () => {
    const { letter, result } = printed.get("109")!;
    expect(result.pages).toBe(4);
    expect(result.linesPerPage).toBe(22);
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("prints letter 108 on 5 pages, as the original, with the standard's tighter line spacing", () => {
    const { letter, result } = printed.get("108")!;
    // at 22 lines a page the closing block and two body lines would make a 6th page
    expect(result.pages).toBe(5);
    expect(result.linesPerPage).toBe(25);
    expect(paginationProblems(printedLines(letter, result.pdf))).toEqual([]);
  });

  it("draws the 、 and ， that end a line in 108 and 109", () => {
    // printedLines throws when any character of the letter is missing from the print
    const ends = (name: string) => printedLines(printed.get(name)!.letter, printed.get(name)!.result.pdf).map((l) => l.text);
    expect(ends("108").some((t) => t.endsWith("引进规模大、"))).toBe(true);
    expect(ends("109").some((t) => t.endsWith("依托散裂中子源，"))).toBe(true);
  });
});
