/**
 * A proposal as one user may see it — the scoped query every page about one proposal starts
 * with (as indie-stack's getNote({ id, userId })). Not found and not theirs look the same (404,
 * so an address reveals nothing); a refusal is written to the audit log.
 */
import { getDb } from "#db/client.server";
import { refuseAsNotFound, type SessionUser } from "~/auth/session.server";
import { visibilityFor } from "./access.server";
import { getProposal } from "./proposal.server";
import { recordId } from "~/domain/query-params";

const idSchema = recordId;

export async function getVisibleProposal(request: Request, r: { id: string | undefined; user: SessionUser }) {
  const id = idSchema.safeParse(r.id);
  if (!id.success) throw new Response("提案不存在。", { status: 404 });
  const db = await getDb();
  const proposal = await getProposal(db, id.data);
  if (!proposal) throw new Response("提案不存在，或您无权查看。", { status: 404 });
  if (!(await visibilityFor(db, r.user)).canSee(proposal)) await refuseAsNotFound(request, r.user, "提案不存在，或您无权查看。");
  return { db, proposal };
}

/** The proposal a page about one proposal works on, as getVisibleProposal found it. */
export type VisibleProposal = NonNullable<Awaited<ReturnType<typeof getProposal>>>;
