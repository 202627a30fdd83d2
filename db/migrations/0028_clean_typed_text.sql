-- Typed text is now cleaned of CR line breaks and bidirectional controls (cleanText). Values stored
-- before (a 备注 typed in a textarea arrives as CRLF) would otherwise differ from the same text
-- typed again: every later edit recorded a 备注 "change" that looks the same, and a re-imported
-- sheet was refused as "备注不同".
UPDATE "proposals" SET "notes" = regexp_replace(regexp_replace("notes", E'\r\n?', E'\n', 'g'), E'[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')
  WHERE "notes" ~ E'[\r\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
--> statement-breakpoint
UPDATE "proposals" SET "title" = regexp_replace(regexp_replace("title", E'\r\n?', E'\n', 'g'), E'[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')
  WHERE "title" ~ E'[\r\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
--> statement-breakpoint
UPDATE "proposals" SET "lead_unit" = regexp_replace(regexp_replace("lead_unit", E'\r\n?', E'\n', 'g'), E'[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]', '', 'g')
  WHERE "lead_unit" ~ E'[\r\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]';
