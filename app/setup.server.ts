/** Open (and migrate) the configured database and load demo data when enabled. Used by `npm start` and the CLI. */
import { getDbHandle } from "#db/client.server";
import { readConfig } from "./config.server";
import { ensureOfficialCalendar } from "./models/calendar.server";
import { loadDemoData } from "./models/demo-data.server";
import { repairOnce } from "./models/text-repair.server";

export async function prepareDatabase(opts: { demo?: boolean } = {}) {
  const config = readConfig();
  const handle = await getDbHandle();
  const demo = opts.demo ?? config.demoData;
  // The official calendar ships with the product: every install gets the years it lacks.
  await handle.db.transaction((tx) => ensureOfficialCalendar(tx));
  // Drafts damaged by React 18's NUL padding before the fix: repaired once per database.
  const repair = await handle.db.transaction((tx) => repairOnce(tx));
  if (repair?.repaired.length) console.log(`已修复 ${repair.repaired.length} 份答复稿中的乱码字符“�”。`);
  for (const s of repair?.signedWithFffd ?? []) console.warn(`注意：已签发的 ${s.documentNumber ?? `答复函 ${s.letterId}`} 含乱码字符“�”（已定稿，未修改）。`);
  let demoLoaded = false;
  if (demo) demoLoaded = (await handle.db.transaction((tx) => loadDemoData(tx))).loaded;
  return { handle, demo, demoLoaded };
}
