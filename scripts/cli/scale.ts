/** demo:scale — a large realistic data set in the configured database (see app/models/scale-data.server.ts). */
import { parseArgs } from "node:util";
import { getDb } from "../../db/client.server";
import { fillScaleData } from "../../app/models/scale-data.server";
import { prepareDatabase } from "../../app/setup.server";
import { config } from "../../app/config.server";
import { UsageError, type Command } from "./command";

function count(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new UsageError(`--${name} 应为 0 到 ${max} 之间的整数（收到“${value}”）`);
  return n;
}

export const scaleCommands: Record<string, Command> = {
  "demo:scale": {
    summary: "向当前数据库批量写入规模测试数据（8 次会议、各种办理状态、已签发答复函、通知；--paragraphs 另加段落库段落）；可重复运行，已有的不重复写入",
    usage: "demo:scale [--proposals 10000] [--letters 1000] [--paragraphs 100000] [--yes]",
    run: async (args) => {
      const { values } = parseArgs({
        args,
        options: { proposals: { type: "string" }, letters: { type: "string" }, paragraphs: { type: "string" }, yes: { type: "boolean" } },
        strict: true,
      });
      // Fictitious proposals assigned to the real handlers, published on the public site, 文号
      // reserved, notices (and e-mails) sent: only where demo data is wanted, or when told.
      if (!config().demoData && !values.yes)
        throw new UsageError(
          "demo:scale 会向数据库写入大量虚构数据：提案分派给现有承办人、答复公开到公开网站、占用文号、发出通知。当前数据库未启用演示数据（DEMO_DATA）；确认这是测试用的数据库时，请加 --yes。",
        );
      const proposals = count(values.proposals, "proposals", 10_000, 200_000);
      const letters = count(values.letters, "letters", Math.min(1000, proposals), proposals);
      const paragraphs = count(values.paragraphs, "paragraphs", 0, 500_000);
      await prepareDatabase();
      const db = await getDb();
      const r = await fillScaleData(db, { proposals, letters, paragraphs, onProgress: (m) => console.error(m) });
      console.log(
        `规模测试数据：新增提案 ${r.proposalsAdded} 件（共 ${r.proposalsTotal} 件），答复函 ${r.lettersAdded} 份，通知 ${r.notificationsAdded} 条${paragraphs ? `，段落 ${r.paragraphsAdded} 段` : ""}，用时 ${(r.ms / 1000).toFixed(1)} 秒。`,
      );
    },
  },
};
