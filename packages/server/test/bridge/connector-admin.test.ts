/** Administering a connector: edit its settings, rotate a key (the old one stops working), enable/disable, delete one made by mistake; each audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { uuidv7 } from '../../src/bridge/message-id.ts';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';

let t: TestApp;
const OLD_INBOUND = 'water-to-desk-secret-0000001';
beforeAll(async () => {
  t = await createTestApp();
  const put = await t.app.inject({
    method: 'PUT',
    url: '/api/admin/connectors/water-96069',
    headers: t.as('admin'),
    payload: {
      name: '自来水抢修热线',
      kind: 'water',
      endpointUrl: 'http://127.0.0.1:9/',
      keyId: 'desk-to-water',
      key: 'desk-to-water-secret-000001',
      inboundKeyId: 'water-to-desk',
      inboundKey: OLD_INBOUND,
    },
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(async () => {
  await t?.close();
});

const patch = (id: string, payload: unknown, who: 'admin' | 'dispatcher' = 'admin') =>
  t.app.inject({ method: 'PATCH', url: `/api/admin/connectors/${id}`, headers: t.as(who), payload: payload as object });
const listed = async () =>
  (await t.app.inject({ url: '/api/admin/connectors', headers: t.as('admin') })).json<Record<string, unknown>[]>();
const auditOf = async (action: string) =>
  (
    await t.db.query<{ target: string; details: Record<string, unknown> }>(
      'SELECT target, details FROM admin_audit WHERE action = $1 ORDER BY id',
      [action],
    )
  ).rows;

/** A message the connector signs with `secret` under `keyId`, sent to this desk. */
const sendSigned = (keyId: string, secret: string, from = 'water-96069') => {
  const body = JSON.stringify({
    v: 1,
    id: uuidv7(),
    type: 'feedback',
    itemId: 'cq-12345:LK-2026-000001',
    seq: 2,
    from,
    to: 'cq-12345',
    sentAt: new Date().toISOString(),
    payload: { disposition: 'resolved_on_scene', summary: '已抢修', handledBy: 'water', at: new Date().toISOString() },
  });
  return t.app.inject({
    method: 'POST',
    url: '/bridge/v1/messages',
    headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', keyId, secret, body) },
    payload: body,
  });
};

