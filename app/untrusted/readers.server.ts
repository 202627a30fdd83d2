/**
 * The readers of files people upload, as they run inside the untrusted-file worker
 * (untrusted-files.server.ts): an XLSX sheet as a grid of cell texts, the text of a DOCX, the
 * text of a PDF's first pages; and the library import's checks and analysis of a large text.
 * Pure functions of their input; whatever they cost, they cost there.
 */
import { docxText } from "./docx-text.server";
import type ExcelJS from "exceljs";
import { analyseImportText, type ImportAnalysis } from "~/domain/import-analysis";
import type { DocumentKind } from "~/domain/library";
import { validateImportText } from "~/domain/paragraph-import";

export type ReadTask =
  | { kind: "xlsx-grid"; bytes: Uint8Array }
  | { kind: "docx-text"; bytes: Uint8Array; maxChars: number }
  | { kind: "pdf-text"; bytes: Uint8Array; maxPages: number; maxChars: number }
  | { kind: "import-check"; text: string }
  | { kind: "import-analysis"; text: string; documentKind: DocumentKind | "auto"; fileName: string; maxCandidates: number };
/**
 * date1904: the workbook counts its date serials from 1904 (old Mac Excel). dateCells: the grid's
 * cells Excel holds as dates, as [row, column] indexes (a 提案号 typed 3-12 becomes one).
 * `problems`: the import text's, none when it may be imported. `cut`: the text stopped at the task's
 * maxChars (there was more).
 */
export type ReadResult =
  | { grid: string[][]; date1904: boolean; dateCells: [number, number][] }
  | { text: string; cut: boolean }
  | { unreadable: string }
  | { problems: string[] }
  | { analysis: ImportAnalysis };

function cellText(v: ExcelJS.CellValue, numFmt?: string): string {
  if (v == null) return "";
  // A number shown zero-padded (format 0000: "0012" on screen, 12 stored) reads as shown — a 提案号
  // typed so is "0012", not another proposal's 12.
  if (typeof v === "number" && numFmt && /^0+$/.test(numFmt) && Number.isInteger(v) && v >= 0) return String(v).padStart(numFmt.length, "0");
  // A date-formatted cell holding a number no calendar reaches is an invalid Date: its text then
  // fails the field's own check with a message for that row (toISOString would throw: a 500).
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? "无效日期" : v.toISOString().slice(0, 10);
  if (typeof v === "object") {
    if ("richText" in v) return v.richText.map((t) => t.text).join("");
    // a hyperlink's text may itself be rich text or a date (String() made it "[object Object]")
    if ("text" in v) return cellText(v.text as ExcelJS.CellValue);
    if ("result" in v) return cellText(v.result as ExcelJS.CellValue);
    return "";
  }
  return String(v);
}

/** A value Excel holds as a date, directly or as a formula's or a hyperlink's result. */
function isDate(v: ExcelJS.CellValue): boolean {
  if (v instanceof Date) return true;
  if (v && typeof v === "object") {
    if ("result" in v) return isDate(v.result as ExcelJS.CellValue);
    if ("text" in v && !("richText" in v)) return isDate(v.text as ExcelJS.CellValue);
  }
  return false;
}

async function xlsxGrid(bytes: Uint8Array): Promise<ReadResult> {
  const wb = new (await import("exceljs")).default.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    return { unreadable: "无法读取该 XLSX 文件：文件已损坏或不是 Excel 工作簿。" };
  }
  const ws = wb.worksheets[0];
  if (!ws) return { unreadable: "工作簿中没有工作表。" };
  const grid: string[][] = [];
  const dateCells: [number, number][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cells[col - 1] = cellText(cell.value, cell.numFmt);
      if (isDate(cell.value)) dateCells.push([grid.length, col - 1]);
    });
    grid.push(Array.from(cells, (c) => c ?? ""));
  });
  return { grid, date1904: Boolean(wb.properties?.date1904), dateCells };
}

export async function read(task: ReadTask): Promise<ReadResult> {
  if (task.kind === "import-check") return { problems: validateImportText(task.text).errors.map((e) => e.message) };
  if (task.kind === "import-analysis")
    return { analysis: analyseImportText({ text: task.text, kind: task.documentKind, fileName: task.fileName, maxCandidates: task.maxCandidates }) };
  const buffer = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  if (task.kind === "xlsx-grid") return xlsxGrid(task.bytes);
  if (task.kind === "docx-text") return docxText(buffer, task.maxChars);
  const { getDocumentProxy } = await import("unpdf");
  const pdf = await getDocumentProxy(new Uint8Array(buffer));
  const pages: string[] = [];
  let length = 0;
  for (let i = 1; i <= Math.min(pdf.numPages, task.maxPages) && length <= task.maxChars; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    const page = content.items.map((it) => ("str" in it ? it.str : "")).join("");
    pages.push(page);
    length += page.length + 1;
  }
  await pdf.cleanup();
  const text = pages.join("\n");
  return { text: text.slice(0, task.maxChars), cut: text.length > task.maxChars };
}
