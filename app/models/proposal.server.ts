/**
 * Proposals: register, update, list, import. Functions take (db, params) and never open
 * their own transaction, so a route can run several of them atomically in one.
 */
import { takeTurn } from "./locks.server";
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { letterNumberPatterns, parseReferenceQuery } from "~/domain/library";
import { createHash } from "node:crypto";
import type { Db } from "#db/client.server";
import { attachments, batches, events, letters, proposals, proposers, users } from "#db/schema";
import { extractAttachmentText } from "./attachment-text.server";
import {
  assignedOnProblem,
  receivedOnProblem,
  BUREAU_ROLE_LABELS,
  displayFields,
  diffFields,
  FIELD_LABELS,
  formatProposers,
  meetingKey,
  type BureauRole,
  type ProposalInput,
  type Proposer,
} from "~/domain/proposal";
import {
  deadlineColumns,
  deadlineContext,
  deadlineSelection,
  dueInForce,
  extensionAgainst,
  firstReplyDue,
  grantedExtensions,
  deadlineMoved,
  today,
  type DeadlineContext,
} from "./deadline.server";
import { resolveNotices } from "./notification.server";
import { QUEUE_STATES, type ProposalQueue } from "~/domain/proposal-filters";
import { recordEvent } from "./event.server";
import { canonicalMeeting, canonicalMeetings, sameMeeting } from "./meeting.server";

export class DuplicateProposalError extends Error {
  constructor(
    public meeting: string,
    public number: string,
    public existingId: number,
  ) {
    super(`${meeting}第${number}号提案已经登记，不能重复登记。`);
    this.name = "DuplicateProposalError";
  }
}

export class VersionConflictError extends Error {
  constructor() {
    super("该提案已被其他人修改。请刷新页面查看最新内容后再保存。");
    this.name = "VersionConflictError";
  }
}

/** `text`: its text, when read already (readUpload reads it before any transaction starts); otherwise read when stored. */
export type UploadedFile = { fileName: string; mediaType: string; content: Buffer; text?: string | null };

/** The batch (会议) row for a meeting name, created on first use. */
export async function ensureBatch(db: Db, typed: string): Promise<number> {
  const meeting = await canonicalMeeting(db, typed);
  const [known] = await db.select({ id: batches.id }).from(batches).where(sameMeeting(meeting)).orderBy(asc(batches.id)).limit(1);
  if (known) return known.id;
  await db.insert(batches).values({ meeting }).onConflictDoNothing({ target: batches.meeting });
  const [row] = await db.select({ id: batches.id }).from(batches).where(eq(batches.meeting, meeting));
  return row.id;
}

/** Holds the proposal's row for the transaction and returns its version (null: no such proposal). */
export async function lockProposal(db: Db, id: number): Promise<number | null> {
  const [row] = await db.select({ version: proposals.version }).from(proposals).where(eq(proposals.id, id)).for("update");
  return row?.version ?? null;
}

export async function findProposalByNumber(db: Db, typed: string, number: string) {
  const meeting = await canonicalMeeting(db, typed);
  const [row] = await db
    .select({ id: proposals.id, title: proposals.title })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .where(and(sameMeeting(meeting), eq(proposals.number, number)))
    // two batches stored before names were folded may fold alike: the oldest answers, always the same
    .orderBy(asc(proposals.id))
    .limit(1);
  return row ?? null;
}

/** The columns a registration or an edit sets from the form/sheet input. */
function registrableColumns(batchId: number, input: ProposalInput) {
  return {
    batchId,
    number: input.number,
    title: input.title,
    bureauRole: input.bureauRole,
    assignedOn: input.assignedOn,
    receivedOn: input.receivedOn ?? null,
    notes: input.notes,
    leadUnit: input.leadUnit ?? null,
    proposerTotal: input.proposerTotal ?? null,
    proposerNames: formatProposers(input.proposers, input.proposerTotal),
  };
}

