-- Towns see only their own escalations, in the database as in the API: the
-- same row-level security as the other town-owned tables (0019), written out
-- here so that it does not depend on 0019's helper functions. County users
-- and system work (app.scope county / system) see every town; a town session
-- its own town; any other session nothing. Table owners and superusers
-- bypass it; the application runs as the role 0019 creates.
ALTER TABLE case_escalations ENABLE ROW LEVEL SECURITY;

CREATE POLICY town_scope ON case_escalations
  USING (coalesce(current_setting('app.scope', true) IN ('county', 'system'), false) OR town_id = app_town())
  WITH CHECK (coalesce(current_setting('app.scope', true) IN ('county', 'system'), false) OR town_id = app_town());

DO $$
BEGIN
  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'gridatlas_app') THEN
    GRANT SELECT, INSERT, UPDATE ON case_escalations TO gridatlas_app;
    GRANT USAGE, SELECT ON SEQUENCE case_escalations_id_seq TO gridatlas_app;
  END IF;
END;
$$;
