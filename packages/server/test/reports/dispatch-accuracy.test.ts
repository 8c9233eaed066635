/**
 * 派单准确率 from the action log: orders concluded in the period whose first dispatch went to the unit
 * that finally handled them, by unit and category, with the units that return most — in the monthly
 * report and in the unit figures supervisors see.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp, type USERS } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Who = keyof typeof USERS;
const act = async (who: Who, id: string, action: string, payload: object = {}) => {
  const r = await t.app.inject({
    method: 'POST',
    url: `/api/work-orders/${id}/${action.replace(/_/g, '-')}`,
    headers: t.as(who),
    payload,
  });
  expect(r.statusCode, `${action}: ${r.body}`).toBe(200);
};
const order = async (categoryCode: string) => {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder({ categoryCode }),
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ id: string }>().id;
};
const handle = async (who: Who, id: string) => {
  await act(who, id, 'sign');
  await act(who, id, 'start');
  await act(who, id, 'reply', { reply: '已处理完毕。', result: 'resolved' });
};
/** This month in Beijing time, as the report names it. */
const month = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

describe('派单准确率', () => {
  it('counts the orders concluded whose first dispatch was the final handler, by unit and category, with the returners', async () => {
    const categories = (
      await t.db.query<{ code: string }>(
        'SELECT code FROM catalogue_categories WHERE parent_code IS NOT NULL ORDER BY code LIMIT 2',
      )
    ).rows.map((r) => r.code);
    const [catA, catB] = categories as [string, string];
    // Right first time: city management handles it.
    const a = await order(catA);
    await act('callTaker', a, 'assign', { leadUnitId: 'd500103.urban-mgmt' });
    await handle('chengguan', a);
    // Sent to housing, returned as not its duty, re-dispatched to city management who handles it.
    const b = await order(catA);
    await act('callTaker', b, 'assign', { leadUnitId: 'd500103.housing' });
    await act('housing', b, 'return', { reasonCode: 'not_our_duty', note: '属城管职责' });
    await act('callTaker', b, 'reassign', { leadUnitId: 'd500103.urban-mgmt', note: '改派城管' });
    await handle('chengguan', b);
    // Right first time: housing handles it.
    const c = await order(catB);
    await act('callTaker', c, 'assign', { leadUnitId: 'd500103.housing' });
    await handle('housing', c);
    // Dispatched, not concluded: not counted yet.
    const d = await order(catB);
    await act('callTaker', d, 'assign', { leadUnitId: 'd500103.housing' });

    const res = await t.app.inject({
      method: 'GET',
      url: `/api/reports/monthly?period=${month()}`,
      headers: t.as('supervisor'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.headline.find((f: { key: string }) => f.key === 'dispatchAccuracy')).toMatchObject({
      value: 0.6667,
      unit: 'rate',
    });
    const acc = report.dispatchAccuracy;
    expect(acc).toMatchObject({ orders: 3, firstRight: 2, rate: 0.6667 });
    expect(acc.byUnit).toEqual([
      { unitId: 'd500103.housing', name: expect.any(String), orders: 2, firstRight: 1, rate: 0.5 },
      { unitId: 'd500103.urban-mgmt', name: expect.any(String), orders: 1, firstRight: 1, rate: 1 },
    ]);
    expect(acc.byCategory).toEqual([
      { code: catA, name: expect.any(String), orders: 2, firstRight: 1, rate: 0.5 },
      { code: catB, name: expect.any(String), orders: 1, firstRight: 1, rate: 1 },
    ]);
    expect(acc.topReturners).toEqual([
      {
        unitId: 'd500103.housing',
        name: expect.any(String),
        returns: 1,
        reasons: [{ code: 'not_our_duty', label: '非本单位职责', count: 1 }],
        categories: [{ code: catA, name: expect.any(String), count: 1 }],
      },
    ]);

    // The unit figures supervisors see carry the same share per unit.
    const units = await t.app.inject({
      method: 'GET',
      url: '/api/analytics/units?limit=200&sort=returns',
      headers: t.as('supervisor'),
    });
    expect(units.statusCode, units.body).toBe(200);
    const byId = new Map(units.json<{ unitId: string }[]>().map((u) => [u.unitId, u]));
    expect(byId.get('d500103.housing')).toMatchObject({ firstDispatched: 2, dispatchAccuracy: 0.5, returns: 1 });
    expect(byId.get('d500103.urban-mgmt')).toMatchObject({ firstDispatched: 1, dispatchAccuracy: 1 });
  });
});