async function writeProposers(db: Db, proposalId: number, list: Proposer[]) {
  await db.delete(proposers).where(eq(proposers.proposalId, proposalId));
  await db.insert(proposers).values(list.map((p, i) => ({ proposalId, position: i + 1, kind: p.kind, name: p.name })));
}

export async function registerProposal(
  db: Db,
  params: { input: ProposalInput; actorId: string | null; file?: UploadedFile | null; eventKind?: "registered" | "imported"; deadlines?: DeadlineContext },
): Promise<number> {
  await lockRegistrations(db);
  const input = { ...params.input, meeting: await canonicalMeeting(db, params.input.meeting) };
  const existing = await findProposalByNumber(db, input.meeting, input.number);
  if (existing) throw new DuplicateProposalError(input.meeting, input.number, existing.id);
  const batchId = await ensureBatch(db, input.meeting);
  const dl = params.deadlines ?? (await deadlineContext(db));
  const due = deadlineColumns(input, dl.calendar, await dl.rulesFor(batchId));
  const [row] = await db
    .insert(proposals)
    .values({
      ...registrableColumns(batchId, input),
      createdBy: params.actorId,
      ...due,
    })
    .returning({ id: proposals.id });
  await writeProposers(db, row.id, input.proposers);
  const changes = diffFields({}, displayFields(input));
  changes.push({ field: "due", label: "办理期限", from: null, to: due.due });
  const future = assignedOnProblem(input.assignedOn, today());
  const notes = [...(future && "warn" in future ? [future.warn] : []), ...due.dueWarnings];
  await recordEvent(db, { proposalId: row.id, actorId: params.actorId, kind: params.eventKind ?? "registered", changes, comment: notes.join("；") || null });
  if (params.file) await addAttachment(db, { proposalId: row.id, file: params.file, actorId: params.actorId, quiet: true });
  return row.id;
}

/** Is this a unique violation? Raced registrations (batch, number) and a file imported twice at once end up here. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; constraint_name?: string; cause?: unknown; message?: string };
  if (err?.code === "23505") return true;
  if (err?.cause) return isUniqueViolation(err.cause);
  return /proposals_batch_number_uq/.test(String(err?.message ?? ""));
}

/** An edit refused for one field's value in view of what is recorded (the message goes beside that field). */
export class ProposalFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = "ProposalFieldError";
  }
}

