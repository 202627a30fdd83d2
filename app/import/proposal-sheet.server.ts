/**
 * Reads the spreadsheet the government office sends with each batch (CSV or XLSX) into
 * validated proposal rows. Header row: 会议, 提案号, 案由, 提案者, 办理方式, 交办日期.
 */
import Papa from "papaparse";
import { readUntrusted, UnreadableFileError } from "~/untrusted/untrusted-files.server";
import {
  bureauRoleFromLabel,
  cleanText,
  FIELD_LABELS,
  fieldErrors,
  parseProposers,
  parseProposerTotal,
  leadUnitProblem,
  proposerTotalProblem,
  proposalInputSchema,
  OPTIONAL_SHEET_COLUMNS,
  SHEET_COLUMNS,
  type ProposalInput,
} from "~/domain/proposal";

/** exceljs costs ~27 MB of memory: loaded when a spreadsheet is read or written, not at start. */
const loadExcel = async () => (await import("exceljs")).default;

const HEADER_ALIASES: Record<string, string> = { 届次: "会议", "届次/会议": "会议", 提案标题: "案由", 提案人: "提案者", 交办时间: "交办日期" };
export const MAX_SHEET_BYTES = 5 * 1024 * 1024;
export const MAX_SHEET_ROWS = 5000;

export class SheetError extends Error {}

export type SheetRow = { row: number; input: ProposalInput } | { row: number; errors: string[]; raw: Record<string, string> };

function decodeCsv(bytes: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: new TextDecoder("utf-8", { fatal: true }).decode(bytes), utf8: true };
  } catch {
    // Excel on a Chinese Windows saves CSV as GBK.
    return { text: new TextDecoder("gb18030").decode(bytes), utf8: false };
  }
}

const headerOf = (cells: string[]) =>
  cells.map((c) => {
    const h = cleanText(c ?? "").replace(/\s+/g, "");
    // (own keys only: a header cell "constructor" is a column name, not Object's)
    return Object.hasOwn(HEADER_ALIASES, h) ? HEADER_ALIASES[h]! : h;
  });

const firstFilledRow = (grid: string[][]) => grid.findIndex((r) => r.some((c) => cleanText(c ?? "")));

/**
 * The header may sit under a title row (十三届六次会议提案交办清单, merged across the columns):
 * the first of the first ten filled rows that has every column; -1 if none has.
 */
function headerRowIndex(grid: string[][]): number {
  const first = firstFilledRow(grid);
  if (first < 0) return -1;
  const found = grid.slice(first, first + 10).findIndex((r) => SHEET_COLUMNS.every((c) => headerOf(r).includes(c)));
  return found < 0 ? -1 : first + found;
}

/**
 * A date column's cell holding a day's serial number: a date shown in one of Excel's built-in
 * Chinese formats (2026年3月20日: numFmtId 27–36, 50–58) is not written into the workbook's format
 * list, so the reader cannot tell it from a number (exceljs issue #2893). Serials of 2000–2100 only.
 */
