-- Report summaries at a city's scale (issue 13, docs/reports.md "Scale"): per Beijing day, the counts and
-- sums the monthly report, the annual summary and the hot spots read, maintained by statement-level
-- triggers with transition tables on every table they come from. An insert adds a row's contribution, a
-- delete subtracts it, an update subtracts the old row's and adds the new one's, so the tables are exact
-- at every commit and never need a rebuild (report_summaries_rebuild() recomputes them from scratch: the
-- backfill below, and after a bulk load that ran with triggers off).

-- The Beijing calendar day of an instant (UTC+8 all year, no daylight saving since 1991).
CREATE FUNCTION report_day(t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT ((t AT TIME ZONE 'UTC') + interval '8 hours')::date $$;

-- The fixed histogram's bin of a duration: whole seconds below 128 s, then 128 bins an octave (each bin
-- ~0.54 % wide). The same edges are in packages/server/src/reports/summary.ts (binLower, binUpper).
CREATE FUNCTION report_time_bin(seconds double precision) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN seconds < 128 THEN floor(greatest(seconds, 0))::int
                    ELSE 128 + floor(128 * ln(seconds / 128) / ln(2))::int END $$;

-- Both desks' records: this desk's own (source 'own': work_orders, incidents, by the request's received_at
-- and street) and the peer's as its feed carried them (source 'shared': shared_records). A report takes
-- the own rows of its own kinds and the shared rows of the others, as the raw-row reports did.
-- Each record counts once in each grain, the set of columns a report groups by (the others null):
--   district     district_code                   the monthly report's totals and districts
--   unit         unit_id (records with a unit)   its units
--   place        district_code, street_code      the hot spots' places, over the baseline windows
--   topic        topic                           their topics, likewise
--   place_topic  district_code, street_code, topic  their clusters, in the period
-- A finer single grain (day × street × unit × topic) would hold about as many rows as the records.
CREATE TABLE report_day_records (
  grain text NOT NULL CHECK (grain IN ('district', 'unit', 'place', 'topic', 'place_topic')),
  day date NOT NULL,
  source text NOT NULL CHECK (source IN ('own', 'shared')),
  kind text NOT NULL CHECK (kind IN ('work_order', 'incident')),
  exercise boolean NOT NULL,
  district_code text,
  street_code text,
  unit_id text,
  -- the hot spots' topic: a work order's catalogue category, an incident's category
  topic text,
  n integer NOT NULL,
  urgent integer NOT NULL,
  overdue integer NOT NULL,
  satisfied integer NOT NULL,
  basically_satisfied integer NOT NULL,
  unsatisfied integer NOT NULL
);
CREATE UNIQUE INDEX report_day_records_key ON report_day_records
  (grain, day, source, kind, exercise, district_code, street_code, unit_id, topic) NULLS NOT DISTINCT;

-- Linkage items by the Beijing day they were opened.
CREATE TABLE report_day_linkage (
  day date NOT NULL,
  side text NOT NULL,
  kind text NOT NULL,
  exercise boolean NOT NULL,
  district_code text,
  items integer NOT NULL,
  accepted integer NOT NULL,
  feedback integer NOT NULL,
  closed_loop integer NOT NULL,
  loop_base integer NOT NULL,
  accept_overdue integer NOT NULL,
  first_receiver integer NOT NULL
);
CREATE UNIQUE INDEX report_day_linkage_key ON report_day_linkage (day, side, kind, exercise, district_code) NULLS NOT DISTINCT;

