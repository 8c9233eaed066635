-- Personal data at rest, continued (see 20261214100000): the calling number and name of the call records
-- (话单), the number of a call-back (漏接回拨) and of the harassment watch list are stored sealed; a call's
-- number and a watched number are found by the keyed hash of the normalised number. The data step after
-- the migrations seals what the renamed plain_* columns still hold and empties them.
ALTER TABLE calls RENAME COLUMN caller TO plain_caller;
ALTER TABLE calls RENAME COLUMN caller_name TO plain_caller_name;
DROP INDEX calls_caller_idx;
ALTER TABLE calls
  ADD COLUMN caller_sealed text CHECK (caller_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD COLUMN caller_name_sealed text CHECK (caller_name_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD COLUMN caller_hash text CHECK (caller_hash ~ '^[0-9a-f]{64}$');
CREATE INDEX calls_caller_hash_idx ON calls (caller_hash, offered_at DESC) WHERE caller_hash IS NOT NULL;
CREATE INDEX calls_plain_idx ON calls (id) WHERE plain_caller IS NOT NULL OR plain_caller_name IS NOT NULL;

ALTER TABLE call_backs RENAME COLUMN caller TO plain_caller;
ALTER TABLE call_backs ALTER COLUMN plain_caller DROP NOT NULL;
ALTER TABLE call_backs
  ADD COLUMN caller_sealed text CHECK (caller_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD CONSTRAINT call_backs_caller_present CHECK (plain_caller IS NOT NULL OR caller_sealed IS NOT NULL);

ALTER TABLE harassment_watch RENAME COLUMN phone TO plain_phone;
ALTER TABLE harassment_watch ALTER COLUMN plain_phone DROP NOT NULL;
DROP INDEX harassment_watch_phone_idx;
ALTER TABLE harassment_watch
  ADD COLUMN phone_sealed text CHECK (phone_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD COLUMN phone_hash text CHECK (phone_hash ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT harassment_watch_phone_present CHECK (plain_phone IS NOT NULL OR (phone_sealed IS NOT NULL AND phone_hash IS NOT NULL));
-- one standing entry per number
CREATE UNIQUE INDEX harassment_watch_phone_hash_idx ON harassment_watch (phone_hash) WHERE removed_at IS NULL AND phone_hash IS NOT NULL;
