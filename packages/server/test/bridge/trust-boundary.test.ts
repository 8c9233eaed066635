/**
 * The bridge's trust boundary (bridge-protocol.md 1.1, Trust rules), each attack of issue 11 against a
 * real 110 desk process: a peer acts only on items it is party to, opens items only in its own id space,
 * writes only to this desk; text, keys, size, encoding, nonce and algorithm are checked; every refusal has
 * its protocol code, changes nothing, answers no 5xx, and is counted.
 */
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { WIRE_ERRORS } from '@liandong/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { uuidv7 } from '../../src/bridge/message-id.ts';
import { KEYS, eventually, makeDesks, type Desk } from './desks.ts';

const C2D = ['c2d-119', '119-to-desk-secret-000000001'] as const;
const [KEY_ID, KEY] = KEYS.h2d;

let desks: Awaited<ReturnType<typeof makeDesks>>;
let dispatch: Desk;
beforeAll(async () => {
  desks = await makeDesks('hmac-sha256');
  dispatch = desks.dispatch;
  // A connector (119) the 110 desk knows: its key may speak only for fire-119.
  const put = await dispatch.api('admin', 'PUT', '/api/admin/connectors/fire-119', {
    name: '重庆市消防救援总队119指挥中心',
    kind: 'fire',
    // Pointed at the 12345 desk, which does not know this key: what 110 sends to it is refused (a dead letter).
    endpointUrl: `http://127.0.0.1:${desks.hotline.port}`,
    keyId: 'd2c-119',
    key: 'desk-to-119-secret-000000001',
    inboundKeyId: C2D[0],
    inboundKey: C2D[1],
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

let n = 0;
const itemId = () => `cq-12345:LK-2026-8${String(++n).padStart(5, '0')}`;
const opening = (over: Record<string, unknown> = {}) => ({
  v: 1,
  id: uuidv7(),
  type: 'transfer.request',
  itemId: itemId(),
  seq: 1,
  from: 'cq-12345',
  to: 'cq-110',
  sentAt: '2026-12-01T14:03:11.201+08:00',
  payload: { kind: 'transfer', reason: '测试', request: { content: '有人打架', channel: 'phone_12345' } },
  ...over,
});
const post = async (body: string | Buffer, headers: Record<string, string>) => {
  const res = await fetch(`http://127.0.0.1:${dispatch.port}/bridge/v1/messages`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown> };
};
/** Sends as the 12345 desk (its own key), or as the 119 connector. */
const send = (env: object, as: 'hotline' | 'connector' = 'hotline') => {
  const body = JSON.stringify(env);
  const [id, key] = as === 'hotline' ? [KEY_ID, KEY] : C2D;
  return post(body, signedHeaders('hmac-sha256', id, key, body));
};
const item = async (id: string) =>
  (await dispatch.db.db.query('SELECT status, last_in_seq FROM linkage_items WHERE item_id = $1', [id])).rows[0];
const inboxed = async (id: string) =>
  ((await dispatch.db.db.query('SELECT 1 FROM bridge_inbox WHERE message_id = $1', [id])).rowCount ?? 0) > 0;
const lastRefusal = async () =>
  (
    await dispatch.db.db.query(
      'SELECT reason, peer, item_id, message_id FROM bridge_refusals ORDER BY last_at DESC, id DESC LIMIT 1',
    )
  ).rows[0];

describe('a peer acts only on what is its own', () => {
  it('a connector key cannot dispute, confirm or otherwise touch a 12345 ⇄ 110 item (403 not_item_peer)', async () => {
    const open = opening();
    expect((await send(open)).json).toEqual({ ack: open.id, status: 'stored' });
    const step = {
      ...open,
      from: 'fire-119',
      id: uuidv7(),
      seq: 2,
      type: 'closure.dispute',
      payload: { reason: '重开' },
    };
    const res = await send(step, 'connector');
    expect(res).toEqual({ status: 403, json: { error: 'not_item_peer' } });
    expect(await item(open.itemId)).toEqual({ status: 'requested', last_in_seq: 1 });
    expect(await inboxed(step.id)).toBe(false);
    expect(await lastRefusal()).toMatchObject({ reason: 'not_item_peer', peer: 'fire-119', item_id: open.itemId });
    // The real peer's next message of the item is then stored, not answered `duplicate` and dropped.
    const real = { ...open, id: uuidv7(), seq: 2, type: 'info.copy', payload: { summary: '补充：伤者在二楼' } };
    expect((await send(real)).json).toEqual({ ack: real.id, status: 'stored' });
    expect(await item(open.itemId)).toMatchObject({ last_in_seq: 2 });
  });

  it('a connector key cannot speak in the 12345 desk’s name (401 unknown_key)', async () => {
    const env = opening();
    expect(await send(env, 'connector')).toEqual({ status: 401, json: { error: 'unknown_key' } });
    expect(await item(env.itemId)).toBeUndefined();
  });

  it('a connector cannot open an item in another desk’s id space (400 item_not_senders)', async () => {
    const env = opening({ from: 'fire-119' });
    expect(await send(env, 'connector')).toEqual({ status: 400, json: { error: 'item_not_senders' } });
    expect(await item(env.itemId as string)).toBeUndefined();
  });

  it('a peer cannot open items in the receiver’s own id space; the dispatcher’s own items still open', async () => {
    // The next number this desk would give its own item (the attack of issue 11 took exactly that id).
    const next = (await dispatch.db.db.query('SELECT last_value + 1 AS n FROM linkage_no_seq')).rows[0].n;
    const stolen = `cq-110:LK-2026-${String(next).padStart(6, '0')}`;
    const env = opening({ itemId: stolen });
    expect(await send(env)).toEqual({ status: 400, json: { error: 'item_not_senders' } });
    expect(await item(stolen)).toBeUndefined();
    expect(await lastRefusal()).toMatchObject({ reason: 'item_not_senders', peer: 'cq-12345', item_id: stolen });
    // Two incidents: one matter has one item (issue 11), so each diversion is of its own incident.
    for (let i = 0; i < 2; i++) {
      const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
        content: `报警人称小区门口有车辆占道，需要挪车（${i + 1}）`,
        category: 'social_linkage',
        districtCode: '500103',
      });
      expect(inc.status, JSON.stringify(inc.json)).toBe(201);
      const open = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
        kind: 'transfer',
        incidentId: inc.json.id,
        reason: `非警务，转12345（${i + 1}）`,
      });
      expect(open.status, JSON.stringify(open.json)).toBe(201);
    }
  });

  it('a message whose `to` is another desk, or the sender itself, is refused (400 wrong_recipient)', async () => {
    for (const to of ['cq-119', 'cq-12345', 'fire-119']) {
      const env = opening({ to });
      expect(await send(env)).toEqual({ status: 400, json: { error: 'wrong_recipient' } });
      expect(await item(env.itemId as string)).toBeUndefined();
    }
  });
});

