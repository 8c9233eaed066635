import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CATALOGUE } from '../../src/errors.ts';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('operations endpoints', () => {
  it('/health reports the database', async () => {
    const res = await t.app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('/metrics is Prometheus text with request counts and latencies by route', async () => {
    await t.app.inject({ method: 'POST', url: '/api/work-orders', headers: t.as('callTaker'), payload: sampleOrder() });
    const res = await t.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/liandong_http_requests_total\{method="POST",route="\/api\/work-orders",status="201"\} 1/);
    expect(res.body).toMatch(
      /liandong_http_request_duration_seconds_bucket\{method="POST",route="\/api\/work-orders",le="\+Inf"\} 1/,
    );
    expect(res.body).toMatch(/liandong_work_orders_created_total 1/);
    expect(res.body).toMatch(/liandong_db_pool_total \d+/);
  });

  it('/docs serves OpenAPI with every work-order action endpoint', async () => {
    const spec = (await t.app.inject({ url: '/docs/json' })).json();
    expect(spec.openapi).toMatch(/^3\./);
    for (const p of [
      '/api/work-orders',
      '/api/work-orders/{id}/assign',
      '/api/work-orders/{id}/follow-up',
      '/api/incidents/{id}/dispatch',
      '/api/admin/calendar/{date}',
    ]) {
      expect(Object.keys(spec.paths)).toContain(p);
    }
    expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
  });
});

describe('transport-level bad input', () => {
  it('unknown route → ROUTE_NOT_FOUND', async () => {
    const res = await t.app.inject({ url: '/api/nothing-here', headers: t.as('callTaker') });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('ROUTE_NOT_FOUND');
  });
  it('a body over the limit → PAYLOAD_TOO_LARGE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: { ...t.as('callTaker'), 'content-type': 'application/json' },
      payload: JSON.stringify(sampleOrder({ content: 'x'.repeat(2 * 1024 * 1024) })),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('PAYLOAD_TOO_LARGE');
  });
  it('a non-JSON content type → UNSUPPORTED_MEDIA_TYPE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: { ...t.as('callTaker'), 'content-type': 'application/xml' },
      payload: '<order/>',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });
});

describe('reference data', () => {
  it('has Chongqing’s 38 districts and 1,031 streets, units and the dispatch catalogue', async () => {
    const d = (await t.app.inject({ url: '/api/reference/districts', headers: t.as('callTaker') })).json();
    expect(d).toHaveLength(38);
    expect(d.reduce((s: number, x: { streetCount: number }) => s + x.streetCount, 0)).toBe(1031);
    expect(d.find((x: { code: string }) => x.code === '500103')).toMatchObject({ name: '渝中区', kind: 'district' });
    expect(d.find((x: { code: string }) => x.code === '500243')).toMatchObject({
      name: '彭水苗族土家族自治县',
      kind: 'autonomous_county',
    });
    const streets = (
      await t.app.inject({ url: '/api/reference/districts/500103/streets', headers: t.as('callTaker') })
    ).json();
    expect(streets.map((s: { name: string }) => s.name)).toContain('解放碑街道');
    const stations = (
      await t.app.inject({
        url: '/api/reference/units?kind=police_station&districtCode=500103',
        headers: t.as('dispatcher'),
      })
    ).json();
    expect(stations.map((s: { name: string }) => s.name)).toContain('渝中区解放碑派出所');
    const bureau = (
      await t.app.inject({ url: '/api/reference/units?kind=police_bureau&q=渝中', headers: t.as('dispatcher') })
    ).json();
    expect(bureau[0].name).toBe('重庆市公安局渝中区分局');
    const cats = (await t.app.inject({ url: '/api/reference/categories', headers: t.as('callTaker') })).json();
    expect(cats.find((c: { code: string }) => c.code === 'CSGL01')).toMatchObject({
      name: '占道经营',
      parentCode: 'CSGL',
    });
    const enums = (await t.app.inject({ url: '/api/reference/enums', headers: t.as('callTaker') })).json();
    expect(enums.workOrderTypes).toEqual({
      consultation: '咨询',
      help: '求助',
      complaint: '投诉',
      report: '举报',
      suggestion: '建议',
      praise: '表扬',
    });
    expect(Object.values(enums.incidentCategories)).toEqual([
      '刑事',
      '治安',
      '交通',
      '群体事件',
      '紧急求助',
      '群众求助',
      '投诉监督',
      '举报线索',
      '社会联动',
      '非警务',
      '无效',
    ]);
  });
});

describe('error catalogue', () => {
  it('docs/errors.md lists exactly the codes of the catalogue, with their HTTP status', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../docs/errors.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(Object.entries(ERROR_CATALOGUE).map(([k, v]) => [k, v.status])),
    );
  });
  it('every message is Chinese', () => {
    for (const { message } of Object.values(ERROR_CATALOGUE)) expect(message).toMatch(/[\u4e00-\u9fff]/);
  });
});

describe('validation messages are Chinese and name the field as the forms label it', () => {
  it.each([
    [{ ...sampleOrder(), categoryCode: undefined }, '请求参数不合法：缺少必填项：派单目录分类'],
    [{ ...sampleOrder(), content: '' }, '请求参数不合法：诉求内容不能为空'],
    [{ ...sampleOrder(), content: 'x'.repeat(5001) }, '请求参数不合法：诉求内容不能超过 5000 个字'],
    [{ ...sampleOrder(), orderType: 'gossip' }, '请求参数不合法：工单类型的取值不在允许范围内'],
    [{ ...sampleOrder(), districtCode: '110101' }, '请求参数不合法：区县格式不正确'],
    [{ ...sampleOrder(), colour: 'red' }, '请求参数不合法：不接受的字段：colour'],
  ])('%#', async (payload, message) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/work-orders', headers: t.as('callTaker'), payload });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message });
    expect(res.json().details).toBeInstanceOf(Array);
  });
});
