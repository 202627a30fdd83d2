ALTER TABLE "notifications" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_set_at" timestamp with time zone;--> statement-breakpoint
-- Addresses set before this column: mail only what is created from now on.
UPDATE "users" SET "email_set_at" = now() WHERE "email" IS NOT NULL;
