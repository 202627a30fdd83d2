/** Download an uploaded original, for anyone allowed to see the proposal. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { requireUser } from "~/auth/session.server";
import { getAttachment } from "~/models/proposal.server";
import { requireVisibleProposal } from "~/http/visible-proposal.server";
import { contentDisposition } from "~/letters/files";

const fileIdSchema = z.coerce.number().int().positive().max(2_147_483_647);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { db, proposal } = await requireVisibleProposal(request, { id: params.id, user });
  const fileId = fileIdSchema.safeParse(params.fileId);
  if (!fileId.success) throw new Response("文件不存在。", { status: 404 });
  const file = await getAttachment(db, proposal.id, fileId.data);
  if (!file) throw new Response("文件不存在。", { status: 404 });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.size),
      "Content-Disposition": contentDisposition(file.fileName),
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
