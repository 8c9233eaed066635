import { describe, expect, it } from 'vitest';
import { assessLine, hourOfWeek, measureCalls, parseCallRecordCsv, parseCsv, type CallRecord } from './call-records.ts';

const at = (iso: string) => new Date(iso);
const rec = (offered: string, answerAfter: number | null, endAfter: number, over: Partial<CallRecord> = {}) => {
  const o = at(offered);
  return {
    line: '12345',
    callId: `${offered}-${answerAfter}`,
    caller: null,
    queue: null,
    agent: null,
    offeredAt: o,
    answeredAt: answerAfter === null ? null : new Date(o.getTime() + answerAfter * 1000),
    endedAt: new Date(o.getTime() + endAfter * 1000),
    ...over,
  } satisfies CallRecord;
};

describe('call measures', () => {
  it('counts answered within 15 s (GB/T 33358), abandons, and leaves short abandons out of offered', () => {
    const m = measureCalls([
      rec('2026-12-01T09:00:00+08:00', 10, 100),
      rec('2026-12-01T09:01:00+08:00', 15, 60),
      rec('2026-12-01T09:02:00+08:00', 40, 100),
      rec('2026-12-01T09:03:00+08:00', null, 30),
      rec('2026-12-01T09:04:00+08:00', null, 3),
    ]);
    expect(m).toMatchObject({ offered: 4, answered: 3, abandoned: 1, shortAbandoned: 1, answeredWithinTarget: 2 });
    expect(m.answerRate).toBe(0.75);
    expect(m.serviceLevel).toBe(0.5);
    expect(m.averageWaitSeconds).toBeCloseTo(65 / 3);
    expect(m.longestWaitSeconds).toBe(40);
  });

  it('reads the hour of the week in Beijing time', () => {
    expect(hourOfWeek(at('2026-11-30T00:30:00+08:00'))).toBe(0); // a Monday
    expect(hourOfWeek(at('2026-12-06T23:59:00+08:00'))).toBe(167); // a Sunday
    expect(hourOfWeek(at('2026-11-30T16:30:00Z'))).toBe(24); // Tuesday 00:30 Beijing
  });
});

describe('hotline assessment (plan 二(三)5)', () => {
  const week = (answerAt: (h: number) => number | null) => {
    const out: CallRecord[] = [];
    for (let h = 0; h < 168; h++) {
      const t = new Date(at('2026-11-30T00:10:00+08:00').getTime() + h * 3600_000).toISOString();
      out.push(rec(t, answerAt(h), 120, { callId: `c${h}` }));
    }
    return out;
  };

  it('a line answering around the clock and above 60 % is kept', () => {
    const a = assessLine(
      '12345',
      week(() => 8),
    );
    expect(a).toMatchObject({ has24x7: true, belowAnswerRate: false, mergeRecommended: false, staffedHours: 168 });
  });

  it('a line without night service is flagged for merging, and says why', () => {
    const a = assessLine(
      '12369',
      week((h) => (h % 24 >= 9 && h % 24 < 18 ? 8 : null)),
    );
    expect(a.has24x7).toBe(false);
    expect(a.unansweredHours).toHaveLength(168 - 63);
    expect(a.belowAnswerRate).toBe(true);
    expect(a.mergeRecommended).toBe(true);
    expect(a.reasons.join('；')).toContain('7×24');
    expect(a.reasons.join('；')).toContain('低于60%');
  });

  it('exactly 60 % is not below the line', () => {
    const recs = [0, 1, 2, 3, 4].map((i) =>
      rec(`2026-12-01T10:0${i}:00+08:00`, i < 3 ? 5 : null, 60, { callId: `x${i}` }),
    );
    expect(assessLine('x', recs).belowAnswerRate).toBe(false);
  });
});

describe('call-record CSV', () => {
  it('parses RFC 4180 quoting and a BOM', () => {
    expect(parseCsv('\ufeffa,b\r\n"x, ""y""",2\n')).toEqual([
      ['a', 'b'],
      ['x, "y"', '2'],
    ]);
  });

  it('reads rows in Beijing time or with an offset', () => {
    const r = parseCallRecordCsv(
      'line,call_id,caller,queue,agent,offered_at,answered_at,ended_at\n' +
        '12369,A1,13800000000,环保,王,2026-12-01 09:00:00,2026-12-01 09:00:12,2026-12-01 09:03:00\n' +
        '12369,A2,,,,2026-12-01T01:05:00Z,,2026-12-01T01:06:00Z\n',
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toHaveLength(2);
    expect(r.value[0]!.offeredAt.toISOString()).toBe('2026-12-01T01:00:00.000Z');
    expect(r.value[1]!.answeredAt).toBeNull();
  });

  it('refuses the whole file for one bad row, naming the row and column', () => {
    const r = parseCallRecordCsv(
      'line,call_id,offered_at,answered_at,ended_at\n12369,A1,2026-12-01 09:00:00,,2026-12-01 09:01:00\n12369,A2,昨天,,2026-12-01 09:01:00\n',
    );
    expect(r).toMatchObject({ ok: false, code: 'CALL_RECORD_CSV_INVALID' });
    if (!r.ok) expect(r.details).toMatchObject({ errors: [{ row: 3, column: 'offered_at' }] });
  });

  it('refuses a file without the required columns or with a repeated call id', () => {
    expect(parseCallRecordCsv('line,offered_at\n1,2\n').ok).toBe(false);
    const dup = parseCallRecordCsv(
      'line,call_id,offered_at,ended_at\nL,1,2026-12-01 09:00:00,2026-12-01 09:01:00\nL,1,2026-12-01 09:00:00,2026-12-01 09:01:00\n',
    );
    expect(dup.ok).toBe(false);
  });
});
