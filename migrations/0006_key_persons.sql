-- Key persons (重点人员): people who need regular attention and services.
-- Sensitive personal information: read through the API only, which masks
-- identity numbers, phones and addresses and writes every read to audit_log.

-- Configurable categories (the eight of DOMAIN.md are seeded).
CREATE TABLE key_person_categories (
  key         text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]{1,39}$'),
  label_zh    text NOT NULL CHECK (length(label_zh) BETWEEN 1 AND 50),
  label_en    text NOT NULL CHECK (length(label_en) BETWEEN 1 AND 100),
  sort_order  smallint NOT NULL DEFAULT 0,
  active      boolean NOT NULL DEFAULT true
);

INSERT INTO key_person_categories (key, label_zh, label_en, sort_order) VALUES
  ('community_corrections',  '社区矫正对象',     'Community-corrections subject', 1),
  ('released_prisoner',      '刑满释放人员',     'Released prisoner', 2),
  ('severe_mental_disorder', '严重精神障碍患者', 'Person with a severe mental disorder', 3),
  ('drug_rehabilitation',    '社区戒毒康复人员', 'Community drug rehabilitation', 4),
  ('at_risk_youth',          '重点青少年',       'At-risk youth', 5),
  ('elderly_alone',          '独居老人',         'Elderly living alone', 6),
  ('left_behind_child',      '留守儿童',         'Left-behind child', 7),
  ('hardship',               '困难群众',         'Family in hardship', 8);

-- Four-colour management (四色管理): each colour's visit frequency.
CREATE TABLE key_person_colours (
  colour              text PRIMARY KEY CHECK (colour IN ('red', 'orange', 'yellow', 'green')),
  label_zh            text NOT NULL,
  label_en            text NOT NULL,
  visit_interval_days integer NOT NULL CHECK (visit_interval_days BETWEEN 1 AND 366),
  sort_order          smallint NOT NULL,
  updated_at          timestamptz NOT NULL DEFAULT now(),
  updated_by          bigint REFERENCES users (id)
);

INSERT INTO key_person_colours (colour, label_zh, label_en, visit_interval_days, sort_order) VALUES
  ('red',    '红色', 'Red',    7,  1),
  ('orange', '橙色', 'Orange', 14, 2),
  ('yellow', '黄色', 'Yellow', 30, 3),
  ('green',  '绿色', 'Green',  90, 4);

-- Module settings: one row.
CREATE TABLE key_person_settings (
  id             boolean PRIMARY KEY DEFAULT true CHECK (id),
  retention_days integer NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 3650),
  due_soon_days  integer NOT NULL DEFAULT 3 CHECK (due_soon_days BETWEEN 0 AND 60),
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     bigint REFERENCES users (id)
);

INSERT INTO key_person_settings (id) VALUES (true);

-- A person. The point is the registered household, never a track; the areas
-- and their versions are those in force at registration (or at a move).
-- Archiving (after the retention period) clears the identifying columns.
CREATE TABLE key_persons (
  id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name                 text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  gender               text CHECK (gender IN ('male', 'female')),
  birth_year           smallint CHECK (birth_year BETWEEN 1900 AND 2100),
  id_number            text CHECK (id_number ~ '^[0-9]{17}[0-9X]$'),
  phone                text CHECK (phone ~ '^[0-9+-]{5,20}$'),
  address              text CHECK (length(address) BETWEEN 1 AND 200),
  household_geom       geometry(Point, 4326),
  village_id           bigint NOT NULL REFERENCES areas (id),
  village_version      integer NOT NULL,
  base_grid_id         bigint REFERENCES areas (id),
  base_grid_version    integer,
  fine_grid_id         bigint REFERENCES areas (id),
  fine_grid_version    integer,
  category             text NOT NULL REFERENCES key_person_categories (key),
  colour               text NOT NULL REFERENCES key_person_colours (colour),
  status               text NOT NULL DEFAULT 'in_management' CHECK (status IN ('in_management', 'away', 'released')),
  released_at          timestamptz,
  archived_at          timestamptz,
  responsible_user_id  bigint REFERENCES users (id),
  responsible_staff_id bigint REFERENCES staff (id),
  note                 text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  version              integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_at           timestamptz NOT NULL DEFAULT now(),
  created_by           bigint NOT NULL REFERENCES users (id),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  updated_by           bigint NOT NULL REFERENCES users (id),
  CHECK ((status = 'released') = (released_at IS NOT NULL)),
  CHECK (archived_at IS NULL OR status = 'released'),
  CHECK (archived_at IS NOT NULL OR household_geom IS NOT NULL)
);

CREATE INDEX key_persons_base_grid ON key_persons (base_grid_id) WHERE archived_at IS NULL;
CREATE INDEX key_persons_fine_grid ON key_persons (fine_grid_id) WHERE archived_at IS NULL;
CREATE INDEX key_persons_village ON key_persons (village_id) WHERE archived_at IS NULL;
CREATE INDEX key_persons_released ON key_persons (released_at) WHERE status = 'released' AND archived_at IS NULL;
CREATE INDEX key_persons_geom ON key_persons USING gist (household_geom);

-- Visits (走访). next_due is the due date the visit set, from the colour then.
CREATE TABLE key_person_visits (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  person_id       bigint NOT NULL REFERENCES key_persons (id),
  visitor_user_id bigint NOT NULL REFERENCES users (id),
  visited_at      timestamptz NOT NULL,
  kind            text NOT NULL CHECK (kind IN ('home', 'phone', 'other')),
  note            text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
  colour          text NOT NULL REFERENCES key_person_colours (colour),
  next_due        timestamptz NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX key_person_visits_person ON key_person_visits (person_id, visited_at DESC);

-- Who read, revealed or changed what, and why. Append-only.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL DEFAULT now(),
  user_id      bigint REFERENCES users (id),
  username     text NOT NULL,
  role         text NOT NULL,
  action       text NOT NULL CHECK (action IN ('read', 'list', 'reveal', 'denied', 'create', 'update', 'visit', 'archive', 'settings')),
  subject_kind text NOT NULL,
  subject_ids  bigint[] NOT NULL DEFAULT '{}',
  fields       text[] NOT NULL DEFAULT '{}',
  reason       text,
  request_ip   text,
  detail       jsonb
);

CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_user ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_subjects ON audit_log USING gin (subject_ids);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
