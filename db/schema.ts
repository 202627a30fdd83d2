/**
 * The one schema. Both drivers (PGlite and postgres.js) run the same migrations
 * generated from this file by drizzle-kit (db/migrations).
 */
import { sql } from "drizzle-orm";
import {
  bigserial,
  boolean,
  customType,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  serial,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  // PGlite hands back Uint8Array, postgres.js a Buffer: normalise to Buffer.
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();

// ── people and sessions ────────────────────────────────────────────────
export const users = pgTable("users", {
  id: text("id").primaryKey(),
  username: text("username").notNull().unique(),
  displayName: text("display_name").notNull(),
  role: text("role", { enum: ["admin", "registrar", "handler", "leader", "viewer"] }).notNull(),
  phone: text("phone"),
  passwordHash: text("password_hash").notNull(),
  disabled: boolean("disabled").notNull().default(false),
  createdAt: createdAt(),
});

export const sessions = pgTable("sessions", {
  id: text("id").primaryKey(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id, { onDelete: "cascade" }),
  expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
});

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
    /** Bumped on every change; a write names the version it read (optimistic locking). */
    version: integer("version").notNull().default(1),
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
    index("proposals_search_trgm_idx").using("gin", sql`(${t.number} || ' ' || ${t.title} || ' ' || ${t.proposerNames}) gin_trgm_ops`),
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
    purpose: text("purpose", { enum: ["original"] }).notNull().default("original"),
    fileName: text("file_name").notNull(),
    mediaType: text("media_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: bytea("content").notNull(),
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
  },
  (t) => [index("events_proposal_idx").on(t.proposalId, t.id)],
);

export type FieldChange = { field: string; label: string; from: string | null; to: string | null };

/** Small key/value facts about this database (e.g. that demo data was loaded). */
export const appMeta = pgTable("app_meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});
