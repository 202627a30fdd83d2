/**
 * A proposal as one user may see it — the scoped query every page about one proposal starts
 * with (as indie-stack's getNote({ id, userId })). A model: no request, no HTTP; pages use
 * requireVisibleProposal (app/http/visible-proposal.server.ts), which answers 404 for both.
 */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { visibilityFor } from "./access.server";
import { getProposal } from "./proposal.server";

/** The proposal a page about one proposal works on, as getVisibleProposal found it. */
export type VisibleProposal = NonNullable<Awaited<ReturnType<typeof getProposal>>>;

/** The proposal if it exists and this user may see it; `hidden` when it exists and they may not (an audited refusal). */
export async function getVisibleProposal(db: Db, r: { id: number; user: SessionUser }): Promise<{ proposal: VisibleProposal } | { hidden: true } | null> {
  const proposal = await getProposal(db, r.id);
  if (!proposal) return null;
  return (await visibilityFor(db, r.user)).canSee(proposal) ? { proposal } : { hidden: true };
}
