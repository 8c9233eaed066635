/** The analysis share feed: each desk pulls the other's de-identified records over the signed transport. */
import { SHARE_FIELDS } from '@liandong/domain';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerInProcessPeer } from '../../src/bridge/inproc.ts';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { sampleOrder } from '../helpers.ts';
import { makeInprocDesks, SHARE_KEYS } from './inproc-desks.ts';

let desks: Awaited<ReturnType<typeof makeInprocDesks>>;
const orderIds: string[] = [];
let incidentId = '';

beforeAll(async () => {
  desks = await makeInprocDesks();
  const { hotline, dispatch } = desks;
  for (let i = 0; i < 5; i++) {
    const r = await hotline.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: await hotline.as('callTaker'),
      payload: sampleOrder({
        caller: { name: '张建国', phone: '13812345678' },
        content: `来电人张建国反映（电话13812345678），邻居李秀英的车渝A12345堵在门口，身份证50010319900101123X，第${i}次。`,
        leadUnitId: 'd500103.urban-mgmt',
        lat: 29.5563,
        lng: 106.5775,
      }),
    });
    expect(r.statusCode, r.body).toBe(201);
    orderIds.push(r.json().id);
  }
  const inc = await dispatch.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: await dispatch.as('dispatcher'),
    payload: {
      content: '王建军先生报警称楼下两人打架，电话023-63851234',
      category: 'public_order',
      districtCode: '500103',
    },
  });
  expect(inc.statusCode, inc.body).toBe(201);
  incidentId = inc.json().id;
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const pull = (query: string, headers: Record<string, string>) =>
  desks.hotline.app.inject({ method: 'GET', url: `/bridge/v1/share?${query}`, headers });
const signedBy = (key: readonly [string, string]) => signedHeaders('hmac-sha256', key[0], key[1], '');

