/** Evaluation of triage outcomes against labelled cases (the metrics). */
import { EMERGENCY_ROUTES, ROUTES, type Route, type TriageError, type TriageOutcome } from './types.ts';

export interface LabelledCase {
  id: string;
  text: string;
  channel?: string;
  route: Route[] | null;
  emergency: boolean | null;
  urgent: boolean | null;
}

export interface Evaluation {
  cases: number;
  errors: number;
  routeAccuracy: number;
  routeCorrect: number;
  routeScored: number;
  emergencyRecall: number | null;
  emergencyFound: number;
  emergencyTotal: number;
  falseAlarmRate: number | null;
  falseAlarms: number;
  nonEmergencyTotal: number;
  urgentRecall: number | null;
  urgentFound: number;
  urgentTotal: number;
  emergenciesInNonEmergencyQueue: number;
  confusion: Record<string, Record<string, number>>;
  misses: {
    id: string;
    text: string;
    expected: Route[] | null;
    got: Route | 'error';
    emergency?: boolean;
    expectedEmergency: boolean | null;
  }[];
}

export function evaluate(cases: LabelledCase[], outcomes: (TriageOutcome | TriageError)[]): Evaluation {
  let routeCorrect = 0,
    routeScored = 0,
    eFound = 0,
    eTotal = 0,
    fa = 0,
    neTotal = 0,
    uFound = 0,
    uTotal = 0,
    leftInQueue = 0,
    errors = 0;
  const confusion: Record<string, Record<string, number>> = {};
  const misses: Evaluation['misses'] = [];
  cases.forEach((c, i) => {
    const o = outcomes[i]!;
    const expectedKey = c.route?.[0] ?? 'any';
    confusion[expectedKey] ??= Object.fromEntries([...ROUTES, 'error'].map((r) => [r, 0]));
    if ('error' in o) {
      errors++;
      confusion[expectedKey]!.error! += 1;
      misses.push({ id: c.id, text: c.text, expected: c.route, got: 'error', expectedEmergency: c.emergency });
      if (c.route) routeScored++;
      if (c.emergency === true) {
        eTotal++;
        leftInQueue++;
      }
      return;
    }
    confusion[expectedKey]![o.route]! += 1;
    if (c.route) {
      routeScored++;
      if (c.route.includes(o.route)) routeCorrect++;
      else
        misses.push({
          id: c.id,
          text: c.text,
          expected: c.route,
          got: o.route,
          emergency: o.emergency,
          expectedEmergency: c.emergency,
        });
    }
    if (c.emergency === true) {
      eTotal++;
      if (o.emergency) eFound++;
      if (!o.emergency || !EMERGENCY_ROUTES.has(o.route)) leftInQueue++;
      if (!o.emergency && c.route?.includes(o.route))
        misses.push({
          id: c.id,
          text: c.text,
          expected: c.route,
          got: o.route,
          emergency: o.emergency,
          expectedEmergency: true,
        });
    } else if (c.emergency === false) {
      neTotal++;
      if (o.emergency) {
        fa++;
        misses.push({
          id: c.id,
          text: c.text,
          expected: c.route,
          got: o.route,
          emergency: true,
          expectedEmergency: false,
        });
      }
    }
    if (c.urgent === true) {
      uTotal++;
      if (o.urgent) uFound++;
    }
  });
  const ratio = (a: number, b: number) => (b ? +(a / b).toFixed(4) : null);
  return {
    cases: cases.length,
    errors,
    routeAccuracy: ratio(routeCorrect, routeScored) ?? 1,
    routeCorrect,
    routeScored,
    emergencyRecall: ratio(eFound, eTotal),
    emergencyFound: eFound,
    emergencyTotal: eTotal,
    falseAlarmRate: ratio(fa, neTotal),
    falseAlarms: fa,
    nonEmergencyTotal: neTotal,
    urgentRecall: ratio(uFound, uTotal),
    urgentFound: uFound,
    urgentTotal: uTotal,
    emergenciesInNonEmergencyQueue: leftInQueue,
    confusion,
    misses,
  };
}
