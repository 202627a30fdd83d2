/**
 * Demo data from seeds/demo (readable JSON): the users and the proposals behind letters 108/109.
 * Loaded once per database (marked in app_meta); rows that already exist are left alone.
 */
import fs from "node:fs";
import path from "node:path";
import { notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "#db/client.server";
import { proposals as proposalsTable, users as usersTable } from "#db/schema";
import { proposalInputSchema } from "~/domain/proposal";
import { ROLES } from "~/domain/roles";
import { DISCLOSURES as DISCLOSURES_LETTER, letterBlockSchema, OUTCOMES } from "~/domain/letter";
import { DISCLOSURES, WORKFLOW_ACTIONS } from "~/domain/workflow";
import { getCurrentLetter, importSignedLetter, saveDraft, startDraft, submitLetter } from "./letter.server";
import { libraryBlock } from "./letter-sources.server";
import { setNextNumber } from "./document-numbers.server";
import { rankParagraphs } from "./library-search.server";
import type { SessionUser } from "~/auth/lucia.server";
import { today } from "./deadline.server";
import { findProposalByNumber, getProposal, registerProposal } from "./proposal.server";
import { createUser, findUserForSignIn } from "./user.server";
import { loadDemoLibrary } from "./library-demo.server";
import { performAction } from "./workflow.server";
import { getSetting, markOnce, SETTING_KEYS } from "./settings.server";

const SEED_DIR = path.resolve("seeds/demo");

const usersFile = z.object({
  password: z.string().min(10),
  users: z.array(z.object({ username: z.string(), displayName: z.string(), role: z.enum(ROLES), phone: z.string().nullable() })),
});
const step = z.object({
  as: z.string(),
  /**
   * A workflow action; "draft": write a draft letter from library searches and free text;
   * "import_letter": record the proposal's `letter` as signed outside the system (it becomes 已签发).
   */
  action: z.enum([...WORKFLOW_ACTIONS, "draft", "import_letter"]),
  search: z.array(z.string()).optional(),
  text: z.array(z.string()).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  letterDisclosure: z.enum(DISCLOSURES_LETTER).optional(),
  handler: z.string().optional(),
  disclosure: z.enum(DISCLOSURES).optional(),
  disclosureReason: z.string().optional(),
  repliedOn: z.string().optional(),
  channel: z.string().optional(),
});
const proposalsFile = z.object({
  proposals: z.array(proposalInputSchema.extend({ workflow: z.array(step).optional(), letter: z.string().optional() })),
  numberSeries: z.array(z.object({ prefix: z.string(), year: z.number().int(), next: z.number().int() })).default([]),
});
const seedLetterFile = z.object({
  documentNumber: z.string(),
  date: z.string(),
  leaderName: z.string(),
  phone: z.string(),
  printSignerName: z.boolean(),
  disclosure: z.enum(DISCLOSURES_LETTER).nullable(),
  outcome: z.enum(OUTCOMES).nullable(),
  sections: z.array(letterBlockSchema),
});

export function readDemoUsers() {
  return usersFile.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, "users.json"), "utf8")));
}

export async function isDemoLoaded(db: Db) {
  return (await getSetting(db, SETTING_KEYS.demoLoadedAt)) !== null;
}

/**
 * Whether this database holds someone's real work: a proposal, or an account that is not a demo
 * account. Demo data (accounts with a published password, a proposal published on the public
 * site, a 文号 series set back) must never go into such a database — a production archive
 * restored where DEMO_DATA is on by default (the embedded database), say.
 */
export async function holdsRealData(db: Db): Promise<boolean> {
  const demoNames = readDemoUsers().users.map((u) => u.username);
  const [row] = await db
    .select({
      proposals: sql<boolean>`exists (select 1 from ${proposalsTable})`,
      others: sql<boolean>`exists (select 1 from ${usersTable} where ${notInArray(usersTable.username, demoNames)})`,
    })
    .from(sql`(select 1) as one`);
  return Boolean(row?.proposals || row?.others);
}

/**
 * Whether this database holds the demo data set and nothing else — no account but the demo's, no
 * proposal beyond its own, no 文号 entered as issued outside: a restore over it replaces it whole, keeping nothing of the demo (its
 * 文号 and its people's sign-ins went into production as "used since the backup").
 */
export async function holdsOnlyDemoData(db: Db): Promise<boolean> {
  if (!(await isDemoLoaded(db))) return false;
  const demoNames = readDemoUsers().users.map((u) => u.username);
  const demoProposals = proposalsFile.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, "proposals.json"), "utf8"))).proposals.length;
  const [row] = await db
    .select({
      proposals: sql<number>`(select count(*)::int from ${proposalsTable})`,
      others: sql<boolean>`exists (select 1 from ${usersTable} where ${notInArray(usersTable.username, demoNames)})`,
      // a 文号 entered as issued outside the system is the bureau's, not the demo's
      outside: sql<boolean>`exists (select 1 from document_numbers where letter_id is null)`,
    })
    .from(sql`(select 1) as one`);
  return Boolean(row) && !row!.others && !row!.outside && Number(row!.proposals) <= demoProposals;
}

