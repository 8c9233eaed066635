/**
 * Call records without a switch: other lines' CSV imports, the hotline assessment (热线归并, plan
 * 二(三)5), capacity planning (Erlang C; 110 staffing, plan 二(四)9), the training log (plan 二(三)6),
 * and a desk without SIP_PORT saying telephony is off.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const HEADER = 'line,call_id,caller,queue,agent,offered_at,answered_at,ended_at\n';
/** A week of calls on a line: one an hour, answered (after 8 s) when `staffed(hour)`. */
function week(line: string, staffed: (h: number) => boolean): string {
  let csv = HEADER;
  const start = Date.parse('2026-11-30T00:10:00+08:00');
  for (let h = 0; h < 168; h++) {
    const at = new Date(start + h * 3600_000);
    const iso = (d: Date) => d.toISOString();
    const answered = staffed(h) ? iso(new Date(at.getTime() + 8000)) : '';
    csv += `${line},${line}-${h},1390000${String(h).padStart(4, '0')},,${answered ? '王' : ''},${iso(at)},${answered},${iso(new Date(at.getTime() + 200_000))}\n`;
  }
  return csv;
}
const importCsv = (body: string, who: 'supervisor' | 'callTaker' = 'supervisor') =>
  t.app.inject({
    method: 'POST',
    url: '/api/telephony/call-records/import?filename=week.csv',
    headers: { ...t.as(who), 'content-type': 'text/csv' },
    payload: body,
  });
const PERIOD = 'from=2026-11-30T00:00:00%2B08:00&to=2026-12-07T00:00:00%2B08:00';

describe('a desk without a switch', () => {
  it('says telephony is off, and refuses to sign an agent in', async () => {
    expect((await t.app.inject({ url: '/api/telephony/status', headers: t.as('callTaker') })).json()).toMatchObject({
      enabled: false,
      sipPort: null,
    });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/telephony/agent/sign-in',
      headers: t.as('callTaker'),
      payload: { extension: '8001' },
    });
    expect(res.statusCode).toBe(503);
    expect(res.json().code).toBe('TELEPHONY_OFF');
  });
});

describe('call records from other lines', () => {
  it('a supervisor imports a CSV; the same rows again are counted as duplicates', async () => {
    const first = await importCsv(week('12369', () => true));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ rows: 168, inserted: 168, duplicates: 0 });
    const again = await importCsv(week('12369', () => true));
    expect(again.json()).toMatchObject({ rows: 168, inserted: 0, duplicates: 168 });
  });

  it('a bad row refuses the whole file, names row and column, and imports nothing', async () => {
    const before = await t.db.query('SELECT count(*)::int AS n FROM calls');
    const counts = await rowCounts(t.db);
    const res = await importCsv(
      `${HEADER}12358,A1,,,,2026-12-01 09:00:00,,2026-12-01 09:02:00\n12358,A2,,,,明天,,2026-12-01 09:02:00\n`,
    );
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({
      code: 'CALL_RECORD_CSV_INVALID',
      details: { errors: [{ row: 3, column: 'offered_at' }] },
    });
    expect(res.json().message).toContain('第 3 行');
    expect((await t.db.query('SELECT count(*)::int AS n FROM calls')).rows[0]).toEqual(before.rows[0]);
    expect(await rowCounts(t.db)).toEqual(counts);
  });

  it('a call-taker may not import', async () => {
    expect(
      (
        await importCsv(
          week('x', () => true),
          'callTaker',
        )
      ).statusCode,
    ).toBe(403);
  });
});

