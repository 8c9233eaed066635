-- Look-ups in the social-security, medical-insurance and housing-fund systems (plan task 8: 12345与社保、
-- 医保、公积金等业务系统对接; docs/business-lookup.md). Each system is a service connector of its own kind
-- (URL and keys, administered as every connector). A look-up needs the caller's consent, recorded first;
-- the consent keeps no identity number, only its keyed hash (to check that a look-up asks about the person
-- who consented) and its masked form. Every look-up is written down, answered or not.
ALTER TABLE connectors DROP CONSTRAINT connectors_kind_check;
ALTER TABLE connectors ADD CONSTRAINT connectors_kind_check CHECK (kind IN (
  'fire', 'medical', 'water', 'power', 'gas', 'governance_center', 'vehicle_moving',
  'sms_gateway', 'supervision_platform', 'evaluation_platform',
  'social_security', 'medical_insurance', 'housing_fund'));

CREATE TABLE lookup_consents (
  id uuid PRIMARY KEY,
  system text NOT NULL CHECK (system IN ('social_security', 'medical_insurance', 'housing_fund')),
  -- null once erased by the retention purge (RETAIN_CALL_DAYS after it expired)
  subject_hash text,
  id_number_masked text,
  name_masked text,
  erased_at timestamptz,
  -- how the caller consented, in the call-taker's words (口头同意，通话录音留存)
  how text NOT NULL CHECK (length(how) BETWEEN 1 AND 200),
  work_order_id uuid REFERENCES work_orders (id),
  given_to uuid NOT NULL REFERENCES users (id),
  given_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  CHECK (expires_at > given_at),
  CHECK (erased_at IS NOT NULL OR (subject_hash IS NOT NULL AND id_number_masked IS NOT NULL AND name_masked IS NOT NULL))
);

CREATE TABLE business_lookups (
  id bigserial PRIMARY KEY,
  consent_id uuid NOT NULL REFERENCES lookup_consents (id),
  system text NOT NULL,
  query text NOT NULL CHECK (query IN ('balance', 'contributions', 'reimbursements')),
  connector_id text,
  actor_id uuid NOT NULL REFERENCES users (id),
  at timestamptz NOT NULL DEFAULT now(),
  outcome text NOT NULL CHECK (outcome IN ('answered', 'not_found', 'refused', 'unavailable', 'bad_answer')),
  http_status integer,
  duration_ms integer
);
CREATE INDEX business_lookups_consent_idx ON business_lookups (consent_id);
CREATE INDEX business_lookups_at_idx ON business_lookups (at);
