import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const createAt = async (receivedAt: string, over: Record<string, unknown> = {}) =>
  (
    await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ receivedAt, ...over }),
    })
  ).json();

describe('working calendar and time limits are data an administrator edits', () => {
  it('ships 2023–2027 holidays, with the 2026 National Day make-up workday', async () => {
    const res = (await t.app.inject({ url: '/api/admin/calendar?year=2026', headers: t.as('admin') })).json();
    expect(res).toEqual(
      expect.arrayContaining([
        { date: '2026-10-01', kind: 'holiday', name: '国庆节', provisional: false },
        { date: '2026-10-10', kind: 'workday', name: '国庆节调休上班', provisional: false },
      ]),
    );
    for (const year of [2023, 2024, 2025, 2027]) {
      expect(
        (await t.app.inject({ url: `/api/admin/calendar?year=${year}`, headers: t.as('admin') })).json().length,
      ).toBeGreaterThan(5);
    }
  });

  it('a consultation received before National Day is due after it, counting the make-up Saturday', async () => {
    // 2 working days from Wed 2026-09-30 15:00: 10-08 (Thu) and 10-09 (Fri) → 10-09 15:00
    const o = await createAt('2026-09-30T15:00:00+08:00', { orderType: 'consultation', categoryCode: 'ZWFW01' });
    expect(o.dueAt).toBe(new Date('2026-10-09T15:00:00+08:00').toISOString());
  });

  it('declaring a new holiday moves the next due dates', async () => {
    // Thu 2026-10-29 + 2 working days: Fri 10-30, Mon 11-02
    const before = await createAt('2026-10-29T10:00:00+08:00', { orderType: 'consultation', categoryCode: 'ZWFW01' });
    expect(before.dueAt).toBe(new Date('2026-11-02T10:00:00+08:00').toISOString());
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/2026-11-02',
      headers: t.as('admin'),
      payload: { kind: 'holiday', name: '测试假日' },
    });
    expect(put.statusCode, put.body).toBe(200);
    const after = await createAt('2026-10-29T10:00:00+08:00', { orderType: 'consultation', categoryCode: 'ZWFW01' });
    expect(after.dueAt).toBe(new Date('2026-11-03T10:00:00+08:00').toISOString());
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/admin/calendar/2026-11-02', headers: t.as('admin') }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'DELETE', url: '/api/admin/calendar/2026-11-02', headers: t.as('admin') })).json()
        .code,
    ).toBe('CALENDAR_DAY_NOT_FOUND');
  });

  it('changing a time limit applies to new orders', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/time-limits',
      headers: t.as('admin'),
      payload: { orderType: '*', urgent: true, amount: 1, unit: 'hours' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const o = await createAt('2026-11-20T10:00:00+08:00', { urgentKind: 'critical_care', orderType: 'help' });
    expect(o.dueAt).toBe(new Date('2026-11-20T11:00:00+08:00').toISOString());
  });

  it.each([
    ['PUT', '/api/admin/calendar/2026-02-30', { kind: 'holiday', name: 'x' }, 400, 'VALIDATION_FAILED'],
    ['PUT', '/api/admin/calendar/tomorrow', { kind: 'holiday', name: 'x' }, 400, 'VALIDATION_FAILED'],
    ['PUT', '/api/admin/calendar/2026-12-01', { kind: 'party', name: 'x' }, 400, 'VALIDATION_FAILED'],
    [
      'PUT',
      '/api/admin/time-limits',
      { orderType: 'complaint', urgent: false, amount: 0, unit: 'working_days' },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'PUT',
      '/api/admin/time-limits',
      { orderType: 'complaint', urgent: false, amount: 200, unit: 'working_days' },
      422,
      'TIME_LIMIT_INVALID',
    ],
    ['GET', '/api/admin/calendar?year=1999', undefined, 400, 'VALIDATION_FAILED'],
  ] as const)('%s %s refused', async (method, url, payload, status, code) => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({ method, url, headers: t.as('admin'), ...(payload ? { payload } : {}) });
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('every administrative change is audited with who did it, and the audit is append-only', async () => {
    await t.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/2026-12-31',
      headers: t.as('admin'),
      payload: { kind: 'holiday', name: '测试' },
    });
    const audit = (await t.app.inject({ url: '/api/admin/audit?limit=5', headers: t.as('admin') })).json();
    expect(audit[0]).toMatchObject({
      action: 'calendar.set',
      target: '2026-12-31',
      actorName: '测试ad1',
      details: { kind: 'holiday', name: '测试' },
    });
    await expect(t.db.query('DELETE FROM admin_audit')).rejects.toThrow(/append-only/);
    expect((await t.app.inject({ url: '/api/admin/audit', headers: t.as('supervisor') })).json().code).toBe(
      'FORBIDDEN',
    );
  });

  it('only administrators edit the calendar', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar/2026-12-01',
      headers: t.as('supervisor'),
      payload: { kind: 'holiday', name: 'x' },
    });
    expect(res.json().code).toBe('FORBIDDEN');
  });
});