describe('the peer desk pulls the analysis feed', () => {
  it('pages by cursor, carries only the table’s fields, and masks the text', async () => {
    const first = await pull('after=0&limit=2', signedBy(SHARE_KEYS.d2h));
    expect(first.statusCode, first.body).toBe(200);
    const p1 = first.json<{ records: Record<string, unknown>[]; next: string }>();
    expect(p1.records).toHaveLength(2);
    for (const r of p1.records) expect(Object.keys(r).sort()).toEqual(SHARE_FIELDS.map((f) => f.field).sort());
    const r0 = p1.records[0]!;
    expect(r0).toMatchObject({
      kind: 'work_order',
      districtCode: '500103',
      streetCode: '500103003',
      gridCell: 'g2955_10657',
      type: 'complaint',
      category: 'CSGL01',
      channel: 'phone_12345',
      unitId: 'd500103.urban-mgmt',
    });
    expect(r0.text).toBe('来电人张某反映（电话[电话]），邻居李某的车[车牌]堵在门口，身份证[证件号]，第0次。');
    const all = JSON.stringify(p1);
    for (const secret of ['张建国', '13812345678', '渝A12345', '50010319900101123X', '29.55', '106.57'])
      expect(all).not.toContain(secret);

    const second = (await pull(`after=${p1.next}&limit=2`, signedBy(SHARE_KEYS.d2h))).json();
    const third = (await pull(`after=${second.next}&limit=2`, signedBy(SHARE_KEYS.d2h))).json();
    const ids = [...p1.records, ...second.records, ...third.records].map((r: { recordId: string }) => r.recordId);
    expect(ids).toEqual(orderIds);
    const end = (await pull(`after=${third.next}`, signedBy(SHARE_KEYS.d2h))).json();
    expect(end).toEqual({ records: [], next: third.next });
  });

  it('serves a record again after it changes, so the pulled copy follows it', async () => {
    const { hotline, dispatch } = desks;
    expect(
      (
        await dispatch.app.inject({
          method: 'POST',
          url: '/api/analytics/share/pull',
          headers: await dispatch.as('analyst'),
        })
      ).json(),
    ).toEqual({ records: 5, pages: 1, held: 0 });
    const sign = await hotline.app.inject({
      method: 'POST',
      url: `/api/work-orders/${orderIds[2]}/sign`,
      headers: await hotline.as('chengguan'),
      payload: {},
    });
    expect(sign.statusCode, sign.body).toBe(200);
    expect(await dispatch.app.services.share.pull()).toEqual({ records: 1, pages: 1, held: 0 });
    const stored = await dispatch.db.query(
      'SELECT record_id, status, text, grid_cell FROM shared_records WHERE source = $1 ORDER BY received_at, record_id',
      ['cq-12345'],
    );
    expect(stored.rows).toHaveLength(5);
    expect(stored.rows.find((r) => r.record_id === orderIds[2])).toMatchObject({
      status: 'signed',
      grid_cell: 'g2955_10657',
    });
    expect(stored.rows.every((r) => !String(r.text).includes('13812345678'))).toBe(true);
    // and the 12345 desk pulls the 110 desk's incidents
    expect(await hotline.app.services.share.pull()).toEqual({ records: 1, pages: 1, held: 0 });
    const inc = await hotline.db.query('SELECT kind, type, text FROM shared_records WHERE record_id = $1', [
      incidentId,
    ]);
    expect(inc.rows[0]).toEqual({
      kind: 'incident',
      type: 'public_order',
      text: '王某先生报警称楼下两人打架，电话[电话]',
    });
  });

  it('audits every page, served and pulled', async () => {
    const served = await desks.hotline.db.query(
      "SELECT peer, key_id, after, next, records FROM share_pulls WHERE direction = 'served' ORDER BY id",
    );
    expect(served.rows.map((r) => r.records)).toEqual([2, 2, 1, 0, 5, 1]);
    expect(served.rows.every((r) => r.peer === 'cq-110' && r.key_id === SHARE_KEYS.d2h[0])).toBe(true);
    expect(served.rows[1]!.after).toBe(served.rows[0]!.next);
    const pulled = await desks.dispatch.db.query(
      "SELECT peer, records FROM share_pulls WHERE direction = 'pulled' ORDER BY id",
    );
    expect(pulled.rows).toEqual([
      { peer: 'cq-12345', records: 5 },
      { peer: 'cq-12345', records: 1 },
    ]);
    const cursor = await desks.dispatch.db.query('SELECT after FROM share_cursors WHERE peer = $1', ['cq-12345']);
    expect(cursor.rows[0]!.after).toBe(served.rows[served.rows.length - 1]!.next);
  });

  it.each([
    ['unsigned', () => ({}), 401, 'signature_invalid'],
    [
      'signed with a wrong key',
      () => signedHeaders('hmac-sha256', SHARE_KEYS.d2h[0], 'not-the-key', ''),
      401,
      'signature_invalid',
    ],
    ['with an unknown key id', () => signedHeaders('hmac-sha256', 'who-1', SHARE_KEYS.d2h[1], ''), 401, 'unknown_key'],
    ['signed with the desk’s own outbound key', () => signedBy(SHARE_KEYS.h2d), 401, 'unknown_key'],
    [
      'with a stale timestamp',
      () => signedHeaders('hmac-sha256', SHARE_KEYS.d2h[0], SHARE_KEYS.d2h[1], '', Date.now() - 600_000),
      401,
      'stale_timestamp',
    ],
    ['with a bad cursor', () => signedBy(SHARE_KEYS.d2h), 400, 'schema_invalid', 'after=abc'],
    ['with a page too large', () => signedBy(SHARE_KEYS.d2h), 400, 'schema_invalid', 'limit=5000'],
  ])('refuses a pull %s, logs it, and serves nothing', async (_l, headers, status, error, query = 'after=0') => {
    const before = await desks.hotline.db.query('SELECT count(*)::int AS n FROM share_pulls');
    const refusals = () =>
      desks.hotline.db
        .query<{ n: number }>('SELECT coalesce(sum(count), 0)::int AS n FROM bridge_refusals WHERE reason = $1', [
          error,
        ])
        .then((r) => r.rows[0]!.n);
    const logged = await refusals();
    const res = await pull(query, headers() as Record<string, string>);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ error });
    expect((await desks.hotline.db.query('SELECT count(*)::int AS n FROM share_pulls')).rows[0]!.n).toBe(
      before.rows[0]!.n,
    );
    expect(await refusals()).toBe(logged + 1);
  });

  it('refuses a replayed nonce', async () => {
    const h = signedBy(SHARE_KEYS.d2h);
    expect((await pull('after=0&limit=1', h)).statusCode).toBe(200);
    const again = await pull('after=0&limit=1', h);
    expect(again.statusCode).toBe(401);
    expect(again.json()).toEqual({ error: 'replayed_nonce' });
  });

  it('pull-now is for analysts and supervisors', async () => {
    const res = await desks.dispatch.app.inject({
      method: 'POST',
      url: '/api/analytics/share/pull',
      headers: await desks.dispatch.as('dispatcher'),
    });
    expect(res.json().code).toBe('FORBIDDEN');
  });

  it('docs/data-sharing.md lists exactly the fields of the table in the code', () => {
    const doc = readFileSync(path.resolve(import.meta.dirname, '../../../../docs/data-sharing.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(\w+)` \| ([a-z_]+) \|/gm)].map((m) => [m[1], m[2]]);
    expect(rows).toEqual(SHARE_FIELDS.map((f) => [f.field, f.treatment]));
  });
});

