/**
 * The danger path between two real desks (issue 11): an escalation is accepted by the 110 desk on receipt
 * in the transaction that makes the incident, tops the 待派警 queue, and carries the lines the 12345 desk
 * linked (120) so 110 opens no second item to them; one matter has one item; accepting is atomic; every
 * transfer, acceptance and feedback is in the record's own history.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder } from '../helpers.ts';
import { eventually, freePort, makeDesks, type Desk } from './desks.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const H2C = ['h2c-1', 'hotline-to-120-secret-00000001'] as const;
const C2H = ['c2h-1', '120-to-hotline-secret-00000001'] as const;
const FIGHT = '两个人在小区门口打架，一个人头上流了很多血';

let desks: Awaited<ReturnType<typeof makeDesks>>;
let hotline: Desk, dispatch: Desk;
let receiver: ChildProcess;

beforeAll(async () => {
  desks = await makeDesks();
  ({ hotline, dispatch } = desks);
  // The 120 line as a partner agency would answer it (accepts each item, feeds back), linked to the 12345 desk.
  const rport = await freePort();
  receiver = spawn(
    process.execPath,
    [
      BIN,
      'connector-receiver',
      ...['--id', 'medical-120', '--port', String(rport), '--desk-url', `http://127.0.0.1:${hotline.port}`],
      ...['--desk-id', 'cq-12345', '--key-id', C2H[0], '--key', C2H[1], '--desk-key-id', H2C[0], '--desk-key', H2C[1]],
      ...['--auto', '--feedback-after-ms', '60000'],
    ],
    { stdio: 'ignore' },
  );
  await eventually(async () => (await fetch(`http://127.0.0.1:${rport}/health`)).ok, 20_000);
  const line = {
    name: '重庆市急救医疗中心120',
    kind: 'medical',
    endpointUrl: `http://127.0.0.1:${rport}`,
    keyId: H2C[0],
    key: H2C[1],
    inboundKeyId: C2H[0],
    inboundKey: C2H[1],
  };
  expect((await hotline.api('admin', 'PUT', '/api/admin/connectors/medical-120', line)).status).toBe(200);
  // The 110 desk knows the same city line (its own keys; it is never reached in these tests).
  const other = { ...line, keyId: 'd2c-1', key: 'dispatch-to-120-secret-000001', inboundKeyId: 'c2d-1' };
  expect((await dispatch.api('admin', 'PUT', '/api/admin/connectors/medical-120', other)).status).toBe(200);
}, 120_000);
afterAll(async () => {
  receiver?.kill('SIGTERM');
  await desks?.close();
});

const item = (d: Desk, id: string) => d.api('seat', 'GET', `/api/linkage/items/${encodeURIComponent(id)}`);
const statusOn = (d: Desk, id: string, status: string) =>
  eventually(async () => {
    const r = await item(d, id);
    return r.status === 200 && r.json.status === status ? r.json : null;
  });
const kinds = (timeline: { direction: string; type: string }[]) => timeline.map((e) => `${e.direction}:${e.type}`);
const labels = (actions: { actionLabel: string }[]) => actions.map((a) => a.actionLabel);

/** The call-taker's Alt+2: the intake transferred to 110 in one call. */
async function escalate(content: string) {
  const r = await hotline.api('callTaker', 'POST', '/api/intake', {
    ...sampleOrder({ content, categoryCode: undefined }),
    handling: { kind: 'transfer', callbackConsent: true },
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as {
    workOrder: { id: string; no: string };
    linkage: { itemId: string; kind: string; opening: Record<string, unknown> };
    linked: { itemId: string; peer: string; kind: string }[];
  };
}

describe('the danger path: an emergency handed over is seen, dispatched and answered', () => {
  let fight: Awaited<ReturnType<typeof escalate>>;
  let incidentId: string;

  it('the one transfer opens the linked 120 item too, and the escalation names it in `linked`', async () => {
    fight = await escalate(`${FIGHT}（联动测试）`);
    expect(fight.linkage.kind).toBe('emergency');
    expect(fight.linked).toHaveLength(1);
    expect(fight.linked[0]).toMatchObject({ peer: 'medical-120' });
    const medical = fight.linked[0]!.itemId;
    expect(fight.linkage.opening.linked).toEqual([{ to: 'medical-120', itemId: medical }]);
    // Each names the other, and the 120 line has it (its reference receiver accepts).
    const toMedical = await statusOn(hotline, medical, 'accepted');
    expect(toMedical.opening.linked).toEqual([{ to: 'cq-110', itemId: fight.linkage.itemId }]);
    // On the linkage timeline of the transfer to 110.
    const main = (await item(hotline, fight.linkage.itemId)).json;
    const local = main.timeline.find((e: { type: string }) => e.type === 'linked');
    expect(local).toMatchObject({ direction: 'local', payload: { to: 'medical-120', itemId: medical } });
  });

  it('110 accepts it on receipt (system, with the incident), 一级, at the top of 待派警, with the callback and the line linked', async () => {
    const seen = await statusOn(dispatch, fight.linkage.itemId, 'accepted');
    expect(kinds(seen.timeline)).toEqual(['received:emergency.escalate', 'sent:transfer.accept']);
    expect(seen.timeline[1].payload.acceptedBy).toBe('system');
    incidentId = seen.localRef;
    const queue = await dispatch.api('dispatcher', 'GET', '/api/incidents?status=received&sort=urgency&pageSize=5');
    expect(queue.json.items[0]).toMatchObject({
      id: incidentId,
      no: seen.localNo,
      priority: 1,
      emergency: true,
      category: 'emergency_help',
      address: '渝中区八一路',
      linkage: {
        itemId: fight.linkage.itemId,
        kind: 'emergency',
        peer: 'cq-12345',
        linked: [{ to: 'medical-120', itemId: fight.linked[0]!.itemId }],
        callback: { name: '张三', phone: '13812345678' },
      },
    });
    expect(queue.json.items[0].waitingSeconds).toBeGreaterThanOrEqual(0);
    // An analyst reads the queue with the callback masked.
    const masked = await dispatch.api('analyst', 'GET', '/api/incidents?status=received&sort=urgency&pageSize=5');
    expect(masked.json.items[0].linkage.callback.phone).not.toBe('13812345678');
    // The incident's own history: received, then accepted on receipt naming the item and the linked line.
    const incident = (await dispatch.api('dispatcher', 'GET', `/api/incidents/${incidentId}`)).json;
    expect(labels(incident.actions)).toEqual(['接警', '对接：签收']);
    expect(incident.actions[1].actor.name).toBe('系统');
    expect(incident.actions[1].details.note).toContain(fight.linkage.itemId);
    expect(incident.actions[1].details.note).toContain('medical-120');
    expect(incident.request.caller.phone).toBe('13812345678');
    expect(incident.linkage).toEqual({
      itemId: fight.linkage.itemId,
      kind: 'emergency',
      peer: 'cq-12345',
      status: 'accepted',
      linked: [{ to: 'medical-120', itemId: fight.linked[0]!.itemId }],
    });
    // And 12345 sees it accepted, with the incident's number.
    expect((await statusOn(hotline, fight.linkage.itemId, 'accepted')).peerRef).toBe(seen.localNo);
  });

  it('110 opens no second 120 item for it: refused with LINKAGE_ALREADY_OPEN naming the 12345 item', async () => {
    const before = (await dispatch.db.db.query('SELECT count(*)::int AS n FROM linkage_items')).rows[0].n;
    const r = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId,
      target: 'medical-120',
      reason: '伤者需要急救',
    });
    expect(r.status).toBe(409);
    expect(r.json.code).toBe('LINKAGE_ALREADY_OPEN');
    expect(r.json.message).toContain(fight.linked[0]!.itemId);
    // Nor back to 12345 while the item it came in on is open.
    const back = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', { kind: 'transfer', incidentId });
    expect(back.status).toBe(409);
    expect(back.json.message).toContain(fight.linkage.itemId);
    expect((await dispatch.db.db.query('SELECT count(*)::int AS n FROM linkage_items')).rows[0].n).toBe(before);
  });

  it('one matter, one item: a second transfer of the same order is refused, naming the open item, and writes nothing', async () => {
    const before = (await hotline.db.db.query('SELECT count(*)::int AS n FROM linkage_items')).rows[0].n;
    const again = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: fight.workOrder.id,
      reason: '再转一次',
    });
    expect(again.status).toBe(409);
    expect(again.json).toMatchObject({ code: 'LINKAGE_ALREADY_OPEN', details: { itemId: fight.linkage.itemId } });
    expect(again.json.message).toContain(fight.linkage.itemId);
    const to120 = await hotline.api('seat', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      workOrderId: fight.workOrder.id,
      target: 'medical-120',
    });
    expect(to120.json).toMatchObject({ code: 'LINKAGE_ALREADY_OPEN', details: { itemId: fight.linked[0]!.itemId } });
    expect((await hotline.db.db.query('SELECT count(*)::int AS n FROM linkage_items')).rows[0].n).toBe(before);
  });

  it('the dispatcher dispatches at once; the feedback closes the loop on 12345, all in both records’ histories', async () => {
    const act = (a: string, body: object) =>
      dispatch.api('dispatcher', 'POST', `/api/incidents/${incidentId}/${a}`, body);
    expect((await act('dispatch', { tier: 'police_station', unitId: 'p500103001.station' })).status).toBe(200);
    expect((await act('arrive', {})).status).toBe(200);
    const fb = await act('feedback', { disposition: 'resolved_on_scene', summary: '民警到场制止，伤者已由120送医' });
    expect(fb.status, JSON.stringify(fb.json)).toBe(200);
    await statusOn(hotline, fight.linkage.itemId, 'feedback_given');
    expect(
      (await hotline.api('seat', 'POST', `/api/linkage/items/${encodeURIComponent(fight.linkage.itemId)}/confirm`, {}))
        .json.status,
    ).toBe('closed');
    await statusOn(dispatch, fight.linkage.itemId, 'closed');

    const incident = (await dispatch.api('dispatcher', 'GET', `/api/incidents/${incidentId}`)).json;
    expect(labels(incident.actions)).toEqual(
      expect.arrayContaining(['接警', '对接：签收', '派警', '到场', '反馈', '对接：处置反馈', '对接：确认闭环']),
    );
    const order = (await hotline.api('callTaker', 'GET', `/api/work-orders/${fight.workOrder.id}`)).json;
    const log = labels(order.actions);
    // Both transfers (110 and 120), both acceptances, the police feedback and the closure.
    expect(log.filter((l) => l === '对接：紧急移交')).toHaveLength(2);
    expect(log.filter((l) => l === '对接：签收').length).toBeGreaterThanOrEqual(2);
    expect(log).toEqual(expect.arrayContaining(['对接：处置反馈', '对接：确认闭环']));
    const feedback = order.actions.find((a: { actionLabel: string }) => a.actionLabel === '对接：处置反馈');
    expect(feedback.details.note).toContain('民警到场制止，伤者已由120送医');
  });
});

