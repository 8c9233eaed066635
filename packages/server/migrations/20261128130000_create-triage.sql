-- Jurisdiction catalogue (职责清单): each version is immutable and whole; a new agreement (e.g. a
-- quarterly 会商) publishes a new version. The active one is the newest already in effect.
CREATE TABLE triage_catalogue_versions (
  version integer PRIMARY KEY CHECK (version > 0),
  effective_from date NOT NULL,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  note text,
  entries jsonb NOT NULL CHECK (jsonb_typeof(entries) = 'array'),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The triage suggestion attached to every request, with the catalogue version and model that made it.
CREATE TABLE triage_outcomes (
  request_id uuid PRIMARY KEY REFERENCES requests (id),
  route text NOT NULL CHECK (route IN ('110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance')),
  emergency boolean NOT NULL,
  urgent boolean NOT NULL,
  urgent_kind text,
  linked text[] NOT NULL DEFAULT '{}',
  category text NOT NULL,
  confidence real NOT NULL,
  needs_consultation boolean NOT NULL,
  reasons jsonb NOT NULL,
  catalogue_version integer NOT NULL,
  model_version text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- What the call-taker did with the suggestion: accepted, or overridden with who and why. Overrides
-- can feed retraining (`npx liandong triage train --with-overrides`).
CREATE TABLE triage_decisions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id uuid NOT NULL REFERENCES triage_outcomes (request_id),
  decision text NOT NULL CHECK (decision IN ('accepted', 'overridden')),
  route text NOT NULL CHECK (route IN ('110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance')),
  emergency boolean NOT NULL,
  urgent boolean NOT NULL,
  reason text CHECK (decision = 'accepted' OR length(reason) BETWEEN 1 AND 1000),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX triage_decisions_request_idx ON triage_decisions (request_id, id);
CREATE TRIGGER triage_decisions_append_only BEFORE UPDATE OR DELETE ON triage_decisions FOR EACH ROW EXECUTE FUNCTION refuse_change();
