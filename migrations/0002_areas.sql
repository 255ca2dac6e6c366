-- Areas form one hierarchy: town -> village -> base grid -> fine grid.
-- `areas` holds the stable identity; `area_versions` holds effective-dated
-- versions so that a boundary change never rewrites history.
CREATE TABLE areas (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  level       text NOT NULL CHECK (level IN ('town', 'village', 'base_grid', 'fine_grid')),
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE area_versions (
  area_id        bigint NOT NULL REFERENCES areas (id),
  version        integer NOT NULL CHECK (version >= 1),
  valid_from     timestamptz NOT NULL,
  valid_to       timestamptz,
  parent_id      bigint REFERENCES areas (id),
  county_code    char(6) NOT NULL CHECK (county_code ~ '^[0-9]{6}$'),
  township_seq   smallint NOT NULL CHECK (township_seq BETWEEN 1 AND 999),
  village_seq    smallint CHECK (village_seq BETWEEN 1 AND 999),
  grid_seq       smallint CHECK (grid_seq BETWEEN 1 AND 999),
  fine_seq       smallint CHECK (fine_seq BETWEEN 1 AND 999),
  code           text GENERATED ALWAYS AS (
                   county_code
                   || lpad(township_seq::text, 3, '0')
                   || coalesce(lpad(village_seq::text, 3, '0'), '000')
                   || coalesce(lpad(grid_seq::text, 3, '0'), '')
                   || coalesce(lpad(fine_seq::text, 3, '0'), '')
                 ) STORED,
  name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  name_en        text,
  kind           text NOT NULL DEFAULT 'standard'
                   CHECK (kind IN ('standard', 'school', 'market', 'scenic', 'enterprise')),
  households     integer NOT NULL DEFAULT 0 CHECK (households >= 0),
  population     integer NOT NULL DEFAULT 0 CHECK (population >= 0),
  geom           geometry(MultiPolygon, 4326) NOT NULL,
  exempt_geom    geometry(MultiPolygon, 4326),
  synthetic      boolean NOT NULL DEFAULT false,
  changed_by     text NOT NULL,
  change_reason  text NOT NULL,
  PRIMARY KEY (area_id, version),
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);

COMMENT ON COLUMN area_versions.exempt_geom IS
  'Part of this area that its children need not cover (e.g. lake water).';

CREATE UNIQUE INDEX area_versions_one_current ON area_versions (area_id) WHERE valid_to IS NULL;
CREATE UNIQUE INDEX area_versions_current_code ON area_versions (code) WHERE valid_to IS NULL;
CREATE INDEX area_versions_parent ON area_versions (parent_id) WHERE valid_to IS NULL;
CREATE INDEX area_versions_geom ON area_versions USING gist (geom);
CREATE INDEX area_versions_validity ON area_versions (area_id, valid_from, valid_to);

CREATE VIEW current_areas AS
  SELECT a.level, v.*
  FROM areas a
  JOIN area_versions v ON v.area_id = a.id AND v.valid_to IS NULL;
