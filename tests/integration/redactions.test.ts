/**
 * 公开隐去规则 added by two admins at once (PostgreSQL only: only there do two connections'
 * transactions really overlap). The rule must be there once: a duplicate kept hiding the text
 * after one of the two was deleted.
 */
import { and, eq, isNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type DbHandle } from "#db/client.server";
import { redactionRules, users } from "#db/schema";
import type { SessionUser } from "~/auth/lucia.server";
import { addRedactionRule } from "~/models/redaction.server";
import { createPostgresDatabase, postgresUnavailable } from "../support/databases";

const down = await postgresUnavailable();
if (down && process.env.CI) throw new Error(down);
if (down) console.warn(`[redactions] skipped: ${down}`);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

(down ? describe.skip : describe)("redaction rules on PostgreSQL (concurrent: transactions really overlap)", () => {
  let dropDb: () => Promise<void>;
  let a: DbHandle;
  let b: DbHandle;

  beforeAll(async () => {
    const db = await createPostgresDatabase({ withDemo: true });
    dropDb = db.drop;
    a = await openDatabase({ kind: "postgres", url: db.url });
    b = await openDatabase({ kind: "postgres", url: db.url });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await dropDb?.();
  });

  const admin = async (h: DbHandle, username: string): Promise<SessionUser> => {
    const [u] = await h.db.select().from(users).where(eq(users.username, username));
    return { id: u!.id, username: u!.username, displayName: u!.displayName, role: u!.role, phone: u!.phone, disabled: false };
  };

  it("two admins adding the same rule at once: one is added, the other refused as 已有相同的规则 — never two identical rules (needs PostgreSQL for true overlap)", async () => {
    const rule = { kind: "text" as const, match: "殷毓德", documentNumber: null, reason: "x" };
    // the first admin's transaction has checked and inserted, not yet committed, when the second begins
    let inserted!: () => void;
    const firstInserted = new Promise<void>((r) => {
      inserted = r;
    });
    let commitFirst!: () => void;
    const firstMayCommit = new Promise<void>((r) => {
      commitFirst = r;
    });
    const first = a.db.transaction(async (tx) => {
      const id = await addRedactionRule(tx, { ...rule, actor: await admin(a, "admin") });
      inserted();
      await firstMayCommit;
      return id;
    });
    await firstInserted;
    const second = b.db.transaction(async (tx) => addRedactionRule(tx, { ...rule, reason: "y", actor: await admin(b, "admin") }));
    // the second either finishes on its own (it did not wait: the old check-then-insert) or waits its turn
    await Promise.race([second.catch(() => {}), sleep(800)]);
    commitFirst();
    const outcomes = await Promise.allSettled([first, second]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected"]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain("已有相同的规则（见下方列表）。");
    const active = await a.db
      .select({ id: redactionRules.id })
      .from(redactionRules)
      .where(and(eq(redactionRules.match, "殷毓德"), isNull(redactionRules.removedAt)));
    expect(active).toHaveLength(1);
  });
});
