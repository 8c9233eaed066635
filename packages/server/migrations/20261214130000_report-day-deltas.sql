-- Report summaries at a city's scale (issue 13, docs/reports.md "Scale"), kept without serialising the
-- writes. Per Beijing day, the counts and sums the monthly report, the annual summary and the hot spots
-- read (report_day_records, report_day_linkage, report_day_linkage_times). The design of the reverted
-- migration 20261214110000 had every write's statement-level trigger upsert these rows, so concurrent
-- intakes queued on the same few rows (the day, the district, the unit). Here the triggers only append:
-- each statement inserts its rows' contributions (an insert's +1, a delete's -1, an update's -1 old and +1
-- new, an update that changes no figure nothing) into a delta table, which has no key, no index and no
-- row another statement ever waits for. A worker in the server (report-fold.worker.ts, every
-- REPORT_FOLD_SECONDS) folds the deltas into the summaries: report_fold_deltas() deletes the deltas it
-- takes, adds them up and upserts the sums, in one transaction, one process at a time (an advisory
-- lock). The reports read the *_live views: the summaries plus the deltas not yet folded, in one
-- statement and so one snapshot, exact at every commit whether the worker has run or not.

-- A database that ran the reverted 20261214110000 still has its upserting triggers: they go, with its
-- tables and functions (rebuilt below from the rows).
DROP FUNCTION IF EXISTS report_summaries_own_records() CASCADE;
DROP FUNCTION IF EXISTS report_summaries_shared_records() CASCADE;
DROP FUNCTION IF EXISTS report_summaries_linkage() CASCADE;
DROP FUNCTION IF EXISTS report_summaries_requests() CASCADE;
DROP FUNCTION IF EXISTS report_summaries_rebuild();
DROP FUNCTION IF EXISTS report_records_sql(text, text);
DROP FUNCTION IF EXISTS report_linkage_sql(text);
DROP FUNCTION IF EXISTS report_signed_rows(text, text, text);
DROP TABLE IF EXISTS report_day_records, report_day_linkage, report_day_linkage_times;
DROP FUNCTION IF EXISTS report_day(timestamptz);
DROP FUNCTION IF EXISTS report_time_bin(double precision);

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

-- The deltas not yet folded. Records: one row per statement and set of columns, before the grains (the
-- fold and the live view expand a row into its five grains). Linkage: one row per statement and item
-- state, `n` the signed number of items in it, with the item's two times (the fold bins them).
CREATE TABLE report_delta_records (
  day date NOT NULL,
  source text NOT NULL,
  kind text NOT NULL,
  exercise boolean NOT NULL,
  district_code text,
  street_code text,
  unit_id text,
  topic text,
  n integer NOT NULL,
  urgent integer NOT NULL,
  overdue integer NOT NULL,
  satisfied integer NOT NULL,
  basically_satisfied integer NOT NULL,
  unsatisfied integer NOT NULL
);

CREATE TABLE report_delta_linkage (
  day date NOT NULL,
  side text NOT NULL,
  kind text NOT NULL,
  exercise boolean NOT NULL,
  district_code text,
  accepted boolean NOT NULL,
  feedback boolean NOT NULL,
  closed_loop boolean NOT NULL,
  loop_base boolean NOT NULL,
  accept_overdue boolean NOT NULL,
  first_receiver boolean NOT NULL,
  accept_seconds double precision,
  feedback_seconds double precision,
  n integer NOT NULL
);

-- The append of one statement's deltas, as text over `src`: rows with a `sign` (-1 old, +1 new), the
-- table's columns and, for own records, the request's rq_received_at and rq_street_code. Contributions
-- that cancel (an update that changed no figure) are left out. The migration writes these texts into the
-- trigger functions below as static SQL (planned once per session, not on every statement).
CREATE FUNCTION report_delta_sql(tbl text, src text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT CASE WHEN tbl = 'linkage_items' THEN
  'INSERT INTO report_delta_linkage (day, side, kind, exercise, district_code, accepted, feedback, closed_loop,
      loop_base, accept_overdue, first_receiver, accept_seconds, feedback_seconds, n)
    SELECT report_day(x.created_at), x.side, x.kind, x.exercise, x.district_code, x.accepted_at IS NOT NULL,
      x.feedback_at IS NOT NULL, x.feedback_at IS NOT NULL AND (x.accepted_at IS NOT NULL OR x.kept_by_first_receiver),
      x.accepted_at IS NOT NULL OR x.kept_by_first_receiver, x.accept_overdue, x.kept_by_first_receiver,
      extract(epoch FROM x.accepted_at - x.created_at)::double precision,
      extract(epoch FROM x.feedback_at - x.created_at)::double precision, sum(x.sign)
    FROM (' || src || ') x
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13
    HAVING sum(x.sign) <> 0'
