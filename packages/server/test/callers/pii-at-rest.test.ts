/**
 * Personal data at rest (docs/security.md): what the API writes is sealed in the table (SM4-CBC +
 * HMAC-SM3, key id with each value), the API answers as before (masked where it masked), keys rotate
 * with every row still read, and a row under a key the ring does not hold fails clearly.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { maskName, maskPhone } from '@liandong/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addKeyToFile } from '../../src/crypto/keys.cli.ts';
import { resealAll, sealPlaintext, toReseal } from '../../src/crypto/pii-migrate.ts';
import {
  keyFilePath,
  keyringFromFile,
  loadKeyring,
  newKeySecret,
  open,
  phoneHash,
  piiKeyring,
  readKeyFile,
  seal,
  setPiiKeyring,
} from '../../src/crypto/pii.ts';
import type { Actor } from '../../src/auth/actor.ts';
import { HarassmentWatchList } from '../../src/reports/harassment.ts';
import { insertCall, insertCallBack, listCallBacks, listCalls } from '../../src/telephony/telephony.repo.ts';
import { createTestApp, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
const NAME = '司马秀英';
const PHONE = '13955501234';
const OTHER = { name: '诸葛晓明', phone: '15822203456' };
let order: { id: string; no: string };
let incident: { id: string; no: string };

const detail = (who: Parameters<TestApp['as']>[0]) =>
  t.app.inject({ url: `/api/work-orders/${order.id}`, headers: t.as(who) });
const callerOf = async (who: Parameters<TestApp['as']>[0]) => {
  const res = await detail(who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().request.caller as { name: string | null; phone: string | null; masked: boolean };
};
const rawCallers = async () =>
  (await t.db.query<{ row: string }>('SELECT row_to_json(c)::text AS row FROM callers c')).rows.map((r) => r.row);

beforeAll(async () => {
  setPiiKeyring(null);
  t = await createTestApp();
  const o = await t.app.inject({
    method: 'POST',
    url: '/api/work-orders',
    headers: t.as('callTaker'),
    payload: sampleOrder({ caller: { name: NAME, phone: PHONE }, content: '来电反映小区门口下水道堵塞，污水外溢。' }),
  });
  expect(o.statusCode, o.body).toBe(201);
  order = o.json();
  const i = await t.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: t.as('dispatcher'),
    payload: {
      caller: OTHER,
      content: '有人在楼下打架',
      districtCode: '500103',
      category: 'public_order',
      priority: 1,
    },
  });
  expect(i.statusCode, i.body).toBe(201);
  incident = i.json();
});
afterAll(async () => {
  setPiiKeyring(null);
  await t?.close();
});

describe('the callers table holds no plaintext', () => {
  it('a raw read of the table finds neither the names nor the numbers the API was given', async () => {
    const rows = await rawCallers();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    const all = rows.join('\n');
    for (const s of [NAME, PHONE, PHONE.slice(3), OTHER.name, OTHER.phone, OTHER.phone.slice(3)])
      expect(all).not.toContain(s);
    const c = await t.db.query<{ name_sealed: string; phone_sealed: string; phone_hash: string; plain: number }>(
      `SELECT name_sealed, phone_sealed, phone_hash, num_nonnulls(plain_name, plain_phone) AS plain
       FROM callers WHERE phone_hash = $1`,
      [phoneHash(PHONE)],
    );
    expect(c.rows).toHaveLength(1);
    expect(c.rows[0]!.plain).toBe(0);
    expect(c.rows[0]!.name_sealed).toMatch(/^v1:k1:[A-Za-z0-9+/=]+$/);
    expect(c.rows[0]!.phone_sealed).toMatch(/^v1:k1:[A-Za-z0-9+/=]+$/);
    expect(c.rows[0]!.phone_hash).toMatch(/^[0-9a-f]{64}$/);
    // sealing twice gives two ciphertexts (a random IV), so equal values do not show as equal
    expect(seal(PHONE, 'caller.phone')).not.toBe(seal(PHONE, 'caller.phone'));
    // the requests' own rows carry no caller either (the content is the matter, not who)
    const req = (await t.db.query<{ row: string }>('SELECT row_to_json(r)::text AS row FROM requests r')).rows;
    expect(req.map((r) => r.row).join('\n')).not.toContain(PHONE);
  });

  it('the API answers as it did: unmasked to the call-taker, masked to the analyst', async () => {
    expect(await callerOf('callTaker')).toMatchObject({ name: NAME, phone: PHONE, masked: false });
    expect(await callerOf('analyst')).toMatchObject({ name: maskName(NAME), phone: maskPhone(PHONE), masked: true });
    const inc = await t.app.inject({ url: `/api/incidents/${incident.id}`, headers: t.as('dispatcher') });
    expect(inc.statusCode, inc.body).toBe(200);
    expect(inc.json().request.caller).toMatchObject({ name: OTHER.name, phone: OTHER.phone });
    const h = await t.app.inject({ url: `/api/callers?phone=${PHONE}`, headers: t.as('callTaker') });
    expect(h.json()).toMatchObject({ known: true, name: NAME, phone: PHONE, requestCount: 1 });
    const found = await t.app.inject({ url: `/api/work-orders?phone=${PHONE}`, headers: t.as('callTaker') });
    expect(found.json().items.map((x: { id: string }) => x.id)).toEqual([order.id]);
  });

  it('a number written another way is the same caller (the hash is of the normalised number)', async () => {
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ caller: { phone: '+86 139-5550-1234' }, content: '再次反映下水道堵塞。' }),
    });
    expect(again.statusCode, again.body).toBe(201);
    const n = await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM callers WHERE phone_hash = $1', [
      phoneHash(PHONE),
    ]);
    expect(n.rows[0]!.n).toBe(1);
    const h = await t.app.inject({ url: `/api/callers?phone=${PHONE}`, headers: t.as('callTaker') });
    // the name given first is kept; the number as last given
    expect(h.json()).toMatchObject({ known: true, name: NAME, phone: '+86 139-5550-1234', requestCount: 2 });
  });
});

describe('call records, call-backs and the watch list are sealed too', () => {
  it('a switch call, its call-back and a watched number: nothing plain in the tables, found and shown as before', async () => {
    const id = randomUUID();
    await insertCall(t.db, {
      id,
      callRef: `cq-12345:${id}`,
      line: '12345',
      queue: null,
      caller: '13677700001',
      callerName: '欧阳秋',
      peerCallRef: null,
      offeredAt: new Date(),
    });
    await insertCallBack(t.db, id, '13677700001', 'abandoned_in_queue');
    const sup = (await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'sv1'")).rows[0]!.id;
    const supervisor: Actor = {
      id: sup,
      username: 'sv1',
      displayName: '测试sv1',
      role: 'supervisor',
      unitId: null,
      districtCode: null,
    };
    const caller = (
      await t.db.query<{ id: string }>('SELECT id FROM callers WHERE phone_hash = $1', [phoneHash(PHONE)])
    ).rows[0]!.id;
    const watch = new HarassmentWatchList(t.db);
    expect(
      await watch.confirm(supervisor, { callerRef: caller, note: '多次无效来电', period: '2026-12', calls: 5 }),
    ).toMatchObject({
      number: maskPhone(PHONE),
    });
    const raw = (
      await t.db.query<{ row: string }>(
        `SELECT row_to_json(x)::text AS row FROM (
           SELECT to_jsonb(c) AS v FROM calls c UNION ALL SELECT to_jsonb(b) FROM call_backs b
           UNION ALL SELECT to_jsonb(w) FROM harassment_watch w) x`,
      )
    ).rows
      .map((r) => r.row)
      .join('\n');
    for (const v of ['13677700001', '677700001', '欧阳秋', PHONE, PHONE.slice(3)]) expect(raw).not.toContain(v);
    // found by number, shown as before
    const calls = await listCalls(t.db, {
      from: new Date(Date.now() - 3600_000),
      to: new Date(Date.now() + 60_000),
      caller: '+86 136 7770 0001',
      limit: 10,
      offset: 0,
    });
    expect(calls.rows.map((c) => [c.id, c.caller, c.caller_name])).toEqual([[id, '13677700001', '欧阳秋']]);
    expect((await listCallBacks(t.db, true)).find((b) => b.call_id === id)?.caller).toBe('13677700001');
    expect((await watch.marksFor(PHONE)).map((m) => m.kind)).toEqual(['harassment']);
    expect((await watch.list(supervisor)).map((w) => w.number)).toEqual([maskPhone(PHONE)]);
    // one standing entry per number, by its hash
    await expect(
      watch.confirm(supervisor, { callerRef: caller, note: '再次确认', period: '2026-12', calls: 6 }),
    ).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
  });

  it('old-style plain rows of the call records and the watch list are sealed by the data step', async () => {
    const id = randomUUID();
    await t.db.query(
      `INSERT INTO calls (id, call_ref, source, line, plain_caller, plain_caller_name, offered_at)
       VALUES ($1, $2, 'switch', '12345', '13011112222', '旧话单', now())`,
      [id, `cq-12345:${id}`],
    );
    await t.db.query(
      "INSERT INTO call_backs (call_id, plain_caller, reason) VALUES ($1, '13011112222', 'dropped_in_transfer')",
      [id],
    );
    const sup = (await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'sv1'")).rows[0]!.id;
    await t.db.query(
      `INSERT INTO harassment_watch (plain_phone, note, period, calls, confirmed_by) VALUES ('13011112222', '旧名单', '2026-11', 3, $1)`,
      [sup],
    );
    expect(await sealPlaintext(t.db)).toBe(3);
    const left = await t.db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM calls WHERE plain_caller IS NOT NULL OR plain_caller_name IS NOT NULL)
            + (SELECT count(*) FROM call_backs WHERE plain_caller IS NOT NULL)
            + (SELECT count(*) FROM harassment_watch WHERE plain_phone IS NOT NULL) AS n`,
    );
    expect(Number(left.rows[0]!.n)).toBe(0);
    const found = await listCalls(t.db, {
      from: new Date(Date.now() - 3600_000),
      to: new Date(Date.now() + 60_000),
      caller: '13011112222',
      limit: 10,
      offset: 0,
    });
    expect(found.rows.map((c) => [c.id, c.caller_name])).toEqual([[id, '旧话单']]);
    expect((await new HarassmentWatchList(t.db).marksFor('13011112222')).length).toBe(1);
  });
});

describe('key rotation', () => {
  it('re-seals every row with the new key, and everything still reads, also once the old key is gone', async () => {
    const before = piiKeyring();
    const file = readKeyFile(before.source);
    const k2 = newKeySecret();
    const withK2 = keyringFromFile({ ...file, current: 'k2', keys: { ...file.keys, k2 } }, 'test ring (k1, k2)');
    setPiiKeyring(withK2);
    expect(await toReseal(t.db, withK2)).toBeGreaterThanOrEqual(2);
    const progress: number[] = [];
    // batches of one: the rotation runs in many short transactions
    const n = await resealAll(t.db, withK2, (x) => progress.push(x), 1);
    expect(n).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBe(n);
    expect(await toReseal(t.db, withK2)).toBe(0);
    const keys = await t.db.query<{ k: string }>(
      "SELECT DISTINCT split_part(phone_sealed, ':', 2) AS k FROM callers WHERE phone_sealed IS NOT NULL",
    );
    expect(keys.rows).toEqual([{ k: 'k2' }]);
    // the old key dropped from the ring: every row still reads, through the API too
    setPiiKeyring(keyringFromFile({ ...file, current: 'k2', keys: { k2 } }, 'k2 only'));
    expect(await callerOf('callTaker')).toMatchObject({ name: NAME, masked: false });
    expect(await callerOf('analyst')).toMatchObject({ name: maskName(NAME), masked: true });
    const inc = await t.app.inject({ url: `/api/incidents/${incident.id}`, headers: t.as('dispatcher') });
    expect(inc.json().request.caller).toMatchObject({ name: OTHER.name, phone: OTHER.phone });
    // the call-backs and the watch list were re-sealed too: they open under k2 alone
    expect((await listCallBacks(t.db, true)).map((b) => b.caller)).toContain('13677700001');
    expect((await new HarassmentWatchList(t.db).marksFor(PHONE)).length).toBe(1);
    // the look-up hash has a key of its own: rotation leaves it, so look-ups by number keep working
    const h = await t.app.inject({ url: `/api/callers?phone=${PHONE}`, headers: t.as('callTaker') });
    expect(h.json()).toMatchObject({ known: true, name: NAME });
  });

  it('a row under a key the ring does not hold fails clearly, and an altered one does not verify', async () => {
    const file = readKeyFile(keyFilePath());
    setPiiKeyring(keyringFromFile({ ...file, current: 'k9', keys: { k9: newKeySecret() } }, 'test ring (k9)'));
    const res = await detail('callTaker');
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({ code: 'PII_KEY_UNKNOWN' });
    expect(res.json().message).toContain('k2');
    // the row itself: one character of the ciphertext changed
    const ring = keyringFromFile({ ...file, current: 'k1' }, 'k1');
    const sealed = seal(PHONE, 'caller.phone', ring)!;
    const i = sealed.length - 10;
    const altered = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
    expect(() => open(altered, 'caller.phone', ring)).toThrow(
      expect.objectContaining({ code: 'PII_INTEGRITY_FAILED' }),
    );
    // nor can a sealed name be passed off as a number (the field is under the MAC)
    expect(() => open(seal(NAME, 'caller.name', ring), 'caller.phone', ring)).toThrow(
      expect.objectContaining({ code: 'PII_INTEGRITY_FAILED' }),
    );
    expect(open(sealed, 'caller.phone', ring)).toBe(PHONE);
  });
});

describe('keys outside the database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-keys-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('a fresh data folder gets a key file of mode 0600; the rotation command adds a key and makes it current', () => {
    const file = path.join(dir, 'pii-keys.json');
    const ring = loadKeyring({ LIANDONG_DATA_DIR: dir });
    expect(ring.source).toBe(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const rotated = addKeyToFile(file);
    expect(rotated.current).toBe('k2');
    expect([...rotated.keys.keys()]).toEqual(['k1', 'k2']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    // what k1 sealed, the rotated ring reads; the look-up key is unchanged
    expect(open(seal(PHONE, 'caller.phone', ring), 'caller.phone', rotated)).toBe(PHONE);
    expect(phoneHash(PHONE, rotated)).toBe(phoneHash(PHONE, ring));
    expect(loadKeyring({ LIANDONG_DATA_DIR: dir }).current).toBe('k2');
  });

  it('keys from the environment; a missing or malformed setting refuses to start', () => {
    const k = newKeySecret();
    const ring = loadKeyring({
      PII_KEYS: `b:${newKeySecret()},a:${k}`,
      PII_CURRENT_KEY: 'a',
      PII_LOOKUP_KEY: newKeySecret(),
    });
    expect(ring.current).toBe('a');
    expect(ring.source).toBe('PII_KEYS');
    expect(() => loadKeyring({ PII_KEYS: `a:${k}` })).toThrow(/PII_LOOKUP_KEY/);
    expect(() => loadKeyring({ PII_KEYS: `a:${k}`, PII_LOOKUP_KEY: k, PII_CURRENT_KEY: 'z' })).toThrow(
      /PII_CURRENT_KEY/,
    );
    expect(() => loadKeyring({ PII_KEYS: 'a:c2hvcnQ=', PII_LOOKUP_KEY: k })).toThrow(/16/);
    expect(() => loadKeyring({ NODE_ENV: 'production', PII_KEY_FILE: path.join(dir, 'absent', 'keys.json') })).toThrow(
      /PII_KEYS/,
    );
    expect(fs.existsSync(path.join(dir, 'absent'))).toBe(false);
  });
});
