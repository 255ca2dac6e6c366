-- Many towns in one deployment (issue 13, item 1): the town of every record,
-- users scoped to a town or to the county, and two county roles.
--
-- Every town-owned row carries `town_id` (the id of its town area; a town's
-- own area versions carry its own id). BEFORE INSERT triggers fill it, so the
-- insert code of the features and the seed stay as they were:
--   - from the row's area (area_versions: the parent's town; cases, leads,
--     key persons, grid assignments: their village or grid's version),
--   - from the parent row (case events, parties, photos, visits, the children
--     of joint cases and boundary changes),
--   - otherwise from the session's town (`app.town`, see 0019), and when the
--     session has none (system work, a county user) from the only town when the
--     deployment has exactly one; with several towns such a row must name its town.
-- The derived columns are always recomputed (a row cannot claim another
-- town than its area's); the session-derived ones keep a value given.
--
-- Settings (routing rules, deadlines, key-person categories and colours,
-- analytics thresholds, stations) stay county-wide: the county sets one
-- policy for all its towns. `areas` (id, level, created_at) carries nothing
-- of a town but its existence; its content is in `area_versions`.

-- Which session settings say who is asking (0019 adds the policies that use them).
-- `app.scope`: 'town' | 'county' | 'system'; `app.town`: the town id of a town scope.
CREATE FUNCTION app_town() RETURNS bigint
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN current_setting('app.scope', true) = 'town'
              THEN nullif(current_setting('app.town', true), '')::bigint END
$$;

COMMENT ON FUNCTION app_town() IS 'The town of the session (app.scope = town), else null';

-- The only town when there is exactly one (a single-town deployment), else null.
CREATE FUNCTION sole_town() RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN count(*) = 1 THEN min(id) END FROM areas WHERE level = 'town'
$$;

-- The town an area belongs to, following parents up (any version of each).
CREATE FUNCTION area_town(area bigint) RETURNS bigint
LANGUAGE plpgsql STABLE AS $$
DECLARE
  current_id bigint := area;
  current_level text;
BEGIN
  FOR hop IN 1..6 LOOP
    SELECT a.level INTO current_level FROM areas a WHERE a.id = current_id;
    IF current_level IS NULL THEN
      RETURN NULL;
    END IF;
    IF current_level = 'town' THEN
      RETURN current_id;
    END IF;
    SELECT v.parent_id INTO current_id FROM area_versions v
      WHERE v.area_id = current_id ORDER BY (v.valid_to IS NULL) DESC, v.version DESC LIMIT 1;
    IF current_id IS NULL THEN
      RETURN NULL;
    END IF;
  END LOOP;
  RETURN NULL;
END;
$$;

-- A row whose town comes from no area: the given one, the session's, or the only town.
CREATE FUNCTION fill_town_from_session() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := coalesce(NEW.town_id, app_town(), sole_town());
  IF NEW.town_id IS NULL THEN
    RAISE EXCEPTION '%: the town of the new row is not known (name it: several towns, no town session)', TG_TABLE_NAME
      USING ERRCODE = 'not_null_violation';
  END IF;
  RETURN NEW;
END;
$$;

------------------------------------------------------------------------------
-- Areas
ALTER TABLE area_versions ADD COLUMN town_id bigint REFERENCES areas (id);
-- The "keep history" trigger refuses updates of closed versions; the backfill
-- is not a change of history, so it runs with the trigger off.
ALTER TABLE area_versions DISABLE TRIGGER area_versions_keep_history;
ALTER TABLE area_versions DISABLE TRIGGER area_versions_revision;
UPDATE area_versions SET town_id = area_town(area_id);
ALTER TABLE area_versions ENABLE TRIGGER area_versions_keep_history;
ALTER TABLE area_versions ENABLE TRIGGER area_versions_revision;
ALTER TABLE area_versions ALTER COLUMN town_id SET NOT NULL;
CREATE INDEX area_versions_town ON area_versions (town_id) WHERE valid_to IS NULL;

CREATE FUNCTION area_versions_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF (SELECT level FROM areas WHERE id = NEW.area_id) = 'town' THEN
    NEW.town_id := NEW.area_id;
  ELSE
    NEW.town_id := (SELECT v.town_id FROM area_versions v WHERE v.area_id = NEW.parent_id
                    ORDER BY (v.valid_to IS NULL) DESC, v.version DESC LIMIT 1);
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER area_versions_fill_town BEFORE INSERT ON area_versions
  FOR EACH ROW EXECUTE FUNCTION area_versions_fill_town();

-- The view reads its tables with the rights of the caller, so the row-level
-- security of area_versions applies through it (a view otherwise reads as its owner).
ALTER VIEW current_areas SET (security_invoker = true);

-- The town of an area version (the version given, else the area's current one).
CREATE FUNCTION version_town(area bigint, area_version integer) RETURNS bigint
LANGUAGE sql STABLE AS $$
  SELECT v.town_id FROM area_versions v
  WHERE v.area_id = area AND (v.version = area_version OR (area_version IS NULL AND v.valid_to IS NULL))
  ORDER BY v.version DESC LIMIT 1
$$;

------------------------------------------------------------------------------
-- Cases, leads and their children
ALTER TABLE cases ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE cases SET town_id = version_town(village_id, village_version);
ALTER TABLE cases ALTER COLUMN town_id SET NOT NULL;
CREATE INDEX cases_town ON cases (town_id);

CREATE FUNCTION cases_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := version_town(NEW.village_id, NEW.village_version);
  RETURN NEW;
END;
$$;
CREATE TRIGGER cases_fill_town BEFORE INSERT OR UPDATE OF village_id, village_version ON cases
  FOR EACH ROW EXECUTE FUNCTION cases_fill_town();

ALTER TABLE leads ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE leads SET town_id = coalesce(version_town(village_id, NULL), sole_town());
ALTER TABLE leads ALTER COLUMN town_id SET NOT NULL;
CREATE INDEX leads_town ON leads (town_id);

CREATE FUNCTION leads_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.village_id IS NOT NULL THEN
    NEW.town_id := version_town(NEW.village_id, NULL);
  END IF;
  NEW.town_id := coalesce(NEW.town_id, app_town(), sole_town());
  RETURN NEW;
END;
$$;
CREATE TRIGGER leads_fill_town BEFORE INSERT OR UPDATE OF village_id ON leads
  FOR EACH ROW EXECUTE FUNCTION leads_fill_town();

ALTER TABLE case_parties ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE case_parties p SET town_id = c.town_id FROM cases c WHERE c.id = p.case_id;
ALTER TABLE case_parties ALTER COLUMN town_id SET NOT NULL;

ALTER TABLE case_photos ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE case_photos p SET town_id = c.town_id FROM cases c WHERE c.id = p.case_id;
ALTER TABLE case_photos ALTER COLUMN town_id SET NOT NULL;

CREATE FUNCTION fill_town_from_case() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := (SELECT c.town_id FROM cases c WHERE c.id = NEW.case_id);
  RETURN NEW;
END;
$$;
CREATE TRIGGER case_parties_fill_town BEFORE INSERT ON case_parties
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_case();
CREATE TRIGGER case_photos_fill_town BEFORE INSERT ON case_photos
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_case();

-- The ledger is append-only; adding the column backfills it in one rewrite with its triggers off.
ALTER TABLE case_events ADD COLUMN town_id bigint REFERENCES areas (id);
ALTER TABLE case_events DISABLE TRIGGER case_events_no_update_delete;
UPDATE case_events e SET town_id = coalesce(
  (SELECT c.town_id FROM cases c WHERE c.id = e.case_id),
  (SELECT l.town_id FROM leads l WHERE l.id = e.lead_id));
ALTER TABLE case_events ENABLE TRIGGER case_events_no_update_delete;
ALTER TABLE case_events ALTER COLUMN town_id SET NOT NULL;
CREATE INDEX case_events_town_at ON case_events (town_id, at);

CREATE FUNCTION case_events_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := coalesce(
    (SELECT c.town_id FROM cases c WHERE c.id = NEW.case_id),
    (SELECT l.town_id FROM leads l WHERE l.id = NEW.lead_id));
  RETURN NEW;
END;
$$;
CREATE TRIGGER case_events_fill_town BEFORE INSERT ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_fill_town();

------------------------------------------------------------------------------
-- Key persons
ALTER TABLE key_persons ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE key_persons SET town_id = version_town(village_id, village_version);
ALTER TABLE key_persons ALTER COLUMN town_id SET NOT NULL;
CREATE INDEX key_persons_town ON key_persons (town_id);

CREATE FUNCTION key_persons_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := version_town(NEW.village_id, NEW.village_version);
  RETURN NEW;
END;
$$;
CREATE TRIGGER key_persons_fill_town BEFORE INSERT OR UPDATE OF village_id, village_version ON key_persons
  FOR EACH ROW EXECUTE FUNCTION key_persons_fill_town();

ALTER TABLE key_person_visits ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE key_person_visits v SET town_id = p.town_id FROM key_persons p WHERE p.id = v.person_id;
ALTER TABLE key_person_visits ALTER COLUMN town_id SET NOT NULL;

CREATE FUNCTION key_person_visits_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := (SELECT p.town_id FROM key_persons p WHERE p.id = NEW.person_id);
  RETURN NEW;
END;
$$;
CREATE TRIGGER key_person_visits_fill_town BEFORE INSERT ON key_person_visits
  FOR EACH ROW EXECUTE FUNCTION key_person_visits_fill_town();

------------------------------------------------------------------------------
-- Joint cases: a town's center opens them over its disputes (cross-town work
-- is the county's escalation, not a joint case).
ALTER TABLE joint_cases ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE joint_cases j SET town_id = coalesce(
  (SELECT min(c.town_id) FROM joint_case_disputes d JOIN cases c ON c.id = d.case_id WHERE d.joint_case_id = j.id),
  sole_town());
ALTER TABLE joint_cases ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER joint_cases_fill_town BEFORE INSERT ON joint_cases
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_session();

CREATE FUNCTION fill_town_from_joint_case() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := (SELECT j.town_id FROM joint_cases j WHERE j.id = NEW.joint_case_id);
  RETURN NEW;
END;
$$;

ALTER TABLE joint_case_disputes ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE joint_case_disputes d SET town_id = j.town_id FROM joint_cases j WHERE j.id = d.joint_case_id;
ALTER TABLE joint_case_disputes ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER joint_case_disputes_fill_town BEFORE INSERT ON joint_case_disputes
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_joint_case();

ALTER TABLE joint_case_stations ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE joint_case_stations s SET town_id = j.town_id FROM joint_cases j WHERE j.id = s.joint_case_id;
ALTER TABLE joint_case_stations ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER joint_case_stations_fill_town BEFORE INSERT ON joint_case_stations
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_joint_case();

------------------------------------------------------------------------------
-- Boundary history and import jobs
ALTER TABLE boundary_changes ADD COLUMN town_id bigint REFERENCES areas (id);
ALTER TABLE boundary_changes DISABLE TRIGGER boundary_changes_append_only;
UPDATE boundary_changes b SET town_id = coalesce(
  (SELECT min(v.town_id) FROM boundary_change_versions cv JOIN area_versions v USING (area_id, version) WHERE cv.change_id = b.id),
  sole_town());
ALTER TABLE boundary_changes ENABLE TRIGGER boundary_changes_append_only;
ALTER TABLE boundary_changes ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER boundary_changes_fill_town BEFORE INSERT ON boundary_changes
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_session();

CREATE FUNCTION fill_town_from_boundary_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := (SELECT b.town_id FROM boundary_changes b WHERE b.id = NEW.change_id);
  RETURN NEW;
END;
$$;

ALTER TABLE boundary_change_versions ADD COLUMN town_id bigint REFERENCES areas (id);
ALTER TABLE boundary_change_versions DISABLE TRIGGER boundary_change_versions_append_only;
UPDATE boundary_change_versions cv SET town_id = b.town_id FROM boundary_changes b WHERE b.id = cv.change_id;
ALTER TABLE boundary_change_versions ENABLE TRIGGER boundary_change_versions_append_only;
ALTER TABLE boundary_change_versions ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER boundary_change_versions_fill_town BEFORE INSERT ON boundary_change_versions
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_boundary_change();

ALTER TABLE area_lineage ADD COLUMN town_id bigint REFERENCES areas (id);
ALTER TABLE area_lineage DISABLE TRIGGER area_lineage_append_only;
UPDATE area_lineage l SET town_id = b.town_id FROM boundary_changes b WHERE b.id = l.change_id;
ALTER TABLE area_lineage ENABLE TRIGGER area_lineage_append_only;
ALTER TABLE area_lineage ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER area_lineage_fill_town BEFORE INSERT ON area_lineage
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_boundary_change();

ALTER TABLE boundary_import_jobs ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE boundary_import_jobs SET town_id = sole_town();
DELETE FROM boundary_import_jobs WHERE town_id IS NULL;
ALTER TABLE boundary_import_jobs ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER boundary_import_jobs_fill_town BEFORE INSERT ON boundary_import_jobs
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_session();

------------------------------------------------------------------------------
-- Grid staff and their duties
ALTER TABLE staff ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE staff s SET town_id = coalesce(
  (SELECT min(version_town(g.area_id, NULL)) FROM grid_assignments g WHERE g.staff_id = s.id),
  sole_town());
DELETE FROM staff s WHERE town_id IS NULL AND NOT EXISTS (SELECT 1 FROM grid_assignments g WHERE g.staff_id = s.id);
ALTER TABLE staff ALTER COLUMN town_id SET NOT NULL;
CREATE TRIGGER staff_fill_town BEFORE INSERT ON staff
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_session();

ALTER TABLE grid_assignments ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE grid_assignments SET town_id = version_town(area_id, NULL);
ALTER TABLE grid_assignments ALTER COLUMN town_id SET NOT NULL;

CREATE FUNCTION grid_assignments_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := version_town(NEW.area_id, NULL);
  RETURN NEW;
END;
$$;
CREATE TRIGGER grid_assignments_fill_town BEFORE INSERT OR UPDATE OF area_id ON grid_assignments
  FOR EACH ROW EXECUTE FUNCTION grid_assignments_fill_town();

------------------------------------------------------------------------------
-- Users: town users (every role as before) and county users. The county
-- leader (县领导) and the county dispatcher (县指挥中心调度) read every town;
-- the three administrators may sit in a town (its users, boundaries, audit)
-- or at the county (all towns: the county runs the deployment). Leaders,
-- dispatchers, stations and grid workers always belong to one town.
ALTER TABLE users DROP CONSTRAINT IF EXISTS users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('leader', 'dispatcher', 'station', 'grid_worker', 'admin', 'security_admin', 'audit_admin',
                  'county_leader', 'county_dispatcher'));
ALTER TABLE users ADD COLUMN town_id bigint REFERENCES areas (id);
UPDATE users SET town_id = sole_town() WHERE role IN ('leader', 'dispatcher', 'station', 'grid_worker');
ALTER TABLE users ADD CONSTRAINT users_town_scope CHECK (
  CASE
    WHEN role IN ('county_leader', 'county_dispatcher') THEN town_id IS NULL
    WHEN role IN ('admin', 'security_admin', 'audit_admin') THEN true
    ELSE town_id IS NOT NULL
  END) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT users_town_scope;
CREATE INDEX users_town ON users (town_id);

-- A town session creates users of its own town only (never county users); a
-- town role created elsewhere without a town joins the only town.
CREATE FUNCTION users_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF app_town() IS NOT NULL THEN
    NEW.town_id := coalesce(NEW.town_id, app_town());
    IF NEW.town_id <> app_town() OR NEW.role IN ('county_leader', 'county_dispatcher') THEN
      RAISE EXCEPTION 'users: a town session creates users of its own town only'
        USING ERRCODE = 'insufficient_privilege';
    END IF;
  ELSIF NEW.town_id IS NULL AND NEW.role IN ('leader', 'dispatcher', 'station', 'grid_worker') THEN
    NEW.town_id := sole_town();
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER users_fill_town BEFORE INSERT OR UPDATE OF town_id, role ON users
  FOR EACH ROW EXECUTE FUNCTION users_fill_town();

------------------------------------------------------------------------------
-- Audit log: an entry belongs to the town of the user who acted (null: a
-- county user, the system, or a sign-in before anyone is known). A town's
-- audit administrator audits the people of the town; the county's audits
-- everyone, county users included.
ALTER TABLE audit_log ADD COLUMN town_id bigint REFERENCES areas (id);
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change;
UPDATE audit_log a SET town_id = u.town_id FROM users u WHERE u.id = a.user_id AND u.town_id IS NOT NULL;
ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_change;
CREATE INDEX audit_log_town_at ON audit_log (town_id, at DESC);

CREATE FUNCTION audit_log_fill_town() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.town_id := coalesce(NEW.town_id, app_town());
  RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_fill_town BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_fill_town();
