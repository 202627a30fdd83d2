import { describeDeadlineStatus } from "~/domain/deadlines";
/** Days left / overdue, colour-coded, wherever a proposal appears. */
export type DeadlineView = {
  due: string;
  daysLeft: number;
  level: "ok" | "soon" | "overdue" | "done";
  onTime?: boolean;
  daysLate?: number;
  /** The calendar does not cover a year this date depends on (calendarDoubts). */
  doubts?: string[];
} | null;

/** One wording of days left everywhere (pages, notices, exports): app/domain/deadlines.ts. */
export function deadlineText(d: NonNullable<DeadlineView>): string {
  return describeDeadlineStatus({ ...d, daysLate: d.daysLate ?? (d.level === "overdue" ? -d.daysLeft : undefined) });
}

const TONES = {
  ok: "bg-slate-50 text-slate-700 border-slate-300",
  soon: "bg-amber-50 text-amber-900 border-amber-300",
  overdue: "bg-red-50 text-red-800 border-red-300",
  done: "bg-green-50 text-green-800 border-green-300",
};

export function DeadlineBadge({ d, showDate = true }: { d: DeadlineView; showDate?: boolean }) {
  if (!d) return <span className="text-slate-500">—</span>;
  const late = d.level === "done" && d.onTime === false;
  return (
    <span className="inline-flex flex-col">
      <span className={`inline-block whitespace-nowrap rounded border px-1.5 py-0.5 text-xs ${late ? TONES.overdue : TONES[d.level]}`} data-deadline-level={d.level}>
        {deadlineText(d)}
      </span>
      {showDate ? <span className="mt-0.5 text-xs text-slate-500">期限 {d.due}</span> : null}
      {d.doubts?.length ? (
        <span className="mt-0.5 whitespace-nowrap text-xs text-amber-800" title={d.doubts.join("\n")} data-calendar-doubt>
          ⚠ 日历未覆盖，请核对
        </span>
      ) : null}
    </span>
  );
}
