import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';
import { loadSeedCatalogue } from '../../src/triage/triage-engine.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const requestIdOf = async (workOrderId: string) =>
  (await t.db.query('SELECT request_id FROM work_orders WHERE id = $1', [workOrderId])).rows[0].request_id as string;

describe('triage in the product', () => {
  it('the call-taker gets a suggestion with reasons while typing', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/triage',
      headers: t.as('callTaker'),
      payload: { text: '楼下有人打架，有人头破了', channel: '12345' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      route: '110',
      routeLabel: '110报警服务台',
      emergency: true,
      linked: ['120'],
      review: false,
      catalogueVersion: 13,
    });
    expect(res.json().reasons[0]).toContain('危险情形');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/triage',
      headers: t.as('callTaker'),
      payload: { text: '！！！' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe('TRIAGE_TEXT_INVALID');
    expect(
      (
        await t.app.inject({ method: 'POST', url: '/api/triage', headers: t.as('analyst'), payload: { text: '打架' } })
      ).json().code,
    ).toBe('FORBIDDEN');
  });

  it('every request created through intake carries its triage outcome and the catalogue version', async () => {
    const wo = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder(),
      })
    ).json();
    const detail = (await t.app.inject({ url: `/api/work-orders/${wo.id}`, headers: t.as('callTaker') })).json();
    expect(detail.triage).toMatchObject({
      route: '12345',
      emergency: false,
      category: 'CSGL01',
      review: false,
      catalogueVersion: 13,
      decision: null,
    });
    const inc = (
      await t.app.inject({
        method: 'POST',
        url: '/api/incidents',
        headers: t.as('dispatcher'),
        payload: { content: '有辆车挡住了我的车，车上没有留电话', category: 'non_police' },
      })
    ).json();
    const idetail = (await t.app.inject({ url: `/api/incidents/${inc.id}`, headers: t.as('dispatcher') })).json();
    expect(idetail.triage).toMatchObject({ route: 'vehicle_moving', catalogueVersion: 13 });
  });

  it('a request whose text cannot be triaged is still taken (never lose a request)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ content: '？？？' }),
    });
    expect(res.statusCode).toBe(201);
    const rid = await requestIdOf(res.json().id);
    expect((await t.app.inject({ url: `/api/requests/${rid}/triage`, headers: t.as('callTaker') })).json().code).toBe(
      'TRIAGE_NOT_FOUND',
    );
  });

  it('the call-taker accepts or overrides; overrides keep who and why and feed retraining', async () => {
    const wo = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ content: '楼上天天半夜拖椅子，吵得睡不着' }),
      })
    ).json();
    const rid = await requestIdOf(wo.id);
    const accept = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${rid}/triage-decision`,
      headers: t.as('callTaker'),
      payload: { decision: 'accepted' },
    });
    expect(accept.statusCode, accept.body).toBe(200);
    const over = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${rid}/triage-decision`,
      headers: t.as('callTaker'),
      payload: {
        decision: 'overridden',
        route: 'governance_center',
        emergency: false,
        urgent: false,
        reason: '邻里纠纷，交社区综治中心调解',
      },
    });
    expect(over.statusCode, over.body).toBe(200);
    expect(over.json().decision).toMatchObject({
      decision: 'overridden',
      route: 'governance_center',
      reason: '邻里纠纷，交社区综治中心调解',
      decidedByName: '测试ct1',
    });
    expect(over.json().decisions).toHaveLength(2);
    const { listOverridesForTraining } = await import('../../src/triage/catalogue.repo.ts');
    expect(await listOverridesForTraining(t.db)).toEqual([
      { text: '楼上天天半夜拖椅子，吵得睡不着', route: 'governance_center', emergency: false },
    ]);
  });

  it.each([
    [
      'an override without a reason',
      { decision: 'overridden', route: '110', emergency: false, urgent: false },
      400,
      'VALIDATION_FAILED',
    ],
    [
      'an unknown route',
      { decision: 'overridden', route: 'mars', emergency: false, urgent: false, reason: 'x' },
      400,
      'VALIDATION_FAILED',
    ],
    ['an unknown decision', { decision: 'maybe' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s and writes nothing', async (_l, payload, status, code) => {
    const wo = (
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder(),
      })
    ).json();
    const rid = await requestIdOf(wo.id);
    const before = (await t.db.query('SELECT count(*)::int AS n FROM triage_decisions')).rows[0].n;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/requests/${rid}/triage-decision`,
      headers: t.as('callTaker'),
      payload,
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect((await t.db.query('SELECT count(*)::int AS n FROM triage_decisions')).rows[0].n).toBe(before);
  });
});

describe('the jurisdiction catalogue is versioned data', () => {
  it('the shipped versions are seeded, the newest one in effect', async () => {
    const versions = (await t.app.inject({ url: '/api/admin/triage-catalogue', headers: t.as('admin') })).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('an administrator publishes a new version after a 会商; outcomes record the version they used', async () => {
    const { version: _v, ...seed } = loadSeedCatalogue();
    const entries = [
      ...seed.entries,
      {
        code: 'H-DRONE',
        name: '无人机扰民',
        kind: 'boundary',
        route: '12345',
        terms: ['无人机…拍', '放无人机'],
        cues: ['无人机'],
        category: 'QTSX01',
        needsConsultation: true,
        linked: ['110'],
      },
    ];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/triage-catalogue',
      headers: t.as('admin'),
      payload: {
        effectiveFrom: '2026-11-01',
        source: '2026年第四季度12345与110联席会商',
        note: '新增无人机扰民事项',
        entries,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toBe(14);
    const versions = (await t.app.inject({ url: '/api/admin/triage-catalogue', headers: t.as('admin') })).json();
    expect(versions.map((v: { version: number }) => v.version)).toEqual([
      14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1,
    ]);
    // the service reloads on publish
    const s = (
      await t.app.inject({
        method: 'POST',
        url: '/api/triage',
        headers: t.as('callTaker'),
        payload: { text: '楼顶天天有人放无人机，拍我家窗户' },
      })
    ).json();
    expect(s).toMatchObject({ route: '12345', needsConsultation: true, catalogueVersion: 14 });
    expect(s.reasons.join('')).toContain('H-DRONE·清单第14版');
    const v4 = (await t.app.inject({ url: '/api/admin/triage-catalogue/4', headers: t.as('callTaker') })).json();
    expect(v4.entries.some((e: { code: string }) => e.code === 'H-DRONE')).toBe(false);
  });

  it('a version in the first format (regular expressions) is still accepted', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/triage-catalogue',
      headers: t.as('admin'),
      payload: {
        effectiveFrom: '2099-01-01',
        source: '旧格式清单',
        entries: [
          {
            code: 'X-OLD',
            name: 'x',
            kind: 'hotline',
            route: '12345',
            patterns: ['路灯.{0,4}不亮'],
            category: 'CSGL05',
          },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
  });

  it.each([
    [
      'a broken regular expression',
      [{ code: 'X-BAD', name: 'x', kind: 'hotline', route: '12345', patterns: ['(unclosed'], category: 'QTSX01' }],
      422,
      'CATALOGUE_INVALID',
    ],
    [
      'an unknown route',
      [{ code: 'X-BAD', name: 'x', kind: 'hotline', route: '999', patterns: ['x'], category: 'QTSX01' }],
      400,
      'VALIDATION_FAILED',
    ],
    [
      'a pattern that could backtrack catastrophically',
      [{ code: 'X-BAD', name: 'x', kind: 'hotline', route: '12345', patterns: ['(打+)+人'], category: 'QTSX01' }],
      422,
      'CATALOGUE_PATTERN_UNSAFE',
    ],
    [
      'a term of three parts',
      [{ code: 'X-BAD', name: 'x', kind: 'hotline', route: '12345', terms: ['一…二…三'], category: 'QTSX01' }],
      422,
      'CATALOGUE_INVALID',
    ],
    [
      'an entry with both formats’ fields',
      [
        {
          code: 'X-BAD',
          name: 'x',
          kind: 'hotline',
          route: '12345',
          terms: ['x'],
          patterns: ['x'],
          category: 'QTSX01',
        },
      ],
      400,
      'VALIDATION_FAILED',
    ],
    [
      'duplicate codes',
      [
        { code: 'X-A', name: 'x', kind: 'hotline', route: '12345', patterns: ['x'], category: 'Q' },
        { code: 'X-A', name: 'y', kind: 'hotline', route: '12345', patterns: ['y'], category: 'Q' },
      ],
      422,
      'CATALOGUE_INVALID',
    ],
  ])('refuses a version with %s', async (_l, entries, status, code) => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/triage-catalogue',
      headers: t.as('admin'),
      payload: { effectiveFrom: '2026-12-01', source: '测试', entries },
    });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect(await rowCounts(t.db)).toEqual(before);
    expect(
      (await t.db.query('SELECT max(version)::int AS v FROM triage_catalogue_versions')).rows[0].v,
    ).toBeLessThanOrEqual(15);
  });

  it('only administrators publish', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/triage-catalogue',
      headers: t.as('supervisor'),
      payload: {
        effectiveFrom: '2026-12-01',
        source: 'x',
        entries: [{ code: 'X-A', name: 'x', kind: 'hotline', route: '12345', patterns: ['x'], category: 'Q' }],
      },
    });
    expect(res.json().code).toBe('FORBIDDEN');
  });
});
