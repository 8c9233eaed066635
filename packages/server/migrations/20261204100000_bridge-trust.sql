-- Bridge trust rules (bridge-protocol.md 1.1): a refusal names the authenticated peer and the item when
-- known. Refusals before authentication (a caller anyone can be) are not stored one by one: they are
-- counted per hour, reason and known key id, so an unauthenticated caller cannot grow storage without bound.
ALTER TABLE bridge_refusals
  ADD COLUMN peer text,
  ADD COLUMN item_id text,
  ADD COLUMN count integer NOT NULL DEFAULT 1,
  ADD COLUMN hour timestamptz,
  ADD COLUMN last_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX bridge_refusals_unauthenticated_idx ON bridge_refusals (hour, reason, (coalesce(key_id, ''))) WHERE hour IS NOT NULL;
CREATE INDEX bridge_refusals_recent_idx ON bridge_refusals (last_at DESC);
