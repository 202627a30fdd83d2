/**
 * Demo data from seeds/demo (readable JSON): the users and the proposals behind letters 108/109.
 * Loaded once per database (marked in app_meta); rows that already exist are left alone.
 */
import fs from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { appMeta } from "#db/schema";
import { proposalInputSchema } from "~/domain/proposal";
import { ROLES } from "~/domain/roles";
import { DISCLOSURES, WORKFLOW_ACTIONS } from "~/domain/workflow";
import { today } from "./deadline.server";
import { findProposalByNumber, getProposal, registerProposal } from "./proposal.server";
import { createUser, findUserForSignIn } from "./user.server";
import { performAction } from "./workflow.server";

const SEED_DIR = path.resolve("seeds/demo");

const usersFile = z.object({
  password: z.string().min(10),
  users: z.array(z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES), phone: z.string().nullable() })),
});
const step = z.object({
  as: z.string(),
  action: z.enum(WORKFLOW_ACTIONS),
  handler: z.string().optional(),
  disclosure: z.enum(DISCLOSURES).optional(),
  disclosureReason: z.string().optional(),
  repliedOn: z.string().optional(),
  channel: z.string().optional(),
});
const proposalsFile = z.object({ proposals: z.array(proposalInputSchema.extend({ workflow: z.array(step).optional() })) });

export function readDemoUsers() {
  return usersFile.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, "users.json"), "utf8")));
}

export async function isDemoLoaded(db: Db) {
  const [row] = await db.select().from(appMeta).where(eq(appMeta.key, "demo_loaded_at"));
  return Boolean(row);
}

/** Load the demo data unless this database already had it. Run inside a transaction. */
export async function loadDemoData(db: Db): Promise<{ loaded: boolean }> {
  if (await isDemoLoaded(db)) return { loaded: false };
  const { password, users } = readDemoUsers();
  for (const u of users) {
    if (await findUserForSignIn(db, u.username)) continue;
    await createUser(db, { ...u, password });
  }
  const { proposals } = proposalsFile.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, "proposals.json"), "utf8")));
  const registrar = await findUserForSignIn(db, "chenmin");
  for (const { workflow, ...p } of proposals) {
    if (await findProposalByNumber(db, p.meeting, p.number)) continue;
    const id = await registerProposal(db, { input: p, actorId: registrar?.id ?? null });
    // Walk the demo proposal through the real workflow, so its history is the real thing.
    for (const s of workflow ?? []) {
      const actor = await findUserForSignIn(db, s.as);
      const handler = s.handler ? await findUserForSignIn(db, s.handler) : null;
      if (!actor) throw new Error(`演示数据引用了不存在的用户：${s.as}`);
      const { version } = (await getProposal(db, id))!;
      await performAction(db, {
        proposalId: id,
        expectedVersion: version,
        action: s.action,
        actor: { id: actor.id, username: actor.username, displayName: actor.displayName, role: actor.role, phone: actor.phone, disabled: false },
        input: { ...s, handlerId: handler?.id ?? null },
        today: today(),
      });
    }
  }
  await db.insert(appMeta).values({ key: "demo_loaded_at", value: new Date().toISOString() }).onConflictDoNothing();
  return { loaded: true };
}
