-- One caller record per telephone number: a caller who rings a third time is the same caller, and
-- their earlier requests hang off one record (the caller panel, search by number). Earlier duplicates
-- are folded into the newest record of each number, which keeps the latest name given.
WITH ranked AS (
  SELECT id, phone, first_value(id) OVER (PARTITION BY phone ORDER BY created_at DESC, id DESC) AS keep
  FROM callers WHERE phone IS NOT NULL
), named AS (
  SELECT DISTINCT ON (c.phone) c.phone, c.name FROM callers c
  WHERE c.phone IS NOT NULL AND c.name IS NOT NULL ORDER BY c.phone, c.created_at DESC, c.id DESC
), moved AS (
  UPDATE requests r SET caller_id = ranked.keep FROM ranked WHERE r.caller_id = ranked.id AND ranked.id <> ranked.keep
)
UPDATE callers c SET name = named.name FROM ranked, named
WHERE c.id = ranked.keep AND ranked.id = ranked.keep AND named.phone = ranked.phone AND c.name IS DISTINCT FROM named.name;

DELETE FROM callers c WHERE c.phone IS NOT NULL
  AND EXISTS (SELECT 1 FROM callers n WHERE n.phone = c.phone AND (n.created_at, n.id) > (c.created_at, c.id));

CREATE UNIQUE INDEX callers_phone_key ON callers (phone) WHERE phone IS NOT NULL;
