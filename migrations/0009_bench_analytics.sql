-- Indexes for the analytics at a million cases (issue 4, npm run bench).

-- When a case stops being open (hazard rectified or closed, dispute resolved
-- or closed; 'infinity' while open): the risk map asks for the cases open at
-- the end of its window, a few thousand among a million. Same expression as
-- openUntilSql() in server/analytics/case-state.sql.ts.
CREATE INDEX cases_open_until ON cases ((CASE WHEN kind = 'hazard' THEN coalesce(least(rectified_at, closed_at), 'infinity'::timestamptz)
  ELSE coalesce(least(resolved_at, closed_at), 'infinity'::timestamptz) END));

-- Hexbins read the points of one kind over a time window: with the point in
-- the index they are read without visiting the table (index-only scan; at a
-- million cases, 90 days of hazards: ~0.1 s instead of ~0.4 s). The narrower
-- cases_reported_at stays: the planner prefers it for bitmap scans (tiles).
CREATE INDEX cases_kind_reported_geom ON cases (kind, reported_at) INCLUDE (geom);