export async function updateProposal(db: Db, params: { id: number; expectedVersion: number; input: ProposalInput; actorId: string; comment?: string | null }) {
  const current = await getProposal(db, params.id);
  if (!current) throw new Response("提案不存在", { status: 404 });
  if (current.version !== params.expectedVersion) throw new VersionConflictError();
  // answered before it was assigned? 发送答复 refuses the pair; so does a correction (it made 按时答复 of nonsense)
  if (params.input.assignedOn !== current.assignedOn) {
    const [r] = await db.select({ first: proposals.firstRepliedOn }).from(proposals).where(eq(proposals.id, params.id));
    const earliest = r?.first ?? current.repliedOn;
    if (earliest && params.input.assignedOn > earliest) throw new ProposalFieldError("assignedOn", `交办日期不能晚于答复日期（${earliest}）。`);
  }
  // the stored name, when the form's folds to it: not a change of 会议 in the history, nor of batch
  // (two batches stored before names were folded may fold alike: the proposal stays in its own)
  const typed = await canonicalMeeting(db, params.input.meeting);
  const keepsMeeting = meetingKey(typed) === meetingKey(current.meeting);
  const input = { ...params.input, meeting: keepsMeeting ? current.meeting : typed };
  if (input.meeting !== current.meeting || input.number !== current.number) {
    await lockRegistrations(db);
    const clash = await findProposalByNumber(db, input.meeting, input.number);
    if (clash && clash.id !== params.id) throw new DuplicateProposalError(input.meeting, input.number, clash.id);
  }
  const changes = diffFields(displayFields({ ...current, receivedOn: current.receivedOn ?? undefined, leadUnit: current.leadUnit ?? undefined }), displayFields(input));
  // "民建市委会、张三委员" reads the same whether 民建市委会 is a body or a member: a change of kind
  // alone is still a change (it decides the letter's addressee), recorded with the kinds named.
  const kinds = (list: readonly { kind: string; name: string }[]) => list.map((p) => `${p.name}（${p.kind === "body" ? "单位" : "委员"}）`).join("、");
  if (!changes.some((c) => c.field === "proposers") && kinds(current.proposers) !== kinds(input.proposers))
    changes.push({ field: "proposers", label: FIELD_LABELS.proposers ?? "提案者", from: kinds(current.proposers), to: kinds(input.proposers) });
  if (changes.length === 0) return { changed: false };
  const batchId = keepsMeeting ? current.batchId : await ensureBatch(db, input.meeting);
  const datesChanged = input.assignedOn !== current.assignedOn || input.bureauRole !== current.bureauRole || input.meeting !== current.meeting;
  let due = {};
  let extensionSuperseded: { extendedDue: string; due: string } | null = null;
  // Also once answered: the deadline follows the corrected assignment, so that 按时/超期 is right.
  if (datesChanged) {
    const dl = await deadlineContext(db);
    const cols = deadlineColumns({ ...input, rehandlingFrom: current.rehandlingFrom }, dl.calendar, await dl.rulesFor(batchId));
    if (cols.due !== current.due) changes.push({ field: "due", label: "办理期限", from: current.due, to: cols.due });
    due = cols;
    // After 再办理 the first reply's deadline is kept apart for 按时/超期 (statistics): it follows the
    // corrected assignment too — with an extension granted before 再办理 if that is later.
    if (current.rehandlingFrom) {
      const [kept] = await db.select({ firstDue: proposals.firstDue }).from(proposals).where(eq(proposals.id, params.id));
      if (kept?.firstDue) {
        const firstDue = await firstReplyDue(db, { id: params.id, ...input, rehandlingFrom: current.rehandlingFrom }, dl.calendar, await dl.rulesFor(batchId));
        if (firstDue && firstDue !== kept.firstDue) {
          changes.push({ field: "firstDue", label: "首次答复期限", from: kept.firstDue, to: firstDue });
          due = { ...due, firstDue };
        }
      }
    }
    // An extension is a later date granted for a reason: if the corrected deadline is later still, the
    // later one holds; if it comes back before a granted extension, that extension holds again.
    const extension = extensionAgainst({ extendedDue: current.extendedDue, granted: (await grantedExtensions(db, [params.id])).get(params.id), due: cols.due });
    if (extension.change) {
      if (current.extendedDue && !extension.extendedDue) extensionSuperseded = { extendedDue: current.extendedDue, due: cols.due! };
      due = { ...due, extendedDue: extension.extendedDue };
      changes.push(extension.change);
    }
  }
  const updated = await db
    .update(proposals)
    .set({
      ...due,
      ...registrableColumns(batchId, input),
      version: sql`${proposals.version} + 1`,
      updatedAt: new Date(),
    })
    // The version in the WHERE makes the check and the write one atomic step.
    .where(and(eq(proposals.id, params.id), eq(proposals.version, params.expectedVersion)))
    .returning({ id: proposals.id });
  if (updated.length === 0) throw new VersionConflictError();
  await writeProposers(db, params.id, input.proposers);
  await recordEvent(db, { proposalId: params.id, actorId: params.actorId, kind: "updated", changes, comment: params.comment });
  const after = { due: "due" in due ? (due.due as string | null) : current.due, extendedDue: "extendedDue" in due ? (due.extendedDue as string | null) : current.extendedDue };
  await deadlineMoved(db, {
    proposalId: params.id,
    number: input.number,
    state: current.state,
    handlerId: current.handlerId,
    from: dueInForce(current),
    to: dueInForce(after),
    why: "登记信息已更正",
    actorId: params.actorId,
  });
  // "延期已批准，新期限 …" is no longer the date in force
  if (extensionSuperseded) await resolveNotices(db, { proposalId: params.id, kinds: ["extension_decided"] });
  return { changed: true, extensionSuperseded };
}

