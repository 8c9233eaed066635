-- Smart dispatch (智能派单) models as versioned data: each trained model is kept whole with who trained
-- it, on what, its cross-validated scores and how it compared with the model active before it on a
-- held-out slice. At most one is active; with none, the server uses the shipped default.
CREATE TABLE dispatch_models (
  version text PRIMARY KEY CHECK (version ~ '^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$'),
  model jsonb NOT NULL CHECK (jsonb_typeof(model) = 'object'),
  variant text NOT NULL,
  trained_by text NOT NULL CHECK (length(trained_by) BETWEEN 1 AND 200),
  trained_at timestamptz NOT NULL,
  source text NOT NULL CHECK (length(source) BETWEEN 1 AND 500),
  labels text[] NOT NULL,
  -- {"samples","labels","folds","top1","top3","macroF1","seconds","ece"} as `dispatch train` printed them
  scores jsonb NOT NULL,
  -- {"samples","candidate":{top1,top3,macroF1},"current":{version,top1,top3,macroF1}}: the held-out comparison
  held_out jsonb,
  active boolean NOT NULL DEFAULT false,
  -- activated: beat the current model on the held-out slice; kept_current: did not (stored, not used)
  decision text NOT NULL CHECK (decision IN ('activated', 'kept_current', 'activated_by_admin')),
  uploaded_by uuid REFERENCES users (id),
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  bytes integer NOT NULL CHECK (bytes > 0)
);
CREATE UNIQUE INDEX dispatch_models_one_active_idx ON dispatch_models ((true)) WHERE active;
CREATE INDEX dispatch_models_uploaded_idx ON dispatch_models (uploaded_at DESC);
