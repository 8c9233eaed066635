-- Authentication fit for 等保 2.0 level 3 (docs/security.md).
-- Each user is bound to the desks they work on: 'hotline' (12345) and/or 'dispatch' (110). A log-in or a
-- session on a desk not in the list is refused. Existing users get their role's desks: a 110 dispatcher
-- the 110 desk, 12345 call-takers and handling units the 12345 desk, the others (specialist seats,
-- supervisors, analysts, administrators) both; a row inserted without the column gets both.
ALTER TABLE users
  ADD COLUMN desks text[] NOT NULL DEFAULT '{hotline,dispatch}'
    CHECK (cardinality(desks) >= 1 AND desks <@ '{hotline,dispatch}'::text[]),
  -- TOTP second factor (RFC 6238): the confirmed secret (base32) and the last time step used (no replay).
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN totp_last_step bigint;
UPDATE users SET desks = '{dispatch}' WHERE role = 'dispatcher';
UPDATE users SET desks = '{hotline}' WHERE role IN ('call_taker', 'district_agency', 'department_handler');

-- Idle timeout: when the session was last used (written at most once a minute).
ALTER TABLE sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- Failed log-ins per account name and per client address, and the lock-out they lead to. One row per
-- key ('account:<name>' or 'address:<ip>'), whether or not the account exists, so the answers do not tell
-- which names exist; rows whose window and lock have passed are deleted as new failures come in.
CREATE TABLE auth_throttle (
  key text PRIMARY KEY,
  failures integer NOT NULL,
  window_start timestamptz NOT NULL,
  locked_until timestamptz
);
CREATE INDEX auth_throttle_window_idx ON auth_throttle (window_start);

-- A log-in whose password was right and that waits for its second factor (or for TOTP enrolment):
-- a short-lived challenge, stored by its hash like the sessions.
CREATE TABLE auth_challenges (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  -- enrolment at log-in: the secret offered, confirmed by the first code
  pending_secret text,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  address text
);
CREATE INDEX auth_challenges_expiry_idx ON auth_challenges (expires_at);

-- TOTP enrolment of a logged-in user: the secret offered until its first code confirms it.
CREATE TABLE totp_enrolments (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  secret text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
