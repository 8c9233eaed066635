/**
 * The linkage event stream (GET /api/linkage/stream) masks the caller for readers who see callers masked:
 * the analyst's events carry the item without the caller's name and number, in its opening too; the seat's
 * carry them (issue 17: "caller data masked in every response and stream").
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sampleOrder, UNREACHED_PEER_BRIDGE, type TestApp } from '../helpers.ts';

const NAME = '司马青云';
const PHONE = '13766554433';
let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline', bridge: UNREACHED_PEER_BRIDGE });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await t?.close();
});

/** An open stream as one user, read as it comes. */
async function openStream(who: 'analyst' | 'seat') {
  const abort = new AbortController();
  const res = await fetch(`${base}/api/linkage/stream?access_token=${t.tokens[who]}`, { signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  return {
    async until(needle: string): Promise<string> {
      const end = Date.now() + 20_000;
      while (!text.includes(needle) && Date.now() < end) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value, { stream: true });
      }
      expect(text, `${who} stream`).toContain(needle);
      return text.split('\n\n').find((e) => e.includes(needle) && e.includes('event: item')) ?? '';
    },
    close: () => abort.abort(),
  };
}

describe('the linkage stream masks the caller for the analyst', () => {
  it('a transfer to 110: the analyst’s event has neither name nor number, the seat’s has them', async () => {
    const analyst = await openStream('analyst');
    const seat = await openStream('seat');
    await analyst.until('event: ready');
    await seat.until('event: ready');
    const { channel: _channel, ...request } = sampleOrder({
      caller: { name: NAME, phone: PHONE },
      categoryCode: undefined,
      content: `${NAME}说隔壁男子拿着刀在楼道里砍门，他的电话${PHONE}`,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/intake',
      headers: t.as('callTaker'),
      payload: { ...request, handling: { kind: 'transfer', callbackConsent: true } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const itemId = res.json<{ linkage: { itemId: string } }>().linkage.itemId;

    const forAnalyst = await analyst.until(itemId);
    expect(forAnalyst).toContain('event: item');
    expect(forAnalyst).not.toContain(NAME);
    expect(forAnalyst).not.toContain(PHONE);
    expect(forAnalyst).toContain('"callerMasked":true');
    const forSeat = await seat.until(itemId);
    expect(forSeat).toContain(NAME);
    expect(forSeat).toContain('"callerMasked":false');
    analyst.close();
    seat.close();
  });
});
