-- Reports (issue 13): drill traffic kept out of every statistic, and the share feed's pseudonyms for the
-- joint hot-spot analysis.

-- 应急演练 (bridge-protocol.md 1.1 `exercise`): a drill is handled end to end and counted nowhere.
ALTER TABLE requests ADD COLUMN exercise boolean NOT NULL DEFAULT false;
ALTER TABLE linkage_items ADD COLUMN exercise boolean NOT NULL DEFAULT false;

-- The peer's records carry the drill flag and the two keyed pseudonyms (callerKey, placeKey) the desks
-- match on without revealing a number or an address (docs/data-sharing.md).
ALTER TABLE shared_records
  ADD COLUMN exercise boolean NOT NULL DEFAULT false,
  ADD COLUMN caller_key text,
  ADD COLUMN place_key text;
CREATE INDEX shared_records_caller_key_idx ON shared_records (caller_key) WHERE caller_key IS NOT NULL;
CREATE INDEX shared_records_place_key_idx ON shared_records (place_key) WHERE place_key IS NOT NULL;
