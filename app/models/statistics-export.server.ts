/** 办理情况统计 as an XLSX workbook (exceljs) for the annual 提案办理工作总结: the same figures as the page and the CLI. */

import { OUTCOME_LABELS } from "~/domain/draft";
import { BUREAU_ROLE_LABELS, BUREAU_ROLES } from "~/domain/proposal";
import { percent, STATISTICS_NOTES } from "~/domain/statistics";
import { FEEDBACK_LABELS, FEEDBACK_RESULTS, PROPOSAL_STATES, STATE_LABELS } from "~/domain/workflow";
import type { StatisticsResult } from "./statistics.server";

/** exceljs costs ~27 MB of memory: loaded when a spreadsheet is read or written, not at start. */
const loadExcel = async () => (await import("exceljs")).default;

export function statisticsTables(s: StatisticsResult) {
  const states = PROPOSAL_STATES.filter((st) => BUREAU_ROLES.some((r) => s.byRoleState[r][st]));
  return {
    办理方式与状态: [
      ["办理方式", ...states.map((st) => STATE_LABELS[st]), "合计"],
      ...BUREAU_ROLES.map((r) => [BUREAU_ROLE_LABELS[r], ...states.map((st) => s.byRoleState[r][st] ?? 0), s.byRoleState[r].total]),
      ["合计", ...states.map((st) => BUREAU_ROLES.reduce((n, r) => n + (s.byRoleState[r][st] ?? 0), 0)), s.total],
    ],
    按时答复: [
      // Days are working days, unless the calendar lacks a year: then some were counted as calendar days.
      [
        "已答复",
        "按时",
        "超期",
        "按时率",
        ...(s.timeliness.lateDays.approximate ? ["超期合计（天，部分按自然日）", "最长超期（天，部分按自然日）"] : ["超期合计（工作日）", "最长超期（工作日）"]),
        "未答复且已超期",
      ],
      [
        s.timeliness.replied,
        s.timeliness.onTime,
        s.timeliness.late,
        percent(s.timeliness.replied ? s.timeliness.onTime / s.timeliness.replied : null),
        s.timeliness.lateDays.total,
        s.timeliness.lateDays.max,
        s.timeliness.openOverdue,
      ],
    ],
    // 按时答复 is about the first reply; a 再办理's new reply has its own deadline.
    再办理: [
      ["再办理（次）", "已再次答复", "按时", "超期", "未答复且已超期"],
      [s.rehandling.total, s.rehandling.replied, s.rehandling.onTime, s.rehandling.late, s.rehandling.openOverdue],
    ],
    办理结果: [["办理结果", "件数"], ...(["A", "B", "C"] as const).map((o) => [OUTCOME_LABELS[o], s.outcomes[o]]), ["未分类", s.outcomes.none]],
    满意度: [["提案者意见", "件数"], ...FEEDBACK_RESULTS.map((f) => [FEEDBACK_LABELS[f], s.satisfaction[f]]), ["满意及基本满意率", percent(s.satisfaction.satisfiedRate)]],
    承办人: [
      ["承办人", "承办", "已答复", "按时", "超期", "未答复且已超期", "再办理已答复"],
      ...s.byHandler.map((h) => [h.name, h.assigned, h.replied, h.onTime, h.late, h.openOverdue, h.rehandled]),
    ],
    常用段落: [["段落", "用于提案（件）", "使用次数"], ...s.topParagraphs.map((p) => [p.title, p.proposals, p.uses])],
  } as Record<string, (string | number)[][]>;
}

const PERCENT = /^\d+(?:\.\d+)?%$/;

export async function statisticsToXlsx(s: StatisticsResult, scope: string): Promise<Buffer> {
  const wb = new (await loadExcel()).Workbook();
  for (const [name, rows] of Object.entries(statisticsTables(s))) {
    const ws = wb.addWorksheet(name);
    ws.addRow([`办理情况统计 · ${scope}`]).font = { bold: true };
    ws.addRow([]);
    rows.forEach((r, i) => {
      // a rate is a number formatted as a percentage, so the summary can compute with it ("90.9%" was text)
      const row = ws.addRow(r.map((v) => (typeof v === "string" && PERCENT.test(v) ? Number(v.slice(0, -1)) / 100 : v)));
      r.forEach((v, c) => {
        if (typeof v === "string" && PERCENT.test(v)) row.getCell(c + 1).numFmt = "0.0%";
      });
      if (i === 0) row.font = { bold: true };
    });
    // what the table counts, as the page says it under the table
    const note = STATISTICS_NOTES[name as keyof typeof STATISTICS_NOTES];
    if (note) {
      ws.addRow([]);
      ws.addRow([`说明：${note}`]).font = { italic: true, color: { argb: "FF475569" } };
    }
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 30 : 14));
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
