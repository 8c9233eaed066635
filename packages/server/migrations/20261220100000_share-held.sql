-- A peer's feed records of a kind this desk does not know yet (a peer on a newer revision publishing
-- something new): held as they came, not counted in any report, and no reason to refuse the whole page —
-- the rest of the page is stored and the cursor moves on. When this desk learns the kind, a migration can
-- move them into their table; nothing is lost. Each pull says how many it held.
CREATE TABLE shared_held (
  source text NOT NULL,
  record_id text NOT NULL,
  kind text NOT NULL,
  record jsonb NOT NULL,
  pulled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, record_id)
);
ALTER TABLE share_pulls ADD COLUMN held integer NOT NULL DEFAULT 0;
