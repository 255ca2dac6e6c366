-- Disputes that cross a town border (issue 13): a party from a neighbouring
-- town's village, and joint cases (联调) whose disputes lie in several towns.
--
-- 1. The directory of administrative divisions (division_directory).
--    A dispute stays in the town where it happened; its parties may live in
--    any village of the county. Row-level security (0019) hides the other
--    towns' area versions from a town session, so a town's dispatcher could
--    neither check nor name such a village. The names and codes of towns and
--    villages are reference data, not case data: the national statistical
--    division codes (统计用区划代码) are published, and the county's own
--    documents, maps and road signs carry them. The view exposes exactly
--    that and nothing else: id, level, 12-digit code and name (zh, en) of
--    every town and village in force, with the id, code and name of its town.
--    No geometry (the other towns' boundaries stay hidden), no households or
--    population, no grids, staff, residents, cases or history.
--    It is a plain view, which reads its tables with the rights of its owner
--    (the migration role, owner of area_versions: row-level security does not
--    apply to it), unlike current_areas (security_invoker, 0018).
CREATE VIEW division_directory AS
  SELECT v.area_id AS id, a.level, v.code, v.name, v.name_en,
         t.area_id AS town_id, t.code AS town_code, t.name AS town_name, t.name_en AS town_name_en
  FROM areas a
  JOIN area_versions v ON v.area_id = a.id AND v.valid_to IS NULL
  JOIN area_versions t ON t.area_id = v.town_id AND t.valid_to IS NULL
  WHERE a.level IN ('town', 'village');

COMMENT ON VIEW division_directory IS
  'Names and codes of every town and village in force, readable by every town (reference data; no geometry, no content)';

-- The app role reads it (a join view cannot be written anyway).
DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'gridatlas_app') THEN
    REVOKE ALL ON division_directory FROM gridatlas_app;
    GRANT SELECT ON division_directory TO gridatlas_app;
  END IF;
END;
$$;

------------------------------------------------------------------------------
-- 2. Joint cases across towns.
--    A joint case belongs to the town of its first dispute (0018, `town_id`);
--    each of its dispute links now belongs to the town of that dispute, and
--    the joint case carries the towns of all its disputes (`town_ids`), so
--    that every town with a dispute in it sees it, each town sees only its
--    own member disputes (the links' and the cases' own policies), and the
--    county sees all.
--    `town_ids` is kept by the database from the links, never from a town
--    session: the policies read a column of the row itself (no subquery on
--    the links, so no recursion between the two tables' policies, and the
--    GIN index answers "joint cases of my town").

-- The links: the town of their own dispute (was: the joint case's town).
DROP TRIGGER joint_case_disputes_fill_town ON joint_case_disputes;
CREATE TRIGGER joint_case_disputes_fill_town BEFORE INSERT ON joint_case_disputes
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_case();
UPDATE joint_case_disputes d SET town_id = c.town_id FROM cases c WHERE c.id = d.case_id AND d.town_id <> c.town_id;
CREATE INDEX joint_case_disputes_town ON joint_case_disputes (town_id, joint_case_id);

-- A town session links its own disputes to its own joint cases only (a link
-- to another town's joint case would be a dispute in it that the joint case's
-- towns do not know of). The check reads joint_cases, whose policy reads no
-- other table: no recursion.
DROP POLICY town_scope ON joint_case_disputes;
CREATE POLICY town_scope ON joint_case_disputes
  USING (app_all_towns() OR town_id = app_town())
  WITH CHECK (app_all_towns() OR (town_id = app_town()
    AND EXISTS (SELECT 1 FROM joint_cases j WHERE j.id = joint_case_disputes.joint_case_id AND j.town_id = app_town())));

ALTER TABLE joint_cases ADD COLUMN town_ids bigint[];
UPDATE joint_cases j SET town_ids = (
  SELECT array_agg(DISTINCT t ORDER BY t)
  FROM (SELECT d.town_id AS t FROM joint_case_disputes d WHERE d.joint_case_id = j.id UNION SELECT j.town_id) x);
ALTER TABLE joint_cases ALTER COLUMN town_ids SET NOT NULL;
ALTER TABLE joint_cases ADD CONSTRAINT joint_cases_owner_town CHECK (town_id = ANY (town_ids));
CREATE INDEX joint_cases_town_ids ON joint_cases USING gin (town_ids);

COMMENT ON COLUMN joint_cases.town_ids IS
  'Towns of the joint case''s disputes, ascending (kept by the database from joint_case_disputes)';

-- A new joint case starts with its own town; its links add theirs. A town
-- session may not change the towns of a joint case (it would show its joint
-- case to another town, or hide one from it).
CREATE FUNCTION joint_cases_keep_towns() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.town_ids := ARRAY[NEW.town_id];
  ELSIF NEW.town_ids IS DISTINCT FROM OLD.town_ids AND NOT app_all_towns() THEN
    RAISE EXCEPTION 'joint_cases: the towns of a joint case follow its disputes'
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
-- Named to fire after joint_cases_fill_town (BEFORE triggers run in name order).
CREATE TRIGGER joint_cases_town_ids BEFORE INSERT OR UPDATE ON joint_cases
  FOR EACH ROW EXECUTE FUNCTION joint_cases_keep_towns();

-- A link of another town's dispute adds that town. In a town session every
-- link is of its own town (the case is invisible otherwise and the link's
-- town unknown), so this only changes anything at the county.
CREATE FUNCTION joint_case_disputes_add_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE joint_cases j
    SET town_ids = (SELECT array_agg(DISTINCT t ORDER BY t) FROM unnest(j.town_ids || NEW.town_id) t)
    WHERE j.id = NEW.joint_case_id AND NOT (NEW.town_id = ANY (j.town_ids));
  RETURN NULL;
END;
$$;
CREATE TRIGGER joint_case_disputes_add_town AFTER INSERT ON joint_case_disputes
  FOR EACH ROW EXECUTE FUNCTION joint_case_disputes_add_town();

-- Reads: every town of the joint case; writes from a town session: only a
-- joint case of that town alone (closing one that spans towns writes the
-- ledgers of every town's disputes, which is the county's work).
DROP POLICY town_scope ON joint_cases;
CREATE POLICY town_scope ON joint_cases
  USING (app_all_towns() OR town_ids @> ARRAY[app_town()])
  WITH CHECK (app_all_towns() OR (town_id = app_town() AND town_ids = ARRAY[app_town()]));

-- The stations of a joint case are read with it (visible when the joint case
-- is, through its policy: joint_cases' policy reads no other table, so this
-- cannot recurse); written by its own town or the county.
DROP POLICY town_scope ON joint_case_stations;
CREATE POLICY town_scope ON joint_case_stations
  USING (app_all_towns() OR town_id = app_town()
         OR EXISTS (SELECT 1 FROM joint_cases j WHERE j.id = joint_case_stations.joint_case_id))
  WITH CHECK (app_all_towns() OR town_id = app_town());
