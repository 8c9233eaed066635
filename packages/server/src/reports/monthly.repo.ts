/**
 * The monthly linkage report's figures (月度通报), in SQL over both desks' data: this desk's linkage
 * items (each item is on both desks, so either desk counts every transfer), this desk's own records,
 * and the peer desk's records as its analysis feed carried them (`shared_records`, docs/data-sharing.md).
 * Every function takes one period [from, to) (Beijing midnights); the service runs it for the period, the
 * one before and the same one a year earlier. Counts, sums and times come from the day summaries
 * (summary.ts); rejections, negotiations and returns are few and read from their event rows.
 */
import type { ShareKind } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import { dayRange, histogramPercentile, OWN_VIEW } from './summary.ts';

export interface Range {
  from: Date;
  to: Date;
}

/**
 * The figures that are counts and sums, read from the day summaries (summary.ts): a month is a few
 * thousand rows there instead of millions of records. The raw-row computation they equal is the
 * reference in packages/server/test/reports/raw-reference.ts.
 */
export interface RecordTotals {
  work_orders: number;
  incidents: number;
  urgent_orders: number;
  overdue_orders: number;
  satisfied: number;
  basically_satisfied: number;
  unsatisfied: number;
}

export async function recordTotals(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<RecordTotals> {
  const d = dayRange(p);
  const r = await db.query<RecordTotals>(
    `SELECT COALESCE(sum(n) FILTER (WHERE kind = 'work_order'), 0)::int AS work_orders,
       COALESCE(sum(n) FILTER (WHERE kind = 'incident'), 0)::int AS incidents,
       COALESCE(sum(urgent) FILTER (WHERE kind = 'work_order'), 0)::int AS urgent_orders,
       COALESCE(sum(overdue) FILTER (WHERE kind = 'work_order'), 0)::int AS overdue_orders,
       COALESCE(sum(satisfied), 0)::int AS satisfied,
       COALESCE(sum(basically_satisfied), 0)::int AS basically_satisfied,
       COALESCE(sum(unsatisfied), 0)::int AS unsatisfied
     FROM report_day_records_live
     WHERE grain = 'district' AND day >= $1::date AND day < $2::date AND NOT exercise AND ${OWN_VIEW}`,
    [d.fromDay, d.toDay, own],
  );
  return r.rows[0]!;
}

export interface LinkageTotals {
  direction: 'sent' | 'received';
  items: number;
  accepted: number;
  accept_p50: number | null;
  accept_p90: number | null;
  feedback: number;
  feedback_p50: number | null;
  feedback_p90: number | null;
  closed_loop: number;
  loop_base: number;
  accept_overdue: number;
  first_receiver: number;
  mediations: number;
  mediation_feedback: number;
  emergencies: number;
}

/**
 * Items opened in the period, each way: the counts, and the acceptance and feedback times (seconds) as
 * P50 and P90 of the fixed histograms — within one bin of the exact percentile (TIME_PRECISION_NOTE).
 */
export async function linkageTotals(db: Queryable, p: Range): Promise<LinkageTotals[]> {
  const d = dayRange(p);
  const [totals, times] = await Promise.all([
    db.query<Omit<LinkageTotals, 'accept_p50' | 'accept_p90' | 'feedback_p50' | 'feedback_p90'>>(
      `SELECT CASE side WHEN 'originator' THEN 'sent' ELSE 'received' END AS direction,
         sum(items)::int AS items, sum(accepted)::int AS accepted, sum(feedback)::int AS feedback,
         sum(closed_loop)::int AS closed_loop, sum(loop_base)::int AS loop_base,
         sum(accept_overdue)::int AS accept_overdue, sum(first_receiver)::int AS first_receiver,
         COALESCE(sum(items) FILTER (WHERE kind = 'mediation'), 0)::int AS mediations,
         COALESCE(sum(feedback) FILTER (WHERE kind = 'mediation'), 0)::int AS mediation_feedback,
         COALESCE(sum(items) FILTER (WHERE kind = 'emergency'), 0)::int AS emergencies
       FROM report_day_linkage_live WHERE day >= $1::date AND day < $2::date AND NOT exercise
       GROUP BY 1 HAVING sum(items) > 0 ORDER BY 1 DESC`,
      [d.fromDay, d.toDay],
    ),
    db.query<{ direction: string; measure: string; bin: number; n: number; seconds: number }>(
      `SELECT CASE side WHEN 'originator' THEN 'sent' ELSE 'received' END AS direction, measure, bin, sum(n)::int AS n,
         sum(seconds) AS seconds
       FROM report_day_linkage_times_live WHERE day >= $1::date AND day < $2::date AND NOT exercise
       GROUP BY 1, 2, 3 HAVING sum(n) > 0 ORDER BY 1, 2, 3`,
      [d.fromDay, d.toDay],
    ),
  ]);
  const hist = (direction: string, measure: string) =>
    times.rows.filter((t) => t.direction === direction && t.measure === measure);
  return totals.rows.map((t) => ({
    ...t,
    accept_p50: histogramPercentile(hist(t.direction, 'accept'), 0.5),
    accept_p90: histogramPercentile(hist(t.direction, 'accept'), 0.9),
    feedback_p50: histogramPercentile(hist(t.direction, 'feedback'), 0.5),
    feedback_p90: histogramPercentile(hist(t.direction, 'feedback'), 0.9),
  }));
}

/** Rejections in the period by reason and by who rejected: this desk's seat's unit, or the peer desk. */
export async function rejections(
  db: Queryable,
  p: Range,
): Promise<{ reason: string | null; rejected_by: string; n: number }[]> {
  return (
    await db.query(
      `SELECT e.payload->>'reasonCode' AS reason,
         CASE WHEN e.direction = 'sent' THEN COALESCE(u.unit_id, 'self') ELSE i.peer END AS rejected_by,
         count(*)::int AS n
       FROM linkage_events e JOIN linkage_items i ON i.item_id = e.item_id LEFT JOIN users u ON u.id = e.actor_id
       WHERE e.type = 'transfer.reject' AND e.direction IN ('sent', 'received') AND e.at >= $1 AND e.at < $2
         AND NOT i.exercise
       GROUP BY 1, 2 ORDER BY n DESC, 1, 2`,
      [p.from, p.to],
    )
  ).rows;
}

/** Negotiations opened in the period, and how those decided in it ended. */
export async function negotiations(
  db: Queryable,
  p: Range,
): Promise<{ opened: number; outcomes: Record<string, number> }> {
  const r = await db.query<{ type: string; outcome: string | null; n: number }>(
    `SELECT e.type, e.payload->>'outcome' AS outcome, count(*)::int AS n
     FROM linkage_events e JOIN linkage_items i ON i.item_id = e.item_id
     WHERE e.type IN ('negotiation.open', 'negotiation.resolve') AND e.direction IN ('sent', 'received')
       AND e.at >= $1 AND e.at < $2 AND NOT i.exercise
     GROUP BY 1, 2`,
    [p.from, p.to],
  );
  const outcomes: Record<string, number> = {};
  let opened = 0;
  for (const x of r.rows) {
    if (x.type === 'negotiation.open') opened += x.n;
    else outcomes[x.outcome ?? 'unknown'] = (outcomes[x.outcome ?? 'unknown'] ?? 0) + x.n;
  }
  return { opened, outcomes };
}

/** Returns (退单) in the period by reason and unit, from the 12345 desk's action log (null elsewhere). */
export async function returnsByUnit(
  db: Queryable,
  p: Range,
): Promise<{ unit_id: string | null; reason: string | null; n: number }[]> {
  return (
    await db.query(
      `SELECT COALESCE(a.details->>'unitId', a.actor_unit_id) AS unit_id, a.details->>'reasonCode' AS reason, count(*)::int AS n
       FROM work_order_actions a JOIN work_orders w ON w.id = a.work_order_id JOIN requests r ON r.id = w.request_id
       WHERE a.action = 'return' AND a.at >= $1 AND a.at < $2 AND NOT r.exercise
       GROUP BY 1, 2 ORDER BY n DESC, 1, 2`,
      [p.from, p.to],
    )
  ).rows;
}

export interface DistrictRow {
  code: string;
  work_orders: number;
  incidents: number;
  urgent_orders: number;
  overdue_orders: number;
  followed_up: number;
  satisfied: number;
  linkage_sent: number;
  linkage_received: number;
}

/** Per district: both desks' records and the linkage items (by the item's district). */
export async function byDistrict(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<DistrictRow[]> {
  const d = dayRange(p);
  return (
    await db.query<DistrictRow>(
      `WITH r AS (
         SELECT district_code AS code, COALESCE(sum(n) FILTER (WHERE kind = 'work_order'), 0)::int AS work_orders,
           COALESCE(sum(n) FILTER (WHERE kind = 'incident'), 0)::int AS incidents,
           COALESCE(sum(urgent) FILTER (WHERE kind = 'work_order'), 0)::int AS urgent_orders,
           COALESCE(sum(overdue) FILTER (WHERE kind = 'work_order'), 0)::int AS overdue_orders,
           sum(satisfied + basically_satisfied + unsatisfied)::int AS followed_up,
           sum(satisfied + basically_satisfied)::int AS satisfied
         FROM report_day_records_live
         WHERE grain = 'district' AND day >= $1::date AND day < $2::date AND NOT exercise AND ${OWN_VIEW} GROUP BY 1
       ), l AS (
         SELECT district_code AS code, COALESCE(sum(items) FILTER (WHERE side = 'originator'), 0)::int AS linkage_sent,
           COALESCE(sum(items) FILTER (WHERE side = 'receiver'), 0)::int AS linkage_received
         FROM report_day_linkage_live WHERE day >= $1::date AND day < $2::date AND NOT exercise GROUP BY 1
       )
       SELECT d.code, COALESCE(r.work_orders, 0) AS work_orders, COALESCE(r.incidents, 0) AS incidents,
         COALESCE(r.urgent_orders, 0) AS urgent_orders, COALESCE(r.overdue_orders, 0) AS overdue_orders,
         COALESCE(r.followed_up, 0) AS followed_up, COALESCE(r.satisfied, 0) AS satisfied,
         COALESCE(l.linkage_sent, 0) AS linkage_sent, COALESCE(l.linkage_received, 0) AS linkage_received
       FROM districts d LEFT JOIN r ON r.code = d.code LEFT JOIN l ON l.code = d.code ORDER BY d.code`,
      [d.fromDay, d.toDay, own],
    )
  ).rows;
}

export interface UnitRow {
  unit_id: string;
  work_orders: number;
  incidents: number;
  overdue_orders: number;
  followed_up: number;
  satisfied: number;
}

/** Per handling unit (承办单位, police unit): both desks' records. */
export async function byUnit(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<UnitRow[]> {
  const d = dayRange(p);
  return (
    await db.query<UnitRow>(
      `SELECT unit_id, COALESCE(sum(n) FILTER (WHERE kind = 'work_order'), 0)::int AS work_orders,
         COALESCE(sum(n) FILTER (WHERE kind = 'incident'), 0)::int AS incidents,
         COALESCE(sum(overdue) FILTER (WHERE kind = 'work_order'), 0)::int AS overdue_orders,
         sum(satisfied + basically_satisfied + unsatisfied)::int AS followed_up,
         sum(satisfied + basically_satisfied)::int AS satisfied
       FROM report_day_records_live
       WHERE grain = 'unit' AND day >= $1::date AND day < $2::date AND NOT exercise AND ${OWN_VIEW} AND unit_id IS NOT NULL
       GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1`,
      [d.fromDay, d.toDay, own],
    )
  ).rows;
}

export async function names(db: Queryable): Promise<{ districts: Map<string, string>; units: Map<string, string> }> {
  const d = await db.query<{ code: string; name: string }>('SELECT code, name FROM districts');
  const u = await db.query<{ id: string; name: string }>('SELECT id, name FROM units');
  return { districts: new Map(d.rows.map((r) => [r.code, r.name])), units: new Map(u.rows.map((r) => [r.id, r.name])) };
}

export interface DrillCounts {
  workOrders: number;
  incidents: number;
  linkageItems: number;
}

/** The drills (应急演练) of the period, each report's note that it left them out: records of both desks, linkage items. */
export async function drillCounts(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<DrillCounts> {
  const d = dayRange(p);
  const r = await db.query<DrillCounts>(
    `SELECT
       (SELECT COALESCE(sum(n) FILTER (WHERE kind = 'work_order'), 0) FROM report_day_records_live
         WHERE grain = 'district' AND exercise AND day >= $1::date AND day < $2::date AND ${OWN_VIEW})::int AS "workOrders",
       (SELECT COALESCE(sum(n) FILTER (WHERE kind = 'incident'), 0) FROM report_day_records_live
         WHERE grain = 'district' AND exercise AND day >= $1::date AND day < $2::date AND ${OWN_VIEW})::int AS "incidents",
       (SELECT COALESCE(sum(items), 0) FROM report_day_linkage_live
         WHERE exercise AND day >= $1::date AND day < $2::date)::int AS "linkageItems"`,
    [d.fromDay, d.toDay, own],
  );
  return r.rows[0]!;
}

/**
 * Where a report's counts and sums come from: the day summaries. The equality test passes the raw-row
 * reference (test/reports/raw-reference.ts) to build the same reports straight from the rows.
 */
export interface FigureSource {
  recordTotals: typeof recordTotals;
  linkageTotals: typeof linkageTotals;
  byDistrict: typeof byDistrict;
  byUnit: typeof byUnit;
  drillCounts: typeof drillCounts;
}

export const SUMMARIES: FigureSource = { recordTotals, linkageTotals, byDistrict, byUnit, drillCounts };
