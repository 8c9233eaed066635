-- The analysis share feed (docs/data-sharing.md). Every insert or update of a work order or incident
-- stamps the row with its transaction id and a change number; the feed serves rows in (xid, seq) order
-- and only those whose transaction is older than every transaction still running, so a cursor never
-- passes a change that commits later.
CREATE SEQUENCE share_change_seq;

ALTER TABLE work_orders ADD COLUMN share_xid xid8, ADD COLUMN share_seq bigint;
ALTER TABLE incidents ADD COLUMN share_xid xid8, ADD COLUMN share_seq bigint;

CREATE FUNCTION mark_share_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.share_xid := pg_current_xact_id();
  NEW.share_seq := nextval('share_change_seq');
  RETURN NEW;
END $$;

CREATE TRIGGER work_orders_share_change BEFORE INSERT OR UPDATE ON work_orders
  FOR EACH ROW EXECUTE FUNCTION mark_share_change();
CREATE TRIGGER incidents_share_change BEFORE INSERT OR UPDATE ON incidents
  FOR EACH ROW EXECUTE FUNCTION mark_share_change();

UPDATE work_orders SET share_seq = NULL;
UPDATE incidents SET share_seq = NULL;

CREATE INDEX work_orders_share_idx ON work_orders (share_xid, share_seq);
CREATE INDEX incidents_share_idx ON incidents (share_xid, share_seq);

-- The peer desk's records as its feed carried them (de-identified), for the joint analysis.
CREATE TABLE shared_records (
  source text NOT NULL,
  record_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('work_order', 'incident')),
  received_at timestamptz NOT NULL,
  district_code text,
  street_code text,
  grid_cell text,
  type text NOT NULL,
  category text,
  channel text NOT NULL,
  status text NOT NULL,
  outcome text,
  satisfaction text,
  urgent boolean NOT NULL,
  overdue boolean NOT NULL,
  unit_id text,
  tier text,
  to_dispatch_s integer,
  to_arrive_s integer,
  to_reply_s integer,
  to_close_s integer,
  text text NOT NULL,
  changed_at timestamptz NOT NULL,
  pulled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (source, record_id)
);
CREATE INDEX shared_records_received_idx ON shared_records (received_at);

CREATE TABLE share_cursors (
  peer text PRIMARY KEY,
  after text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Every page served to the peer and every page pulled from it (refusals are in bridge_refusals).
CREATE TABLE share_pulls (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  direction text NOT NULL CHECK (direction IN ('served', 'pulled')),
  peer text NOT NULL,
  key_id text,
  after text NOT NULL,
  next text NOT NULL,
  records integer NOT NULL,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER share_pulls_append_only BEFORE UPDATE OR DELETE ON share_pulls FOR EACH ROW EXECUTE FUNCTION refuse_change();