describe('an administrator edits a connector', () => {
  it('renames it and moves its endpoint; the list shows the change, the audit keeps before and after', async () => {
    const r = await patch('water-96069', { name: '市自来水公司抢修热线', endpointUrl: 'http://127.0.0.1:10' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      id: 'water-96069',
      name: '市自来水公司抢修热线',
      endpointUrl: 'http://127.0.0.1:10',
    });
    expect(r.json()).not.toHaveProperty('key');
    expect((await listed()).find((c) => c.id === 'water-96069')).toMatchObject({ name: '市自来水公司抢修热线' });
    expect((await auditOf('connector.update')).at(-1)).toEqual({
      target: 'water-96069',
      details: {
        changes: {
          name: { from: '自来水抢修热线', to: '市自来水公司抢修热线' },
          endpointUrl: { from: 'http://127.0.0.1:9/', to: 'http://127.0.0.1:10' },
        },
      },
    });
    // The audit log names the line as people know it, not by its id.
    const log = await t.app.inject({ url: '/api/admin/audit?kind=admin', headers: t.as('admin') });
    expect(log.json().find((e: { action: string }) => e.action === 'connector.update')).toMatchObject({
      target: 'water-96069',
      targetName: '市自来水公司抢修热线',
    });
  });

  it('refuses bad input with a code and changes nothing', async () => {
    const before = { list: await listed(), counts: await rowCounts(t.db) };
    for (const body of [
      {},
      { name: '' },
      { name: '   ' },
      { kind: 'police' },
      { endpointUrl: 'ftp://x' },
      { active: 'yes' },
      { key: 'a-secret-typed-in-000000' },
      { inboundKeyId: 'has space' },
      { name: '甲', extra: 1 },
    ]) {
      const r = await patch('water-96069', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
    }
    const unknown = await patch('no-such-line', { active: false });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().code).toBe('CONNECTOR_NOT_FOUND');
    const rotUnknown = await t.app.inject({
      method: 'POST',
      url: '/api/admin/connectors/no-such-line/rotate-key',
      headers: t.as('admin'),
      payload: { direction: 'inbound' },
    });
    expect(rotUnknown.statusCode).toBe(404);
    expect(rotUnknown.json().code).toBe('CONNECTOR_NOT_FOUND');
    const badDirection = await t.app.inject({
      method: 'POST',
      url: '/api/admin/connectors/water-96069/rotate-key',
      headers: t.as('admin'),
      payload: { direction: 'both' },
    });
    expect(badDirection.json().code).toBe('VALIDATION_FAILED');
    const forbidden = await patch('water-96069', { active: false }, 'dispatcher');
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().code).toBe('FORBIDDEN');
    expect({ list: await listed(), counts: await rowCounts(t.db) }).toEqual(before);
  });

  it('rotates the inbound key: the new key is shown once, a message signed with the old key is refused', async () => {
    expect((await sendSigned('water-to-desk', OLD_INBOUND)).json()).not.toEqual({ error: 'bad_signature' });
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/admin/connectors/water-96069/rotate-key',
      headers: t.as('admin'),
      payload: { direction: 'inbound' },
    });
    expect(r.statusCode, r.body).toBe(200);
    const { key, keyId, direction } = r.json();
    expect({ keyId, direction }).toEqual({ keyId: 'water-to-desk', direction: 'inbound' });
    expect(key).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(JSON.stringify(await listed())).not.toContain(key);
    const old = await sendSigned('water-to-desk', OLD_INBOUND);
    expect(old.statusCode).toBe(401);
    const fresh = await sendSigned('water-to-desk', key);
    expect(fresh.statusCode).not.toBe(401);
    const a = (await auditOf('connector.rotate_key')).at(-1)!;
    expect(a).toEqual({ target: 'water-96069', details: { direction: 'inbound', keyId: 'water-to-desk' } });
    expect(JSON.stringify(a)).not.toContain(key);
  });

  it('disables it: its key is refused and it is no transfer target; enabling brings it back', async () => {
    const rot = await t.app.inject({
      method: 'POST',
      url: '/api/admin/connectors/water-96069/rotate-key',
      headers: t.as('admin'),
      payload: { direction: 'inbound' },
    });
    const key = rot.json().key as string;
    expect((await patch('water-96069', { active: false })).json().active).toBe(false);
    expect((await sendSigned('water-to-desk', key)).statusCode).toBe(401);
    expect((await patch('water-96069', { active: true })).json().active).toBe(true);
    expect((await sendSigned('water-to-desk', key)).statusCode).not.toBe(401);
    const changes = (await auditOf('connector.update')).slice(-2).map((a) => a.details.changes);
    expect(changes).toEqual([{ active: { from: true, to: false } }, { active: { from: false, to: true } }]);
  });
});

describe('an administrator adds a connector', () => {
  const create = (payload: Record<string, unknown>, who: 'admin' | 'dispatcher' = 'admin') =>
    t.app.inject({ method: 'POST', url: '/api/admin/connectors', headers: t.as(who), payload });
  const NEW = {
    id: 'power-95598',
    name: '供电抢修热线',
    kind: 'power',
    endpointUrl: 'http://127.0.0.1:9/',
    keyId: 'desk-to-power',
    inboundKeyId: 'power-to-desk',
  };

  it('gets both secrets once (never listed, never audited), and the connector accepts messages signed with its inbound key', async () => {
    const r = await create(NEW);
    expect(r.statusCode, r.body).toBe(201);
    const { connector, keys } = r.json<{
      connector: Record<string, unknown>;
      keys: { outbound: { keyId: string; key: string }; inbound: { keyId: string; key: string } };
    }>();
    expect(connector).toMatchObject({ id: 'power-95598', name: '供电抢修热线', kind: 'power', active: true });
    expect(keys.outbound.keyId).toBe('desk-to-power');
    expect(keys.inbound.keyId).toBe('power-to-desk');
    expect(keys.inbound.key.length).toBeGreaterThanOrEqual(40);
    expect(keys.inbound.key).not.toBe(keys.outbound.key);
    const list = JSON.stringify(await listed());
    expect(list).toContain('power-95598');
    expect(list).not.toContain(keys.inbound.key);
    const a = (await auditOf('connector.create')).at(-1)!;
    expect(a.target).toBe('power-95598');
    expect(JSON.stringify(a)).not.toContain(keys.inbound.key);
    expect(JSON.stringify(a)).not.toContain(keys.outbound.key);
    expect((await sendSigned('power-to-desk', keys.inbound.key, 'power-95598')).statusCode).not.toBe(401);
    // and not with a made-up one
    expect((await sendSigned('power-to-desk', 'x'.repeat(43), 'power-95598')).statusCode).toBe(401);
  });

  it('refuses an id or an inbound key id in use, and bad fields, each with its code, and changes nothing', async () => {
    const before = await rowCounts(t.db);
    const connectors = JSON.stringify(await listed());
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...NEW, name: '另一个' }, 409, 'CONNECTOR_ID_TAKEN'],
      [{ ...NEW, id: 'power-2', inboundKeyId: 'water-to-desk' }, 409, 'CONNECTOR_KEY_ID_TAKEN'],
      [{ ...NEW, id: 'Power 2' }, 400, 'VALIDATION_FAILED'],
      [{ ...NEW, id: 'power-3', kind: 'tea' }, 400, 'VALIDATION_FAILED'],
      [{ ...NEW, id: 'power-4', endpointUrl: 'ftp://x' }, 400, 'VALIDATION_FAILED'],
      [{ ...NEW, id: 'power-5', name: '   ' }, 400, 'VALIDATION_FAILED'],
      [{ ...NEW, id: 'power-6', key: 'a-secret-typed-in-000000' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [payload, status, code] of cases) {
      const r = await create(payload);
      expect([r.statusCode, r.json().code], JSON.stringify(payload)).toEqual([status, code]);
    }
    expect((await create({ ...NEW, id: 'power-7' }, 'dispatcher')).json().code).toBe('FORBIDDEN');
    expect(await rowCounts(t.db)).toEqual(before);
    expect(JSON.stringify(await listed())).toBe(connectors);
  });
});

