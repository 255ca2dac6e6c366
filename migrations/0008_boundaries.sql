-- Boundary editing (issue 5): every save that writes area versions is one
-- `boundary_changes` row, so a reviewer sees who changed what, when and why
-- as one unit; `boundary_change_versions` lists the versions it wrote or
-- closed, and `area_lineage` records how codes passed from area to area
-- (split, merge, renumbering, creation, retirement). Area versions are never
-- updated except to close them (`valid_to`), so history is not rewritten.
CREATE TABLE boundary_changes (
  id       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind     text NOT NULL CHECK (kind IN ('edit', 'batch', 'split', 'merge', 'create', 'retire', 'restore')),
  at       timestamptz NOT NULL DEFAULT now(),
  by       text NOT NULL,
  reason   text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  summary  jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(summary) = 'object')
);

CREATE INDEX boundary_changes_at ON boundary_changes (at DESC);

-- `version` is the version written (action edit/create/renumber/reparent/restore)
-- or closed (action retire).
CREATE TABLE boundary_change_versions (
  change_id  bigint NOT NULL REFERENCES boundary_changes (id),
  area_id    bigint NOT NULL,
  version    integer NOT NULL,
  action     text NOT NULL CHECK (action IN ('edit', 'create', 'retire', 'renumber', 'reparent', 'restore')),
  PRIMARY KEY (change_id, area_id, version),
  FOREIGN KEY (area_id, version) REFERENCES area_versions (area_id, version)
);

CREATE INDEX boundary_change_versions_area ON boundary_change_versions (area_id, version);

CREATE TABLE area_lineage (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  change_id    bigint NOT NULL REFERENCES boundary_changes (id),
  kind         text NOT NULL CHECK (kind IN ('split', 'merge', 'renumber', 'create', 'retire')),
  old_code     text,
  new_code     text,
  old_area_id  bigint REFERENCES areas (id),
  new_area_id  bigint REFERENCES areas (id),
  at           timestamptz NOT NULL DEFAULT now(),
  by           text NOT NULL,
  CHECK (num_nonnulls(old_code, new_code) >= 1)
);

CREATE INDEX area_lineage_old_code ON area_lineage (old_code);
CREATE INDEX area_lineage_new_code ON area_lineage (new_code);
CREATE INDEX area_lineage_change ON area_lineage (change_id);

CREATE FUNCTION boundary_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
    USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER boundary_changes_append_only BEFORE UPDATE OR DELETE ON boundary_changes
  FOR EACH ROW EXECUTE FUNCTION boundary_history_append_only();
CREATE TRIGGER boundary_change_versions_append_only BEFORE UPDATE OR DELETE ON boundary_change_versions
  FOR EACH ROW EXECUTE FUNCTION boundary_history_append_only();
CREATE TRIGGER area_lineage_append_only BEFORE UPDATE OR DELETE ON area_lineage
  FOR EACH ROW EXECUTE FUNCTION boundary_history_append_only();

-- A closed version is history: it is never changed again (geometry, figures
-- and its end alike). Only the current version may be closed (or, while the
-- sample loads, given its exempt water).
CREATE FUNCTION area_versions_keep_history() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.valid_to IS NOT NULL THEN
    RAISE EXCEPTION 'area_versions: version % of area % is closed and cannot change', OLD.version, OLD.area_id
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER area_versions_keep_history BEFORE UPDATE OR DELETE ON area_versions
  FOR EACH ROW EXECUTE FUNCTION area_versions_keep_history();
