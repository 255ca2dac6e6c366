-- Which disputes changed, by which transaction (issue 11, item 3): so that a
-- server's dispute snapshot (dispute-snapshot.ts) re-reads the few disputes a
-- write touched instead of all of them.
--
-- Until now any write to cases or parties moved the `cases` revision of 0016,
-- and the next dispute-cluster request reloaded every dispute of the county:
-- 1.7–2.3 s at a million cases, after every hazard registered or workflow
-- step taken anywhere, though clustering reads none of that.
--
-- A row per dispute whose clustering inputs a statement changed (inserted,
-- deleted, its position, reported time, village, town or kind updated, a
-- party written), with the writing transaction's id. A server that holds the
-- disputes as of database snapshot S applies exactly the rows whose
-- transaction S does not see: `NOT pg_visible_in_snapshot(xid, S)`. Unlike a
-- sequence number, this cannot skip a transaction that commits after a later
-- one was read. Such a transaction's id is at least S's xmin, so an index on
-- `xid` finds the candidates. `case_id` NULL means "anything may have
-- changed" (a TRUNCATE, a test database restored): reload everything.
--
-- The rows are small and few (a dispute's registration, its parties, a rare
-- move) and are kept; a server started later reads all disputes anyway.
CREATE TABLE dispute_point_changes (
  xid     xid8 NOT NULL DEFAULT pg_current_xact_id(),
  case_id bigint
);
CREATE INDEX dispute_point_changes_xid ON dispute_point_changes (xid);

-- Statement-level, with the statement's rows as transition tables (one
-- trigger per event: PostgreSQL allows transition tables on single-event
-- triggers only). Runs as the writer, who may insert here (grant below).
CREATE FUNCTION dispute_points_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'TRUNCATE' THEN
    INSERT INTO dispute_point_changes (case_id) VALUES (NULL);
  ELSIF TG_TABLE_NAME = 'case_parties' THEN
    IF TG_OP = 'INSERT' THEN
      INSERT INTO dispute_point_changes (case_id) SELECT DISTINCT case_id FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
      INSERT INTO dispute_point_changes (case_id) SELECT DISTINCT case_id FROM old_rows;
    ELSE
      INSERT INTO dispute_point_changes (case_id)
        SELECT case_id FROM new_rows UNION SELECT case_id FROM old_rows;
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO dispute_point_changes (case_id) SELECT id FROM new_rows WHERE kind = 'dispute';
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO dispute_point_changes (case_id) SELECT id FROM old_rows WHERE kind = 'dispute';
  ELSE
    INSERT INTO dispute_point_changes (case_id)
      SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      WHERE (n.kind = 'dispute' OR o.kind = 'dispute')
        AND (n.kind, n.reported_at, n.village_id, n.town_id, n.utm_x_meters, n.utm_y_meters)
          IS DISTINCT FROM (o.kind, o.reported_at, o.village_id, o.town_id, o.utm_x_meters, o.utm_y_meters);
  END IF;
  RETURN NULL;
END;
$$;

CREATE TRIGGER cases_dispute_points_insert AFTER INSERT ON cases
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER cases_dispute_points_update AFTER UPDATE ON cases
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER cases_dispute_points_delete AFTER DELETE ON cases
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER cases_dispute_points_truncate AFTER TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();

CREATE TRIGGER case_parties_dispute_points_insert AFTER INSERT ON case_parties
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER case_parties_dispute_points_update AFTER UPDATE ON case_parties
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER case_parties_dispute_points_delete AFTER DELETE ON case_parties
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();
CREATE TRIGGER case_parties_dispute_points_truncate AFTER TRUNCATE ON case_parties
  FOR EACH STATEMENT EXECUTE FUNCTION dispute_points_changed();

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'gridatlas_app') THEN
    GRANT SELECT, INSERT ON dispute_point_changes TO gridatlas_app;
  END IF;
END;
$$;
