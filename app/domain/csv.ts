/**
 * Every CSV the app writes: UTF-8 with a BOM (Excel on Chinese Windows reads it right), and
 * cells that a spreadsheet would run as a formula neutralised (OWASP "CSV injection": a cell
 * starting with = + - @ tab or CR gets a leading '). Numbers stay numbers. Browser-safe.
 */
import Papa from "papaparse";

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralizeCell(v: unknown): unknown {
  return typeof v === "string" && FORMULA_START.test(v) ? `'${v}` : v;
}

export function csvText(fields: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return "\uFEFF" + Papa.unparse({ fields: fields.map((f) => String(neutralizeCell(f))), data: rows.map((r) => r.map(neutralizeCell)) });
}
