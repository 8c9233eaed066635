/**
 * 派单准确率 as the 12345 centres count it: of the orders concluded (办结) in a period that were
 * dispatched (派单), the share whose first dispatch went to the unit that finally handled them — the
 * rest were returned (退单) and re-dispatched (改派) on the way. By the unit first dispatched to and by
 * catalogue category, with the units that return most and for what (reasons and categories).
 */
import { RETURN_REASON_LABELS } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export interface Range {
  from: Date;
  to: Date;
}

/** Orders concluded in the range with their first dispatch's lead unit and their final one. */
const JUDGED = `
  SELECT w.id, w.category_code, w.lead_unit_id AS final_unit, f.first_unit
    FROM work_orders w
    CROSS JOIN LATERAL (
      SELECT a.details->>'leadUnitId' AS first_unit FROM work_order_actions a
       WHERE a.work_order_id = w.id AND a.action = 'assign' ORDER BY a.id LIMIT 1
    ) f
   WHERE w.replied_at >= $1 AND w.replied_at < $2 AND w.lead_unit_id IS NOT NULL`;

export interface AccuracyCount {
  orders: number;
  first_right: number;
}

const rate = (right: number, n: number) => (n > 0 ? Math.round((right / n) * 10000) / 10000 : null);

/** The period's totals (for the headline figure, with 环比 and 同比). */
export async function accuracyTotals(db: Queryable, p: Range): Promise<AccuracyCount> {
  const { rows } = await db.query<AccuracyCount>(
    `SELECT count(*)::int AS orders, count(*) FILTER (WHERE first_unit = final_unit)::int AS first_right FROM (${JUDGED}) j`,
    [p.from, p.to],
  );
  return rows[0] ?? { orders: 0, first_right: 0 };
}

/** Per unit first dispatched to: how many of its orders it also handled to the end. */
export async function accuracyByFirstUnit(
  db: Queryable,
  p: Range,
): Promise<Map<string, { orders: number; firstRight: number; rate: number | null }>> {
  const { rows } = await db.query<AccuracyCount & { unit_id: string }>(
    `SELECT first_unit AS unit_id, count(*)::int AS orders, count(*) FILTER (WHERE first_unit = final_unit)::int AS first_right
       FROM (${JUDGED}) j WHERE first_unit IS NOT NULL GROUP BY 1`,
    [p.from, p.to],
  );
  return new Map(
    rows.map((r) => [r.unit_id, { orders: r.orders, firstRight: r.first_right, rate: rate(r.first_right, r.orders) }]),
  );
}

/** The report's section: totals, by unit, by category, and the units that return most. */
export async function dispatchAccuracy(db: Queryable, p: Range, top = 10) {
  const [totals, byUnit, byCategory, returns, units, categories] = await Promise.all([
    accuracyTotals(db, p),
    accuracyByFirstUnit(db, p),
    db.query<AccuracyCount & { code: string }>(
      `SELECT category_code AS code, count(*)::int AS orders, count(*) FILTER (WHERE first_unit = final_unit)::int AS first_right
         FROM (${JUDGED}) j GROUP BY 1 ORDER BY orders DESC, 1`,
      [p.from, p.to],
    ),
    db.query<{ unit_id: string | null; reason: string | null; code: string; n: number }>(
      `SELECT COALESCE(a.details->>'unitId', a.actor_unit_id) AS unit_id, a.details->>'reasonCode' AS reason,
              w.category_code AS code, count(*)::int AS n
         FROM work_order_actions a JOIN work_orders w ON w.id = a.work_order_id
        WHERE a.action = 'return' AND a.at >= $1 AND a.at < $2 GROUP BY 1, 2, 3`,
      [p.from, p.to],
    ),
    db.query<{ id: string; name: string }>('SELECT id, name FROM units'),
    db.query<{ code: string; name: string }>('SELECT code, name FROM catalogue_categories'),
  ]);
  const unitName = new Map(units.rows.map((u) => [u.id, u.name]));
  const categoryName = new Map(categories.rows.map((c) => [c.code, c.name]));
  const returners = new Map<string, { n: number; reasons: Map<string, number>; categories: Map<string, number> }>();
  for (const r of returns.rows) {
    const id = r.unit_id ?? 'unknown';
    const u = returners.get(id) ?? { n: 0, reasons: new Map(), categories: new Map() };
    u.n += r.n;
    u.reasons.set(r.reason ?? 'unknown', (u.reasons.get(r.reason ?? 'unknown') ?? 0) + r.n);
    u.categories.set(r.code, (u.categories.get(r.code) ?? 0) + r.n);
    returners.set(id, u);
  }
  const ranked = <K>(m: Map<K, number>) =>
    [...m].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  return {
    definition: '本期办结且经派单的工单中，首次派单单位即最终承办单位的比例',
    orders: totals.orders,
    firstRight: totals.first_right,
    rate: rate(totals.first_right, totals.orders),
    /** By the unit first dispatched to: the share of its orders it handled to the end (the rest it returned). */
    byUnit: [...byUnit]
      .map(([unitId, f]) => ({ unitId, name: unitName.get(unitId) ?? unitId, ...f }))
      .sort((a, b) => b.orders - a.orders || a.unitId.localeCompare(b.unitId)),
    byCategory: byCategory.rows.map((r) => ({
      code: r.code,
      name: categoryName.get(r.code) ?? r.code,
      orders: r.orders,
      firstRight: r.first_right,
      rate: rate(r.first_right, r.orders),
    })),
    /** The units that returned most in the period, with the reasons given and the categories returned. */
    topReturners: [...returners]
      .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([unitId, u]) => ({
        unitId,
        name: unitName.get(unitId) ?? '未注明',
        returns: u.n,
        reasons: ranked(u.reasons).map(([code, count]) => ({
          code,
          label: RETURN_REASON_LABELS[code as keyof typeof RETURN_REASON_LABELS] ?? '未注明',
          count,
        })),
        categories: ranked(u.categories).map(([code, count]) => ({
          code,
          name: categoryName.get(code) ?? code,
          count,
        })),
      })),
  };
}
