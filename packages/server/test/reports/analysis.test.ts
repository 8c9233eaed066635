/**
 * The joint analysis reports: 每周高频咨询 (weekly-faq: jieba + TF-IDF clusters with counts and trend) and
 * 热点、风险隐患 (hotspots: place and topic clusters, spikes against their own baseline, repeat-dispute
 * risk by placeKey, callerKey and street across 12345 complaints and 110 dispute calls).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { USERS } from '../helpers.ts';
import { makeInprocDesks } from '../analytics/inproc-desks.ts';
import { docxText, incident, sheets, workOrder, type Desks } from './fixtures.ts';

let desks: Desks;
const DAY = 86_400_000;

beforeAll(async () => {
  desks = await makeInprocDesks();
  const h = desks.hotline.db,
    d = desks.dispatch.db;
  const faq = (at: string, content: string, exercise = false) =>
    workOrder(h, { at, content, type: 'consultation', category: 'ZFJS01', exercise });
  // ISO week 48 of 2026 is 23–29 November; week 47 is 16–22 November
  await faq('2026-11-23T09:00:00+08:00', '请问社保卡丢了怎么补办');
  await faq('2026-11-24T09:00:00+08:00', '社保卡补办需要带什么材料');
  await faq('2026-11-24T15:00:00+08:00', '社保卡补办在哪里办理');
  await faq('2026-11-26T09:00:00+08:00', '我想补办社保卡，电话13900001111');
  await faq('2026-11-25T09:00:00+08:00', '社保卡补办演练', true);
  await faq('2026-11-23T11:00:00+08:00', '公积金提取需要什么条件');
  await faq('2026-11-25T11:00:00+08:00', '公积金怎么提取出来');
  await faq('2026-11-27T11:00:00+08:00', '公积金提取多久到账');
  await faq('2026-11-28T11:00:00+08:00', '小区垃圾清运时间');
  await faq('2026-11-17T09:00:00+08:00', '社保卡补办流程');
  await faq('2026-11-17T11:00:00+08:00', '公积金提取的条件');
  await faq('2026-11-18T11:00:00+08:00', '怎么提取公积金');
  await faq('2026-11-19T11:00:00+08:00', '公积金提取到账时间');

  // December 2026 (31 days): 解放碑街道 has nine complaints and two dispute calls, none before;
  // 七星岗街道 has its usual two a window
  const JFB = '500103003',
    QXG = '500103001';
  for (let i = 1; i <= 6; i++)
    await workOrder(h, {
      at: `2026-12-${String(i + 2).padStart(2, '0')}T10:00:00+08:00`,
      street: JFB,
      address: `渝中区解放碑八一路${i}号`,
      content: '夜间施工噪音扰民',
    });
  await workOrder(h, {
    at: '2026-12-10T10:00:00+08:00',
    street: JFB,
    address: '渝中区解放碑民族路88号',
    phone: '13811112222',
    content: '楼上邻居漏水多次协商未果，邻居张伟拒不维修',
  });
  await workOrder(h, {
    at: '2026-12-20T10:00:00+08:00',
    street: JFB,
    address: '渝中区解放碑民族路88号',
    phone: '13811112222',
    content: '漏水问题仍未解决',
  });
  await workOrder(h, {
    at: '2026-12-12T10:00:00+08:00',
    street: JFB,
    address: '渝中区五一路3号',
    phone: '13955556666',
    content: '商户占道经营',
  });
  await incident(d, {
    at: '2026-12-21T20:00:00+08:00',
    street: JFB,
    address: '重庆市渝中区解放碑 民族路88号',
    phone: '13700000001',
    content: '楼上楼下因漏水发生争吵',
  });
  await incident(d, {
    at: '2026-12-25T20:00:00+08:00',
    street: JFB,
    address: '渝中区五一路5号',
    phone: '+86 139 5555 6666',
    content: '与商户发生纠纷',
  });
  const dec1 = Date.parse('2026-12-01T00:00:00+08:00');
  const len = 31 * DAY;
  for (let k = 0; k <= 8; k++)
    for (const j of [0, 1]) {
      const at = new Date(dec1 - (8 - k) * len + 5 * DAY + j * 3_600_000).toISOString();
      await workOrder(h, { at, street: QXG, category: 'CSGL02', type: 'help', address: `七星岗${k}-${j}` });
    }
  await desks.hotline.app.services.share.pull();
  await desks.dispatch.app.services.share.pull();
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const get = async (desk: 'hotline' | 'dispatch', url: string, who: keyof typeof USERS = 'analyst') =>
  desks[desk].app.inject({ url, headers: await desks[desk].as(who) });
const json = async <T>(desk: 'hotline' | 'dispatch', url: string) => {
  const res = await get(desk, url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<T>();
};

type Faq = {
  total: number;
  previousTotal: number;
  clusters: {
    key: string;
    label: string;
    terms: string[];
    count: number;
    previous: number;
    trend: string;
    examples: string[];
    daily: { day: string; count: number }[];
    categoryCode: string | null;
  }[];
  exercise: { drills: { workOrders: number } };
};

describe('每周高频咨询 (weekly-faq)', () => {
  it('clusters the week’s consultations by topic, named by their top terms, with counts and trend', async () => {
    const r = await json<Faq>('hotline', '/api/reports/weekly-faq?period=2026-W48');
    expect(r.total).toBe(8);
    expect(r.previousTotal).toBe(4);
    expect(r.exercise.drills.workOrders).toBe(1);
    const [social, fund, ...rest] = r.clusters;
    expect(rest).toEqual([]); // 垃圾清运 once: not high-frequency
    expect(social).toMatchObject({ key: '2026-W48:1', count: 4, previous: 1, trend: 'up', categoryCode: 'ZFJS01' });
    expect(social!.terms).toContain('社保卡');
    expect(social!.label).toContain('社保卡');
    expect(fund).toMatchObject({ count: 3, previous: 3, trend: 'flat' });
    expect(fund!.terms).toContain('公积金');
    expect(social!.daily.map((x) => x.count)).toEqual([1, 2, 0, 1, 0, 0, 0]);
    expect(social!.examples.join('')).not.toContain('13900001111');
  });

  it('the 110 desk clusters the same consultations from the share feed', async () => {
    const r = await json<Faq>('dispatch', '/api/reports/weekly-faq?period=2026-W48');
    expect(r.clusters.map((c) => [c.count, c.previous])).toEqual([
      [4, 1],
      [3, 3],
    ]);
  });

  it('exports the clusters to .xlsx and .docx', async () => {
    const x = await sheets((await get('hotline', '/api/reports/weekly-faq?period=2026-W48&format=xlsx')).rawPayload);
    const rows = x.get('高频咨询')!;
    expect(rows[3]!.slice(1, 5)).toEqual([4, 0.5, 1, 3]);
    const doc = await docxText(
      (await get('hotline', '/api/reports/weekly-faq?period=2026-W48&format=docx')).rawPayload,
    );
    expect(doc.text).toContain('受理咨询类诉求8件（上期4件），归入2个高频主题的7件');
    expect(doc.text).toMatch(/1\. “[^”]*社保卡[^”]*”4件（上期1件，上升）/);
  });
});

type Hot = {
  places: { key: string; count: number; workOrders: number; incidents: number }[];
  spikes: { dimension: string; key: string; label: string; count: number; baselineMean: number; why: string }[];
  clusters: { place: string; topic: string; count: number }[];
  repeatRisks: {
    dimension: string;
    label: string;
    complaints: number;
    disputes: number;
    bothDesks: boolean;
    why: string;
    examples: string[];
  }[];
};

describe('热点与风险预警 (hotspots)', () => {
  it('finds the places and topics of both desks, and the spike of a place against its own baseline', async () => {
    const r = await json<Hot>('hotline', '/api/reports/hotspots?period=2026-12');
    expect(r.places[0]).toMatchObject({ key: '500103003', count: 11, workOrders: 9, incidents: 2 });
    expect(r.places[1]).toMatchObject({ key: '500103001', count: 2 });
    const jfb = r.spikes.find((s) => s.dimension === 'place' && s.key === '500103003')!;
    expect(jfb).toMatchObject({ label: '渝中区解放碑街道', count: 11, baselineMean: 0 });
    expect(jfb.why).toContain('本期11件，前8个等长周期平均0件');
    expect(jfb.why).toContain('此前无记录');
    // 七星岗 has its usual two: no spike; nor has its topic
    expect(r.spikes.some((s) => s.key === '500103001' || s.key === 'CSGL02')).toBe(false);
    expect(r.spikes.find((s) => s.dimension === 'topic' && s.key === 'CSGL01')).toMatchObject({ count: 9 });
    expect(r.clusters[0]).toMatchObject({ place: '500103003', topic: 'CSGL01', count: 9 });
  });

  it('lists repeat-dispute risk: one address and one caller in a 12345 complaint and a 110 dispute call', async () => {
    const r = await json<Hot>('hotline', '/api/reports/hotspots?period=2026-12');
    const place = r.repeatRisks.find((x) => x.dimension === 'place')!;
    expect(place).toMatchObject({ label: '渝中区解放碑民族路88号', complaints: 2, disputes: 1, bothDesks: true });
    expect(place.why).toBe('2件12345投诉、1起110纠纷类警情来自同一地址');
    expect(place.examples[0]).toContain('邻居张某');
    const caller = r.repeatRisks.find((x) => x.dimension === 'caller')!;
    expect(caller).toMatchObject({ label: '来电人 139****6666', complaints: 1, disputes: 1 });
    const street = r.repeatRisks.find((x) => x.dimension === 'street')!;
    expect(street).toMatchObject({ complaints: 9, disputes: 2 });
    expect(r.repeatRisks.filter((x) => x.dimension !== 'street')).toHaveLength(2);
    // the 110 desk matches the same, its own address and the 12345 records through their pseudonyms
    const d = await json<Hot>('dispatch', '/api/reports/hotspots?period=2026-12');
    expect(d.repeatRisks.find((x) => x.dimension === 'place')).toMatchObject({
      label: '重庆市渝中区解放碑 民族路88号',
      complaints: 2,
      disputes: 1,
    });
  });

  it('exports the spikes and the risk list', async () => {
    const x = await sheets((await get('hotline', '/api/reports/hotspots?period=2026-12&format=xlsx')).rawPayload);
    expect([...x.keys()]).toEqual(['热点地点', '地点主题聚集', '突增', '重复矛盾风险']);
    expect(x.get('热点地点')![3]!.slice(0, 4)).toEqual(['渝中区解放碑街道', 11, 9, 2]);
    const doc = await docxText((await get('hotline', '/api/reports/hotspots?period=2026-12&format=docx')).rawPayload);
    expect(doc.text).toContain('三、重复矛盾风险');
    expect(doc.text).toContain('渝中区解放碑民族路88号');
    expect(doc.text).toContain('本期11件，前8个等长周期平均0件');
    expect(doc.text).not.toContain('13811112222');
  });
});
