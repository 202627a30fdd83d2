/**
 * The database's small key → value store (`app_meta`): settings an admin keeps (handlers may
 * read every proposal, the library's staleness age) and one-time markers (demo loaded, mail
 * enabled, a repair done). Every key is named here, so no two modules use one key for two things.
 */
import { eq } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { appMeta } from "#db/schema";

export const SETTING_KEYS = {
  handlersReadAll: "handlers_read_all",
  libraryStaleDays: "library.stale_after_days",
  demoLoadedAt: "demo_loaded_at",
  libraryDemoLoadedAt: "demo_library_loaded_at",
  mailEnabledAt: "mail_enabled_at",
  textRepairDoneAt: "repair_fffd_done_at",
} as const;
export type SettingKey = (typeof SETTING_KEYS)[keyof typeof SETTING_KEYS];

export async function getSetting(db: Db, key: SettingKey): Promise<string | null> {
  const [row] = await db.select({ value: appMeta.value }).from(appMeta).where(eq(appMeta.key, key));
  return row?.value ?? null;
}

export async function setSetting(db: Db, key: SettingKey, value: string) {
  await db.insert(appMeta).values({ key, value }).onConflictDoUpdate({ target: appMeta.key, set: { value } });
}

/** A one-time marker: set to now unless already set; answers the time it holds (the first one set). */
export async function markOnce(db: Db, key: SettingKey): Promise<string> {
  await db.insert(appMeta).values({ key, value: new Date().toISOString() }).onConflictDoNothing();
  return (await getSetting(db, key))!;
}
