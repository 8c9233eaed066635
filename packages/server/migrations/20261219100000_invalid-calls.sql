-- 无效来电 and 骚扰来电 on the 12345 desk (plan 保障措施: 打击恶意骚扰12345和110): a call that asks for
-- nothing (silence, a misdial, a prank) or abuses the call-taker is recorded as a request with no work
-- order, marked here. The harassment report counts these as the 110 desk counts incidents closed as
-- invalid or harassing, and the analysis feed carries them to the peer desk as records of kind `request`.
CREATE TABLE invalid_calls (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  request_id uuid NOT NULL UNIQUE REFERENCES requests (id),
  kind text NOT NULL CHECK (kind IN ('invalid', 'harassment')),
  note text CHECK (length(note) BETWEEN 1 AND 500),
  marked_by uuid REFERENCES users (id),
  marked_at timestamptz NOT NULL DEFAULT now(),
  share_xid xid8,
  share_seq bigint
);
CREATE TRIGGER invalid_calls_share_change BEFORE INSERT OR UPDATE ON invalid_calls
  FOR EACH ROW EXECUTE FUNCTION mark_share_change();
CREATE INDEX invalid_calls_share_idx ON invalid_calls (share_xid, share_seq);
CREATE INDEX invalid_calls_marked_idx ON invalid_calls (marked_at);

-- The peer's invalid calls as its feed carried them: beside shared_records, not in it, so that they stay
-- out of every count of records (the day tables fold shared_records whole) and serve the harassment
-- report alone.
CREATE TABLE shared_calls (LIKE shared_records INCLUDING DEFAULTS);
ALTER TABLE shared_calls ADD PRIMARY KEY (source, record_id), ADD CHECK (kind = 'request');
CREATE INDEX shared_calls_received_idx ON shared_calls (received_at);
