/**
 * The one schema. Both drivers (PGlite and postgres.js) run the same migrations
 * generated from this file by drizzle-kit (db/migrations).
 */
import { sql } from "drizzle-orm";
import { bigserial, boolean, customType, date, index, integer, jsonb, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { SEARCH_PUNCTUATION_SQL } from "./search-text";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  // PGlite hands back Uint8Array, postgres.js a Buffer: normalise to Buffer.
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/**
 * What the proposal list's search looks in: number, 案由 and proposers, without punctuation
 * (db/search-text.ts). The list's query uses this very expression, so its trigram index serves it.
 */
export const proposalSearchText = (t: { number: AnyPgColumn; title: AnyPgColumn; proposerNames: AnyPgColumn }) =>
  sql`regexp_replace(${t.number} || ' ' || ${t.title} || ' ' || ${t.proposerNames}, ${sql.raw(SEARCH_PUNCTUATION_SQL)}, '', 'g')`;

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

// ── people and sessions ────────────────────────────────────────────────
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  role: text("role", { enum: ["admin", "registrar", "handler", "leader", "viewer"] }).notNull(),
  phone: text("phone"),
  /** For e-mail notices when SMTP is configured; optional. */
  email: text("email"),
  /** When the address was set: only notices created after it are mailed (no backlog to a new address). */
  emailSetAt: timestamp("email_set_at", { withTimezone: true, mode: "date" }),
  passwordHash: text("password_hash").notNull(),
  /** Set when an admin sets the password: the user chooses their own at next sign-in. */
  mustChangePassword: boolean("must_change_password").notNull().default(false),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: createdAt(),
});

export const sessions = pgTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  /** Shown on 个人设置 so a user recognises their sessions. */
  createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).defaultNow(),
  address: text("address"),
  userAgent: text("user_agent"),
});

/**
 * Security audit log (等保 2.0 安全审计): append-only, never updated or deleted by the app.
 * The actor's name is kept as it was, so the log reads the same after a user is renamed.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    actorId: text("actor_id").references(() => users.id, { onDelete: "set null" }),
    actorName: text("actor_name"),
    address: text("address"),
    action: text("action").notNull(),
    /** What it was about: a user name, a proposal, a path, a 文号. */
    target: text("target"),
    detail: text("detail"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_action_idx").on(t.action, t.at), index("audit_log_actor_idx").on(t.actorId, t.at)],
);

/** Failed sign-ins per key ("user:<name>" or "ip:<address>"), for throttling. */
export const signInThrottles = pgTable("sign_in_throttles", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStartedAt: timestamp("window_started_at", { withTimezone: true, mode: "date" }).notNull(),
  lockedUntil: timestamp("locked_until", { withTimezone: true, mode: "date" }),
});

// ── proposals ─────────────────────────────────────────────────────────
/** A session's 交办 batch (会议), e.g. 东莞市政协第十三届六次会议. Deadline rules live here later. */
export const batches = pgTable("batches", {
  id: serial("id").primaryKey(),
  meeting: text("meeting").notNull().unique(),
  rules: jsonb("rules"),
  createdAt: createdAt(),
});

