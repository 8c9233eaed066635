import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
let orderId: string;
beforeAll(async () => {
  t = await createTestApp();
  orderId = (
    await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ leadUnitId: 'd500103.urban-mgmt' }),
    })
  ).json().id;
});
afterAll(async () => {
  await t?.close();
});

/** Opens the reminder stream as the console does (token in the query) and collects `reminder` events. */
async function openStream(base: string, token: string) {
  const events: { subject: string; message: string }[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => {
    ready = r;
  });
  const req = http.get(`${base}/api/reminders/stream?access_token=${token}`, (res) => {
    let buf = '';
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buf += chunk;
      let i;
      while ((i = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        if (block.startsWith('event: ready')) ready();
        const m = /^event: reminder\n(?:id: .*\n)?data: (.*)$/m.exec(block);
        if (m) events.push(JSON.parse(m[1]!));
      }
    });
  });
  await isReady;
  return { events, close: () => req.destroy() };
}

describe('supervisor sends a reminder (催办)', () => {
  it("reaches the lead unit's console live, not another unit's, and the sender sees when it was read", async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const handler = await openStream(base, t.tokens.chengguan);
    const other = await openStream(base, t.tokens.housing);
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${orderId}/remind`,
      headers: t.as('supervisor'),
      payload: { message: '请今日内办结' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const r = res.json();
    expect(r).toMatchObject({
      target: { unitId: 'd500103.urban-mgmt' },
      message: '请今日内办结',
      readAt: null,
      sentBy: { name: '测试sv1' },
    });
    await expect.poll(() => handler.events.length, { timeout: 10_000 }).toBe(1);
    expect(handler.events[0]).toMatchObject({ message: '请今日内办结' });
    expect(handler.events[0]!.subject).toMatch(/^工单 GD/);
    await new Promise((ok) => setTimeout(ok, 300));
    expect(other.events).toHaveLength(0);
    handler.close();
    other.close();

    const mine = (await t.app.inject({ url: '/api/reminders', headers: t.as('chengguan') })).json();
    expect(mine.unread).toBe(1);
    expect((await t.app.inject({ url: '/api/reminders', headers: t.as('housing') })).json()).toEqual({
      items: [],
      unread: 0,
    });
    // Only the addressee can mark it read.
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/reminders/${r.id}/read`, headers: t.as('housing') })).json()
        .code,
    ).toBe('REMINDER_NOT_FOUND');
    expect(
      (await t.app.inject({ method: 'POST', url: `/api/reminders/${r.id}/read`, headers: t.as('chengguan') }))
        .statusCode,
    ).toBe(204);
    const sent = (await t.app.inject({ url: '/api/reminders/sent', headers: t.as('supervisor') })).json();
    expect(sent[0]).toMatchObject({ id: r.id, readBy: '测试cg1' });
    expect(sent[0].readAt).not.toBeNull();
    const onOrder = (
      await t.app.inject({ url: `/api/work-orders/${orderId}/reminders`, headers: t.as('callTaker') })
    ).json();
    expect(onOrder.map((x: { id: string }) => x.id)).toEqual([r.id]);
  });

  it('refuses what cannot be reminded, with a code, and stores nothing', async () => {
    const unassigned = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder(),
      })
    ).json().id;
    const before = await rowCounts(t.db);
    const cases: [Parameters<TestApp['as']>[0], string, Record<string, unknown>, string][] = [
      ['chengguan', `/api/work-orders/${orderId}/remind`, { message: '快' }, 'FORBIDDEN'],
      ['supervisor', `/api/work-orders/${unassigned}/remind`, { message: '请办理' }, 'REMINDER_NO_TARGET'],
      ['supervisor', `/api/work-orders/${orderId}/remind`, { message: '' }, 'VALIDATION_FAILED'],
      ['supervisor', `/api/work-orders/${orderId}/remind`, { message: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      [
        'supervisor',
        '/api/work-orders/00000000-0000-4000-8000-000000000000/remind',
        { message: '请办理' },
        'WORK_ORDER_NOT_FOUND',
      ],
      ['supervisor', '/api/linkage/items/none-such/remind', { message: '请签收' }, 'LINKAGE_ITEM_NOT_FOUND'],
    ];
    for (const [who, url, payload, code] of cases) {
      const res = await t.app.inject({ method: 'POST', url, headers: t.as(who), payload });
      expect(res.json().code, url).toBe(code);
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
