-- Caller details are stored apart from the request and shown masked to roles that do not need them.
CREATE TABLE callers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text CHECK (length(name) <= 50),
  phone text CHECK (phone ~ '^[0-9+\-() ]{3,20}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  channel text NOT NULL CHECK (channel IN ('phone_12345', 'phone_110', 'web', 'app', 'wechat', 'open311', 'transferred_in')),
  caller_id uuid REFERENCES callers (id),
  confidential boolean NOT NULL DEFAULT false,
  content text NOT NULL CHECK (length(content) BETWEEN 1 AND 5000),
  address text NOT NULL DEFAULT '' CHECK (length(address) <= 200),
  district_code text REFERENCES districts (code),
  street_code text,
  lat double precision CHECK (lat BETWEEN -90 AND 90),
  lng double precision CHECK (lng BETWEEN -180 AND 180),
  received_at timestamptz NOT NULL,
  received_by uuid REFERENCES users (id),
  client_ref text UNIQUE CHECK (length(client_ref) BETWEEN 1 AND 100),
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (district_code, street_code) REFERENCES streets (district_code, code),
  CHECK ((lat IS NULL) = (lng IS NULL))
);

CREATE SEQUENCE work_order_no_seq;

CREATE TABLE work_orders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  no text NOT NULL UNIQUE,
  request_id uuid NOT NULL UNIQUE REFERENCES requests (id),
  order_type text NOT NULL CHECK (order_type IN ('consultation', 'help', 'complaint', 'report', 'suggestion', 'praise')),
  category_code text NOT NULL REFERENCES catalogue_categories (code),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  urgent boolean NOT NULL DEFAULT false,
  urgent_kind text CHECK (urgent_kind IN ('critical_care', 'pregnancy_childbirth', 'emergency_rescue')),
  status text NOT NULL CHECK (status IN ('received', 'assigned', 'returned', 'signed', 'in_progress', 'replied', 'followed_up', 'archived', 'merged')),
  district_code text REFERENCES districts (code),
  lead_unit_id text REFERENCES units (id),
  assist_unit_ids text[] NOT NULL DEFAULT '{}',
  due_at timestamptz NOT NULL,
  overdue boolean NOT NULL DEFAULT false,
  supervised boolean NOT NULL DEFAULT false,
  pending_extension jsonb,
  satisfaction text CHECK (satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  reopen_count integer NOT NULL DEFAULT 0,
  merged_into_id uuid REFERENCES work_orders (id),
  reply text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  replied_at timestamptz,
  closed_at timestamptz,
  CHECK (urgent = (urgent_kind IS NOT NULL))
);
CREATE INDEX work_orders_status_due_idx ON work_orders (status, due_at);
CREATE INDEX work_orders_created_idx ON work_orders (created_at DESC, id);
CREATE INDEX work_orders_lead_unit_idx ON work_orders (lead_unit_id, status);
CREATE INDEX work_orders_assist_idx ON work_orders USING gin (assist_unit_ids);
CREATE INDEX work_orders_district_idx ON work_orders (district_code, created_at DESC);
CREATE INDEX work_orders_open_due_idx ON work_orders (due_at)
  WHERE NOT overdue AND status IN ('received', 'assigned', 'returned', 'signed', 'in_progress');

-- Append-only: the action log is never updated or deleted (trigger below).
CREATE TABLE work_order_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  work_order_id uuid NOT NULL REFERENCES work_orders (id),
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  actor_id uuid REFERENCES users (id),
  actor_role text,
  actor_unit_id text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_order_actions_order_idx ON work_order_actions (work_order_id, id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'P0001';
END $$;

CREATE TRIGGER work_order_actions_append_only BEFORE UPDATE OR DELETE ON work_order_actions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