describe('text, keys, size and encoding: the protocol’s permanent refusals, never a 5xx', () => {
  const req = { content: '有人打架', channel: 'phone_12345' };
  it.each([
    ['a NUL in the content', { kind: 'transfer', request: { ...req, content: '有人\u0000打架' } }, 'schema_invalid'],
    ['a lone surrogate in the reason', { kind: 'transfer', reason: '测试\ud83d', request: req }, 'schema_invalid'],
    ['a NUL in a field name', { kind: 'transfer', request: req, 're\u0000ason': 'x' }, 'schema_invalid'],
    ['a field named toString', { kind: 'transfer', request: { ...req, toString: 'x' } }, 'field_not_allowed'],
    ['a field named constructor', { kind: 'transfer', request: req, constructor: { a: 1 } }, 'field_not_allowed'],
  ])('%s', async (_l, payload, error) => {
    const env = opening({ payload });
    expect(await send(env)).toEqual({ status: 400, json: { error } });
    expect(await item(env.itemId as string)).toBeUndefined();
    expect(await inboxed(env.id as string)).toBe(false);
  });

  it('a key named __proto__ (as JSON carries it) and a NUL in the envelope’s own fields', async () => {
    const env = opening();
    const body = JSON.stringify(env).replace('"kind"', '"__proto__":{"polluted":true},"kind"');
    expect(await post(body, signedHeaders('hmac-sha256', KEY_ID, KEY, body))).toEqual({
      status: 400,
      json: { error: 'field_not_allowed' },
    });
    const nul = opening({ id: `${uuidv7()}\u0000` });
    expect(await send(nul)).toEqual({ status: 400, json: { error: 'schema_invalid' } });
    expect(await item(env.itemId)).toBeUndefined();
    expect(await item(nul.itemId as string)).toBeUndefined();
  });

  it('a NUL in a later step of an item changes nothing, and the item goes on', async () => {
    const open = opening();
    expect((await send(open)).status).toBe(200);
    const bad = { ...open, id: uuidv7(), seq: 2, type: 'info.copy', payload: { summary: 'x\u0000' } };
    expect(await send(bad)).toEqual({ status: 400, json: { error: 'schema_invalid' } });
    const good = { ...bad, id: uuidv7(), payload: { summary: '伤者已送医' } };
    expect((await send(good)).json).toEqual({ ack: good.id, status: 'stored' });
  });

  it('a body over 256 KB is 413 payload_too_large in the protocol’s shape', async () => {
    const env = opening({ payload: { kind: 'transfer', request: { ...req, content: '打'.repeat(100_000) } } });
    const body = JSON.stringify(env);
    expect(await post(body, signedHeaders('hmac-sha256', KEY_ID, KEY, body))).toEqual({
      status: 413,
      json: { error: 'payload_too_large' },
    });
  });

  it('a body that is not UTF-8 is schema_invalid (not signature_invalid), even correctly signed', async () => {
    const env = JSON.stringify(opening());
    const bytes = Buffer.concat([
      Buffer.from(env.slice(0, 40)),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(env.slice(40)),
    ]);
    const ts = String(Date.now()),
      nonce = 'q3Jx0aZ_bW9sLpT4rY2uVg8e';
    const sig = createHmac('sha256', KEY).update(`${ts}\n${nonce}\n`).update(bytes).digest('base64');
    const res = await post(bytes, {
      'x-bridge-key-id': KEY_ID,
      'x-bridge-timestamp': ts,
      'x-bridge-nonce': nonce,
      'x-bridge-signature': `hmac-sha256=${sig}`,
    });
    expect(res).toEqual({ status: 400, json: { error: 'schema_invalid' } });
  });
});

