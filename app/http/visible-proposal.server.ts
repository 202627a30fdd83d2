/**
 * The proposal a page is about, from its address: not found and not theirs look the same (404, so
 * an address reveals nothing), and a refusal is written to the audit log.
 */
import { getDb } from "#db/client.server";
import { refuseAsNotFound, type SessionUser } from "~/auth/session.server";
import { recordId } from "~/domain/query-params";
import { getVisibleProposal } from "~/models/visible-proposal.server";

export async function requireVisibleProposal(request: Request, r: { id: string | undefined; user: SessionUser }) {
  const id = recordId.safeParse(r.id);
  if (!id.success) throw new Response("提案不存在。", { status: 404 });
  const db = await getDb();
  const found = await getVisibleProposal(db, { id: id.data, user: r.user });
  if (!found) throw new Response("提案不存在，或您无权查看。", { status: 404 });
  if ("hidden" in found) return refuseAsNotFound(request, r.user, "提案不存在，或您无权查看。");
  return { db, proposal: found.proposal };
}
