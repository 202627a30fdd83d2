CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "calendar_years" (
	"year" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "co_units" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"name" text NOT NULL,
	"opinion_received_on" date
);
--> statement-breakpoint
CREATE TABLE "extensions" (
	"id" serial PRIMARY KEY NOT NULL,
	"proposal_id" integer NOT NULL,
	"requested_by" text,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"reason" text NOT NULL,
	"old_due" date NOT NULL,
	"new_due" date NOT NULL,
	"status" text DEFAULT 'requested' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_comment" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" serial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"proposal_id" integer,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"dedupe_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"read_at" timestamp with time zone,
	"emailed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "handler_phone" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "reply_due" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "co_handling_due" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "due" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "extended_due" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "reassignment_window_ends" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "due_warnings" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "replied_on" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "reply_channel" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "disclosure" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "disclosure_reason" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "state_before_reassignment" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "transferred_to" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "lead_unit" text;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "feedback" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;--> statement-breakpoint
ALTER TABLE "co_units" ADD CONSTRAINT "co_units_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extensions" ADD CONSTRAINT "extensions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "co_units_name_uq" ON "co_units" USING btree ("proposal_id","name");--> statement-breakpoint
CREATE INDEX "extensions_proposal_idx" ON "extensions" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "extensions_status_idx" ON "extensions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "notifications_user_idx" ON "notifications" USING btree ("user_id","read_at");--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_dedupe_uq" ON "notifications" USING btree ("user_id","dedupe_key");--> statement-breakpoint
CREATE INDEX "proposals_handler_idx" ON "proposals" USING btree ("handler_id");--> statement-breakpoint
CREATE INDEX "proposals_due_idx" ON "proposals" USING btree ("due");