describe('a peer on a newer revision', () => {
  // The 12345 desk's feed as a newer version of it would serve it: every page also carries a record of a
  // kind this desk does not know (or, for the second case, a record with no kind at all).
  const parcelId = randomUUID();
  let extra: Record<string, unknown> | null = null;
  beforeAll(() => {
    registerInProcessPeer('cq-12345', async (r) => {
      const res = await desks.hotline.app.inject(r);
      if (!extra || !r.url.startsWith('/bridge/v1/share') || res.statusCode !== 200) return res;
      const page = JSON.parse(res.body) as { records: unknown[]; next: string };
      return { statusCode: 200, body: JSON.stringify({ ...page, records: [...page.records, extra] }) };
    });
  });
  afterAll(() => {
    registerInProcessPeer('cq-12345', (r) => desks.hotline.app.inject(r));
  });
  const newOrder = async (n: number) => {
    const r = await desks.hotline.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: await desks.hotline.as('callTaker'),
      payload: sampleOrder({ content: `小区门口路灯不亮，已经三天了（第${n}条）。` }),
    });
    expect(r.statusCode, r.body).toBe(201);
    return r.json<{ id: string }>().id;
  };
  const lastPull = async () =>
    (
      await desks.dispatch.db.query(
        "SELECT records, held, next FROM share_pulls WHERE direction = 'pulled' ORDER BY id DESC LIMIT 1",
      )
    ).rows[0];
  const cursor = async () =>
    (await desks.dispatch.db.query('SELECT after FROM share_cursors WHERE peer = $1', ['cq-12345'])).rows[0]!.after;

  it('holds a record of an unknown kind apart, stores the rest of the page, and moves on', async () => {
    const id = await newOrder(1);
    extra = { recordId: parcelId, kind: 'parcel', receivedAt: '2026-12-01T10:00:00+08:00', text: '一件新东西' };
    expect(await desks.dispatch.app.services.share.pull()).toEqual({ records: 1, pages: 1, held: 1 });
    const stored = await desks.dispatch.db.query('SELECT kind FROM shared_records WHERE record_id = $1', [id]);
    expect(stored.rows).toEqual([{ kind: 'work_order' }]);
    const held = await desks.dispatch.db.query('SELECT source, record_id, kind, record FROM shared_held');
    expect(held.rows).toEqual([{ source: 'cq-12345', record_id: parcelId, kind: 'parcel', record: extra }]);
    expect(await lastPull()).toMatchObject({ records: 2, held: 1 });
    expect(await cursor()).toBe((await lastPull())!.next);
    // in no count of the peer's records: neither the shared records nor the calls hold it
    for (const table of ['shared_records', 'shared_calls'])
      expect(
        (await desks.dispatch.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE record_id = $1`, [parcelId]))
          .rows[0]!.n,
      ).toBe(0);

    // served again (the peer changed it): one copy, the newer one
    await newOrder(2);
    extra = { ...extra, text: '一件新东西（改过）' };
    expect(await desks.dispatch.app.services.share.pull()).toEqual({ records: 1, pages: 1, held: 1 });
    const again = await desks.dispatch.db.query('SELECT record FROM shared_held');
    expect(again.rows).toEqual([{ record: extra }]);
  });

  it.each([
    ['with no kind', { recordId: randomUUID(), text: '没有类别' }],
    ['with no id', { kind: 'parcel', text: '没有编号' }],
  ])('refuses the whole page when a record comes %s, and stores nothing of it', async (_l, bad) => {
    await newOrder(3);
    extra = bad;
    const before = { cursor: await cursor(), pull: await lastPull() };
    const counts = () =>
      desks.dispatch.db
        .query('SELECT (SELECT count(*) FROM shared_records)::int AS r, (SELECT count(*) FROM shared_held)::int AS h')
        .then((r) => r.rows[0]);
    const had = await counts();
    await expect(desks.dispatch.app.services.share.pull()).rejects.toMatchObject({ code: 'SHARE_PULL_FAILED' });
    expect(await counts()).toEqual(had);
    expect(await cursor()).toBe(before.cursor);
    expect(await lastPull()).toEqual(before.pull);
    extra = null;
  });
});
