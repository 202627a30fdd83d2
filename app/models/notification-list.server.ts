/** The notices page's list (its own module: access.server → workflow.server → notification.server would be a cycle). */
import type { Db } from "#db/client.server";
import type { SessionUser } from "~/auth/lucia.server";
import { visibilityFor } from "./access.server";
import { listNotifications } from "./notification.server";

/** A user's notices as the page shows them: one about a proposal since given to someone else (改派, 调整出本单位) keeps its text, not its link. */
export async function notificationsFor(db: Db, user: SessionUser) {
  const vis = await visibilityFor(db, user);
  return (await listNotifications(db, user.id)).map(({ proposalHandlerId, ...n }) => ({
    ...n,
    proposalId: n.proposalId !== null && vis.canSee({ handlerId: proposalHandlerId }) ? n.proposalId : null,
    /** About no one proposal (a digest of moved deadlines), not one the reader can no longer open. */
    general: n.proposalId === null,
  }));
}
