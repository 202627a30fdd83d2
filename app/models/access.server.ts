/** Who may see which proposal, for lists and single pages: the policy (permissions.ts) with the admin's settings. */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { accessOf, may, type PolicySettings } from "~/domain/permissions";
import { handlersMayReadAll } from "./workflow.server";

export type Visibility = {
  /** Filter for lists: a handler sees only what is assigned to them, unless the admin allows reading all. */
  scope: { handlerId?: string };
  canSee: (p: { handlerId: string | null }) => boolean;
};

export async function policySettings(db: Db): Promise<PolicySettings> {
  return { handlersMayReadAll: await handlersMayReadAll(db) };
}

export async function visibilityFor(db: Db, user: SessionUser): Promise<Visibility> {
  const settings = await policySettings(db);
  return {
    scope: accessOf(user, "proposal.read", settings) === "any" ? {} : { handlerId: user.id },
    canSee: (p) => may(user, "proposal.read", p, settings),
  };
}
