import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPlaintext } from '../../src/crypto/pii-migrate.ts';
import { open, phoneHash } from '../../src/crypto/pii.ts';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
const PHONE = '13900001111';
const order = async (over: Record<string, unknown>) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder(over),
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; no: string }>();
};
const history = (who: Parameters<TestApp['as']>[0], phone: string) =>
  t.app.inject({ url: `/api/callers?phone=${encodeURIComponent(phone)}`, headers: t.as(who) });

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('a caller who rings again is the same caller', () => {
  let first: { id: string; no: string }, second: { id: string; no: string }, third: { id: string; no: string };
  beforeAll(async () => {
    first = await order({
      caller: { name: '王芳', phone: PHONE },
      content: '楼下烧烤店油烟扰民，晚上十点后仍在营业。',
    });
    second = await order({
      caller: { phone: PHONE },
      content: '又来反映楼下烧烤店油烟和噪音，第二次来电。',
      confidential: true,
    });
    third = await order({
      caller: { name: '王芳芳', phone: PHONE },
      content: '第三次反映烧烤店噪音扰民，至今未处理。',
    });
  });

  it('keeps one caller record per number, with the latest name given', async () => {
    const rows = await t.db.query<{ id: string; name: string }>(
      'SELECT id, name_sealed AS name FROM callers WHERE phone_hash = $1',
      [phoneHash(PHONE)],
    );
    expect(rows.rows).toHaveLength(1);
    expect(open(rows.rows[0]!.name, 'caller.name')).toBe('王芳芳');
    const requests = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests WHERE caller_id = $1', [
      rows.rows[0]!.id,
    ]);
    expect(requests.rows[0]!.n).toBe(3);
  });

  it('the call-taker sees the earlier requests of the number, newest first, with their orders and 保密 marked', async () => {
    const res = await history('callTaker', PHONE);
    expect(res.statusCode, res.body).toBe(200);
    const h = res.json();
    expect(h).toMatchObject({ phone: PHONE, name: '王芳芳', known: true, requestCount: 3, confidentialCount: 1 });
    expect(h.requests.map((r: { record: { no: string } }) => r.record.no)).toEqual([third.no, second.no, first.no]);
    expect(h.requests[1]).toMatchObject({
      confidential: true,
      channelLabel: '12345热线电话',
      record: { kind: 'work_order', id: second.id, status: 'received', statusLabel: '已受理' },
    });
    expect(h.requests[2].content).toContain('油烟扰民');
  });

  it('a number never heard before is unknown, not an error', async () => {
    const res = await history('callTaker', '13000000000');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ known: false, requestCount: 0, requests: [] });
  });

  it('the 110 desk sees the incidents of a number on its own records', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/incidents',
      headers: t.as('dispatcher'),
      payload: {
        caller: { phone: '13900002222' },
        content: '有人在楼下打架，已经见血了',
        districtCode: '500103',
        category: 'public_order',
        priority: 1,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const h = (await history('dispatcher', '13900002222')).json();
    expect(h.requests).toHaveLength(1);
    expect(h.requests[0].record).toMatchObject({
      kind: 'incident',
      no: res.json().no,
      statusLabel: expect.any(String),
    });
  });

  it('roles that see callers masked cannot look a number up, and a malformed number is refused', async () => {
    for (const who of ['analyst', 'chengguan', 'yuzhong'] as const) {
      const res = await history(who, PHONE);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN', message: '该角色不能按来电号码查询来电人' });
    }
    const bad = await history('callTaker', 'abc');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
  });

  it('a refused intake leaves the caller record as it was', async () => {
    const before = await rowCounts(t.db);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ caller: { name: '别人', phone: PHONE }, categoryCode: 'ZZZZ99' }),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(await rowCounts(t.db)).toEqual(before);
    const name = await t.db.query<{ name: string }>('SELECT name_sealed AS name FROM callers WHERE phone_hash = $1', [
      phoneHash(PHONE),
    ]);
    expect(open(name.rows[0]!.name, 'caller.name')).toBe('王芳芳');
  });
});

