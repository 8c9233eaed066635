/**
 * Issue 17: an analyst reads linkage items, work orders and incidents with the caller masked (the
 * callback, and the caller's name and numbers inside the texts); one caller is shown on a stated
 * reason, written to the audit log; a caller who asked for confidentiality is never shown.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREACHED_PEER_BRIDGE, createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  // A peer desk that is never reached: what a transfer sends stays in the outbox.
  t = await createTestApp({ desk: 'hotline', bridge: UNREACHED_PEER_BRIDGE });
});
afterAll(async () => {
  await t?.close();
});

const PHONE = '13812345678';
const { channel: _channel, ...request } = sampleOrder({
  caller: { name: '王小明', phone: PHONE },
  categoryCode: undefined,
  content:
    '王小明说隔壁男子拿着刀在楼道里砍门，已经有人受伤，现在还在砍，他的电话13812345678，身份证500101199001011234',
});

type Who = Parameters<TestApp['as']>[0];
const get = (url: string, who: Who) => t.app.inject({ method: 'GET', url, headers: t.as(who) });
const post = (url: string, who: Who, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: t.as(who), payload: payload as object });
const audits = async () =>
  (
    await t.db.query<{ action: string; target: string; details: Record<string, unknown> }>(
      "SELECT action, target, details FROM admin_audit WHERE action = 'caller.reveal' ORDER BY id",
    )
  ).rows;

let itemId = '';
let orderId = '';
describe('an analyst reads callers masked, and reveals one on a reason', () => {
  it('the seat sees the callback; the analyst sees it masked in the list and the detail, numbers out of the text', async () => {
    const made = await post('/api/intake', 'callTaker', {
      ...request,
      handling: { kind: 'transfer', callbackConsent: true },
    });
    expect(made.statusCode, made.body).toBe(201);
    itemId = made.json().linkage.itemId;
    orderId = made.json().workOrder.id;

    const seat = (await get('/api/linkage/items', 'seat'))
      .json()
      .items.find((i: { itemId: string }) => i.itemId === itemId);
    expect(seat.callerMasked).toBe(false);
    expect(seat.opening.callback).toEqual({ name: '王小明', phone: PHONE });

    const list = await get('/api/linkage/items', 'analyst');
    expect(list.statusCode).toBe(200);
    const mine = list.json().items.find((i: { itemId: string }) => i.itemId === itemId);
    expect(mine.callerMasked).toBe(true);
    expect(mine.opening.callback).toEqual({ name: '王**', phone: '138****5678' });
    expect(mine.opening.request.content).toContain('王某说');
    expect(mine.opening.request.content).toContain('[手机号已隐去]');
    expect(mine.opening.request.content).toContain('[身份证号已隐去]');

    const detail = await get(`/api/linkage/items/${encodeURIComponent(itemId)}`, 'analyst');
    expect(detail.statusCode).toBe(200);
    // Nowhere in the item, its opening or its timeline: not the phone, not the ID number, not the name.
    expect(detail.body).not.toContain(PHONE);
    expect(detail.body).not.toContain('500101199001011234');
    expect(detail.body).not.toContain('王小明');
    expect(detail.json().timeline.length).toBeGreaterThan(0);
    expect((await get(`/api/linkage/items/${encodeURIComponent(itemId)}`, 'seat')).body).toContain(PHONE);
  });

  it('reveals the callback on a reason, audited without the caller in the log', async () => {
    const res = await post(`/api/linkage/items/${encodeURIComponent(itemId)}/reveal-caller`, 'analyst', {
      reason: '核查同一号码的重复来电',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: '王小明', phone: PHONE });
    const log = await audits();
    expect(log).toEqual([
      { action: 'caller.reveal', target: `linkage_item:${itemId}`, details: { reason: '核查同一号码的重复来电' } },
    ]);
  });

  it('bad reasons and other roles are refused and write nothing', async () => {
    const before = (await audits()).length;
    const url = `/api/linkage/items/${encodeURIComponent(itemId)}/reveal-caller`;
    for (const body of [
      {},
      { reason: '' },
      { reason: '   ' },
      { reason: '看' },
      { reason: 'x'.repeat(201) },
      { reason: 1 },
    ]) {
      const res = await post(url, 'analyst', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    // The seat sees the caller already; a handler has no business with the item.
    expect((await post(url, 'seat', { reason: '核查同一号码的重复来电' })).json().code).toBe('FORBIDDEN');
    expect((await post(url, 'chengguan', { reason: '核查同一号码的重复来电' })).json().code).toBe('FORBIDDEN');
    expect(
      (
        await post('/api/linkage/items/cq-12345:LK-1999-000001/reveal-caller', 'analyst', {
          reason: '核查同一号码的重复来电',
        })
      ).json().code,
    ).toBe('LINKAGE_ITEM_NOT_FOUND');
    expect((await audits()).length).toBe(before);
  });

  it('a work order: masked for the analyst, revealed on a reason; a confidential caller never', async () => {
    const masked = await get(`/api/work-orders/${orderId}`, 'analyst');
    expect(masked.statusCode).toBe(200);
    expect(masked.body).not.toContain(PHONE);
    const res = await post(`/api/work-orders/${orderId}/reveal-caller`, 'analyst', {
      reason: '核查同一号码的重复来电',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ name: '王小明', phone: PHONE });
    expect((await audits()).at(-1)).toMatchObject({ target: `work_order:${orderId}` });

    const secret = await post('/api/work-orders', 'callTaker', sampleOrder({ confidential: true }));
    expect(secret.statusCode, secret.body).toBe(201);
    const before = (await audits()).length;
    const refused = await post(`/api/work-orders/${secret.json().id}/reveal-caller`, 'analyst', {
      reason: '核查同一号码的重复来电',
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('CALLER_CONFIDENTIAL');
    expect((await audits()).length).toBe(before);
  });
});
