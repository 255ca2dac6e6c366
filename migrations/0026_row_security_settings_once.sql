-- Row-level security that reads the session's scope once per statement, not
-- once per row (issue 11: town users' reads at a million cases).
--
-- The policies of 0019 call app_all_towns() and app_town() on every row:
-- three current_setting() lookups per row in a town session. On the 1M
-- benchmark database a town leader's 90-day window of hazards (138,596 rows,
-- index-only) took 90–97 ms against 31–32 ms with the calls written as
-- scalar subqueries, which PostgreSQL evaluates once per statement (an
-- InitPlan) and then compares as parameters. The rules are the same: a
-- statement's scope cannot change while it runs.
--
-- The policies of joint cases, their disputes and stations (0023, with
-- EXISTS clauses over small tables) are left as they are.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'area_versions', 'cases', 'leads', 'case_parties', 'case_photos', 'case_events',
    'key_persons', 'key_person_visits', 'boundary_changes', 'boundary_change_versions',
    'area_lineage', 'boundary_import_jobs', 'staff', 'grid_assignments'
  ] LOOP
    EXECUTE format(
      'ALTER POLICY town_scope ON %I USING ((SELECT app_all_towns()) OR town_id = (SELECT app_town())) '
      'WITH CHECK ((SELECT app_all_towns()) OR town_id = (SELECT app_town()))', t);
  END LOOP;
END;
$$;

ALTER POLICY town_scope ON audit_log
  USING ((SELECT app_all_towns()) OR town_id = (SELECT app_town()))
  WITH CHECK ((SELECT app_all_towns()) OR town_id IS NOT DISTINCT FROM (SELECT app_town()));

-- 0021 wrote the scope test out (no dependence on 0019's helpers); so here.
ALTER POLICY town_scope ON case_escalations
  USING ((SELECT coalesce(current_setting('app.scope', true) IN ('county', 'system'), false)) OR town_id = (SELECT app_town()))
  WITH CHECK ((SELECT coalesce(current_setting('app.scope', true) IN ('county', 'system'), false)) OR town_id = (SELECT app_town()));
