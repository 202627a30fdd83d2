DROP INDEX "proposals_handler_idx";--> statement-breakpoint
CREATE INDEX "proposals_handler_idx" ON "proposals" USING btree ("handler_id","state");