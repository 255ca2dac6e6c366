-- Boundary import jobs (issue 9): kept in the database instead of the server's
-- memory, so that a job's status, progress and report survive a restart and
-- every server process on one database answers for every job. A job that was
-- running when its process or the database stopped is marked failed at the
-- next start (its import transaction was rolled back, nothing was written).
CREATE TABLE boundary_import_jobs (
  id           uuid PRIMARY KEY,
  status       text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
  phase        text NOT NULL CHECK (phase IN ('queued', 'checking', 'validating', 'writing', 'done', 'failed')),
  processed    integer NOT NULL DEFAULT 0 CHECK (processed >= 0),
  total        integer NOT NULL CHECK (total >= 0),
  format       text NOT NULL,
  level        text NOT NULL,
  source_crs   text NOT NULL,
  started_by   text NOT NULL,
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  -- The import report (what was created, changed, unchanged, refused), when done.
  report       jsonb,
  -- Why the job failed as a whole: a message code and its parameters, rendered in the reader's language.
  error_code   text,
  error_params jsonb,
  CHECK ((status = 'running') = (finished_at IS NULL)),
  CHECK ((status = 'failed') = (error_code IS NOT NULL))
);

CREATE INDEX boundary_import_jobs_running ON boundary_import_jobs (started_at) WHERE status = 'running';
CREATE INDEX boundary_import_jobs_finished ON boundary_import_jobs (finished_at) WHERE finished_at IS NOT NULL;
