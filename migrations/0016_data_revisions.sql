-- Data revisions (issue 11, item 4): a counter per topic that every write to
-- the topic's tables moves on, in the writing transaction. A tile cache keys
-- its entries by the revision read in the same snapshot as the tile, so a
-- server process sees a write committed by any other process on its next
-- request (one small read), and a tile computed before a write can never be
-- stored under the revision after it.
--
-- Why a table and not a sequence: nextval() is not transactional, so a reader
-- could see the new number before the write commits and cache the old tile
-- under it. Why slots: one row per topic would make concurrent writers of
-- cases queue on its row lock until they commit; with 16 slots (chosen by
-- backend pid) they rarely meet. The revision is the sum of the slots: it
-- grows by one for every committed writing statement, and two snapshots with
-- the same sum have seen the same commits.
CREATE TABLE data_revisions (
  topic    text NOT NULL CHECK (topic IN ('cases', 'areas')),
  slot     smallint NOT NULL CHECK (slot BETWEEN 0 AND 15),
  revision bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (topic, slot)
);

INSERT INTO data_revisions (topic, slot)
  SELECT topic, slot FROM unnest(ARRAY['cases', 'areas']) AS topic, generate_series(0, 15) AS slot;

-- Statement-level: one bump per writing statement, however many rows it touches.
CREATE FUNCTION data_revisions_bump() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE data_revisions SET revision = revision + 1
    WHERE topic = TG_ARGV[0] AND slot = pg_backend_pid() % 16;
  RETURN NULL;
END;
$$;

-- Cases: inserts, deletes, and updates of the columns a tile shows or
-- filters on (position, kind, status, category, grade, deadline state,
-- window, visibility). Photos, notes and the like leave the revision alone.
CREATE TRIGGER cases_revision_insert_delete
  AFTER INSERT OR DELETE OR TRUNCATE ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('cases');

CREATE TRIGGER cases_revision_update
  AFTER UPDATE OF kind, status, category, severity, tier, geom, reported_at, deadline_at, closed_at,
    escalated_at, base_grid_id, fine_grid_id, registered_by ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('cases');

-- Areas: the areas layer reads current_areas (areas joined to their current version).
CREATE TRIGGER areas_revision
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON areas
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('areas');

CREATE TRIGGER area_versions_revision
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON area_versions
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('areas');
