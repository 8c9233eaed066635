/**
 * Figures for the overview dashboard and the supervisors' per-unit table, computed in SQL over this
 * desk's database (work orders, incidents, linkage items). Days and months are Beijing time.
 */
import { BEIJING_TZ, OPEN_WORK_ORDER_STATUSES } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import { sqlList } from '../db/sql.ts';

const TZ = `'${BEIJING_TZ}'`;
const START_OF_TODAY = `(date_trunc('day', now() AT TIME ZONE ${TZ}) AT TIME ZONE ${TZ})`;
const START_OF_MONTH = `(date_trunc('month', now() AT TIME ZONE ${TZ}) AT TIME ZONE ${TZ})`;

export async function volumes(db: Queryable) {
  const r = await db.query<{
    wo_today: number;
    wo_month: number;
    inc_today: number;
    inc_month: number;
    urgent_month: number;
    overdue_open: number;
  }>(`
    SELECT
      (SELECT count(*)::int FROM work_orders WHERE created_at >= ${START_OF_TODAY}) AS wo_today,
      (SELECT count(*)::int FROM work_orders WHERE created_at >= ${START_OF_MONTH}) AS wo_month,
      (SELECT count(*)::int FROM incidents WHERE created_at >= ${START_OF_TODAY}) AS inc_today,
      (SELECT count(*)::int FROM incidents WHERE created_at >= ${START_OF_MONTH}) AS inc_month,
      (SELECT count(*)::int FROM work_orders WHERE urgent AND created_at >= ${START_OF_MONTH}) AS urgent_month,
      (SELECT count(*)::int FROM work_orders WHERE overdue AND status IN ${sqlList(OPEN_WORK_ORDER_STATUSES)}) AS overdue_open`);
  return r.rows[0]!;
}

/** Linkage items this desk opened (sent) and received, today and this month, by peer. */
export async function transfers(db: Queryable) {
  return (
    await db.query<{ side: string; peer: string; today: number; month: number }>(`
    SELECT side, peer, count(*) FILTER (WHERE created_at >= ${START_OF_TODAY})::int AS today, count(*)::int AS month
    FROM linkage_items WHERE created_at >= ${START_OF_MONTH} GROUP BY side, peer ORDER BY side, peer`)
  ).rows;
}

/** Seconds from opening to acceptance and to feedback over the last 30 days (median and 90th percentile). */
export async function linkageTimes(db: Queryable) {
  return (
    await db.query<{
      side: string;
      accepted: number;
      accept_p50: number | null;
      accept_p90: number | null;
      feedback: number;
      feedback_p50: number | null;
      feedback_p90: number | null;
      accept_overdue: number;
    }>(`
    SELECT side,
      count(accepted_at)::int AS accepted,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) AS accept_p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM accepted_at - created_at)) AS accept_p90,
      count(feedback_at)::int AS feedback,
      percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM feedback_at - created_at)) AS feedback_p50,
      percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM feedback_at - created_at)) AS feedback_p90,
      count(*) FILTER (WHERE accept_overdue)::int AS accept_overdue
    FROM linkage_items WHERE created_at >= now() - interval '30 days' GROUP BY side ORDER BY side`)
  ).rows;
}

/** Why transfers were rejected (either side) and why orders were returned, last 30 days. */
export async function rejectionReasons(db: Queryable) {
  const linkage = (
    await db.query<{ reason: string; n: number }>(`
    SELECT payload->>'reasonCode' AS reason, count(*)::int AS n FROM linkage_events
    WHERE type = 'transfer.reject' AND direction IN ('sent', 'received') AND at >= now() - interval '30 days'
    GROUP BY 1 ORDER BY n DESC`)
  ).rows;
  const returns = (
    await db.query<{ reason: string; n: number }>(`
    SELECT details->>'reasonCode' AS reason, count(*)::int AS n FROM work_order_actions
    WHERE action = 'return' AND at >= now() - interval '30 days' GROUP BY 1 ORDER BY n DESC`)
  ).rows;
  return { linkage, returns };
}

/** Requests per district this month (work orders and incidents), for the map. */
export async function byDistrict(db: Queryable) {
  return (
    await db.query<{ code: string; name: string; work_orders: number; incidents: number }>(`
    SELECT d.code, d.name,
      (SELECT count(*)::int FROM work_orders w WHERE w.district_code = d.code AND w.created_at >= ${START_OF_MONTH}) AS work_orders,
      (SELECT count(*)::int FROM incidents i WHERE i.district_code = d.code AND i.created_at >= ${START_OF_MONTH}) AS incidents
    FROM districts d ORDER BY d.code`)
  ).rows;
}

