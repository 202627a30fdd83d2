/** The deadline list as a calendar (.ics), CSV and XLSX: the same rows as the dashboard and the CLI. */

import { createEvents, type EventAttributes } from "ics";
import { csvText } from "~/domain/csv";
import { foldIcsLines } from "~/domain/ics";
import { BUREAU_ROLE_LABELS } from "~/domain/proposal";
import { STATE_LABELS, type ProposalState } from "~/domain/workflow";
import type { DeadlineRow } from "./deadline.server";

/** exceljs costs ~27 MB of memory: loaded when a spreadsheet is read or written, not at start. */
const loadExcel = async () => (await import("exceljs")).default;

const COLUMNS = ["会议", "提案号", "案由", "办理方式", "状态", "承办人", "期限", "剩余天数", "答复日期", "期限提示"] as const;

function cells(r: DeadlineRow) {
  return [
    r.meeting,
    r.number,
    r.title,
    BUREAU_ROLE_LABELS[r.bureauRole],
    STATE_LABELS[r.state as ProposalState] ?? r.state,
    r.handlerName ?? "未分派",
    r.due,
    // Days left mean nothing once the work is done.
    r.level === "done" ? "" : r.daysLeft,
    r.repliedOn ?? "",
    r.notes.join("；"),
  ];
}

/**
 * An empty calendar still has one component (RFC 5545 asks for one; strict clients refused the
 * file): the time zone the deadlines are in.
 */
const EMPTY_CALENDAR = [
  "BEGIN:VCALENDAR",
  "VERSION:2.0",
  "PRODID:-//proposal-reply-desk//CN",
  "BEGIN:VTIMEZONE",
  "TZID:Asia/Shanghai",
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "END:STANDARD",
  "END:VTIMEZONE",
  "END:VCALENDAR",
  "",
].join("\r\n");

/**
 * `domain` names this installation in every event's UID (PUBLIC_URL's host where set): the same
 * for every address the site is reached by, so importing the file again updates its events
 * instead of adding copies. One event per proposal (it has one deadline at a time): a corrected
 * 办理方式 renames the event rather than adding another.
 */
export function deadlinesToIcs(rows: DeadlineRow[], domain: string): string {
  const events: EventAttributes[] = rows.map((r) => {
    const [y, m, d] = r.due.split("-").map(Number);
    const next = new Date(Date.UTC(y, m - 1, d + 1));
    return {
      uid: `proposal-${r.id}@${domain}`,
      start: [y, m, d],
      end: [next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()],
      // as the page and the CSV name it: a 再办理's reply is not the first reply's deadline
      title: `第${r.number}号提案${r.kind === "co_handling" ? "会办意见" : r.rehandling ? "再办理答复" : "答复"}到期`,
      description: [`${r.meeting}`, `《${r.title}》`, `承办人：${r.handlerName ?? "未分派"}`, ...r.notes].join("\n"),
      categories: ["提案办理"],
    };
  });
  if (!events.length) return EMPTY_CALENDAR;
  const { error, value } = createEvents(events);
  if (error || !value) throw error ?? new Error("日历生成失败");
  return foldIcsLines(value);
}

export function deadlinesToCsv(rows: DeadlineRow[]): string {
  // The BOM makes Excel on Windows read the file as UTF-8.
  return csvText(COLUMNS, rows.map(cells));
}

export async function deadlinesToXlsx(rows: DeadlineRow[]): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  const ws = wb.addWorksheet("办理期限");
  ws.addRow([...COLUMNS]).font = { bold: true };
  const asDate = (iso: string) => {
    const [y, m, d] = iso.split("-").map(Number);
    return new Date(Date.UTC(y!, m! - 1, d!));
  };
  for (const r of rows) {
    const row = ws.addRow(cells(r));
    // 期限 and 答复日期 as dates (as text, Excel offered text filters and =G2-TODAY() gave #VALUE!)
    for (const [col, iso] of [
      [7, r.due],
      [9, r.repliedOn],
    ] as const) {
      if (!iso) continue;
      const cell = row.getCell(col);
      cell.value = asDate(iso);
      cell.numFmt = "yyyy-mm-dd";
    }
    if (r.level === "overdue") row.getCell(8).font = { color: { argb: "FFB91C1C" }, bold: true };
  }
  ws.columns.forEach((c, i) => (c.width = [28, 12, 50, 10, 10, 10, 12, 10, 12, 40][i]));
  ws.views = [{ state: "frozen", ySplit: 1 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}