describe('the 待派警 queue sorts by urgency: emergencies first, then level, then the longest waiting', () => {
  it('orders a marked set of alarms, and files a triaged danger as 一级 by default', async () => {
    const m = `Q${Date.now().toString(36)}`;
    const made: Record<string, string> = {};
    const alarm = async (key: string, content: string, priority?: number) => {
      const r = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
        content: `${m} ${content}`,
        category: 'public_help',
        districtCode: '500103',
        ...(priority ? { priority } : {}),
      });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      made[key] = r.json.id;
      return r.json;
    };
    await alarm('level3', '报警人称小区路灯坏了', 3);
    await alarm('level2old', '报警人称钥匙锁在家里了', 2);
    await alarm('level1', '报警人称手机昨天在公交车上丢了', 1);
    const danger = await alarm('danger', '报警人称有人持刀砍人');
    await alarm('level2new', '报警人称楼下有人吵架', 2);
    expect(danger.priority).toBe(1); // the triage found a danger now: 一级 unless the call-taker chose otherwise
    const q = await dispatch.api('dispatcher', 'GET', `/api/incidents?status=received&sort=urgency&q=${m}`);
    expect(q.json.items.map((i: { id: string }) => i.id)).toEqual([
      made.danger,
      made.level1,
      made.level2old,
      made.level2new,
      made.level3,
    ]);
    expect(q.json.items[0].emergency).toBe(true);
    const bad = await dispatch.api('dispatcher', 'GET', '/api/incidents?sort=loudest');
    expect(bad.status).toBe(400);
  });
});

