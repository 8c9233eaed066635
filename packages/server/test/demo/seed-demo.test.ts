import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INCIDENT_STATUSES, WORK_ORDER_STATUSES } from '@liandong/domain';
import { seedDemo } from '../../src/demo/seed-demo.ts';
import { createTestDatabase } from '../helpers.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let result: Awaited<ReturnType<typeof seedDemo>>;
beforeAll(async () => {
  database = await createTestDatabase();
  result = await seedDemo(database.db, { orders: 2000, incidents: 1000, seed: 7 });
});
afterAll(async () => {
  await database?.drop();
});

describe('demo generator', () => {
  it('makes the requested volume over the last 90 days, over many districts and categories', async () => {
    expect(result).toMatchObject({ orders: 2000, incidents: 1000 });
    const r = await database.db
      .query(`SELECT count(DISTINCT district_code)::int AS districts, count(DISTINCT category_code)::int AS categories,
      min(created_at) > now() - interval '91 days' AS recent, max(created_at) <= now() AS past FROM work_orders`);
    expect(r.rows[0]).toMatchObject({ recent: true, past: true });
    expect(r.rows[0].districts).toBeGreaterThanOrEqual(30);
    expect(r.rows[0].categories).toBeGreaterThanOrEqual(40);
  });

  it('has calls marked 无效来电 and 骚扰来电 on 12345, with no record, one number ringing again and again', async () => {
    const r = await database.db.query(
      `SELECT m.kind, count(*)::int AS n, count(DISTINCT q.caller_id)::int AS callers,
         count(*) FILTER (WHERE EXISTS (SELECT 1 FROM work_orders w WHERE w.request_id = q.id)
           OR EXISTS (SELECT 1 FROM incidents i WHERE i.request_id = q.id))::int AS with_record,
         bool_and(q.content LIKE (CASE m.kind WHEN 'harassment' THEN '骚扰来电：' ELSE '无效来电：' END) || '%') AS labelled
       FROM invalid_calls m JOIN requests q ON q.id = m.request_id GROUP BY m.kind ORDER BY m.kind`,
    );
    expect(r.rows).toEqual([
      { kind: 'harassment', n: 9, callers: 1, with_record: 0, labelled: true },
      { kind: 'invalid', n: 16, callers: 0, with_record: 0, labelled: true },
    ]);
  });

  it('has every lifecycle stage of both state machines, urgent orders and overdue ones', async () => {
    const wo = await database.db.query<{ status: string }>('SELECT DISTINCT status FROM work_orders');
    expect(wo.rows.map((r) => r.status).sort()).toEqual([...WORK_ORDER_STATUSES].sort());
    const inc = await database.db.query<{ status: string }>('SELECT DISTINCT status FROM incidents');
    expect(inc.rows.map((r) => r.status).sort()).toEqual([...INCIDENT_STATUSES].sort());
    const flags = await database.db
      .query(`SELECT count(*) FILTER (WHERE urgent)::int AS urgent, count(*) FILTER (WHERE overdue)::int AS overdue,
      count(*) FILTER (WHERE supervised)::int AS supervised, count(*) FILTER (WHERE reopen_count > 0)::int AS reopened FROM work_orders`);
    for (const v of Object.values(flags.rows[0])) expect(v).toBeGreaterThan(0);
    const kinds = await database.db.query<{ close_kind: string }>(
      'SELECT DISTINCT close_kind FROM incidents WHERE close_kind IS NOT NULL',
    );
    expect(kinds.rows.map((r) => r.close_kind).sort()).toEqual(['diverted', 'handled', 'harassment', 'invalid']);
  });

  it('every history is consistent: the last action ends in the row’s status, and actions chain', async () => {
    const bad = await database.db.query(`
      WITH a AS (SELECT work_order_id, to_status, from_status, lag(to_status) OVER w AS prev, row_number() OVER (PARTITION BY work_order_id ORDER BY at DESC, id DESC) AS rn
                 FROM work_order_actions WINDOW w AS (PARTITION BY work_order_id ORDER BY at, id))
      SELECT (SELECT count(*) FROM a JOIN work_orders w ON w.id = a.work_order_id WHERE a.rn = 1 AND a.to_status <> w.status)::int AS wrong_final,
             (SELECT count(*) FROM a WHERE a.prev IS NOT NULL AND a.from_status <> a.prev)::int AS broken_chain`);
    expect(bad.rows[0]).toEqual({ wrong_final: 0, broken_chain: 0 });
  });
});