ELSE
  'INSERT INTO report_delta_records (day, source, kind, exercise, district_code, street_code, unit_id, topic,
      n, urgent, overdue, satisfied, basically_satisfied, unsatisfied)
    SELECT day, source, kind, exercise, district_code, street_code, unit_id, topic,
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
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    HAVING sum(sign) <> 0 OR sum(sign * urgent) <> 0 OR sum(sign * overdue) <> 0 OR sum(sign * sat) <> 0
      OR sum(sign * basic) <> 0 OR sum(sign * unsat) <> 0'
END
$f$;

-- The transition rows of a statement, signed: what the sign column of `src` is made of.
CREATE FUNCTION report_signed_rows(op text, extra text, join_sql text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT concat_ws(' UNION ALL ',
  CASE WHEN op IN ('UPDATE', 'DELETE') THEN 'SELECT -1 AS sign' || extra || ', o.* FROM old_rows o' || replace(join_sql, '$', 'o') END,
  CASE WHEN op IN ('UPDATE', 'INSERT') THEN 'SELECT 1 AS sign' || extra || ', o.* FROM new_rows o' || replace(join_sql, '$', 'o') END)
$f$;

-- One trigger function per table, its three statements written out (\sf report_delta_work_orders shows them).
DO $do$
DECLARE
  t text;
  extra text;
  join_sql text;
BEGIN
  FOREACH t IN ARRAY ARRAY['work_orders', 'incidents', 'shared_records', 'linkage_items'] LOOP
    IF t IN ('work_orders', 'incidents') THEN
      extra := ', r.received_at AS rq_received_at, r.street_code AS rq_street_code';
      join_sql := ' JOIN requests r ON r.id = $.request_id';
    ELSE
      extra := '';
      join_sql := '';
    END IF;
    EXECUTE format($fn$CREATE FUNCTION %I() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF TG_OP = 'INSERT' THEN
    %s;
  ELSIF TG_OP = 'DELETE' THEN
    %s;
  ELSE
    %s;
  END IF;
  RETURN NULL;
END $body$$fn$, 'report_delta_' || t,
      report_delta_sql(t, report_signed_rows('INSERT', extra, join_sql)),
      report_delta_sql(t, report_signed_rows('DELETE', extra, join_sql)),
      report_delta_sql(t, report_signed_rows('UPDATE', extra, join_sql)));
  END LOOP;

  -- A request's received_at or street moved: its records' contributions move with it. (The drill flag
  -- reaches the summaries through the records' own copy, work_orders.exercise and incidents.exercise.)
  EXECUTE format($fn$CREATE FUNCTION report_delta_requests() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
                 WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)) THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM old_rows o JOIN new_rows n ON n.id = o.id
             WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)
               AND o.exercise IS DISTINCT FROM n.exercise) THEN
    RAISE EXCEPTION 'a request''s received_at or street_code and its exercise flag change in separate statements';
  END IF;
  %s;
  %s;
  RETURN NULL;
END $body$$fn$,
    report_delta_sql('work_orders', replace($q$
      SELECT -1 AS sign, o.received_at AS rq_received_at, o.street_code AS rq_street_code, x.*
      FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
      WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)
      UNION ALL
      SELECT 1, n.received_at, n.street_code, x.*
      FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
      WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)$q$, '%1$I', 'work_orders')),
    report_delta_sql('incidents', replace($q$
      SELECT -1 AS sign, o.received_at AS rq_received_at, o.street_code AS rq_street_code, x.*
      FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
      WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)
      UNION ALL
      SELECT 1, n.received_at, n.street_code, x.*
      FROM %1$I x JOIN old_rows o ON o.id = x.request_id JOIN new_rows n ON n.id = o.id
      WHERE (o.received_at, o.street_code) IS DISTINCT FROM (n.received_at, n.street_code)$q$, '%1$I', 'incidents')));
END $do$;