describe('accepting is one transaction with the record it makes', () => {
  const failAccepts = (d: Desk) =>
    d.db.db.query(`
      CREATE OR REPLACE FUNCTION test_fail_accept() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.type = 'transfer.accept' THEN RAISE EXCEPTION 'simulated failure while accepting'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER test_fail_accept BEFORE INSERT ON bridge_outbox FOR EACH ROW EXECUTE FUNCTION test_fail_accept();`);
  const healAccepts = (d: Desk) => d.db.db.query('DROP TRIGGER test_fail_accept ON bridge_outbox');
  const recordsFor = async (d: Desk, table: string, itemId: string) =>
    (
      await d.db.db.query(
        `SELECT count(*)::int AS n FROM ${table} x JOIN requests r ON r.id = x.request_id WHERE r.client_ref = $1`,
        [itemId],
      )
    ).rows[0].n as number;

  it('a seat’s accept that fails half-way leaves no incident and the item 待签收; the retry makes exactly one', async () => {
    const wo = await hotline.api(
      'callTaker',
      'POST',
      '/api/work-orders',
      sampleOrder({ content: '来电人反映楼下有人推销保健品骗老人钱' }),
    );
    const open = await hotline.api('seat', 'POST', '/api/linkage/items', { kind: 'transfer', workOrderId: wo.json.id });
    const id = open.json.itemId;
    await statusOn(dispatch, id, 'requested');
    await failAccepts(dispatch);
    try {
      const r = await dispatch.api('seat', 'POST', `/api/linkage/items/${encodeURIComponent(id)}/accept`, {});
      expect(r.status).not.toBe(200);
    } finally {
      await healAccepts(dispatch);
    }
    const after = (await item(dispatch, id)).json;
    expect(after).toMatchObject({ status: 'requested', localRef: null, localNo: null });
    expect(await recordsFor(dispatch, 'incidents', id)).toBe(0);
    const ok = await dispatch.api('seat', 'POST', `/api/linkage/items/${encodeURIComponent(id)}/accept`, {});
    expect(ok.json.status).toBe('accepted');
    expect(await recordsFor(dispatch, 'incidents', id)).toBe(1);
    // The order's history has the transfer and the acceptance; the incident's, its acceptance.
    await statusOn(hotline, id, 'accepted');
    const order = (await hotline.api('callTaker', 'GET', `/api/work-orders/${wo.json.id}`)).json;
    expect(labels(order.actions)).toEqual(expect.arrayContaining(['对接：发起转接', '对接：签收']));
  });

  it('an acceptance on receipt that fails stores the escalation for a seat (no incident), never half of it', async () => {
    await failAccepts(dispatch);
    let id: string;
    try {
      id = (await escalate('有人在江边要跳河，情绪很激动')).linkage.itemId;
      const seen = await statusOn(dispatch, id, 'requested');
      expect(kinds(seen.timeline)).toEqual(['received:emergency.escalate', 'local:accept.failed']);
      expect(seen.localRef).toBeNull();
      expect(await recordsFor(dispatch, 'incidents', id)).toBe(0);
    } finally {
      await healAccepts(dispatch);
    }
    const ok = await dispatch.api('seat', 'POST', `/api/linkage/items/${encodeURIComponent(id)}/accept`, {});
    expect(ok.json).toMatchObject({ status: 'accepted' });
    expect(await recordsFor(dispatch, 'incidents', id)).toBe(1);
  });
});

