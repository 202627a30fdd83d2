/** CLI: 办理情况统计, the same figures as the 统计 page and its XLSX. */
import { parseArgs } from "node:util";
import { getDb } from "../../db/client.server";
import { scopeLabel, statisticsScopeSchema } from "../../app/domain/statistics-scope";
import { today } from "../../app/models/deadline.server";
import { statisticsTables } from "../../app/models/statistics-export.server";
import { statisticsFor } from "../../app/models/statistics.server";
import { prepareDatabase } from "../../app/setup.server";
import { listMeetings } from "../../app/models/proposal.server";
import { canonicalMeeting } from "../../app/models/meeting.server";
import { meetingKey } from "../../app/domain/proposal";
import { UsageError, type Command } from "./command";

export const statsCommands: Record<string, Command> = {
  stats: {
    summary: "办理情况统计：按办理方式和状态、按时答复、办理结果、满意度、承办人、复用最多的段落",
    usage: "stats [--year YYYY] [--meeting 会议] [--json]",
    run: async (args) => {
      const { values } = parseArgs({ args, options: { year: { type: "string" }, meeting: { type: "string" }, json: { type: "boolean" } }, strict: true });
      if (values.year !== undefined && !/^\d{4}$/.test(values.year)) throw new UsageError("--year 须为四位年份，如 2026");
      const scope = statisticsScopeSchema.parse({ year: values.year, meeting: values.meeting });
      // The page drops a bad value and shows every year; a command says so instead of printing the wrong scope.
      if (values.year !== undefined && scope.year === undefined) throw new UsageError("--year 须在 2000 到 2100 之间");
      if (values.meeting !== undefined && scope.meeting === undefined) throw new UsageError("--meeting 须为 1 到 100 个字的会议名称");
      await prepareDatabase();
      const db = await getDb();
      // a 会议 that is not registered printed a report of zeros, as if it had no proposals; a short
      // name (十四届五次会议) is the registered one, as in registration and import
      if (scope.meeting) {
        const meetings = await listMeetings(db);
        const registered = await canonicalMeeting(db, scope.meeting);
        if (!meetings.some((m) => meetingKey(m) === meetingKey(registered)))
          throw new UsageError(`没有名为“${scope.meeting}”的会议。已有的会议：${meetings.join("、") || "（无）"}`);
        scope.meeting = registered;
      }
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