describe('hotline assessment (热线归并)', () => {
  it('flags the line without night service and under 60 %, keeps the 7×24 line', async () => {
    await importCsv(week('12358', (h) => h % 24 >= 9 && h % 24 < 18));
    const res = await t.app.inject({ url: `/api/telephony/assessment?${PERIOD}`, headers: t.as('analyst') });
    expect(res.statusCode, res.body).toBe(200);
    const lines = Object.fromEntries(res.json().lines.map((l: { line: string }) => [l.line, l]));
    expect(lines['12369']).toMatchObject({ has24x7: true, belowAnswerRate: false, mergeRecommended: false });
    expect(lines['12358']).toMatchObject({ has24x7: false, belowAnswerRate: true, mergeRecommended: true });
    expect(lines['12358'].reasons.join('')).toContain('低于60%');
    // the specialist queue takes only the other desk's transfers: not a public line to merge
    await importCsv(week('specialist', (h) => h % 24 >= 9 && h % 24 < 18));
    const again = await t.app.inject({ url: `/api/telephony/assessment?${PERIOD}`, headers: t.as('analyst') });
    expect(again.json().lines.map((l: { line: string }) => l.line)).not.toContain('specialist');
  });

  it('refuses a period that is not a time', async () => {
    const res = await t.app.inject({
      url: '/api/telephony/assessment?from=yesterday&to=now',
      headers: t.as('analyst'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('capacity planning', () => {
  it('gives agents per half hour for 80 % within 15 s, and the 110 minimum of 1.5 % of daily inbound', async () => {
    const res = await t.app.inject({
      url: `/api/telephony/capacity?${PERIOD}&line=12369&serviceLevel=0.8&targetSeconds=15`,
      headers: t.as('supervisor'),
    });
    expect(res.statusCode, res.body).toBe(200);
    const c = res.json();
    expect(c.intervals).toHaveLength(48);
    expect(c.days).toBe(7);
    expect(c.averageDailyInbound).toBe(24);
    expect(c.required110CallTakers).toBe(1);
    // one call an hour, at ten past: the :00 half hours carry it, the :30 ones are empty
    expect(c.intervals[0]).toMatchObject({ start: '00:00', calls: 1, agents: 1 });
    expect(c.intervals[1]).toMatchObject({ start: '00:30', calls: 0, agents: 0 });
  });
});

describe('training log (≥ 5 课时 a month)', () => {
  it('records a session with its attendees and checks every call-taker for the month', async () => {
    const ids = (await t.db.query<{ id: string; username: string }>('SELECT id, username FROM users')).rows;
    const id = (u: string) => ids.find((r) => r.username === u)!.id;
    const add = (minutes: number, attendees: string[]) =>
      t.app.inject({
        method: 'POST',
        url: '/api/training/sessions',
        headers: t.as('supervisor'),
        payload: { title: '应急话术培训', heldOn: '2026-12-03', minutes, attendees },
      });
    expect((await add(180, [id('ct1'), id('dp1')])).json()).toMatchObject({ periods: 4 });
    expect((await add(45, [id('ct1')])).statusCode).toBe(201);
    const check = (
      await t.app.inject({ url: '/api/training/check?month=2026-12', headers: t.as('supervisor') })
    ).json();
    const by = (n: string) => check.find((c: { userId: string }) => c.userId === id(n));
    expect(by('ct1')).toMatchObject({ periods: 5, meets: true });
    expect(by('dp1')).toMatchObject({ periods: 4, meets: false, shortBy: 1 });
    expect(by('seat1')).toMatchObject({ periods: 0, meets: false });
    const sessions = (
      await t.app.inject({ url: '/api/training/sessions?month=2026-12', headers: t.as('supervisor') })
    ).json();
    expect(sessions).toHaveLength(2);
  });

  it('refuses an unknown attendee and changes nothing', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM training_sessions')).rows[0];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/training/sessions',
      headers: t.as('supervisor'),
      payload: {
        title: '培训',
        heldOn: '2026-12-03',
        minutes: 45,
        attendees: ['00000000-0000-4000-8000-000000000000'],
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().code).toBe('REFERENCE_NOT_FOUND');
    expect((await t.db.query('SELECT count(*)::int AS n FROM training_sessions')).rows[0]).toEqual(before);
  });

  it('a call-taker cannot keep the log', async () => {
    expect(
      (await t.app.inject({ url: '/api/training/check?month=2026-12', headers: t.as('callTaker') })).statusCode,
    ).toBe(403);
  });
});
