import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp, type USERS } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Who = keyof typeof USERS;
const act = (who: Who, id: string, action: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url: `/api/work-orders/${id}/${action}`, headers: t.as(who), payload });
const detail = async (who: Who, id: string) =>
  (await t.app.inject({ url: `/api/work-orders/${id}`, headers: t.as(who) })).json();
const create = async (over: Record<string, unknown> = {}) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder(over),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
};

describe('a work order goes through its whole life over HTTP', () => {
  it('受理 → 派单 → 签收 → 办理 → 延期 → 办结 → 回访不满意 → 重办 → 办结 → 回访 → 归档', async () => {
    const id = await create();
    const steps: [Who, string, object, string][] = [
      ['callTaker', 'assign', { leadUnitId: 'd500103.urban-mgmt', assistUnitIds: ['s500103003'] }, 'assigned'],
      ['chengguan', 'sign', {}, 'signed'],
      ['chengguan', 'start', { note: '已安排执法队员' }, 'in_progress'],
      [
        'chengguan',
        'request-extension',
        { requestedDueAt: '2027-03-01T10:00:00+08:00', reason: '需联合市场监管部门整治' },
        'in_progress',
      ],
      ['supervisor', 'approve-extension', { note: '同意' }, 'in_progress'],
      ['chengguan', 'reply', { reply: '已取缔流动摊贩并设置提示牌。', result: 'resolved' }, 'replied'],
      ['callTaker', 'follow-up', { satisfaction: 'unsatisfied', note: '晚上仍有摊贩' }, 'followed_up'],
      ['callTaker', 'reopen', { note: '回访不满意，重办' }, 'assigned'],
      ['chengguan', 'sign', {}, 'signed'],
      ['chengguan', 'reply', { reply: '增加夜间巡查频次，已无占道。', result: 'resolved' }, 'replied'],
      ['callTaker', 'follow-up', { satisfaction: 'satisfied' }, 'followed_up'],
      ['callTaker', 'archive', {}, 'archived'],
    ];
    for (const [who, action, payload, status] of steps) {
      const res = await act(who, id, action, payload);
      expect(res.statusCode, `${who} ${action}: ${res.body}`).toBe(200);
      expect(res.json().status).toBe(status);
    }
    const d = await detail('supervisor', id);
    expect(d).toMatchObject({
      status: 'archived',
      reopenCount: 1,
      satisfaction: 'satisfied',
      reply: '增加夜间巡查频次，已无占道。',
    });
    expect(d.dueAt).not.toBe('2027-03-01T02:00:00.000Z'); // reopen set a fresh deadline after the approved extension
    expect(d.closedAt).not.toBeNull();
    expect(d.actions.map((a: { action: string }) => a.action)).toEqual([
      'create',
      ...steps.map(([, a]) => a.replace(/-/g, '_')),
    ]);
    const byRole = d.actions.map((a: { actor: { role: string } }) => a.actor.role);
    expect(byRole).toEqual([
      'call_taker',
      'call_taker',
      'department_handler',
      'department_handler',
      'department_handler',
      'supervisor',
      'department_handler',
      'call_taker',
      'call_taker',
      'department_handler',
      'department_handler',
      'call_taker',
      'call_taker',
    ]);
    expect(d.allowedActions).toEqual([]);
  });

  it('退单 with a reason, then 改派 to another unit by the district agency', async () => {
    const id = await create({ leadUnitId: 'd500103.urban-mgmt' });
    const ret = await act('chengguan', id, 'return', {
      reasonCode: 'not_our_duty',
      note: '属物业管理范畴，应由住建部门办理',
    });
    expect(ret.json()).toMatchObject({ status: 'returned' });
    const re = await act('yuzhong', id, 'reassign', { leadUnitId: 'd500103.housing', note: '改派区住房城乡建委' });
    expect(re.statusCode, re.body).toBe(200);
    expect(re.json()).toMatchObject({ status: 'assigned', leadUnitId: 'd500103.housing' });
    // the old unit no longer leads: it may not sign
    const sign = await act('chengguan', id, 'sign');
    expect(sign.statusCode).toBe(403);
    expect(sign.json().code).toBe('OUT_OF_SCOPE');
    expect((await act('housing', id, 'sign')).json().status).toBe('signed');
  });

  it('延期 refused keeps the due time; a second request while one is pending is refused', async () => {
    const id = await create({ leadUnitId: 'd500103.urban-mgmt' });
    await act('chengguan', id, 'sign');
    const due = (await detail('chengguan', id)).dueAt;
    expect(
      (await act('chengguan', id, 'request-extension', { requestedDueAt: '2027-06-01T00:00:00Z', reason: '需要时间' }))
        .statusCode,
    ).toBe(200);
    const again = await act('chengguan', id, 'request-extension', {
      requestedDueAt: '2027-07-01T00:00:00Z',
      reason: '再延',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('WORK_ORDER_EXTENSION_PENDING');
    const refused = await act('yuzhong', id, 'refuse-extension', { note: '理由不充分' });
    expect(refused.statusCode, refused.body).toBe(200);
    expect(refused.json()).toMatchObject({ dueAt: due, pendingExtension: null });
  });

  it('并单 merges a duplicate into an earlier order', async () => {
    const first = await create();
    const dup = await create();
    const res = await act('callTaker', dup, 'merge', { intoWorkOrderId: first, note: '同一摊贩重复来电' });
    expect(res.json()).toMatchObject({ status: 'merged', mergedIntoId: first });
    expect((await act('callTaker', first, 'merge', { intoWorkOrderId: dup })).json().code).toBe(
      'WORK_ORDER_MERGE_INVALID',
    );
    expect(
      (await act('callTaker', first, 'merge', { intoWorkOrderId: '00000000-0000-4000-8000-000000000000' })).json().code,
    ).toBe('WORK_ORDER_NOT_FOUND');
  });

  it('督办 marks an order without changing its status', async () => {
    const id = await create({ leadUnitId: 'd500103.urban-mgmt' });
    const res = await act('supervisor', id, 'supervise', { note: '群众多次来电，请加快办理' });
    expect(res.json()).toMatchObject({ status: 'assigned', supervised: true });
  });

  it('直接答复: a consultation answered at intake', async () => {
    const id = await create({
      orderType: 'consultation',
      categoryCode: 'ZWFW01',
      content: '咨询居住证办理需要哪些材料',
    });
    const res = await act('callTaker', id, 'answer-directly', { reply: '携带身份证和居住登记凭证到派出所办理。' });
    expect(res.json()).toMatchObject({ status: 'replied', reply: '携带身份证和居住登记凭证到派出所办理。' });
  });
});

describe('illegal transitions, scope and roles are refused and change nothing', () => {
  it.each([
    ['sign before assignment', 'chengguan', 'sign', {}, 403, 'OUT_OF_SCOPE'],
    [
      'reply before assignment (call-taker lacks the right)',
      'callTaker',
      'reply',
      { reply: 'x', result: 'resolved' },
      403,
      'FORBIDDEN',
    ],
    [
      'follow-up before reply',
      'callTaker',
      'follow-up',
      { satisfaction: 'satisfied' },
      409,
      'WORK_ORDER_TRANSITION_NOT_ALLOWED',
    ],
    ['archive a fresh order', 'callTaker', 'archive', { note: 'x' }, 409, 'WORK_ORDER_TRANSITION_NOT_ALLOWED'],
    ['reopen a fresh order', 'callTaker', 'reopen', { note: 'x' }, 409, 'WORK_ORDER_TRANSITION_NOT_ALLOWED'],
    ['return without a reason', 'admin', 'return', { note: 'x' }, 400, 'VALIDATION_FAILED'],
    [
      'approve an extension nobody asked for',
      'supervisor',
      'approve-extension',
      {},
      409,
      'WORK_ORDER_TRANSITION_NOT_ALLOWED',
    ],
    ['analyst tries to assign', 'analyst', 'assign', { leadUnitId: 'd500103.urban-mgmt' }, 403, 'FORBIDDEN'],
    ['unknown action', 'callTaker', 'teleport', {}, 404, 'ROUTE_NOT_FOUND'],
  ] as const)('%s', async (_l, who, action, payload, status, code) => {
    const id = await create();
    const before = await rowCounts(t.db);
    const res = await act(who, id, action, payload);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await detail('callTaker', id)).status).toBe('received');
  });

  it('a district agency cannot dispatch to another district', async () => {
    const id = await create({ leadUnitId: 'd500103.urban-mgmt' });
    await act('chengguan', id, 'return', { reasonCode: 'wrong_district', note: '地址在江北区' });
    const res = await act('yuzhong', id, 'reassign', { leadUnitId: 'd500105.urban-mgmt', note: '改派江北' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
  });

  it('a department sees only its own orders; a district only its district', async () => {
    const mine = await create({ leadUnitId: 'd500103.urban-mgmt' });
    const other = await create({ leadUnitId: 'd500103.housing' });
    const jiangbei = await create({ districtCode: '500105', streetCode: undefined, leadUnitId: 'd500105.urban-mgmt' });
    expect((await t.app.inject({ url: `/api/work-orders/${other}`, headers: t.as('chengguan') })).json().code).toBe(
      'OUT_OF_SCOPE',
    );
    expect((await t.app.inject({ url: `/api/work-orders/${mine}`, headers: t.as('chengguan') })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/work-orders/${jiangbei}`, headers: t.as('yuzhong') })).json().code).toBe(
      'OUT_OF_SCOPE',
    );
    expect((await t.app.inject({ url: `/api/work-orders/${jiangbei}`, headers: t.as('jiangbei') })).statusCode).toBe(
      200,
    );
    const list = (await t.app.inject({ url: '/api/work-orders?pageSize=100', headers: t.as('chengguan') })).json();
    expect(list.items.length).toBeGreaterThan(0);
    expect(
      list.items.every(
        (o: { leadUnitId: string; assistUnitIds: string[] }) =>
          o.leadUnitId === 'd500103.urban-mgmt' || o.assistUnitIds.includes('d500103.urban-mgmt'),
      ),
    ).toBe(true);
    const district = (await t.app.inject({ url: '/api/work-orders?pageSize=100', headers: t.as('jiangbei') })).json();
    expect(district.items.map((o: { id: string }) => o.id)).toEqual([jiangbei]);
  });

  it('callers are masked for analysts, and for handlers when the caller asked for confidentiality', async () => {
    const open = await create({ leadUnitId: 'd500103.urban-mgmt' });
    const secret = await create({ leadUnitId: 'd500103.urban-mgmt', confidential: true });
    expect((await detail('analyst', open)).request.caller).toEqual({ name: '张*', phone: '138****5678', masked: true });
    expect((await detail('chengguan', open)).request.caller).toEqual({
      name: '张三',
      phone: '13812345678',
      masked: false,
    });
    expect((await detail('chengguan', secret)).request.caller).toMatchObject({ phone: '138****5678', masked: true });
    expect((await detail('supervisor', secret)).request.caller).toMatchObject({ phone: '13812345678', masked: false });
  });

  it('the action log is append-only in the database itself', async () => {
    const id = await create();
    await expect(
      t.db.query("UPDATE work_order_actions SET action = 'x' WHERE work_order_id = $1", [id]),
    ).rejects.toThrow(/append-only/);
    await expect(t.db.query('DELETE FROM work_order_actions WHERE work_order_id = $1', [id])).rejects.toThrow(
      /append-only/,
    );
  });

  it('two handlers signing at once: exactly one succeeds', async () => {
    const id = await create({ leadUnitId: 'd500103.urban-mgmt' });
    const results = await Promise.all([
      act('chengguan', id, 'sign'),
      act('chengguan', id, 'sign'),
      act('chengguan', id, 'sign'),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const signs = await t.db.query(
      "SELECT count(*)::int AS n FROM work_order_actions WHERE work_order_id = $1 AND action = 'sign'",
      [id],
    );
    expect(signs.rows[0].n).toBe(1);
  });
});

describe('lists: paged, filtered, sorted', () => {
  it('pages and filters', async () => {
    for (let i = 0; i < 5; i++)
      await create({ orderType: 'suggestion', categoryCode: 'JTYS02', content: `建议增设公交站点 ${i}` });
    const page1 = (
      await t.app.inject({ url: '/api/work-orders?orderType=suggestion&pageSize=2&page=1', headers: t.as('callTaker') })
    ).json();
    const page3 = (
      await t.app.inject({ url: '/api/work-orders?orderType=suggestion&pageSize=2&page=3', headers: t.as('callTaker') })
    ).json();
    expect(page1).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(page1.items).toHaveLength(2);
    expect(page3.items).toHaveLength(1);
    const byParent = (
      await t.app.inject({ url: '/api/work-orders?categoryCode=JTYS&pageSize=50', headers: t.as('callTaker') })
    ).json();
    expect(byParent.total).toBe(5);
    const q = (
      await t.app.inject({ url: `/api/work-orders?q=${encodeURIComponent('公交站点 3')}`, headers: t.as('callTaker') })
    ).json();
    expect(q.total).toBe(1);
    const statuses = (
      await t.app.inject({
        url: '/api/work-orders?status=received&status=assigned&sort=dueAt&order=asc&pageSize=100',
        headers: t.as('callTaker'),
      })
    ).json();
    const dues = statuses.items.map((o: { dueAt: string }) => o.dueAt);
    expect(dues).toEqual([...dues].sort());
  });
  it.each([
    ['pageSize over 100', 'pageSize=1000'],
    ['page 0', 'page=0'],
    ['unknown status', 'status=lost'],
    ['unknown parameter', 'colour=red'],
    ['bad date', 'createdFrom=soon'],
  ])('refuses %s', async (_l, qs) => {
    const res = await t.app.inject({ url: `/api/work-orders?${qs}`, headers: t.as('callTaker') });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});
