-- Dispute clusters at a million cases (issue 11, item 3): the two reads of a
-- clustering served from indexes alone, under row-level security.
--
-- Why the indexes of 0017 no longer sufficed: the policies of 0019 test
-- `town_id` on every row, and neither `cases_dispute_points` nor
-- `case_parties_case_village` carries it, so every index entry of a 90-day
-- window (~115k disputes, ~150k parties at a million cases) sent the scan to
-- the table for its town. And the points were projected at request time
-- (ST_Transform of each point), although 0015 stores the very same values.
--
-- cases: the disputes of a window with what clustering reads of each: id,
-- village, town (for the policy and the town filter) and the stored UTM 47N
-- coordinates (bit for bit ST_X/ST_Y(ST_Transform(geom, 32647)), which is
-- what ST_ClusterDBSCAN measures in). The point itself is no longer read.
DROP INDEX IF EXISTS cases_dispute_points;
CREATE INDEX cases_dispute_points ON cases (reported_at)
  INCLUDE (id, village_id, town_id, utm_x_meters, utm_y_meters) WHERE kind = 'dispute';

-- case_parties: the home villages of a window's disputes, read index-only by case.
DROP INDEX IF EXISTS case_parties_case_village;
CREATE INDEX case_parties_case_village ON case_parties (case_id) INCLUDE (home_village_id, town_id);

ANALYZE cases;
ANALYZE case_parties;

-- The dispute snapshot of each server process (dispute-snapshot.ts) is keyed
-- by the `cases` revision of 0016, so everything it holds must move that
-- revision when it changes: the parties' home villages (no trigger until
-- now: tiles do not show parties) and a case's village and town (a boundary
-- change may reassign them). More bumps only retire cached tiles sooner.
CREATE TRIGGER case_parties_revision
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON case_parties
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('cases');

CREATE TRIGGER cases_revision_update_place
  AFTER UPDATE OF village_id, town_id ON cases
  FOR EACH STATEMENT EXECUTE FUNCTION data_revisions_bump('cases');
