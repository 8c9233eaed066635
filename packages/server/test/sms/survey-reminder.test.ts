/**
 * One reminder of a 回访 survey nobody answered (issue 16; docs/sms.md): after SURVEY_REMINDER_HOURS, while
 * the order still waits for its 回访 and has no newer survey; never twice, never for a young survey or an
 * order already followed up; answering the first survey or the reminder both count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
const INBOUND = ['gw-in-1', 'sms-gateway-to-desk-secret-0001'] as const;

beforeAll(async () => {
  t = await createTestApp();
  await t.db.query(
    `INSERT INTO connectors (id, name, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret)
     VALUES ('cq-sms', '测试短信网关', 'sms_gateway', 'http://127.0.0.1:9', 'desk-sms', 'desk-to-gateway-secret-0001', $1, $2)`,
    [INBOUND[0], INBOUND[1]],
  );
  await t.app.services.peers.reload();
});
afterAll(async () => {
  await t?.close();
});

/** An order answered on the spot at the intake: the reply and the survey are queued at once. */
async function answered(phone: string) {
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/intake',
    headers: t.as('callTaker'),
    payload: {
      ...sampleOrder({ caller: { phone }, orderType: 'consultation' }),
      handling: { kind: 'answer', reply: '居住证办理请携带身份证和租房合同到所在街道便民服务中心。' },
    },
  });
  expect(r.statusCode, r.body).toBe(201);
  return r.json<{ workOrder: { id: string } }>().workOrder.id;
}
const surveys = async (orderId: string) =>
  (
    await t.db.query<{ id: string; reminder_of: string | null; created_at: Date }>(
      `SELECT id, reminder_of, created_at FROM sms_messages WHERE work_order_id = $1 AND purpose = 'survey'
        ORDER BY created_at, id`,
      [orderId],
    )
  ).rows;
const age = (orderId: string, hours: number) =>
  t.db.query(`UPDATE sms_messages SET created_at = now() - make_interval(hours => $2) WHERE work_order_id = $1`, [
    orderId,
    hours,
  ]);
async function answer(replyTo: string, from: string, text: string) {
  const raw = JSON.stringify({ id: `MO-${replyTo}-${text}`, replyTo, from, text });
  const r = await t.app.inject({
    method: 'POST',
    url: '/api/sms/inbound',
    payload: raw,
    headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', INBOUND[0], INBOUND[1], raw) },
  });
  return { status: r.statusCode, body: r.json<{ status?: string; code?: string }>() };
}

describe('the 回访 survey reminder', () => {
  it('reminds once of a survey unanswered for 48 hours; not a young one, not twice', async () => {
    const old = await answered('13900006601');
    const young = await answered('13900006602');
    await age(old, 49);
    await age(young, 10);
    const sms = t.app.services.sms;
    expect(await sms.remindUnanswered(48)).toBe(1);
    const s = await surveys(old);
    expect(s).toHaveLength(2);
    expect(s[1]!.reminder_of).toBe(s[0]!.id);
    expect(await surveys(young)).toHaveLength(1);
    // the reminder is queued for the gateway like every text, and its words say what it is
    const out = await t.db.query('SELECT type FROM bridge_outbox WHERE id = $1', [s[1]!.id]);
    expect(out.rows).toEqual([{ type: 'sms.survey' }]);
    expect(await sms.remindUnanswered(48)).toBe(0);
    // even when the reminder itself is old: one reminder only
    await age(old, 100);
    expect(await sms.remindUnanswered(48)).toBe(0);
    expect(await sms.remindUnanswered(0)).toBe(0);
    const texts = await t.app.inject({ url: `/api/work-orders/${old}/texts`, headers: t.as('callTaker') });
    expect(texts.json().items.map((x: { purpose: string }) => x.purpose)).toEqual(['reply', 'survey', 'survey']);
  });

  it('an answer to the first survey after the reminder is the order’s 回访; the reminder then comes too late', async () => {
    const phone = '13900006603';
    const id = await answered(phone);
    await age(id, 60);
    await t.app.services.sms.remindUnanswered(48);
    const [first, reminder] = await surveys(id);
    expect(reminder!.reminder_of).toBe(first!.id);
    expect(await answer(first!.id, phone, '5')).toMatchObject({ status: 200, body: { status: 'recorded' } });
    const order = await t.app.inject({ url: `/api/work-orders/${id}`, headers: t.as('callTaker') });
    expect(order.json().status).toBe('followed_up');
    expect(await answer(reminder!.id, phone, '3')).toMatchObject({ status: 409, body: { code: 'SMS_SURVEY_CLOSED' } });
  });

  it('the reminder can be answered, and an order already followed up by phone is not reminded', async () => {
    const phone = '13900006604';
    const id = await answered(phone);
    await age(id, 60);
    await t.app.services.sms.remindUnanswered(48);
    const [, reminder] = await surveys(id);
    expect(await answer(reminder!.id, phone, '4')).toMatchObject({ status: 200, body: { status: 'recorded' } });

    const called = await answered('13900006605');
    const f = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${called}/follow-up`,
      headers: t.as('callTaker'),
      payload: { satisfaction: 'satisfied' },
    });
    expect(f.statusCode, f.body).toBe(200);
    await age(called, 60);
    expect(await t.app.services.sms.remindUnanswered(48)).toBe(0);
    expect(await surveys(called)).toHaveLength(1);
  });
});
