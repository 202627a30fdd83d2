-- Reminders piled up before 0030 (15/7/3 days, 已超期, all unread): each unread reminder with a
-- newer live one about the same proposal for the same user is superseded, as notify() now does.
UPDATE "notifications" AS n SET "superseded_at" = now()
WHERE n."kind" IN ('due_soon', 'overdue') AND n."proposal_id" IS NOT NULL
  AND n."read_at" IS NULL AND n."resolved_at" IS NULL AND n."superseded_at" IS NULL
  AND EXISTS (
    SELECT 1 FROM "notifications" AS m
    WHERE m."user_id" = n."user_id" AND m."proposal_id" = n."proposal_id"
      AND m."kind" IN ('due_soon', 'overdue') AND m."resolved_at" IS NULL AND m."id" > n."id"
  );
