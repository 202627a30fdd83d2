/** Open (and migrate) the configured database and load demo data when enabled. Used by `npm start` and the CLI. */
import { getDbHandle } from "#db/client.server";
import { readConfig } from "./config.server";
import { ensureOfficialCalendar } from "./models/calendar.server";
import { loadDemoData } from "./models/demo-data.server";

export async function prepareDatabase(opts: { demo?: boolean } = {}) {
  const config = readConfig();
  const handle = await getDbHandle();
  const demo = opts.demo ?? config.demoData;
  // The official calendar ships with the product: every install gets the years it lacks.
  await handle.db.transaction((tx) => ensureOfficialCalendar(tx));
  let demoLoaded = false;
  if (demo) demoLoaded = (await handle.db.transaction((tx) => loadDemoData(tx))).loaded;
  return { handle, demo, demoLoaded };
}
