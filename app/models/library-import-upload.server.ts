/**
 * The file of a library import between its first step (read) and its last (import): kept in the
 * database, named by a random id that only its uploader may use, so the plan page carries only
 * the id, and any instance can finish the import. An upload lasts a day from its plan's last step;
 * a user keeps a few at once (several plans open in tabs), the oldest going first.
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, gt, lt, notInArray } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { libraryImportUploads } from "#db/schema";

export const IMPORT_UPLOAD_TTL_MS = 24 * 60 * 60 * 1000;
/** A user's uploads kept at once: each may be 10 MB. */
export const IMPORT_UPLOADS_PER_USER = 5;

/**
 * Keep a read file for its plan; returns the id the plan page carries. The same file read again by
 * the same user (another 类型, a second tab) keeps its one row, so reading it again never pushes an
 * open plan's file out. Drops expired uploads and the user's oldest past the limit.
 */
export async function keepImportUpload(db: Db, p: { userId: string; fileName: string; content: Buffer }): Promise<string> {
  await db.delete(libraryImportUploads).where(lt(libraryImportUploads.createdAt, new Date(Date.now() - IMPORT_UPLOAD_TTL_MS)));
  const [same] = await db
    .update(libraryImportUploads)
    .set({ createdAt: new Date(), fileName: p.fileName })
    .where(and(eq(libraryImportUploads.userId, p.userId), eq(libraryImportUploads.content, p.content)))
    .returning({ id: libraryImportUploads.id });
  if (same) return same.id;
  const id = randomBytes(18).toString("base64url");
  await db.insert(libraryImportUploads).values({ id, userId: p.userId, fileName: p.fileName, content: p.content });
  const newest = db
    .select({ id: libraryImportUploads.id })
    .from(libraryImportUploads)
    .where(eq(libraryImportUploads.userId, p.userId))
    .orderBy(desc(libraryImportUploads.createdAt), desc(libraryImportUploads.id))
    .limit(IMPORT_UPLOADS_PER_USER);
  await db.delete(libraryImportUploads).where(and(eq(libraryImportUploads.userId, p.userId), notInArray(libraryImportUploads.id, newest)));
  return id;
}

/** A plan step (合并, 拆分, 刷新) on the upload: it stays a day from now. False when it is gone (expired, imported, not this user's). */
export async function touchImportUpload(db: Db, p: { id: string; userId: string }): Promise<boolean> {
  const rows = await db
    .update(libraryImportUploads)
    .set({ createdAt: new Date() })
    .where(and(eq(libraryImportUploads.id, p.id), eq(libraryImportUploads.userId, p.userId), gt(libraryImportUploads.createdAt, new Date(Date.now() - IMPORT_UPLOAD_TTL_MS))))
    .returning({ id: libraryImportUploads.id });
  return rows.length > 0;
}

/** The user's own upload by its id, while it lasts; null otherwise (expired, imported, someone else's, or made up). */
export async function findImportUpload(db: Db, p: { id: string; userId: string }): Promise<{ fileName: string; content: Buffer } | null> {
  const [row] = await db
    .select({ fileName: libraryImportUploads.fileName, content: libraryImportUploads.content })
    .from(libraryImportUploads)
    .where(and(eq(libraryImportUploads.id, p.id), eq(libraryImportUploads.userId, p.userId), gt(libraryImportUploads.createdAt, new Date(Date.now() - IMPORT_UPLOAD_TTL_MS))));
  return row ? { fileName: row.fileName, content: Buffer.from(row.content) } : null;
}

/** Done with: the import that used it commits its deletion with it. */
export async function dropImportUpload(db: Db, p: { id: string }) {
  await db.delete(libraryImportUploads).where(eq(libraryImportUploads.id, p.id));
}
