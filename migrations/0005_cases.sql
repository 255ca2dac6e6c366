-- Cases: hazards (隐患) and disputes (矛盾纠纷), the lead list (线索清单),
-- the ledger (台账), category→station routing rules and deadline settings.
--
-- Hazards and disputes share one `cases` table with a `kind` column. They
-- have the same life on the map (a point, a status, a deadline, a village and
-- grids at the version in force when reported), so the layers, the legend's
-- per-status counts, the monthly problem list and the deadline supervision are
-- one query each instead of a UNION over two tables; the fields only one kind
-- has are nullable, and CHECK constraints tie them to their kind. The legend
-- counts are served by the (kind, status) index, bbox pages by the GiST index.

-- Categories of each kind with the station a case of that category goes to by
-- default (the suggested station on the dispatch queue). Admin-editable.
CREATE TABLE case_routing_rules (
  kind        text NOT NULL CHECK (kind IN ('hazard', 'dispute')),
  category    text NOT NULL CHECK (category ~ '^[a-z][a-z0-9_-]{1,39}$'),
  name_zh     text NOT NULL CHECK (length(name_zh) BETWEEN 1 AND 50),
  name_en     text NOT NULL CHECK (length(name_en) BETWEEN 1 AND 100),
  station_key text NOT NULL REFERENCES stations (key),
  sort_order  smallint NOT NULL DEFAULT 100,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text NOT NULL DEFAULT 'migration',
  PRIMARY KEY (kind, category)
);

INSERT INTO case_routing_rules (kind, category, name_zh, name_en, station_key, sort_order) VALUES
  ('dispute', 'neighbour',       '邻里纠纷',         'Neighbour dispute',              'legal-mediation', 1),
  ('dispute', 'land',            '土地纠纷',         'Land dispute',                   'legal-mediation', 2),
  ('dispute', 'homestead',       '宅基地纠纷',       'Homestead dispute',              'legal-mediation', 3),
  ('dispute', 'contract',        '合同纠纷',         'Contract dispute',               'legal-mediation', 4),
  ('dispute', 'debt',            '债务纠纷',         'Debt dispute',                   'litigation',      5),
  ('dispute', 'labour',          '劳动争议',         'Labour dispute',                 'litigation',      6),
  ('dispute', 'marriage-family', '婚姻家庭纠纷',     'Marriage and family dispute',    'women-children',  7),
  ('dispute', 'public-order',    '治安纠纷',         'Public-order dispute',           'police',          8),
  ('dispute', 'criminal-civil',  '刑事附带民事纠纷', 'Criminal-adjacent civil matter', 'procuratorate',   9),
  ('dispute', 'petition',        '信访事项',         'Petition matter',                'petition',        10),
  ('dispute', 'hardship',        '困难帮扶诉求',     'Hardship and support request',   'social-work',     11),
  ('hazard',  'fire',            '消防隐患',         'Fire hazard',                    'police',          1),
  ('hazard',  'geological',      '地质灾害隐患',     'Geological hazard',              'police',          2),
  ('hazard',  'flood',           '防汛及洱海岸线隐患', 'Flood and lakeshore hazard',   'police',          3),
  ('hazard',  'building',        '危房隐患',         'Dangerous building',             'police',          4),
  ('hazard',  'traffic',         '交通安全隐患',     'Traffic hazard',                 'police',          5),
  ('hazard',  'electrical',      '用电安全隐患',     'Electrical hazard',              'police',          6),
  ('hazard',  'food',            '食品安全隐患',     'Food-safety hazard',             'police',          7),
  ('hazard',  'public-security', '治安隐患',         'Public-security hazard',         'police',          8),
  ('hazard',  'other',           '其他隐患',         'Other hazard',                   'police',          99),
  ('dispute', 'other',           '其他纠纷',         'Other dispute',                  'legal-mediation', 99);

-- Hours allowed per dispute tier and hazard severity. Read when a case is
-- registered or re-tiered; a later change does not move existing deadlines.
CREATE TABLE case_deadline_settings (
  kind       text NOT NULL CHECK (kind IN ('hazard', 'dispute')),
  grade      text NOT NULL,
  hours      integer NOT NULL CHECK (hours BETWEEN 1 AND 8760),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT 'migration',
  PRIMARY KEY (kind, grade),
  CHECK ((kind = 'dispute' AND grade IN ('general', 'complex', 'major'))
      OR (kind = 'hazard' AND grade IN ('low', 'medium', 'high', 'critical')))
);

