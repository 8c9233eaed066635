import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder } from '../helpers.ts';
import { eventually, makeDesks, type Desk } from './desks.ts';

let desks: Awaited<ReturnType<typeof makeDesks>>;
let hotline: Desk, dispatch: Desk;
beforeAll(async () => {
  desks = await makeDesks();
  ({ hotline, dispatch } = desks);
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const item = (d: Desk, id: string) => d.api('seat', 'GET', `/api/linkage/items/${encodeURIComponent(id)}`);
const step = (d: Desk, who: 'seat' | 'dispatcher' | 'callTaker', id: string, s: string, body: object = {}) =>
  d.api(who, 'POST', `/api/linkage/items/${encodeURIComponent(id)}/${s}`, body);
const statusOn = (d: Desk, id: string, status: string) =>
  eventually(async () => {
    const r = await item(d, id);
    return r.status === 200 && r.json.status === status ? r.json : null;
  });

async function workOrder(content = '来电人反映小区里有人打架，有人受伤'): Promise<string> {
  const r = await hotline.api('callTaker', 'POST', '/api/work-orders', sampleOrder({ content }));
  expect(r.status).toBe(201);
  return r.json.id;
}

describe('12345 ⇄ 110 over real HTTP between two processes', () => {
  it('one-click transfer 12345 → 110: accepted (incident made), feedback, confirmed: closed on both sides', async () => {
    const wo = await workOrder();
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: wo,
      reason: '涉及治安案件，属110受理范围',
      callbackConsent: true,
    });
    expect(open.status, JSON.stringify(open.json)).toBe(201);
    const id = open.json.itemId as string;
    expect(id).toMatch(/^cq-12345:LK-\d{4}-\d{6}$/);
    const seen = await statusOn(dispatch, id, 'requested');
    expect(seen.opening.request.content).toBe('来电人反映小区里有人打架，有人受伤');
    expect(seen.opening.callback).toEqual({ name: '张三', phone: '13812345678' });
    expect(seen.opening.request.triage.route).toBe('110');

    const acc = await step(dispatch, 'dispatcher', id, 'accept');
    expect(acc.status, JSON.stringify(acc.json)).toBe(200);
    expect(acc.json.localNo).toMatch(/^JQ/);
    const atHotline = await statusOn(hotline, id, 'accepted');
    expect(atHotline.peerRef).toBe(acc.json.localNo);
    expect(atHotline.secondsToAccept).toBeGreaterThanOrEqual(0);

    await step(dispatch, 'dispatcher', id, 'status', { status: 'on_scene', note: '民警已到场' });
    await step(dispatch, 'dispatcher', id, 'feedback', { disposition: 'mediated', summary: '民警到场调解，双方和解' });
    await statusOn(hotline, id, 'feedback_given');
    const done = await step(hotline, 'seat', id, 'confirm', { note: '已回访来电人' });
    expect(done.json.status).toBe('closed');
    await statusOn(dispatch, id, 'closed');
    const timeline = (await item(hotline, id)).json.timeline.map(
      (e: { direction: string; type: string }) => `${e.direction}:${e.type}`,
    );
    expect(timeline).toEqual([
      'sent:transfer.request',
      'received:transfer.accept',
      'received:status.update',
      'received:feedback',
      'sent:closure.confirm',
    ]);
  });

  it('the receiving seat’s console gets the new item pushed (server-sent events), without reloading', async () => {
    const login = await fetch(`http://127.0.0.1:${dispatch.port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'seat1', password: 'test-password-1' }),
    });
    const { token } = (await login.json()) as { token: string };
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${dispatch.port}/api/linkage/stream?access_token=${token}`, {
      signal: abort.signal,
    });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const readUntil = async (needle: string) => {
      const until = Date.now() + 30_000;
      while (!text.includes(needle) && Date.now() < until) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      return text.includes(needle);
    };
    expect(await readUntil('event: ready')).toBe(true);
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: await workOrder('推送测试：有人在楼下打架'),
    });
    expect(await readUntil(open.json.itemId)).toBe(true);
    const event = text.split('\n\n').find((e) => e.includes(open.json.itemId))!;
    expect(event).toContain('event: item');
    expect(
      JSON.parse(
        event
          .split('\n')
          .find((l) => l.startsWith('data: '))!
          .slice(6),
      ),
    ).toMatchObject({ itemId: open.json.itemId, status: 'requested', side: 'receiver' });
    const unauth = await fetch(`http://127.0.0.1:${dispatch.port}/api/linkage/stream`);
    expect(unauth.status).toBe(401);
    // a console still connected does not hold up a shutdown
    const t0 = Date.now();
    await dispatch.stop('SIGTERM');
    expect(Date.now() - t0).toBeLessThan(20_000); // without ending the streams, close() would wait for the client forever
    abort.abort();
    await dispatch.start();
  });

  it('one-click transfer 110 → 12345: the hotline accepts and a work order is made', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '报警人称小区门口垃圾堆了一周没人清运',
      category: 'non_police',
      districtCode: '500103',
    });
    expect(inc.status).toBe(201);
    const open = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId: inc.json.id,
      reason: '非警务事项，转12345',
    });
    expect(open.status, JSON.stringify(open.json)).toBe(201);
    const id = open.json.itemId;
    expect(id).toMatch(/^cq-110:/);
    await statusOn(hotline, id, 'requested');
    const acc = await step(hotline, 'seat', id, 'accept');
    expect(acc.json.localNo).toMatch(/^GD/);
    const wo = await hotline.api('seat', 'GET', `/api/work-orders/${acc.json.localRef}`);
    expect(wo.json).toMatchObject({
      status: 'received',
      request: { channel: 'transferred_in', content: '报警人称小区门口垃圾堆了一周没人清运' },
    });
    await statusOn(dispatch, id, 'accepted');
  });

  it('reject with a reason → negotiation → undecided: the first receiver keeps it, handles it, and the other side confirms', async () => {
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: await workOrder('楼上邻居天天半夜拖椅子，吵得睡不着'),
    });
    const id = open.json.itemId;
    await statusOn(dispatch, id, 'requested');
    expect(
      (
        await step(dispatch, 'dispatcher', id, 'reject', {
          reasonCode: 'not_our_jurisdiction',
          note: '属生活噪声，由12345交办',
        })
      ).json.status,
    ).toBe('rejected');
    await statusOn(hotline, id, 'rejected');
    expect((await step(hotline, 'seat', id, 'negotiate', { note: '请三方通话确认' })).json.status).toBe('negotiating');
    await statusOn(dispatch, id, 'negotiating');
    expect(
      (await step(hotline, 'seat', id, 'resolve', { outcome: 'first_receiver_keeps', note: '协商未果，首接负责' })).json
        .status,
    ).toBe('kept_by_first_receiver');
    await statusOn(dispatch, id, 'kept_by_first_receiver');
    // now the hotline handles it: the 110 desk cannot give feedback, the hotline can; the 110 desk confirms
    expect(
      (await step(dispatch, 'dispatcher', id, 'feedback', { disposition: 'mediated', summary: 'x' })).json.code,
    ).toBe('LINKAGE_WRONG_SIDE');
    expect(
      (await step(hotline, 'seat', id, 'feedback', { disposition: 'mediated', summary: '社区调解，邻居已加装椅脚垫' }))
        .json.status,
    ).toBe('feedback_given');
    await statusOn(dispatch, id, 'feedback_given');
    expect((await step(dispatch, 'dispatcher', id, 'confirm')).json.status).toBe('closed');
    await statusOn(hotline, id, 'closed');
  });

  it('joint mediation 110 → 12345 with feedback from the district, disputed once then closed', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '报警人称与邻居因漏水赔偿发生纠纷，民警已到场',
      category: 'public_order',
      districtCode: '500103',
    });
    const open = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'mediation',
      incidentId: inc.json.id,
      summary: '漏水赔偿纠纷，现场已稳定，需属地联合调处',
    });
    const id = open.json.itemId;
    const seen = await statusOn(hotline, id, 'requested');
    expect(seen.kind).toBe('mediation');
    expect(seen.opening.summary).toBe('漏水赔偿纠纷，现场已稳定，需属地联合调处');
    const accepted = await step(hotline, 'seat', id, 'accept');
    // the 12345 desk sends the order to the district, whose reply is the feedback (联合调处工单 … 完成系统反馈)
    const wo = accepted.json.localRef as string;
    expect(
      (await hotline.api('callTaker', 'POST', `/api/work-orders/${wo}/assign`, { leadUnitId: 'd500103.agency' }))
        .status,
    ).toBe(200);
    expect((await hotline.api('yuzhong', 'POST', `/api/work-orders/${wo}/sign`, {})).status).toBe(200);
    const reply = await hotline.api('yuzhong', 'POST', `/api/work-orders/${wo}/reply`, {
      reply: '街道人民调解委员会组织调解，双方达成协议',
      result: 'resolved',
    });
    expect(reply.status, JSON.stringify(reply.json)).toBe(200);
    const fed = await statusOn(dispatch, id, 'feedback_given');
    const fb = fed.timeline.find((e: { type: string }) => e.type === 'feedback');
    expect(fb.payload).toMatchObject({
      disposition: 'mediated',
      summary: '街道人民调解委员会组织调解，双方达成协议',
      handledBy: 'd500103.agency',
    });
    expect((await step(dispatch, 'dispatcher', id, 'dispute', { reason: '当事人反映赔偿未落实' })).json.status).toBe(
      'reopened',
    );
    await statusOn(hotline, id, 'reopened');
    await step(hotline, 'seat', id, 'feedback', { disposition: 'mediated', summary: '赔偿已到位，双方签字' });
    await statusOn(dispatch, id, 'feedback_given');
    await step(dispatch, 'dispatcher', id, 'confirm');
    await statusOn(hotline, id, 'closed');
  });

  it('police assistance asked by a 12345 handler', async () => {
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'assist',
      workOrderId: await workOrder('商户占道经营，执法时对方情绪激动'),
      need: '请派出所民警到场协助城管执法',
    });
    expect(open.status, JSON.stringify(open.json)).toBe(201);
    const seen = await statusOn(dispatch, open.json.itemId, 'requested');
    expect(seen).toMatchObject({ kind: 'assist', opening: { need: '请派出所民警到场协助城管执法' } });
  });

  it('emergency escalation: straight to 110, accepted on receipt by the system (an incident made, 一级), cannot be rejected', async () => {
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'emergency',
      workOrderId: await workOrder('有人在楼顶要跳楼'),
      danger: '人员可能坠楼',
      callbackConsent: true,
    });
    const id = open.json.itemId;
    // Issue 11: no seat's acknowledgement is waited for; the item is never seen 待签收 at 110.
    const seen = await statusOn(dispatch, id, 'accepted');
    expect(seen.localNo).toMatch(/^JQ/);
    expect(seen.timeline.map((e: { direction: string; type: string }) => `${e.direction}:${e.type}`)).toEqual([
      'received:emergency.escalate',
      'sent:transfer.accept',
    ]);
    expect(seen.timeline[1].payload).toMatchObject({ acceptedBy: 'system', receiverRef: seen.localNo });
    const incident = await dispatch.api('dispatcher', 'GET', `/api/incidents/${seen.localRef}`);
    expect(incident.json).toMatchObject({ priority: 1, category: 'emergency_help', status: 'received' });
    expect(incident.json.request.caller.phone).toBe('13812345678');
    expect(incident.json.actions.map((a: { actionLabel: string }) => a.actionLabel)).toEqual(['接警', '对接：签收']);
    const atHotline = await statusOn(hotline, id, 'accepted');
    expect(atHotline.peerRef).toBe(seen.localNo);
    expect((await step(dispatch, 'dispatcher', id, 'reject', { reasonCode: 'not_our_jurisdiction' })).json.code).toBe(
      'LINKAGE_EMERGENCY_NOT_REJECTABLE',
    );
  });

  it('deadlines: an unanswered item is flagged for supervision; an undecided negotiation leaves it with the first receiver', async () => {
    const a = (
      await hotline.api('seat', 'POST', '/api/linkage/items', {
        kind: 'transfer',
        workOrderId: await workOrder('签收超时测试'),
      })
    ).json.itemId;
    await statusOn(dispatch, a, 'requested');
    await dispatch.db.db.query(
      "UPDATE linkage_items SET accept_deadline = now() - interval '1 minute' WHERE item_id = $1",
      [a],
    );
    const flagged = await eventually(async () => {
      const r = await item(dispatch, a);
      return r.json.acceptOverdue && r.json.timeline.some((e: { type: string }) => e.type === 'accept.overdue')
        ? r.json
        : null;
    }, 30_000);
    expect(flagged.status).toBe('requested');
    const overdueList = await dispatch.api('seat', 'GET', '/api/linkage/items?overdue=true');
    expect(overdueList.json.items.map((i: { itemId: string }) => i.itemId)).toContain(a);

    const b = (
      await hotline.api('seat', 'POST', '/api/linkage/items', {
        kind: 'transfer',
        workOrderId: await workOrder('协商超时测试'),
      })
    ).json.itemId;
    await statusOn(dispatch, b, 'requested');
    await step(dispatch, 'dispatcher', b, 'reject', { reasonCode: 'insufficient_information' });
    await statusOn(hotline, b, 'rejected');
    await step(hotline, 'seat', b, 'negotiate', { deadline: new Date(Date.now() + 500).toISOString() });
    // the originator's sweep resolves it: 协商后仍无法确定的，由首先接到诉求的平台先行受理
    await eventually(async () => (await item(hotline, b)).json.status === 'kept_by_first_receiver', 30_000);
    await statusOn(dispatch, b, 'kept_by_first_receiver');
  }, 120_000);

  it('the peer down for a while, then back: everything delivered, nothing twice', async () => {
    await dispatch.stop();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push(
        (
          await hotline.api('seat', 'POST', '/api/linkage/items', {
            kind: 'transfer',
            workOrderId: await workOrder(`停机期间的转办 ${i}`),
          })
        ).json.itemId,
      );
    await eventually(
      async () =>
        ((
          await hotline.db.db.query(
            "SELECT count(*)::int AS n FROM bridge_outbox WHERE item_id = ANY($1) AND attempts > 0 AND status = 'pending'",
            [ids],
          )
        ).rows[0].n as number) === 5,
    );
    await dispatch.start();
    for (const id of ids) await statusOn(dispatch, id, 'requested');
    const inbox = await dispatch.db.db.query(
      'SELECT item_id, count(*)::int AS n FROM bridge_inbox WHERE item_id = ANY($1) GROUP BY item_id',
      [ids],
    );
    expect(inbox.rows).toHaveLength(5);
    expect(inbox.rows.every((r) => r.n === 1)).toBe(true);
    const events = await dispatch.db.db.query(
      "SELECT count(*)::int AS n FROM linkage_events WHERE item_id = ANY($1) AND direction = 'received'",
      [ids],
    );
    expect(events.rows[0].n).toBe(5);
    // the desk that came back asked for a replay since its cursor
    const cursor = await dispatch.db.db.query("SELECT after FROM bridge_cursors WHERE peer = 'cq-12345'");
    expect(cursor.rows[0].after).toBeGreaterThan(0);
    const byDistrict = await dispatch.api('seat', 'GET', '/api/linkage/items?districtCode=500103&pageSize=100');
    expect(byDistrict.json.items.map((i: { itemId: string }) => i.itemId)).toEqual(expect.arrayContaining(ids));
  }, 60_000);
});
