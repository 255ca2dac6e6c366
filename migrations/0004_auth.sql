CREATE TABLE users (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text NOT NULL UNIQUE CHECK (username ~ '^[A-Za-z0-9_.-]{2,40}$'),
  display_name  text,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('leader', 'dispatcher', 'station', 'grid_worker', 'admin')),
  station_key   text REFERENCES stations (key),
  staff_id      bigint REFERENCES staff (id),
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  created_by    bigint REFERENCES users (id)
);

-- The grids a user is responsible for (grid workers see these grids' people).
CREATE TABLE user_grids (
  user_id bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  area_id bigint NOT NULL REFERENCES areas (id),
  PRIMARY KEY (user_id, area_id)
);

-- Browser sessions; only a SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
  token_hash   text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Personal API tokens for GIS clients; only a SHA-256 of the token is stored.
CREATE TABLE api_tokens (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash   text NOT NULL UNIQUE,
  token_prefix text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz,
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Facts about the loaded data set (e.g. whether the sample township is loaded).
CREATE TABLE app_meta (
  key   text PRIMARY KEY,
  value jsonb NOT NULL
);
