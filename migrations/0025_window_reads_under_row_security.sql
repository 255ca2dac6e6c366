-- Time-window analytics and tiles at a million cases under row-level
-- security (issue 11, items 2, 4 and 5): the reads of 0009, 0015 and 0017
-- served by indexes again.
--
-- What 0019 broke, found on the 1M benchmark database (90-day window):
-- - The policies test `town_id` on every row, and the covering indexes of
--   hexbins (0015) and the risk map's open cases (0009) do not carry it, so
--   each index entry sent the scan to the table: ~138k hazards of a window
--   read from ~19k of the table's 67k pages, ~400 ms (it was ~30 ms).
-- - Under a policy, PostgreSQL evaluates a query's conditions before the
--   policy's only when they are leakproof. `tile14_key(geom) IN (…)` inlines
--   into ST_X/ST_Y/ln/tan (not leakproof), and so does `geom && envelope`:
--   neither can be an index condition, and the tile query read every hazard
--   of the window by time and filtered them by place, whatever the table's
--   layout (0017). Likewise the
--   risk map's "open until" expression (coalesce counts as leaky): its index
--   was scanned whole, 116 MB at a million cases, ~800 ms.
--
-- Both keys become stored columns, compared as plain integers and
-- timestamps (leakproof), so they are index conditions again. Adding them
-- rewrites the table once, in its present order.
--
-- The tile key is now that of the z18 tile: the key alone must find a tile's
-- cases, so the keys asked for cover the tile, its buffer and a ring for
-- points on an edge (tile-keys.ts). With z14 keys a z14 tile read its eight
-- neighbours too, three times its own cases (~29,600 for the busiest tile's
-- ~9,400); with z18 keys about 1.3 times.
CREATE FUNCTION tile18_key(geom public.geometry) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (floor((public.ST_X(geom) + 180) / 360 * 262144) * 262144
    + floor((1 - ln(tan(radians(public.ST_Y(geom))) + 1 / cos(radians(public.ST_Y(geom)))) / pi()) / 2 * 262144))::bigint
$$;

COMMENT ON FUNCTION tile18_key(geometry) IS
  'The z18 Web Mercator tile of a lon/lat point as x * 262144 + y (tile formula; rounding down on edges)';

ALTER TABLE cases
  ADD COLUMN tile18 bigint GENERATED ALWAYS AS (tile18_key(geom)) STORED,
  ADD COLUMN open_until timestamptz GENERATED ALWAYS AS (CASE WHEN kind = 'hazard' THEN coalesce(least(rectified_at, closed_at), 'infinity'::timestamptz)
    ELSE coalesce(least(resolved_at, closed_at), 'infinity'::timestamptz) END) STORED;
COMMENT ON COLUMN cases.tile18 IS 'The z18 Web Mercator tile of geom as x * 262144 + y (tile18_key); generated';
COMMENT ON COLUMN cases.open_until IS 'When the case stops being open: a hazard rectified or closed, a dispute resolved or closed, whichever first; infinity while open (openUntilSql); generated';

-- Tiles: the (kind, tile18, reported_at) index finds a tile's cases before
-- the policy is checked, and CLUSTER keeps them on runs of pages (one per
-- z18 column of the tile). It replaces 0017's index on tile14_key(geom).
DROP INDEX IF EXISTS cases_kind_tile14;
CREATE INDEX cases_kind_tile18 ON cases (kind, tile18, reported_at);
-- `CLUSTER cases` (the maintenance of 0017) orders the table by this index.
ALTER TABLE cases CLUSTER ON cases_kind_tile18;

-- Hexbins and area bins: id, point, town (policy and filter) and the areas
-- counted by, read index-only over the window.
DROP INDEX IF EXISTS cases_kind_reported_utm;
CREATE INDEX cases_kind_reported_utm ON cases (kind, reported_at)
  INCLUDE (utm_x_meters, utm_y_meters, town_id, id, village_id, base_grid_id);

-- The risk map: the cases open at the end of its window (a few thousand
-- among a million) with every column its sums read (openAtSql, overdueAtSql,
-- the weights, the area of each level and the town), index-only.
DROP INDEX IF EXISTS cases_open_until;
CREATE INDEX cases_open_until ON cases (open_until, reported_at)
  INCLUDE (kind, severity, tier, deadline_at, escalated_at, closed_at, rectified_at, resolved_at, town_id, village_id, base_grid_id, fine_grid_id);

ANALYZE cases;
