import { describe, expect, it } from 'vitest';
import { evaluate, type LabelledCase } from './evaluate.ts';
import type { Route, TriageOutcome, TriageResult } from './types.ts';

const answer = (id: string, route: Route, emergency = false): TriageResult => ({
  ok: true,
  id,
  value: {
    id,
    route,
    emergency,
    urgent: false,
    urgentKind: null,
    linked: [],
    category: 'Q',
    confidence: 0.9,
    needsConsultation: false,
    review: false,
    reasons: [],
    guidance: null,
    catalogueVersion: 1,
    modelVersion: null,
  } satisfies TriageOutcome,
});
const c = (id: string, group: string, route: Route[], emergency: boolean | null): LabelledCase => ({
  id,
  text: id,
  group,
  route,
  emergency,
  urgent: null,
});

describe('evaluation by group (issue 10’s table)', () => {
  it('reports police kept, non-police diverted, citizen messages off police and flagged, emergency recall and dangers left', () => {
    const cases = [
      c('p1', 'police_only_110', ['110'], false),
      c('p2', 'police_only_110', ['110'], false),
      c('n1', 'non_police_110', ['governance_center'], false),
      c('n2', 'non_police_110', ['12345'], false),
      c('m1', 'citizen_message', ['12345'], false),
      c('m2', 'citizen_message', ['12345'], false),
      c('e1', 'emergency_case', ['119'], true),
      c('e2', 'emergency_case', ['120'], true),
    ];
    const outcomes = [
      answer('p1', '110'),
      answer('p2', '12345'),
      answer('n1', 'governance_center'),
      answer('n2', '110'),
      answer('m1', '12345'),
      answer('m2', '110', true),
      answer('e1', '119', true),
      answer('e2', '12345'),
    ];
    const r = evaluate(cases, outcomes);
    expect(r.headline).toEqual({
      policeOnlyKeptOnPolice: 0.5,
      nonPoliceDivertedOffPolice: 0.5,
      citizenKeptOffPolice: 0.5,
      citizenFlaggedEmergency: 0.5,
      emergencyRecall: 0.5,
      dangersLeftInNonEmergencyQueue: 1,
    });
    expect(r.groups!.police_only_110).toMatchObject({ cases: 2, routeAccuracy: 0.5, onPolice: 0.5 });
    expect(r.routeAccuracy).toBe(0.5);
    expect(r.misses.map((m) => m.id)).toEqual(['p2', 'n2', 'm2', 'e2']);
  });
  it('does not count a flagged emergency answered with a route its label names as left in a queue', () => {
    const cases = [
      c('f1', 'emergency_case', ['12345', '119'], true),
      c('f2', 'emergency_case', ['119', '12345'], true),
      c('f3', 'emergency_case', ['119'], true),
      c('f4', 'emergency_case', ['12345', '119'], true),
    ];
    const r = evaluate(cases, [
      answer('f1', '12345', true),
      answer('f2', '12345', true),
      answer('f3', '12345', true),
      answer('f4', '12345', false),
    ]);
    // f3: 12345 is not its label's and not an emergency line; f4: not flagged.
    expect(r.emergenciesInNonEmergencyQueue).toBe(2);
    expect(r.headline!.dangersLeftInNonEmergencyQueue).toBe(2);
    expect(r.emergencyRecall).toBe(0.75);
  });
  it('has no groups when the data has none, and counts an error as a miss', () => {
    const r = evaluate(
      [{ id: 'a', text: 'a', route: ['110'], emergency: true, urgent: null }],
      [{ ok: false, code: 'TEXT_EMPTY', message: 'x', id: 'a' }],
    );
    expect(r.groups).toBeUndefined();
    expect(r).toMatchObject({ errors: 1, routeAccuracy: 0, emergenciesInNonEmergencyQueue: 1 });
  });
});
