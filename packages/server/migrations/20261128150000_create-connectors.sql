-- Connectors (应急联动): 119, 120, the utilities' repair lines, governance centres (综治中心) and the
-- vehicle-moving service. The same signed envelope as between the desks, to an endpoint per target,
-- with a key per direction. Administrators edit them; they are business data, not deployment settings.
CREATE TABLE connectors (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,40}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  kind text NOT NULL CHECK (kind IN ('fire', 'medical', 'water', 'power', 'gas', 'governance_center', 'vehicle_moving')),
  endpoint_url text NOT NULL CHECK (endpoint_url ~ '^https?://'),
  key_id text NOT NULL,
  key_secret text NOT NULL CHECK (length(key_secret) >= 16),
  inbound_key_id text NOT NULL UNIQUE,
  inbound_key_secret text NOT NULL CHECK (length(inbound_key_secret) >= 16),
  alg text NOT NULL DEFAULT 'hmac-sha256' CHECK (alg IN ('hmac-sha256', 'hmac-sm3')),
  active boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);