describe('signatures: the configured algorithm only, and a nonce of 16+ random bytes', () => {
  const signedWith = (alg: 'hmac-sha256' | 'hmac-sm3', nonce: string | null, body: string) => {
    const h = signedHeaders(alg, KEY_ID, KEY, body);
    if (nonce === null) return h;
    const ts = h['x-bridge-timestamp']!;
    const digest = alg === 'hmac-sha256' ? 'sha256' : 'sm3';
    const sig = createHmac(digest, KEY).update(`${ts}\n${nonce}\n${body}`).digest('base64');
    return { ...h, 'x-bridge-nonce': nonce, 'x-bridge-signature': `${alg}=${sig}` };
  };
  it.each([
    ['signed with HMAC-SM3 while this key is configured for HMAC-SHA256', 'hmac-sm3', null],
    ['with a nonce of 16 identical characters', 'hmac-sha256', 'aaaaaaaaaaaaaaaa'],
    ['with a nonce of 16 characters (12 bytes)', 'hmac-sha256', 'q3Jx0aZ_bW9sLpT4'],
    ['with a nonce that is not base64url', 'hmac-sha256', 'q3Jx0aZ/bW9sLpT4rY2uVg8e!'],
  ] as const)('refuses a message %s (401 signature_invalid)', async (_l, alg, nonce) => {
    const env = opening();
    const body = JSON.stringify(env);
    expect(await post(body, signedWith(alg, nonce, body))).toEqual({
      status: 401,
      json: { error: 'signature_invalid' },
    });
    expect(await item(env.itemId)).toBeUndefined();
  });

  it('accepts the configured algorithm with a random 18-byte nonce', async () => {
    const env = opening();
    expect((await send(env)).status).toBe(200);
  });
});

