/** Download an imported library source file as it was uploaded (every signed-in user may read the library). */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { getLibraryDocumentFile } from "~/models/paragraph.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireUser(request);
  const id = z.coerce.number().int().positive().safeParse(params.id);
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