INSERT INTO case_deadline_settings (kind, grade, hours) VALUES
  ('dispute', 'general', 72),
  ('dispute', 'complex', 360),
  ('dispute', 'major', 24),
  ('hazard', 'critical', 24),
  ('hazard', 'high', 72),
  ('hazard', 'medium', 168),
  ('hazard', 'low', 360);

-- Clues handed over by departments, not verified yet.
CREATE TABLE leads (
  id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  status            text NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'verified', 'converted', 'dismissed')),
  department        text NOT NULL CHECK (length(department) BETWEEN 1 AND 100),
  category          text CHECK (category ~ '^[a-z][a-z0-9_-]{1,39}$'),
  description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  geom              geometry(Point, 4326),
  village_id        bigint REFERENCES areas (id),
  base_grid_id      bigint REFERENCES areas (id),
  fine_grid_id      bigint REFERENCES areas (id),
  received_at       timestamptz NOT NULL,
  received_by       bigint NOT NULL REFERENCES users (id),
  verified_at       timestamptz,
  verification_note text,
  dismissed_reason  text,
  closed_at         timestamptz,
  version           integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (status <> 'dismissed' OR dismissed_reason IS NOT NULL),
  CHECK ((status IN ('converted', 'dismissed')) = (closed_at IS NOT NULL))
);

CREATE INDEX leads_status ON leads (status);
CREATE INDEX leads_received_at ON leads (received_at);
CREATE INDEX leads_village ON leads (village_id);

CREATE TABLE cases (
  id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind                  text NOT NULL CHECK (kind IN ('hazard', 'dispute')),
  status                text NOT NULL,
  category              text NOT NULL,
  description           text NOT NULL CHECK (length(description) BETWEEN 1 AND 4000),
  severity              text CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  tier                  text CHECK (tier IN ('general', 'complex', 'major')),
  source                text NOT NULL CHECK (source IN ('grid_worker', 'walk_in', 'hotline', 'department', 'lead')),
  reporter_name         text NOT NULL CHECK (length(reporter_name) BETWEEN 1 AND 50),
  reporter_phone        text CHECK (length(reporter_phone) <= 30),
  photos                jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(photos) = 'array'),
  lead_id               bigint UNIQUE REFERENCES leads (id),
  cross_village         boolean NOT NULL DEFAULT false,
  -- Where and when, with the boundary versions in force at `reported_at`.
  geom                  geometry(Point, 4326) NOT NULL,
  reported_at           timestamptz NOT NULL,
  registered_at         timestamptz NOT NULL DEFAULT now(),
  registered_by         bigint NOT NULL REFERENCES users (id),
  village_id            bigint NOT NULL,
  village_version       integer NOT NULL,
  base_grid_id          bigint,
  base_grid_version     integer,
  fine_grid_id          bigint,
  fine_grid_version     integer,
  -- Supervision (督办): `deadline_at` = reported_at + hours of the tier/severity.
  deadline_at           timestamptz NOT NULL,
  -- Triage and dispatch (任务分流).
  station_key           text REFERENCES stations (key),
  village_center_id     bigint REFERENCES areas (id),
  mediator_name         text CHECK (length(mediator_name) BETWEEN 1 AND 50),
  dispatched_at         timestamptz,
  -- Escalation to city departments (事件上报).
  escalated_at          timestamptz,
  escalation_department text,
  escalation_reason     text,
  -- Resolution (纠纷化解), feedback (结果反馈), evaluation (考核评价).
  mediation_mode        text CHECK (mediation_mode IN ('pre_litigation', 'jinhua', 'apeng', 'expert', 'other')),
  outcome               text CHECK (outcome IN ('agreement', 'withdrawn', 'litigation', 'failed')),
  outcome_note          text,
  resolved_at           timestamptz,
  feedback_note         text,
  fed_back_at           timestamptz,
  satisfaction          smallint CHECK (satisfaction BETWEEN 1 AND 5),
  timely                boolean,
  evaluation_note       text,
  evaluated_at          timestamptz,
  -- Hazard steps.
  verified_at           timestamptz,
  verification_note     text,
  rectification_plan    text,
  rectification_note    text,
  rectified_at          timestamptz,
  -- When the case left the open set (closed, unfounded or evaluated).
  closed_at             timestamptz,
  version               integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (kind, category) REFERENCES case_routing_rules (kind, category),
  FOREIGN KEY (village_id, village_version) REFERENCES area_versions (area_id, version),
  FOREIGN KEY (base_grid_id, base_grid_version) REFERENCES area_versions (area_id, version),
  FOREIGN KEY (fine_grid_id, fine_grid_version) REFERENCES area_versions (area_id, version),
  CHECK ((kind = 'hazard' AND severity IS NOT NULL AND tier IS NULL)
      OR (kind = 'dispute' AND tier IS NOT NULL AND severity IS NULL)),
  CHECK ((kind = 'hazard' AND status IN ('reported', 'verified', 'unfounded', 'rectifying', 'rectified', 'closed'))
      OR (kind = 'dispute' AND status IN ('registered', 'dispatched', 'escalated', 'resolved', 'fed_back', 'evaluated'))),
  CHECK (station_key IS NULL OR village_center_id IS NULL),
  CHECK (NOT (tier = 'complex' AND dispatched_at IS NOT NULL AND mediator_name IS NULL)),
  CHECK ((status IN ('closed', 'unfounded', 'evaluated')) = (closed_at IS NOT NULL)),
  CHECK (deadline_at > reported_at)
);

