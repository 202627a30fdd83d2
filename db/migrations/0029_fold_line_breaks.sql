-- One-line fields (案由, 主办单位, proposers' names) no longer keep a line break (cleanLine): an Excel
-- cell wrapped with Alt+Enter was stored with it, lost it at the first edit (a one-line input) and
-- so recorded a 案由 change nobody made. Folded as cleanLine folds: a space between two Latin
-- letters or digits, nothing elsewhere.
UPDATE "proposals" SET "title" = regexp_replace(regexp_replace("title", E'([A-Za-z0-9])\\s*\\n\\s*(?=[A-Za-z0-9])', E'\\1 ', 'g'), E'\\s*\\n\\s*', '', 'g')
  WHERE "title" LIKE E'%\n%';
--> statement-breakpoint
UPDATE "proposals" SET "lead_unit" = regexp_replace(regexp_replace("lead_unit", E'([A-Za-z0-9])\\s*\\n\\s*(?=[A-Za-z0-9])', E'\\1 ', 'g'), E'\\s*\\n\\s*', '', 'g')
  WHERE "lead_unit" LIKE E'%\n%';
--> statement-breakpoint
UPDATE "proposals" SET "proposer_names" = regexp_replace(regexp_replace("proposer_names", E'([A-Za-z0-9])\\s*\\n\\s*(?=[A-Za-z0-9])', E'\\1 ', 'g'), E'\\s*\\n\\s*', '', 'g')
  WHERE "proposer_names" LIKE E'%\n%';
--> statement-breakpoint
UPDATE "proposers" SET "name" = regexp_replace(regexp_replace("name", E'([A-Za-z0-9])\\s*\\n\\s*(?=[A-Za-z0-9])', E'\\1 ', 'g'), E'\\s*\\n\\s*', '', 'g')
  WHERE "name" LIKE E'%\n%';
