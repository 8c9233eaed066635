/**
 * The monthly linkage report's figures (月度通报), in SQL over both desks' data: this desk's linkage
 * items (each item is on both desks, so either desk counts every transfer), this desk's own records,
 * and the peer desk's records as its analysis feed carried them (`shared_records`, docs/data-sharing.md).
 * Every function takes one period [from, to); the service runs it for the period, the one before and
 * the same one a year earlier.
 */
import type { ShareKind } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export interface Range {
  from: Date;
  to: Date;
}

/**
 * Both desks' records of the period, in one shape: this desk's own kinds from its tables, the other
 * kinds from the peer's feed. $1, $2: the period; $3: this desk's own kinds.
 */
export const RECORDS = `
  SELECT 'work_order'::text AS kind, r.received_at, w.district_code, w.lead_unit_id AS unit_id, w.urgent, w.overdue,
    w.satisfaction, w.order_type AS type
  FROM work_orders w JOIN requests r ON r.id = w.request_id
  WHERE 'work_order' = ANY($3::text[]) AND r.received_at >= $1 AND r.received_at < $2 AND NOT r.exercise
  UNION ALL
  SELECT 'incident', r.received_at, i.district_code, i.unit_id, i.priority = 1, false, NULL, i.category
  FROM incidents i JOIN requests r ON r.id = i.request_id
  WHERE 'incident' = ANY($3::text[]) AND r.received_at >= $1 AND r.received_at < $2 AND NOT r.exercise
  UNION ALL
  SELECT kind, received_at, district_code, unit_id, urgent, overdue, satisfaction, type FROM shared_records
  WHERE NOT (kind = ANY($3::text[])) AND received_at >= $1 AND received_at < $2 AND NOT exercise`;

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
  const r = await db.query<RecordTotals>(
    `WITH recs AS (${RECORDS})
     SELECT count(*) FILTER (WHERE kind = 'work_order')::int AS work_orders,
       count(*) FILTER (WHERE kind = 'incident')::int AS incidents,
       count(*) FILTER (WHERE kind = 'work_order' AND urgent)::int AS urgent_orders,
       count(*) FILTER (WHERE kind = 'work_order' AND overdue)::int AS overdue_orders,
       count(*) FILTER (WHERE satisfaction = 'satisfied')::int AS satisfied,
       count(*) FILTER (WHERE satisfaction = 'basically_satisfied')::int AS basically_satisfied,
       count(*) FILTER (WHERE satisfaction = 'unsatisfied')::int AS unsatisfied
     FROM recs`,
    [p.from, p.to, own],
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

/** Items opened in the period, each way: acceptance and feedback times (seconds), the loop, the flags. */
export async function linkageTotals(db: Queryable, p: Range): Promise<LinkageTotals[]> {
  return (
    await db.query<LinkageTotals>(
      `SELECT CASE side WHEN 'originator' THEN 'sent' ELSE 'received' END AS direction,
         count(*)::int AS items,
         count(accepted_at)::int AS accepted,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) AS accept_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) AS accept_p90,
         count(feedback_at)::int AS feedback,
         percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM feedback_at - created_at)) AS feedback_p50,
         percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM feedback_at - created_at)) AS feedback_p90,
         count(*) FILTER (WHERE feedback_at IS NOT NULL AND (accepted_at IS NOT NULL OR kept_by_first_receiver))::int AS closed_loop,
         count(*) FILTER (WHERE accepted_at IS NOT NULL OR kept_by_first_receiver)::int AS loop_base,
         count(*) FILTER (WHERE accept_overdue)::int AS accept_overdue,
         count(*) FILTER (WHERE kept_by_first_receiver)::int AS first_receiver,
         count(*) FILTER (WHERE kind = 'mediation')::int AS mediations,
         count(*) FILTER (WHERE kind = 'mediation' AND feedback_at IS NOT NULL)::int AS mediation_feedback,
         count(*) FILTER (WHERE kind = 'emergency')::int AS emergencies
       FROM linkage_items WHERE created_at >= $1 AND created_at < $2 AND NOT exercise
       GROUP BY 1 ORDER BY 1 DESC`,
      [p.from, p.to],
    )
  ).rows;
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
  return (
    await db.query<DistrictRow>(
      `WITH recs AS (${RECORDS}), r AS (
         SELECT district_code AS code, count(*) FILTER (WHERE kind = 'work_order')::int AS work_orders,
           count(*) FILTER (WHERE kind = 'incident')::int AS incidents,
           count(*) FILTER (WHERE kind = 'work_order' AND urgent)::int AS urgent_orders,
           count(*) FILTER (WHERE kind = 'work_order' AND overdue)::int AS overdue_orders,
           count(satisfaction)::int AS followed_up,
           count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied'))::int AS satisfied
         FROM recs GROUP BY 1
       ), l AS (
         SELECT district_code AS code, count(*) FILTER (WHERE side = 'originator')::int AS linkage_sent,
           count(*) FILTER (WHERE side = 'receiver')::int AS linkage_received
         FROM linkage_items WHERE created_at >= $1 AND created_at < $2 AND NOT exercise GROUP BY 1
       )
       SELECT d.code, COALESCE(r.work_orders, 0) AS work_orders, COALESCE(r.incidents, 0) AS incidents,
         COALESCE(r.urgent_orders, 0) AS urgent_orders, COALESCE(r.overdue_orders, 0) AS overdue_orders,
         COALESCE(r.followed_up, 0) AS followed_up, COALESCE(r.satisfied, 0) AS satisfied,
         COALESCE(l.linkage_sent, 0) AS linkage_sent, COALESCE(l.linkage_received, 0) AS linkage_received
       FROM districts d LEFT JOIN r ON r.code = d.code LEFT JOIN l ON l.code = d.code ORDER BY d.code`,
      [p.from, p.to, own],
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
  return (
    await db.query<UnitRow>(
      `WITH recs AS (${RECORDS})
       SELECT unit_id, count(*) FILTER (WHERE kind = 'work_order')::int AS work_orders,
         count(*) FILTER (WHERE kind = 'incident')::int AS incidents,
         count(*) FILTER (WHERE kind = 'work_order' AND overdue)::int AS overdue_orders,
         count(satisfaction)::int AS followed_up,
         count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied'))::int AS satisfied
       FROM recs WHERE unit_id IS NOT NULL GROUP BY 1 ORDER BY 1`,
      [p.from, p.to, own],
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
  const r = await db.query<DrillCounts>(
    `SELECT
       (SELECT count(*) FROM work_orders w JOIN requests r ON r.id = w.request_id
         WHERE 'work_order' = ANY($3::text[]) AND r.exercise AND r.received_at >= $1 AND r.received_at < $2)::int
       + (SELECT count(*) FROM shared_records WHERE kind = 'work_order' AND NOT ('work_order' = ANY($3::text[]))
         AND exercise AND received_at >= $1 AND received_at < $2)::int AS "workOrders",
       (SELECT count(*) FROM incidents i JOIN requests r ON r.id = i.request_id
         WHERE 'incident' = ANY($3::text[]) AND r.exercise AND r.received_at >= $1 AND r.received_at < $2)::int
       + (SELECT count(*) FROM shared_records WHERE kind = 'incident' AND NOT ('incident' = ANY($3::text[]))
         AND exercise AND received_at >= $1 AND received_at < $2)::int AS "incidents",
       (SELECT count(*) FROM linkage_items WHERE exercise AND created_at >= $1 AND created_at < $2)::int AS "linkageItems"`,
    [p.from, p.to, own],
  );
  return r.rows[0]!;
}
