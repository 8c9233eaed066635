import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepOverdue } from '../../src/workers/deadline.worker.ts';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const create = async (over: Record<string, unknown>) =>
  (
    await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder(over),
    })
  ).json();

describe('deadline sweep', () => {
  it('records 超期 once on each open order past due, and leaves replied and future orders alone', async () => {
    const late = await create({ receivedAt: '2026-01-05T10:00:00+08:00', leadUnitId: 'd500103.urban-mgmt' });
    const lateUrgent = await create({
      receivedAt: new Date(Date.now() - 3 * 3600_000).toISOString(),
      urgentKind: 'emergency_rescue',
      orderType: 'help',
    });
    const fresh = await create({});
    const answered = await create({
      receivedAt: '2026-01-05T10:00:00+08:00',
      orderType: 'consultation',
      categoryCode: 'ZWFW01',
    });
    await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${answered.id}/answer-directly`,
      headers: t.as('callTaker'),
      payload: { reply: '已解答' },
    });

    // two sweepers at once, as two server processes would: SKIP LOCKED keeps them from marking twice
    const [a, b] = await Promise.all([
      sweepOverdue(t.db, t.app.services.workOrders, 1),
      sweepOverdue(t.db, t.app.services.workOrders, 1),
    ]);
    expect(a + b).toBe(2);
    expect(await sweepOverdue(t.db, t.app.services.workOrders)).toBe(0);

    const marks = await t.db.query<{ work_order_id: string; actor_id: string | null; actor_role: string }>(
      "SELECT work_order_id, actor_id, actor_role FROM work_order_actions WHERE action = 'mark_overdue'",
    );
    expect(marks.rows.map((r) => r.work_order_id).sort()).toEqual([late.id, lateUrgent.id].sort());
    expect(marks.rows.every((r) => r.actor_id === null && r.actor_role === 'system')).toBe(true);
    const flags = await t.db.query('SELECT id, overdue FROM work_orders WHERE id = ANY($1)', [
      [late.id, fresh.id, answered.id],
    ]);
    expect(Object.fromEntries(flags.rows.map((r) => [r.id, r.overdue]))).toEqual({
      [late.id]: true,
      [fresh.id]: false,
      [answered.id]: false,
    });
    const list = (await t.app.inject({ url: '/api/work-orders?overdue=true', headers: t.as('supervisor') })).json();
    expect(list.total).toBe(2);
  });
});
