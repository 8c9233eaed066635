import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const create = async (over: Record<string, unknown> = {}) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; no: string };
};
const merge = (id: string, payload: object) =>
  t.app.inject({ method: 'POST', url: `/api/work-orders/${id}/merge`, headers: t.as('callTaker'), payload });

describe('并单 takes an order number', () => {
  it('merges into the order named by its number; exactly one of number or id; bad input changes nothing', async () => {
    const a = await create();
    const b = await create({ channel: 'web' });
    const before = await rowCounts(t.db);
    const cases: [object, string][] = [
      [{ intoWorkOrderNo: b.no, intoWorkOrderId: b.id }, 'VALIDATION_FAILED'],
      [{}, 'VALIDATION_FAILED'],
      [{ intoWorkOrderNo: 'not-a-number' }, 'VALIDATION_FAILED'],
      [{ intoWorkOrderNo: 'GD20990101000001' }, 'WORK_ORDER_NOT_FOUND'],
      [{ intoWorkOrderNo: a.no }, 'WORK_ORDER_MERGE_INVALID'],
    ];
    for (const [payload, code] of cases) {
      const r = await merge(a.id, payload);
      expect(r.json().code, JSON.stringify(payload)).toBe(code);
    }
    expect(await rowCounts(t.db)).toEqual(before);
    const m = await merge(a.id, { intoWorkOrderNo: b.no, note: '重复诉求' });
    expect(m.statusCode, m.body).toBe(200);
    expect(m.json()).toMatchObject({ status: 'merged', mergedIntoId: b.id });
    // The internal id still works.
    const c = await create();
    const byId = await merge(c.id, { intoWorkOrderId: b.id });
    expect(byId.statusCode, byId.body).toBe(200);
  });
});