export const proposals = pgTable(
  "proposals",
  {
    id: serial("id").primaryKey(),
    batchId: integer("batch_id")
      .notNull()
      .references(() => batches.id),
    number: text("number").notNull(),
    title: text("title").notNull(),
    bureauRole: text("bureau_role", { enum: ["lead", "co", "split"] }).notNull(),
    assignedOn: date("assigned_on", { mode: "string" }).notNull(),
    receivedOn: date("received_on", { mode: "string" }),
    notes: text("notes").notNull().default(""),
    state: text("state").notNull().default("received"),
    handlerId: text("handler_id").references(() => users.id),
    /** The 承办人's contact phone as it will print on the letter (set at assignment, editable). */
    handlerPhone: text("handler_phone"),
    // ── deadlines (computed from 交办日期, the batch's rules and the official calendar) ──
    replyDue: date("reply_due", { mode: "string" }),
    coHandlingDue: date("co_handling_due", { mode: "string" }),
    /** This bureau's own deliverable: the 会办意见 for 会办, else the reply. */
    due: date("due", { mode: "string" }),
    /** Set by an approved extension; wins over `due`. */
    extendedDue: date("extended_due", { mode: "string" }),
    /** Null when the calendar does not cover the year (see dueWarnings). */
    reassignmentWindowEnds: date("reassignment_window_ends", { mode: "string" }),
    dueWarnings: jsonb("due_warnings").$type<string[]>().notNull().default([]),
    /** The clock stops here (答复发出). */
    repliedOn: date("replied_on", { mode: "string" }),
    replyChannel: text("reply_channel"),
    // ── workflow details ──
    disclosure: text("disclosure", { enum: ["public", "on_request", "not_public"] }),
    disclosureReason: text("disclosure_reason"),
    stateBeforeReassignment: text("state_before_reassignment"),
    transferredTo: text("transferred_to"),
    /** 会办: the lead unit that receives our 会办意见. */
    leadUnit: text("lead_unit"),
    feedback: text("feedback", { enum: ["satisfied", "basically_satisfied", "dissatisfied"] }),
    /** Bumped on every change; a write names the version it read (optimistic locking). */
    version: integer("version").notNull().default(1),
    /** 再办理 started on this day (proposer 不满意): the reply is due from here (rules.rehandlingMonths). */
    rehandlingFrom: date("rehandling_from", { mode: "string" }),
    /**
     * The first reply, kept when 再办理 clears repliedOn and moves the deadline: its date and the
     * deadline it had (an extension included). 按时/超期 in the statistics are about this reply.
     */
    firstRepliedOn: date("first_replied_on", { mode: "string" }),
    firstDue: date("first_due", { mode: "string" }),
    /** Who handled the proposal when the first reply went out (承办人 statistics credit it to them after 改派). */
    firstHandlerId: text("first_handler_id").references(() => users.id),
    /** Members who signed when more signed than are named ("张三、李四等3位委员"); null: all are named. */
    proposerTotal: integer("proposer_total"),
    /** Denormalised "张三、李四" for listing and text search; proposers table is the truth. */
    proposerNames: text("proposer_names").notNull().default(""),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("proposals_batch_number_uq").on(t.batchId, t.number),
    index("proposals_state_idx").on(t.state),
    index("proposals_role_idx").on(t.bureauRole),
    index("proposals_created_idx").on(t.createdAt, t.id),
    // the proposal list's order (newest assignment first): a page is an index range, not a sort of every row
    index("proposals_assigned_idx").on(t.assignedOn, t.id),
    // the home page's open deadlines (counts, chart, most urgent first) and its 待公开 list: the
    // few rows they concern, in deadline order, instead of every proposal of every year
    index("proposals_open_due_idx").on(sql`coalesce(${t.extendedDue}, ${t.due})`, t.id).where(sql`${t.state} not in ('replied', 'published', 'closed', 'transferred_out')`),
    index("proposals_publish_due_idx")
      .on(sql`coalesce(${t.extendedDue}, ${t.due})`, t.id)
      .where(sql`${t.state} in ('replied', 'closed') and ${t.disclosure} = 'public' and ${t.bureauRole} <> 'co'`),
    // 待公开's second arm: the re-handled proposals, the only ones with an earlier reply that may be owed
    index("proposals_rehandled_idx").on(t.id).where(sql`${t.rehandlingFrom} is not null`),
    // a handler's proposals by state (their home page's counts and 待办 count): read from the index alone
    index("proposals_handler_idx").on(t.handlerId, t.state),
    index("proposals_due_idx").on(t.due),
    index("proposals_search_stripped_trgm_idx").using("gin", sql`(${proposalSearchText(t)}) gin_trgm_ops`),
  ],
);

export const proposers = pgTable(
  "proposers",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    kind: text("kind", { enum: ["body", "member"] }).notNull(),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("proposers_position_uq").on(t.proposalId, t.position)],
);

