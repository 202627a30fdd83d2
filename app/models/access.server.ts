/** Who may see which proposal: the one place that decides it, for every loader and action. */
import { can } from "~/domain/roles";
import type { SessionUser } from "~/auth/lucia.server";

/** A handler sees only what is assigned to them; roles with proposal.read_all see everything. */
export function proposalScope(user: SessionUser): { handlerId?: string } {
  return can(user.role, "proposal.read_all") ? {} : { handlerId: user.id };
}

export function canSeeProposal(user: SessionUser, proposal: { handlerId: string | null }): boolean {
  return can(user.role, "proposal.read_all") || proposal.handlerId === user.id;
}