/** Load the demo data unless this database already had it, or holds real work. Run inside a transaction. */
export async function loadDemoData(db: Db): Promise<{ loaded: boolean; refused?: "real-data" }> {
  // A database seeded before the paragraph library existed still gets the demo library.
  if (await isDemoLoaded(db)) return { loaded: (await loadDemoLibrary(db)).loaded };
  if (await holdsRealData(db)) return { loaded: false, refused: "real-data" };
  const { password, users } = readDemoUsers();
  for (const u of users) {
    if (await findUserForSignIn(db, u.username)) continue;
    await createUser(db, { ...u, password });
  }
  const { proposals, numberSeries } = proposalsFile.parse(JSON.parse(fs.readFileSync(path.join(SEED_DIR, "proposals.json"), "utf8")));
  const registrar = await findUserForSignIn(db, "chenmin");
  // The library first: demo drafts are written from its paragraphs.
  await loadDemoLibrary(db);
  for (const { workflow, letter, ...p } of proposals) {
    if (await findProposalByNumber(db, p.meeting, p.number)) continue;
    const id = await registerProposal(db, { input: p, actorId: registrar?.id ?? null });
    // Walk the demo proposal through the real workflow, so its history is the real thing.
    for (const s of workflow ?? []) {
      const actor = await findUserForSignIn(db, s.as);
      const handler = s.handler ? await findUserForSignIn(db, s.handler) : null;
      if (!actor) throw new Error(`演示数据引用了不存在的用户：${s.as}`);
      const { version } = (await getProposal(db, id))!;
      const sessionUser = { id: actor.id, username: actor.username, displayName: actor.displayName, role: actor.role, phone: actor.phone, disabled: false };
      if (s.action === "draft") {
        await writeDemoDraft(db, id, sessionUser, s);
        continue;
      }
      if (s.action === "submit") {
        await submitLetter(db, { proposalId: id, expectedVersion: version, actor: sessionUser, today: today() });
        continue;
      }
      if (s.action === "import_letter") {
        if (!letter) throw new Error(`演示提案 ${p.number} 没有答复函文件（letter）`);
        await importDemoLetter(db, id, letter, sessionUser, s);
        continue;
      }
      await performAction(db, {
        proposalId: id,
        expectedVersion: version,
        action: s.action,
        actor: sessionUser,
        input: { ...s, handlerId: handler?.id ?? null },
        today: today(),
      });
    }
  }
  for (const series of numberSeries) await setNextNumber(db, series);
  await markOnce(db, SETTING_KEYS.demoLoadedAt);
  return { loaded: true };
}

/** A letter signed before the system existed: its real number, date and signer. */
async function importDemoLetter(db: Db, proposalId: number, file: string, actor: SessionUser, s: z.output<typeof step>) {
  const l = seedLetterFile.parse(JSON.parse(fs.readFileSync(path.resolve(file), "utf8")));
  const signer = await findUserForSignIn(db, "zhanzhibin");
  await importSignedLetter(db, {
    proposalId,
    draft: {
      blocks: l.sections.map((b, i) => ({ ...b, id: `seed${i}` })),
      outcome: l.outcome,
      disclosure: l.disclosure,
      disclosureReason: null,
      phone: l.phone,
      printSignerName: l.printSignerName,
    },
    documentNumber: l.documentNumber,
    date: l.date,
    leaderName: l.leaderName,
    signerId: signer?.id ?? null,
    actorId: actor.id,
    disclosure: s.disclosure ?? null,
    disclosureReason: s.disclosureReason ?? null,
  });
}

/** A demo draft: the best library paragraph for each search, then free text, saved as a revision. */
async function writeDemoDraft(db: Db, proposalId: number, actor: SessionUser, s: z.output<typeof step>) {
  const letterId = await startDraft(db, { proposalId, actor });
  const current = (await getCurrentLetter(db, proposalId))!;
  const blocks = [];
  for (const q of s.search ?? []) {
    const [hit] = (await rankParagraphs(db, { q, limit: 1 })).hits;
    if (hit) blocks.push(await libraryBlock(db, hit.id));
  }
  for (const [i, text] of (s.text ?? []).entries()) blocks.push({ id: `demo${i}`, type: "paragraph" as const, text });
  await saveDraft(db, {
    letterId,
    baseRevisionId: current.revision!.id,
    draft: { ...current.revision!.draft, blocks, outcome: s.outcome ?? null, disclosure: s.letterDisclosure ?? null },
    actor,
    kind: "save",
  });
}
