-- Projected coordinates stored once (issue 11, item 5): the hexagon and
-- square bins (and the heatmap built on them) counted every point after
-- ST_Transform to the metric CRS on every request. The UTM 47N (EPSG:32647)
-- x/y of each case and key-person household are now computed when the row is
-- written and read as plain numbers.
--
-- Why EPSG:32647 and not the CGCS2000 Gauss-Kruger zone (EPSG:4542): the bins'
-- grid is defined on the origin of EPSG:32647 (cell (i, j) of size s spans
-- [i·s, (i+1)·s] there; the API documents crs EPSG:32647, clients keep cell
-- keys, and the key-person cell sizes nest on that origin). Another CRS would
-- move every cell and change every answer.
--
-- Generated columns (not a trigger): PostgreSQL keeps them right on every
-- INSERT and UPDATE of the point, on both engines, with no code path able to
-- forget them; ST_Transform(geometry, integer) is IMMUTABLE, as a stored
-- generated column requires. An archived key person's point is set to NULL,
-- and so are its projected coordinates. Values are bit-for-bit those of
-- ST_X(ST_Transform(geom, 32647)) computed at request time before.
ALTER TABLE cases
  ADD COLUMN utm_x_meters float8 GENERATED ALWAYS AS (ST_X(ST_Transform(geom, 32647))) STORED,
  ADD COLUMN utm_y_meters float8 GENERATED ALWAYS AS (ST_Y(ST_Transform(geom, 32647))) STORED;

ALTER TABLE key_persons
  ADD COLUMN utm_x_meters float8 GENERATED ALWAYS AS (ST_X(ST_Transform(household_geom, 32647))) STORED,
  ADD COLUMN utm_y_meters float8 GENERATED ALWAYS AS (ST_Y(ST_Transform(household_geom, 32647))) STORED;

COMMENT ON COLUMN cases.utm_x_meters IS 'Easting of geom in EPSG:32647 (UTM 47N), metres; generated';
COMMENT ON COLUMN cases.utm_y_meters IS 'Northing of geom in EPSG:32647 (UTM 47N), metres; generated';
COMMENT ON COLUMN key_persons.utm_x_meters IS 'Easting of household_geom in EPSG:32647 (UTM 47N), metres; generated';
COMMENT ON COLUMN key_persons.utm_y_meters IS 'Northing of household_geom in EPSG:32647 (UTM 47N), metres; generated';

-- Bins of one kind over a time window read only these from the index
-- (index-only scan, as cases_kind_reported_geom of migration 0009 did for the
-- point): 16 bytes a row instead of the point's 32.
CREATE INDEX cases_kind_reported_utm ON cases (kind, reported_at) INCLUDE (utm_x_meters, utm_y_meters);