describe('urgent items on the 12345 desk', () => {
  it('an urgent transfer from 110 is accepted on receipt as an urgent order sent to the district at once', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '我父亲在医院重症监护室，医院说没有床位了要我们转院',
      category: 'non_police',
      districtCode: '500103',
    });
    const open = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId: inc.json.id,
      reason: '重症救治，转12345紧急工单',
    });
    expect(open.status, JSON.stringify(open.json)).toBe(201);
    const seen = await statusOn(hotline, open.json.itemId, 'accepted');
    expect(seen.timeline[1].payload.acceptedBy).toBe('system');
    const wo = (await hotline.api('callTaker', 'GET', `/api/work-orders/${seen.localRef}`)).json;
    expect(wo).toMatchObject({
      urgent: true,
      urgentKind: 'critical_care',
      status: 'assigned',
      leadUnitId: 'd500103.agency',
    });
    expect((await statusOn(dispatch, open.json.itemId, 'accepted')).peerRef).toBe(wo.no);
  });
});

describe('the seats’ linkage queue', () => {
  it('lists what cannot wait first with sort=urgency (emergencies, urgent items), then the newest', async () => {
    const r = await dispatch.api('seat', 'GET', '/api/linkage/items?sort=urgency&pageSize=100');
    expect(r.status).toBe(200);
    const urgent = r.json.items.map(
      (i: { kind: string; opening: { request?: { triage?: { urgent?: boolean; emergency?: boolean } } } }) =>
        i.kind === 'emergency' ||
        i.opening.request?.triage?.urgent === true ||
        i.opening.request?.triage?.emergency === true,
    );
    expect(urgent).toContain(true);
    expect(urgent).toContain(false);
    expect(urgent).toEqual([...urgent].sort((a: boolean, b: boolean) => Number(b) - Number(a)));
    expect((await dispatch.api('seat', 'GET', '/api/linkage/items?sort=loudest')).status).toBe(400);
  });
});

