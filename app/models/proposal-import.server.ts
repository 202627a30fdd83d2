/**
 * 批量导入: the rows of a clerk's spreadsheet classified (new, already registered, refused with the
 * reason), then registered in one transaction — in bulk, with the history each registration writes.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "#db/client.server";
import { batches, events, proposals, proposers } from "#db/schema";
import {
  assignedOnProblem,
  cleanLine,
  receivedOnProblem,
  BUREAU_ROLE_LABELS,
  displayFields,
  diffFields,
  formatProposers,
  type BureauRole,
  type ProposalInput,
  type Proposer,
} from "~/domain/proposal";
import { deadlineColumns, deadlineContext, today } from "./deadline.server";
import { canonicalMeetings, sameMeeting } from "./meeting.server";
import { ensureBatch, registrableColumns } from "./proposal.server";

export type ImportRowStatus =
  | { row: number; status: "new"; input: ProposalInput }
  | { row: number; status: "existing"; input: ProposalInput; existingId: number }
  | { row: number; status: "error"; errors: string[]; raw: Record<string, string> };

/**
 * Classify validated sheet rows against the database: new, already registered (identical:
 * skipped, so re-importing a file adds nothing), or in conflict (an error).
 */
export async function classifyImportRows(
  db: Db,
  rows: ({ row: number; input: ProposalInput } | { row: number; errors: string[]; raw: Record<string, string> })[],
): Promise<ImportRowStatus[]> {
  // each row under the name its 会议 is registered by (a short name, the stored full one)
  const names = await canonicalMeetings(
    db,
    rows.flatMap((r) => ("input" in r ? [r.input.meeting] : [])),
  );
  rows = rows.map((r) => ("input" in r ? { ...r, input: { ...r.input, meeting: names.get(r.input.meeting)! } } : r));
  const seen = new Map<string, number>();
  const out: ImportRowStatus[] = [];
  // what is registered already: one query per 会议 and thousand numbers, not one per row
  type Registered = {
    id: number;
    title: string;
    assignedOn: string;
    bureauRole: string;
    proposerTotal: number | null;
    leadUnit: string | null;
    receivedOn: string | null;
    notes: string;
    proposers: Proposer[];
  };
  const registered = new Map<string, Registered>();
  const byMeeting = new Map<string, string[]>();
  for (const r of rows) if ("input" in r) byMeeting.set(r.input.meeting, [...(byMeeting.get(r.input.meeting) ?? []), r.input.number]);
  for (const [meeting, numbers] of byMeeting) {
    for (let i = 0; i < numbers.length; i += 1000) {
      const found = await db
        .select({
          id: proposals.id,
          number: proposals.number,
          title: proposals.title,
          assignedOn: proposals.assignedOn,
          bureauRole: proposals.bureauRole,
          proposerTotal: proposals.proposerTotal,
          leadUnit: proposals.leadUnit,
          receivedOn: proposals.receivedOn,
          notes: proposals.notes,
          // names and kinds in order, as the sheet's cell reads
          proposers: sql<
            Proposer[]
          >`coalesce((select json_agg(json_build_object('kind', pr.kind, 'name', pr.name) order by pr.position) from ${proposers} pr where pr.proposal_id = ${proposals.id}), '[]'::json)`,
        })
        .from(proposals)
        .innerJoin(batches, eq(batches.id, proposals.batchId))
        .where(and(sameMeeting(meeting), inArray(proposals.number, numbers.slice(i, i + 1000))))
        // two batches that fold alike and both hold a number: the oldest answers, as findProposalByNumber
        .orderBy(asc(proposals.id));
      for (const f of found) if (!registered.has(`${meeting}\u0000${f.number}`)) registered.set(`${meeting}\u0000${f.number}`, f);
    }
  }
  for (const r of rows) {
    if (!("input" in r)) {
      out.push({ row: r.row, status: "error", errors: r.errors, raw: r.raw });
      continue;
    }
    const key = `${r.input.meeting}\u0000${r.input.number}`;
    const raw = { 会议: r.input.meeting, 提案号: r.input.number, 案由: r.input.title };
    if (seen.has(key)) {
      out.push({ row: r.row, status: "error", errors: [`与第 ${seen.get(key)} 行重复（同一会议、同一提案号）`], raw });
      continue;
    }
    seen.set(key, r.row);
    const future = assignedOnProblem(r.input.assignedOn, today());
    if (future && "refuse" in future) {
      out.push({ row: r.row, status: "error", errors: [future.refuse], raw });
      continue;
    }
    const received = receivedOnProblem(r.input, today());
    if (received) {
      out.push({ row: r.row, status: "error", errors: [`收到日期：${received}`], raw });
      continue;
    }
    const existing = registered.get(key);
    if (!existing) out.push({ row: r.row, status: "new", input: r.input });
    // (the stored 案由 cleaned as today's rule cleans the row: one saved before a cleaning rule changed is the same 案由)
    else if (cleanLine(existing.title) !== r.input.title) out.push({ row: r.row, status: "error", errors: [`该提案号已登记，但案由不同（已登记：《${existing.title}》）`], raw });
    // A corrected sheet (a new 交办日期 or 办理方式) must not be skipped as "already registered":
    // the deadline would stay as it was. The clerk corrects it through 修改登记信息.
    else if (existing.assignedOn !== r.input.assignedOn || existing.bureauRole !== r.input.bureauRole)
      out.push({
        row: r.row,
        status: "error",
        errors: [
          `该提案已登记，但${existing.assignedOn !== r.input.assignedOn ? `交办日期不同（已登记：${existing.assignedOn}）` : `办理方式不同（已登记：${BUREAU_ROLE_LABELS[existing.bureauRole as BureauRole]}）`}，请在该提案的“修改登记信息”中更正`,
        ],
        raw,
      });
    else {
      // Anything else the sheet says differently (a proposer added, 主办单位, 收到日期, 备注) must not be
      // skipped as "already registered" either: the clerk would believe it went in. An optional
      // column left empty contradicts nothing.
      const differs = [
        JSON.stringify(existing.proposers) !== JSON.stringify(r.input.proposers.map((p) => ({ kind: p.kind, name: p.name }))) ||
        (existing.proposerTotal ?? null) !== (r.input.proposerTotal ?? null)
          ? `提案者（已登记：${formatProposers(existing.proposers, existing.proposerTotal)}）`
          : null,
        r.input.leadUnit && r.input.leadUnit !== existing.leadUnit ? `主办单位（已登记：${existing.leadUnit ?? "未填"}）` : null,
        r.input.receivedOn && r.input.receivedOn !== existing.receivedOn ? `收到日期（已登记：${existing.receivedOn ?? "未填"}）` : null,
        r.input.notes && r.input.notes !== existing.notes ? "备注" : null,
      ].filter(Boolean);
      if (differs.length) out.push({ row: r.row, status: "error", errors: [`该提案已登记，但${differs.join("、")}不同，请在该提案的“修改登记信息”中更正`], raw });
      else out.push({ row: r.row, status: "existing", input: r.input, existingId: existing.id });
    }
  }
  return out;
}