-- One trigger per event: a trigger with transition tables fires for one event only.
CREATE TRIGGER work_orders_report_ins AFTER INSERT ON work_orders REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_work_orders();
CREATE TRIGGER work_orders_report_upd AFTER UPDATE ON work_orders REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_work_orders();
CREATE TRIGGER work_orders_report_del AFTER DELETE ON work_orders REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_work_orders();
CREATE TRIGGER incidents_report_ins AFTER INSERT ON incidents REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_incidents();
CREATE TRIGGER incidents_report_upd AFTER UPDATE ON incidents REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_incidents();
CREATE TRIGGER incidents_report_del AFTER DELETE ON incidents REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_incidents();
CREATE TRIGGER shared_records_report_ins AFTER INSERT ON shared_records REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_shared_records();
CREATE TRIGGER shared_records_report_upd AFTER UPDATE ON shared_records REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_shared_records();
CREATE TRIGGER shared_records_report_del AFTER DELETE ON shared_records REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_shared_records();
CREATE TRIGGER linkage_items_report_ins AFTER INSERT ON linkage_items REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_linkage_items();
CREATE TRIGGER linkage_items_report_upd AFTER UPDATE ON linkage_items REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_linkage_items();
CREATE TRIGGER linkage_items_report_del AFTER DELETE ON linkage_items REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_linkage_items();
CREATE TRIGGER requests_report_upd AFTER UPDATE ON requests REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_delta_requests();

-- A delta row of records in its five grains (what the fold adds and the live view shows).
CREATE FUNCTION report_delta_grains(d report_delta_records) RETURNS SETOF report_day_records
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT g.grain, d.day, d.source, d.kind, d.exercise,
    CASE WHEN g.grain IN ('district', 'place', 'place_topic') THEN d.district_code END,
    CASE WHEN g.grain IN ('place', 'place_topic') THEN d.street_code END,
    CASE WHEN g.grain = 'unit' THEN d.unit_id END,
    CASE WHEN g.grain IN ('topic', 'place_topic') THEN d.topic END,
    d.n, d.urgent, d.overdue, d.satisfied, d.basically_satisfied, d.unsatisfied
  FROM (VALUES ('district'), ('unit'), ('place'), ('topic'), ('place_topic')) g (grain)
  WHERE g.grain <> 'unit' OR d.unit_id IS NOT NULL
$$;

-- What the reports read: the summaries and the deltas not yet folded, as rows to add up (never one row
-- per key: a reader sums, as it would over days).
CREATE VIEW report_day_records_live AS
  SELECT * FROM report_day_records
  UNION ALL
  SELECT g.* FROM report_delta_records d CROSS JOIN LATERAL report_delta_grains(d) g;

CREATE VIEW report_day_linkage_live AS
  SELECT * FROM report_day_linkage
  UNION ALL
  SELECT day, side, kind, exercise, district_code, n, n * accepted::int, n * feedback::int, n * closed_loop::int,
    n * loop_base::int, n * accept_overdue::int, n * first_receiver::int
  FROM report_delta_linkage;

CREATE VIEW report_day_linkage_times_live AS
  SELECT * FROM report_day_linkage_times
  UNION ALL
  SELECT d.day, d.side, d.kind, d.exercise, d.district_code, m.measure, report_time_bin(m.s), d.n, d.n * m.s
  FROM report_delta_linkage d
    CROSS JOIN LATERAL (VALUES ('accept'::text, d.accept_seconds), ('feedback'::text, d.feedback_seconds)) m (measure, s)
  WHERE m.s IS NOT NULL;

-- Folds at most max_rows deltas of each table (all of them when null) into the summaries, in the caller's
-- transaction: the deltas it deletes and the sums it adds commit together or not at all. No lock here:
-- see report_fold_deltas.
CREATE FUNCTION report_fold_now(max_rows integer) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  records integer;
  linkage integer;
