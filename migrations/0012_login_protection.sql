-- Login protection (issue 9): failure counters and locks, the TOTP second factor,
-- its recovery codes and the short-lived challenges between password and code.

-- Failed sign-ins per username and per client address, counted in a window.
-- Kept in the database so every server process on PostgreSQL shares them and a
-- restart does not forget a lock; incremented atomically with INSERT … ON CONFLICT.
CREATE TABLE login_throttle (
  kind              text NOT NULL CHECK (kind IN ('username', 'address')),
  key               text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
  failures          integer NOT NULL CHECK (failures >= 0),
  window_started_at timestamptz NOT NULL DEFAULT now(),
  locked_until      timestamptz,
  PRIMARY KEY (kind, key)
);
CREATE INDEX login_throttle_locked ON login_throttle (locked_until) WHERE locked_until IS NOT NULL;

-- A user's TOTP (RFC 6238) second factor. `secret` is the confirmed secret and
-- `pending_secret` one being enrolled (it replaces `secret` once a code confirms it);
-- both sealed by the server (see server/security/secret-box.ts), never returned after
-- enrolment. `last_used_step` refuses a code replayed within its 30 s step.
CREATE TABLE user_second_factors (
  user_id            bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  secret             text,
  enabled_at         timestamptz,
  pending_secret     text,
  pending_created_at timestamptz,
  last_used_step     bigint
);

-- Single-use recovery codes; only a SHA-256 of each (80 random bits) is stored.
CREATE TABLE user_recovery_codes (
  user_id   bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash text NOT NULL,
  used_at   timestamptz,
  PRIMARY KEY (user_id, code_hash)
);

-- Between a correct password and the second factor (or a forced enrolment):
-- short-lived, bound to one user, stored as a SHA-256 of the value handed out.
CREATE TABLE login_challenges (
  token_hash text PRIMARY KEY,
  user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  purpose    text NOT NULL CHECK (purpose IN ('verify', 'enrol')),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX login_challenges_user ON login_challenges (user_id);

-- Audit sign-in failures, lockouts, unlocks and second-factor changes.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
  'read', 'list', 'reveal', 'denied', 'create', 'update', 'visit', 'archive', 'settings',
  'revoke', 'disable', 'enable', 'password_reset', 'role_change',
  'login_failed', 'lockout', 'unlock', 'second_factor'
));
