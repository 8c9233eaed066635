import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const divert = async (content: string, target: string) => {
  const inc = await t.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: t.as('dispatcher'),
    payload: { content, category: 'non_police', districtCode: '500103' },
  });
  expect(inc.statusCode, inc.body).toBe(201);
  return t.app.inject({
    method: 'POST',
    url: `/api/incidents/${inc.json().id}/divert`,
    headers: t.as('dispatcher'),
    payload: { target, note: '非警务事项' },
  });
};

describe('dispatcher diverts a non-police matter in one action', () => {
  it('to the vehicle-moving service: the incident is closed as diverted and the linkage item is opened in the same step', async () => {
    const put = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/connectors/vehicle-moving',
      headers: t.as('admin'),
      payload: {
        name: '重庆市挪车服务平台',
        kind: 'vehicle_moving',
        endpointUrl: 'http://127.0.0.1:9',
        keyId: 'd2v',
        key: 'k'.repeat(32),
        inboundKeyId: 'v2d',
        inboundKey: 'v'.repeat(32),
      },
    });
    expect(put.statusCode, put.body).toBe(200);
    const res = await divert('报警人称小区门口有车堵住出口，联系不上车主', 'vehicle_moving');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'closed',
      closeKind: 'diverted',
      divertedTo: 'vehicle_moving',
      linkage: { kind: 'diversion', peer: 'vehicle-moving', status: 'requested', side: 'originator' },
    });
    const outbox = await t.db.query('SELECT type, status FROM bridge_outbox WHERE item_id = $1', [
      res.json().linkage.itemId,
    ]);
    expect(outbox.rows).toEqual([{ type: 'transfer.request', status: 'pending' }]);
  });

  it('with no connector for the target, the diversion is recorded and nothing is sent', async () => {
    const res = await divert('邻里之间因为噪音吵起来了，没有动手', 'governance_center');
    expect(res.json()).toMatchObject({ status: 'closed', divertedTo: 'governance_center', linkage: null });
  });
});

describe('seats see which partner lines they can transfer to', () => {
  it('lists active connectors by name and kind, without endpoints or keys, to seats and not to handlers', async () => {
    const res = await t.app.inject({ url: '/api/linkage/targets', headers: t.as('callTaker') });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual([{ id: 'vehicle-moving', name: '重庆市挪车服务平台', kind: 'vehicle_moving' }]);
    expect((await t.app.inject({ url: '/api/linkage/targets', headers: t.as('chengguan') })).json().code).toBe(
      'FORBIDDEN',
    );
  });
});

describe('supervisors see linkage items about to be overdue', () => {
  it('lists items awaiting acceptance whose accept-by time falls within the next N minutes', async () => {
    // The diversion to the vehicle-moving connector above awaits acceptance, due in 10 minutes.
    const soon = (await t.app.inject({ url: '/api/linkage/items?dueWithin=15', headers: t.as('supervisor') })).json();
    expect(soon.items.map((i: { peer: string; status: string }) => [i.peer, i.status])).toEqual([
      ['vehicle-moving', 'requested'],
    ]);
    expect(
      (await t.app.inject({ url: '/api/linkage/items?dueWithin=5', headers: t.as('supervisor') })).json().total,
    ).toBe(0);
    expect(
      (await t.app.inject({ url: '/api/linkage/items?dueWithin=0', headers: t.as('supervisor') })).json().code,
    ).toBe('VALIDATION_FAILED');
  });
});