export function excelSerialDate(text: string, date1904: boolean): string | null {
  if (!/^\d{5}(\.\d+)?$/.test(text)) return null;
  const days = Math.floor(Number(text)) + (date1904 ? 1462 : 0);
  if (days < 36526 || days > 73415) return null;
  return new Date(Date.UTC(1899, 11, 30) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The first worksheet as cell texts, read in the untrusted-file worker (a crafted workbook cannot take the server down). */
async function readXlsx(bytes: Buffer): Promise<{ grid: string[][]; date1904: boolean; dateCells: Set<string> }> {
  try {
    const r = await readUntrusted({ kind: "xlsx-grid", bytes: new Uint8Array(bytes) });
    if ("unreadable" in r) throw new SheetError(r.unreadable);
    if (!("grid" in r)) throw new SheetError("无法读取该 XLSX 文件。");
    return { grid: r.grid, date1904: r.date1904, dateCells: new Set(r.dateCells.map(([row, col]) => `${row}:${col}`)) };
  } catch (e) {
    if (e instanceof UnreadableFileError) throw new SheetError(e.tooCostly ? `无法读取该 XLSX 文件：${e.message}` : "无法读取该 XLSX 文件：文件已损坏或不是 Excel 工作簿。");
    throw e;
  }
}

/** More lines or cells than any sheet of MAX_SHEET_ROWS proposals has (blank lines, line breaks in 备注 and spare columns allowed for). */
const MAX_CSV_LINES = MAX_SHEET_ROWS * 10;
const MAX_CSV_CELLS = MAX_SHEET_ROWS * 100;

/**
 * Counted before parsing: 5 MB of line breaks became five million rows in the parser and ran the
 * server out of memory (a fuzz run, 2026-12-01); a header of five million commas blocked it for 5 s.
 * A lone CR ends a line too (old Mac files; the parser takes it as the line break).
 */
function csvShapeProblem(text: string): string | null {
  let lines = 1;
  let cells = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lines++;
    else if (c === 44) cells++;
  }
  if (lines > MAX_CSV_LINES) return `文件有 ${lines} 行，一次最多导入 ${MAX_SHEET_ROWS} 行提案。`;
  if (cells > MAX_CSV_CELLS) return `文件的单元格过多（${cells} 个），不像提案清单。请检查文件后重试。`;
  return null;
}

function parseCsv(text: string): string[][] {
  const shape = csvShapeProblem(text);
  if (shape) throw new SheetError(shape);
  // empty lines kept: a row number is the one the clerk sees in the spreadsheet (the reader drops empty rows itself)
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ""));
  // A cell opening with " reads to the next " however far: one stray quote ("重点"督办) would take
  // every later row into that cell, and those proposals would be missing without a word. (A stray
  // quote Papa recovers from within the row, "关于"A"的建议", is only text.)
  const quotes = parsed.errors.find((e) => e.type === "Quotes" && (e.code === "MissingQuotes" || (parsed.data[e.row ?? -1] ?? []).some((cell) => /[\r\n]/.test(cell ?? ""))));
  if (quotes)
    throw new SheetError(
      `CSV 第 ${(quotes.row ?? 0) + 1} 行附近的引号不成对（以 " 开头的单元格必须以 " 结尾，单元格中的 " 要写成 ""）。请在 Excel 中打开该文件，另存为 CSV 或 XLSX 后重试。`,
    );
  if (parsed.errors.length && !parsed.data.length) throw new SheetError(`CSV 格式错误：${parsed.errors[0].message}`);
  return parsed.data;
}

function readCsv(bytes: Buffer): string[][] {
  const { text, utf8 } = decodeCsv(bytes);
  const grid = parseCsv(text);
  if (!utf8 && headerRowIndex(grid) < 0) {
    // UTF-8 but for a stray byte (a character pasted from another program): read as GBK every
    // Chinese character is garbled, the header too — say which line, not that columns are missing.
    const lossy = new TextDecoder("utf-8").decode(bytes);
    if (headerRowIndex(parseCsv(lossy)) >= 0) {
      const line = lossy.split(/\r\n|\r|\n/).findIndex((l) => l.includes("\uFFFD")) + 1;
      throw new SheetError(`文件第 ${line} 行有无法识别的字符（文件其余部分是 UTF-8 编码，这一行不是）。请改正该行，或在 Excel 中另存为“CSV UTF-8”后重试。`);
    }
  }
  return grid;
}

export function sheetKind(fileName: string, bytes: Buffer): "xlsx" | "csv" {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return "xlsx";
  if (/\.xlsx$/i.test(fileName)) throw new SheetError("文件扩展名为 .xlsx，但内容不是 Excel 工作簿。");
  if (/\.xls$/i.test(fileName)) throw new SheetError("不支持旧版 .xls 格式，请在 Excel 中另存为 .xlsx 或 CSV。");
  if (bytes.includes(0)) throw new SheetError("文件不是文本 CSV，也不是 XLSX。");
  return "csv";
}

/** Parse and validate a sheet. Structural problems throw SheetError; row problems come back per row. */
export async function readProposalSheet(fileName: string, bytes: Buffer): Promise<SheetRow[]> {
  return (await readProposalSheetFile(fileName, bytes)).rows;
}

/**
 * The sheet's rows, and the columns whose content is not imported (序号, 联系电话, a second 备注, a
 * filled column without a header): the preview names them, so nothing the clerk typed is dropped
 * without a word.
 */
