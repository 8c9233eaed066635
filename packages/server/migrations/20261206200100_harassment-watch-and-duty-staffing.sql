-- 恶意骚扰 watch list: a number a supervisor confirmed from the harassment report; the seats' caller
-- panel shows it on the number's next call. Removal keeps the row (who removed it, when).
CREATE TABLE harassment_watch (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  phone text NOT NULL CHECK (phone ~ '^[0-9]{3,20}$'),
  note text NOT NULL CHECK (length(note) BETWEEN 1 AND 500),
  period text NOT NULL CHECK (length(period) BETWEEN 4 AND 30),
  calls integer NOT NULL CHECK (calls >= 0),
  confirmed_by uuid NOT NULL REFERENCES users (id),
  confirmed_at timestamptz NOT NULL DEFAULT now(),
  removed_by uuid REFERENCES users (id),
  removed_at timestamptz
);
-- one standing entry per number
CREATE UNIQUE INDEX harassment_watch_phone_idx ON harassment_watch (phone) WHERE removed_at IS NULL;

-- 110 call-takers on duty per day (任务9: at least 1.5 % of the day's inbound calls), entered by an administrator.
CREATE TABLE duty_staffing (
  day date PRIMARY KEY,
  call_takers integer NOT NULL CHECK (call_takers BETWEEN 0 AND 100000),
  entered_by uuid REFERENCES users (id),
  entered_at timestamptz NOT NULL DEFAULT now()
);
