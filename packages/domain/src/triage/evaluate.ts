/** Evaluation of triage outcomes against labelled cases (the metrics of issue 10's table). */
import { EMERGENCY_ROUTES, ROUTES, type Route, type TriageResult } from './types.ts';

export interface LabelledCase {
  id: string;
  text: string;
  title?: string;
  channel?: string;
  route: Route[] | null;
  emergency: boolean | null;
  urgent: boolean | null;
  /** Which kind of case (e.g. police_only_110, non_police_110, citizen_message, emergency_case). */
  group?: string;
}

export interface GroupFigures {
  cases: number;
  routeAccuracy: number | null;
  /** Share answered 110. */
  onPolice: number;
  /** Share flagged emergency. */
  flaggedEmergency: number;
  emergencyRecall: number | null;
  emergenciesInNonEmergencyQueue: number;
  /** Share a person is asked to review. */
  review: number;
}

/** The table, from the groups that name it. */
export interface Headline {
  policeOnlyKeptOnPolice?: number;
  nonPoliceDivertedOffPolice?: number;
  citizenKeptOffPolice?: number;
  citizenFlaggedEmergency?: number;
  emergencyRecall?: number | null;
  dangersLeftInNonEmergencyQueue?: number;
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
  groups?: Record<string, GroupFigures>;
  headline?: Headline;
  confusion: Record<string, Record<string, number>>;
  misses: {
    id: string;
    text: string;
    group?: string;
    expected: Route[] | null;
    got: Route | 'error';
    emergency?: boolean;
    expectedEmergency: boolean | null;
  }[];
}

const ratio = (a: number, b: number) => (b ? +(a / b).toFixed(4) : null);

export function evaluate(cases: LabelledCase[], outcomes: TriageResult[]): Evaluation {
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
  const g: Record<
    string,
    {
      n: number;
      scored: number;
      right: number;
      police: number;
      flagged: number;
      eT: number;
      eF: number;
      left: number;
      review: number;
    }
  > = {};
  cases.forEach((c, i) => {
    const o = outcomes[i]!;
    const expectedKey = c.route?.[0] ?? 'any';
    confusion[expectedKey] ??= Object.fromEntries([...ROUTES, 'error'].map((r) => [r, 0]));
    const grp = c.group
      ? (g[c.group] ??= { n: 0, scored: 0, right: 0, police: 0, flagged: 0, eT: 0, eF: 0, left: 0, review: 0 })
      : null;
    if (grp) grp.n++;
    const miss = (got: Route | 'error', emergency?: boolean) =>
      misses.push({
        id: c.id,
        text: c.text,
        group: c.group,
        expected: c.route,
        got,
        emergency,
        expectedEmergency: c.emergency,
      });
    if (!o.ok) {
      errors++;
      confusion[expectedKey]!.error! += 1;
      miss('error');
      if (c.route) {
        routeScored++;
        if (grp) grp.scored++;
      }
      if (c.emergency === true) {
        eTotal++;
        leftInQueue++;
        if (grp) {
          grp.eT++;
          grp.left++;
        }
      }
      return;
    }
    const out = o.value;
    confusion[expectedKey]![out.route]! += 1;
    if (grp) {
      if (out.route === '110') grp.police++;
      if (out.emergency) grp.flagged++;
      if (out.review) grp.review++;
    }
    let missed = false;
    if (c.route) {
      routeScored++;
      if (grp) grp.scored++;
      if (c.route.includes(out.route)) {
        routeCorrect++;
        if (grp) grp.right++;
      } else missed = true;
    }
    if (c.emergency === true) {
      eTotal++;
      if (grp) grp.eT++;
      if (out.emergency) {
        eFound++;
        if (grp) grp.eF++;
      } else missed = true;
      // Left in a non-emergency queue: not flagged, or sent to a queue that is neither an emergency
      // line nor one the label names (a flood's relief labelled 12345 first, flagged, is not left).
      if (!out.emergency || !(EMERGENCY_ROUTES.has(out.route) || c.route?.includes(out.route))) {
        leftInQueue++;
        if (grp) grp.left++;
      }
    } else if (c.emergency === false) {
      neTotal++;
      if (out.emergency) {
        fa++;
        missed = true;
      }
    }
    if (missed) miss(out.route, out.emergency);
    if (c.urgent === true) {
      uTotal++;
      if (out.urgent) uFound++;
    }
  });
  const groups = Object.keys(g).length
    ? Object.fromEntries(
        Object.entries(g).map(([k, v]) => [
          k,
          {
            cases: v.n,
            routeAccuracy: ratio(v.right, v.scored),
            onPolice: ratio(v.police, v.n) ?? 0,
            flaggedEmergency: ratio(v.flagged, v.n) ?? 0,
            emergencyRecall: ratio(v.eF, v.eT),
            emergenciesInNonEmergencyQueue: v.left,
            review: ratio(v.review, v.n) ?? 0,
          } satisfies GroupFigures,
        ]),
      )
    : undefined;
  let headline: Headline | undefined;
  if (groups) {
    headline = {};
    const p = groups.police_only_110,
      np = groups.non_police_110,
      cm = groups.citizen_message,
      em = groups.emergency_case;
    if (p) headline.policeOnlyKeptOnPolice = p.onPolice;
    if (np) headline.nonPoliceDivertedOffPolice = +(1 - np.onPolice).toFixed(4);
    if (cm) {
      headline.citizenKeptOffPolice = +(1 - cm.onPolice).toFixed(4);
      headline.citizenFlaggedEmergency = cm.flaggedEmergency;
    }
    if (em) {
      headline.emergencyRecall = em.emergencyRecall;
      headline.dangersLeftInNonEmergencyQueue = em.emergenciesInNonEmergencyQueue;
    }
  }
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
    ...(groups ? { groups, headline } : {}),
    confusion,
    misses,
  };
}
