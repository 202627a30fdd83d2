/** CLI commands for deadlines and reminders (for a daily job, e.g. cron). */
import { parseArgs } from "node:util";
import { z } from "zod";
import { getDb } from "../../db/client.server";
import { listDeadlines, today } from "../../app/models/deadline.server";
import { deliverPendingEmails } from "../../app/models/notification.server";
import { createDeadlineReminders } from "../../app/models/reminders.server";
import { prepareDatabase } from "../../app/setup.server";
import { UsageError, type Command } from "./command";

export const deadlinesCommands: Record<string, Command> = {
  deadlines: {
    summary: "列出未办结提案（含会办任务）的期限：会议、提案号、到期日、剩余天数（超期为负）",
    usage: "deadlines [--due-within DAYS] [--meeting 会议] [--json]",
    run: async (args) => {
      const { values } = parseArgs({ args, options: { "due-within": { type: "string" }, meeting: { type: "string" }, json: { type: "boolean" } }, strict: true });
      const within = values["due-within"] === undefined ? undefined : z.coerce.number().int().min(0).max(3650).safeParse(values["due-within"]);
      if (within && !within.success) throw new UsageError("--due-within 须为 0 到 3650 之间的整数天数");
      if (values.meeting !== undefined && !values.meeting.trim()) throw new UsageError("--meeting 不能为空；要列出全部会议，请不加 --meeting");
      await prepareDatabase();
      const rows = await listDeadlines(await getDb(), { today: today(), dueWithin: within?.data, meeting: values.meeting });
      if (values.json) {
        console.log(
          JSON.stringify(
            rows.map((r) => ({
              id: r.id,
              meeting: r.meeting,
              number: r.number,
              title: r.title,
              kind: r.kind,
              state: r.state,
              handler: r.handlerName,
              due: r.due,
              daysLeft: r.daysLeft,
              // what the pages mark ⚠ (a year the calendar does not cover): a job must not read the date as certain
              doubts: r.doubts,
            })),
            null,
            2,
          ),
        );
        return;
      }
      if (!rows.length) {
        console.log("没有符合条件的未办结提案。");
        return;
      }
      for (const r of rows) {
        // as the pages say it (今天到期, not 剩余 0 天), with their ⚠ where the date is not certain
        const left = r.daysLeft < 0 ? `超期 ${-r.daysLeft} 天` : r.daysLeft === 0 ? "今天到期" : `剩余 ${r.daysLeft} 天`;
        const doubt = r.doubts.length ? `\t⚠ ${r.doubts.join("；")}` : "";
        console.log(
          `${r.due}\t${String(r.daysLeft).padStart(5)}\t${r.meeting}\t第${r.number}号${r.kind === "co_handling" ? "（会办意见）" : ""}\t${r.handlerName ?? "未分派"}\t${left}${doubt}`,
        );
      }
      console.log(`共 ${rows.length} 件。`);
    },
  },
  "reminders:send": {
    summary: "生成到期提醒与超期通知（站内，已配置 SMTP_URL 时同时发邮件）；可重复运行，不会重复提醒",
    usage: "reminders:send",
    run: async () => {
      await prepareDatabase();
      const db = await getDb();
      const created = await createDeadlineReminders(db, today());
      const mail = await deliverPendingEmails(db);
      console.log(`新提醒 ${created} 条；邮件发送 ${mail.sent} 封${mail.failed ? `，失败 ${mail.failed} 封` : ""}。`);
      // a cron job notices a mail server that is down (the notices stay in the app, and are mailed on a later run)
      if (mail.failed) process.exitCode = 1;
    },
  },
};
