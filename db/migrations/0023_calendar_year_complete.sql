ALTER TABLE "calendar_years" ADD COLUMN "complete" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- What counted as known before keeps counting: shipped years, and years with holidays entered.
UPDATE "calendar_years" y SET "complete" = true WHERE y."source" <> 'admin' OR EXISTS (SELECT 1 FROM "calendar_days" d WHERE d."day" >= make_date(y."year", 1, 1) AND d."day" < make_date(y."year" + 1, 1, 1) AND d."kind" = 'holiday');
