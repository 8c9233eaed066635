import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';

const DIGITS = '零一二三四五六七八九';
/** Answers the public form's challenge as a person would (一加二等于几？ → 3). */
export function solve(question: string): string {
  const m = /^(.)加(.)等于几？$/.exec(question);
  if (!m) throw new Error(`unexpected challenge: ${question}`);
  return String(DIGITS.indexOf(m[1]!) + DIGITS.indexOf(m[2]!));
}

let t: TestApp;
let ipSeq = 10;
const nextIp = () => `10.9.0.${ipSeq++}`;

async function challenge(ip: string) {
  const res = await t.app.inject({ method: 'GET', url: '/api/public/challenge', remoteAddress: ip });
  expect(res.statusCode).toBe(200);
  const c = res.json<{ id: string; question: string }>();
  return { challengeId: c.id, challengeAnswer: solve(c.question) };
}

async function file(body: Record<string, unknown>, ip = nextIp()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/public/requests',
    remoteAddress: ip,
    payload: {
      content: '渝中区解放碑街道民族路的人行道地砖破损翘起，老人经过容易绊倒，希望尽快修复。',
      address: '渝中区解放碑街道民族路88号',
      phone: '13900001111',
      ...(await challenge(ip)),
      ...body,
    },
  });
}

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('public web channel', () => {
  it('citizen-files-a-request-and-follows-it-by-number-and-code', async () => {
    const res = await file({ phone: '13900002222', name: '王小明', disclosureConsent: true });
    expect(res.statusCode).toBe(201);
    const r = res.json<{
      requestNo: string;
      queryCode: string;
      emergency: boolean;
      place: { districtCode: string; streetCode: string };
    }>();
    expect(r.requestNo).toMatch(/^GD\d{14}$/);
    expect(r.queryCode).toMatch(/^\d{6}$/);
    expect(r.emergency).toBe(false);
    // Geocoded from the address text against the reference data.
    expect(r.place.districtCode).toBe('500103');
    expect(r.place.streetCode).toMatch(/^500103\d{3}$/);

    const order = await t.db.query(
      `SELECT w.status, r.channel, r.district_code, r.lat FROM work_orders w JOIN requests r ON r.id = w.request_id WHERE w.no = $1`,
      [r.requestNo],
    );
    expect(order.rows[0]).toMatchObject({ status: 'received', channel: 'web', district_code: '500103' });
    expect(order.rows[0].lat).toBeGreaterThan(29);

    // The call-taker sees it in the ordinary list, as any other order.
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/work-orders?q=${r.requestNo}`,
      headers: t.as('callTaker'),
    });
    expect(list.json().items[0].no).toBe(r.requestNo);

    const status = await t.app.inject({
      method: 'GET',
      url: `/api/public/requests/${r.requestNo}?code=${r.queryCode}`,
    });
    expect(status.statusCode).toBe(200);
    const s = status.json();
    expect(s.statusText).toBe('已受理，等待派单');
    expect(s.history[0].text).toBe('您的诉求已受理');
    expect(JSON.stringify(s)).not.toContain('13900002222');

    const wrong = await t.app.inject({
      method: 'GET',
      url: `/api/public/requests/${r.requestNo}?code=${r.queryCode === '000000' ? '111111' : '000000'}`,
    });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('PUBLIC_REQUEST_NOT_FOUND');
    const noCode = await t.app.inject({ method: 'GET', url: `/api/public/requests/${r.requestNo}` });
    expect(noCode.statusCode).toBe(400);
  });

  it('a-photo-of-the-scene-is-kept-with-the-order', async () => {
    // The smallest JPEG header is enough for the type check; the page sends real photos as JPEG.
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]);
    const res = await file({
      phone: '13900001212',
      photo: { name: '现场.jpg', type: 'image/jpeg', dataBase64: jpeg.toString('base64') },
    });
    expect(res.statusCode, res.body).toBe(201);
    const rows = await t.db.query(
      `SELECT a.file_name AS name, a.content_type FROM work_order_attachments a JOIN work_orders w ON w.id = a.work_order_id WHERE w.no = $1`,
      [res.json().requestNo],
    );
    expect(rows.rows).toEqual([{ name: '现场.jpg', content_type: 'image/jpeg' }]);
  });

  it('a-wrong-challenge-answer-is-refused-and-changes-nothing', async () => {
    const before = await rowCounts(t.db);
    const ip = nextIp();
    const c = await challenge(ip);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: ip,
      payload: {
        content: '小区门口路灯不亮已经一周了',
        address: '渝中区两路口',
        phone: '13900003333',
        challengeId: c.challengeId,
        challengeAnswer: String(Number(c.challengeAnswer) + 1),
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('PUBLIC_CHALLENGE_FAILED');
    // A used challenge cannot be answered again.
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: ip,
      payload: { content: '小区门口路灯不亮已经一周了', address: '渝中区两路口', phone: '13900003333', ...c },
    });
    expect(again.statusCode).toBe(422);
    const noPlace = await file({ address: undefined });
    expect(noPlace.statusCode).toBe(400);
    const badPhoto = await file({
      photo: { name: 'a.png', type: 'image/png', dataBase64: Buffer.from('<html>').toString('base64') },
    });
    expect(badPhoto.statusCode).toBe(422);
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('the-same-phone-is-limited-per-hour', async () => {
    for (let i = 0; i < 3; i++) expect((await file({ phone: '13900004444' })).statusCode).toBe(201);
    const fourth = await file({ phone: '13900004444' });
    expect(fourth.statusCode).toBe(429);
    expect(fourth.json().code).toBe('PUBLIC_RATE_LIMITED');
    expect(fourth.json().message).toContain('110');
  });

  it('one-address-is-limited-per-ten-minutes', async () => {
    const ip = nextIp();
    for (let i = 0; i < 5; i++) expect((await file({ phone: `1390000550${i}` }, ip)).statusCode).toBe(201);
    const sixth = await file({ phone: '13900005599' }, ip);
    expect(sixth.statusCode).toBe(429);
  });

  it('a-danger-typed-in-the-form-is-answered-with-the-emergency-numbers', async () => {
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/public/danger-check',
      payload: { text: '楼下有人拿刀砍人，有人倒在地上流了很多血' },
    });
    expect(check.json()).toMatchObject({ emergency: true });
    expect(check.json().callNow).toContain('110');
    const calm = await t.app.inject({
      method: 'POST',
      url: '/api/public/danger-check',
      payload: { text: '咨询一下公积金怎么提取' },
    });
    expect(calm.json()).toEqual({ emergency: false, callNow: [] });

    const res = await file({ content: '楼下有人拿刀砍人，有人倒在地上流了很多血，快来人', phone: '13900006666' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ emergency: true });
    expect(res.json().callNow).toContain('110');
    const r = res.json();
    const status = await t.app.inject({
      method: 'GET',
      url: `/api/public/requests/${r.requestNo}?code=${r.queryCode}`,
    });
    expect(status.json().emergency).toBe(true);
  });

  it('the-centre-publishes-a-consented-answered-request-without-personal-data', async () => {
    const res = await file({
      phone: '13900007777',
      name: '李四海',
      disclosureConsent: true,
      content: '李四海反映：渝中区解放碑街道民族路井盖缺失，电话13900007777，请尽快处理',
    });
    const { requestNo } = res.json();
    const id = (await t.db.query('SELECT id FROM work_orders WHERE no = $1', [requestNo])).rows[0].id;
    const act = (who: 'callTaker' | 'chengguan', action: string, payload: object) =>
      t.app.inject({ method: 'POST', url: `/api/work-orders/${id}/${action}`, headers: t.as(who), payload });
    expect((await act('callTaker', 'assign', { leadUnitId: 'd500103.urban-mgmt' })).statusCode).toBe(200);
    expect((await act('chengguan', 'sign', {})).statusCode).toBe(200);
    expect((await act('chengguan', 'start', {})).statusCode).toBe(200);
    expect(
      (await act('chengguan', 'reply', { reply: '已于当日补装井盖，联系人李四海确认。', result: 'resolved' }))
        .statusCode,
    ).toBe(200);

    // Before moderation nothing is public.
    const none = await t.app.inject({ method: 'GET', url: '/api/public/disclosure' });
    expect(none.json().total).toBe(0);

    const pending = await t.app.inject({ method: 'GET', url: '/api/disclosure/pending', headers: t.as('callTaker') });
    const item = pending.json().find((p: { no: string }) => p.no === requestNo);
    expect(item.suggestedReply).not.toContain('李四海');
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/disclosure/pending', headers: t.as('chengguan') })).statusCode,
    ).toBe(403);

    const pub = await t.app.inject({
      method: 'POST',
      url: `/api/disclosure/${id}`,
      headers: t.as('callTaker'),
      payload: { decision: 'publish', title: '民族路井盖缺失', reply: item.suggestedReply },
    });
    expect(pub.statusCode).toBe(200);
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/disclosure/${id}`,
      headers: t.as('callTaker'),
      payload: { decision: 'withhold' },
    });
    expect(again.statusCode).toBe(409);

    const list = await t.app.inject({ method: 'GET', url: '/api/public/disclosure?district=500103' });
    expect(list.json().total).toBe(1);
    expect(list.json().items[0]).toMatchObject({ no: requestNo, title: '民族路井盖缺失' });
    const html = await t.app.inject({ method: 'GET', url: '/disclosure' });
    expect(html.headers['content-type']).toContain('text/html');
    expect(html.body).toContain('民族路井盖缺失');
    expect(html.body).not.toContain('13900007777');
    expect(html.body).not.toContain('李四海');
  });
});
