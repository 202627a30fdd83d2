/**
 * Optimistic locking for rows without a version column (a user account, a batch's rules): the
 * form carries a stamp of the values it was opened with, and the action refuses to save over
 * values that have changed since — another admin's change, or the user's own in 个人设置, is
 * never undone unseen. Callers pass a plain object with a fixed key order.
 */
import { createHash } from "node:crypto";

export function stampOf(values: Record<string, unknown>): string {
  return createHash("sha256").update(JSON.stringify(values)).digest("base64url").slice(0, 22);
}
