-- Analytics for the leadership risk map (风险一张图): the risk-score settings
-- and joint mediation cases (联调) opened on a cluster of disputes.

-- Weights of the risk score, its recency half-life and the colour thresholds.
-- One row, edited by admins (PUT /api/analytics/settings). A grid's score is
--   Σ open hazards × hazard weight of their severity
-- + Σ active disputes × tier weight × 0.5 ^ (age in days / half-life)
-- + Σ key persons in management × weight of their colour
-- + Σ overdue cases × overdue penalty
-- and maps to the four risk colours (四色): blue below yellow_from, then
-- yellow, orange, red from red_from up.
CREATE TABLE analytics_settings (
  id                    boolean PRIMARY KEY DEFAULT true CHECK (id),
  hazard_low            double precision NOT NULL DEFAULT 1 CHECK (hazard_low BETWEEN 0 AND 1000),
  hazard_medium         double precision NOT NULL DEFAULT 2 CHECK (hazard_medium BETWEEN 0 AND 1000),
  hazard_high           double precision NOT NULL DEFAULT 4 CHECK (hazard_high BETWEEN 0 AND 1000),
  hazard_critical       double precision NOT NULL DEFAULT 8 CHECK (hazard_critical BETWEEN 0 AND 1000),
  dispute_general       double precision NOT NULL DEFAULT 1 CHECK (dispute_general BETWEEN 0 AND 1000),
  dispute_complex       double precision NOT NULL DEFAULT 3 CHECK (dispute_complex BETWEEN 0 AND 1000),
  dispute_major         double precision NOT NULL DEFAULT 6 CHECK (dispute_major BETWEEN 0 AND 1000),
  half_life_days        double precision NOT NULL DEFAULT 30 CHECK (half_life_days > 0 AND half_life_days <= 3650),
  key_person_red        double precision NOT NULL DEFAULT 3 CHECK (key_person_red BETWEEN 0 AND 1000),
  key_person_orange     double precision NOT NULL DEFAULT 2 CHECK (key_person_orange BETWEEN 0 AND 1000),
  key_person_yellow     double precision NOT NULL DEFAULT 1 CHECK (key_person_yellow BETWEEN 0 AND 1000),
  key_person_green      double precision NOT NULL DEFAULT 0 CHECK (key_person_green BETWEEN 0 AND 1000),
  overdue_penalty       double precision NOT NULL DEFAULT 2 CHECK (overdue_penalty BETWEEN 0 AND 1000),
  yellow_from           double precision NOT NULL DEFAULT 5 CHECK (yellow_from > 0),
  orange_from           double precision NOT NULL DEFAULT 10,
  red_from              double precision NOT NULL DEFAULT 20,
  updated_at            timestamptz NOT NULL DEFAULT now(),
  updated_by            bigint REFERENCES users (id),
  CHECK (yellow_from < orange_from AND orange_from < red_from)
);

INSERT INTO analytics_settings (id) VALUES (true);

-- A joint mediation case (联调): the disputes of one cluster handled together
-- by several stations at once. Each linked dispute gets a ledger entry.
CREATE TABLE joint_cases (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  note        text NOT NULL DEFAULT '' CHECK (length(note) <= 4000),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  -- The clustering parameters the cluster was found with, for the record.
  cluster     jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(cluster) = 'object'),
  opened_at   timestamptz NOT NULL DEFAULT now(),
  opened_by   bigint NOT NULL REFERENCES users (id),
  closed_at   timestamptz,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);

-- The disputes of a joint case; a dispute belongs to at most one joint case.
CREATE TABLE joint_case_disputes (
  joint_case_id bigint NOT NULL REFERENCES joint_cases (id),
  case_id       bigint NOT NULL UNIQUE REFERENCES cases (id),
  PRIMARY KEY (joint_case_id, case_id)
);

-- The stations a joint case is dispatched to (at least one, usually several).
CREATE TABLE joint_case_stations (
  joint_case_id bigint NOT NULL REFERENCES joint_cases (id),
  station_key   text NOT NULL REFERENCES stations (key),
  PRIMARY KEY (joint_case_id, station_key)
);
