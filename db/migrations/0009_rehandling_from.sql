ALTER TABLE "proposals" ADD COLUMN "rehandling_from" date;--> statement-breakpoint
-- Proposals already in 再办理: re-handling started when the proposer's 不满意 was recorded (管理 → 期限规则 → 重新计算 applies it to their deadlines).
UPDATE "proposals" p SET "rehandling_from" = (SELECT (max(e."at") AT TIME ZONE 'Asia/Shanghai')::date FROM "events" e WHERE e."proposal_id" = p."id" AND e."kind" = 'record_feedback') WHERE p."feedback" = 'dissatisfied';