COMMENT ON COLUMN cases.deadline_at IS
  'reported_at plus the hours of case_deadline_settings for the tier (dispute) or severity (hazard)';

CREATE INDEX cases_geom ON cases USING gist (geom);
CREATE INDEX cases_kind_status ON cases (kind, status);
CREATE INDEX cases_reported_at ON cases (kind, reported_at);
CREATE INDEX cases_village ON cases (village_id);
CREATE INDEX cases_base_grid ON cases (base_grid_id);
CREATE INDEX cases_fine_grid ON cases (fine_grid_id);
CREATE INDEX cases_station ON cases (station_key) WHERE station_key IS NOT NULL;
CREATE INDEX cases_registered_by ON cases (registered_by);
CREATE INDEX cases_open_deadline ON cases (deadline_at) WHERE closed_at IS NULL;

-- Parties (当事人) of a dispute, each with their home village.
CREATE TABLE case_parties (
  case_id         bigint NOT NULL REFERENCES cases (id),
  seq             smallint NOT NULL CHECK (seq >= 1),
  name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  role            text NOT NULL DEFAULT 'party' CHECK (role IN ('applicant', 'respondent', 'party')),
  phone           text CHECK (length(phone) <= 30),
  home_village_id bigint NOT NULL REFERENCES areas (id),
  PRIMARY KEY (case_id, seq)
);

CREATE INDEX case_parties_village ON case_parties (home_village_id);

-- The ledger (台账): one append-only entry per action on a case or a lead.
CREATE TABLE case_events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id     bigint REFERENCES cases (id),
  lead_id     bigint REFERENCES leads (id),
  at          timestamptz NOT NULL DEFAULT now(),
  user_id     bigint NOT NULL REFERENCES users (id),
  username    text NOT NULL,
  role        text NOT NULL,
  action      text NOT NULL CHECK (action ~ '^[a-z][a-z-]{1,39}$'),
  status_from text,
  status_to   text NOT NULL,
  version     integer NOT NULL,
  changes     jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(changes) = 'object'),
  reason      text,
  CHECK (num_nonnulls(case_id, lead_id) = 1)
);

CREATE INDEX case_events_case ON case_events (case_id, id) WHERE case_id IS NOT NULL;
CREATE INDEX case_events_lead ON case_events (lead_id, id) WHERE lead_id IS NOT NULL;

CREATE FUNCTION case_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'case_events is an append-only ledger: % is not allowed', TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER case_events_no_update_delete
  BEFORE UPDATE OR DELETE ON case_events
  FOR EACH ROW EXECUTE FUNCTION case_events_append_only();

CREATE TRIGGER case_events_no_truncate
  BEFORE TRUNCATE ON case_events
  FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
