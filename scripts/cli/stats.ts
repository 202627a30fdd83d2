/** CLI: 办理情况统计, the same figures as the 统计 page and its XLSX. */
import { parseArgs } from "node:util";
import { getDb } from "../../db/client.server";
import { scopeLabel, statisticsScopeSchema } from "../../app/domain/statistics-scope";
import { today } from "../../app/models/deadline.server";
import { statisticsTables } from "../../app/models/statistics-export.server";
import { statisticsFor, statisticsScope } from "../../app/models/statistics.server";
import { prepareDatabase } from "../../app/setup.server";
import { listMeetings } from "../../app/models/proposal.server";
import { UsageError, type Command } from "./command";

export const statsCommands: Record<string, Command> = {
  stats: {
    summary: "办理情况统计：按办理方式和状态、按时答复、办理结果、满意度、承办人、复用最多的段落",
    usage: "stats [--year YYYY|all] [--meeting 会议] [--json]",
    run: async (args) => {
      const { values } = parseArgs({ args, options: { year: { type: "string" }, meeting: { type: "string" }, json: { type: "boolean" } }, strict: true });
      if (values.year !== undefined && values.year !== "all" && !/^\d{4}$/.test(values.year)) throw new UsageError("--year 须为四位年份（如 2026）或 all（全部年度）");
      const asked = statisticsScopeSchema.parse({ year: values.year === "all" ? undefined : values.year, meeting: values.meeting });
      // The page drops a bad value and says so; a command refuses instead of printing another scope.
      if (values.year !== undefined && values.year !== "all" && asked.year === undefined) throw new UsageError("--year 须在 2000 到 2100 之间");
      if (values.meeting !== undefined && asked.meeting === undefined) throw new UsageError("--meeting 须为 1 到 100 个字的会议名称");
      await prepareDatabase();
      const db = await getDb();
      // the scope as the page and its XLSX read the same parameters: nothing chosen is the latest
      // year with proposals (this command printed all years where the page showed the latest)
      const params: Record<string, string> = {};
      if (values.year !== undefined) params.year = values.year;
      if (values.meeting !== undefined) params.meeting = values.meeting;
      const { scope, unknownMeeting } = await statisticsScope(db, params);
      if (unknownMeeting) throw new UsageError(`没有名为“${unknownMeeting}”的会议。已有的会议：${(await listMeetings(db)).join("、") || "（无）"}`);
      const stats = await statisticsFor(db, scope, today());
      if (values.json) {
        console.log(JSON.stringify({ scope: { ...scope, label: scopeLabel(scope) }, ...stats }, null, 2));
        return;
      }
      console.log(`办理情况统计 · ${scopeLabel(scope)} · 共 ${stats.total} 件`);
      for (const [name, rows] of Object.entries(statisticsTables(stats))) {
        console.log(`\n【${name}】`);
        for (const r of rows) console.log(r.join("\t"));
      }
    },
  },
};