/** Register every new row; the caller runs this in one transaction so a file goes in whole or not at all. */

/**
 * Registers the new rows of an import in bulk (a few statements per 500 rows instead of five
 * per row): the same columns, deadlines, proposers and history entry as registerProposal writes
 * for one. The caller runs it in a transaction: a clash (someone registered one of the numbers
 * meanwhile) fails the whole import, and nothing is written.
 */
export async function importProposals(db: Db, params: { rows: ImportRowStatus[]; actorId: string | null }) {
  if (params.rows.some((r) => r.status === "error")) throw new Error("导入文件中有错误的行，未导入任何提案。");
  const fresh = params.rows.flatMap((r) => (r.status === "new" ? [r.input] : []));
  const deadlines = await deadlineContext(db);
  const batchIds = new Map<string, number>();
  for (const m of new Set(fresh.map((i) => i.meeting))) batchIds.set(m, await ensureBatch(db, m));
  const now = today();
  for (let start = 0; start < fresh.length; start += IMPORT_CHUNK) {
    const part = fresh.slice(start, start + IMPORT_CHUNK);
    const planned = await Promise.all(
      part.map(async (input) => {
        const batchId = batchIds.get(input.meeting)!;
        return { input, batchId, due: deadlineColumns(input, deadlines.calendar, await deadlines.rulesFor(batchId)) };
      }),
    );
    const inserted = await db
      .insert(proposals)
      .values(planned.map((p) => ({ ...registrableColumns(p.batchId, p.input), createdBy: params.actorId, ...p.due })))
      .returning({ id: proposals.id, batchId: proposals.batchId, number: proposals.number });
    const idOf = new Map(inserted.map((r) => [`${r.batchId}:${r.number}`, r.id]));
    const withIds = planned.map((p) => ({ ...p, id: idOf.get(`${p.batchId}:${p.input.number}`)! }));
    await db.insert(proposers).values(withIds.flatMap((p) => p.input.proposers.map((x, i) => ({ proposalId: p.id, position: i + 1, kind: x.kind, name: x.name }))));
    await db.insert(events).values(
      withIds.map((p) => {
        const changes = diffFields({}, displayFields(p.input));
        changes.push({ field: "due", label: "办理期限", from: null, to: p.due.due });
        const future = assignedOnProblem(p.input.assignedOn, now);
        const notes = [...(future && "warn" in future ? [future.warn] : []), ...p.due.dueWarnings];
        return { proposalId: p.id, actorId: params.actorId, kind: "imported", changes, comment: notes.join("；") || null };
      }),
    );
  }
  return { created: fresh.length, skipped: params.rows.filter((r) => r.status === "existing").length };
}

/**
 * An import refused at its insert by the unique (会议, 提案号): one number twice in one 会议 whose
 * name the file wrote two ways the check could not join (nothing is written: the transaction fails).
 */
export const IMPORT_SPELLING_CLASH = "文件中有同一会议的同一提案号出现两次（会议名称的写法不同），未导入任何提案。请统一会议名称后重新导入。";

/** Rows per insert statement in a bulk import (×16 columns, far below PostgreSQL's 65,535 parameters). */
const IMPORT_CHUNK = 500;
