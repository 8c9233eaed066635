import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp, type USERS } from '../helpers.ts';

let t: TestApp;
type Who = keyof typeof USERS;
const act = (who: Who, id: string, action: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/work-orders/${id}/${action}`, headers: t.as(who), payload });
const ok = async (who: Who, id: string, action: string, payload: object = {}) => {
  const res = await act(who, id, action, payload);
  expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  return res.json();
};
/** An order answered by 城管 (已办结), waiting for its call back. */
const replied = async () => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder(),
  });
  const id = res.json().id as string;
  await ok('callTaker', id, 'assign', { leadUnitId: 'd500103.urban-mgmt' });
  await ok('chengguan', id, 'sign');
  await ok('chengguan', id, 'reply', { reply: '已取缔流动摊贩。', result: 'resolved' });
  return id;
};
const summary = (who: Who) =>
  t.app.inject({
    url: `/api/work-orders/follow-up/summary?from=${encodeURIComponent(new Date(Date.now() - 3600_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 3600_000).toISOString())}`,
    headers: t.as(who),
  });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('回访: the centre calls back replied orders and reviews the unsatisfied ones', () => {
  let a: string, b: string, c: string;
  beforeAll(async () => {
    [a, b, c] = [await replied(), await replied(), await replied()];
  });

  it('the queue of orders to call back is the replied ones, oldest reply first', async () => {
    const q = (
      await t.app.inject({
        url: '/api/work-orders?status=replied&sort=updatedAt&order=asc',
        headers: t.as('callTaker'),
      })
    ).json();
    expect(q.items.map((o: { id: string }) => o.id)).toEqual([a, b, c]);
    expect((await summary('callTaker')).json()).toMatchObject({
      awaitingFollowUp: 3,
      followedUp: 0,
      satisfactionRate: null,
    });
  });

  it('the survey is recorded with the follow-up; 不满意 without a reason is refused and changes nothing', async () => {
    await ok('callTaker', a, 'follow-up', { satisfaction: 'satisfied', contacted: true, resolved: true });
    const before = await rowCounts(t.db);
    const refused = await act('callTaker', b, 'follow-up', { satisfaction: 'unsatisfied', contacted: false });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('不满意的原因'),
    });
    expect(await rowCounts(t.db)).toEqual(before);
    const bad = await act('callTaker', b, 'follow-up', { satisfaction: 'satisfied', contacted: 'yes' });
    expect(bad.statusCode).toBe(400);
    await ok('callTaker', b, 'follow-up', {
      satisfaction: 'unsatisfied',
      note: '晚上摊贩又回来了',
      contacted: false,
      resolved: false,
    });
    const d = (await t.app.inject({ url: `/api/work-orders/${b}`, headers: t.as('callTaker') })).json();
    expect(d.actions.at(-1)).toMatchObject({
      action: 'follow_up',
      details: { satisfaction: 'unsatisfied', note: '晚上摊贩又回来了', contacted: false, resolved: false },
    });
  });

  it('the unsatisfied order waits for review; the reviewer sends it back (重办) with a reason', async () => {
    const toReview = (
      await t.app.inject({
        url: '/api/work-orders?status=followed_up&satisfaction=unsatisfied',
        headers: t.as('callTaker'),
      })
    ).json();
    expect(toReview.items.map((o: { id: string }) => o.id)).toEqual([b]);
    expect((await summary('callTaker')).json()).toMatchObject({ awaitingFollowUp: 1, awaitingReview: 1 });
    const back = await ok('callTaker', b, 'reopen', { note: '审核：来电人反映属实，退回城管重办' });
    expect(back).toMatchObject({ status: 'assigned', reopenCount: 1, satisfaction: null });
  });

  it('the satisfaction rate counts every call back in the period', async () => {
    await ok('callTaker', c, 'follow-up', { satisfaction: 'basically_satisfied', contacted: true, resolved: true });
    const s = (await summary('supervisor')).json();
    expect(s).toMatchObject({
      followedUp: 3,
      satisfied: 1,
      basicallySatisfied: 1,
      unsatisfied: 1,
      satisfactionRate: 66.7,
      resolvedRate: 66.7,
      contactedRate: 66.7,
      reopened: 1,
      awaitingFollowUp: 0,
      awaitingReview: 0,
    });
  });

  it('a handler cannot read the figures; a period that ends before it starts is refused', async () => {
    expect((await summary('chengguan')).json()).toMatchObject({ code: 'FORBIDDEN' });
    const res = await t.app.inject({
      url: '/api/work-orders/follow-up/summary?from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z',
      headers: t.as('callTaker'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: '统计区间的开始须早于结束' });
  });
});
