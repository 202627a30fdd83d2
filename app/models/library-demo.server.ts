/**
 * The demo library: the five documents of seeds/source, loaded through the real importer in
 * the order of seeds/demo/library.json, so that later files link to paragraphs already in the
 * library (letter 109 reuses letter 108) instead of duplicating them. Loaded once per database.
 */
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { DOCUMENT_KINDS } from "~/domain/library";
import { findImportedFile, importWithDefaults, readLibrarySource } from "./library-import.server";
import { findUserForSignIn } from "./user.server";
import { getSetting, markOnce, SETTING_KEYS } from "./settings.server";

const manifestSchema = z.object({
  importer: z.string(),
  documents: z.array(
    z.object({
      file: z.string(),
      kind: z.enum(DOCUMENT_KINDS),
      asOf: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .optional(),
      tags: z.array(z.string()).optional(),
    }),
  ),
});

/** Load the demo library unless this database already has it. Run inside a transaction. */
export async function loadDemoLibrary(db: Db): Promise<{ loaded: boolean }> {
  if ((await getSetting(db, SETTING_KEYS.libraryDemoLoadedAt)) !== null) return { loaded: false };
  const manifest = manifestSchema.parse(JSON.parse(fs.readFileSync(path.resolve("seeds/demo/library.json"), "utf8")));
  const importer = await findUserForSignIn(db, manifest.importer);
  for (const d of manifest.documents) {
    const content = fs.readFileSync(path.resolve("seeds/source", d.file));
    if (await findImportedFile(db, content)) continue;
    const source = await readLibrarySource({ fileName: d.file, content });
    await importWithDefaults(db, { source, kind: d.kind, asOf: d.asOf, tags: d.tags, actorId: importer?.id ?? null });
  }
  await markOnce(db, SETTING_KEYS.libraryDemoLoadedAt);
  return { loaded: true };
}
