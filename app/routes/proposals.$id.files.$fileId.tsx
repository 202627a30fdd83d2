/** Download an uploaded original, for anyone allowed to see the proposal. */
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "#db/client.server";
import { requireUser } from "~/auth/session.server";
import { visibilityFor } from "~/models/access.server";
import { getAttachment, getProposal } from "~/models/proposal.server";

const paramsSchema = z.object({ id: z.coerce.number().int().positive(), fileId: z.coerce.number().int().positive() });

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("文件不存在。", { status: 404 });
  const db = await getDb();
  const proposal = await getProposal(db, parsed.data.id);
  if (!proposal || !(await visibilityFor(db, user)).canSee(proposal)) throw new Response("文件不存在。", { status: 404 });
  const file = await getAttachment(db, parsed.data.id, parsed.data.fileId);
  if (!file) throw new Response("文件不存在。", { status: 404 });
  return new Response(new Uint8Array(file.content), {
    headers: {
      "Content-Type": file.mediaType,
      "Content-Length": String(file.size),
      "Content-Disposition": `attachment; filename="${encodeURIComponent(file.fileName)}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
