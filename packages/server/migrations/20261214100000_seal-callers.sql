-- Personal data at rest (docs/security.md): a caller's name and number are stored sealed with SM4-CBC and
-- HMAC-SM3 by the server (packages/server/src/crypto/pii.ts), each value naming its key; the number is
-- found by a keyed hash of its normalised form (HMAC-SM3 under a key of its own), which also keeps one
-- caller record per number. The keys are outside the database, so this migration cannot seal: the old
-- columns are renamed plain_* (no code writes them any more) and the data step that runs after the
-- migrations (sealPlaintextCallers) seals what they hold and empties them.
ALTER TABLE callers RENAME COLUMN name TO plain_name;
ALTER TABLE callers RENAME COLUMN phone TO plain_phone;
DROP INDEX callers_phone_key;
ALTER TABLE callers
  ADD COLUMN name_sealed text CHECK (name_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD COLUMN phone_sealed text CHECK (phone_sealed ~ '^v1:[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/=]+$'),
  ADD COLUMN phone_hash text CHECK (phone_hash ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT callers_phone_sealed_with_hash CHECK ((phone_sealed IS NULL) = (phone_hash IS NULL));
CREATE UNIQUE INDEX callers_phone_hash_key ON callers (phone_hash) WHERE phone_hash IS NOT NULL;
-- what the data step (and key rotation) still has to do
CREATE INDEX callers_plain_idx ON callers (id) WHERE plain_name IS NOT NULL OR plain_phone IS NOT NULL;
