/**
 * The advisory locks by which writers take turns: transaction-scoped (released at commit or
 * rollback), taken before any row lock. A path that needs two takes them in this order —
 * registration, then deadlines; user management, letter exports and redaction rules are never held with another;
 * "setup" (the start-up writes, app/setup.server.ts) comes before any of them.
 * Keeping them in one list keeps that order checkable.
 */
import { sql } from "drizzle-orm";
import type { Db } from "#db/client.server";

export type Turn = "proposal-registration" | "deadlines" | "user-management" | "letter-exports" | "redaction-rules" | "setup";

export async function takeTurn(db: Db, turn: Turn) {
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${turn}))`);
}
