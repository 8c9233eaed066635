-- Attachments (photos, documents) of a work order, stored in the database with their digest, so that a
-- backup of the one database holds everything. Append-only: a wrong upload is superseded, not erased.
CREATE TABLE work_order_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  work_order_id uuid NOT NULL REFERENCES work_orders (id),
  file_name text NOT NULL CHECK (length(file_name) BETWEEN 1 AND 200),
  content_type text NOT NULL,
  size_bytes integer NOT NULL CHECK (size_bytes > 0),
  sha256 text NOT NULL,
  data bytea NOT NULL,
  uploaded_by uuid NOT NULL REFERENCES users (id),
  uploader_role text NOT NULL,
  uploader_unit_id text,
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX work_order_attachments_order_idx ON work_order_attachments (work_order_id, uploaded_at);
CREATE TRIGGER work_order_attachments_append_only BEFORE UPDATE OR DELETE ON work_order_attachments
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- 催办: a supervisor's point-to-point reminder. It reaches a unit (the lead unit of a work order) or a
-- role on this desk (the specialist seats, for a linkage item). Read receipts are the only update.
CREATE TABLE reminders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  work_order_id uuid REFERENCES work_orders (id),
  linkage_item_id text,
  subject text NOT NULL,
  target_unit_id text REFERENCES units (id),
  target_role text,
  message text NOT NULL CHECK (length(message) BETWEEN 1 AND 500),
  sent_by uuid NOT NULL REFERENCES users (id),
  sent_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  read_by uuid REFERENCES users (id),
  CHECK ((work_order_id IS NULL) <> (linkage_item_id IS NULL)),
  CHECK ((target_unit_id IS NULL) <> (target_role IS NULL))
);
CREATE INDEX reminders_unit_idx ON reminders (target_unit_id, sent_at DESC);
CREATE INDEX reminders_role_idx ON reminders (target_role, sent_at DESC);
CREATE INDEX reminders_order_idx ON reminders (work_order_id);