describe('refusals are logged, counted and bounded', () => {
  it('unauthenticated refusals are counted per hour in one row, not stored one by one', async () => {
    const before = (await dispatch.db.db.query('SELECT count(*)::int AS n FROM bridge_refusals')).rows[0].n;
    for (let i = 0; i < 5; i++) {
      const body = JSON.stringify(opening());
      expect((await post(body, { ...signedHeaders('hmac-sha256', `stranger-${i}`, KEY, body) })).status).toBe(401);
    }
    const rows = (
      await dispatch.db.db.query(
        "SELECT count, key_id FROM bridge_refusals WHERE reason = 'unknown_key' AND hour IS NOT NULL",
      )
    ).rows;
    // one row per hour (two if the loop crossed an hour), none naming the strangers' key ids
    expect(rows.length).toBeGreaterThanOrEqual(1);
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(rows.every((r) => r.key_id === null)).toBe(true);
    expect(rows.reduce((s, r) => s + r.count, 0)).toBeGreaterThanOrEqual(5);
    const after = (await dispatch.db.db.query('SELECT count(*)::int AS n FROM bridge_refusals')).rows[0].n;
    expect(after - before).toBeLessThanOrEqual(2);
  });

  it('/metrics counts refusals by code and peer', async () => {
    const text = await (await fetch(`http://127.0.0.1:${dispatch.port}/metrics`)).text();
    expect(text).toMatch(/liandong_bridge_refusals_total\{code="not_item_peer",peer="fire-119"\} [1-9]/);
    expect(text).toMatch(/liandong_bridge_refusals_total\{code="item_not_senders",peer="cq-12345"\} [1-9]/);
    expect(text).toMatch(/liandong_bridge_refusals_total\{code="unknown_key",peer="unauthenticated"\} [1-9]/);
  });

  it('no answer of this file was a 5xx (the desk’s log has no failed request)', () => {
    expect(dispatch.output).not.toMatch(/"statusCode":5\d\d|bridge wire request failed/);
  });

  it('docs/errors.md lists exactly the wire’s refusal codes with their HTTP status', () => {
    const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../../../docs/errors.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(WIRE_ERRORS);
  });
});

