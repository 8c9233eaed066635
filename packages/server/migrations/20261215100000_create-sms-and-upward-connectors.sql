-- SMS to citizens (docs/sms.md) and the upward links: the SMS gateway (短信网关), the city's 互联网+督查
-- platform and the 好差评 evaluation system are administered as connectors of their own kinds; their
-- messages go through bridge_outbox like every other signed message (retries, back-off, dead letters).
ALTER TABLE connectors DROP CONSTRAINT connectors_kind_check;
ALTER TABLE connectors ADD CONSTRAINT connectors_kind_check CHECK (kind IN (
  'fire', 'medical', 'water', 'power', 'gas', 'governance_center', 'vehicle_moving',
  'sms_gateway', 'supervision_platform', 'evaluation_platform'));

-- One text to one citizen's phone: the receipt (受理短信, with the query code), the reply (办结答复) and
-- the 回访 survey. The number and the text are sealed like callers' (crypto/pii.ts); the number is
-- found again by its keyed hash only. The outbox row carries the message id, never the number.
CREATE TABLE sms_messages (
  id uuid PRIMARY KEY,
  work_order_id uuid NOT NULL REFERENCES work_orders (id),
  purpose text NOT NULL CHECK (purpose IN ('receipt', 'reply', 'survey')),
  phone_sealed text NOT NULL,
  phone_hash text NOT NULL,
  text_sealed text NOT NULL,
  -- the gateway connector it was queued for; null: no gateway was configured, nothing was sent
  gateway text,
  gateway_ref text,
  sent_at timestamptz,
  -- a survey's answer: the gateway's id of the inbound text (idempotent receipt), the rating and its meaning
  answer_ref text UNIQUE,
  answer_rating integer CHECK (answer_rating BETWEEN 1 AND 5),
  answer_satisfaction text CHECK (answer_satisfaction IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
  answered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sms_messages_order_idx ON sms_messages (work_order_id, created_at DESC);
