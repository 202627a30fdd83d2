ALTER TABLE "attachments" ADD COLUMN "text" text;--> statement-breakpoint
ALTER TABLE "paragraph_versions" ADD COLUMN "lead" jsonb;--> statement-breakpoint
ALTER TABLE "paragraph_versions" ADD COLUMN "annotation" text;