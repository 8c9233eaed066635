-- The citizen side: requests filed on the public web page or by an Open311 client, how a citizen
-- follows them (request number + query code, never by phone alone), opt-in public disclosure
-- moderated by the 12345 centre (plan task 7, 公开工单办理情况), and abuse limits.

-- A request that came from outside: its work order, the hashed query code, and the disclosure choice.
CREATE TABLE public_requests (
  work_order_id uuid PRIMARY KEY REFERENCES work_orders (id),
  source text NOT NULL CHECK (source IN ('web', 'open311')),
  query_code_hash text NOT NULL CHECK (length(query_code_hash) = 64),
  disclosure_consent boolean NOT NULL DEFAULT false,
  -- pending (consented, not yet moderated) → published | withheld; none when the citizen did not consent
  disclosure_status text NOT NULL DEFAULT 'none' CHECK (disclosure_status IN ('none', 'pending', 'published', 'withheld')),
  public_title text CHECK (length(public_title) BETWEEN 1 AND 100),
  public_reply text CHECK (length(public_reply) BETWEEN 1 AND 5000),
  moderated_by uuid REFERENCES users (id),
  moderated_at timestamptz,
  emergency boolean NOT NULL DEFAULT false,
  linkage_item_id text,
  open311_client_id text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_requests_disclosure_idx ON public_requests (disclosure_status, created_at DESC);

-- Sliding-window counters for per-IP and per-phone limits (several server processes share them).
CREATE TABLE public_rate_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  bucket text NOT NULL CHECK (length(bucket) BETWEEN 1 AND 100),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX public_rate_events_bucket_idx ON public_rate_events (bucket, at DESC);

-- A simple challenge (an arithmetic question in words), answered once within ten minutes.
CREATE TABLE public_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  answer_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Open311 client applications, administered as data: each has its own API key (stored hashed);
-- one bound to a unit may push status updates for that unit's orders (servicerequestupdates).
CREATE TABLE open311_clients (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{1,63}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  key_hash text NOT NULL UNIQUE CHECK (length(key_hash) = 64),
  unit_id text REFERENCES units (id),
  batch boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Batch clients get a token first; the token resolves to the request id (GET tokens/:token).
CREATE TABLE open311_tokens (
  token text PRIMARY KEY CHECK (token ~ '^[A-Za-z0-9]{8,64}$'),
  client_id text NOT NULL REFERENCES open311_clients (id),
  work_order_id uuid REFERENCES work_orders (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Updates pushed in by a client (POST servicerequestupdates): stored by the client's update_id once.
CREATE TABLE open311_inbound_updates (
  client_id text NOT NULL REFERENCES open311_clients (id),
  update_id text NOT NULL CHECK (length(update_id) BETWEEN 1 AND 100),
  work_order_id uuid NOT NULL REFERENCES work_orders (id),
  status text NOT NULL,
  action_id bigint,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (client_id, update_id)
);

-- A citizen's photo from the public page is uploaded by the system (no staff user): uploader_role
-- 'system' and no uploaded_by.
ALTER TABLE work_order_attachments ALTER COLUMN uploaded_by DROP NOT NULL;
ALTER TABLE work_order_attachments ADD CHECK (uploaded_by IS NOT NULL OR uploader_role = 'system');
