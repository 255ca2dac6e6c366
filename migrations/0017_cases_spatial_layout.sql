-- Cases laid out by place, and the indexes of dispute clusters (issue 11,
-- items 3 and 4).
--
-- Tiles. The busiest z14 tile holds ~9,400 hazards of a 90-day window at a
-- million cases; stored in registration order they sat on ~7,100 pages, one
-- row a page. Here every case gets the z14 tile it lies in (Web Mercator tile
-- grid, computed from lon/lat by the tile formula) as one integer, an index
-- orders cases by (kind, tile, reported_at), and the table is rewritten in
-- that order (CLUSTER): the hazards of one tile in one window are then one run
-- of pages, and the tile query (tiles.repository.ts) reads them through that
-- index by the keys of the tile's z14 tiles plus a ring of one around them.
-- The ring makes the keys a superset of what the envelope test keeps: the
-- tile's buffer, and points on a tile edge (`&&` is inclusive, the key
-- rounds down), so the answer is unchanged.
--
-- What keeps the layout: new cases are appended in registration order, so it
-- decays as they arrive; fillfactor 90 leaves room on each page for the new
-- versions of updated rows (a status change stays on its page), and the
-- maintenance command `CLUSTER cases` (no index name needed: the index is
-- recorded as the table's clustering index) rewrites it in order again, e.g.
-- nightly or monthly. It takes an exclusive lock on cases for its duration
-- (about a minute at a million cases); so does this migration.
--
-- PostGIS calls in the function are schema-qualified: index builds and
-- CLUSTER run index expressions with search_path = pg_catalog, pg_temp
-- (PostgreSQL 17+, so PGlite), where an unqualified ST_X is not found.
CREATE FUNCTION tile14_key(geom public.geometry) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (floor((public.ST_X(geom) + 180) / 360 * 16384) * 16384
    + floor((1 - ln(tan(radians(public.ST_Y(geom))) + 1 / cos(radians(public.ST_Y(geom)))) / pi()) / 2 * 16384))::integer
$$;

COMMENT ON FUNCTION tile14_key(geometry) IS
  'The z14 Web Mercator tile of a lon/lat point as x * 16384 + y (tile formula; rounding down on edges)';

CREATE INDEX cases_kind_tile14 ON cases (kind, tile14_key(geom), reported_at);

ALTER TABLE cases SET (fillfactor = 90);
CLUSTER cases USING cases_kind_tile14;

-- Dispute clusters read id, village and point of every dispute of a window:
-- this partial covering index serves them without visiting the table.
CREATE INDEX cases_dispute_points ON cases (reported_at) INCLUDE (id, village_id, geom) WHERE kind = 'dispute';

-- Parties' villages of clusters: the members' parties, read index-only.
CREATE INDEX case_parties_case_village ON case_parties (case_id) INCLUDE (home_village_id);

ANALYZE cases;
ANALYZE case_parties;