describe('the data step seals and folds the callers recorded in plain text before it', () => {
  it('seals each number and name, empties the plain columns, and folds a number written another way into its record', async () => {
    // the shape migration 20261214100000 leaves a database from before it in (the demo's included)
    const ids = (
      await t.db.query<{ id: string }>(
        `INSERT INTO callers (plain_name, plain_phone, created_at) VALUES
           ('甲', '13700000001', now() - interval '3 days'), (NULL, '+86 137 0000 0001', now() - interval '1 day'),
           ('乙', '13700000002', now()) RETURNING id`,
      )
    ).rows.map((r) => r.id);
    await t.db.query(
      `INSERT INTO requests (channel, caller_id, content, received_at) VALUES ('web', $1, '一', now()), ('web', $2, '二', now())`,
      [ids[0], ids[1]],
    );
    expect(await sealPlaintext(t.db)).toBe(3);
    const left = await t.db.query('SELECT id FROM callers WHERE plain_name IS NOT NULL OR plain_phone IS NOT NULL');
    expect(left.rows).toEqual([]);
    const c = await t.db.query<{ id: string; name: string; phone: string }>(
      'SELECT id, name_sealed AS name, phone_sealed AS phone FROM callers WHERE phone_hash = $1',
      [phoneHash('13700000001')],
    );
    expect(c.rows).toHaveLength(1);
    // the newest record of the number stays, with the latest name given
    expect(c.rows[0]!.id).toBe(ids[1]);
    expect([open(c.rows[0]!.name, 'caller.name'), open(c.rows[0]!.phone, 'caller.phone')]).toEqual([
      '甲',
      '+86 137 0000 0001',
    ]);
    const moved = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM requests WHERE caller_id = $1', [
      ids[1],
    ]);
    expect(moved.rows[0]!.n).toBe(2);
    // the look-up by number finds the migrated caller, written either way
    const h = (await history('callTaker', '+86-137-0000-0001')).json();
    expect(h).toMatchObject({ known: true, name: '甲', phone: '+86 137 0000 0001', requestCount: 2 });
    expect((await history('callTaker', '13700000002')).json()).toMatchObject({ known: true, name: '乙' });
    expect((await history('callTaker', PHONE)).json().requestCount).toBe(3);
    expect(await sealPlaintext(t.db)).toBe(0);
  });
});

describe('orders found by the caller’s number', () => {
  const search = (who: Parameters<TestApp['as']>[0], q: string) =>
    t.app.inject({ url: `/api/work-orders?${q}`, headers: t.as(who) });

  it('the call-taker finds every order of the number; a handler does not see the 保密 one linked to it', async () => {
    const all = (await search('callTaker', `phone=${PHONE}`)).json();
    expect(all.total).toBe(3);
    const admin = (await search('admin', `phone=${PHONE}&text=${encodeURIComponent('第二次来电')}`)).json();
    expect(admin.items.map((o: { title: string }) => o.title)).toHaveLength(1);
    // the sample orders go to nobody yet: a district agency sees its district's, all but the confidential one
    const district = (await search('yuzhong', `phone=${PHONE}`)).json();
    expect(district.total).toBe(2);
    const analyst = await search('analyst', `phone=${PHONE}`);
    expect(analyst.statusCode).toBe(403);
    expect(analyst.json()).toMatchObject({ code: 'FORBIDDEN', message: '该角色不能按来电号码查询工单' });
  });

  it('by part of the address and of the text', async () => {
    const byText = (await search('callTaker', `text=${encodeURIComponent('烧烤店')}`)).json();
    expect(byText.total).toBe(3);
    const byAddress = (await search('callTaker', `address=${encodeURIComponent('八一路')}&phone=${PHONE}`)).json();
    expect(byAddress.total).toBe(3);
    const none = (await search('callTaker', `address=${encodeURIComponent('不存在的路')}`)).json();
    expect(none.total).toBe(0);
  });
});
