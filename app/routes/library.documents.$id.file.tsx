/** Download an imported library source file as it was uploaded (every signed-in user may read the library). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { getLibraryDocumentFile } from "~/models/paragraph.server";
import { recordId } from "~/domain/query-params";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const id = recordId.safeParse(params.id);
  const file = id.success ? await getLibraryDocumentFile(await getDb(), id.data) : null;
  if (!file) throw new Response("文件不存在。", { status: 404 });
  return new Response(new Uint8Array(file.content), {
    headers: {
      // Kept byte for byte as uploaded, so a GBK text file is served as GBK.
      "Content-Type": file.mediaType.startsWith("text/") ? `${file.mediaType}; charset=${file.encoding}` : file.mediaType,
      "Content-Length": String(file.content.length),
      "Content-Disposition": `attachment; filename="${encodeURIComponent(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
