/**
 * The reports beyond the monthly 通报 — 季度会商清单, 年度总结 — on both desks' data, drills (应急演练)
 * left out of every one; each file they export is opened and its figures read back.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { USERS } from '../helpers.ts';
import { makeInprocDesks } from '../analytics/inproc-desks.ts';
import {
  docxText,
  event,
  incident,
  item,
  returned,
  sheets,
  workOrder,
  type Desks,
  type HarassmentAnswer,
} from './fixtures.ts';

let desks: Desks;

beforeAll(async () => {
  desks = await makeInprocDesks();
  const h = desks.hotline.db,
    d = desks.dispatch.db;
  // October 2026: two work orders and a drill; one incident and a drill incident
  await workOrder(h, { at: '2026-10-03T10:00:00+08:00', satisfaction: 'satisfied' });
  const o2 = await workOrder(h, { at: '2026-10-08T10:00:00+08:00' });
  await workOrder(h, { at: '2026-10-09T10:00:00+08:00', exercise: true, content: '应急演练：模拟燃气泄漏' });
  await incident(d, { at: '2026-10-04T10:00:00+08:00' });
  await incident(d, { at: '2026-10-05T10:00:00+08:00', exercise: true });
  // November: one work order returned by its unit, with October's second
  const o3 = await workOrder(h, { at: '2026-11-03T10:00:00+08:00' });
  await returned(h, o2, 'not_our_duty', '2026-10-09T10:00:00+08:00');
  await returned(h, o3, 'not_our_duty', '2026-11-04T10:00:00+08:00');

  // Q4's disputed linkage items: two CSGL03 transfers refused and kept by 12345 after negotiation,
  // a public-order item from 110 refused for missing information, a drill refused (not counted)
  for (const [id, at] of [
    ['cq-12345:Q1', '2026-10-05T10:00:00+08:00'],
    ['cq-12345:Q2', '2026-11-02T10:00:00+08:00'],
  ] as const) {
    await item(desks, { id, from: 'hotline', at, category: 'CSGL03', content: '楼下商铺占道经营，电话13812345678' });
    const t = Date.parse(at);
    const iso = (m: number) => new Date(t + m * 60_000).toISOString();
    await event(desks, id, 'dispatch', 'transfer.reject', { reasonCode: 'not_our_jurisdiction' }, iso(5));
    await event(desks, id, 'hotline', 'negotiation.open', {}, iso(10));
    await event(desks, id, 'hotline', 'negotiation.resolve', { outcome: 'first_receiver_keeps' }, iso(60));
  }
  await item(desks, { id: 'cq-110:Q3', from: 'dispatch', at: '2026-11-10T10:00:00+08:00', category: 'public_order' });
  await event(
    desks,
    'cq-110:Q3',
    'hotline',
    'transfer.reject',
    { reasonCode: 'insufficient_information' },
    '2026-11-10T10:05:00+08:00',
  );
  await item(desks, {
    id: 'cq-12345:DRILL',
    from: 'hotline',
    at: '2026-10-06T10:00:00+08:00',
    category: 'CSGL03',
    exercise: true,
  });
  await event(
    desks,
    'cq-12345:DRILL',
    'dispatch',
    'transfer.reject',
    { reasonCode: 'not_our_jurisdiction' },
    '2026-10-06T10:05:00+08:00',
  );
  await item(desks, { id: 'cq-12345:SEP', from: 'hotline', at: '2026-09-20T10:00:00+08:00', category: 'CSGL03' });
  await event(
    desks,
    'cq-12345:SEP',
    'dispatch',
    'transfer.reject',
    { reasonCode: 'not_our_jurisdiction' },
    '2026-09-20T10:05:00+08:00',
  );

  // January 2027, 110 figures: 渝中 three valid incidents (two by police stations), 江北 two (one);
  // an invalid call, an incident of the invalid category and a drill not counted
  const jan = (day: number, h = 10) => `2027-01-${String(day).padStart(2, '0')}T${h}:00:00+08:00`;
  for (const tier of ['police_station', 'police_station', 'command_center'])
    await incident(d, { at: jan(5), tier, category: 'criminal' });
  for (const tier of ['police_station', 'specialized_police'])
    await incident(d, { at: jan(6), tier, district: '500105', category: 'traffic' });
  await incident(d, { at: jan(6), tier: 'police_station', closeKind: 'invalid', category: 'non_police' });
  await incident(d, { at: jan(7), tier: 'police_station', category: 'invalid' });
  await incident(d, { at: jan(7), tier: 'police_station', exercise: true });
  // 200 calls on the 110 line on 5 January: 3 call-takers needed
  await d.query(
    `INSERT INTO calls (id, call_ref, source, line, offered_at)
     SELECT gen_random_uuid(), 'cq-110:t' || g, 'switch', '110', '2027-01-05T10:00:00+08:00'::timestamptz + g * interval '1 minute'
     FROM generate_series(1, 200) g`,
  );
  // harassment: one number with three harassing calls and an invalid one (it also rang 12345 in January),
  // another with two invalid calls only
  for (const [day, closeKind] of [
    [10, 'harassment'],
    [11, 'harassment'],
    [12, 'invalid'],
    [13, 'harassment'],
  ] as const)
    await incident(d, {
      at: jan(day, 23),
      phone: '13600000001',
      closeKind,
      category: 'non_police',
      content: '来电辱骂接警员',
    });
  for (const day of [14, 15])
    await incident(d, { at: jan(day, 23), phone: '13600000002', closeKind: 'invalid', category: 'non_police' });
  await workOrder(h, { at: jan(20), phone: '13600000001', type: 'consultation' });

  await desks.hotline.app.services.share.pull();
  await desks.dispatch.app.services.share.pull();
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const get = async (desk: 'hotline' | 'dispatch', url: string, who: keyof typeof USERS = 'analyst') =>
  desks[desk].app.inject({ url, headers: await desks[desk].as(who) });
const json = async <T = Record<string, unknown>>(desk: 'hotline' | 'dispatch', url: string) => {
  const res = await get(desk, url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};
type Headline = { headline: { key: string; value: number | null }[] };
const fig = (r: Headline, key: string) => r.headline.find((f) => f.key === key)!.value;

describe('drills (应急演练) count nowhere, and each report says so', () => {
  it('the monthly report leaves out the drill order, the drill incident and the drill item, and counts them', async () => {
    const r = await json<Headline & { exercise: { drills: Record<string, number>; note: string } }>(
      'hotline',
      '/api/reports/monthly?period=2026-10',
    );
    expect(fig(r, 'workOrders')).toBe(2);
    expect(fig(r, 'incidents')).toBe(1);
    expect(fig(r, 'rejections')).toBe(1); // Q1's; the drill's refusal is not one
    expect(r.exercise.drills).toEqual({ workOrders: 1, incidents: 1, linkageItems: 1 });
    expect(r.exercise.note).toContain('不含应急演练数据');
    const doc = await docxText((await get('hotline', '/api/reports/monthly?period=2026-10&format=docx')).rawPayload);
    expect(doc.text).toContain('本报表不含应急演练数据（本期已剔除演练工单1件、演练警情1起、演练对接事项1件）');
  });

  it('the 110 desk sees the 12345 drill through the share feed and leaves it out too', async () => {
    const r = await json<Headline & { exercise: { drills: Record<string, number> } }>(
      'dispatch',
      '/api/reports/monthly?period=2026-10',
    );
    expect(fig(r, 'workOrders')).toBe(2);
    expect(r.exercise.drills).toEqual({ workOrders: 1, incidents: 1, linkageItems: 1 });
  });
});

type Quarterly = {
  totals: Record<string, number>;
  types: {
    type: string;
    label: string;
    items: number;
    rejections: number;
    negotiations: number;
    returns: number;
    bounced: number;
    examples: string[];
    catalogueEntries: { code: string; route: string }[];
    negotiationOutcomes: { code: string; count: number }[];
    proposal: { action: string; text: string } | null;
  }[];
  rejectionsByReason: { code: string; count: number }[];
  negotiationOutcomes: { code: string; count: number }[];
  proposals: { type: string; action: string }[];
  catalogueVersion: { version: number } | null;
  exercise: { drills: Record<string, number> };
};

describe('季度会商清单 (quarterly)', () => {
  it('lists the disputed types of the quarter with counts, examples, the catalogue entry and a proposal', async () => {
    const r = await json<Quarterly>('hotline', '/api/reports/quarterly?period=2026-Q4');
    expect(r.totals).toEqual({
      disputedItems: 3,
      rejections: 3,
      negotiations: 2,
      closureDisputes: 0,
      returns: 2,
      bounced: 2,
    });
    expect(r.types.map((t) => [t.type, t.rejections, t.negotiations, t.returns])).toEqual([
      ['CSGL03', 2, 2, 0],
      ['CSGL01', 0, 0, 2],
      ['public_order', 1, 0, 0],
    ]);
    const shop = r.types[0]!;
    expect(shop).toMatchObject({
      items: 2,
      bounced: 2,
      negotiationOutcomes: [{ code: 'first_receiver_keeps', count: 2 }],
    });
    expect(shop.examples[0]).toBe('楼下商铺占道经营，电话[电话]');
    expect(shop.proposal).toMatchObject({ action: 'change_route' });
    expect(shop.proposal!.text).toContain('协商2次中2次由首接方负责');
    expect(r.types[1]!.proposal).toMatchObject({ action: 'review_lead_unit' });
    expect(r.types[2]!.proposal).toBeNull();
    expect(r.rejectionsByReason).toEqual([
      { code: 'not_our_jurisdiction', label: '不属于本平台职责', count: 2 },
      { code: 'insufficient_information', label: '信息不全', count: 1 },
    ]);
    expect(r.proposals.map((p) => p.type)).toEqual(['CSGL03', 'CSGL01']);
    // the current catalogue's entries for the type: the seeded catalogue sends public-order matters to 110
    expect(r.catalogueVersion).not.toBeNull();
    expect(r.types[2]!.catalogueEntries.length).toBeGreaterThan(0);
    expect(r.types[2]!.catalogueEntries.every((e) => e.route === '110')).toBe(true);
    expect(r.exercise.drills.linkageItems).toBe(1);
  });

  it('takes a month and a range of days as well', async () => {
    const oct = await json<Quarterly>('hotline', '/api/reports/quarterly?period=2026-10');
    expect(oct.totals.rejections).toBe(1);
    const range = await json<Quarterly>('hotline', '/api/reports/quarterly?period=2026-09-01..2026-10-31');
    expect(range.totals.rejections).toBe(2);
  });

  it('exports the .xlsx and the .docx with the agenda', async () => {
    const x = await sheets((await get('hotline', '/api/reports/quarterly?period=2026-Q4&format=xlsx')).rawPayload);
    expect([...x.keys()]).toEqual(['拒收原因', '协商结果', '争议事项']);
    const rows = x.get('争议事项')!;
    expect(rows[2]!.slice(0, 7)).toEqual(['事项类型', '事项', '拒收', '协商', '闭环异议', '退单', '往返']);
    expect(rows[3]!.slice(1, 7)).toEqual([2, 2, 2, 0, 0, 2]);
    const res = await get('hotline', '/api/reports/quarterly?period=2026-Q4&format=docx');
    expect(res.headers['content-disposition']).toBe('attachment; filename="quarterly-2026-Q4.docx"');
    const doc = await docxText(res.rawPayload);
    expect(doc.text).toContain('季度会商清单');
    expect(doc.text).toContain('联动会〔2026〕4号');
    expect(doc.text).toContain('存在争议的对接事项3件：拒收3次，发起协商2次');
    expect(doc.text).toContain('三、目录调整建议');
    expect(doc.text).toContain('协商2次中2次由首接方负责');
    expect(doc.tables).toBe(3);
  });
});

type Annual = Headline & {
  months: { key: string; values: Record<string, number | null> }[];
  exercise: { drills: Record<string, number> };
};

describe('年度总结 (annual)', () => {
  it('sums the year and gives each month as that month’s report counts it', async () => {
    const r = await json<Annual>('hotline', '/api/reports/annual?period=2026');
    expect(r.months.map((m) => m.key)).toEqual(
      Array.from({ length: 12 }, (_x, i) => `2026-${String(i + 1).padStart(2, '0')}`),
    );
    expect(fig(r, 'workOrders')).toBe(3);
    expect(fig(r, 'rejections')).toBe(4);
    for (const key of ['2026-09', '2026-10', '2026-11']) {
      const m = await json<Headline>('hotline', `/api/reports/monthly?period=${key}`);
      const row = r.months.find((x) => x.key === key)!;
      for (const f of m.headline) expect(row.values[f.key], `${key} ${f.key}`).toEqual(f.value);
    }
    expect(r.exercise.drills).toEqual({ workOrders: 1, incidents: 1, linkageItems: 1 });
  });

  it('a quarter has its three months; the .xlsx has them as rows and the .docx the 总结', async () => {
    const q = await json<Annual>('hotline', '/api/reports/annual?period=2026-Q4');
    expect(q.months.map((m) => m.key)).toEqual(['2026-10', '2026-11', '2026-12']);
    const x = await sheets((await get('hotline', '/api/reports/annual?period=2026&format=xlsx')).rawPayload);
    const months = x.get('逐月')!;
    expect(months[2]![0]).toBe('月份');
    expect(months.slice(3).map((row) => row[1])).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0]);
    const doc = await docxText((await get('hotline', '/api/reports/annual?period=2026&format=docx')).rawPayload);
    expect(doc.text).toContain('年度工作总结');
    expect(doc.text).toContain('联动总〔2026〕1号');
    expect(doc.text).toContain('12345工单3');
    expect(doc.text).toContain('不含应急演练数据');
  });
});

type Police = {
  valid: number;
  stationShare: number;
  tiers: { tier: string; count: number }[];
  districts: { code: string; valid: number; stationShare: number; meetsTarget: boolean }[];
  districtsOverTarget: string[];
  staffing: {
    days: { day: string; inboundCalls: number; required: number; onDuty: number | null; met: boolean | null }[];
    daysShort: string[];
  } | null;
};

describe('110 figures (任务9: police-figures)', () => {
  it('gives each district’s share handled by police stations against the 50 % target, and the tiers', async () => {
    const r = await json<Police>('dispatch', '/api/reports/police-figures?period=2027-01');
    expect(r.valid).toBe(5);
    expect(r.stationShare).toBe(0.6);
    expect(r.tiers.map((t) => [t.tier, t.count])).toEqual([
      ['command_center', 1],
      ['specialized_police', 1],
      ['police_station', 3],
      ['unassigned', 0],
    ]);
    expect(r.districts.map((x) => [x.code, x.valid, x.stationShare, x.meetsTarget])).toEqual([
      ['500103', 3, 0.6667, false],
      ['500105', 2, 0.5, true],
    ]);
    expect(r.districtsOverTarget).toEqual(['渝中区']);
    // the 12345 desk counts the same incidents through the share feed, and has no call records
    const h = await json<Police>('hotline', '/api/reports/police-figures?period=2027-01');
    expect(h.districts).toEqual(r.districts);
    expect(h.staffing).toBeNull();
  });

  it('sets the call-takers an administrator entered against 1.5 % of each day’s inbound calls', async () => {
    const put = (who: keyof typeof USERS, days: unknown) =>
      desks.dispatch.as(who).then((headers) =>
        desks.dispatch.app.inject({
          method: 'PUT',
          url: '/api/reports/police-figures/staffing',
          headers,
          payload: { days },
        }),
      );
    expect((await put('analyst', [{ day: '2027-01-05', callTakers: 2 }])).json().code).toBe('FORBIDDEN');
    expect((await put('admin', [{ day: '2027-02-30', callTakers: 2 }])).json().code).toBe('VALIDATION_FAILED');
    expect((await put('admin', [{ day: '2027-01-05', callTakers: -1 }])).json().code).toBe('VALIDATION_FAILED');
    const ok = await put('admin', [
      { day: '2027-01-05', callTakers: 2 },
      { day: '2027-01-06', callTakers: 5 },
    ]);
    expect(ok.json()).toEqual({ days: 2 });
    const r = await json<Police>('dispatch', '/api/reports/police-figures?period=2027-01-05..2027-01-07');
    expect(r.staffing!.days).toEqual([
      { day: '2027-01-05', inboundCalls: 200, required: 3, onDuty: 2, met: false },
      { day: '2027-01-06', inboundCalls: 0, required: 0, onDuty: 5, met: true },
      { day: '2027-01-07', inboundCalls: 0, required: 0, onDuty: null, met: null },
    ]);
    expect(r.staffing!.daysShort).toEqual(['2027-01-05']);
    const x = await sheets(
      (await get('dispatch', '/api/reports/police-figures?period=2027-01&format=xlsx')).rawPayload,
    );
    expect(x.get('各区县')![3]).toEqual(['渝中区', 3, 1, 0, 2, 0, 0.6667, '未达标']);
    expect(x.get('接警员')![7]).toEqual(['2027-01-05', 200, 3, 2, '未达标']);
    const doc = await docxText(
      (await get('dispatch', '/api/reports/police-figures?period=2027-01&format=docx')).rawPayload,
    );
    expect(doc.text).toContain('有效警情5起');
    expect(doc.text).toContain('派出所处警占比60.0%（目标不高于50.0%）');
    expect(doc.text).toContain('派出所处警占比高于目标的区县：渝中区');
  });
});

type Harass = HarassmentAnswer;

describe('恶意骚扰 (harassment) and the watch list', () => {
  it('lists the numbers with repeated invalid or harassing calls, on the 110 desk and, by callerKey, on 12345', async () => {
    const d = await json<Harass>('dispatch', '/api/reports/harassment?period=2027-01');
    expect(d.total).toBe(6); // the invalid call of 6 January has no number
    expect(d.numbers).toHaveLength(1);
    expect(d.numbers[0]).toMatchObject({
      number: '136****0001',
      calls: 4,
      harassment: 3,
      invalid: 1,
      ownCalls: 4,
      peerCalls: 0,
      confirmable: true,
    });
    expect(d.numbers[0]!.history).toHaveLength(4);
    const h = await json<Harass>('hotline', '/api/reports/harassment?period=2027-01');
    expect(h.numbers).toHaveLength(1);
    expect(h.numbers[0]).toMatchObject({ number: '136****0001', calls: 4, peerCalls: 4, confirmable: true });
    expect(JSON.stringify(h)).not.toContain('13600000001');
  });

  it('a supervisor confirms the number onto the watch list, which the seats’ caller panel then shows', async () => {
    const h = await json<Harass>('hotline', '/api/reports/harassment?period=2027-01');
    const ref = h.numbers[0]!.callerRef!;
    const post = async (who: keyof typeof USERS, payload: object) =>
      desks.hotline.app.inject({
        method: 'POST',
        url: '/api/reports/harassment/watch',
        headers: await desks.hotline.as(who),
        payload,
      });
    const body = { callerRef: ref, note: '多次辱骂接警员', period: '2027-01', calls: 4 };
    expect((await post('analyst', body)).json().code).toBe('FORBIDDEN');
    expect((await post('supervisor', { ...body, period: '2027-13' })).json().code).toBe('REPORT_PERIOD_INVALID');
    expect((await post('supervisor', { ...body, callerRef: '00000000-0000-4000-8000-000000000000' })).json().code).toBe(
      'CALLER_NOT_FOUND',
    );
    const ok = await post('supervisor', body);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ number: '136****0001' });
    expect((await post('supervisor', body)).json().code).toBe('ALREADY_EXISTS');
    const again = await json<Harass>('hotline', '/api/reports/harassment?period=2027-01');
    expect(again.numbers[0]!.onWatchList).toBe(true);
    const panel = await desks.hotline.app.inject({
      url: '/api/telephony/callers/13600000001',
      headers: await desks.hotline.as('callTaker'),
    });
    expect(panel.json()).toMatchObject({
      watchListAvailable: true,
      marks: [{ kind: 'harassment', label: '恶意骚扰关注号码：多次辱骂接警员' }],
    });
    const list = await json<{ id: string; number: string }[]>('hotline', '/api/reports/harassment/watch');
    expect(list).toEqual([expect.objectContaining({ number: '136****0001', note: '多次辱骂接警员', calls: 4 })]);
    const del = async (id: string) =>
      desks.hotline.app.inject({
        method: 'DELETE',
        url: `/api/reports/harassment/watch/${id}`,
        headers: await desks.hotline.as('supervisor'),
      });
    expect((await del(list[0]!.id)).statusCode).toBe(204);
    expect((await del(list[0]!.id)).json().code).toBe('WATCH_ENTRY_NOT_FOUND');
    const after = await desks.hotline.app.inject({
      url: '/api/telephony/callers/13600000001',
      headers: await desks.hotline.as('callTaker'),
    });
    expect(after.json().marks).toEqual([]);
  });

  it('exports the list without the numbers in full', async () => {
    const x = await sheets((await get('dispatch', '/api/reports/harassment?period=2027-01&format=xlsx')).rawPayload);
    expect(x.get('重复号码')![3]!.slice(0, 6)).toEqual(['136****0001', 4, 3, 1, 4, 0]);
    const doc = await docxText(
      (await get('dispatch', '/api/reports/harassment?period=2027-01&format=docx')).rawPayload,
    );
    expect(doc.text).toContain('有来电号码的无效及骚扰报警6起；3次以上的号码1个');
    expect(doc.text).not.toContain('13600000001');
  });
});

describe('every report: the roles, a bad period, the command line', () => {
  it('refuses a bad period with its code, and the roles that do not analyse', async () => {
    for (const name of ['quarterly', 'annual', 'weekly-faq', 'hotspots', 'police-figures', 'harassment']) {
      const bad = await get('hotline', `/api/reports/${name}?period=2026-Q5`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toMatchObject({ code: 'REPORT_PERIOD_INVALID' });
      expect((await get('hotline', `/api/reports/${name}?period=2026-Q4`, 'callTaker')).json().code).toBe('FORBIDDEN');
      expect((await get('hotline', `/api/reports/${name}?period=2026-Q4`, 'supervisor')).statusCode).toBe(200);
    }
  });

  it('`liandong report quarterly --format docx --out FILE` writes the same report', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'liandong-reports-'));
    const bin = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
    const run = promisify(execFile);
    const env = { ...process.env, LIANDONG_DESK: 'hotline' };
    try {
      const out = path.join(dir, 'q.docx');
      await run(
        process.execPath,
        [
          bin,
          'report',
          'quarterly',
          '--period',
          '2026-Q4',
          '--format',
          'docx',
          '--out',
          out,
          '--url',
          desks.hotline.url,
        ],
        { env },
      );
      expect((await docxText(await readFile(out))).text).toContain('存在争议的对接事项3件');
      const bad = await run(process.execPath, [bin, 'report', 'nonesuch', '--period', '2026-Q4'], { env }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('没有该报表：nonesuch') });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