/** Daily counts over the last 30 days for the busiest top-level categories (work orders) and incident categories. */
export async function trends(db: Queryable) {
  const orders = (
    await db.query<{ day: string; category: string; name: string; n: number }>(`
    WITH w AS (
      SELECT to_char(w.created_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') AS day, COALESCE(c.parent_code, c.code) AS category
      FROM work_orders w JOIN catalogue_categories c ON c.code = w.category_code
      WHERE w.created_at >= ${START_OF_TODAY} - interval '29 days'
    ), top AS (SELECT category FROM w GROUP BY category ORDER BY count(*) DESC LIMIT 6)
    SELECT w.day, w.category, c.name, count(*)::int AS n FROM w JOIN top USING (category) JOIN catalogue_categories c ON c.code = w.category
    GROUP BY w.day, w.category, c.name ORDER BY w.day, w.category`)
  ).rows;
  const incidents = (
    await db.query<{ day: string; category: string; n: number }>(`
    SELECT to_char(created_at AT TIME ZONE ${TZ}, 'YYYY-MM-DD') AS day, category, count(*)::int AS n FROM incidents
    WHERE created_at >= ${START_OF_TODAY} - interval '29 days' GROUP BY 1, 2 ORDER BY 1, 2`)
  ).rows;
  return { orders, incidents };
}

export interface UnitFigures {
  unit_id: string;
  unit_name: string;
  district_code: string | null;
  assigned: number;
  open: number;
  returns: number;
  extension_refusals: number;
  reopened: number;
  overdue: number;
  replied: number;
  replied_late: number;
  late: number;
  judged: number;
  avg_reply_hours: number | null;
}

/**
 * Per lead unit over a period: orders assigned to it, returns (退单) it made, extension requests
 * refused and replies found unsatisfactory (重办), orders overdue, replies and late replies.
 */
export async function unitFigures(
  db: Queryable,
  f: { from: Date; to: Date; districtCode?: string; unitId?: string; sort: keyof UnitFigures; limit: number },
): Promise<UnitFigures[]> {
  const args: unknown[] = [f.from, f.to];
  const extra: string[] = [];
  if (f.districtCode) {
    args.push(f.districtCode);
    extra.push(`u.district_code = $${args.length}`);
  }
  if (f.unitId) {
    args.push(f.unitId);
    extra.push(`u.id = $${args.length}`);
  }
  args.push(f.limit);
  return (
    await db.query<UnitFigures>(
      `
    WITH assigned AS (
      SELECT a.details->>'leadUnitId' AS unit_id, count(DISTINCT a.work_order_id)::int AS n FROM work_order_actions a
      WHERE a.action IN ('assign', 'reassign', 'reopen') AND a.at >= $1 AND a.at < $2 GROUP BY 1
    ), acts AS (
      SELECT COALESCE(a.details->>'unitId', a.actor_unit_id) AS unit_id, count(*)::int AS returns
      FROM work_order_actions a WHERE a.action = 'return' AND a.at >= $1 AND a.at < $2 GROUP BY 1
    ), judged AS (
      SELECT COALESCE(a.details->>'leadUnitId', w.lead_unit_id) AS unit_id,
        count(*) FILTER (WHERE a.action = 'refuse_extension')::int AS extension_refusals,
        count(*) FILTER (WHERE a.action = 'reopen')::int AS reopened
      FROM work_order_actions a JOIN work_orders w ON w.id = a.work_order_id
      WHERE a.action IN ('refuse_extension', 'reopen') AND a.at >= $1 AND a.at < $2 GROUP BY 1
    ), orders AS (
      SELECT w.lead_unit_id AS unit_id,
        count(*) FILTER (WHERE w.status IN ('assigned', 'signed', 'in_progress'))::int AS open,
        count(*) FILTER (WHERE w.overdue)::int AS overdue,
        count(w.replied_at)::int AS replied,
        count(*) FILTER (WHERE w.replied_at > w.due_at)::int AS replied_late,
        -- lateness: replied after the due time, or still unanswered past it; over the orders that are either
        count(*) FILTER (WHERE w.replied_at > w.due_at OR (w.replied_at IS NULL AND w.overdue))::int AS late,
        count(*) FILTER (WHERE w.replied_at IS NOT NULL OR w.overdue)::int AS judged,
        round((avg(extract(epoch FROM w.replied_at - w.created_at)) / 3600)::numeric, 1)::float AS avg_reply_hours
      FROM work_orders w WHERE w.created_at >= $1 AND w.created_at < $2 AND w.lead_unit_id IS NOT NULL GROUP BY 1
    )
    SELECT u.id AS unit_id, u.name AS unit_name, u.district_code,
      COALESCE(assigned.n, 0) AS assigned, COALESCE(orders.open, 0) AS open, COALESCE(acts.returns, 0) AS returns,
      COALESCE(judged.extension_refusals, 0) AS extension_refusals, COALESCE(judged.reopened, 0) AS reopened,
      COALESCE(orders.overdue, 0) AS overdue, COALESCE(orders.replied, 0) AS replied, COALESCE(orders.replied_late, 0) AS replied_late,
      COALESCE(orders.late, 0) AS late, COALESCE(orders.judged, 0) AS judged,
      orders.avg_reply_hours
    FROM units u
    LEFT JOIN assigned ON assigned.unit_id = u.id LEFT JOIN acts ON acts.unit_id = u.id
    LEFT JOIN judged ON judged.unit_id = u.id LEFT JOIN orders ON orders.unit_id = u.id
    WHERE (assigned.n IS NOT NULL OR acts.returns > 0 OR orders.unit_id IS NOT NULL) ${extra.length ? `AND ${extra.join(' AND ')}` : ''}
    ORDER BY ${f.sort} DESC NULLS LAST, u.id LIMIT $${args.length}`,
      args,
    )
  ).rows;
}
