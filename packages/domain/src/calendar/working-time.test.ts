import { describe, expect, it } from 'vitest';
import { WorkingCalendar, dueAt, localDate } from './working-time.ts';

// 2026 National Day as in the State Council notice: 10-01..10-07 off, make-up workday 10-10 (Sat).
const cal = new WorkingCalendar([
  ...['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07'].map((date) => ({
    date,
    kind: 'holiday' as const,
    name: '国庆节',
  })),
  { date: '2026-10-10', kind: 'workday', name: '国庆节调休' },
]);
const t = (s: string) => new Date(s);

describe('working calendar', () => {
  it.each([
    ['a weekday', '2026-11-27', true],
    ['a Saturday', '2026-11-28', false],
    ['a public holiday on a weekday', '2026-10-05', false],
    ['a make-up workday on a Saturday', '2026-10-10', true],
  ])('%s: %s working=%s', (_label, date, working) => expect(cal.isWorkingDay(date)).toBe(working));

  it.each([
    ['Thursday + 2 → Monday, same clock time', '2026-11-26T10:30:00+08:00', 2, '2026-11-30T10:30:00+08:00'],
    ['Saturday counts as received Monday 09:00', '2026-11-28T22:00:00+08:00', 2, '2026-12-02T09:00:00+08:00'],
    ['across National Day, counting the make-up Saturday', '2026-09-30T15:00:00+08:00', 2, '2026-10-09T15:00:00+08:00'],
    ['from inside the holiday', '2026-10-03T11:00:00+08:00', 1, '2026-10-09T09:00:00+08:00'],
    ['zero days on a working day is now', '2026-11-27T16:00:00+08:00', 0, '2026-11-27T16:00:00+08:00'],
    ['late evening UTC+8 stays on its local date', '2026-11-26T23:30:00+08:00', 1, '2026-11-27T23:30:00+08:00'],
  ])('%s', (_label, from, n, expected) => {
    expect(cal.addWorkingDays(t(from), n).toISOString()).toBe(t(expected).toISOString());
  });

  it('15 working days across the make-up Saturday of October', () => {
    // Working days after 09-30: 10-08, 10-09, 10-10 (Sat make-up), 10-12 … 10-23, 10-26, 10-27 (15th).
    expect(localDate(cal.addWorkingDays(t('2026-09-30T10:00:00+08:00'), 15))).toBe('2026-10-27');
  });

  it('urgent limits count elapsed hours, even on a holiday', () => {
    expect(dueAt(t('2026-10-02T23:00:00+08:00'), { amount: 2, unit: 'hours' }, cal).toISOString()).toBe(
      t('2026-10-03T01:00:00+08:00').toISOString(),
    );
  });

  it('counts working days between two instants', () => {
    expect(cal.workingDaysBetween(t('2026-09-30T10:00:00+08:00'), t('2026-10-12T10:00:00+08:00'))).toBe(4);
  });

  it('refuses negative or fractional day counts', () => {
    expect(() => cal.addWorkingDays(t('2026-11-27T10:00:00+08:00'), -1)).toThrow(RangeError);
    expect(() => cal.addWorkingDays(t('2026-11-27T10:00:00+08:00'), 1.5)).toThrow(RangeError);
  });
});
