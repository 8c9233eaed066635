/** POST /api/intake: the call-taker's whole intake in one transaction, checked before anything is written. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNREACHED_PEER_BRIDGE, createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  // A peer desk that is never reached: what a transfer sends stays in the outbox.
  t = await createTestApp({ desk: 'hotline', bridge: UNREACHED_PEER_BRIDGE });
});
afterAll(async () => {
  await t?.close();
});

const DANGER = '来电人反映楼下有人持刀打架，已经有人受伤流血了，现在还在打';
const { channel: _channel, ...request } = sampleOrder();

const intake = (payload: Record<string, unknown>, who: Parameters<TestApp['as']>[0] = 'callTaker') =>
  t.app.inject({ method: 'POST', url: '/api/intake', headers: t.as(who), payload });

/** Everything an intake writes, to prove a refused one wrote nothing. */
async function counts() {
  const n = async (table: string) =>
    (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;
  return {
    ...(await rowCounts(t.db)),
    linkage_items: await n('linkage_items'),
    bridge_outbox: await n('bridge_outbox'),
    triage_decisions: await n('triage_decisions'),
  };
}

const decisions = async (requestId: string) =>
  (
    await t.db.query(
      'SELECT decision, route, emergency, urgent, reason FROM triage_decisions WHERE request_id = $1 ORDER BY decided_at',
      [requestId],
    )
  ).rows;

describe('POST /api/intake', () => {
  it('files an ordinary order and records that the call-taker followed the suggestion', async () => {
    const res = await intake({ ...request, handling: { kind: 'order' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.workOrder).toMatchObject({ status: 'received', categoryCode: 'CSGL01' });
    expect(body.linkage).toBeNull();
    expect(body.triageDecision).toBe('accepted');
    expect(await decisions(body.workOrder.requestId)).toEqual([
      { decision: 'accepted', route: '12345', emergency: false, urgent: false, reason: null },
    ]);
  });

  it('answers on the spot: the order is made and concluded (直接答复) in the same step', async () => {
    const res = await intake({
      ...request,
      handling: { kind: 'answer', reply: '已告知来电人向街道城管中队反映的渠道。' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { workOrder, triageDecision } = res.json();
    expect(workOrder.status).toBe('replied');
    expect(triageDecision).toBe('overridden');
    expect(await decisions(workOrder.requestId)).toEqual([
      { decision: 'overridden', route: 'guidance', emergency: false, urgent: false, reason: '话务员当场解答' },
    ]);
    const detail = (await t.app.inject({ url: `/api/work-orders/${workOrder.id}`, headers: t.as('callTaker') })).json();
    expect(detail.actions.map((a: { action: string }) => a.action)).toEqual(['create', 'answer_directly']);
  });

  it('an empty answer is refused before anything is written (no order is left behind)', async () => {
    const before = await counts();
    const res = await intake({ ...request, handling: { kind: 'answer', reply: '   ' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'handling.reply' } });
    expect(await counts()).toEqual(before);
  });

  it('names a live call on a desk without telephony: refused (TELEPHONY_OFF) before anything is written', async () => {
    const before = await counts();
    const res = await intake({
      ...request,
      content: DANGER,
      callId: '0193f1c2-0000-7000-8000-000000000001',
      handling: { kind: 'transfer' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('TELEPHONY_OFF');
    expect(await counts()).toEqual(before);
  });

  it('a step refused inside the transaction rolls the whole intake back', async () => {
    // An urgent order goes straight to the district's agency (派单), and an assigned order cannot be answered directly.
    const before = await counts();
    const res = await intake({
      ...request,
      urgentKind: 'emergency_rescue',
      handling: { kind: 'answer', reply: '当场解答' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('WORK_ORDER_TRANSITION_NOT_ALLOWED');
    expect(await counts()).toEqual(before);
  });

  it('filing a danger as an ordinary order needs a reason; with one, the override is recorded', async () => {
    const before = await counts();
    const refused = await intake({ ...request, content: DANGER, handling: { kind: 'order' } });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'INTAKE_EMERGENCY_NEEDS_REASON', details: { route: '110' } });
    expect(await counts()).toEqual(before);

    const res = await intake({
      ...request,
      content: DANGER,
      handling: { kind: 'order', reason: '来电人称事情已经结束，只要求事后调查' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(await decisions(res.json().workOrder.requestId)).toEqual([
      {
        decision: 'overridden',
        route: '12345',
        emergency: false,
        urgent: false,
        reason: '来电人称事情已经结束，只要求事后调查',
      },
    ]);
  });

  it('transfers a danger to 110: order, emergency item, its message and the decision in one step', async () => {
    const res = await intake({
      ...request,
      categoryCode: undefined,
      content: DANGER,
      handling: { kind: 'transfer', callbackConsent: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const { workOrder, linkage, triageDecision } = res.json();
    // Without a 12345 category, a transferred matter is filed under 其他.
    expect(workOrder.categoryCode).toBe('QTSX01');
    expect(linkage).toMatchObject({ kind: 'emergency', side: 'originator', status: 'requested', peer: 'cq-110' });
    expect(triageDecision).toBe('accepted');
    const outbox = await t.db.query('SELECT type FROM bridge_outbox WHERE item_id = $1', [linkage.itemId]);
    expect(outbox.rows).toEqual([{ type: 'emergency.escalate' }]);
    expect(await decisions(workOrder.requestId)).toEqual([
      { decision: 'accepted', route: '110', emergency: true, urgent: expect.any(Boolean), reason: null },
    ]);
  });

  it('opens a three-way consultation as a transfer item that follows the suggestion', async () => {
    const res = await intake({ ...request, handling: { kind: 'consultation' } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().linkage).toMatchObject({ kind: 'transfer', status: 'requested' });
    expect(res.json().triageDecision).toBe('accepted');
  });

  it('a partner line that does not exist is refused before anything is written', async () => {
    const before = await counts();
    const res = await intake({ ...request, handling: { kind: 'transfer', target: 'no-such-line' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'target' } });
    expect(await counts()).toEqual(before);
  });

  it('an order or an answer needs a category, then a text; each refusal says which, in the form’s words', async () => {
    const before = await counts();
    const res = await intake({ ...request, content: '', categoryCode: undefined, handling: { kind: 'order' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '请求参数不合法：缺少必填项：派单目录分类',
      details: { field: 'categoryCode' },
    });
    const empty = await intake({ ...request, content: '  ', handling: { kind: 'answer', reply: '答复' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ message: '请求参数不合法：诉求内容不能为空', details: { field: 'content' } });
    expect(await counts()).toEqual(before);
  });

  it('a retry with the same clientRef answers 200 with what the first attempt made', async () => {
    const payload = { ...request, clientRef: 'intake-retry-1', content: DANGER, handling: { kind: 'transfer' } };
    const first = await intake(payload);
    expect(first.statusCode, first.body).toBe(201);
    const before = await counts();
    const again = await intake(payload);
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json().workOrder.id).toBe(first.json().workOrder.id);
    expect(again.json().linkage.itemId).toBe(first.json().linkage.itemId);
    expect(await counts()).toEqual(before);
  });

  it('a department handler may not take calls; nothing is written', async () => {
    const before = await counts();
    const res = await intake({ ...request, handling: { kind: 'order' } }, 'chengguan');
    expect(res.statusCode).toBe(403);
    expect(await counts()).toEqual(before);
  });

  it('is documented in the OpenAPI schema', async () => {
    const spec = (await t.app.inject({ url: '/docs/json' })).json();
    const op = spec.paths['/api/intake'].post;
    expect(op.tags).toEqual(['hotline']);
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '400', '422']));
    expect(JSON.stringify(op.requestBody)).toContain('consultation');
  });
});
