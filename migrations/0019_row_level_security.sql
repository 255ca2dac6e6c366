-- Isolation of towns in the database (issue 13, item 1): row-level security
-- on every town-owned table (the `town_id` of 0018), on two per-connection
-- settings that the server sets when it lends a connection
-- (server/core/db/db-scope.ts):
--   app.scope = 'town'   with app.town = <town id>: reads and writes its town only;
--   app.scope = 'county' (county users): reads and writes every town;
--   app.scope = 'system' (migrations, seed, sweeps, scripts): every town;
--   anything else (unset, empty, a public route): FAIL CLOSED, no row.
--
-- Superusers and table owners bypass row-level security, so the application
-- runs its statements as the NOLOGIN role `gridatlas_app` (each connection
-- does SET ROLE gridatlas_app; migrations RESET ROLE). The role is global to
-- the cluster: several databases (parallel test databases) may create it at
-- once, so a duplicate is tolerated.
--
-- Not under row-level security, and why:
--   areas: identity and level only (the content is in area_versions);
--   users, user_grids, sessions, api_tokens, login_*: sign-in reads them before
--     anyone's scope is known; the API scopes user administration, and a
--     trigger (0018) refuses a town session creating users of another town or
--     county users;
--   settings (routing rules, deadlines, key-person categories, colours and
--     settings, analytics settings, stations): county-wide policy;
--   data_revisions, app_meta, schema_migrations: bookkeeping.
DO $$
BEGIN
  CREATE ROLE gridatlas_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END;
$$;

-- A non-superuser owner needs membership to SET ROLE (a superuser may anyway).
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT gridatlas_app TO %I', current_user);
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END;
$$;

GRANT USAGE ON SCHEMA public TO gridatlas_app;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public TO gridatlas_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO gridatlas_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO gridatlas_app;
-- Tables, sequences and functions of later migrations (made by the same owner).
ALTER DEFAULT PRIVILEGES IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON TABLES TO gridatlas_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO gridatlas_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO gridatlas_app;

-- Whether the session reads (and writes) every town: county users and system work.
CREATE FUNCTION app_all_towns() RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('app.scope', true) IN ('county', 'system'), false)
$$;

COMMENT ON FUNCTION app_all_towns() IS 'The session reads and writes every town (app.scope county or system)';

DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'area_versions', 'cases', 'leads', 'case_parties', 'case_photos', 'case_events',
    'key_persons', 'key_person_visits', 'joint_cases', 'joint_case_disputes', 'joint_case_stations',
    'boundary_changes', 'boundary_change_versions', 'area_lineage', 'boundary_import_jobs',
    'staff', 'grid_assignments'
  ] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY town_scope ON %I USING (app_all_towns() OR town_id = app_town()) '
      'WITH CHECK (app_all_towns() OR town_id = app_town())', t);
  END LOOP;
END;
$$;

-- The audit log: a town reads its own entries; an entry of nobody's town (a
-- sign-in attempt by an unknown name, a county user) is written from any
-- session but read only at the county.
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY town_scope ON audit_log
  USING (app_all_towns() OR town_id = app_town())
  WITH CHECK (app_all_towns() OR town_id IS NOT DISTINCT FROM app_town());