describe('dead letters and refusals, for administrators (/api/admin/bridge/…)', () => {
  let deadId: string;
  it('a message the peer refuses permanently is a dead letter at once, listed with its reason', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '报警人称楼下仓库冒烟，请消防到场',
      category: 'social_linkage',
      districtCode: '500103',
    });
    const open = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId: inc.json.id,
      target: 'fire-119',
      reason: '火情，请119出警',
    });
    expect(open.status, JSON.stringify(open.json)).toBe(201);
    const list = await eventually(async () => {
      const r = await dispatch.api('admin', 'GET', '/api/admin/bridge/dead-letters');
      return r.json.items?.find((d: { itemId: string }) => d.itemId === open.json.itemId) ? r : null;
    }, 20_000);
    const dead = list.json.items.find((d: { itemId: string }) => d.itemId === open.json.itemId);
    expect(dead).toMatchObject({ seq: 1, type: 'transfer.request', peer: 'fire-119', lastError: '401 unknown_key' });
    expect(list.json).toMatchObject({ page: 1, pageSize: 20 });
    expect(list.json.total).toBeGreaterThanOrEqual(1);
    deadId = dead.id;
  });

  it('an administrator retries it: sent again, and the retry is in the audit log; an unknown one is 404', async () => {
    const r = await dispatch.api('admin', 'POST', `/api/admin/bridge/dead-letters/${deadId}/retry`);
    expect(r).toEqual({ status: 200, json: { id: deadId, status: 'pending' } });
    const audit = await dispatch.db.db.query(
      "SELECT action, target, details FROM admin_audit WHERE action = 'bridge.dead_letter.retry' ORDER BY id DESC LIMIT 1",
    );
    expect(audit.rows[0]).toMatchObject({
      target: deadId,
      details: { peer: 'fire-119', lastError: '401 unknown_key' },
    });
    // still refused by the peer: dead again, with attempts counted anew
    await eventually(async () => {
      const row = await dispatch.db.db.query('SELECT status FROM bridge_outbox WHERE id = $1', [deadId]);
      return row.rows[0].status === 'dead';
    }, 20_000);
    const none = await dispatch.api('admin', 'POST', '/api/admin/bridge/dead-letters/no-such-message/retry');
    expect(none).toMatchObject({ status: 404, json: { code: 'OUTBOX_MESSAGE_NOT_FOUND' } });
  });

  it('lists refusals, latest first, by code and peer; unauthenticated ones with their count', async () => {
    const byPeer = await dispatch.api('admin', 'GET', '/api/admin/bridge/refusals?code=not_item_peer&peer=fire-119');
    expect(byPeer.status).toBe(200);
    expect(byPeer.json.items[0]).toMatchObject({ code: 'not_item_peer', peer: 'fire-119', count: 1 });
    expect(byPeer.json.items[0].itemId).toMatch(/^cq-12345:LK-/);
    const strangers = await dispatch.api('admin', 'GET', '/api/admin/bridge/refusals?code=unknown_key');
    expect(strangers.json.items.some((r: { peer: string | null; count: number }) => !r.peer && r.count >= 5)).toBe(
      true,
    );
    // the 12345 desk counted what 110 sent it with a key it does not know
    const atHotline = await desks.hotline.api('admin', 'GET', '/api/admin/bridge/refusals?code=unknown_key');
    expect(atHotline.json.total).toBeGreaterThanOrEqual(1);
    const bad = await dispatch.api('admin', 'GET', '/api/admin/bridge/refusals?code=teleport');
    expect(bad.status).toBe(400);
  });

  it('are for administrators only; the API is in the OpenAPI document', async () => {
    expect((await dispatch.api('dispatcher', 'GET', '/api/admin/bridge/dead-letters')).status).toBe(403);
    expect((await dispatch.api('dispatcher', 'POST', `/api/admin/bridge/dead-letters/${deadId}/retry`)).status).toBe(
      403,
    );
    expect((await dispatch.api('dispatcher', 'GET', '/api/admin/bridge/refusals')).status).toBe(403);
    const doc = (await (await fetch(`http://127.0.0.1:${dispatch.port}/docs/json`)).json()) as { paths: object };
    for (const p of [
      '/api/admin/bridge/dead-letters',
      '/api/admin/bridge/dead-letters/{id}/retry',
      '/api/admin/bridge/refusals',
    ])
      expect(Object.keys(doc.paths)).toContain(p);
  });
});

/**
 * One catalogue on both desks (bridge-protocol.md 1.1 `catalogue.publish`, issue 13 item 10): a version
 * the 12345 administrator publishes (as after a 会商) is installed at 110 under the same number, and 110
 * triages by it; a catalogue 110 cannot triage by, from anyone but its peer desk, out of sequence, a
 * drill or under a number 110 has used otherwise is not installed, and says so in the protocol's codes.
 */
