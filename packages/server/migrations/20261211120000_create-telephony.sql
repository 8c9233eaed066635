-- Telephony (话务): seats and their SIP credentials, queues, agents and their state log, calls (话单)
-- with the events of their legs, the call-back queue (漏接回拨), surge mode, imports from other
-- lines' switches, and the call-takers' training log.

-- A seat is a SIP phone that registers with the desk; the desk keeps HA1 (RFC 2617), never the password.
CREATE TABLE telephony_seats (
  extension text PRIMARY KEY CHECK (extension ~ '^[0-9]{3,8}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 50),
  ha1 text NOT NULL CHECK (ha1 ~ '^[0-9a-f]{32}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE telephony_queues (
  id text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9_-]{1,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  -- the number dialled at this desk that reaches the queue
  number text NOT NULL UNIQUE CHECK (number ~ '^[0-9a-z]{2,20}$'),
  -- calls waiting longer than overflow_after_seconds also go to this queue's agents while in surge mode
  overflow_to text REFERENCES telephony_queues (id),
  overflow_after_seconds integer NOT NULL DEFAULT 20 CHECK (overflow_after_seconds BETWEEN 0 AND 600),
  ring_seconds integer NOT NULL DEFAULT 20 CHECK (ring_seconds BETWEEN 5 AND 120),
  surge boolean NOT NULL DEFAULT false,
  surge_since timestamptz
);

CREATE TABLE telephony_agents (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  extension text UNIQUE REFERENCES telephony_seats (extension),
  queues text[] NOT NULL DEFAULT '{}',
  state text NOT NULL CHECK (state IN ('offline', 'ready', 'ringing', 'busy', 'after_call_work', 'break')),
  state_since timestamptz NOT NULL DEFAULT now()
);

-- Append-only: every change of an agent's state, for occupancy and staffed-hours figures.
CREATE TABLE telephony_agent_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  state text NOT NULL,
  extension text,
  reason text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX telephony_agent_log_user_idx ON telephony_agent_log (user_id, at);
CREATE TRIGGER telephony_agent_log_append_only BEFORE UPDATE OR DELETE ON telephony_agent_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE call_record_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  filename text NOT NULL CHECK (length(filename) BETWEEN 1 AND 200),
  rows integer NOT NULL,
  imported_by uuid NOT NULL REFERENCES users (id),
  imported_at timestamptz NOT NULL DEFAULT now()
);

-- A call record (话单): written by the desk's own switch, or imported from another line's.
CREATE TABLE calls (
  id uuid PRIMARY KEY,
  -- bridge-protocol.md 1.1 `callRef`: `<desk>:<id>` for the desk's own calls
  call_ref text NOT NULL UNIQUE,
  source text NOT NULL CHECK (source IN ('switch', 'import')),
  import_id uuid REFERENCES call_record_imports (id),
  external_id text,
  line text NOT NULL CHECK (length(line) BETWEEN 1 AND 40),
  queue text,
  caller text,
  caller_name text,
  agent_id uuid REFERENCES users (id),
  agent_label text,
  extension text,
  offered_at timestamptz NOT NULL,
  answered_at timestamptz,
  ended_at timestamptz,
  end_reason text,
  ended_by text,
  -- a call moved here from the peer desk names the peer's call
  peer_call_ref text,
  transferred_to text,
  linkage_item_id text,
  request_id uuid REFERENCES requests (id),
  recording_ref text,
  CHECK (source = 'switch' OR (external_id IS NOT NULL AND import_id IS NOT NULL)),
  CHECK (answered_at IS NULL OR answered_at >= offered_at),
  CHECK (ended_at IS NULL OR ended_at >= offered_at),
  UNIQUE (line, external_id)
);
CREATE INDEX calls_offered_idx ON calls (offered_at);
CREATE INDEX calls_line_offered_idx ON calls (line, offered_at);
CREATE INDEX calls_caller_idx ON calls (caller, offered_at DESC);
CREATE INDEX calls_request_idx ON calls (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX calls_peer_ref_idx ON calls (peer_call_ref) WHERE peer_call_ref IS NOT NULL;

-- Append-only: the legs of a call as the switch reported them (offered, ringing, answered, held,
-- transferring, transferred, ended …), shown on the request's timeline.
CREATE TABLE call_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id uuid NOT NULL REFERENCES calls (id),
  type text NOT NULL,
  extension text,
  agent_id uuid REFERENCES users (id),
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX call_events_call_idx ON call_events (call_id, id);
CREATE TRIGGER call_events_append_only BEFORE UPDATE OR DELETE ON call_events
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- 漏接回拨: a caller lost while waiting long or while being transferred is to be called back.
CREATE TABLE call_backs (
  call_id uuid PRIMARY KEY REFERENCES calls (id),
  caller text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('dropped_in_transfer', 'abandoned_in_queue')),
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  done_by uuid REFERENCES users (id),
  outcome text CHECK (outcome IN ('reached', 'no_answer', 'wrong_number')),
  note text CHECK (length(note) <= 500),
  CHECK ((done_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX call_backs_open_idx ON call_backs (created_at) WHERE done_at IS NULL;

-- Append-only: who switched surge mode (应急状态) on or off, when.
CREATE TABLE telephony_surge_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  queue_id text NOT NULL REFERENCES telephony_queues (id),
  surge boolean NOT NULL,
  note text,
  by_user uuid NOT NULL REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER telephony_surge_log_append_only BEFORE UPDATE OR DELETE ON telephony_surge_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- 话务员培训 (plan 二(三)6: ≥ 5 课时 a month per call-taker).
CREATE TABLE training_sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 100),
  topic text CHECK (length(topic) <= 200),
  trainer text CHECK (length(trainer) <= 50),
  held_on date NOT NULL,
  minutes integer NOT NULL CHECK (minutes BETWEEN 10 AND 600),
  periods numeric(4, 1) NOT NULL CHECK (periods > 0 AND periods <= 20),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX training_sessions_held_idx ON training_sessions (held_on);

CREATE TABLE training_attendance (
  session_id uuid NOT NULL REFERENCES training_sessions (id),
  user_id uuid NOT NULL REFERENCES users (id),
  PRIMARY KEY (session_id, user_id)
);
CREATE INDEX training_attendance_user_idx ON training_attendance (user_id);
