ALTER TABLE "proposals" ADD COLUMN "first_replied_on" date;--> statement-breakpoint
ALTER TABLE "proposals" ADD COLUMN "first_due" date;--> statement-breakpoint
-- Proposals already in 再办理 lost their first reply's date and deadline: both are in the history (the first 发送 event's 答复日期, the first 不满意 event's old 办理期限 — none where that event predates recording it: the reply then counts as answered, timeliness unknown).
UPDATE "proposals" p SET
  "first_replied_on" = (SELECT (c->>'to')::date FROM "events" e, jsonb_array_elements(e."changes") c WHERE e."proposal_id" = p."id" AND e."kind" = 'send' AND c->>'field' = 'repliedOn' AND c->>'to' IS NOT NULL ORDER BY e."id" LIMIT 1),
  "first_due" = (SELECT (SELECT (c->>'from')::date FROM jsonb_array_elements(e."changes") c WHERE c->>'field' = 'due' AND c->>'from' IS NOT NULL LIMIT 1) FROM "events" e WHERE e."proposal_id" = p."id" AND e."kind" = 'record_feedback' AND e."changes" @> '[{"field":"feedback","to":"不满意"}]'::jsonb ORDER BY e."id" LIMIT 1)
WHERE p."rehandling_from" IS NOT NULL;