/**
 * A value of the proposal's latest signed reply (`l` is that letter), as a subquery of a query
 * over proposals: one index lookup (letters_proposal_round_uq). Given a limit, PostgreSQL
 * evaluates it after the sort and limit, so only for the rows returned.
 */
export const ofLatestSignedLetter = <T>(value: SQL) =>
  sql<T>`(select ${value} from letters l where l.proposal_id = ${proposals.id} and l.state = 'signed' order by l.round desc limit 1)`;

/** Whether the latest signed reply is on the public site now (published and not withdrawn). */
export const replyPublishedSql = sql<boolean>`exists (select 1 from publications pub where pub.proposal_id = ${proposals.id} and pub.withdrawn_at is null and pub.letter_id = ${ofLatestSignedLetter(sql`l.id`)})`;

/** Whether the latest signed reply was taken off the public site (撤回公开) and is not back on it. */
export const replyWithdrawnSql = sql<boolean>`(not ${replyPublishedSql} and exists (select 1 from publications pub where pub.proposal_id = ${proposals.id} and pub.withdrawn_at is not null and pub.letter_id = ${ofLatestSignedLetter(sql`l.id`)}))`;

export async function getProposal(db: Db, id: number) {
  const [row] = await db
    .select({
      id: proposals.id,
      batchId: proposals.batchId,
      meeting: batches.meeting,
      number: proposals.number,
      title: proposals.title,
      bureauRole: proposals.bureauRole,
      assignedOn: proposals.assignedOn,
      receivedOn: proposals.receivedOn,
      notes: proposals.notes,
      state: proposals.state,
      version: proposals.version,
      handlerId: proposals.handlerId,
      handlerName: users.displayName,
      handlerPhone: proposals.handlerPhone,
      replyDue: proposals.replyDue,
      coHandlingDue: proposals.coHandlingDue,
      due: proposals.due,
      extendedDue: proposals.extendedDue,
      rehandlingFrom: proposals.rehandlingFrom,
      reassignmentWindowEnds: proposals.reassignmentWindowEnds,
      dueWarnings: proposals.dueWarnings,
      repliedOn: proposals.repliedOn,
      replyChannel: proposals.replyChannel,
      disclosure: proposals.disclosure,
      disclosureReason: proposals.disclosureReason,
      stateBeforeReassignment: proposals.stateBeforeReassignment,
      transferredTo: proposals.transferredTo,
      leadUnit: proposals.leadUnit,
      proposerTotal: proposals.proposerTotal,
      feedback: proposals.feedback,
      replyPublished: replyPublishedSql,
      replyWithdrawn: replyWithdrawnSql,
      batchRules: batches.rules,
      createdAt: proposals.createdAt,
      updatedAt: proposals.updatedAt,
    })
    .from(proposals)
    .innerJoin(batches, eq(batches.id, proposals.batchId))
    .leftJoin(users, eq(users.id, proposals.handlerId))
    .where(eq(proposals.id, id));
  if (!row) return null;
  const list = await db.select({ kind: proposers.kind, name: proposers.name }).from(proposers).where(eq(proposers.proposalId, id)).orderBy(asc(proposers.position));
  const files = await db
    .select({ id: attachments.id, fileName: attachments.fileName, mediaType: attachments.mediaType, size: attachments.size, uploadedAt: attachments.uploadedAt })
    .from(attachments)
    .where(eq(attachments.proposalId, id))
    .orderBy(asc(attachments.id));
  return { ...row, proposers: list as Proposer[], attachments: files };
}

