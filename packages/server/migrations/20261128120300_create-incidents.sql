CREATE SEQUENCE incident_no_seq;

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  no text NOT NULL UNIQUE,
  request_id uuid NOT NULL UNIQUE REFERENCES requests (id),
  category text NOT NULL CHECK (category IN ('criminal', 'public_order', 'traffic', 'mass_incident', 'emergency_help',
    'public_help', 'police_complaint', 'tip_off', 'social_linkage', 'non_police', 'invalid')),
  priority smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
  status text NOT NULL CHECK (status IN ('received', 'dispatched', 'on_scene', 'handling', 'feedback_given', 'closed')),
  district_code text REFERENCES districts (code),
  tier text CHECK (tier IN ('command_center', 'specialized_police', 'police_station')),
  unit_id text REFERENCES units (id),
  disposition text CHECK (disposition IN ('report_taken', 'resolved_on_scene', 'settled_by_phone', 'referred_to_partner_agency',
    'mediated', 'no_action_needed', 'unable_to_locate', 'duplicate', 'cancelled', 'arrest')),
  close_kind text CHECK (close_kind IN ('handled', 'invalid', 'harassment', 'diverted')),
  diverted_to text,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  dispatched_at timestamptz,
  arrived_at timestamptz,
  closed_at timestamptz
);
CREATE INDEX incidents_status_idx ON incidents (status, created_at DESC);
CREATE INDEX incidents_created_idx ON incidents (created_at DESC, id);
CREATE INDEX incidents_district_idx ON incidents (district_code, created_at DESC);
CREATE INDEX incidents_unit_idx ON incidents (unit_id, status);

CREATE TABLE incident_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id),
  action text NOT NULL,
  from_status text,
  to_status text NOT NULL,
  actor_id uuid REFERENCES users (id),
  actor_role text,
  actor_unit_id text,
  details jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX incident_actions_incident_idx ON incident_actions (incident_id, id);
CREATE TRIGGER incident_actions_append_only BEFORE UPDATE OR DELETE ON incident_actions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