export const attachments = pgTable(
  "attachments",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    purpose: text("purpose", { enum: ["original"] })
      .notNull()
      .default("original"),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    /** Plain text read from the file (PDF, DOCX, TXT) for finding similar past replies; null when unreadable. */
    text: text("text"),
    uploadedBy: text("uploaded_by").references(() => users.id),
    uploadedAt: timestamp("uploaded_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [index("attachments_proposal_idx").on(t.proposalId)],
);

/** Append-only history. Never updated or deleted by the application. */
export const events = pgTable(
  "events",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    actorId: text("actor_id").references(() => users.id),
    at: timestamp("at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    kind: text("kind").notNull(),
    comment: text("comment"),
    changes: jsonb("changes").$type<FieldChange[]>().notNull().default([]),
    /**
     * The proposal's columns as they were before this step, where the step can be taken back:
     * 登记征询意见 (更正征询意见 puts them back; feedback.server.ts correctFeedback).
     */
    restore: jsonb("restore").$type<Record<string, unknown>>(),
  },
  (t) => [
    index("events_proposal_idx").on(t.proposalId, t.id),
    // the statistics' earlier 再办理 replies read every 登记征询意见 of the scope, not the whole history
    index("events_feedback_idx").on(t.proposalId, t.id).where(sql`${t.kind} = 'record_feedback'`),
  ],
);

export type FieldChange = { field: string; label: string; from: string | null; to: string | null };

/** Small key/value facts about this database (e.g. that demo data was loaded). */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

// ── workflow and deadlines ─────────────────────────────────────────────
/** 延期: requested with a reason, decided by an admin or leader; old and new dates kept. */
export const extensions = pgTable(
  "extensions",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    requestedBy: text("requested_by").references(() => users.id),
    requestedAt: timestamp("requested_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    reason: text("reason").notNull(),
    oldDue: date("old_due", { mode: "string" }).notNull(),
    newDue: date("new_due", { mode: "string" }).notNull(),
    // lapsed: still pending when the clock it asked to move stopped (reply sent, 再办理, transferred out)
    status: text("status", { enum: ["requested", "approved", "rejected", "lapsed"] })
      .notNull()
      .default("requested"),
    decidedBy: text("decided_by").references(() => users.id),
    decidedAt: timestamp("decided_at", { withTimezone: true, mode: "date" }),
    decisionComment: text("decision_comment"),
  },
  (t) => [index("extensions_proposal_idx").on(t.proposalId), index("extensions_status_idx").on(t.status)],
);

/** When the bureau leads: the co-handling units and whether each has sent its opinion. */
export const coUnits = pgTable(
  "co_units",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    opinionReceivedOn: date("opinion_received_on", { mode: "string" }),
  },
  (t) => [uniqueIndex("co_units_name_uq").on(t.proposalId, t.name)],
);

/** The official calendar: overrides of the weekday/weekend rule, valid only for covered years. */
export const calendarYears = pgTable("calendar_years", {
  year: integer("year").primaryKey(),
  source: text("source").notNull(),
  /**
   * Its whole arrangement is in: shipped data, or an admin's confirmation after entering the days
   * by hand. Until then the year is unknown (one holiday typed in is not the year's 春节).
   */
  complete: boolean("complete").notNull().default(false),
  updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
});

export const calendarDays = pgTable("calendar_days", {
  day: date("day", { mode: "string" }).primaryKey(),
  kind: text("kind", { enum: ["holiday", "workday"] }).notNull(),
  name: text("name"),
  /** "chinese-days@1.5.7" for shipped data, "admin" for edits made in the UI. */
  source: text("source").notNull(),
});

export const notifications = pgTable(
  "notifications",
  {
    id: serial("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    proposalId: integer("proposal_id").references(() => proposals.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    message: text("message").notNull(),
    /** Makes reminders idempotent: one "due in 7 days" notice per user and proposal. */
    dedupeKey: text("dedupe_key"),
    /** A notice about several proposals (moved deadlines, `proposalId` null): the ones it lists. */
    coveredProposalIds: integer("covered_proposal_ids").array(),
    createdAt: createdAt(),
    readAt: timestamp("read_at", { withTimezone: true, mode: "date" }),
    /** The task the notice is about was done (signed, decided, acknowledged…): listed as done, no longer counted. */
    resolvedAt: timestamp("resolved_at", { withTimezone: true, mode: "date" }),
    /** A newer reminder about the same deadline reached the user before they read this one: listed, no longer counted or mailed. */
    supersededAt: timestamp("superseded_at", { withTimezone: true, mode: "date" }),
    /** Mailed (the SMTP server took it). */
    emailedAt: timestamp("emailed_at", { withTimezone: true, mode: "date" }),
    /** Taken for mailing by a delivery run; a claim older than EMAIL_CLAIM_MS lost its process and is taken again. */
    emailClaimedAt: timestamp("email_claimed_at", { withTimezone: true, mode: "date" }),
    /** The mail server refused the address for good (a 5xx reply): not sent again; the user is told on 个人设置. */
    emailFailedAt: timestamp("email_failed_at", { withTimezone: true, mode: "date" }),
    emailError: text("email_error"),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.readAt), uniqueIndex("notifications_dedupe_uq").on(t.userId, t.dedupeKey)],
);