export type ProposalFilters = {
  meeting?: string;
  /** Open proposals overdue, due within a week (from `today`), or either. */
  due?: "overdue" | "week" | "urgent";
  today?: string;
  role?: BureauRole;
  state?: string;
  queue?: ProposalQueue;
  q?: string;
  /** Restrict to one handler's proposals (handlers without proposal.read_all). */
  handlerId?: string;
  page: number;
  pageSize: number;
};

/** The proposals in one of the home page's task lists (see QUEUE_STATES). */
export function queueConditions(queue: ProposalQueue): SQL[] {
  const where: SQL[] = [inArray(proposals.state, [...QUEUE_STATES[queue]])];
  if (queue === "publish") {
    where.push(
      eq(proposals.disclosure, "public"),
      sql`${proposals.bureauRole} <> 'co'`,
      // the latest reply never published (after 再办理 the first reply stays public beside it) — not
      // on the site, nor taken off by an admin (撤回公开: that waits for them, not the registrar's 公开)
      // (as an anti-join on publications ⋈ letters, not the latest letter looked up per candidate:
      // the count of 3,000 candidates took 3 ms of PostgreSQL per home page, now 1.6)
      sql`not exists (select 1 from publications pub join letters pl on pl.id = pub.letter_id where pub.proposal_id = ${proposals.id}
        and not exists (select 1 from letters later where later.proposal_id = ${proposals.id} and later.state = 'signed' and later.round > pl.round))`,
    );
  }
  return where;
}

/** The list's filters as SQL conditions on proposals ⋈ batches — shared by the list and the deadline exports. */
export function proposalFilterConditions(f: Omit<ProposalFilters, "page" | "pageSize">): SQL[] {
  const where: SQL[] = [];
  if (f.due && f.today) {
    const due = sql`coalesce(${proposals.extendedDue}, ${proposals.due})`;
    where.push(sql`${proposals.state} not in ('replied', 'published', 'closed', 'transferred_out') and ${due} is not null`);
    if (f.due === "overdue") where.push(sql`${due} < ${f.today}::date`);
    else if (f.due === "week") where.push(sql`${due} >= ${f.today}::date and ${due} <= (${f.today}::date + 6)`);
    else where.push(sql`${due} <= (${f.today}::date + 6)`);
  }
  if (f.queue) where.push(...queueConditions(f.queue));
  // a subquery, not the join, so that counting needs no join
  if (f.meeting) where.push(sql`${proposals.batchId} in (select ${batches.id} from ${batches} where ${sameMeeting(f.meeting)})`);
  if (f.role) where.push(eq(proposals.bureauRole, f.role));
  if (f.state) where.push(eq(proposals.state, f.state));
  if (f.handlerId) where.push(eq(proposals.handlerId, f.handlerId));
  const ref = f.q ? parseReferenceQuery(f.q) : null;
  // "第10121号" as the list prints a number (copied, or typed so): that proposal — or, for a
  // short number, also the proposal a letter "…108号" answered.
  const printed = f.q ? /^第?(\d{1,10})号$/u.exec(f.q.normalize("NFKC").replace(/\s+/g, "")) : null;
  if (ref?.kind === "letter") {
    // "108号", "东工信函〔2021〕108号": the proposal that letter answered.
    const { like, regex } = letterNumberPatterns(ref);
    const answered = sql`exists (select 1 from ${letters} l where l.proposal_id = ${proposals.id} and l.document_number like ${like} and l.document_number ~ ${regex})`;
    where.push(printed && ref.year === null && ref.prefix === null ? sql`(${answered} or ${proposals.number} = ${printed[1]})` : answered);
  } else if (ref?.kind === "proposal") {
    where.push(eq(proposals.number, ref.number));
  } else if (printed) {
    where.push(eq(proposals.number, printed[1]!));
  } else if (f.q) {
    // Same expression as the trigram index in the schema, so longer terms use it. Typed in
    // full-width (an IME's ５G, １０１２１) it also finds the half-width form numbers and titles are usually in.
    const text = sql`(${proposals.number} || ' ' || ${proposals.title} || ' ' || ${proposals.proposerNames})`;
    const pattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    const folded = f.q.normalize("NFKC");
    where.push(folded === f.q ? ilike(text, pattern(f.q)) : sql`(${ilike(text, pattern(f.q))} or ${ilike(text, pattern(folded))})`);
  }
  return where;
}

