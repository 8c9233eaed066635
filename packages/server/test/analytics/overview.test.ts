import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  const mk = (over: Record<string, unknown>) =>
    t.app
      .inject({ method: 'POST', url: '/api/work-orders', headers: t.as('callTaker'), payload: sampleOrder(over) })
      .then((r) => r.json());
  await mk({ leadUnitId: 'd500103.urban-mgmt' });
  await mk({ leadUnitId: 'd500103.urban-mgmt' });
  const returned = await mk({ leadUnitId: 'd500103.housing' });
  await t.app.inject({
    method: 'POST',
    url: `/api/work-orders/${returned.id}/return`,
    headers: t.as('housing'),
    payload: { reasonCode: 'not_our_duty', note: '属城管职责' },
  });
  await mk({ districtCode: '500105', streetCode: undefined, address: '江北区观音桥' });
});
afterAll(async () => {
  await t?.close();
});

describe('analyst reads the overview', () => {
  it("counts this month's orders by district and the return reasons", async () => {
    const res = await t.app.inject({ url: '/api/analytics/overview', headers: t.as('analyst') });
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json();
    expect(o.volumes.today.workOrders).toBe(4);
    expect(o.volumes.month.workOrders).toBe(4);
    expect(o.districts).toHaveLength(38);
    expect(o.districts.find((d: { code: string }) => d.code === '500103')).toMatchObject({
      name: '渝中区',
      workOrders: 3,
    });
    expect(o.districts.find((d: { code: string }) => d.code === '500105')).toMatchObject({ workOrders: 1 });
    expect(o.returnReasons).toEqual([{ code: 'not_our_duty', label: '非本单位职责', count: 1 }]);
    expect(o.trends.workOrders.reduce((s: number, r: { count: number }) => s + r.count, 0)).toBe(4);
  });

  it('per-unit figures show who returned and what each unit holds', async () => {
    const res = await t.app.inject({ url: '/api/analytics/units?sort=returns', headers: t.as('supervisor') });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json() as { unitId: string; returns: number; assigned: number; open: number }[];
    expect(rows[0]).toMatchObject({ unitId: 'd500103.housing', returns: 1, assigned: 1 });
    expect(rows.find((r) => r.unitId === 'd500103.urban-mgmt')).toMatchObject({
      assigned: 2,
      open: 2,
      returns: 0,
      lateRate: 0,
    });
  });

  it('the supervisor’s overdue list holds every overdue order the overview counts, 已退单 ones too', async () => {
    await t.db.query(`UPDATE work_orders SET overdue = true`);
    const o = (await t.app.inject({ url: '/api/analytics/overview', headers: t.as('supervisor') })).json();
    const list = await t.app.inject({
      url: '/api/work-orders?overdue=true&open=true&pageSize=100',
      headers: t.as('supervisor'),
    });
    expect(list.statusCode, list.body).toBe(200);
    const { items, total } = list.json() as { items: { status: string }[]; total: number };
    expect(o.volumes.overdueOpen).toBe(4);
    expect(total).toBe(o.volumes.overdueOpen);
    expect(items.map((i) => i.status).sort()).toEqual(['assigned', 'assigned', 'received', 'returned']);
    const closed = await t.app.inject({ url: '/api/work-orders?open=false', headers: t.as('supervisor') });
    expect(closed.json().total).toBe(0);
    await t.db.query(`UPDATE work_orders SET overdue = false`);
  });

  it('is for supervisors, analysts and administrators, and checks its query', async () => {
    expect((await t.app.inject({ url: '/api/analytics/overview', headers: t.as('chengguan') })).json().code).toBe(
      'FORBIDDEN',
    );
    expect((await t.app.inject({ url: '/api/analytics/units?sort=bogus', headers: t.as('analyst') })).json().code).toBe(
      'VALIDATION_FAILED',
    );
    const inverted = await t.app.inject({
      url: '/api/analytics/units?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z',
      headers: t.as('analyst'),
    });
    expect(inverted.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('call-taker sees possible duplicates before making an order', () => {
  it('finds the recent order at the same address, or the same street and topic', async () => {
    const res = await t.app.inject({
      url: `/api/work-orders/similar?address=${encodeURIComponent('渝中区 八一路')}&districtCode=500103&streetCode=500103003&categoryCode=CSGL01`,
      headers: t.as('callTaker'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const rows = res.json();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rows[0]).toMatchObject({ sameAddress: true, districtCode: '500103' });
    const elsewhere = await t.app.inject({
      url: `/api/work-orders/similar?address=${encodeURIComponent('北碚区天生路')}&districtCode=500109&categoryCode=CSGL01`,
      headers: t.as('callTaker'),
    });
    expect(elsewhere.json()).toEqual([]);
    expect(
      (await t.app.inject({ url: '/api/work-orders/similar?districtCode=5001', headers: t.as('callTaker') })).json()
        .code,
    ).toBe('VALIDATION_FAILED');
  });
});

describe('lateness per unit', () => {
  it('counts an order replied after its due time, and one still open past it, once each', async () => {
    const mk = () =>
      t.app
        .inject({
          method: 'POST',
          url: '/api/work-orders',
          headers: t.as('callTaker'),
          payload: sampleOrder({ leadUnitId: 'd500103.housing', receivedAt: '2026-10-01T09:00:00+08:00' }),
        })
        .then((r) => r.json());
    const [late, open, onTime] = [await mk(), await mk(), await mk()];
    for (const o of [late, onTime]) {
      await t.app.inject({
        method: 'POST',
        url: `/api/work-orders/${o.id}/sign`,
        headers: t.as('housing'),
        payload: {},
      });
      await t.app.inject({
        method: 'POST',
        url: `/api/work-orders/${o.id}/reply`,
        headers: t.as('housing'),
        payload: { reply: '已处理', result: 'resolved' },
      });
    }
    // Backdate: `late` was due before its reply, `open` is past due and unanswered, `onTime` was answered in time.
    await t.db.query("UPDATE work_orders SET due_at = replied_at - interval '1 hour', overdue = true WHERE id = $1", [
      late.id,
    ]);
    await t.db.query("UPDATE work_orders SET due_at = now() - interval '1 hour', overdue = true WHERE id = $1", [
      open.id,
    ]);
    await t.db.query("UPDATE work_orders SET due_at = now() + interval '1 day', overdue = false WHERE id = $1", [
      onTime.id,
    ]);
    const rows = (
      await t.app.inject({ url: '/api/analytics/units?from=2026-09-01T00:00:00Z', headers: t.as('analyst') })
    ).json() as { unitId: string; lateRate: number; repliedLate: number; overdue: number }[];
    const housing = rows.find((r) => r.unitId === 'd500103.housing')!;
    expect(housing).toMatchObject({ repliedLate: 1, overdue: 2 });
    // 2 late (one replied late, one unanswered past due) of 3 judged (the returned order of the first test is not judged).
    expect(housing.lateRate).toBeCloseTo(2 / 3, 3);
  });
});