-- The fixed histograms of report_day_linkage: acceptance and feedback seconds (from the item's opening),
-- one row per non-empty bin with its count and the sum of its seconds, for P50 and P90.
CREATE TABLE report_day_linkage_times (
  day date NOT NULL,
  side text NOT NULL,
  kind text NOT NULL,
  exercise boolean NOT NULL,
  district_code text,
  measure text NOT NULL CHECK (measure IN ('accept', 'feedback')),
  bin integer NOT NULL,
  n integer NOT NULL,
  -- the sum of the bin's seconds: a bin's values are placed around their mean (exact for a lone value)
  seconds double precision NOT NULL
);
CREATE UNIQUE INDEX report_day_linkage_times_key ON report_day_linkage_times
  (day, side, kind, exercise, district_code, measure, bin) NULLS NOT DISTINCT;

-- The upserts, as text a trigger executes over its transition tables (a transition table is visible only
-- to the trigger function's own queries, so the function runs the text itself). `src` yields rows with a
-- `sign` (-1 old, +1 new), the table's columns and, for own records, the request's rq_received_at and
-- rq_street_code.
CREATE FUNCTION report_records_sql(tbl text, src text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT 'INSERT INTO report_day_records AS t (grain, day, source, kind, exercise, district_code, street_code, unit_id,
    topic, n, urgent, overdue, satisfied, basically_satisfied, unsatisfied)
  SELECT g.grain, day, source, kind, exercise,
    CASE WHEN g.grain IN (''district'', ''place'', ''place_topic'') THEN district_code END,
    CASE WHEN g.grain IN (''place'', ''place_topic'') THEN street_code END,
    CASE WHEN g.grain = ''unit'' THEN unit_id END,
    CASE WHEN g.grain IN (''topic'', ''place_topic'') THEN topic END,
    sum(sign), sum(sign * urgent), sum(sign * overdue), sum(sign * sat), sum(sign * basic), sum(sign * unsat)
  FROM (' || CASE tbl
    WHEN 'work_orders' THEN
      'SELECT x.sign, report_day(x.rq_received_at) AS day, ''own''::text AS source, ''work_order''::text AS kind,
         x.exercise, x.district_code, x.rq_street_code AS street_code, x.lead_unit_id AS unit_id,
         x.category_code AS topic, x.urgent::int AS urgent, x.overdue::int AS overdue,
         (x.satisfaction IS NOT DISTINCT FROM ''satisfied'')::int AS sat,
         (x.satisfaction IS NOT DISTINCT FROM ''basically_satisfied'')::int AS basic,
         (x.satisfaction IS NOT DISTINCT FROM ''unsatisfied'')::int AS unsat FROM (' || src || ') x'
    WHEN 'incidents' THEN
      'SELECT x.sign, report_day(x.rq_received_at) AS day, ''own''::text AS source, ''incident''::text AS kind,
         x.exercise, x.district_code, x.rq_street_code AS street_code, x.unit_id, x.category AS topic,
         (x.priority = 1)::int AS urgent, 0 AS overdue, 0 AS sat, 0 AS basic, 0 AS unsat FROM (' || src || ') x'
    ELSE
      'SELECT x.sign, report_day(x.received_at) AS day, ''shared''::text AS source, x.kind, x.exercise,
         x.district_code, x.street_code, x.unit_id,
         CASE WHEN x.kind = ''work_order'' THEN COALESCE(x.category, x.type) ELSE x.type END AS topic,
         x.urgent::int AS urgent, x.overdue::int AS overdue,
         (x.satisfaction IS NOT DISTINCT FROM ''satisfied'')::int AS sat,
         (x.satisfaction IS NOT DISTINCT FROM ''basically_satisfied'')::int AS basic,
         (x.satisfaction IS NOT DISTINCT FROM ''unsatisfied'')::int AS unsat FROM (' || src || ') x'
  END || ') d
    CROSS JOIN (VALUES (''district''), (''unit''), (''place''), (''topic''), (''place_topic'')) g (grain)
  WHERE g.grain <> ''unit'' OR d.unit_id IS NOT NULL
  GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  HAVING sum(sign) <> 0 OR sum(sign * urgent) <> 0 OR sum(sign * overdue) <> 0 OR sum(sign * sat) <> 0
    OR sum(sign * basic) <> 0 OR sum(sign * unsat) <> 0
  ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
  ON CONFLICT (grain, day, source, kind, exercise, district_code, street_code, unit_id, topic) DO UPDATE SET
    n = t.n + excluded.n, urgent = t.urgent + excluded.urgent, overdue = t.overdue + excluded.overdue,
    satisfied = t.satisfied + excluded.satisfied, basically_satisfied = t.basically_satisfied + excluded.basically_satisfied,
    unsatisfied = t.unsatisfied + excluded.unsatisfied'
$f$;

CREATE FUNCTION report_linkage_sql(src text) RETURNS text[] LANGUAGE sql IMMUTABLE AS $f$
SELECT ARRAY[
  'INSERT INTO report_day_linkage AS t (day, side, kind, exercise, district_code, items, accepted, feedback,
      closed_loop, loop_base, accept_overdue, first_receiver)
    SELECT report_day(x.created_at), x.side, x.kind, x.exercise, x.district_code, sum(x.sign),
      sum(x.sign * (x.accepted_at IS NOT NULL)::int), sum(x.sign * (x.feedback_at IS NOT NULL)::int),
      sum(x.sign * (x.feedback_at IS NOT NULL AND (x.accepted_at IS NOT NULL OR x.kept_by_first_receiver))::int),
      sum(x.sign * (x.accepted_at IS NOT NULL OR x.kept_by_first_receiver)::int),
      sum(x.sign * x.accept_overdue::int), sum(x.sign * x.kept_by_first_receiver::int)
    FROM (' || src || ') x
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(x.sign) <> 0 OR sum(x.sign * (x.accepted_at IS NOT NULL)::int) <> 0
      OR sum(x.sign * (x.feedback_at IS NOT NULL)::int) <> 0
      OR sum(x.sign * (x.feedback_at IS NOT NULL AND (x.accepted_at IS NOT NULL OR x.kept_by_first_receiver))::int) <> 0
      OR sum(x.sign * (x.accepted_at IS NOT NULL OR x.kept_by_first_receiver)::int) <> 0
      OR sum(x.sign * x.accept_overdue::int) <> 0 OR sum(x.sign * x.kept_by_first_receiver::int) <> 0
    ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (day, side, kind, exercise, district_code) DO UPDATE SET
      items = t.items + excluded.items, accepted = t.accepted + excluded.accepted,
      feedback = t.feedback + excluded.feedback, closed_loop = t.closed_loop + excluded.closed_loop,
      loop_base = t.loop_base + excluded.loop_base, accept_overdue = t.accept_overdue + excluded.accept_overdue,
      first_receiver = t.first_receiver + excluded.first_receiver',
  'INSERT INTO report_day_linkage_times AS t (day, side, kind, exercise, district_code, measure, bin, n, seconds)
    SELECT report_day(x.created_at), x.side, x.kind, x.exercise, x.district_code, m.measure, report_time_bin(m.s),
      sum(x.sign), sum(x.sign * m.s)
    FROM (' || src || ') x
      CROSS JOIN LATERAL (VALUES (''accept''::text, extract(epoch FROM x.accepted_at - x.created_at)::double precision),
                                 (''feedback''::text, extract(epoch FROM x.feedback_at - x.created_at)::double precision)) m (measure, s)
    WHERE m.s IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(x.sign) <> 0 OR sum(x.sign * m.s) <> 0
    ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (day, side, kind, exercise, district_code, measure, bin) DO UPDATE SET
      n = t.n + excluded.n, seconds = t.seconds + excluded.seconds']
$f$;

-- The transition rows of a statement, signed: what the sign column of `src` is made of.
CREATE FUNCTION report_signed_rows(op text, extra text, join_sql text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT concat_ws(' UNION ALL ',
  CASE WHEN op IN ('UPDATE', 'DELETE') THEN 'SELECT -1 AS sign' || extra || ', o.* FROM old_rows o' || replace(join_sql, '$', 'o') END,
  CASE WHEN op IN ('UPDATE', 'INSERT') THEN 'SELECT 1 AS sign' || extra || ', o.* FROM new_rows o' || replace(join_sql, '$', 'o') END)
$f$;

CREATE FUNCTION report_summaries_own_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE report_records_sql(TG_TABLE_NAME, report_signed_rows(TG_OP,
    ', r.received_at AS rq_received_at, r.street_code AS rq_street_code', ' JOIN requests r ON r.id = $.request_id'));
  RETURN NULL;
END $$;

CREATE FUNCTION report_summaries_shared_records() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE report_records_sql('shared_records', report_signed_rows(TG_OP, '', ''));
  RETURN NULL;
END $$;

CREATE FUNCTION report_summaries_linkage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE q text;
BEGIN
  FOREACH q IN ARRAY report_linkage_sql(report_signed_rows(TG_OP, '', '')) LOOP
    EXECUTE q;
  END LOOP;
  RETURN NULL;
END $$;

-- A request's received_at or street moved: its records' contributions move with it. (The drill flag
-- reaches the summaries through the records' own copy, work_orders.exercise and incidents.exercise.)
CREATE FUNCTION report_summaries_requests() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE t text;
BEGIN
  IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)
               AND o.exercise IS DISTINCT FROM n.exercise) THEN
    RAISE EXCEPTION 'a request''s received_at or street_code and its exercise flag change in separate statements';
  END IF;
  FOREACH t IN ARRAY ARRAY['work_orders', 'incidents'] LOOP
    EXECUTE report_records_sql(t, format(
      'SELECT -1 AS sign, o.received_at AS rq_received_at, o.street_code AS rq_street_code, x.*
       FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
       WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)
       UNION ALL
       SELECT 1, n.received_at, n.street_code, x.*
       FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
       WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)', t));
  END LOOP;
  RETURN NULL;
END $$;

-- One trigger per event: a trigger with transition tables fires for one event only.
CREATE TRIGGER work_orders_report_ins AFTER INSERT ON work_orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER work_orders_report_upd AFTER UPDATE ON work_orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER work_orders_report_del AFTER DELETE ON work_orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER incidents_report_ins AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER incidents_report_upd AFTER UPDATE ON incidents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER incidents_report_del AFTER DELETE ON incidents REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_own_records();
CREATE TRIGGER shared_records_report_ins AFTER INSERT ON shared_records REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_shared_records();
CREATE TRIGGER shared_records_report_upd AFTER UPDATE ON shared_records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_shared_records();
CREATE TRIGGER shared_records_report_del AFTER DELETE ON shared_records REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_shared_records();
CREATE TRIGGER linkage_items_report_ins AFTER INSERT ON linkage_items REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_linkage();
CREATE TRIGGER linkage_items_report_upd AFTER UPDATE ON linkage_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_linkage();
CREATE TRIGGER linkage_items_report_del AFTER DELETE ON linkage_items REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_linkage();
CREATE TRIGGER requests_report_upd AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_summaries_requests();

-- From scratch, by the same upserts over every row: the backfill, and after a bulk load without triggers.
CREATE FUNCTION report_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
DECLARE q text;
BEGIN
  TRUNCATE report_day_records, report_day_linkage, report_day_linkage_times;
  EXECUTE report_records_sql('work_orders',
    'SELECT 1 AS sign, r.received_at AS rq_received_at, r.street_code AS rq_street_code, o.* FROM work_orders o JOIN requests r ON r.id = o.request_id');
  EXECUTE report_records_sql('incidents',
    'SELECT 1 AS sign, r.received_at AS rq_received_at, r.street_code AS rq_street_code, o.* FROM incidents o JOIN requests r ON r.id = o.request_id');
  EXECUTE report_records_sql('shared_records', 'SELECT 1 AS sign, o.* FROM shared_records o');
  FOREACH q IN ARRAY report_linkage_sql('SELECT 1 AS sign, o.* FROM linkage_items o') LOOP
    EXECUTE q;
  END LOOP;
END $$;

SELECT report_summaries_rebuild();
