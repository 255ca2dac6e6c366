-- Escalation of a case from a town's center to the county (事件上报 to 县级).
--
-- The case stays where it is: its town, its ledger (case_events), its parties
-- and photos. An escalation is a separate record with its own small life:
-- pending 待受理 → accepted 已受理 → closed 已办结, or returned 已交办 (assigned
-- back to the town with instructions) from pending or accepted. A returned or
-- closed escalation is history; the town may escalate the same case again,
-- which makes a new row. At most one escalation of a case is in progress at a
-- time (the partial unique index), so two dispatchers escalating at once get
-- one row and one refusal. Every step also appends an entry to the case's
-- ledger, so the town's timeline shows what the county did. `town_id` is the
-- case's town, filled from the case by the trigger of migration 0018.
CREATE TABLE case_escalations (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases (id),
  town_id       bigint NOT NULL REFERENCES areas (id),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'returned', 'closed')),
  reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  escalated_at  timestamptz NOT NULL DEFAULT now(),
  escalated_by  bigint NOT NULL REFERENCES users (id),
  accepted_at   timestamptz,
  accepted_by   bigint REFERENCES users (id),
  returned_at   timestamptz,
  instructions  text CHECK (length(instructions) BETWEEN 1 AND 2000),
  closed_at     timestamptz,
  closing_note  text CHECK (length(closing_note) BETWEEN 1 AND 2000),
  -- The county user who returned or closed it.
  finished_by   bigint REFERENCES users (id),
  version       integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'accepted') <= (accepted_at IS NOT NULL)),
  CHECK ((status = 'returned') = (returned_at IS NOT NULL)),
  CHECK ((status = 'returned') <= (instructions IS NOT NULL)),
  CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((status = 'closed') <= (closing_note IS NOT NULL))
);

CREATE UNIQUE INDEX case_escalations_in_progress ON case_escalations (case_id) WHERE status IN ('pending', 'accepted');
CREATE INDEX case_escalations_case ON case_escalations (case_id, id);
CREATE INDEX case_escalations_queue ON case_escalations (status, escalated_at);
CREATE INDEX case_escalations_town ON case_escalations (town_id, status);

CREATE TRIGGER case_escalations_fill_town BEFORE INSERT ON case_escalations
  FOR EACH ROW EXECUTE FUNCTION fill_town_from_case();