export type SheetReading = {
  rows: SheetRow[];
  ignoredColumns: string[];
  /** rows of the template's example, left out */
  exampleRows: number[];
};

export async function readProposalSheetFile(fileName: string, bytes: Buffer): Promise<SheetReading> {
  if (bytes.length === 0) throw new SheetError("文件是空的。");
  if (bytes.length > MAX_SHEET_BYTES) throw new SheetError(`文件过大（上限 ${MAX_SHEET_BYTES / 1024 / 1024} MB）。`);
  const xlsx = sheetKind(fileName, bytes) === "xlsx" ? await readXlsx(bytes) : null;
  const grid = xlsx ? xlsx.grid : readCsv(bytes);
  const dateText = (text: string) => (xlsx ? (excelSerialDate(text, xlsx.date1904) ?? text) : text);
  const firstFilled = firstFilledRow(grid);
  if (firstFilled < 0) throw new SheetError("文件中没有数据。");
  // without a full header, the first filled row is the one named in the refusal
  const found = headerRowIndex(grid);
  const headerIndex = found >= 0 ? found : firstFilled;
  const header = headerOf(grid[headerIndex]);
  const missing = SHEET_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length) throw new SheetError(`表头缺少列：${missing.join("、")}。表头应为：${SHEET_COLUMNS.join("，")}。`);
  // each column's place looked up once, not per row and field (a header of 100,000 cells, 5,000 rows)
  const firstIndex = new Map<string, number>();
  header.forEach((h, i) => (firstIndex.has(h) ? undefined : firstIndex.set(h, i)));
  const col = (name: string) => firstIndex.get(name) ?? -1;
  const body = grid.slice(headerIndex + 1).map((cells, i) => ({ cells, index: headerIndex + 1 + i, row: headerIndex + i + 2 }));
  const filledRows = body.filter((r) => r.cells.some((c) => cleanText(c ?? "")));
  // the template's example row, left in by a clerk filling the rows below it: it is no proposal
  // (it was registered as 第20260001号 with the rest)
  const isExample = (cells: string[]) => (["会议", "提案号", "案由", "提案者"] as const).every((c, k) => col(c) >= 0 && cleanText(cells[col(c)] ?? "") === EXAMPLE_ROW[k]);
  const dataRows = filledRows.filter((r) => !isExample(r.cells));
  const exampleRows = filledRows.filter((r) => isExample(r.cells)).map((r) => r.row);
  if (dataRows.length === 0) throw new SheetError(exampleRows.length ? "文件中只有模板的示例行：请删除示例行，填写要导入的提案后再上传。" : "表头下没有提案行。");
  if (dataRows.length > MAX_SHEET_ROWS) throw new SheetError(`一次最多导入 ${MAX_SHEET_ROWS} 行。`);
  const read: readonly string[] = [...SHEET_COLUMNS, ...OPTIONAL_SHEET_COLUMNS];
  // the filled columns, in one pass over the cells (a row of 100,000 commas times 4,000 rows,
  // scanned column by column, held the server for 44 s)
  const filled = new Set<number>();
  for (const r of dataRows) r.cells.forEach((c, i) => (c && !filled.has(i) && cleanText(c) ? filled.add(i) : undefined));
  const ignoredColumns: string[] = [];
  for (const i of [...filled].sort((a, b) => a - b)) {
    if (i < header.length && read.includes(header[i]!) && firstIndex.get(header[i]!) === i) continue;
    const name = cleanText(grid[headerIndex]![i] ?? "");
    ignoredColumns.push(name ? (read.includes(header[i]!) ? `${name}（第 ${i + 1} 列，与前面的列重名）` : name) : `第 ${i + 1} 列（无表头）`);
  }

  const rows = dataRows.map(({ cells, index, row }): SheetRow => {
    const get = (name: string) => (col(name) >= 0 ? cleanText(cells[col(name)] ?? "") : "");
    const raw: Record<string, string> = {};
    for (const c of [...SHEET_COLUMNS, ...OPTIONAL_SHEET_COLUMNS]) if (col(c) >= 0) raw[c] = get(c);
    // Excel turns a 提案号 typed 3-12 into a date: its text would be another number (2026-03-12)
    if (xlsx?.dateCells.has(`${index}:${col("提案号")}`))
      return { row, raw, errors: [`提案号：该单元格被 Excel 识别为日期（${get("提案号")}），不是所填的提案号。请把提案号列设为“文本”格式，重新输入后再导入。`] };
    const roleText = get("办理方式");
    const parsed = proposalInputSchema.safeParse({
      meeting: get("会议"),
      number: get("提案号"),
      title: get("案由").replace(/^《(.*)》$/, "$1"),
      proposers: parseProposers(get("提案者")),
      proposerTotal: parseProposerTotal(get("提案者")),
      bureauRole: bureauRoleFromLabel(roleText) ?? roleText,
      assignedOn: dateText(get("交办日期")),
      receivedOn: dateText(get("收到日期")) || undefined,
      notes: get("备注"),
      leadUnit: get("主办单位") || undefined,
    });
    const totalProblem = parsed.success ? proposerTotalProblem(parsed.data) : null;
    const leadProblem = parsed.success ? leadUnitProblem(parsed.data) : null;
    if (parsed.success && !totalProblem && !leadProblem) return { row, input: parsed.data };
    if (totalProblem) return { row, raw, errors: [`提案者：${totalProblem}`] };
    // 协办 is read as 会办: say so, or the clerk sees a 主办单位 error about a row they marked 协办
    if (leadProblem) return { row, raw, errors: [`主办单位：${roleText === "协办" ? "办理方式“协办”按会办处理，" : ""}${leadProblem}`] };
    const errs = fieldErrors(parsed.error!);
    // The sheet's column is “会议”, the form's field is “届次/会议”: name the column the clerk sees.
    const labels: Record<string, string> = { ...FIELD_LABELS, meeting: "会议", proposerTotal: "提案者" };
    return { row, raw, errors: Object.entries(errs).map(([k, m]) => `${labels[k] ?? k}：${m}`) };
  });
  return { rows, ignoredColumns, exampleRows };
}

