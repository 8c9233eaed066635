-- The IVR navigation tree (导航流程) as versioned data: each save is a new version; the newest is in force.
CREATE TABLE ivr_flow_versions (
  version integer PRIMARY KEY CHECK (version > 0),
  tree jsonb NOT NULL CHECK (jsonb_typeof(tree) = 'object'),
  change_note text NOT NULL CHECK (length(change_note) BETWEEN 1 AND 1000),
  -- the depth and key presses measured when it was saved (domain/knowledge/ivr.ts reportIvrTree)
  max_depth integer NOT NULL,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TRIGGER ivr_flow_versions_append_only BEFORE UPDATE OR DELETE ON ivr_flow_versions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
