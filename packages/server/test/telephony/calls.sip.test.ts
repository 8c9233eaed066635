/**
 * Real calls on loopback: SIPp plays the caller, the 12345 seat's phone and the 110 specialist seat's
 * phone against two desks' switches; the dialogue each saw is checked, and so are the call records
 * and legs the desks wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSULTING_SEAT, HAS_SIPP, freeSipPort, inOrder, sipp, type SippRun } from './sipp.ts';
import { twoPhoneDesks } from './phone-desks.ts';

type Desks = Awaited<ReturnType<typeof twoPhoneDesks>>;
let desks: Desks;
let seatPort: number;
let specialistPort: number;

if (!HAS_SIPP) console.warn('sipp is not installed (apt-get install sip-tester): the SIP call tests are skipped');

beforeAll(async () => {
  if (!HAS_SIPP) return;
  desks = await twoPhoneDesks();
  [seatPort, specialistPort] = [await freeSipPort(), await freeSipPort()];
  await desks.hotline.seat('8001', 'callTaker', seatPort);
  await desks.dispatch.seat('9001', 'seat', specialistPort);
});
afterAll(async () => desks?.close());

async function ready() {
  for (const [d, who] of [
    [desks.hotline, 'callTaker'],
    [desks.dispatch, 'seat'],
  ] as const) {
    const me = (await d.app.inject({ url: '/api/telephony/me', headers: d.as(who) })).json();
    if (me.agent.state !== 'ready')
      await d.app.inject({
        method: 'POST',
        url: '/api/telephony/agent/state',
        headers: d.as(who),
        payload: { state: 'ready' },
      });
  }
}

async function lastCall(d: Desks['hotline'], who: 'supervisor' = 'supervisor') {
  await d.center.settled();
  const res = await d.app.inject({
    url: `/api/telephony/calls?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&pageSize=1`,
    headers: d.as(who),
  });
  const call = res.json().items[0];
  const detail = (await d.app.inject({ url: `/api/telephony/calls/${call.id}`, headers: d.as(who) })).json();
  return { call, types: detail.events.map((e: { type: string }) => e.type) as string[] };
}

describe.skipIf(!HAS_SIPP)('calls through the desks', () => {
  it('a 12345 seat answers a caller and transfers the call to the 110 specialist by REFER', async () => {
    await ready();
    const seat = sipp('seat-refers.xml', desks.hotline.sipPort, { port: seatPort, service: 'specialist' });
    const specialist = sipp('specialist-answers.xml', desks.dispatch.sipPort, { port: specialistPort });
    const caller = await sipp('caller.xml', desks.hotline.sipPort, { port: await freeSipPort(), service: '12345' });
    const [s, z] = [await seat, await specialist];
    expect([caller.code, s.code, z.code], caller.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);

    // The dialogue each party saw.
    expect(
      inOrder(caller.dialogue, [
        'sent INVITE',
        'recv 180',
        'recv 200',
        'sent ACK',
        'recv INVITE',
        'sent 200',
        'recv ACK',
        'recv BYE',
        'sent 200',
      ]),
    ).toBe(true);
    expect(s.dialogue).toEqual([
      'recv INVITE',
      'sent 180',
      'sent 200',
      'recv ACK',
      'sent REFER',
      'recv 202',
      'recv NOTIFY',
      'sent 200',
      'recv NOTIFY',
      'sent 200',
      'sent BYE',
      'recv 200',
    ]);
    expect(inOrder(z.dialogue, ['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'sent BYE', 'recv 200'])).toBe(true);

    // What the desks recorded: the 12345 call moved to 110, and 110's call naming it.
    const h = await lastCall(desks.hotline);
    expect(h.call).toMatchObject({
      line: '12345',
      queue: 'hotline',
      caller: '13800000001',
      transferredTo: 'specialist',
      endedBy: 'peer',
    });
    expect(h.call.answeredAt).not.toBeNull();
    expect(
      inOrder(h.types, ['offered', 'delivered', 'ringing', 'answered', 'transferring', 'transferred', 'ended']),
    ).toBe(true);
    const d = await lastCall(desks.dispatch);
    expect(d.call).toMatchObject({
      line: 'specialist',
      queue: 'specialist',
      peerCallRef: h.call.callRef,
      endedBy: 'agent',
    });
    expect(inOrder(d.types, ['offered', 'delivered', 'ringing', 'answered', 'ended'])).toBe(true);
    const byRef = (
      await desks.dispatch.app.inject({
        url: `/api/telephony/calls/by-ref/${encodeURIComponent(h.call.callRef)}`,
        headers: desks.dispatch.as('supervisor'),
      })
    ).json();
    expect(byRef.calls.map((c: { id: string }) => c.id)).toEqual([d.call.id]);

    // The call-taker is in after-call work (话后整理), not offered the next call until she is ready.
    const me = (
      await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(me.agent.state).toBe('after_call_work');
  });

  it("the console's one-click transfer moves the live call to 110 and releases the seat", async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const specialist = sipp('specialist-answers.xml', desks.dispatch.sipPort, { port: specialistPort });
    const callerDone = sipp('caller.xml', desks.hotline.sipPort, { port: await freeSipPort(), service: '12345' });
    // The call-taker sees the call on her console once she has answered it, and presses transfer.
    let callId = '';
    await expect
      .poll(
        async () => {
          const me = (
            await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
          ).json();
          callId = me.call?.id ?? '';
          return me.call?.phase;
        },
        { timeout: 10_000 },
      )
      .toBe('talking');
    const t = await desks.hotline.app.inject({
      method: 'POST',
      url: `/api/telephony/calls/${callId}/transfer`,
      headers: desks.hotline.as('callTaker'),
      payload: { linkageItemId: 'cq-12345:LK-TEST-1' },
    });
    expect(t.statusCode, t.body).toBe(200);
    const [c, s, z] = [await callerDone, await seat, await specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    expect(s.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    expect(inOrder(c.dialogue, ['recv 200', 'sent ACK', 'recv INVITE', 'sent 200', 'recv ACK', 'recv BYE'])).toBe(true);
    const h = await lastCall(desks.hotline);
    expect(h.call).toMatchObject({ id: callId, transferredTo: 'specialist', linkageItemId: 'cq-12345:LK-TEST-1' });
    expect(inOrder(h.types, ['answered', 'transferring', 'transferred', 'ended'])).toBe(true);
  });

  /** The call-taker's live call once it is in `phase`, as her console sees it. */
  async function myCall(phase: string) {
    let call: { id: string; phase: string } | null = null;
    await expect
      .poll(
        async () => {
          call = (
            await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
          ).json().call;
          return call?.phase;
        },
        { timeout: 10_000 },
      )
      .toBe(phase);
    return call!;
  }
  const post = (url: string, who: 'callTaker' | 'seat' = 'callTaker', payload: object = {}) =>
    desks.hotline.app.inject({ method: 'POST', url, headers: desks.hotline.as(who), payload });

  /** A caller rings; the seat's and the specialist's phones will take an attended transfer; she answers. */
  async function consultPhones(caller = 'caller.xml') {
    await ready();
    const phones = {
      seat: sipp('seat-consults.xml', desks.hotline.sipPort, { port: seatPort }),
      specialist: sipp('specialist-consulted.xml', desks.dispatch.sipPort, { port: specialistPort }),
      caller: sipp(caller, desks.hotline.sipPort, { port: await freeSipPort(), service: '12345' }),
    };
    const { id } = await myCall('talking');
    return { id, ...phones };
  }
  /** Every phone of the call has finished its scenario: their dialogues. */
  async function hungUp(p: { seat: Promise<SippRun>; specialist: Promise<SippRun>; caller: Promise<SippRun> }) {
    const [c, s, z] = [await p.caller, await p.seat, await p.specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    return { c, s, z };
  }

  it('an attended transfer (咨询转接): the caller held, the seat speaks to the 110 specialist first, then gives her the caller', async () => {
    const phones = await consultPhones();
    const { id } = phones;
    // nothing to complete or cancel yet; nobody else's call to move
    expect((await post(`/api/telephony/calls/${id}/consult/complete`)).json().code).toBe('CALL_TRANSFER_FAILED');
    expect((await post(`/api/telephony/calls/${id}/consult`, 'seat')).json().code).toBe('CALL_NOT_FOUND');
    const c1 = await post(`/api/telephony/calls/${id}/consult`, 'callTaker', { linkageItemId: 'cq-12345:LK-TEST-2' });
    expect(c1.statusCode, c1.body).toBe(200);
    expect(c1.json()).toMatchObject({ consulting: true });
    await myCall('consulting');
    // a second consultation or a one-click transfer while she consults is refused
    expect((await post(`/api/telephony/calls/${id}/consult`)).json().code).toBe('CALL_TRANSFER_FAILED');
    const done = await post(`/api/telephony/calls/${id}/consult/complete`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({ transferred: true });
    const { c, s, z } = await hungUp(phones);
    // the seat: answered, pointed at the specialist, then hung up on
    expect(s.dialogue).toEqual(CONSULTING_SEAT);
    // the caller: answered, held, given to the specialist, hung up when she is done
    expect(
      inOrder(c.dialogue, [
        'recv 200',
        'sent ACK',
        'recv INVITE',
        'sent 200',
        'recv ACK',
        'recv INVITE',
        'sent 200',
        'recv ACK',
        'recv BYE',
      ]),
    ).toBe(true);
    // the specialist: offered the seat's media, then the caller's; she hangs up at the end
    expect(z.dialogue).toEqual([
      'recv INVITE',
      'sent 180',
      'sent 200',
      'recv ACK',
      'recv INVITE',
      'sent 200',
      'recv ACK',
      'sent BYE',
      'recv 200',
    ]);
    const h = await lastCall(desks.hotline);
    expect(h.call).toMatchObject({ id, transferredTo: 'specialist', linkageItemId: 'cq-12345:LK-TEST-2' });
    expect(inOrder(h.types, ['answered', 'transferring', 'consulting', 'transferred', 'ended'])).toBe(true);
  });

  it('the one-click transfer while she consults gives the caller to that specialist, with the linkage item', async () => {
    const phones = await consultPhones();
    const { id } = phones;
    expect((await post(`/api/telephony/calls/${id}/consult`)).statusCode).toBe(200);
    await myCall('consulting');
    const t = await post(`/api/telephony/calls/${id}/transfer`, 'callTaker', { linkageItemId: 'cq-12345:LK-TEST-3' });
    expect(t.statusCode, t.body).toBe(200);
    const { z } = await hungUp(phones);
    // one call at the specialist: the one she was consulted on, not a second
    expect(z.dialogue.filter((l) => l === 'recv INVITE')).toHaveLength(2);
    expect(z.dialogue.slice(-2)).toEqual(['sent BYE', 'recv 200']);
    const h = await lastCall(desks.hotline);
    expect(h.call).toMatchObject({ id, transferredTo: 'specialist', linkageItemId: 'cq-12345:LK-TEST-3' });
    expect(inOrder(h.types, ['consulting', 'transferred', 'ended'])).toBe(true);
  });

  it('an attended transfer given up: the specialist is hung up on, the caller is back with the seat', async () => {
    const phones = await consultPhones('caller-held.xml');
    const { id } = phones;
    expect((await post(`/api/telephony/calls/${id}/consult`)).statusCode).toBe(200);
    await myCall('consulting');
    const back = await post(`/api/telephony/calls/${id}/consult/cancel`);
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ consulting: false });
    await myCall('talking');
    const { c, s, z } = await hungUp(phones);
    expect(z.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    // the seat pointed at the specialist and back at the caller; hung up when the caller hangs up
    expect(s.dialogue.filter((l) => l === 'recv INVITE')).toHaveLength(3);
    expect(s.dialogue.slice(-2)).toEqual(['recv BYE', 'sent 200']);
    // the caller held and resumed: two re-INVITEs, then she hangs up herself
    expect(c.dialogue.filter((l) => l === 'recv INVITE')).toHaveLength(2);
    const h = await lastCall(desks.hotline);
    expect(h.call.transferredTo).toBeNull();
    expect(inOrder(h.types, ['answered', 'transferring', 'consulting', 'transfer_failed', 'ended'])).toBe(true);
  });

  it('a caller who hangs up while the call is being moved is queued for a call-back (漏接回拨)', async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const specialist = sipp('specialist-rings.xml', desks.dispatch.sipPort, { port: specialistPort });
    const callerDone = sipp('caller-hangs-up.xml', desks.hotline.sipPort, {
      port: await freeSipPort(),
      service: '12345',
      args: ['-d', '1500'],
    });
    let callId = '';
    await expect
      .poll(
        async () => {
          const me = (
            await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
          ).json();
          callId = me.call?.id ?? '';
          return me.call?.phase;
        },
        { timeout: 10_000 },
      )
      .toBe('talking');
    const t = await desks.hotline.app.inject({
      method: 'POST',
      url: `/api/telephony/calls/${callId}/transfer`,
      headers: desks.hotline.as('callTaker'),
      payload: {},
    });
    expect(t.statusCode).toBe(409);
    expect(t.json().code).toBe('CALL_TRANSFER_FAILED');
    const [c, s, z] = [await callerDone, await seat, await specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    expect(z.dialogue).toEqual(['recv INVITE', 'sent 180', 'recv CANCEL', 'sent 200', 'sent 487', 'recv ACK']);
    await desks.hotline.center.settled();
    const backs = (
      await desks.hotline.app.inject({ url: '/api/telephony/call-backs', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(backs).toContainEqual(
      expect.objectContaining({ callId, caller: '13800000002', reason: 'dropped_in_transfer' }),
    );
    const done = await desks.hotline.app.inject({
      method: 'POST',
      url: `/api/telephony/call-backs/${callId}/done`,
      headers: desks.hotline.as('callTaker'),
      payload: { outcome: 'reached', note: '已回拨，来电人改由110处理' },
    });
    expect(done.statusCode).toBe(204);
    const again = await desks.hotline.app.inject({
      method: 'POST',
      url: `/api/telephony/call-backs/${callId}/done`,
      headers: desks.hotline.as('callTaker'),
      payload: { outcome: 'reached' },
    });
    expect(again.json().code).toBe('CALL_BACK_NOT_FOUND');
  });

  it("a supervisor switches surge mode on; the wallboard shows it with agents by state and today's answered within 15 s", async () => {
    const h = desks.hotline;
    const refused = await h.app.inject({
      method: 'PUT',
      url: '/api/telephony/queues/hotline/surge',
      headers: h.as('callTaker'),
      payload: { surge: true },
    });
    expect(refused.statusCode).toBe(403);
    const on = await h.app.inject({
      method: 'PUT',
      url: '/api/telephony/queues/hotline/surge',
      headers: h.as('supervisor'),
      payload: { surge: true, note: '暴雨应急' },
    });
    expect(on.statusCode, on.body).toBe(200);
    const board = (await h.app.inject({ url: '/api/telephony/wallboard', headers: h.as('supervisor') })).json();
    expect(board.queues.find((q: { id: string }) => q.id === 'hotline')).toMatchObject({
      surge: true,
      waiting: 0,
      overflowTo: 'standby',
    });
    expect(board.agents).toContainEqual(expect.objectContaining({ extension: '8001', registered: true }));
    expect(board.today.answered).toBeGreaterThanOrEqual(3);
    expect(board.today.answeredWithinTarget).toBe(board.today.answered);
    expect(board.callBacksOpen).toBe(0);
    const missing = await h.app.inject({
      method: 'PUT',
      url: '/api/telephony/queues/nosuch/surge',
      headers: h.as('supervisor'),
      payload: { surge: true },
    });
    expect(missing.json().code).toBe('QUEUE_NOT_FOUND');
    await h.app.inject({
      method: 'PUT',
      url: '/api/telephony/queues/hotline/surge',
      headers: h.as('supervisor'),
      payload: { surge: false },
    });
  });
});

/** The call-taker's live call, once she has answered it. */
async function talkingCall(): Promise<string> {
  let callId = '';
  await expect
    .poll(
      async () => {
        const me = (
          await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
        ).json();
        callId = me.call?.id ?? '';
        return me.call?.phase;
      },
      { timeout: 10_000 },
    )
    .toBe('talking');
  return callId;
}

const FIGHT = {
  channel: 'phone_12345',
  caller: { name: '周先生', phone: '13800000002' },
  content: '来电人说楼下烧烤摊两个人正在打架，有人头上流血了，现在还在打',
  address: '渝中区解放碑步行街',
  districtCode: '500103',
  orderType: 'complaint',
};

const intake = (payload: Record<string, unknown>) =>
  desks.hotline.app.inject({ method: 'POST', url: '/api/intake', headers: desks.hotline.as('callTaker'), payload });

const countOf = async (table: string) =>
  (await desks.hotline.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

describe.skipIf(!HAS_SIPP)('一键转110 from the intake, with the live call', () => {
  it('is refused for a call that is not hers and live, and writes nothing', async () => {
    const before = { orders: await countOf('work_orders'), items: await countOf('linkage_items') };
    const res = await intake({
      ...FIGHT,
      callId: '0193f1c2-0000-7000-8000-000000000001',
      handling: { kind: 'transfer' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('CALL_NOT_FOUND');
    const bad = await intake({ ...FIGHT, callId: 'not-a-call', handling: { kind: 'transfer' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect({ orders: await countOf('work_orders'), items: await countOf('linkage_items') }).toEqual(before);
  });

  it('an ordinary order from the call links the call to the request and leaves it with the call-taker', async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const callerDone = sipp('caller-hangs-up.xml', desks.hotline.sipPort, {
      port: await freeSipPort(),
      service: '12345',
      args: ['-d', '3000'],
    });
    const callId = await talkingCall();
    const res = await intake({
      ...FIGHT,
      content: '来电人反映小区门口路灯不亮，晚上出行不便',
      categoryCode: 'CSGL01',
      callId,
      handling: { kind: 'order' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.call).toMatchObject({ id: callId, moved: false, transferred: false, reason: null, withSeat: true });
    const [c, s] = [await callerDone, await seat];
    expect([c.code, s.code], c.stderr + s.stderr).toEqual([0, 0]);
    // The caller hung up on the call-taker: no transfer, nothing to call back.
    expect(s.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    await desks.hotline.center.settled();
    const legs = (
      await desks.hotline.app.inject({
        url: `/api/requests/${body.workOrder.requestId}/calls`,
        headers: desks.hotline.as('callTaker'),
      })
    ).json();
    expect(legs.calls).toEqual([expect.objectContaining({ id: callId, transferredTo: null, endedBy: 'caller' })]);
    const backs = (
      await desks.hotline.app.inject({ url: '/api/telephony/call-backs', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(backs.map((b: { callId: string }) => b.callId)).not.toContain(callId);
  });

  it('moves the live call to the 110 specialist seat with the linkage item it opens; the legs are on the request', async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const specialist = sipp('specialist-answers.xml', desks.dispatch.sipPort, { port: specialistPort });
    const callerDone = sipp('caller.xml', desks.hotline.sipPort, { port: await freeSipPort(), service: '12345' });
    const callId = await talkingCall();
    const res = await intake({ ...FIGHT, callId, handling: { kind: 'transfer' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.linkage).toMatchObject({ kind: 'emergency' });
    expect(body.call).toEqual({
      id: callId,
      callRef: `cq-12345:${callId}`,
      moved: true,
      transferred: true,
      reason: null,
      withSeat: false,
    });
    const [c, s, z] = [await callerDone, await seat, await specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    // The seat is released by the desk; the caller is re-INVITEd to the 110 seat, who answered.
    expect(s.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    expect(inOrder(c.dialogue, ['recv 200', 'sent ACK', 'recv INVITE', 'sent 200', 'recv ACK', 'recv BYE'])).toBe(true);
    expect(inOrder(z.dialogue, ['recv INVITE', 'sent 180', 'sent 200', 'recv ACK'])).toBe(true);

    // The item names the call it moved (bridge-protocol 1.1), in the row and in the message waiting to go.
    const item = (
      await desks.hotline.db.query<{ opening: Record<string, unknown> }>(
        'SELECT opening FROM linkage_items WHERE item_id = $1',
        [body.linkage.itemId],
      )
    ).rows[0]!;
    expect(item.opening.callRef).toBe(body.call.callRef);
    const sent = (
      await desks.hotline.db.query<{ payload: Record<string, unknown> }>(
        "SELECT envelope->'payload' AS payload FROM bridge_outbox WHERE envelope->>'itemId' = $1",
        [body.linkage.itemId],
      )
    ).rows;
    expect(sent.map((m) => m.payload.callRef)).toEqual([body.call.callRef]);

    // The request's timeline: the call and its legs, moved to 110 with the item.
    await desks.hotline.center.settled();
    const legs = (
      await desks.hotline.app.inject({
        url: `/api/requests/${body.workOrder.requestId}/calls`,
        headers: desks.hotline.as('callTaker'),
      })
    ).json();
    expect(legs.calls).toEqual([
      expect.objectContaining({
        id: callId,
        transferredTo: 'specialist',
        linkageItemId: body.linkage.itemId,
        requestId: body.workOrder.requestId,
      }),
    ]);
    const types = legs.events.map((e: { type: string }) => e.type);
    expect(inOrder(types, ['offered', 'answered', 'transferring', 'transferred', 'ended'])).toBe(true);
    // 110's call names the 12345 call: the item's callRef finds it there.
    await desks.dispatch.center.settled();
    const there = (
      await desks.dispatch.app.inject({
        url: `/api/telephony/calls/by-ref/${encodeURIComponent(body.call.callRef)}`,
        headers: desks.dispatch.as('dispatcher'),
      })
    ).json();
    expect(there.calls).toEqual([expect.objectContaining({ peerCallRef: body.call.callRef, queue: 'specialist' })]);
  });

  it('a caller who hangs up while it is moved: the item still goes to 110, the answer says the call did not, and 漏接回拨 has her', async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const specialist = sipp('specialist-rings.xml', desks.dispatch.sipPort, { port: specialistPort });
    const callerDone = sipp('caller-hangs-up.xml', desks.hotline.sipPort, {
      port: await freeSipPort(),
      service: '12345',
      // long enough for the intake (triage and all) to start moving the call first
      args: ['-d', '3000'],
    });
    const callId = await talkingCall();
    const res = await intake({ ...FIGHT, callId, handling: { kind: 'transfer' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.linkage).toMatchObject({ kind: 'emergency' });
    expect(body.call).toMatchObject({ id: callId, moved: true, transferred: false, withSeat: false });
    expect(body.call.reason).toMatch(/^转接未成功：/);
    const [c, s, z] = [await callerDone, await seat, await specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    await desks.hotline.center.settled();
    const backs = (
      await desks.hotline.app.inject({ url: '/api/telephony/call-backs', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(backs).toContainEqual(
      expect.objectContaining({
        callId,
        caller: '13800000002',
        reason: 'dropped_in_transfer',
        requestId: body.workOrder.requestId,
      }),
    );
    const done = await desks.hotline.app.inject({
      method: 'POST',
      url: `/api/telephony/call-backs/${callId}/done`,
      headers: desks.hotline.as('callTaker'),
      payload: { outcome: 'reached', note: '已回拨，告知110已接报' },
    });
    expect(done.statusCode).toBe(204);
  });

  it('a transfer nobody at 110 answers is given up: the item goes, the call stays with the call-taker', async () => {
    await ready();
    const seat = sipp('seat-answers.xml', desks.hotline.sipPort, { port: seatPort });
    const specialist = sipp('specialist-rings.xml', desks.dispatch.sipPort, { port: specialistPort });
    // the caller stays on past the 5 s the desk lets the 110 seat ring, then hangs up on the call-taker
    const callerDone = sipp('caller-hangs-up.xml', desks.hotline.sipPort, {
      port: await freeSipPort(),
      service: '12345',
      args: ['-d', '7000'],
    });
    const callId = await talkingCall();
    const res = await intake({ ...FIGHT, callId, handling: { kind: 'transfer' } });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.linkage).toMatchObject({ kind: 'emergency' });
    expect(body.call).toMatchObject({ id: callId, moved: true, transferred: false, withSeat: true });
    expect(body.call.reason).toBe('转接未成功：对方5秒内无人接听');
    // She still has the caller.
    const me = (
      await desks.hotline.app.inject({ url: '/api/telephony/me', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(me.call).toMatchObject({ id: callId, phase: 'talking' });
    const [c, s, z] = [await callerDone, await seat, await specialist];
    expect([c.code, s.code, z.code], c.stderr + s.stderr + z.stderr).toEqual([0, 0, 0]);
    expect(z.dialogue).toEqual(['recv INVITE', 'sent 180', 'recv CANCEL', 'sent 200', 'sent 487', 'recv ACK']);
    expect(s.dialogue).toEqual(['recv INVITE', 'sent 180', 'sent 200', 'recv ACK', 'recv BYE', 'sent 200']);
    await desks.hotline.center.settled();
    const legs = (
      await desks.hotline.app.inject({ url: `/api/telephony/calls/${callId}`, headers: desks.hotline.as('supervisor') })
    ).json();
    expect(
      inOrder(
        legs.events.map((e: { type: string }) => e.type),
        ['transferring', 'transfer_failed', 'ended'],
      ),
    ).toBe(true);
    expect(legs.call).toMatchObject({ transferredTo: null, endedBy: 'caller' });
    // Not lost in a transfer: she talked to the caller to the end, so there is nobody to call back.
    const backs = (
      await desks.hotline.app.inject({ url: '/api/telephony/call-backs', headers: desks.hotline.as('callTaker') })
    ).json();
    expect(backs.map((b: { callId: string }) => b.callId)).not.toContain(callId);
  });
});
