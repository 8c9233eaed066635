-- The analysis feed's pseudonyms kept on the desk's own records (docs/reports.md "Scale"): placeKey on
-- each request (its normalised address), callerKey on each caller (the normalised number), both HMAC-SM3
-- under the sharing key, with the fingerprint of the key that made them. A worker keys new rows, and
-- every row again when the sharing key changes; the hot spots' repeat-dispute list then groups by the
-- stored keys in one statement instead of keying every address and number of the period in the report.
-- A row whose fingerprint is not the current key's is keyed by the report itself, so it is exact before
-- the worker has caught up.
ALTER TABLE requests ADD COLUMN place_key text, ADD COLUMN share_key_fp text;
ALTER TABLE callers ADD COLUMN caller_key text, ADD COLUMN share_key_fp text;
CREATE INDEX requests_share_key_fp_idx ON requests (share_key_fp);
CREATE INDEX callers_share_key_fp_idx ON callers (share_key_fp);

-- The worker updates requests a batch at a time, and every update of requests fires the summaries'
-- statement trigger, which first joins the statement's old and new rows to see whether a row's day or
-- street changed. Transition tables have no statistics, so that join was planned as a nested loop: a
-- batch of 5,000 took seconds. As a hash join it takes milliseconds.
ALTER FUNCTION report_delta_requests() SET enable_nestloop = off;
