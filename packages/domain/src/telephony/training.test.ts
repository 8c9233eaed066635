import { describe, expect, it } from 'vitest';
import { checkTraining, periodsFor } from './training.ts';
import { required110CallTakers } from './staffing.ts';

describe('training log (plan 二(三)6: ≥ 5 课时 a month)', () => {
  it('checks every call-taker, including one who attended nothing', () => {
    const r = checkTraining(
      '2026-12',
      ['a', 'b', 'c'],
      [
        { userId: 'a', month: '2026-12', periods: 3 },
        { userId: 'a', month: '2026-12', periods: 2 },
        { userId: 'b', month: '2026-12', periods: 4.5 },
        { userId: 'b', month: '2026-11', periods: 4 },
      ],
    );
    expect(r).toEqual([
      { userId: 'a', month: '2026-12', periods: 5, shortBy: 0, meets: true },
      { userId: 'b', month: '2026-12', periods: 4.5, shortBy: 0.5, meets: false },
      { userId: 'c', month: '2026-12', periods: 0, shortBy: 5, meets: false },
    ]);
  });

  it('counts a 45-minute period', () => {
    expect(periodsFor(90)).toBe(2);
    expect(periodsFor(60)).toBe(1.3);
  });
});

describe('110 staffing (plan 二(四)9: ≥ 1.5 % of daily inbound)', () => {
  it('rounds up', () => {
    expect(required110CallTakers(3000)).toBe(45);
    expect(required110CallTakers(3001)).toBe(46);
    expect(required110CallTakers(0)).toBe(0);
  });
});
