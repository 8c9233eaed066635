-- Reference data: Chongqing's districts and streets (GB/T 2260), units that receive work orders or
-- incidents, the 12345 dispatch catalogue (派单目录), the working calendar and time limits.

CREATE TABLE districts (
  code text PRIMARY KEY CHECK (code ~ '^50\d{4}$'),
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('district', 'county', 'autonomous_county'))
);

CREATE TABLE streets (
  code text PRIMARY KEY CHECK (code ~ '^50\d{7}$'),
  district_code text NOT NULL REFERENCES districts (code),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('subdistrict', 'town', 'township')),
  UNIQUE (district_code, code)
);

-- A unit is any body that handles work or incidents: city departments, district hotline agencies and
-- departments, street offices, police command centre, sub-bureaus, specialised police and stations,
-- and outside bodies reached through connectors (119, 120, utilities, governance centres, vehicle moving).
CREATE TABLE units (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_.-]{1,63}$'),
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN (
    'city_department', 'district_agency', 'district_department', 'street_office',
    'police_command', 'police_bureau', 'police_specialized', 'police_station', 'external')),
  desk text NOT NULL CHECK (desk IN ('hotline', 'dispatch', 'external')),
  district_code text REFERENCES districts (code),
  street_code text REFERENCES streets (code),
  parent_id text REFERENCES units (id),
  active boolean NOT NULL DEFAULT true
);
CREATE INDEX units_district_idx ON units (district_code, kind);

CREATE TABLE catalogue_categories (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9]{1,15}$'),
  name text NOT NULL,
  parent_code text REFERENCES catalogue_categories (code),
  -- which kind of unit usually leads: a city department (named) or the district's own bodies
  default_function text CHECK (default_function ~ '^[a-z-]{2,20}$'),
  default_unit_kind text CHECK (default_unit_kind IN ('city_department', 'district_department', 'street_office', 'district_agency')),
  active boolean NOT NULL DEFAULT true
);

CREATE TABLE calendar_days (
  day date PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('holiday', 'workday')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
  provisional boolean NOT NULL DEFAULT false,
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE time_limits (
  order_type text NOT NULL CHECK (order_type IN ('*', 'consultation', 'help', 'complaint', 'report', 'suggestion', 'praise')),
  urgent boolean NOT NULL,
  amount integer NOT NULL CHECK (amount BETWEEN 1 AND 720),
  unit text NOT NULL CHECK (unit IN ('hours', 'working_days')),
  updated_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (order_type, urgent)
);
