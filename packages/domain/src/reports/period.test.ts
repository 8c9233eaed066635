import { describe, expect, it } from 'vitest';
import { parsePeriod, previousPeriod, sameLastYear, weekContaining, type Period } from './period.ts';

const p = (s: string): Period => {
  const r = parsePeriod(s);
  if (!r.ok) throw new Error(r.message);
  return r.value;
};
const bounds = (x: Period) => [x.from.toISOString(), x.to.toISOString()];

describe('report periods, in Beijing time', () => {
  it.each([
    ['2026-10', '2026-09-30T16:00:00.000Z', '2026-10-31T16:00:00.000Z', '2026年10月'],
    ['2026-12', '2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年12月'],
    ['2026-Q4', '2026-09-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年第四季度'],
    ['2026', '2025-12-31T16:00:00.000Z', '2026-12-31T16:00:00.000Z', '2026年'],
    ['2026-W48', '2026-11-22T16:00:00.000Z', '2026-11-29T16:00:00.000Z', '2026年第48周'],
    ['2026-W01', '2025-12-28T16:00:00.000Z', '2026-01-04T16:00:00.000Z', '2026年第1周'],
    ['2026-10-01..2026-10-15', '2026-09-30T16:00:00.000Z', '2026-10-15T16:00:00.000Z', '2026年10月1日至10月15日'],
  ])('%s', (s, from, to, label) => {
    const x = p(s);
    expect(bounds(x)).toEqual([from, to]);
    expect(x.label).toBe(label);
    expect(x.key).toBe(s);
  });

  it.each([
    '2026-13',
    '2026-00',
    '2026-Q5',
    '2026-W54',
    '2020-W54',
    '2026-02-30..2026-03-01',
    '2026-10-15..2026-10-01',
    'last month',
    '1999',
    '2026-01-01..2027-06-01',
  ])('refuses %s with REPORT_PERIOD_INVALID', (s) => {
    const r = parsePeriod(s);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.code).toBe('REPORT_PERIOD_INVALID');
  });

  it('2020 has 53 ISO weeks', () => expect(p('2020-W53').to.toISOString()).toBe('2021-01-03T16:00:00.000Z'));

  it.each([
    ['2026-10', '2026-09', '2025-10'],
    ['2026-01', '2025-12', '2025-01'],
    ['2026-Q1', '2025-Q4', '2025-Q1'],
    ['2026', '2025', '2025'],
    ['2026-W01', '2025-W52', '2025-W01'],
    ['2021-W01', '2020-W53', '2020-W01'],
    ['2026-W53', '2026-W52', '2025-W52'],
    ['2026-10-01..2026-10-15', '2026-09-16..2026-09-30', '2025-10-01..2025-10-15'],
    ['2028-02-29..2028-03-01', '2028-02-27..2028-02-28', '2027-02-28..2027-03-01'],
  ])('%s: previous %s, a year earlier %s', (s, prev, yoy) => {
    expect(previousPeriod(p(s)).key).toBe(prev);
    expect(sameLastYear(p(s)).key).toBe(yoy);
  });
});

describe('the ISO week an instant falls in', () => {
  it('is counted on the Beijing calendar, Monday to Sunday, with the ISO year of its Thursday', () => {
    // Sunday 23:30 in Beijing is still that week; Monday 00:10 in Beijing (Sunday in UTC) is the next
    expect(weekContaining(new Date('2026-11-29T23:30:00+08:00')).key).toBe('2026-W48');
    expect(weekContaining(new Date('2026-11-30T00:10:00+08:00')).key).toBe('2026-W49');
    expect(weekContaining(new Date('2026-12-04T12:00:00+08:00')).key).toBe('2026-W49');
    // 1 January 2027 is a Friday: it belongs to 2026's last week
    expect(weekContaining(new Date('2027-01-01T09:00:00+08:00')).key).toBe('2026-W53');
    expect(weekContaining(new Date('2021-01-03T09:00:00+08:00')).key).toBe('2020-W53');
  });
});