// ── paragraph library ──────────────────────────────────────────────────
// Reusable policy paragraphs, their immutable versions, where they were used, and the
// search index. See app/domain/library.ts (search model) and app/models/paragraph*.server.ts.
// (A second import statement keeps this section self-contained; imports are hoisted.)
import { doublePrecision, primaryKey, type AnyPgColumn } from "drizzle-orm/pg-core";

/** A source file imported into the library (policy document or past reply letter), kept as uploaded. */
export const libraryDocuments = pgTable(
  "library_documents",
  {
    id: serial("id").primaryKey(),
    kind: text("kind", { enum: ["policy", "letter"] }).notNull(),
    title: text("title").notNull(),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
    /** How the file was read: "utf-8", "gb18030", "utf-16le", "docx". */
    encoding: text("encoding").notNull(),
    /** Letters: 东工信函〔2021〕108号, and the frame read from the letter (addressee, 案由, date…). */
    letterNumber: text("letter_number"),
    letterFrame: jsonb("letter_frame").$type<Record<string, string>>(),
    proposalId: integer("proposal_id").references(() => proposals.id, { onDelete: "set null" }),
    /** When the document's facts were current (the letter's date, the policy's date): its paragraphs' default "as of". */
    asOf: date("as_of", { mode: "string" }),
    summary: jsonb("summary").$type<{ created: number; linked: number; updated: number; skipped: number }>().notNull(),
    importedBy: text("imported_by").references(() => users.id),
    importedAt: timestamp("imported_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("library_documents_sha256_uq").on(t.sha256), index("library_documents_letter_idx").on(t.letterNumber)],
);

/**
 * A file read by the library import's first step, kept until its plan is imported (deleted in the
 * same transaction) or for a day. The plan page used to carry the file back and forth as base64 in
 * a hidden field and in its data: a 5 MB Word file with pictures made every plan page ~14 MB,
 * rendered on the server's thread and posted back at each 合并/拆分.
 */
export const libraryImportUploads = pgTable(
  "library_import_uploads",
  {
    /** Random, unguessable: the plan page names the upload by it (and only its uploader may use it). */
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    fileName: text("file_name").notNull(),
    content: bytea("content").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("library_import_uploads_user_idx").on(t.userId, t.createdAt), index("library_import_uploads_created_idx").on(t.createdAt)],
);

export const paragraphs = pgTable(
  "paragraphs",
  {
    id: serial("id").primaryKey(),
    currentVersionId: integer("current_version_id").references((): AnyPgColumn => paragraphVersions.id),
    /** Number of the current version; an edit names the version it read (optimistic locking). */
    version: integer("version").notNull().default(0),
    status: text("status", { enum: ["active", "retired"] })
      .notNull()
      .default("active"),
    kind: text("kind", { enum: ["paragraph", "box", "table"] })
      .notNull()
      .default("paragraph"),
    ownerId: text("owner_id").references(() => users.id),
    // Denormalised from the current version, for lists and filters.
    title: text("title").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    sourceDocumentId: integer("source_document_id").references(() => libraryDocuments.id),
    asOf: date("as_of", { mode: "string" }),
    // Search (app/domain/library.ts): normalised title / tags / body and their bigrams.
    searchTitle: text("search_title").notNull().default(""),
    searchTags: text("search_tags").notNull().default(""),
    searchBody: text("search_body").notNull().default(""),
    bodyLength: integer("body_length").notNull().default(0),
    grams: text("grams").array().notNull().default(sql`'{}'::text[]`),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    retiredAt: timestamp("retired_at", { withTimezone: true, mode: "date" }),
    retiredBy: text("retired_by").references(() => users.id),
  },
  (t) => [
    index("paragraphs_grams_gin").using("gin", t.grams),
    index("paragraphs_tags_gin").using("gin", t.tags),
    index("paragraphs_status_idx").on(t.status),
    index("paragraphs_source_idx").on(t.sourceDocumentId),
    index("paragraphs_updated_idx").on(t.updatedAt, t.id),
  ],
);

/** Immutable: an edit adds a version; a letter keeps the version it used. */
export const paragraphVersions = pgTable(
  "paragraph_versions",
  {
    id: serial("id").primaryKey(),
    paragraphId: integer("paragraph_id")
      .notNull()
      .references(() => paragraphs.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    kind: text("kind", { enum: ["paragraph", "box", "table"] })
      .notNull()
      .default("paragraph"),
    sourceDocumentId: integer("source_document_id").references(() => libraryDocuments.id),
    /** Heading path in the source: "三、重点任务 / （一）构建产业发展新格局". */
    sourceSection: text("source_section"),
    /** When the facts and figures it states were current. */
    asOf: date("as_of", { mode: "string" }),
    /**
     * The heading the paragraph carries in its source, inserted with it: an inline lead
     * ("三、系统规划引领。"), or (`standalone`) a heading on its own line just above it.
     */
    lead: jsonb("lead").$type<{ level: 1 | 2; text: string; standalone?: boolean }>(),
    /** Responsibility tags of a policy plan ("（市工业和信息化局牵头，市发展改革局配合）"): shown, not inserted. */
    annotation: text("annotation"),
    /** 修改说明 for edits; "导入" notes for imports. */
    note: text("note"),
    authorId: text("author_id").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("paragraph_versions_number_uq").on(t.paragraphId, t.number)],
);

/**
 * Where a paragraph was used: a letter revision (drafting) or an imported document (a past
 * letter, or a policy document it also appears in). The letters tables come with the drafting
 * issue, so `letterRevisionId` is a plain integer without a foreign key for now;
 * `letterNumber` / `proposalId` are kept for display.
 */
export const paragraphUses = pgTable(
  "paragraph_uses",
  {
    id: serial("id").primaryKey(),
    paragraphId: integer("paragraph_id")
      .notNull()
      .references(() => paragraphs.id, { onDelete: "cascade" }),
    /** The exact version used (the snapshot): later edits never change it. */
    versionId: integer("version_id")
      .notNull()
      .references(() => paragraphVersions.id),
    letterRevisionId: integer("letter_revision_id"),
    documentId: integer("document_id").references(() => libraryDocuments.id, { onDelete: "cascade" }),
    letterNumber: text("letter_number"),
    proposalId: integer("proposal_id").references(() => proposals.id, { onDelete: "set null" }),
    /** Section of the letter it went into: "四、创新成果转化". */
    section: text("section"),
    mode: text("mode", { enum: ["verbatim", "edited"] }).notNull(),
    /** The wording as used, when edited after insertion. */
    text: text("text"),
    /** Signed or sent letters are frozen: never offered a newer version. */
    frozen: boolean("frozen").notNull().default(false),
    usedBy: text("used_by").references(() => users.id),
    usedAt: timestamp("used_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
  },
  (t) => [
    index("paragraph_uses_paragraph_idx").on(t.paragraphId),
    index("paragraph_uses_revision_idx").on(t.letterRevisionId),
    index("paragraph_uses_document_idx").on(t.documentId),
    index("paragraph_uses_proposal_idx").on(t.proposalId),
  ],
);

/**
 * The search index: for each bigram, the paragraphs with the highest impact ("champion
 * lists", at most SEARCH_LIST_SIZE each). Paragraphs left out of a list have an impact of
 * at most that gram's `floor` (paragraph_search_grams), which lets a search prove its top
 * results exact. See app/models/library-search.server.ts.
 */
export const paragraphSearchPostings = pgTable(
  "paragraph_search_postings",
  {
    gram: text("gram").notNull(),
    paragraphId: integer("paragraph_id")
      .notNull()
      .references(() => paragraphs.id, { onDelete: "cascade" }),
    impact: doublePrecision("impact").notNull(),
  },
  (t) => [primaryKey({ columns: [t.paragraphId, t.gram] }), index("paragraph_search_postings_rank_idx").on(t.gram, t.impact.desc(), t.paragraphId)],
);

/** Per bigram: how many paragraphs contain it (df), and the bound on impacts left out of its list. */
export const paragraphSearchGrams = pgTable("paragraph_search_grams", {
  gram: text("gram").primaryKey(),
  df: integer("df").notNull().default(0),
  floor: doublePrecision("floor").notNull().default(0),
});

// ── letters (drafting, sign-off, numbering) ────────────────────────────
/**
 * A reply (or 会办意见) for a proposal; round 2+ after 再办理. While drafting, the text lives in
 * letter_revisions; signing freezes the final Letter value here and it is never edited again.
 */
export const letters = pgTable(
  "letters",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    round: integer("round").notNull().default(1),
    templateId: text("template_id").notNull(),
    state: text("state", { enum: ["draft", "signed"] })
      .notNull()
      .default("draft"),
    currentRevisionId: integer("current_revision_id"),
    /** The revision last submitted for sign-off, and the one before: the leader sees the diff between them. */
    submittedRevisionId: integer("submitted_revision_id"),
    previousSubmittedRevisionId: integer("previous_submitted_revision_id"),
    documentNumber: text("document_number").unique(),
    signedAt: timestamp("signed_at", { withTimezone: true, mode: "date" }),
    signedBy: text("signed_by").references(() => users.id),
    /** The frozen Letter value (app/domain/letter.ts) after signing. */
    finalLetter: jsonb("final_letter"),
    /** 公文校对: must-fix findings the handler chose to keep at 提交签发, and why (shown to the leader). */
    keptFindingsNote: text("kept_findings_note"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("letters_proposal_round_uq").on(t.proposalId, t.round),
    // signed 主动公开 replies found without reading each letter's JSON (待公开, earlierRepliesToPublish)
    // (the disclosure an indexed expression, so PostgreSQL keeps statistics of it: as the index's
    // condition it was estimated at 5 rows of 546 and planned as a nested loop over publications)
    index("letters_signed_disclosure_idx").on(sql`(${t.finalLetter}->>'disclosure')`, t.proposalId, t.round).where(sql`${t.state} = 'signed'`),
  ],
);

/**
 * A signed reply put on the public site. It stays public whatever happens to the proposal
 * afterwards (feedback, closing, 再办理 — whose reply is published beside it) until an admin
 * withdraws it with a reason; a withdrawn one is kept, and the letter may be published again.
 */
export const publications = pgTable(
  "publications",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    publishedAt: timestamp("published_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    publishedBy: text("published_by").references(() => users.id),
    withdrawnAt: timestamp("withdrawn_at", { withTimezone: true, mode: "date" }),
    withdrawnBy: text("withdrawn_by").references(() => users.id),
    withdrawalReason: text("withdrawal_reason"),
  },
  (t) => [uniqueIndex("publications_letter_active_uq").on(t.letterId).where(sql`${t.withdrawnAt} is null`), index("publications_proposal_idx").on(t.proposalId)],
);

/**
 * 征询意见: each proposer's own answer (every co-signing member, or the body), per reply round.
 * The least satisfied decides the proposal's feedback (app/domain/workflow.ts aggregateFeedback).
 */
export const feedbackAnswers = pgTable(
  "feedback_answers",
  {
    id: serial("id").primaryKey(),
    proposalId: integer("proposal_id")
      .notNull()
      .references(() => proposals.id, { onDelete: "cascade" }),
    /** The reply round answered (2 after 再办理). */
    round: integer("round").notNull().default(1),
    proposer: text("proposer").notNull(),
    result: text("result", { enum: ["satisfied", "basically_satisfied", "dissatisfied"] }).notNull(),
    answeredOn: date("answered_on", { mode: "string" }).notNull(),
    channel: text("channel"),
    comment: text("comment"),
    recordedBy: text("recorded_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("feedback_answers_round_proposer_uq").on(t.proposalId, t.round, t.proposer)],
);

/**
 * Redaction rules for the public site, as data (as public-records systems keep them): exact text
 * or a pattern, for every published letter or one, with who made it and why. Applied to every
 * public form; the internal letter stays whole. Removing a rule keeps it (removedAt).
 */
export const redactionRules = pgTable("redaction_rules", {
  id: serial("id").primaryKey(),
  kind: text("kind", { enum: ["text", "pattern"] }).notNull(),
  match: text("match").notNull(),
  /** null: every published letter. */
  letterId: integer("letter_id").references(() => letters.id, { onDelete: "cascade" }),
  reason: text("reason").notNull(),
  createdBy: text("created_by").references(() => users.id),
  createdAt: createdAt(),
  removedAt: timestamp("removed_at", { withTimezone: true, mode: "date" }),
  removedBy: text("removed_by").references(() => users.id),
});

/** Every save of a draft: immutable, except that an autosave right after one's own autosave (30 min) replaces it. */
export const letterRevisions = pgTable(
  "letter_revisions",
  {
    id: serial("id").primaryKey(),
    letterId: integer("letter_id")
      .notNull()
      .references(() => letters.id, { onDelete: "cascade" }),
    revisionNo: integer("revision_no").notNull(),
    /** The draft: blocks (with their library source), outcome, disclosure, phone, signer printing. */
    draft: jsonb("draft").notNull(),
    /** reuse: the body replaced by a past letter's (参照往年答复) — the leader's first review compares with it */
    kind: text("kind", { enum: ["created", "save", "autosave", "signed", "imported", "repair", "reuse"] }).notNull(),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("letter_revisions_no_uq").on(t.letterId, t.revisionNo)],
);

/** 文号 series: the next number per prefix and year (shared with the bureau's other letters, so an admin sets it). */
export const numberCounters = pgTable(
  "number_counters",
  {
    prefix: text("prefix").notNull(),
    year: integer("year").notNull(),
    next: integer("next").notNull(),
  },
  (t) => [primaryKey({ columns: [t.prefix, t.year] })],
);

/** Every 文号 in use: allocated here, or issued outside the system and entered by an admin. */
export const documentNumbers = pgTable(
  "document_numbers",
  {
    number: text("number").primaryKey(),
    prefix: text("prefix").notNull(),
    year: integer("year").notNull(),
    seq: integer("seq").notNull(),
    letterId: integer("letter_id").references(() => letters.id, { onDelete: "set null" }),
    note: text("note"),
    createdBy: text("created_by").references(() => users.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("document_numbers_seq_uq").on(t.prefix, t.year, t.seq)],
);

/**
 * A batch export of letters (答复函导出), run as a background job (app/jobs/queue.server.ts) by
 * whichever app instance takes it; progress and the finished ZIP live here, so any instance
 * shows the progress and serves the file. Deleted an hour after it finishes.
 */
export const exportJobs = pgTable(
  "export_jobs",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    filter: jsonb("filter").notNull(),
    fileName: text("file_name").notNull(),
    state: text("state", { enum: ["queued", "running", "done", "failed", "cancelled"] })
      .notNull()
      .default("queued"),
    total: integer("total").notNull(),
    done: integer("done").notNull().default(0),
    failed: integer("failed").notNull().default(0),
    bytes: integer("bytes").notNull().default(0),
    error: text("error"),
    createdAt: createdAt(),
    finishedAt: timestamp("finished_at", { withTimezone: true, mode: "date" }),
    /** The worker's last sign of life (taken, progress): a running job silent for minutes lost its instance. */
    heartbeatAt: timestamp("heartbeat_at", { withTimezone: true, mode: "date" }),
  },
  (t) => [index("export_jobs_user_idx").on(t.userId, t.state)],
);

/**
 * A finished export's ZIP in pieces of EXPORT_CHUNK_BYTES, written and served one at a time: as
 * one bytea a large ZIP passed through the server's heap whole, twice its size as the driver's
 * hex text, when stored and again when downloaded.
 */
export const exportJobChunks = pgTable(
  "export_job_chunks",
  {
    jobId: text("job_id")
      .notNull()
      .references(() => exportJobs.id, { onDelete: "cascade" }),
    seq: integer("seq").notNull(),
    content: bytea("content").notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.seq] })],
);
