CREATE TABLE "library_import_uploads" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"file_name" text NOT NULL,
	"content" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "library_import_uploads" ADD CONSTRAINT "library_import_uploads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "library_import_uploads_user_idx" ON "library_import_uploads" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "library_import_uploads_created_idx" ON "library_import_uploads" USING btree ("created_at");