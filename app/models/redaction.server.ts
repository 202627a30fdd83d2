/** Redaction rules for the public site (table redaction_rules): added and removed by staff, with a reason, never deleted. */
import { takeTurn } from "./locks.server";
import { and, desc, eq, isNull, or, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { letters, redactionRules } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { sanitizeText } from "~/domain/letter";
import { cleanText } from "~/domain/proposal";
import { isLegacyPattern, type RedactionRule, redactionRuleProblem } from "~/domain/redaction-rules";
import { WorkflowRefusedError } from "./workflow.server";

/**
 * The rules in force for one letter on the public site: every global one, and those given for
 * any reply of the same proposal — its replies share the 案由 and usually the names in it, so a
 * rule given for the first reply keeps hiding them once a 再办理 reply is published beside it.
 */
export async function rulesForLetter(db: Db, letterId: number): Promise<RedactionRule[]> {
  const sameProposal = sql`(select l2.id from letters l2 where l2.proposal_id = (select l1.proposal_id from letters l1 where l1.id = ${letterId}))`;
  return db
    .select({ kind: redactionRules.kind, match: redactionRules.match })
    .from(redactionRules)
    .where(and(isNull(redactionRules.removedAt), or(isNull(redactionRules.letterId), sql`${redactionRules.letterId} in ${sameProposal}`)));
}

/** All rules in force, with the proposal of the letter each was given for (null: global), for checking many letters at once (the public list and search). */
export async function rulesInForce(db: Db): Promise<(RedactionRule & { proposalId: number | null })[]> {
  return db
    .select({ kind: redactionRules.kind, match: redactionRules.match, proposalId: letters.proposalId })
    .from(redactionRules)
    .leftJoin(letters, eq(letters.id, redactionRules.letterId))
    .where(isNull(redactionRules.removedAt));
}

export async function listRedactionRules(db: Db) {
  const rows = await db
    .select({
      id: redactionRules.id,
      kind: redactionRules.kind,
      match: redactionRules.match,
      documentNumber: letters.documentNumber,
      reason: redactionRules.reason,
      createdAt: redactionRules.createdAt,
      createdBy: sql<string | null>`(select display_name from users u where u.id = ${redactionRules.createdBy})`,
      removedAt: redactionRules.removedAt,
      removedBy: sql<string | null>`(select display_name from users u where u.id = ${redactionRules.removedBy})`,
    })
    .from(redactionRules)
    .leftJoin(letters, eq(letters.id, redactionRules.letterId))
    .orderBy(desc(redactionRules.id));
  // A pattern the linear-time engine cannot read still applies (see isLegacyPattern), flagged for rewriting.
  return rows.map((r) => ({ ...r, legacy: !r.removedAt && isLegacyPattern({ kind: r.kind as RedactionRule["kind"], match: r.match }) }));
}

export async function addRedactionRule(db: Db, r: { kind: "text" | "pattern"; match: string; documentNumber: string | null; reason: string; actor: SessionUser }) {
  // exact text as it is looked for (sanitized, trimmed: see compileRules); a pattern as written
  const match = r.kind === "text" ? sanitizeText(r.match).trim() : r.match;
  const problem = redactionRuleProblem({ kind: r.kind, match });
  if (problem) throw new WorkflowRefusedError(problem, "match");
  let letterId: number | null = null;
  if (r.documentNumber) {
    const [l] = await db
      .select({ id: letters.id })
      .from(letters)
      .where(and(eq(letters.documentNumber, cleanText(r.documentNumber)), eq(letters.state, "signed")));
    if (!l) throw new WorkflowRefusedError(`没有已签发的答复函文号为“${r.documentNumber}”。`, "documentNumber");
    letterId = l.id;
  }
  // the same rule twice would say twice why one text is hidden, and need two removals. Adders
  // take turns: two admins adding one rule at once both found none and both inserted it.
  // In a transaction of its own (a savepoint inside the caller's): the turn is held to the commit.
  return db.transaction(async (tx) => {
    await takeTurn(tx, "redaction-rules");
    const [same] = await tx
      .select({ id: redactionRules.id })
      .from(redactionRules)
      .where(
        and(
          eq(redactionRules.kind, r.kind),
          eq(redactionRules.match, match),
          letterId === null ? isNull(redactionRules.letterId) : eq(redactionRules.letterId, letterId),
          isNull(redactionRules.removedAt),
        ),
      )
      .limit(1);
    if (same) throw new WorkflowRefusedError("已有相同的规则（见下方列表）。", "match");
    const [row] = await tx
      .insert(redactionRules)
      .values({ kind: r.kind, match, letterId, reason: cleanText(r.reason), createdBy: r.actor.id })
      .returning({ id: redactionRules.id });
    return row!.id;
  });
}

export async function removeRedactionRule(db: Db, r: { id: number; actor: SessionUser }) {
  const rows = await db
    .update(redactionRules)
    .set({ removedAt: new Date(), removedBy: r.actor.id })
    .where(and(eq(redactionRules.id, r.id), isNull(redactionRules.removedAt)))
    .returning({ match: redactionRules.match });
  if (!rows.length) throw new WorkflowRefusedError("该规则不存在或已删除。");
  return rows[0]!;
}
