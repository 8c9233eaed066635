CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL UNIQUE CHECK (username ~ '^[a-z0-9][a-z0-9_.-]{2,31}$'),
  display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 50),
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('call_taker', 'dispatcher', 'specialist_seat', 'district_agency',
    'department_handler', 'supervisor', 'analyst', 'admin')),
  unit_id text REFERENCES units (id),
  district_code text REFERENCES districts (code),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- scope: a department handler belongs to a unit; a district agency to a district (and its agency unit)
  CHECK (role <> 'department_handler' OR unit_id IS NOT NULL),
  CHECK (role <> 'district_agency' OR district_code IS NOT NULL)
);

CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
