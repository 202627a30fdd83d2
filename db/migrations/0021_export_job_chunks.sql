CREATE TABLE "export_job_chunks" (
	"job_id" text NOT NULL,
	"seq" integer NOT NULL,
	"content" "bytea" NOT NULL,
	CONSTRAINT "export_job_chunks_job_id_seq_pk" PRIMARY KEY("job_id","seq")
);
--> statement-breakpoint
ALTER TABLE "export_job_chunks" ADD CONSTRAINT "export_job_chunks_job_id_export_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."export_jobs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- A ZIP finished before this release is not kept over: its job says so (exports last an hour).
UPDATE "export_jobs" SET "state" = 'failed', "error" = '系统已升级，请重新导出。' WHERE "state" = 'done';--> statement-breakpoint
ALTER TABLE "export_jobs" DROP COLUMN "content";