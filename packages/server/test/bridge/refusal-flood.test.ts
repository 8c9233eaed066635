/**
 * A flood of unauthenticated bridge posts (anyone can send them) is answered in the protocol's shape,
 * counted exactly, and costs the database a bounded number of writes: the refusals are coalesced into
 * their hourly row (wire.service.ts), not written one request at a time.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe('a flood of unauthenticated refusals', () => {
  it('200 at once: every one answered 401 and counted, in far fewer than 200 writes', async () => {
    const query = vi.spyOn(t.db, 'query');
    const body = JSON.stringify({ v: 1, id: 'x' });
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.app.inject({
          method: 'POST',
          url: '/bridge/v1/messages',
          headers: {
            'content-type': 'application/json',
            'x-liandong-key-id': `stranger-${i}`,
            'x-liandong-signature': 'hmac-sha256=AAAA',
            'x-liandong-timestamp': new Date().toISOString(),
            'x-liandong-nonce': 'AAAAAAAAAAAAAAAAAAAAAA',
          },
          payload: body,
        }),
      ),
    );
    const writes = query.mock.calls.filter(([sql]) => String(sql).includes('INSERT INTO bridge_refusals')).length;
    query.mockRestore();
    expect(answers.every((a) => a.statusCode >= 400 && a.statusCode < 500)).toBe(true);
    const codes = new Set(answers.map((a) => a.json().error));
    const rows = (
      await t.db.query<{ reason: string; n: number }>(
        'SELECT reason, sum(count)::int AS n FROM bridge_refusals WHERE hour IS NOT NULL GROUP BY reason',
      )
    ).rows;
    expect(rows.reduce((s, r) => s + r.n, 0)).toBe(200);
    expect(new Set(rows.map((r) => r.reason))).toEqual(codes);
    expect(writes).toBeLessThan(50);
  });
});
