import { describe, expect, it } from 'vitest';
import { agentsNeeded, averageSpeedOfAnswer, erlangB, erlangC, serviceLevel } from './erlang-c.ts';

describe('Erlang C', () => {
  it('matches the textbook figures (10 erlangs, 12 agents: Pw ≈ 0.4494)', () => {
    expect(erlangB(12, 10)).toBeCloseTo(0.1197, 3);
    expect(erlangC(12, 10)).toBeCloseTo(0.4494, 3);
  });

  it('360 calls in a half hour, 240 s handling: 48 erlangs, 54 agents give 80 % within 20 s (81.7 %)', () => {
    const load = { calls: 360, ahtSeconds: 240, intervalSeconds: 1800 };
    const need = agentsNeeded(load, { serviceLevel: 0.8, targetSeconds: 20 });
    expect(need.erlangs).toBe(48);
    expect(need.agents).toBe(54);
    expect(need.serviceLevel).toBeCloseTo(0.8172, 3);
    expect(need.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(serviceLevel(need.agents - 1, load, 20)).toBeLessThan(0.8);
  });

  it('never staffs at or below the traffic and honours an occupancy cap', () => {
    const load = { calls: 100, ahtSeconds: 180, intervalSeconds: 1800 }; // 10 erlangs
    expect(serviceLevel(10, load, 15)).toBe(0);
    expect(averageSpeedOfAnswer(10, load)).toBe(Infinity);
    expect(agentsNeeded(load, { serviceLevel: 0.1, targetSeconds: 15, maxOccupancy: 0.8 }).agents).toBe(13);
  });

  it('needs nobody for an empty interval', () => {
    expect(
      agentsNeeded({ calls: 0, ahtSeconds: 200, intervalSeconds: 1800 }, { serviceLevel: 0.8, targetSeconds: 15 }),
    ).toMatchObject({ agents: 0, serviceLevel: 1 });
  });
});
