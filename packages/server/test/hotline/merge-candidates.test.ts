import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const create = async (over: Record<string, unknown>) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; no: string }>();
};
const candidates = (id: string, who: Parameters<TestApp['as']>[0] = 'callTaker') =>
  t.app.inject({ method: 'GET', url: `/api/work-orders/${id}/merge-candidates`, headers: t.as(who) });

describe('并单 candidates from text, place and time', () => {
  it('offers the same matter told on another channel first, not an order far away or about something else', async () => {
    const a = await create({});
    const web = await create({
      channel: 'web',
      content: '解放碑八一路口晚上又有流动摊贩占道摆摊，人行道都堵了，希望城管来管一管',
      address: '八一路口',
      caller: { name: '李四', phone: '13900000000' },
    });
    const otherTopic = await create({ content: '八一路口人行道上有个井盖坏了，晚上很危险', categoryCode: 'CSGL01' });
    const farAway = await create({
      content: '江北区观音桥每天晚上有流动摊贩占道经营，堵塞人行道',
      address: '江北区观音桥步行街',
      districtCode: '500105',
      streetCode: undefined,
    });
    const done = await create({ channel: 'app', content: '八一路口晚上流动摊贩占道经营，堵塞人行道' });
    const merged = await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${done.id}/merge`,
      headers: t.as('callTaker'),
      payload: { intoWorkOrderNo: web.no },
    });
    expect(merged.statusCode, merged.body).toBe(200);

    const res = await candidates(a.id);
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json<
      {
        id: string;
        no: string;
        channel: string;
        similarity: number;
        parts: { text: number; place: number; time: number };
      }[]
    >();
    const ids = list.map((c) => c.id);
    expect(ids[0]).toBe(web.id);
    expect(list[0]).toMatchObject({ no: web.no, channel: 'web', channelLabel: expect.any(String), sameCategory: true });
    expect(list[0]!.parts.place).toBeGreaterThanOrEqual(0.7);
    expect(list[0]!.similarity).toBeGreaterThan(0.4);
    expect(ids).not.toContain(farAway.id);
    expect(ids).not.toContain(done.id); // merged: no longer open
    expect(ids).not.toContain(a.id);
    const other = list.find((c) => c.id === otherTopic.id);
    if (other) expect(other.similarity).toBeLessThan(list[0]!.similarity);
    for (let i = 1; i < list.length; i++) expect(list[i]!.similarity).toBeLessThanOrEqual(list[i - 1]!.similarity);

    expect((await candidates(a.id, 'chengguan')).json().code).toBe('FORBIDDEN');
    expect((await candidates('00000000-0000-4000-8000-000000000000')).json().code).toBe('WORK_ORDER_NOT_FOUND');
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/work-orders/${a.id}/merge-candidates?limit=0`,
          headers: t.as('callTaker'),
        })
      ).json().code,
    ).toBe('VALIDATION_FAILED');
  });
});
