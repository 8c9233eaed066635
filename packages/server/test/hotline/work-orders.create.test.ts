import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';
import { open } from '../../src/crypto/pii.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('call-taker creates a work order', () => {
  it('records request, caller apart, order with a working-time due date, and a 受理 action by the call-taker', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ receivedAt: '2026-11-26T10:30:00+08:00' }),
    });
    expect(res.statusCode).toBe(201);
    const order = res.json();
    expect(order).toMatchObject({
      status: 'received',
      statusLabel: '已受理',
      orderType: 'complaint',
      categoryCode: 'CSGL01',
      urgent: false,
      districtCode: '500103',
    });
    expect(order.no).toMatch(/^GD\d{8}\d{6}$/);
    expect(order.requestId).toMatch(/^[0-9a-f-]{36}$/); // the console records the triage decision against it
    // 投诉: 15 working days from Thu 2026-11-26 10:30 → Thu 2026-12-17 10:30 (no holidays in between)
    expect(order.dueAt).toBe(new Date('2026-12-17T10:30:00+08:00').toISOString());
    const detail = (await t.app.inject({ url: `/api/work-orders/${order.id}`, headers: t.as('callTaker') })).json();
    expect(detail.request).toMatchObject({
      channel: 'phone_12345',
      caller: { name: '张三', phone: '13812345678', masked: false },
    });
    expect(detail.request.location).toMatchObject({ districtName: '渝中区', streetName: '解放碑街道' });
    expect(detail.actions).toHaveLength(1);
    expect(detail.actions[0]).toMatchObject({
      action: 'create',
      actionLabel: '受理',
      toStatus: 'received',
      actor: { name: '测试ct1', role: 'call_taker' },
    });
    expect(detail.allowedActions).toEqual(expect.arrayContaining(['assign', 'merge', 'answer_directly']));
    const callerRow = await t.db.query(
      'SELECT c.phone_sealed AS phone FROM requests r JOIN callers c ON c.id = r.caller_id JOIN work_orders w ON w.request_id = r.id WHERE w.id = $1',
      [order.id],
    );
    // stored sealed (docs/security.md, "Personal data at rest")
    expect(callerRow.rows[0].phone).toMatch(/^v1:/);
    expect(open(callerRow.rows[0].phone, 'caller.phone')).toBe('13812345678');
  });

  it('an urgent order (紧急工单) is due in 2 hours, even on a holiday', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({
        urgentKind: 'pregnancy_childbirth',
        orderType: 'help',
        categoryCode: 'YLWS01',
        receivedAt: '2026-10-02T23:00:00+08:00',
        content: '孕妇临产，道路封闭，请求协调通行',
      }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      urgent: true,
      urgentKindLabel: '孕检生产',
      dueAt: new Date('2026-10-03T01:00:00+08:00').toISOString(),
    });
  });

  it('an urgent order goes straight to the district hotline agency (fast channel), in the same transaction', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('seat'),
      payload: sampleOrder({
        urgentKind: 'critical_care',
        orderType: 'help',
        categoryCode: 'YLWS01',
        content: '家属病危需协调ICU床位',
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ status: 'assigned', leadUnitId: 'd500103.agency' });
    const actions = await t.db.query(
      'SELECT action, details FROM work_order_actions WHERE work_order_id = $1 ORDER BY id',
      [res.json().id],
    );
    expect(actions.rows.map((r) => r.action)).toEqual(['create', 'assign']);
    expect(actions.rows[1].details.note).toBe('紧急工单，直派区县热线机构');
    const queue = (
      await t.app.inject({ url: '/api/work-orders?urgent=true&sort=dueAt&order=asc', headers: t.as('yuzhong') })
    ).json();
    expect(queue.items.map((o: { id: string }) => o.id)).toContain(res.json().id);
  });

  it('creates and assigns in one step, logging both actions', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ leadUnitId: 'd500103.urban-mgmt', assistUnitIds: ['s500103003'] }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      status: 'assigned',
      leadUnitId: 'd500103.urban-mgmt',
      assistUnitIds: ['s500103003'],
    });
    const actions = await t.db.query('SELECT action FROM work_order_actions WHERE work_order_id = $1 ORDER BY id', [
      res.json().id,
    ]);
    expect(actions.rows.map((r) => r.action)).toEqual(['create', 'assign']);
  });

  it('a retry with the same clientRef returns the same order and writes nothing new', async () => {
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ clientRef: 'console-7f3a-001' }),
    });
    expect(first.statusCode).toBe(201);
    const before = await rowCounts(t.db);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ clientRef: 'console-7f3a-001' }),
    });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(first.json().id);
    const after = await rowCounts(t.db);
    expect(after).toMatchObject({
      work_orders: before.work_orders,
      requests: before.requests,
      work_order_actions: before.work_order_actions,
    });
  });
});

