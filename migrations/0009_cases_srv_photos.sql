-- Photos of hazards and disputes uploaded with or after registration. The
-- image bytes live in the photo folder (PHOTO_DIR, default DATA_DIR/photos)
-- under a random file name; this table keeps what the API needs to find,
-- check and stream them. Rows are never updated; the ledger (case_events)
-- records each upload with an `add-photo` entry.
CREATE TABLE case_photos (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cases (id),
  file_name     text NOT NULL UNIQUE CHECK (file_name ~ '^[0-9a-f]{32}\.(jpg|png|webp)$'),
  content_type  text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  size_bytes    integer NOT NULL CHECK (size_bytes BETWEEN 1 AND 10485760),
  original_name text CHECK (length(original_name) <= 200),
  uploaded_at   timestamptz NOT NULL DEFAULT now(),
  uploaded_by   bigint NOT NULL REFERENCES users (id)
);

CREATE INDEX case_photos_case ON case_photos (case_id, id);
