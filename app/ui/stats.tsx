/** Tables and small server-drawn bar charts for 办理情况统计: plain SVG with the figures as text, no client script. */
import { ScrollArea } from "./scroll-area";
const TONES = { green: "#15803d", red: "#b91c1c", amber: "#b45309", blue: "#1e40af" } as const;

export function BarChart({ label, bars }: { label: string; bars: { label: string; value: number; tone: keyof typeof TONES }[] }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rowH = 26;
  // the label column as wide as the longest label (up to 16 characters: B 正在解决或列入计划解决 whole)
  const MAX_LABEL = 16;
  const labelW = Math.max(10, Math.min(MAX_LABEL, ...bars.map((b) => b.label.length))) * 12 + 10;
  return (
    <svg
      viewBox={`0 0 ${labelW + 230} ${bars.length * rowH + 4}`}
      className="mb-2 w-full"
      role="img"
      aria-label={`${label}：${bars.map((b) => `${b.label} ${b.value} 件`).join("，")}`}
    >
      {bars.map((b, i) => (
        <g key={b.label} transform={`translate(0 ${i * rowH + 2})`}>
          {/* a shortened label reads in full on hover */}
          <title>{`${b.label}：${b.value} 件`}</title>
          <text x="0" y="16" fontSize="12" fill="#334155">
            {b.label.length > MAX_LABEL ? `${b.label.slice(0, MAX_LABEL - 1)}…` : b.label}
          </text>
          <rect x={labelW} y="4" width={Math.max(1, (b.value / max) * 190)} height="16" rx="2" fill={TONES[b.tone]} />
          <text x={labelW + 6 + (b.value / max) * 190} y="16" fontSize="12" fill="#0f172a">
            {b.value}
          </text>
        </g>
      ))}
    </svg>
  );
}

export function StatTable({ title, rows, wide, empty, note }: { title?: string; rows: (string | number)[][]; wide?: boolean; empty?: string; note?: string }) {
  const [head, ...body] = rows;
  const table = (
    <ScrollArea label={`${title ?? String(head![0])}（表格）`}>
      <table className="table-base text-sm">
        <thead>
          <tr>
            {head!.map((h) => (
              // short headings (已答复, 按时) never break into one character a line; long ones may wrap
              <th key={String(h)} scope="col" className={String(h).length <= 5 ? "whitespace-nowrap" : ""}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.length === 0 ? (
            <tr>
              <td colSpan={head!.length} className="text-slate-500">
                {empty ?? "无数据。"}
              </td>
            </tr>
          ) : (
            body.map((r, i) => (
              <tr key={i}>
                {r.map((c, j) =>
                  j === 0 ? (
                    <th key={j} scope="row" className="text-left font-normal">
                      {c}
                    </th>
                  ) : (
                    <td key={j}>{c}</td>
                  ),
                )}
              </tr>
            ))
          )}
        </tbody>
      </table>
    </ScrollArea>
  );
  if (!title) return table;
  return (
    <section className={`card ${wide ? "lg:col-span-2" : ""}`} aria-label={title}>
      <h2 className="mb-2 font-semibold">{title}</h2>
      {table}
      {note ? <p className="mt-1 text-xs text-slate-500">{note}</p> : null}
    </section>
  );
}
