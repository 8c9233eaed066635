-- Retention of personal data (docs/security.md, "Retention"): a text's number and words are erased when
-- its time has passed (the row stays: what was sent when, and a survey's answer).
ALTER TABLE sms_messages
  ALTER COLUMN phone_sealed DROP NOT NULL,
  ALTER COLUMN phone_hash DROP NOT NULL,
  ALTER COLUMN text_sealed DROP NOT NULL,
  ADD COLUMN erased_at timestamptz,
  ADD CONSTRAINT sms_messages_erased_check CHECK (
    erased_at IS NOT NULL OR (phone_sealed IS NOT NULL AND phone_hash IS NOT NULL AND text_sealed IS NOT NULL)
  );
CREATE INDEX sms_messages_unerased_idx ON sms_messages (created_at) WHERE erased_at IS NULL;

-- A call-back done, and a number taken off the watch list, may lose the number when its time has passed.
ALTER TABLE call_backs
  DROP CONSTRAINT call_backs_caller_present,
  ADD CONSTRAINT call_backs_caller_present CHECK (plain_caller IS NOT NULL OR caller_sealed IS NOT NULL OR done_at IS NOT NULL);
ALTER TABLE harassment_watch
  DROP CONSTRAINT harassment_watch_phone_present,
  ADD CONSTRAINT harassment_watch_phone_present CHECK (
    plain_phone IS NOT NULL OR (phone_sealed IS NOT NULL AND phone_hash IS NOT NULL) OR removed_at IS NOT NULL
  );