describe('one catalogue on both desks: catalogue.publish', () => {
  const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const DRONE = {
    code: 'H-DRONE',
    name: '无人机扰民',
    kind: 'boundary',
    route: '12345',
    terms: ['放无人机'],
    cues: ['无人机'],
    category: 'QTSX01',
    needsConsultation: true,
  };
  const versions = async (desk: Desk) =>
    (
      await desk.db.db.query<{ version: number }>('SELECT version FROM triage_catalogue_versions ORDER BY version')
    ).rows.map((r) => r.version);
  const receipts = async (action: string) =>
    (
      await dispatch.db.db.query<{ target: string; details: Record<string, unknown> }>(
        'SELECT target, details FROM admin_audit WHERE action = $1 ORDER BY id',
        [action],
      )
    ).rows;
  const catalogueMessage = (over: Record<string, unknown> = {}, payload: Record<string, unknown> = {}) => {
    const version = (payload.version as number | undefined) ?? 900 + ++n;
    return {
      v: 1,
      id: uuidv7(),
      type: 'catalogue.publish',
      itemId: `cq-12345:CAT-${version}`,
      seq: 1,
      from: 'cq-12345',
      to: 'cq-110',
      sentAt: '2026-12-06T14:03:11.201+08:00',
      payload: { version, effectiveFrom: today(), source: '测试会商纪要', entries: [DRONE], ...payload },
      ...over,
    };
  };
  let published: number;
  let entries: Record<string, unknown>[];

  it('a version published on 12345 is installed at 110 under its number, with its source, and 110 triages by it', async () => {
    const list = await desks.hotline.api('admin', 'GET', '/api/admin/triage-catalogue');
    const active = await desks.hotline.api('admin', 'GET', `/api/admin/triage-catalogue/${list.json[0].version}`);
    entries = [...active.json.entries, DRONE];
    const res = await desks.hotline.api('admin', 'POST', '/api/admin/triage-catalogue', {
      effectiveFrom: today(),
      source: '2026年第四季度12345与110对接联动会商纪要',
      entries,
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    published = res.json.version;
    const at110 = await eventually(async () => {
      const v = await dispatch.api('admin', 'GET', `/api/admin/triage-catalogue/${published}`);
      return v.status === 200 && v.json;
    });
    expect(at110).toMatchObject({
      version: published,
      effectiveFrom: today(),
      source: '2026年第四季度12345与110对接联动会商纪要',
      note: '由cq-12345发布并同步至本平台',
      createdBy: null,
    });
    expect(at110.entries).toEqual(entries);
    expect(await receipts('catalogue.receive')).toContainEqual({
      target: String(published),
      details: expect.objectContaining({ from: 'cq-12345', outcome: 'installed', entries: entries.length }),
    });
    // 12345's own outbox: one message, an item of its own, delivered
    const sent = await desks.hotline.db.db.query(
      "SELECT item_id, seq, status FROM bridge_outbox WHERE type = 'catalogue.publish'",
    );
    expect(sent.rows).toEqual([{ item_id: `cq-12345:CAT-${published}`, seq: 1, status: 'delivered' }]);
    // 110 triages by the new version at once (not after its minute's reload)
    const t = await dispatch.api('dispatcher', 'POST', '/api/triage', { text: '楼顶有人放无人机，一直在拍我家阳台' });
    expect(t.status).toBe(200);
    expect(t.json.catalogueVersion).toBe(published);
  });

  it('the same message again, or the same item under a new id, is a duplicate and installs nothing twice', async () => {
    const row = (
      await dispatch.db.db.query<{ envelope: Record<string, unknown> }>(
        "SELECT envelope FROM bridge_inbox WHERE type = 'catalogue.publish' AND item_id = $1",
        [`cq-12345:CAT-${published}`],
      )
    ).rows[0]!;
    expect((await send(row.envelope)).json).toEqual({ ack: row.envelope.id, status: 'duplicate' });
    const again = { ...row.envelope, id: uuidv7() };
    expect((await send(again)).json).toEqual({ ack: again.id, status: 'duplicate' });
    expect((await receipts('catalogue.receive')).filter((r) => r.target === String(published))).toHaveLength(1);
  });

  it('a catalogue 110 cannot triage by is refused schema_invalid and nothing is stored', async () => {
    const before = await versions(dispatch);
    const bad = [
      catalogueMessage({}, { entries: [{ ...DRONE, route: 'moon' }] }), // not a route
      catalogueMessage({}, { entries: [{ ...DRONE, extra: 1 }] }), // a field the format has not
      catalogueMessage({}, { entries: [{ ...DRONE, terms: undefined, patterns: ['(a+)+$'] }] }), // catastrophic backtracking
      catalogueMessage({}, { entries: [] }),
      catalogueMessage({}, { version: 0 }),
      catalogueMessage({}, { effectiveFrom: '2026-13-45' }),
      catalogueMessage({}, { entries: 'H-DRONE' }),
    ];
    for (const env of bad) {
      expect(await send(env), JSON.stringify(env.payload).slice(0, 200)).toEqual({
        status: 400,
        json: { error: 'schema_invalid' },
      });
      expect(await inboxed(env.id)).toBe(false);
    }
    expect(await versions(dispatch)).toEqual(before);
  });

  it('only the peer desk publishes, in its own id space, as the first message of its item', async () => {
    const before = await versions(dispatch);
    // the 119 connector, in its own id space: not the desk 110 shares its catalogue with
    const fromConnector = catalogueMessage({ from: 'fire-119', itemId: 'fire-119:CAT-950' });
    expect(await send(fromConnector, 'connector')).toEqual({ status: 403, json: { error: 'not_item_peer' } });
    // the 12345 desk naming 110's own item
    expect(await send(catalogueMessage({ itemId: 'cq-110:CAT-951' }))).toEqual({
      status: 400,
      json: { error: 'item_not_senders' },
    });
    // a second message of a catalogue's item: its first is missing
    expect(await send(catalogueMessage({ seq: 2 }))).toEqual({
      status: 409,
      json: { error: 'sequence_gap', expected: 1 },
    });
    // a field outside the allow-list
    expect(await send(catalogueMessage({}, { note: '备注' }))).toEqual({
      status: 400,
      json: { error: 'field_not_allowed' },
    });
    expect(await versions(dispatch)).toEqual(before);
  });

  it('a drill, or a number 110 has used for another catalogue, is stored but not installed, and audited', async () => {
    const before = await versions(dispatch);
    const drill = catalogueMessage({ exercise: true });
    expect((await send(drill)).json).toEqual({ ack: drill.id, status: 'stored' });
    // version 1 exists at 110 with other entries
    const taken = catalogueMessage({ itemId: 'cq-12345:CAT-1' }, { version: 1 });
    expect((await send(taken)).json).toEqual({ ack: taken.id, status: 'stored' });
    expect(await versions(dispatch)).toEqual(before);
    const outcomes = await dispatch.db.db.query<{ message_id: string; outcome: string }>(
      'SELECT message_id, outcome FROM bridge_inbox WHERE message_id = ANY($1) ORDER BY received_at',
      [[drill.id, taken.id]],
    );
    expect(outcomes.rows).toEqual([
      { message_id: drill.id, outcome: 'exercise' },
      { message_id: taken.id, outcome: 'conflict:version_taken' },
    ]);
    expect(await receipts('catalogue.receive_conflict')).toContainEqual({
      target: '1',
      details: expect.objectContaining({ from: 'cq-12345', messageId: taken.id, newestHere: published }),
    });
    // what 110 triages by is still the version both desks share
    const t = await dispatch.api('dispatcher', 'POST', '/api/triage', { text: '楼顶有人放无人机' });
    expect(t.json.catalogueVersion).toBe(published);
    // the administrators see the version that was not installed where they keep the catalogue
    const open = await dispatch.api('admin', 'GET', '/api/admin/triage-catalogue/peer-conflicts');
    expect(open.status).toBe(200);
    expect(open.json).toEqual([
      expect.objectContaining({
        version: 1,
        from: 'cq-12345',
        source: '测试会商纪要',
        entries: 1,
        newestHere: published,
      }),
    ]);
    // until the desks agree again: a newer version from 12345, installed
    const next = catalogueMessage({}, { version: published + 1, entries });
    expect((await send(next)).json).toEqual({ ack: next.id, status: 'stored' });
    expect(await versions(dispatch)).toContain(published + 1);
    expect((await dispatch.api('admin', 'GET', '/api/admin/triage-catalogue/peer-conflicts')).json).toEqual([]);
    expect(dispatch.output).not.toMatch(/"statusCode":5\d\d|bridge wire request failed/);
  });
});
