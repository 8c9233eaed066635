import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const requestOf = async (table: 'work_orders' | 'incidents', id: string) =>
  (await t.db.query<{ request_id: string }>(`SELECT request_id FROM ${table} WHERE id = $1`, [id])).rows[0]!.request_id;

describe('GET /api/requests/:id/triage is read under the scope of the record the request became', () => {
  it('a work order’s triage: its district and the centre read it; another district, a department not on it and 110 do not', async () => {
    const wo = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder(),
      })
    ).json();
    const rid = await requestOf('work_orders', wo.id);
    const get = (who: Parameters<TestApp['as']>[0]) =>
      t.app.inject({ url: `/api/requests/${rid}/triage`, headers: t.as(who) });
    for (const who of ['callTaker', 'yuzhong', 'supervisor', 'analyst', 'admin'] as const) {
      const res = await get(who);
      expect(res.statusCode, who).toBe(200);
      expect(res.json().route, who).toBe('12345');
    }
    for (const [who, code] of [
      ['jiangbei', 'OUT_OF_SCOPE'],
      ['chengguan', 'OUT_OF_SCOPE'],
      ['dispatcher', 'FORBIDDEN'],
    ] as const) {
      const res = await get(who);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().code, who).toBe(code);
    }
  });

  it('an incident’s triage: the roles that read incidents, never a 12345 handler or call-taker', async () => {
    const inc = (
      await t.app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: t.as('dispatcher'),
        payload: { content: '有辆车挡住了我的车，车上没有留电话', category: 'non_police' },
      })
    ).json();
    const rid = await requestOf('incidents', inc.id);
    const get = (who: Parameters<TestApp['as']>[0]) =>
      t.app.inject({ url: `/api/requests/${rid}/triage`, headers: t.as(who) });
    for (const who of ['dispatcher', 'seat', 'analyst'] as const) expect((await get(who)).statusCode, who).toBe(200);
    for (const who of ['yuzhong', 'chengguan', 'callTaker'] as const) {
      const res = await get(who);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().code, who).toBe('FORBIDDEN');
    }
  });
});
