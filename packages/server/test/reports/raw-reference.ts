/**
 * The reference the report summaries must equal (issue 13, docs/reports.md "Scale"): the count-and-sum
 * figures computed straight from the raw rows, as the reports computed them before the day summaries.
 * It lives with the tests only; reports.summary.test.ts builds every report both ways and compares them.
 */
import { maskPhone, maskShareText, normaliseAddress, normalisePhone, type ShareKind } from '@liandong/domain';
import { pseudonym } from '../../src/analytics/share.service.ts';
import { openColumns } from '../../src/crypto/pii.ts';
import type { Db, Queryable } from '../../src/db/pool.ts';
import {
  DISPUTE_CATEGORIES,
  EXAMPLE_ROWS,
  RISK_GROUPS,
  type CountRow,
  type HotspotSource,
  type RiskGroup,
} from '../../src/reports/hotspots.ts';
import type {
  DistrictRow,
  DrillCounts,
  FigureSource,
  LinkageTotals,
  Range,
  RecordTotals,
  UnitRow,
} from '../../src/reports/monthly.repo.ts';

/**
 * Both desks' records of the period, in one shape: this desk's own kinds from its tables, the other
 * kinds from the peer's feed. $1, $2: the period; $3: this desk's own kinds.
 */
const RECORDS = `
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

async function recordTotals(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<RecordTotals> {
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

/** Items opened in the period, each way: acceptance and feedback times (seconds), the loop, the flags. */
async function linkageTotals(db: Queryable, p: Range): Promise<LinkageTotals[]> {
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

/** Per district: both desks' records and the linkage items (by the item's district). */
async function byDistrict(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<DistrictRow[]> {
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

/** Per handling unit (承办单位, police unit): both desks' records. */
async function byUnit(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<UnitRow[]> {
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

/** The drills (应急演练) of the period, each report's note that it left them out: records of both desks, linkage items. */
async function drillCounts(db: Queryable, p: Range, own: readonly ShareKind[]): Promise<DrillCounts> {
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

/** Both desks' records in [$1, $2) without drills, in one shape; $3 the desk's own kinds. */
const HOTSPOT_RECORDS = `
  SELECT 'work_order'::text AS kind, r.received_at, w.district_code, r.street_code,
    w.category_code AS topic, w.order_type AS type, NULL::text AS outcome, true AS own
  FROM work_orders w JOIN requests r ON r.id = w.request_id
  WHERE 'work_order' = ANY($3::text[]) AND NOT r.exercise AND r.received_at >= $1 AND r.received_at < $2
  UNION ALL
  SELECT 'incident', r.received_at, i.district_code, r.street_code, i.category, i.category,
    CASE WHEN i.close_kind IS NOT NULL AND i.disposition IS NOT NULL THEN i.close_kind || ':' || i.disposition
         ELSE COALESCE(i.close_kind, i.disposition) END, true
  FROM incidents i JOIN requests r ON r.id = i.request_id
  WHERE 'incident' = ANY($3::text[]) AND NOT r.exercise AND r.received_at >= $1 AND r.received_at < $2
  UNION ALL
  SELECT kind, received_at, district_code, street_code, CASE WHEN kind = 'work_order' THEN COALESCE(category, type) ELSE type END,
    type, outcome, false FROM shared_records
  WHERE NOT (kind = ANY($3::text[])) AND NOT exercise AND received_at >= $1 AND received_at < $2`;

export async function rawHotspotCounts(
  db: Db,
  own: string[],
  from: Date,
  to: Date,
  windowMs: number,
): Promise<CountRow[]> {
  return (
    await db.query<CountRow>(
      `WITH recs AS (${HOTSPOT_RECORDS})
       SELECT place, district, topic, bucket, count(*)::int AS n,
         count(*) FILTER (WHERE kind = 'work_order')::int AS orders, count(*) FILTER (WHERE kind = 'incident')::int AS incidents
       FROM (SELECT COALESCE(street_code, district_code, '') AS place, district_code AS district, topic, kind,
               floor(extract(epoch FROM received_at - $1::timestamptz) * 1000 / $4)::int AS bucket FROM recs) x
       GROUP BY GROUPING SETS ((place, district, bucket), (topic, bucket), (place, district, topic, bucket))
       ORDER BY place, district, topic, bucket`,
      [from, to, own, windowMs],
    )
  ).rows;
}

export const RAW: FigureSource = { recordTotals, linkageTotals, byDistrict, byUnit, drillCounts };
interface RiskRow {
  kind: 'work_order' | 'incident';
  received_at: Date;
  district_code: string | null;
  street_code: string | null;
  own: boolean;
  text: string;
  address: string | null;
  phone: string | null;
  caller_key: string | null;
  place_key: string | null;
}

/**
 * The repeat-dispute groups as the report built them before the stored keys: every complaint and dispute
 * call of the period read, the desk's own keyed here one by one, grouped in memory.
 */
async function rawRiskGroups(
  db: Db,
  own: string[],
  p: { from: Date; to: Date },
  key: string | null,
): Promise<RiskGroup[]> {
  const risks = openColumns(
    (
      await db.query<RiskRow>(
        `SELECT 'work_order' AS kind, r.received_at, w.district_code, r.street_code, true AS own, r.id AS rid,
           r.content AS text, r.address, c.phone_sealed AS phone, NULL::text AS caller_key, NULL::text AS place_key
         FROM work_orders w JOIN requests r ON r.id = w.request_id LEFT JOIN callers c ON c.id = r.caller_id
         WHERE 'work_order' = ANY($3::text[]) AND w.order_type = 'complaint' AND NOT r.exercise
           AND r.received_at >= $1 AND r.received_at < $2
         UNION ALL
         SELECT 'incident', r.received_at, i.district_code, r.street_code, true, r.id, r.content, r.address, c.phone_sealed, NULL, NULL
         FROM incidents i JOIN requests r ON r.id = i.request_id LEFT JOIN callers c ON c.id = r.caller_id
         WHERE 'incident' = ANY($3::text[]) AND (i.category = ANY($4::text[]) OR i.disposition = 'mediated') AND NOT r.exercise
           AND r.received_at >= $1 AND r.received_at < $2
         UNION ALL
         SELECT kind, received_at, district_code, street_code, false, record_id, text, NULL, NULL, caller_key, place_key
         FROM shared_records
         WHERE NOT (kind = ANY($3::text[])) AND NOT exercise AND received_at >= $1 AND received_at < $2
           AND ((kind = 'work_order' AND type = 'complaint')
             OR (kind = 'incident' AND (type = ANY($4::text[]) OR outcome LIKE '%mediated%')))
         ORDER BY 2, 6`,
        [p.from, p.to, own, DISPUTE_CATEGORIES],
      )
    ).rows,
    { phone: 'caller.phone' },
  );
  const groups = new Map<string, RiskGroup>();
  const add = (dimension: RiskGroup['dimension'], k: string | null, label: string | null, r: RiskRow) => {
    if (!k) return;
    const id = `${dimension}:${k}`;
    let g = groups.get(id);
    if (!g)
      groups.set(
        id,
        (g = {
          dimension,
          key: k,
          label: null,
          districtCode: r.district_code,
          streetCode: r.street_code,
          complaints: 0,
          disputes: 0,
          first: r.received_at,
          last: r.received_at,
          examples: [],
        }),
      );
    if (r.kind === 'work_order') g.complaints++;
    else g.disputes++;
    if (r.received_at > g.last) g.last = r.received_at;
    if (r.own && g.label === null) g.label = label;
    // the first two distinct texts among the group's first EXAMPLE_ROWS records
    const text = r.own ? maskShareText(r.text) : r.text;
    if (g.complaints + g.disputes <= EXAMPLE_ROWS && g.examples.length < 2 && !g.examples.includes(text))
      g.examples.push(text);
  };
  for (const r of risks) {
    const placeKey = r.own ? pseudonym(key, normaliseAddress(r.address)) : r.place_key;
    const callerKey = r.own ? pseudonym(key, normalisePhone(r.phone)) : r.caller_key;
    add('place', placeKey, r.address, r);
    add('caller', callerKey, r.phone ? `来电人 ${maskPhone(r.phone)}` : null, r);
    if (r.street_code) add('street', r.street_code, null, r);
  }
  const both = (g: RiskGroup) => g.complaints > 0 && g.disputes > 0;
  return [...groups.values()]
    .filter((g) => both(g) || (g.dimension !== 'street' && g.complaints + g.disputes >= 3))
    .sort(
      (a, b) =>
        Number(both(b)) - Number(both(a)) ||
        b.complaints + b.disputes - (a.complaints + a.disputes) ||
        (a.dimension < b.dimension ? -1 : a.dimension > b.dimension ? 1 : 0) ||
        (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
    )
    .slice(0, RISK_GROUPS);
}

export const RAW_HOTSPOTS: HotspotSource = { counts: rawHotspotCounts, risks: rawRiskGroups, drillCounts };