describe('bad input gets a 4xx with a code and changes nothing', () => {
  const cases: [string, Record<string, unknown> | string, number, string, Record<string, string>?][] = [
    ['malformed JSON', '{"channel": "phone_12345", ', 400, 'INVALID_JSON'],
    ['missing content', { ...sampleOrder(), content: undefined }, 400, 'VALIDATION_FAILED'],
    ['empty content', sampleOrder({ content: '' }), 400, 'VALIDATION_FAILED'],
    ['whitespace-only content', sampleOrder({ content: '   ' }), 400, 'VALIDATION_FAILED'],
    ['content over 5000 characters', sampleOrder({ content: '很'.repeat(5001) }), 400, 'VALIDATION_FAILED'],
    ['unknown order type', sampleOrder({ orderType: 'gossip' }), 400, 'VALIDATION_FAILED'],
    ['unknown channel', sampleOrder({ channel: 'pigeon' }), 400, 'VALIDATION_FAILED'],
    ['an unexpected field', sampleOrder({ priority: 'high' }), 400, 'VALIDATION_FAILED'],
    ['malformed district code', sampleOrder({ districtCode: '110101' }), 400, 'VALIDATION_FAILED'],
    ['unknown district', sampleOrder({ districtCode: '500199', streetCode: undefined }), 422, 'REFERENCE_NOT_FOUND'],
    ['street of another district', sampleOrder({ streetCode: '500105001' }), 422, 'STREET_NOT_IN_DISTRICT'],
    ['street without district', sampleOrder({ districtCode: undefined }), 400, 'VALIDATION_FAILED'],
    ['unknown category', sampleOrder({ categoryCode: 'ZZZZ99' }), 422, 'REFERENCE_NOT_FOUND'],
    ['latitude without longitude', sampleOrder({ lat: 29.56 }), 400, 'VALIDATION_FAILED'],
    ['latitude out of range', sampleOrder({ lat: 129.56, lng: 106.5 }), 400, 'VALIDATION_FAILED'],
    ['malformed phone', sampleOrder({ caller: { phone: 'call me maybe' } }), 400, 'VALIDATION_FAILED'],
    ['received in the future', sampleOrder({ receivedAt: '2099-01-01T00:00:00Z' }), 400, 'VALIDATION_FAILED'],
    ['received at a non-date', sampleOrder({ receivedAt: 'yesterday' }), 400, 'VALIDATION_FAILED'],
    ['lead unit that does not exist', sampleOrder({ leadUnitId: 'd500103.nothing' }), 422, 'REFERENCE_NOT_FOUND'],
    [
      'lead unit that cannot take orders (a police station)',
      sampleOrder({ leadUnitId: 'p500103003.station' }),
      422,
      'UNIT_NOT_ASSIGNABLE',
    ],
    [
      'lead unit also assisting',
      sampleOrder({ leadUnitId: 'd500103.urban-mgmt', assistUnitIds: ['d500103.urban-mgmt'] }),
      422,
      'WORK_ORDER_UNITS_INVALID',
    ],
    [
      'emoji-only title is fine but a 101-character title is not',
      sampleOrder({ title: 'x'.repeat(101) }),
      400,
      'VALIDATION_FAILED',
    ],
  ];
  it.each(cases)('%s → %i %s', async (_label, payload, status, code) => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: { ...t.as('callTaker'), 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code });
    expect(typeof res.json().message).toBe('string');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('a role that may not take requests is refused with FORBIDDEN', async () => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('analyst'),
      payload: sampleOrder(),
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('emoji in the content is stored as written', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ content: '楼下烧烤店油烟太大了😡😡 请处理' }),
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().title).toBe('楼下烧烤店油烟太大了😡😡 请处理');
  });

  it('unknown ids and malformed ids', async () => {
    const unknown = await t.app.inject({
      url: '/api/work-orders/00000000-0000-4000-8000-000000000000',
      headers: t.as('callTaker'),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('WORK_ORDER_NOT_FOUND');
    const malformed = await t.app.inject({ url: '/api/work-orders/not-a-uuid', headers: t.as('callTaker') });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('VALIDATION_FAILED');
  });
});
