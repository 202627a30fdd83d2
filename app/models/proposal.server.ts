/**
 * Proposals: register, update, list (批量导入 in proposal-import.server.ts). Functions take (db, params) and never open
 * their own transaction, so a route can run several of them atomically in one.
 */
import { takeTurn } from "./locks.server";
import { and, asc, desc, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import { letterNumberPatterns, parseReferenceQuery } from "~/domain/library";
import { createHash } from "node:crypto";
import type { Db } from "#db/client.server";
import { attachments, batches, letters, proposalSearchText, proposals, proposers, users } from "#db/schema";
import { SEARCH_TERM_SEPARATORS } from "#db/search-text";
import { extractAttachmentText } from "./attachment-text.server";
import { assignedOnProblem, displayFields, diffFields, FIELD_LABELS, formatProposers, meetingKey, type BureauRole, type ProposalInput, type Proposer } from "~/domain/proposal";
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
import { DISSATISFIED_CHANGE, replacedByCorrection } from "./reply-rounds.server";
import { QUEUE_STATES, type ProposalQueue } from "~/domain/proposal-filters";
import { recordEvent } from "./event.server";
import { canonicalMeeting, sameMeeting } from "./meeting.server";
import { DUE_SOON_DAYS } from "~/domain/deadlines";

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
export function registrableColumns(batchId: number, input: ProposalInput) {
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

/**
 * A reply the proposer answered 不满意 (再办理) that went out 主动公开 and was never put on the public
 * site: the bureau still owes it there, beside the reply that follows. Sent: signed, not replaced by
 * a 更正 (which comes before sending), and followed by a later round or by the 再办理 under way —
 * 再办理, or 起草中 after 重新起草 before its letter is begun (a 不满意 since it was written; 起草中 for
 * a 更正 has none). A
 * withdrawn one is not owed again: putting it back is the withdrawer's call (republishEarlierReply).
 * `state`: the proposal's state column. `alias`: the letters alias the caller names the letter by.
 */
// (the proposal named as given, not as the letter's column, in the two subqueries: PostgreSQL
// then tests them after joining the few candidate letters, not on every signed letter: 3.3 → 1.8 ms)
export function earlierRepliesToPublish(proposalId: SQL | number, state: SQL, alias = "owed") {
  const e = (c: string) => sql.raw(`${alias}.${c}`);
  return sql`${e("proposal_id")} = ${proposalId} and ${e("state")} = 'signed' and ${e("final_letter")}->>'disclosure' = '主动公开'
    and (exists (select 1 from letters later where later.proposal_id = ${proposalId} and later.round > ${e("round")})
      or (${state} in ('rehandling', 'drafting') and exists (select 1 from events dis where dis.proposal_id = ${proposalId} and dis.kind = 'record_feedback'
        and dis.changes @> ${DISSATISFIED_CHANGE}::jsonb and dis.at > ${e("created_at")})))
    and not ${replacedByCorrection(alias)}
    and not exists (select 1 from publications pub where pub.letter_id = ${e("id")})`;
}

/** Whether the proposal has such an earlier reply (earlierRepliesToPublish) waiting for 公开. */
export const earlierReplyToPublishSql = sql<boolean>`(${proposals.bureauRole} <> 'co' and exists (select 1 from letters owed where ${earlierRepliesToPublish(sql`${proposals.id}`, sql`${proposals.state}`)}))`;

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
      earlierReplyToPublish: earlierReplyToPublishSql,
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
  /** Open proposals overdue, due within DUE_SOON_DAYS (from `today`), or either. */
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

/**
 * 待公开, first part: the latest reply, sent 主动公开 and never published (after 再办理 the first
 * reply stays public beside it) — not on the site, nor taken off by an admin (撤回公开: that waits
 * for them, not the registrar's 公开). As an anti-join on publications ⋈ letters, not the latest
 * letter looked up per candidate: the count of 3,000 candidates took 3 ms of PostgreSQL per home
 * page, now 1.6.
 */
export const latestReplyOwedSql = and(
  inArray(proposals.state, [...QUEUE_STATES.publish]),
  eq(proposals.disclosure, "public"),
  sql`${proposals.bureauRole} <> 'co'`,
  sql`not exists (select 1 from publications pub join letters pl on pl.id = pub.letter_id where pub.proposal_id = ${proposals.id}
      and not exists (select 1 from letters later where later.proposal_id = ${proposals.id} and later.state = 'signed' and later.round > pl.round))`,
)!;

/** 待公开, second part: an earlier reply owed since a 不满意 (only re-handled proposals have one: a few). */
export const earlierReplyOwedSql = sql`(${proposals.rehandlingFrom} is not null and ${earlierReplyToPublishSql})`;

/** The proposals in one of the home page's task lists (see QUEUE_STATES). */
export function queueConditions(queue: ProposalQueue): SQL[] {
  if (queue !== "publish") return [inArray(proposals.state, [...QUEUE_STATES[queue]])];
  // A union, not an OR: each part keeps its own plan and index (proposals_publish_due_idx;
  // proposals_rehandled_idx and letters_signed_disclosure_idx); as an OR, the anti-join became a subquery
  // per row. Inside each part "proposals" names the part's own table. (The home page's task list
  // reads the two parts apart: dashboard.server.ts taskQueue.)
  return [
    sql`${proposals.id} in (select ${proposals.id} from ${proposals} where ${latestReplyOwedSql}
      union all select ${proposals.id} from ${proposals} where ${earlierReplyOwedSql})`,
  ];
}

/** The list's filters as SQL conditions on proposals ⋈ batches — shared by the list and the deadline exports. */
export function proposalFilterConditions(f: Omit<ProposalFilters, "page" | "pageSize">): SQL[] {
  const where: SQL[] = [];
  if (f.due && f.today) {
    const due = sql`coalesce(${proposals.extendedDue}, ${proposals.due})`;
    where.push(sql`${proposals.state} not in ('replied', 'published', 'closed', 'transferred_out') and ${due} is not null`);
    if (f.due === "overdue") where.push(sql`${due} < ${f.today}::date`);
    else if (f.due === "week") where.push(sql`${due} >= ${f.today}::date and ${due} <= (${f.today}::date + ${DUE_SOON_DAYS}::int)`);
    else where.push(sql`${due} <= (${f.today}::date + ${DUE_SOON_DAYS}::int)`);
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
    // Same expression as the trigram index in the schema (punctuation left out), so longer terms use
    // it. Typed in full-width (an IME's ５G, １０１２１) it also finds the half-width form numbers and
    // titles are usually in.
    const text = proposalSearchText(proposals);
    const pattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => "\\" + c)}%`;
    // Each word of the search, as spaces and punctuation part them, is looked for on its own ("数字化
    // 转型", as the library search does); the text without its punctuation finds 专精特新小巨人 in
    // 专精特新“小巨人”企业, and a 案由 copied with its quotes.
    const terms = f.q.split(SEARCH_TERM_SEPARATORS).filter(Boolean);
    for (const term of terms.length ? terms : [f.q]) {
      const folded = term.normalize("NFKC");
      where.push(folded === term ? ilike(text, pattern(term)) : sql`(${ilike(text, pattern(term))} or ${ilike(text, pattern(folded))})`);
    }
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
