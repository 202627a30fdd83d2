/** Who may see which proposal: the one place that decides it, for every loader and action. */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { can } from "~/domain/roles";
import { handlersMayReadAll } from "./workflow.server";

export type Visibility = {
  /** Filter for lists: a handler sees only what is assigned to them, unless the admin allows reading all. */
  scope: { handlerId?: string };
  canSee: (p: { handlerId: string | null }) => boolean;
};

export async function visibilityFor(db: Db, user: SessionUser): Promise<Visibility> {
  if (can(user.role, "proposal.read_all") || (user.role === "handler" && (await handlersMayReadAll(db)))) {
    return { scope: {}, canSee: () => true };
  }
  return { scope: { handlerId: user.id }, canSee: (p) => p.handlerId === user.id };
}
