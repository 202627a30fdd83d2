CREATE TABLE "library_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"file_name" text NOT NULL,
	"media_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"content" "bytea" NOT NULL,
	"encoding" text NOT NULL,
	"letter_number" text,
	"letter_frame" jsonb,
	"proposal_id" integer,
	"as_of" date,
	"summary" jsonb NOT NULL,
	"imported_by" text,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paragraph_search_grams" (
	"gram" text PRIMARY KEY NOT NULL,
	"df" integer DEFAULT 0 NOT NULL,
	"floor" double precision DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paragraph_search_postings" (
	"gram" text NOT NULL,
	"paragraph_id" integer NOT NULL,
	"impact" double precision NOT NULL,
	CONSTRAINT "paragraph_search_postings_paragraph_id_gram_pk" PRIMARY KEY("paragraph_id","gram")
);
--> statement-breakpoint
CREATE TABLE "paragraph_uses" (
	"id" serial PRIMARY KEY NOT NULL,
	"paragraph_id" integer NOT NULL,
	"version_id" integer NOT NULL,
	"letter_revision_id" integer,
	"document_id" integer,
	"letter_number" text,
	"proposal_id" integer,
	"section" text,
	"mode" text NOT NULL,
	"text" text,
	"frozen" boolean DEFAULT false NOT NULL,
	"used_by" text,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paragraph_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"paragraph_id" integer NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"kind" text DEFAULT 'paragraph' NOT NULL,
	"source_document_id" integer,
	"source_section" text,
	"as_of" date,
	"note" text,
	"author_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "paragraphs" (
	"id" serial PRIMARY KEY NOT NULL,
	"current_version_id" integer,
	"version" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"kind" text DEFAULT 'paragraph' NOT NULL,
	"owner_id" text,
	"title" text NOT NULL,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"source_document_id" integer,
	"as_of" date,
	"search_title" text DEFAULT '' NOT NULL,
	"search_tags" text DEFAULT '' NOT NULL,
	"search_body" text DEFAULT '' NOT NULL,
	"body_length" integer DEFAULT 0 NOT NULL,
	"grams" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	"retired_by" text
);
--> statement-breakpoint
ALTER TABLE "library_documents" ADD CONSTRAINT "library_documents_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "library_documents" ADD CONSTRAINT "library_documents_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_search_postings" ADD CONSTRAINT "paragraph_search_postings_paragraph_id_paragraphs_id_fk" FOREIGN KEY ("paragraph_id") REFERENCES "public"."paragraphs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_uses" ADD CONSTRAINT "paragraph_uses_paragraph_id_paragraphs_id_fk" FOREIGN KEY ("paragraph_id") REFERENCES "public"."paragraphs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_uses" ADD CONSTRAINT "paragraph_uses_version_id_paragraph_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."paragraph_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_uses" ADD CONSTRAINT "paragraph_uses_document_id_library_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."library_documents"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_uses" ADD CONSTRAINT "paragraph_uses_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_uses" ADD CONSTRAINT "paragraph_uses_used_by_users_id_fk" FOREIGN KEY ("used_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_versions" ADD CONSTRAINT "paragraph_versions_paragraph_id_paragraphs_id_fk" FOREIGN KEY ("paragraph_id") REFERENCES "public"."paragraphs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_versions" ADD CONSTRAINT "paragraph_versions_source_document_id_library_documents_id_fk" FOREIGN KEY ("source_document_id") REFERENCES "public"."library_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraph_versions" ADD CONSTRAINT "paragraph_versions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_current_version_id_paragraph_versions_id_fk" FOREIGN KEY ("current_version_id") REFERENCES "public"."paragraph_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_source_document_id_library_documents_id_fk" FOREIGN KEY ("source_document_id") REFERENCES "public"."library_documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "paragraphs" ADD CONSTRAINT "paragraphs_retired_by_users_id_fk" FOREIGN KEY ("retired_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "library_documents_sha256_uq" ON "library_documents" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "library_documents_letter_idx" ON "library_documents" USING btree ("letter_number");--> statement-breakpoint
CREATE INDEX "paragraph_search_postings_rank_idx" ON "paragraph_search_postings" USING btree ("gram","impact" DESC NULLS LAST,"paragraph_id");--> statement-breakpoint
CREATE INDEX "paragraph_uses_paragraph_idx" ON "paragraph_uses" USING btree ("paragraph_id");--> statement-breakpoint
CREATE INDEX "paragraph_uses_revision_idx" ON "paragraph_uses" USING btree ("letter_revision_id");--> statement-breakpoint
CREATE INDEX "paragraph_uses_document_idx" ON "paragraph_uses" USING btree ("document_id");--> statement-breakpoint
CREATE INDEX "paragraph_uses_proposal_idx" ON "paragraph_uses" USING btree ("proposal_id");--> statement-breakpoint
CREATE UNIQUE INDEX "paragraph_versions_number_uq" ON "paragraph_versions" USING btree ("paragraph_id","number");--> statement-breakpoint
CREATE INDEX "paragraphs_grams_gin" ON "paragraphs" USING gin ("grams");--> statement-breakpoint
CREATE INDEX "paragraphs_tags_gin" ON "paragraphs" USING gin ("tags");--> statement-breakpoint
CREATE INDEX "paragraphs_status_idx" ON "paragraphs" USING btree ("status");--> statement-breakpoint
CREATE INDEX "paragraphs_source_idx" ON "paragraphs" USING btree ("source_document_id");--> statement-breakpoint
CREATE INDEX "paragraphs_updated_idx" ON "paragraphs" USING btree ("updated_at","id");