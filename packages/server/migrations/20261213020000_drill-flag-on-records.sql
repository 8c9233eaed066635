-- 应急演练 on the records themselves (docs/reports.md "Drills"): a work order or an incident shows that it is a
-- drill in every list without a join. requests.exercise stays the source; these copies follow it.
ALTER TABLE work_orders ADD COLUMN exercise boolean NOT NULL DEFAULT false;
ALTER TABLE incidents ADD COLUMN exercise boolean NOT NULL DEFAULT false;

-- A record made from a request that is already a drill is one from the start.
CREATE FUNCTION record_exercise_from_request() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.exercise := COALESCE((SELECT exercise FROM requests WHERE id = NEW.request_id), false);
  RETURN NEW;
END $$;
CREATE TRIGGER work_orders_exercise BEFORE INSERT ON work_orders FOR EACH ROW EXECUTE FUNCTION record_exercise_from_request();
CREATE TRIGGER incidents_exercise BEFORE INSERT ON incidents FOR EACH ROW EXECUTE FUNCTION record_exercise_from_request();

-- A request marked a drill after its record was made (intake marks it in the same transaction).
CREATE FUNCTION request_exercise_to_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE work_orders SET exercise = NEW.exercise WHERE request_id = NEW.id AND exercise IS DISTINCT FROM NEW.exercise;
  UPDATE incidents SET exercise = NEW.exercise WHERE request_id = NEW.id AND exercise IS DISTINCT FROM NEW.exercise;
  RETURN NEW;
END $$;
CREATE TRIGGER requests_exercise AFTER UPDATE OF exercise ON requests FOR EACH ROW
  WHEN (OLD.exercise IS DISTINCT FROM NEW.exercise) EXECUTE FUNCTION request_exercise_to_records();

UPDATE work_orders w SET exercise = true FROM requests r WHERE r.id = w.request_id AND r.exercise;
UPDATE incidents i SET exercise = true FROM requests r WHERE r.id = i.request_id AND r.exercise;
