-- Tamper-evident audit trail (docs/security.md): the audit tables stay append-only and are written as
-- before; a sealing worker later adds links, each hashing (SM3) the previous link's hash and the
-- canonical form of every entry in its window of one table, so no write waits for the chain.
CREATE TABLE audit_links (
  seq bigint PRIMARY KEY,
  table_name text NOT NULL,
  columns text[] NOT NULL,
  after_id bigint NOT NULL,
  through_id bigint NOT NULL,
  entry_ids bigint[] NOT NULL,
  entry_digests text[] NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  sealed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_links_table_idx ON audit_links (table_name, seq DESC);
CREATE TRIGGER audit_links_append_only BEFORE UPDATE OR DELETE ON audit_links FOR EACH ROW EXECUTE FUNCTION refuse_change();
