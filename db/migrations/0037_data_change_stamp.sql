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
-- Whether a transaction that may have written an app table is still open (app/http/page-cache.server.ts):
-- another backend holds a write lock on a table (or on the sequence) of this database's schema. A
-- writer takes it when its statement starts, before the trigger takes its number, and releases it
-- only after its commit is visible. Not the snapshot's list of running xids: that is the whole
-- cluster's (another database's writes, two test workers, stopped every page from being kept), and
-- a snapshot's xmax is the latest *finished* xid + 1, so a writer that began after it is not listed.
-- The sessions and the sign-in throttles are left out, as from the stamp.
CREATE OR REPLACE FUNCTION "data_writes_in_progress"() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (
    SELECT 1 FROM pg_locks l
      JOIN pg_class c ON c.oid = l.relation
      JOIN pg_namespace s ON s.oid = c.relnamespace
    WHERE l.locktype = 'relation'
      AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND l.mode IN ('RowExclusiveLock', 'ShareRowExclusiveLock', 'ExclusiveLock', 'AccessExclusiveLock')
      AND l.pid <> pg_backend_pid()
      AND s.nspname = current_schema()
      AND c.relname <> ALL (ARRAY['sessions', 'sign_in_throttles'])
  )
$$;
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
