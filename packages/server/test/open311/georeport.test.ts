import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';
import { open } from '../../src/crypto/pii.ts';

const run = promisify(execFile);
let t: TestApp;
let key: string;
let deptKey: string;
let batchKey: string;

const form = (o: Record<string, string>) => new URLSearchParams(o).toString();
const post = (url: string, body: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: form(body),
  });

beforeAll(async () => {
  t = await createTestApp();
  const put = async (id: string, body: object) => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/admin/open311-clients/${id}`,
      headers: t.as('admin'),
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    return res.json<{ apiKey: string }>().apiKey;
  };
  key = await put('civic-app', { name: '市民随手拍', issueKey: true });
  deptKey = await put('cg-system', { name: '渝中区城管业务系统', unitId: 'd500103.urban-mgmt', issueKey: true });
  batchKey = await put('aggregator', { name: '聚合平台', batch: true, issueKey: true });
});
afterAll(async () => {
  await t.close();
});

describe('Open311 GeoReport v2', () => {
  it('client-keys-are-data-administered-by-the-admin', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/open311-clients', headers: t.as('admin') });
    expect(list.json().map((c: { id: string }) => c.id)).toEqual(['aggregator', 'cg-system', 'civic-app']);
    expect(JSON.stringify(list.json())).not.toContain(key);
    const refused = await t.app.inject({
      method: 'PUT',
      url: '/api/admin/open311-clients/x1',
      headers: t.as('callTaker'),
      payload: { name: 'x', issueKey: true },
    });
    expect(refused.statusCode).toBe(403);
    const audit = await t.db.query(`SELECT count(*)::int AS n FROM admin_audit WHERE action = 'open311_client.put'`);
    expect(audit.rows[0].n).toBe(3);
  });

  it('services-come-from-the-dispatch-catalogue-in-json-and-xml', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/open311/v2/services.json' });
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const csgl = json.json().find((s: { service_code: string }) => s.service_code === 'CSGL01');
    expect(csgl).toEqual({
      service_code: 'CSGL01',
      service_name: '占道经营',
      description: '城市管理：占道经营',
      metadata: true,
      type: 'realtime',
      keywords: '占道经营, 城市管理',
      group: '城市管理',
    });
    const xml = await t.app.inject({ method: 'GET', url: '/open311/v2/services.xml' });
    expect(xml.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(
      xml.body.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<services>\n  <service>\n    <service_code>'),
    ).toBe(true);
    const def = await t.app.inject({ method: 'GET', url: '/open311/v2/services/CSGL01.json' });
    expect(def.json().attributes.map((a: { code: string }) => a.code)).toEqual(['request_type', 'confidential']);
    const missing = await t.app.inject({ method: 'GET', url: '/open311/v2/services/NOPE99.xml' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<errors>\n  <error>\n    <code>404</code>');
  });

  it('a-client-posts-a-request-and-reads-it-back', async () => {
    const res = await post('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'CSGL01',
      lat: '29.5586',
      long: '106.5774',
      address_string: '民族路与八一路交叉口',
      first_name: '小明',
      last_name: '王',
      phone: '13911112222',
      description: '路口每天晚上有流动摊贩占道经营，堵塞人行道',
      'attribute[request_type]': 'complaint',
      account_id: 'u-42',
    });
    expect(res.statusCode).toBe(200);
    const [created] = res.json();
    expect(Object.keys(created)).toEqual(['service_request_id', 'service_notice', 'account_id']);
    expect(created.account_id).toBe('u-42');
    const id = created.service_request_id;
    const row = await t.db.query(
      `SELECT w.order_type, w.category_code, r.channel, r.district_code, c.phone_sealed AS phone FROM work_orders w JOIN requests r ON r.id = w.request_id
       LEFT JOIN callers c ON c.id = r.caller_id WHERE w.no = $1`,
      [id],
    );
    row.rows[0].phone = open(row.rows[0].phone, 'caller.phone');
    // The point falls inside 渝中区's boundary.
    expect(row.rows[0]).toEqual({
      order_type: 'complaint',
      category_code: 'CSGL01',
      channel: 'open311',
      district_code: '500103',
      phone: '13911112222',
    });

    const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
    const [r] = one.json();
    expect(r).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'CSGL01',
      lat: 29.5586,
      long: 106.5774,
    });
    expect(r.requested_datetime).toMatch(/\+08:00$/);
    expect(r.description).not.toContain('13911112222');

    const list = await t.app.inject({
      method: 'GET',
      url: '/open311/v2/requests.json?status=open&service_code=CSGL01,CSGL02&page_size=10',
    });
    expect(list.json().map((x: { service_request_id: string }) => x.service_request_id)).toContain(id);
    const closed = await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=closed' });
    expect(closed.json()).toEqual([]);
  });

  it('bad-posts-get-the-specs-error-bodies-and-change-nothing', async () => {
    const before = await rowCounts(t.db);
    const noKey = await post('/open311/v2/requests.xml', { service_code: 'CSGL01', lat: '29.5', long: '106.5' });
    expect(noKey.statusCode).toBe(403);
    expect(noKey.body).toBe(
      '<?xml version="1.0" encoding="utf-8"?>\n<errors>\n  <error>\n    <code>403</code>\n    <description>缺少 api_key</description>\n  </error>\n</errors>\n',
    );
    const noCode = await post('/open311/v2/requests.json', { api_key: key, lat: '29.5', long: '106.5' });
    expect(noCode.statusCode).toBe(400);
    expect(noCode.json()).toEqual([{ code: 400, description: '缺少 service_code' }]);
    expect(
      (await post('/open311/v2/requests.json', { api_key: key, service_code: 'ZZZZ01', lat: '29.5', long: '106.5' }))
        .statusCode,
    ).toBe(404);
    expect((await post('/open311/v2/requests.json', { api_key: key, service_code: 'CSGL01' })).statusCode).toBe(400);
    expect(
      (await post('/open311/v2/requests.json', { api_key: key, service_code: 'CSGL01', lat: '29.5' })).statusCode,
    ).toBe(400);
    expect(
      (
        await post('/open311/v2/requests.json', {
          api_key: key,
          jurisdiction_id: 'sfgov.org',
          service_code: 'CSGL01',
          lat: '29.5',
          long: '106.5',
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/open311/v2/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z',
        })
      ).statusCode,
    ).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/open311/v2/requests.json?status=pending' })).statusCode).toBe(
      400,
    );
    expect((await t.app.inject({ method: 'GET', url: '/open311/v2/requests.csv' })).statusCode).toBe(404);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('a-batch-client-gets-a-token-that-resolves-to-the-request', async () => {
    const res = await post('/open311/v2/requests.json', {
      api_key: batchKey,
      service_code: 'CSGL03',
      address_string: '渝中区七星岗街道',
      description: '垃圾桶满溢无人清运',
    });
    const [{ token }] = res.json();
    expect(token).toMatch(/^[a-f0-9]{24}$/);
    const tok = await t.app.inject({ method: 'GET', url: `/open311/v2/tokens/${token}.json` });
    expect(tok.json()[0].token).toBe(token);
    expect(tok.json()[0].service_request_id).toMatch(/^GD\d{14}$/);
  });

  it('a-department-system-pushes-status-and-the-feed-tells-it', async () => {
    const res = await post('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'CSGL01',
      address_string: '渝中区解放碑街道民族路',
      description: '人行道上有人摆摊',
    });
    const id = res.json()[0].service_request_id;
    const woId = (await t.db.query('SELECT id FROM work_orders WHERE no = $1', [id])).rows[0].id;
    await t.app.inject({
      method: 'POST',
      url: `/api/work-orders/${woId}/assign`,
      headers: t.as('callTaker'),
      payload: { leadUnitId: 'd500103.urban-mgmt' },
    });

    const wrongUnit = await post('/open311/v2/servicerequestupdates.json', {
      api_key: key,
      service_request_id: id,
      update_id: 'x1',
      status: 'IN_PROGRESS',
    });
    expect(wrongUnit.statusCode).toBe(403);
    const noText = await post('/open311/v2/servicerequestupdates.json', {
      api_key: deptKey,
      service_request_id: id,
      update_id: 'u1',
      status: 'FIXED',
    });
    expect(noText.statusCode).toBe(400);
    const prog = await post('/open311/v2/servicerequestupdates.xml', {
      api_key: deptKey,
      service_request_id: id,
      update_id: 'u1',
      status: 'IN_PROGRESS',
      description: '已派执法队员到场',
    });
    expect(prog.statusCode).toBe(200);
    expect(prog.body).toMatch(/<service_request_updates>\n  <request_update>\n    <update_id>\d+<\/update_id>/);
    expect((await t.db.query('SELECT status FROM work_orders WHERE id = $1', [woId])).rows[0].status).toBe(
      'in_progress',
    );
    // The same update again is acknowledged, not applied twice.
    const again = await post('/open311/v2/servicerequestupdates.json', {
      api_key: deptKey,
      service_request_id: id,
      update_id: 'u1',
      status: 'IN_PROGRESS',
      description: '已派执法队员到场',
    });
    expect(again.statusCode).toBe(200);
    const fixed = await post('/open311/v2/servicerequestupdates.json', {
      api_key: deptKey,
      service_request_id: id,
      update_id: 'u2',
      status: 'FIXED',
      description: '摊贩已劝离，恢复通行',
    });
    expect(fixed.statusCode).toBe(200);
    const order = await t.db.query('SELECT status, reply FROM work_orders WHERE id = $1', [woId]);
    expect(order.rows[0]).toEqual({ status: 'replied', reply: '摊贩已劝离，恢复通行' });
    const actions = await t.db.query('SELECT action FROM work_order_actions WHERE work_order_id = $1 ORDER BY id', [
      woId,
    ]);
    expect(actions.rows.map((a) => a.action)).toEqual(['create', 'assign', 'sign', 'start', 'reply']);

    const feed = await t.app.inject({ method: 'GET', url: '/open311/v2/servicerequestupdates.json' });
    const mine = feed.json().filter((u: { service_request_id: string }) => u.service_request_id === id);
    expect(mine.map((u: { status: string }) => u.status)).toEqual([
      'open',
      'action_scheduled',
      'investigating',
      'in_progress',
      'fixed',
    ]);
    expect(mine.at(-1).description).toContain('摊贩已劝离');
    expect(Object.keys(mine[0])).toEqual([
      'update_id',
      'service_request_id',
      'status',
      'updated_datetime',
      'description',
      'media_url',
    ]);
    const one = await t.app.inject({ method: 'GET', url: `/open311/v2/requests/${id}.json` });
    expect(one.json()[0]).toMatchObject({ status: 'closed', agency_responsible: '渝中区城市管理局' });
  });

  it('a-danger-posted-through-open311-goes-to-110', async () => {
    const res = await post('/open311/v2/requests.json', {
      api_key: key,
      service_code: 'QTSX01',
      address_string: '渝中区解放碑',
      description: '有人持刀抢劫，受害人受伤流血',
    });
    expect(res.json()[0].service_notice).toContain('110');
  });

  it('an-independent-client-following-the-spec-passes-the-conformance-run', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (t.app.server.address() as { port: number }).port;
    const { stdout } = await run(process.execPath, [
      path.join(import.meta.dirname, 'conformance-client.mjs'),
      `http://127.0.0.1:${port}/open311/v2`,
      key,
      'cq-12345',
      '29.5571',
      '106.5779',
    ]).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const out = JSON.parse(stdout.trim());
    expect(out.checks ?? []).toEqual([]);
    expect(out.failed).toBe(0);
    expect(out.passed).toBeGreaterThan(25);
  });
});
