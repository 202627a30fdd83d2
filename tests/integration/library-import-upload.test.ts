/**
 * The file of a library import waits on the server between reading and importing: only its
 * uploader can use it, for a day, a few per user, and the import that uses it removes it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DbHandle } from "#db/client.server";
import { libraryImportUploads } from "#db/schema";
import { dropImportUpload, findImportUpload, IMPORT_UPLOADS_PER_USER, keepImportUpload, touchImportUpload } from "~/models/library-import-upload.server";
import { createUser } from "~/models/user.server";
import { availableDatabases } from "../support/databases";

describe.each(await availableDatabases())("files waiting for their import plan on $name", (database) => {
  let h: DbHandle;
  let liyong: string;
  let wangfang: string;
  beforeAll(async () => {
    h = await database.open();
    liyong = await createUser(h.db, { username: "liyong", displayName: "李泳", role: "handler", phone: null, password: "correct horse battery" });
    wangfang = await createUser(h.db, { username: "wangfang", displayName: "王芳", role: "handler", phone: null, password: "correct horse battery" });
  });
  afterAll(() => h?.close());

  it("are found by their uploader only, byte for byte, until the import drops them", async () => {
    const content = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0x80, 0x0a]);
    const id = await keepImportUpload(h.db, { userId: liyong, fileName: "政策汇编.docx", content });
    expect(id).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await findImportUpload(h.db, { id, userId: liyong })).toEqual({ fileName: "政策汇编.docx", content });
    expect(await findImportUpload(h.db, { id, userId: wangfang })).toBeNull();
    expect(await findImportUpload(h.db, { id: `${id}x`, userId: liyong })).toBeNull();
    await dropImportUpload(h.db, { id });
    expect(await findImportUpload(h.db, { id, userId: liyong })).toBeNull();
  });

  it("last a day from their plan's last step, and each user keeps only the newest few; the same file read again keeps its one", async () => {
    const dayAgo = (id: string, hours: number) =>
      h.db
        .update(libraryImportUploads)
        .set({ createdAt: new Date(Date.now() - hours * 3600_000) })
        .where(eq(libraryImportUploads.id, id));
    const old = await keepImportUpload(h.db, { userId: wangfang, fileName: "旧.txt", content: Buffer.from("旧") });
    await dayAgo(old, 25);
    expect(await findImportUpload(h.db, { id: old, userId: wangfang })).toBeNull();
    expect(await touchImportUpload(h.db, { id: old, userId: wangfang })).toBe(false);
    // a plan worked on for 23 hours stays: each step starts its day again
    const busy = await keepImportUpload(h.db, { userId: wangfang, fileName: "在改.txt", content: Buffer.from("在改") });
    await dayAgo(busy, 23);
    expect(await touchImportUpload(h.db, { id: busy, userId: wangfang })).toBe(true);
    expect(await touchImportUpload(h.db, { id: busy, userId: liyong })).toBe(false);
    // the same bytes read again (another 类型, a second tab) are the same upload
    expect(await keepImportUpload(h.db, { userId: wangfang, fileName: "在改（二）.txt", content: Buffer.from("在改") })).toBe(busy);
    expect(await findImportUpload(h.db, { id: busy, userId: wangfang })).toMatchObject({ fileName: "在改（二）.txt" });

    const ids: string[] = [];
    for (let i = 0; i < IMPORT_UPLOADS_PER_USER + 2; i++) ids.push(await keepImportUpload(h.db, { userId: liyong, fileName: `第${i}份.txt`, content: Buffer.from(`内容${i}`) }));
    const kept = (await h.db.select({ id: libraryImportUploads.id, userId: libraryImportUploads.userId }).from(libraryImportUploads)).map((r) => r.id);
    // the expired one is gone from the table too; liyong's newest five remain, and wangfang's plan
    expect(kept.sort()).toEqual([...ids.slice(-IMPORT_UPLOADS_PER_USER), busy].sort());
    expect(await findImportUpload(h.db, { id: ids[0]!, userId: liyong })).toBeNull();
    expect(await findImportUpload(h.db, { id: ids.at(-1)!, userId: liyong })).toMatchObject({ fileName: `第${IMPORT_UPLOADS_PER_USER + 1}份.txt` });
  });
});