export async function listProposals(db: Db, f: ProposalFilters) {
  const where = proposalFilterConditions(f);
  const cond = where.length ? and(...where) : undefined;
  const [[{ total }], rows] = await Promise.all([
    db.select({ total: sql<number>`count(*)::int` }).from(proposals).where(cond),
    db
      .select({
        id: proposals.id,
        // 分派所选 posts the version each row was shown at
        version: proposals.version,
        meeting: batches.meeting,
        number: proposals.number,
        title: proposals.title,
        bureauRole: proposals.bureauRole,
        assignedOn: proposals.assignedOn,
        state: proposals.state,
        proposerNames: proposals.proposerNames,
        handlerName: users.displayName,
        documentNumber: ofLatestSignedLetter<string | null>(sql`l.document_number`),
        ...deadlineSelection,
      })
      .from(proposals)
      .innerJoin(batches, eq(batches.id, proposals.batchId))
      .leftJoin(users, eq(users.id, proposals.handlerId))
      .where(cond)
      .orderBy(desc(proposals.assignedOn), desc(proposals.id))
      .limit(f.pageSize)
      .offset((f.page - 1) * f.pageSize),
  ]);
  return { rows, total, pageCount: Math.max(1, Math.ceil(total / f.pageSize)) };
}

export async function listMeetings(db: Db) {
  const rows = await db.select({ meeting: batches.meeting }).from(batches).orderBy(desc(batches.id));
  return rows.map((r) => r.meeting);
}

export async function addAttachment(db: Db, params: { proposalId: number; file: UploadedFile; actorId: string | null; quiet?: boolean }) {
  const { file } = params;
  const sha256 = createHash("sha256").update(file.content).digest("hex");
  const [row] = await db
    .insert(attachments)
    .values({
      proposalId: params.proposalId,
      fileName: file.fileName,
      mediaType: file.mediaType,
      size: file.content.length,
      sha256,
      content: file.content,
      text: file.text !== undefined ? file.text : await extractAttachmentText(file),
      uploadedBy: params.actorId,
    })
    .returning({ id: attachments.id });
  await recordEvent(db, {
    proposalId: params.proposalId,
    actorId: params.actorId,
    kind: "attachment_added",
    changes: [{ field: "attachment", label: "原件", from: null, to: `${file.fileName}（${Math.ceil(file.content.length / 1024)} KB）` }],
  });
  return row.id;
}

export async function getAttachment(db: Db, proposalId: number, attachmentId: number) {
  const [row] = await db
    .select()
    .from(attachments)
    .where(and(eq(attachments.id, attachmentId), eq(attachments.proposalId, proposalId)));
  return row ?? null;
}

// ── bulk import ────────────────────────────────────────────────────────
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
    else if (existing.title !== r.input.title) out.push({ row: r.row, status: "error", errors: [`该提案号已登记，但案由不同（已登记：《${existing.title}》）`], raw });
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
 * Registrations take turns (a transaction-scoped advisory lock): imports, the form and a change
 * of number in 修改登记信息. Two identical confirms at once — a double click, two clerks — register
 * the batch once, and a number registered by the form while an import is checked is seen by its
 * check, not met as a unique violation at its insert. Call before looking a number up, in the
 * transaction that writes it.
 */
export async function lockRegistrations(db: Db) {
  await takeTurn(db, "proposal-registration");
}

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
