-- Credentials a township can manage (issue 9, point 3): every session and token
-- has an id that can be listed, revoked and named in the audit log.

-- Sessions: keyed by an id (the cookie's hash stays unique for the lookup), with
-- the time of last use for the idle timeout and where the session was opened.
ALTER TABLE sessions ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE sessions DROP CONSTRAINT sessions_pkey;
ALTER TABLE sessions ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);
ALTER TABLE sessions ADD CONSTRAINT sessions_token_hash_key UNIQUE (token_hash);
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE sessions ADD COLUMN client_ip text;
ALTER TABLE sessions ADD COLUMN user_agent text CHECK (length(user_agent) <= 300);

-- Tokens: who issued a token for someone else, who revoked it, and an expiry for
-- all of them. Tokens issued before this upgrade never expired: they now expire
-- 90 days after the upgrade (their holders see the date in their account panel).
ALTER TABLE api_tokens ADD COLUMN issued_by bigint REFERENCES users (id);
ALTER TABLE api_tokens ADD COLUMN revoked_by bigint REFERENCES users (id);
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Audit: which credential acted and, for a token issued by an administrator for
-- another user, that administrator. Adding columns updates no row, so the
-- append-only trigger (UPDATE/DELETE refused) stays as it is.
ALTER TABLE audit_log ADD COLUMN credential_kind text CHECK (credential_kind IN ('session', 'token'));
ALTER TABLE audit_log ADD COLUMN credential_id bigint;
ALTER TABLE audit_log ADD COLUMN credential_issued_by bigint REFERENCES users (id);

-- Credential management is audited with its own actions.
ALTER TABLE audit_log DROP CONSTRAINT IF EXISTS audit_log_action_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_action_check CHECK (action IN (
  'read', 'list', 'reveal', 'denied', 'create', 'update', 'visit', 'archive', 'settings',
  'revoke', 'disable', 'enable', 'password_reset', 'role_change'
));