/** The note on a sheet's columns not imported, or null. */
export function ignoredColumnsNote(ignored: readonly string[]): string | null {
  if (!ignored.length) return null;
  const named = ignored.length > 10 ? `${ignored.slice(0, 10).join("、")} 等 ${ignored.length} 列` : ignored.join("、");
  return `以下列不在导入范围内，其内容不会导入：${named}。需要保留的内容请写入“备注”列。`;
}

/** The template's example row (会议, 提案号, 案由, 提案者): the importer leaves it out. */
const EXAMPLE_ROW = ["东莞市政协第十四届五次会议", "20260001", "关于加快培育专精特新中小企业的建议", "张三、李四"] as const;

/** The spreadsheet a clerk fills in for 批量导入: the columns the importer reads, with one example row. */
export async function proposalSheetTemplate(): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet("交办清单");
  const columns = [...SHEET_COLUMNS, ...OPTIONAL_SHEET_COLUMNS];
  ws.addRow(columns);
  ws.addRow([...EXAMPLE_ROW, "主办", "2026-03-20", "2026-03-21", "", ""]);
  ws.getRow(1).font = { bold: true };
  ws.columns.forEach((c, i) => (c.width = [28, 12, 40, 20, 10, 12, 12, 20, 20][i] ?? 14));
  // Text columns: numbers such as 提案号 must not lose leading zeros or turn into dates.
  for (let i = 1; i <= columns.length; i++) ws.getColumn(i).numFmt = "@";
  const help = wb.addWorksheet("填写说明");
  for (const line of [
    "只读取第一张工作表“交办清单”；第一行是表头，不要改动。",
    "必填：会议、提案号、案由、提案者、办理方式、交办日期；可选：收到日期、备注、主办单位。",
    "提案者多位时用顿号“、”分隔；联名提案写全部提案者，如“张三、李四等3位委员”也可。",
    "办理方式填 主办、会办 或 分办；本局为会办单位时，在“主办单位”填主办单位名称。",
    "日期写成 2026-03-20（也可 2026/3/20 或 2026年3月20日）。",
    "第二行是示例（导入时跳过，也可删除）。整份文件要么全部导入，要么一行也不导入；已登记的相同提案自动跳过。",
  ])
    help.addRow([line]);
  help.getColumn(1).width = 100;
  return Buffer.from(await wb.xlsx.writeBuffer());
}
