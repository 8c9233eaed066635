-- Bridge (对接联动): linkage items, their timeline (the audit trail of every message sent and received),
-- a transactional outbox, an inbox for idempotent receipt, seen nonces, refusals, and the replay cursor.
CREATE TABLE linkage_items (
  item_id text PRIMARY KEY CHECK (length(item_id) BETWEEN 3 AND 200),
  kind text NOT NULL CHECK (kind IN ('transfer', 'emergency', 'assist', 'mediation', 'diversion')),
  side text NOT NULL CHECK (side IN ('originator', 'receiver')),
  peer text NOT NULL,
  status text NOT NULL CHECK (status IN ('requested', 'accepted', 'rejected', 'negotiating', 'kept_by_first_receiver', 'in_progress', 'feedback_given', 'closed', 'reopened')),
  kept_by_first_receiver boolean NOT NULL DEFAULT false,
  opening jsonb NOT NULL,
  local_ref text,
  local_no text,
  peer_ref text,
  district_code text,
  accept_deadline timestamptz,
  negotiation_deadline timestamptz,
  accept_overdue boolean NOT NULL DEFAULT false,
  accepted_at timestamptz,
  feedback_at timestamptz,
  closed_at timestamptz,
  next_out_seq integer NOT NULL DEFAULT 1,
  last_in_seq integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX linkage_items_status_idx ON linkage_items (status, created_at DESC);
CREATE INDEX linkage_items_open_deadline_idx ON linkage_items (accept_deadline) WHERE status = 'requested' AND NOT accept_overdue;

CREATE TABLE linkage_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  item_id text NOT NULL REFERENCES linkage_items (item_id),
  message_id text,
  direction text NOT NULL CHECK (direction IN ('sent', 'received', 'local')),
  type text NOT NULL,
  from_status text,
  to_status text,
  payload jsonb NOT NULL DEFAULT '{}',
  actor_id uuid REFERENCES users (id),
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX linkage_events_item_idx ON linkage_events (item_id, id);
CREATE TRIGGER linkage_events_append_only BEFORE UPDATE OR DELETE ON linkage_events FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Delivery state is kept apart from business state (FixMyStreet's habit): attempts, next attempt, last error.
CREATE TABLE bridge_outbox (
  id text PRIMARY KEY,
  out_no bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  item_id text NOT NULL,
  seq integer NOT NULL,
  peer text NOT NULL,
  type text NOT NULL,
  envelope jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  UNIQUE (item_id, seq)
);
CREATE INDEX bridge_outbox_due_idx ON bridge_outbox (next_attempt_at) WHERE status = 'pending';

CREATE TABLE bridge_inbox (
  message_id text PRIMARY KEY,
  item_id text NOT NULL,
  seq integer NOT NULL,
  type text NOT NULL,
  sender text NOT NULL,
  envelope jsonb NOT NULL,
  outcome text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (item_id, sender, seq)
);

CREATE TABLE bridge_nonces (
  key_id text NOT NULL,
  nonce text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (key_id, nonce)
);

CREATE TABLE bridge_refusals (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  reason text NOT NULL,
  key_id text,
  message_id text,
  detail text,
  at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bridge_cursors (
  peer text PRIMARY KEY,
  after bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE linkage_no_seq;
