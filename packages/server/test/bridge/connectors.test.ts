/** Emergency linkage with a connector (119) reached through the reference receiver, a separate process. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { uuidv7 } from '../../src/bridge/message-id.ts';
import { eventually, freePort, makeDesks, type Desk } from './desks.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const D2C = ['d2c-1', 'desk-to-119-secret-000000001'] as const;
const C2D = ['c2d-1', '119-to-desk-secret-000000001'] as const;

let desks: Awaited<ReturnType<typeof makeDesks>>;
let dispatch: Desk;
let receiver: ChildProcess;
let rport: number;

beforeAll(async () => {
  desks = await makeDesks();
  dispatch = desks.dispatch;
  rport = await freePort();
  receiver = spawn(
    process.execPath,
    [
      BIN,
      'connector-receiver',
      '--id',
      'fire-119',
      '--port',
      String(rport),
      '--desk-url',
      `http://127.0.0.1:${dispatch.port}`,
      '--desk-id',
      'cq-110',
      '--key-id',
      C2D[0],
      '--key',
      C2D[1],
      '--desk-key-id',
      D2C[0],
      '--desk-key',
      D2C[1],
      '--auto',
      '--feedback-after-ms',
      '300',
    ],
    { stdio: 'ignore' },
  );
  await eventually(async () => (await fetch(`http://127.0.0.1:${rport}/health`)).ok, 20_000);
  const put = await dispatch.api('admin', 'PUT', '/api/admin/connectors/fire-119', {
    name: '重庆市消防救援总队119指挥中心',
    kind: 'fire',
    endpointUrl: `http://127.0.0.1:${rport}`,
    keyId: D2C[0],
    key: D2C[1],
    inboundKeyId: C2D[0],
    inboundKey: C2D[1],
  });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  expect(put.json).not.toHaveProperty('key');
}, 120_000);
afterAll(async () => {
  receiver?.kill('SIGTERM');
  await desks?.close();
});

describe('connectors: the same signed envelope to 119, 120, utilities …', () => {
  it('110 links a fire to 119: delivered to the connector, accepted, fed back, confirmed closed', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '报警人称楼下餐馆厨房起火，有人被困',
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
    const id = open.json.itemId;
    const fed = await eventually(async () => {
      const r = await dispatch.api('seat', 'GET', `/api/linkage/items/${encodeURIComponent(id)}`);
      return r.json.status === 'feedback_given' ? r.json : null;
    }, 15_000);
    expect(fed.peer).toBe('fire-119');
    expect(fed.peerRef).toMatch(/^FIRE-119-/);
    expect(
      (
        await dispatch.api('dispatcher', 'POST', `/api/linkage/items/${encodeURIComponent(id)}/confirm`, {
          note: '已核实',
        })
      ).json.status,
    ).toBe('closed');
    const got = await eventually(async () => {
      const list = (await (await fetch(`http://127.0.0.1:${rport}/received`)).json()) as {
        itemId: string;
        type: string;
        payload: Record<string, unknown>;
      }[];
      const mine = list.filter((e) => e.itemId === id);
      return mine.some((e) => e.type === 'closure.confirm') ? mine : null;
    });
    expect(got.map((e) => e.type)).toEqual(['transfer.request', 'closure.confirm']);
    expect((got[0]!.payload.request as { content: string }).content).toBe('报警人称楼下餐馆厨房起火，有人被困');
  });

  it('a connector’s key cannot speak in the other desk’s name', async () => {
    const env = {
      v: 1,
      id: uuidv7(),
      type: 'info.copy',
      itemId: 'cq-12345:LK-2026-000001',
      seq: 1,
      from: 'cq-12345',
      to: 'cq-110',
      sentAt: new Date().toISOString(),
      payload: { summary: '伪造' },
    };
    const body = JSON.stringify(env);
    const res = await fetch(`http://127.0.0.1:${dispatch.port}/bridge/v1/messages`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', C2D[0], C2D[1], body) },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unknown_key' });
  });

  it('a message the connector refuses is dead-lettered; the operator fixes the key and retries; it is delivered', async () => {
    const bad = await dispatch.api('admin', 'PUT', '/api/admin/connectors/fire-119', {
      name: '重庆市消防救援总队119指挥中心',
      kind: 'fire',
      endpointUrl: `http://127.0.0.1:${rport}`,
      keyId: D2C[0],
      key: 'a-wrong-key-00000000000',
      inboundKeyId: C2D[0],
      inboundKey: C2D[1],
    });
    expect(bad.status).toBe(200);
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '报警人称仓库冒烟',
      category: 'social_linkage',
    });
    const id = (
      await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
        kind: 'transfer',
        incidentId: inc.json.id,
        target: 'fire-119',
      })
    ).json.itemId;
    const dead = await eventually(async () => {
      const rows = (await dispatch.api('admin', 'GET', '/api/bridge/outbox?status=dead')).json as {
        id: string;
        itemId: string;
        lastError: string;
      }[];
      return rows.find((r) => r.itemId === id) ?? null;
    });
    expect(dead.lastError).toContain('signature_invalid');
    await dispatch.api('admin', 'PUT', '/api/admin/connectors/fire-119', {
      name: '重庆市消防救援总队119指挥中心',
      kind: 'fire',
      endpointUrl: `http://127.0.0.1:${rport}`,
      keyId: D2C[0],
      key: D2C[1],
      inboundKeyId: C2D[0],
      inboundKey: C2D[1],
    });
    expect((await dispatch.api('admin', 'POST', `/api/bridge/outbox/${dead.id}/retry`)).json).toEqual({
      id: dead.id,
      status: 'pending',
    });
    expect((await dispatch.api('admin', 'POST', `/api/bridge/outbox/${dead.id}/retry`)).json.code).toBe(
      'OUTBOX_MESSAGE_NOT_FOUND',
    );
    await eventually(
      async () =>
        (await dispatch.api('seat', 'GET', `/api/linkage/items/${encodeURIComponent(id)}`)).json.status ===
        'feedback_given',
      15_000,
    );
  });

  it('an unknown connector is refused when opening an item', async () => {
    const inc = await dispatch.api('dispatcher', 'POST', '/api/incidents', {
      content: '测试',
      category: 'public_help',
    });
    const res = await dispatch.api('dispatcher', 'POST', '/api/linkage/items', {
      kind: 'transfer',
      incidentId: inc.json.id,
      target: 'nobody-999',
    });
    expect(res.status).toBe(422);
    expect(res.json.code).toBe('REFERENCE_NOT_FOUND');
  });
});