BEGIN
  WITH d AS (
    DELETE FROM report_delta_records
    WHERE ctid IN (SELECT ctid FROM report_delta_records LIMIT max_rows)
    RETURNING *
  ), ins AS (
    INSERT INTO report_day_records AS t (grain, day, source, kind, exercise, district_code, street_code, unit_id,
      topic, n, urgent, overdue, satisfied, basically_satisfied, unsatisfied)
    SELECT g.grain, g.day, g.source, g.kind, g.exercise, g.district_code, g.street_code, g.unit_id, g.topic,
      sum(g.n), sum(g.urgent), sum(g.overdue), sum(g.satisfied), sum(g.basically_satisfied), sum(g.unsatisfied)
    FROM d CROSS JOIN LATERAL report_delta_grains(d::report_delta_records) g
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    HAVING sum(g.n) <> 0 OR sum(g.urgent) <> 0 OR sum(g.overdue) <> 0 OR sum(g.satisfied) <> 0
      OR sum(g.basically_satisfied) <> 0 OR sum(g.unsatisfied) <> 0
    ON CONFLICT (grain, day, source, kind, exercise, district_code, street_code, unit_id, topic) DO UPDATE SET
      n = t.n + excluded.n, urgent = t.urgent + excluded.urgent, overdue = t.overdue + excluded.overdue,
      satisfied = t.satisfied + excluded.satisfied,
      basically_satisfied = t.basically_satisfied + excluded.basically_satisfied,
      unsatisfied = t.unsatisfied + excluded.unsatisfied
  )
  SELECT count(*) INTO records FROM d;

  WITH d AS (
    DELETE FROM report_delta_linkage
    WHERE ctid IN (SELECT ctid FROM report_delta_linkage LIMIT max_rows)
    RETURNING *
  ), totals AS (
    INSERT INTO report_day_linkage AS t (day, side, kind, exercise, district_code, items, accepted, feedback,
      closed_loop, loop_base, accept_overdue, first_receiver)
    SELECT day, side, kind, exercise, district_code, sum(n), sum(n * accepted::int), sum(n * feedback::int),
      sum(n * closed_loop::int), sum(n * loop_base::int), sum(n * accept_overdue::int), sum(n * first_receiver::int)
    FROM d
    GROUP BY 1, 2, 3, 4, 5
    HAVING sum(n) <> 0 OR sum(n * accepted::int) <> 0 OR sum(n * feedback::int) <> 0 OR sum(n * closed_loop::int) <> 0
      OR sum(n * loop_base::int) <> 0 OR sum(n * accept_overdue::int) <> 0 OR sum(n * first_receiver::int) <> 0
    ON CONFLICT (day, side, kind, exercise, district_code) DO UPDATE SET
      items = t.items + excluded.items, accepted = t.accepted + excluded.accepted,
      feedback = t.feedback + excluded.feedback, closed_loop = t.closed_loop + excluded.closed_loop,
      loop_base = t.loop_base + excluded.loop_base, accept_overdue = t.accept_overdue + excluded.accept_overdue,
      first_receiver = t.first_receiver + excluded.first_receiver
  ), times AS (
    INSERT INTO report_day_linkage_times AS t (day, side, kind, exercise, district_code, measure, bin, n, seconds)
    SELECT d.day, d.side, d.kind, d.exercise, d.district_code, m.measure, report_time_bin(m.s), sum(d.n), sum(d.n * m.s)
    FROM d CROSS JOIN LATERAL (VALUES ('accept'::text, d.accept_seconds), ('feedback'::text, d.feedback_seconds)) m (measure, s)
    WHERE m.s IS NOT NULL
    GROUP BY 1, 2, 3, 4, 5, 6, 7
    HAVING sum(d.n) <> 0 OR sum(d.n * m.s) <> 0
    ON CONFLICT (day, side, kind, exercise, district_code, measure, bin) DO UPDATE SET
      n = t.n + excluded.n, seconds = t.seconds + excluded.seconds
  )
  SELECT count(*) INTO linkage FROM d;

  RETURN records + linkage;
END $$;

-- The worker's fold: the number of deltas folded, or null when another process is folding (it holds the
-- advisory lock until its transaction ends; two folds never take the same deltas or upsert the same rows
-- at once). Called as one statement, it is one transaction: a crash before its commit leaves every
-- delta in place and every summary as it was.
CREATE FUNCTION report_fold_deltas(max_rows integer DEFAULT 50000) RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
  IF NOT pg_try_advisory_xact_lock(4212345113) THEN
    RETURN NULL;
  END IF;
  RETURN report_fold_now(max_rows);
END $$;

-- From scratch: every row's contribution as a delta, all folded. The backfill below, and after a bulk
-- load that ran with triggers off. It waits for a running fold and holds off the next.
CREATE FUNCTION report_summaries_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(4212345113);
  TRUNCATE report_day_records, report_day_linkage, report_day_linkage_times, report_delta_records, report_delta_linkage;
  EXECUTE report_delta_sql('work_orders',
    'SELECT 1 AS sign, r.received_at AS rq_received_at, r.street_code AS rq_street_code, o.* FROM work_orders o JOIN requests r ON r.id = o.request_id');
  EXECUTE report_delta_sql('incidents',
    'SELECT 1 AS sign, r.received_at AS rq_received_at, r.street_code AS rq_street_code, o.* FROM incidents o JOIN requests r ON r.id = o.request_id');
  EXECUTE report_delta_sql('shared_records', 'SELECT 1 AS sign, o.* FROM shared_records o');
  EXECUTE report_delta_sql('linkage_items', 'SELECT 1 AS sign, o.* FROM linkage_items o');
  PERFORM report_fold_now(NULL);
END $$;

SELECT report_summaries_rebuild();
