/** Refusals on the wire: forged, altered, stale, replayed, unsigned, unknown-key and over-sharing messages. */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signature, signedHeaders } from '../../src/bridge/signing.ts';
import { uuidv7 } from '../../src/bridge/message-id.ts';
import { KEYS, makeDesks, type Desk } from './desks.ts';

let desks: Awaited<ReturnType<typeof makeDesks>>;
let dispatch: Desk;
beforeAll(async () => {
  desks = await makeDesks('hmac-sm3');
  ({ dispatch } = desks);
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const [KEY_ID, KEY] = KEYS.h2d;
let n = 0;
const envelope = (over: Record<string, unknown> = {}) => ({
  v: 1,
  id: uuidv7(),
  type: 'transfer.request',
  itemId: `cq-12345:LK-2026-9${String(++n).padStart(5, '0')}`,
  seq: 1,
  from: 'cq-12345',
  to: 'cq-110',
  sentAt: '2026-11-28T14:03:11.201+08:00',
  payload: { kind: 'transfer', reason: '测试', request: { content: '有人打架', channel: 'phone_12345' } },
  ...over,
});
const post = (body: string, headers: Record<string, string>) =>
  fetch(`http://127.0.0.1:${dispatch.port}/bridge/v1/messages`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
const stored = async (id: string) =>
  ((await dispatch.db.db.query('SELECT 1 FROM bridge_inbox WHERE message_id = $1', [id])).rowCount ?? 0) > 0;

describe('the receiver refuses what it must, and logs why', () => {
  it('accepts a correctly signed message (HMAC-SM3), and answers a resend as duplicate', async () => {
    const env = envelope();
    const body = JSON.stringify(env);
    const res = await post(body, signedHeaders('hmac-sm3', KEY_ID, KEY, body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ack: env.id, status: 'stored' });
    const again = await post(body, signedHeaders('hmac-sm3', KEY_ID, KEY, body));
    expect(await again.json()).toEqual({ ack: env.id, status: 'duplicate' });
  });

  it.each([
    ['unsigned', (_b: string) => ({}) as Record<string, string>, 401, 'signature_invalid'],
    [
      'signed with a wrong key',
      (b: string) => signedHeaders('hmac-sm3', KEY_ID, 'not-the-key', b),
      401,
      'signature_invalid',
    ],
    ['with an unknown key id', (b: string) => signedHeaders('hmac-sm3', 'who-1', KEY, b), 401, 'unknown_key'],
    [
      'with a stale timestamp',
      (b: string) => signedHeaders('hmac-sm3', KEY_ID, KEY, b, Date.now() - 10 * 60_000),
      401,
      'stale_timestamp',
    ],
    [
      'altered after signing',
      (b: string) => signedHeaders('hmac-sm3', KEY_ID, KEY, b.replace('有人打架', '无事')),
      401,
      'signature_invalid',
    ],
  ])('refuses a message %s', async (_l, headersFor, status, error) => {
    const env = envelope();
    const body = JSON.stringify(env);
    const res = await post(body, headersFor(body));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual({ error });
    expect(await stored(env.id)).toBe(false);
    const logged = await dispatch.db.db.query(
      'SELECT reason FROM bridge_refusals ORDER BY last_at DESC, id DESC LIMIT 1',
    );
    expect(logged.rows[0].reason).toBe(error);
  });

  it('refuses a replayed request (same nonce) even with a valid signature', async () => {
    const env = envelope();
    const body = JSON.stringify(env);
    const headers = signedHeaders('hmac-sm3', KEY_ID, KEY, body);
    expect((await post(body, headers)).status).toBe(200);
    const res = await post(body, headers);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'replayed_nonce' });
  });

  it.each([
    [
      'a payload field outside the allow-list (caller history)',
      { payload: { kind: 'transfer', request: { content: '有人打架' }, callerHistory: ['2025-01-01 投诉'] } },
      'field_not_allowed',
    ],
    [
      'a nested field outside the allow-list (ID number)',
      { payload: { kind: 'transfer', request: { content: '有人打架', idNumber: '500103199001011234' } } },
      'field_not_allowed',
    ],
    ['an unknown type', { type: 'transfer.teleport' }, 'unknown_type'],
    ['a broken envelope', { seq: -1 }, 'schema_invalid'],
  ])('refuses %s with 400, and never stores it', async (_l, over, error) => {
    const env = envelope(over);
    const body = JSON.stringify(env);
    const res = await post(body, signedHeaders('hmac-sm3', KEY_ID, KEY, body));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error });
    expect(await stored(env.id)).toBe(false);
    const items = await dispatch.db.db.query('SELECT 1 FROM linkage_items WHERE item_id = $1', [env.itemId]);
    expect(items.rowCount).toBe(0);
  });

  it('answers a message that skips ahead with sequence_gap and the seq it expects', async () => {
    const first = envelope();
    const b1 = JSON.stringify(first);
    expect((await post(b1, signedHeaders('hmac-sm3', KEY_ID, KEY, b1))).status).toBe(200);
    const third = { ...first, id: uuidv7(), type: 'closure.confirm', seq: 3, payload: {} };
    const b3 = JSON.stringify(third);
    const res = await post(b3, signedHeaders('hmac-sm3', KEY_ID, KEY, b3));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'sequence_gap', expected: 2 });
  });

  it('the signature is over timestamp, nonce and body exactly as the protocol says', () => {
    const expected = createHmac('sha256', 'k')
      .update(`1700000000000\n${'n'.repeat(16)}\n{}`)
      .digest('base64');
    expect(signature('hmac-sha256', 'k', '1700000000000', 'n'.repeat(16), '{}')).toBe(`hmac-sha256=${expected}`);
  });
});
