-- The data's change stamp (docs/decisions/012, "Twelfth round"): every statement that writes one of
-- the app's tables takes a number from this sequence, so a page kept under the number read before
-- it was rendered is known to be current while the number has not moved. A sequence, not a row: it
-- takes no lock a writer could wait on, and a rollback only costs a page its kept copy.
CREATE SEQUENCE IF NOT EXISTS "data_change_seq";
--> statement-breakpoint
SELECT nextval('data_change_seq');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION "note_data_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM nextval('data_change_seq');
  RETURN NULL;
END $$;
--> statement-breakpoint
-- Whether any transaction that may have written is still open (app/http/page-cache.server.ts): some
-- xid below the snapshot's xmax still running, or the xid at xmax already given out — a snapshot's
-- xmax is the latest *finished* xid + 1, so a transaction that started after the last one finished
-- is not in its list. pg_xact_status refuses an xid not given out yet ("in the future").
CREATE OR REPLACE FUNCTION "data_writes_in_progress"() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  s pg_snapshot := pg_current_snapshot();
BEGIN
  IF pg_snapshot_xmin(s) <> pg_snapshot_xmax(s) THEN
    RETURN true;
  END IF;
  BEGIN
    PERFORM pg_xact_status(pg_snapshot_xmax(s));
    RETURN true;
  EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
  END;
END $$;
--> statement-breakpoint
-- Run after every migration (db/client.server.ts): a table added later gets its triggers too.
-- Left out: the sessions (lucia slides their expiry on reads; no kept page shows them) and the
-- sign-in throttles (written by sign-in attempts; no kept page shows them).
CREATE OR REPLACE FUNCTION "ensure_data_change_triggers"() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  t record;
  n integer := 0;
BEGIN
  FOR t IN
    SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE s.nspname = current_schema() AND c.relkind IN ('r', 'p')
      AND c.relname <> ALL (ARRAY['sessions', 'sign_in_throttles'])
      AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'data_change')
  LOOP
    EXECUTE format('CREATE TRIGGER data_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION note_data_change()', t.relname);
    n := n + 1;
  END LOOP;
  RETURN n;
END $$;
--> statement-breakpoint
SELECT ensure_data_change_triggers();
