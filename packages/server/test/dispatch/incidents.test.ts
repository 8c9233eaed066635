import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleIncident, type TestApp, type USERS } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Who = keyof typeof USERS;
const alarm = sampleIncident;
const create = async (over: Record<string, unknown> = {}) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: t.as('dispatcher'),
    payload: alarm(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const act = (who: Who, id: string, action: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/incidents/${id}/${action}`, headers: t.as(who), payload });

describe('dispatcher handles an incident', () => {
  it('接警 → 派警 (派出所) → 到场 → 处置 → 反馈 → 结警', async () => {
    const id = await create();
    for (const [action, payload, status] of [
      ['dispatch', { tier: 'police_station', unitId: 'p500103003.station' }, 'dispatched'],
      ['arrive', {}, 'on_scene'],
      ['handle', {}, 'handling'],
      ['feedback', { disposition: 'mediated', summary: '双方已调解' }, 'feedback_given'],
      ['close', {}, 'closed'],
    ] as const) {
      const res = await act('dispatcher', id, action, payload);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().status).toBe(status);
    }
    const d = (await t.app.inject({ url: `/api/incidents/${id}`, headers: t.as('dispatcher') })).json();
    expect(d).toMatchObject({
      status: 'closed',
      closeKind: 'handled',
      tier: 'police_station',
      tierLabel: '派出所',
      disposition: 'mediated',
      unit: { name: '渝中区解放碑派出所' },
    });
    expect(d.no).toMatch(/^JQ\d{14}$/);
    expect(d.actions.map((a: { action: string }) => a.action)).toEqual([
      'create',
      'dispatch',
      'arrive',
      'handle',
      'feedback',
      'close',
    ]);
    expect(d.dispatchedAt).not.toBeNull();
    expect(d.arrivedAt).not.toBeNull();
  });

  it('a harassing call is recorded as such', async () => {
    const id = await create({ content: '报警人反复拨打辱骂接警员', category: 'public_help' });
    const res = await act('dispatcher', id, 'mark-invalid', { kind: 'harassment', note: '当日第5次' });
    expect(res.json()).toMatchObject({ status: 'closed', closeKind: 'harassment', category: 'invalid' });
  });

  it('a blocking car is diverted to the vehicle-moving service', async () => {
    const id = await create({ content: '报警人称车辆堵住小区出口，联系不上车主', category: 'non_police' });
    const res = await act('dispatcher', id, 'divert', { target: 'vehicle_moving' });
    expect(res.json()).toMatchObject({
      status: 'closed',
      closeKind: 'diverted',
      divertedTo: 'vehicle_moving',
      disposition: 'referred_to_partner_agency',
    });
  });

  it('lists filter by tier and status', async () => {
    const id = await create({ category: 'traffic', content: '两车追尾' });
    await act('dispatcher', id, 'dispatch', { tier: 'specialized_police', unitId: 'p500103.traffic' });
    const list = (
      await t.app.inject({
        url: '/api/incidents?tier=specialized_police&status=dispatched',
        headers: t.as('supervisor'),
      })
    ).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(id);
    expect(list.items.every((i: { tier: string }) => i.tier === 'specialized_police')).toBe(true);
  });
});

describe('bad incident input and illegal moves change nothing', () => {
  it.each([
    ['unknown category', { category: 'alien' }, 400, 'VALIDATION_FAILED'],
    ['priority out of range', { priority: 9 }, 400, 'VALIDATION_FAILED'],
    ['empty content', { content: '' }, 400, 'VALIDATION_FAILED'],
    ['unknown district', { districtCode: '500199', streetCode: undefined }, 422, 'REFERENCE_NOT_FOUND'],
  ] as const)('create with %s', async (_l, over, status, code) => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: t.as('dispatcher'),
      payload: alarm(over),
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it.each([
    [
      'a station unit under the specialised tier',
      'dispatch',
      { tier: 'specialized_police', unitId: 'p500103003.station' },
      422,
      'UNIT_NOT_DISPATCHABLE',
    ],
    [
      'a 12345 department as police',
      'dispatch',
      { tier: 'police_station', unitId: 'd500103.urban-mgmt' },
      422,
      'UNIT_NOT_DISPATCHABLE',
    ],
    [
      'a unit that does not exist',
      'dispatch',
      { tier: 'police_station', unitId: 'p500103999.station' },
      422,
      'REFERENCE_NOT_FOUND',
    ],
    ['arrive before dispatch', 'arrive', {}, 409, 'INCIDENT_TRANSITION_NOT_ALLOWED'],
    ['close before feedback', 'close', {}, 409, 'INCIDENT_TRANSITION_NOT_ALLOWED'],
    [
      'feedback with an unknown disposition',
      'feedback',
      { disposition: 'vanished', summary: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    ['reclassify to the same category', 'reclassify', { category: 'public_order' }, 422, 'INCIDENT_CATEGORY_UNCHANGED'],
  ] as const)('%s', async (_l, action, payload, status, code) => {
    const id = await create();
    const before = await rowCounts(t.db);
    const res = await act('dispatcher', id, action, payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('12345 roles cannot see or act on incidents', async () => {
    const id = await create();
    expect((await t.app.inject({ url: `/api/incidents/${id}`, headers: t.as('chengguan') })).json().code).toBe(
      'FORBIDDEN',
    );
    expect(
      (await act('callTaker', id, 'dispatch', { tier: 'police_station', unitId: 'p500103003.station' })).json().code,
    ).toBe('FORBIDDEN');
    expect(
      (await t.app.inject({ url: `/api/incidents/${id}`, headers: t.as('analyst') })).json().request.caller,
    ).toMatchObject({ masked: true, phone: '139****1111' });
  });
});