describe('an administrator deletes a connector set up by mistake', () => {
  const del = (id: string, who: 'admin' | 'dispatcher' = 'admin') =>
    t.app.inject({ method: 'DELETE', url: `/api/admin/connectors/${id}`, headers: t.as(who) });
  const make = (id: string, inboundKeyId: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/admin/connectors',
      headers: t.as('admin'),
      payload: {
        id,
        name: '误建的接入',
        kind: 'gas',
        endpointUrl: 'http://127.0.0.1:9/',
        keyId: `d-${id}`,
        inboundKeyId,
      },
    });

  it('only a stopped one without history: refused while active, by others, when unknown; then gone, audited', async () => {
    expect((await make('gas-typo', 'gas-typo-in')).statusCode).toBe(201);
    const before = await rowCounts(t.db);
    const refusals: [string, 'admin' | 'dispatcher', number, string][] = [
      ['gas-typo', 'admin', 409, 'CONNECTOR_ACTIVE'],
      ['gas-typo', 'dispatcher', 403, 'FORBIDDEN'],
      ['no-such-line', 'admin', 404, 'CONNECTOR_NOT_FOUND'],
      ['Bad Id', 'admin', 400, 'VALIDATION_FAILED'],
    ];
    for (const [id, who, status, code] of refusals) {
      const r = await del(encodeURIComponent(id), who);
      expect(r.statusCode, `${id} ${who}`).toBe(status);
      expect(r.json().code).toBe(code);
    }
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await patch('gas-typo', { active: false })).statusCode).toBe(200);
    expect((await del('gas-typo')).statusCode).toBe(204);
    expect((await listed()).map((c) => c.id)).not.toContain('gas-typo');
    expect((await auditOf('connector.delete')).at(-1)).toMatchObject({
      target: 'gas-typo',
      details: { name: '误建的接入', kind: 'gas' },
    });
    // its inbound key id is free again
    expect((await make('gas-96777', 'gas-typo-in')).statusCode).toBe(201);
  });

  it('one that linkage items name keeps its history: stopped, it still cannot be deleted, and nothing changes', async () => {
    // an item once diverted to the water line (as the bridge writes it)
    await t.db.query(
      `INSERT INTO linkage_items (item_id, kind, side, peer, status, opening)
       VALUES ('cq-12345:LK-2026-990001', 'diversion', 'originator', 'water-96069', 'closed', '{}')`,
    );
    expect((await patch('water-96069', { active: false })).statusCode).toBe(200);
    const before = await rowCounts(t.db);
    const r = await del('water-96069');
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'CONNECTOR_IN_USE', details: { uses: 1 } });
    expect(r.json().message).toContain('只能停用，不能删除');
    expect(await rowCounts(t.db)).toEqual(before);
    expect((await listed()).map((c) => c.id)).toContain('water-96069');
  });
});