describe('a drill (应急演练) runs end to end between the desks, and no report counts it', () => {
  const drills = async (d: Desk) => {
    const r = await d.api('analyst', 'GET', `/api/reports/monthly?period=${beijingMonth()}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    return r.json.exercise.drills as { workOrders: number; incidents: number; linkageItems: number };
  };
  const beijingMonth = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  const envelope = (x: unknown) => (typeof x === 'string' ? JSON.parse(x) : x) as { exercise?: boolean };
  /** The first message the desk sent of an item, and the item's own drill flag. */
  const firstSent = async (d: Desk, itemId: string) => {
    const r = await d.db.db.query(
      `SELECT o.envelope, i.exercise FROM bridge_outbox o JOIN linkage_items i USING (item_id) WHERE o.item_id = $1 AND o.seq = 1`,
      [itemId],
    );
    return { envelope: envelope(r.rows[0].envelope), exercise: r.rows[0].exercise as boolean };
  };

  it('only those who run drills may file one; refused, nothing is written', async () => {
    const count = async () => (await hotline.db.db.query('SELECT count(*)::int AS n FROM requests')).rows[0].n;
    const before = await count();
    const r = await hotline.api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder({ content: FIGHT, categoryCode: undefined }),
      exercise: true,
      handling: { kind: 'transfer' },
    });
    expect(r.status).toBe(403);
    expect(r.json.code).toBe('FORBIDDEN');
    expect(await count()).toBe(before);
  });

  it('the escalation carries `exercise`, 110 accepts it as a drill, and both desks’ reports leave it out', async () => {
    const [h0, d0] = [await drills(hotline), await drills(dispatch)];
    const r = await hotline.api('admin', 'POST', '/api/intake', {
      ...sampleOrder({ content: `演练：${FIGHT}`, categoryCode: undefined }),
      exercise: true,
      handling: { kind: 'transfer' },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const itemId = r.json.linkage.itemId as string;
    const sent = await firstSent(hotline, itemId);
    expect(sent.envelope.exercise).toBe(true);
    expect(sent.exercise).toBe(true);
    const seen = await statusOn(dispatch, itemId, 'accepted');
    const onDispatch = await dispatch.db.db.query(
      `SELECT i.exercise AS item, r.exercise AS record FROM linkage_items i
       JOIN incidents x ON x.id::text = i.local_ref JOIN requests r ON r.id = x.request_id WHERE i.item_id = $1`,
      [itemId],
    );
    expect(onDispatch.rows[0]).toEqual({ item: true, record: true });
    // Both records say so where people read them.
    expect((await dispatch.api('dispatcher', 'GET', `/api/incidents/${seen.localRef}`)).json.exercise).toBe(true);
    expect((await hotline.api('admin', 'GET', `/api/work-orders/${r.json.workOrder.id}`)).json.exercise).toBe(true);
    const listed = await hotline.api('admin', 'GET', `/api/work-orders?text=${encodeURIComponent('演练：')}`);
    expect(listed.json.items.map((o: { exercise: boolean }) => o.exercise)).toContain(true);
    const all = await hotline.api('admin', 'GET', '/api/work-orders?pageSize=50');
    expect(all.json.items.some((o: { exercise: boolean }) => !o.exercise)).toBe(true);
    expect(seen.localRef).toBeTruthy();
    // The 110 desk's answers carry the flag back.
    const back = await dispatch.db.db.query(`SELECT envelope FROM bridge_outbox WHERE item_id = $1 ORDER BY seq`, [
      itemId,
    ]);
    expect(back.rows.length).toBeGreaterThan(0);
    for (const row of back.rows) expect(envelope(row.envelope).exercise).toBe(true);
    const [h1, d1] = [await drills(hotline), await drills(dispatch)];
    expect(h1.workOrders).toBe(h0.workOrders + 1);
    expect(d1.incidents).toBe(d0.incidents + 1);
    expect(d1.linkageItems).toBeGreaterThan(d0.linkageItems);
  });

  it('the 110 desk files a drill of its own: refused to a dispatcher; its diversion to 12345 carries the flag; no report counts it', async () => {
    const alarm = {
      content: '演练：报警人称楼上住户长期噪音扰民，无纠纷',
      category: 'non_police',
      districtCode: '500103',
    };
    const count = async () => (await dispatch.db.db.query('SELECT count(*)::int AS n FROM requests')).rows[0].n;
    const before = await count();
    const refused = await dispatch.api('dispatcher', 'POST', '/api/incidents', { ...alarm, exercise: true });
    expect(refused.status).toBe(403);
    expect(refused.json.code).toBe('FORBIDDEN');
    expect(await count()).toBe(before);

    const [h0, d0] = [await drills(hotline), await drills(dispatch)];
    const r = await dispatch.api('admin', 'POST', '/api/incidents', { ...alarm, exercise: true });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.exercise).toBe(true);
    const listed = await dispatch.api('dispatcher', 'GET', `/api/incidents/${r.json.id}`);
    expect(listed.json.exercise).toBe(true);
    const div = await dispatch.api('admin', 'POST', `/api/incidents/${r.json.id}/divert`, {
      target: 'hotline_12345',
      note: '演练：非警务事项',
    });
    expect(div.status, JSON.stringify(div.json)).toBe(200);
    const itemId = div.json.linkage.itemId as string;
    const sent = await firstSent(dispatch, itemId);
    expect(sent.envelope.exercise).toBe(true);
    expect(sent.exercise).toBe(true);
    await statusOn(hotline, itemId, 'requested');
    const received = await hotline.db.db.query('SELECT exercise FROM linkage_items WHERE item_id = $1', [itemId]);
    expect(received.rows).toEqual([{ exercise: true }]);
    const [h1, d1] = [await drills(hotline), await drills(dispatch)];
    expect(d1.incidents).toBe(d0.incidents + 1);
    expect(d1.linkageItems).toBe(d0.linkageItems + 1);
    expect(h1.linkageItems).toBe(h0.linkageItems + 1);
  });
});
