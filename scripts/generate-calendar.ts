/**
 * Writes seeds/calendar/cn-official.json from the `chinese-days` package
 * (State Council holiday and make-up-workday arrangements).
 *
 *   npx tsx scripts/generate-calendar.ts
 *
 * Output is deterministic (no timestamp) so regenerating after a package
 * update gives a reviewable diff. Every date of every covered year is
 * cross-checked against the package's own isWorkday().
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import chineseDays from "chinese-days";
import { addDays, formatIsoDate, workCalendarSchema, workingDayStatus, type CalendarDayOverride, type WorkCalendar } from "../app/domain/calendar.js";

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outFile = path.join(root, "seeds/calendar/cn-official.json");

const pkgJsonPath = require.resolve("chinese-days/package.json");
const pkg = JSON.parse(readFileSync(pkgJsonPath, "utf8")) as { version: string; repository?: { url?: string } };
const data = JSON.parse(readFileSync(path.join(path.dirname(pkgJsonPath), "dist/chinese-days.json"), "utf8")) as {
  holidays: Record<string, string>;
  workdays: Record<string, string>;
};

// Values look like "Spring Festival,春节,3": English name, Chinese name, internal id.
function zhName(value: string): string {
  const parts = value.split(",");
  return (parts[1] ?? parts[0] ?? "").trim();
}

// A year counts as covered only when its arrangement was announced; every
// announcement contains the Spring Festival, so a year whose only entries are
// spill-overs of a neighbouring year's arrangement is not taken as covered.
const years = [
  ...new Set(
    Object.entries(data.holidays)
      .filter(([, v]) => zhName(v) === "春节")
      .map(([d]) => Number(d.slice(0, 4))),
  ),
].sort((a, b) => a - b);
const covered = new Set(years);

const days: Record<string, CalendarDayOverride> = {};
for (const [date, value] of Object.entries(data.holidays)) {
  if (covered.has(Number(date.slice(0, 4)))) days[date] = { kind: "holiday", name: zhName(value) };
}
for (const [date, value] of Object.entries(data.workdays)) {
  if (!covered.has(Number(date.slice(0, 4)))) continue;
  if (days[date]) throw new Error(`${date} is both a holiday and a workday in chinese-days`);
  days[date] = { kind: "workday", name: `${zhName(value)}调休上班` };
}
const sortedDates = Object.keys(days).sort();

const calendar: WorkCalendar = workCalendarSchema.parse({ years, days });

// Cross-check every day of every covered year against the package itself.
let checked = 0;
for (const year of years) {
  for (let d = formatIsoDate(year, 1, 1); d.startsWith(`${year}-`); d = addDays(d, 1)) {
    const ours = workingDayStatus(calendar, d) === "working";
    const theirs = chineseDays.isWorkday(d);
    if (ours !== theirs) throw new Error(`mismatch on ${d}: ours=${ours} chinese-days=${theirs}`);
    checked++;
  }
}

const lines: string[] = [];
lines.push("{");
lines.push(`  "source": "chinese-days",`);
lines.push(`  "sourceVersion": ${JSON.stringify(pkg.version)},`);
lines.push(`  "sourceUrl": "https://github.com/vsme/chinese-days",`);
lines.push(
  `  "note": ${JSON.stringify(
    "国务院办公厅节假日安排（放假与调休上班）。未列入 years 的年度视为未知，不按“无节假日”处理。由 scripts/generate-calendar.ts 生成，可在系统中编辑。",
  )},`,
);
lines.push(`  "years": [${years.join(", ")}],`);
lines.push(`  "days": {`);
sortedDates.forEach((date, i) => {
  const comma = i < sortedDates.length - 1 ? "," : "";
  lines.push(`    ${JSON.stringify(date)}: ${JSON.stringify(days[date])}${comma}`);
});
lines.push("  }");
lines.push("}");

mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, lines.join("\n") + "\n", "utf8");

const holidays = sortedDates.filter((d) => days[d]!.kind === "holiday").length;
console.log(
  `wrote ${path.relative(root, outFile)}: chinese-days ${pkg.version}, years ${years[0]}–${years.at(-1)} ` +
    `(${years.length}), ${holidays} holidays, ${sortedDates.length - holidays} make-up workdays; ${checked} days cross-checked`,
);
