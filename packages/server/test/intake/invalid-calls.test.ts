/**
 * 无效来电 and 骚扰来电 on the 12345 desk: a call marked so is a request with no work order; the harassment
 * report finds the number on this desk, and on the 110 desk through the analysis feed (kind `request`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARE_FIELDS } from '@liandong/domain';
import type { USERS } from '../helpers.ts';
import { makeInprocDesks } from '../analytics/inproc-desks.ts';
import { incident, type Desks, type HarassmentAnswer } from '../reports/fixtures.ts';

let desks: Desks;
beforeAll(async () => {
  desks = await makeInprocDesks();
}, 120_000);
afterAll(async () => {
  await desks?.close();
});

const post = async (payload: unknown, who: keyof typeof USERS = 'callTaker') =>
  desks.hotline.app.inject({
    method: 'POST',
    url: '/api/intake/invalid-calls',
    headers: await desks.hotline.as(who),
    payload: payload as object,
  });
const count = async (sql: string) => (await desks.hotline.db.query<{ n: number }>(sql)).rows[0]!.n;
const written = async () => ({
  requests: await count('SELECT count(*)::int AS n FROM requests'),
  marks: await count('SELECT count(*)::int AS n FROM invalid_calls'),
  orders: await count('SELECT count(*)::int AS n FROM work_orders'),
});
const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T23:10:00+08:00`;
type Harass = HarassmentAnswer;
const harassment = async (desk: 'hotline' | 'dispatch') => {
  const res = await desks[desk].app.inject({
    url: '/api/reports/harassment?period=2026-11',
    headers: await desks[desk].as('analyst'),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Harass>();
};

describe('a 12345 call marked 无效 or 骚扰', () => {
  it('refuses bad input with a code and writes nothing', async () => {
    const before = await written();
    const bad: [unknown, string, (keyof typeof USERS)?][] = [
      [{}, 'VALIDATION_FAILED'],
      [{ kind: 'spam' }, 'VALIDATION_FAILED'],
      [{ kind: 'invalid', note: 'x'.repeat(501) }, 'VALIDATION_FAILED'],
      [{ kind: 'invalid', caller: { phone: 'abc' } }, 'VALIDATION_FAILED'],
      [{ kind: 'invalid', workOrder: true }, 'VALIDATION_FAILED'],
      [{ kind: 'invalid', content: '无声\u0000电话' }, 'TEXT_INVALID'],
      [{ kind: 'invalid', receivedAt: '2099-01-01T00:00:00+08:00' }, 'VALIDATION_FAILED'],
      [{ kind: 'invalid', streetCode: '500103001' }, 'VALIDATION_FAILED'],
      // the call named must be hers and live: this desk runs no telephony
      [{ kind: 'invalid', callId: '00000000-0000-4000-8000-000000000000' }, 'TELEPHONY_OFF'],
      // a role that takes no calls
      [{ kind: 'harassment' }, 'FORBIDDEN', 'analyst'],
    ];
    for (const [payload, code, who] of bad) {
      const res = await post(payload, who);
      expect(res.json().code, JSON.stringify(payload)).toBe(code);
    }
    expect(await written()).toEqual(before);
    // the 110 desk has no such route: its invalid calls are incidents closed as invalid
    const d = await desks.dispatch.app.inject({
      method: 'POST',
      url: '/api/intake/invalid-calls',
      headers: await desks.dispatch.as('dispatcher'),
      payload: { kind: 'invalid' },
    });
    expect(d.statusCode).toBe(404);
  });

  it('records the call with no work order; a retry with the same clientRef answers with the first', async () => {
    const before = await written();
    const silent = await post({
      kind: 'invalid',
      note: '无声电话',
      caller: { phone: '13700000001' },
      receivedAt: at(3),
      clientRef: 'inv-silent-1',
    });
    expect(silent.statusCode, silent.body).toBe(201);
    expect(silent.json()).toMatchObject({ kind: 'invalid', label: '无效来电', note: '无声电话' });
    const again = await post({ kind: 'invalid', caller: { phone: '13700000001' }, clientRef: 'inv-silent-1' });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(silent.json().id);
    for (const day of [4, 5, 6]) {
      const r = await post({
        kind: 'harassment',
        content: '来电人辱骂话务员，电话13700000001，无具体诉求',
        caller: { phone: '137 0000 0001', name: '某男' },
        receivedAt: at(day),
      });
      expect(r.statusCode, r.body).toBe(201);
    }
    // two from another number: under the report's three
    for (const day of [7, 8]) await post({ kind: 'invalid', caller: { phone: '13700000002' }, receivedAt: at(day) });
    expect(await written()).toEqual({
      requests: before.requests + 6,
      marks: before.marks + 6,
      orders: before.orders,
    });
    // the silent call's text is its mark: a request always says what it was
    const text = await desks.hotline.db.query<{ content: string }>(
      'SELECT r.content FROM invalid_calls v JOIN requests r ON r.id = v.request_id WHERE v.id = $1',
      [silent.json().id],
    );
    expect(text.rows[0]!.content).toBe('无效来电：无声电话');
    // the caller panel shows the marks on the number's next call
    const panel = await desks.hotline.app.inject({
      url: '/api/callers?phone=13700000001',
      headers: await desks.hotline.as('callTaker'),
    });
    const rows = panel.json<{ requests: { invalidLabel: string | null; record: unknown }[] }>().requests;
    expect(rows.map((r) => [r.invalidLabel, r.record])).toEqual([
      ['骚扰来电', null],
      ['骚扰来电', null],
      ['骚扰来电', null],
      ['无效来电', null],
    ]);
  });

  it('the harassment report lists the number on 12345, and on 110 through the feed beside its own incident', async () => {
    const h = await harassment('hotline');
    expect(h.total).toBe(6);
    expect(h.numbers).toHaveLength(1);
    expect(h.numbers[0]).toMatchObject({
      number: '137****0001',
      calls: 4,
      harassment: 3,
      invalid: 1,
      ownCalls: 4,
      peerCalls: 0,
      confirmable: true,
    });
    expect(h.numbers[0]!.history.map((x) => x.label)).toEqual(['无效来电', '骚扰来电', '骚扰来电', '骚扰来电']);
    expect(h.numbers[0]!.history[1]!.category).toBe('12345来电');
    expect(JSON.stringify(h)).not.toContain('13700000001');

    // the same number rings 110 and is closed as harassing there
    await incident(desks.dispatch.db, {
      at: at(9),
      phone: '13700000001',
      closeKind: 'harassment',
      category: 'non_police',
      content: '来电辱骂接警员',
    });
    await desks.hotline.app.services.share.pull();
    await desks.dispatch.app.services.share.pull();

    // the 110 desk keeps 12345's calls apart from its records: in no count of records
    const kept = await desks.dispatch.db.query<{ calls: number; records: number }>(
      `SELECT (SELECT count(*)::int FROM shared_calls) AS calls,
              (SELECT count(*)::int FROM shared_records WHERE kind = 'request') AS records`,
    );
    expect(kept.rows[0]).toEqual({ calls: 6, records: 0 });

    const d = await harassment('dispatch');
    expect(d.source).toContain('12345平台共享的无效、骚扰来电记录');
    expect(d.numbers).toHaveLength(1);
    expect(d.numbers[0]).toMatchObject({
      number: '137****0001',
      calls: 5,
      harassment: 4,
      ownCalls: 1,
      peerCalls: 4,
      confirmable: true,
    });
    const peer = d.numbers[0]!.history.filter((x) => x.desk === 'peer');
    expect(peer.map((x) => x.label)).toEqual(['无效来电', '骚扰来电', '骚扰来电', '骚扰来电']);
    // the text came masked through the feed
    expect(peer[1]!.text).not.toContain('13700000001');
    expect(JSON.stringify(d)).not.toContain('13700000001');

    const back = await harassment('hotline');
    expect(back.numbers[0]).toMatchObject({ calls: 5, ownCalls: 4, peerCalls: 1 });
  });

  it('the feed carries a marked call as a record of kind `request`, with the table’s fields alone', async () => {
    const r = await desks.dispatch.db.query<Record<string, unknown>>(
      "SELECT kind, type, status, outcome, channel, text, caller_key FROM shared_calls WHERE outcome = 'harassment' LIMIT 1",
    );
    expect(r.rows[0]).toMatchObject({ kind: 'request', type: 'call', status: 'closed', channel: 'phone_12345' });
    expect(r.rows[0]!.caller_key).toMatch(/^[0-9a-f]{64}$/);
    expect(r.rows[0]!.text).not.toMatch(/1370000/);
    expect(SHARE_FIELDS.find((f) => f.field === 'kind')!.carries).toContain('`request`');
  });
});
