/** Open (and migrate) the configured database and load demo data when enabled. Used by `npm start` and the CLI. */
import { type Db, getDbHandle } from "#db/client.server";
import { readConfig } from "./config.server";
import { ensureOfficialCalendar } from "./models/calendar.server";
import { recomputeDeadlines } from "./models/deadline.server";
import { loadDemoData } from "./models/demo-data.server";
import { takeTurn } from "./models/locks.server";
import { repairOnce } from "./models/text-repair.server";

export async function prepareDatabase(opts: { demo?: boolean } = {}) {
  const config = readConfig();
  const handle = await getDbHandle();
  const demo = opts.demo ?? config.demoData;
  const { demoLoaded, demoRefused } = await setUpDatabase(handle.db, { demo });
  return { handle, demo, demoLoaded, demoRefused };
}

/**
 * What every start does to the database after its migrations. Each step takes the "setup" turn
 * (a transaction advisory lock): instances starting together run them one after the other, and
 * the second finds the first's work done (it met unique keys, or loaded the demo data twice).
 */
export async function setUpDatabase(db: Db, opts: { demo: boolean }): Promise<{ demoLoaded: boolean; demoRefused: boolean }> {
  // The official calendar ships with the product: every install gets the years it lacks, and the
  // open proposals' deadlines that waited for those years ("日历未覆盖") are computed again.
  const inTurn = <T>(step: (tx: Db) => Promise<T>) =>
    db.transaction(async (tx) => {
      await takeTurn(tx, "setup");
      return step(tx);
    });
  await inTurn(addShippedCalendarYears);
  // Drafts damaged by React 18's NUL padding before the fix: repaired once per database.
  const repair = await inTurn(repairOnce);
  if (repair?.repaired.length) console.log(`已修复 ${repair.repaired.length} 份答复稿中的乱码字符“�”。`);
  for (const s of repair?.signedWithFffd ?? []) console.warn(`注意：已签发的 ${s.documentNumber ?? `答复函 ${s.letterId}`} 含乱码字符“�”（已定稿，未修改）。`);
  if (!opts.demo) return { demoLoaded: false, demoRefused: false };
  const r = await inTurn(loadDemoData);
  if (r.refused) console.warn("数据库中已有提案或非演示账号：未加载演示数据（生产环境请设置 DEMO_DATA=0）。");
  return { demoLoaded: r.loaded, demoRefused: Boolean(r.refused) };
}

/** The shipped calendar years this database lacks, added; then the open proposals' deadlines computed again. */
export async function addShippedCalendarYears(db: Db): Promise<number[]> {
  const added = await ensureOfficialCalendar(db);
  if (added.length) await recomputeDeadlines(db, { reason: `工作日历新增 ${added.join("、")} 年`, answeredInDoubt: true });
  return added;
}
