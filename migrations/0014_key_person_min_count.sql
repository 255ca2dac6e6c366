-- Small-count suppression of key-person aggregates (issue 9, point 2): roles
-- that may not see identities get no count below this threshold (k), and
-- counts at or above it rounded to a multiple of it. k = 5 is the usual floor
-- of statistical offices; 3 is the least that still hides a single household.
ALTER TABLE key_person_settings
  ADD COLUMN min_aggregate_count integer NOT NULL DEFAULT 5 CHECK (min_aggregate_count BETWEEN 3 AND 50);
