-- The "1+7" structure: one comprehensive-governance center and seven stations.
CREATE TABLE stations (
  key        text PRIMARY KEY,
  kind       text NOT NULL CHECK (kind IN ('center', 'station')),
  name_zh    text NOT NULL,
  name_en    text NOT NULL,
  sort_order smallint NOT NULL
);

INSERT INTO stations (key, kind, name_zh, name_en, sort_order) VALUES
  ('center',          'center',  '综治服务中心',               'Comprehensive governance service center', 0),
  ('litigation',      'station', '诉讼服务站',                 'Litigation service station', 1),
  ('procuratorate',   'station', '检调对接工作站',             'Procuratorate–mediation liaison station', 2),
  ('police',          'station', '警民服务站',                 'Police–citizen service station', 3),
  ('legal-mediation', 'station', '法律服务及矛盾纠纷调处站',   'Legal service & dispute mediation station', 4),
  ('petition',        'station', '信访接待站',                 'Petition reception station', 5),
  ('social-work',     'station', '社会工作站',                 'Social work station', 6),
  ('women-children',  'station', '妇女儿童维权工作站',         'Women & children''s rights station', 7);

-- Grid staff (grid leaders, grid workers, village heads) and their duties.
CREATE TABLE staff (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  staff_key  text NOT NULL UNIQUE,
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  phone      text,
  synthetic  boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grid_assignments (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  area_id    bigint NOT NULL REFERENCES areas (id),
  staff_id   bigint NOT NULL REFERENCES staff (id),
  duty       text NOT NULL CHECK (duty IN ('leader', 'worker')),
  valid_from timestamptz NOT NULL DEFAULT now(),
  valid_to   timestamptz,
  CHECK (valid_to IS NULL OR valid_to > valid_from)
);

CREATE INDEX grid_assignments_area ON grid_assignments (area_id) WHERE valid_to IS NULL;
CREATE INDEX grid_assignments_staff ON grid_assignments (staff_id) WHERE valid_to IS NULL;
