/** Download an imported library source file as it was uploaded (every signed-in user may read the library; a past letter's only to those who may open its proposal: documentAccess). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { refuseAsNotFound, requireUser } from "~/auth/session.server";
import { audit } from "~/models/audit.server";
import { getLibraryDocumentFile, getReadableLibraryDocument } from "~/models/library-document.server";
import { recordId } from "~/domain/query-params";
import { refuseCrossSite } from "~/http/request-guards";
import { contentDisposition } from "~/letters/files";

export async function loader({ request, params }: LoaderFunctionArgs) {
  // a past letter's download is recorded in the user's name: never made by a link on another site
  refuseCrossSite(request, "请从本系统的段落库页面下载。");
  const user = await requireUser(request);
  const id = recordId.safeParse(params.id);
  const db = await getDb();
  const readable = id.success ? await getReadableLibraryDocument(db, { id: id.data, user }) : null;
  if (!readable) throw new Response("文件不存在。", { status: 404 });
  if (readable.access === "hidden") await refuseAsNotFound(request, user, "文件不存在。");
  if (readable.access === "public") {
    // disclosed, and read as the public reads it: the file prints the handler's name and phone
    await audit(request, { actor: user, action: "refused", target: new URL(request.url).pathname, detail: "无权下载" });
    throw new Response("这封答复函的原文件印有承办人姓名和联系电话，只有能查看其提案的用户可以下载。", { status: 403 });
  }
  const { document } = readable;
  const file = await getLibraryDocumentFile(db, document.id);
  if (!file) throw new Response("文件不存在。", { status: 404 });
  // A past letter leaves the system here too (decision 008: every way a letter leaves is recorded).
  if (document.kind === "letter")
    await audit(request, { actor: user, action: "letter_downloaded", target: document.letterNumber ?? document.title, detail: "段落库中的往年答复函原文件" });
  return new Response(new Uint8Array(file.content), {
    headers: {
      // Kept byte for byte as uploaded, so a GBK text file is served as GBK.
      "Content-Type": file.mediaType.startsWith("text/") ? `${file.mediaType}; charset=${file.encoding}` : file.mediaType,
      "Content-Length": String(file.content.length),
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
