/**
 * /letters/export.zip — the batch export as a download:
 * - ?job=ID: the file a finished export job stored (the export page with JavaScript; any instance);
 * - ?meeting=…&state=…: streamed as it is written (the same form without JavaScript).
 */
import { refuseCrossSite } from "~/http/request-guards";
import { audit } from "~/models/audit.server";
import { PassThrough, Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requirePermission } from "~/auth/session.server";
import { exportFileName, exportFilterSchema, listExportItems, writeLettersZip } from "~/letters/export.server";
import { briefError, exportJobFile } from "~/letters/export-jobs.server";
import { downloadHeaders } from "~/letters/files";
import { sharedRenderPool } from "~/letters/render-pool.server";
import { today } from "~/models/deadline.server";

const ZIP_TYPE = "application/zip";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "letter.export");
  const params = new URL(request.url).searchParams;

  if (params.has("job")) {
    const id = z.string().uuid().safeParse(params.get("job"));
    const file = id.success ? await exportJobFile(await getDb(), id.data, user.id) : null;
    if (!file) throw new Response("导出文件不存在或已过期，请重新导出。", { status: 404 });
    return new Response(file.stream, { headers: downloadHeaders(file.fileName, ZIP_TYPE, file.bytes, { fallback: "letters.zip" }) });
  }

  // The streamed export is work (every letter rendered) and an audited act, started by a plain GET:
  // a link on another site must not start it in a registrar's name (the export page is this site's).
  refuseCrossSite(request, "请从本系统的“答复函导出”页面导出。");
  const filter = exportFilterSchema.safeParse({ meeting: params.get("meeting") ?? undefined, state: params.get("state") || undefined });
  if (!filter.success) throw new Response("筛选条件无效。", { status: 400 });
  const db = await getDb();
  const items = await listExportItems(db, filter.data);
  if (!items.length) throw new Response("没有符合条件的答复函。", { status: 404 });
  await audit(request, {
    actor: user,
    action: "letters_exported",
    target: filter.data.meeting ?? "全部会议",
    detail: `${filter.data.state === "draft" ? "草稿" : "已签发"} ${items.length} 份`,
  });
  const out = new PassThrough();
  // Written while the response streams; a client that goes away cancels it (request.signal).
  writeLettersZip(db, items, out, { pool: sharedRenderPool(), signal: request.signal }).catch((e: Error) => {
    if (!request.signal.aborted) console.error(`[letters] 导出失败：${briefError(e)}`);
  });
  return new Response(Readable.toWeb(out) as unknown as ReadableStream, {
    headers: { ...downloadHeaders(exportFileName(filter.data, today()), ZIP_TYPE, undefined, { fallback: "letters.zip" }), "X-Letter-Count": String(items.length) },
  });
}
