-- Drafts of the next jurisdiction catalogue (职责清单) version: an administrator copies a published
-- version, edits its entries over several sittings (e.g. while a quarterly 会商 agrees them), then
-- publishes the draft as the next version number. A draft is never read by triage.
CREATE TABLE triage_catalogue_drafts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  based_on integer NOT NULL REFERENCES triage_catalogue_versions (version),
  effective_from date NOT NULL,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  note text,
  entries jsonb NOT NULL CHECK (jsonb_typeof(entries) = 'array'),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
