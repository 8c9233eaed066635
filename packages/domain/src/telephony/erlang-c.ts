/**
 * Erlang C: the probability that a call waits, the service level (share answered within a target time)
 * and the agents needed per interval for a target service level — the staffing model of inbound call
 * centres (应急状态接话能力, plan 二(三)6; GB/T 33358's "answered within 15 s" as the usual target).
 * Computed with the stable recurrence for Erlang B (no factorials), then Erlang C from it.
 */

/** Erlang B blocking probability for `agents` servers offered `erlangs` of traffic. */
export function erlangB(agents: number, erlangs: number): number {
  let b = 1;
  for (let k = 1; k <= agents; k++) b = (erlangs * b) / (k + erlangs * b);
  return b;
}

/** Erlang C: probability that an arriving call has to wait (1 when the agents cannot carry the load). */
export function erlangC(agents: number, erlangs: number): number {
  if (agents <= 0) return 1;
  if (erlangs <= 0) return 0;
  if (erlangs >= agents) return 1;
  const b = erlangB(agents, erlangs);
  return b / (1 - (erlangs / agents) * (1 - b));
}

export interface IntervalLoad {
  /** calls offered in the interval */
  calls: number;
  /** average handling time (talk + after-call work), seconds */
  ahtSeconds: number;
  /** interval length, seconds (half an hour: 1800) */
  intervalSeconds: number;
}

export const trafficErlangs = (load: IntervalLoad): number =>
  load.intervalSeconds > 0 ? (load.calls * load.ahtSeconds) / load.intervalSeconds : 0;

/** Share of calls answered within `targetSeconds` with `agents` on the phones. */
export function serviceLevel(agents: number, load: IntervalLoad, targetSeconds: number): number {
  const a = trafficErlangs(load);
  if (a === 0) return 1;
  if (agents <= a) return 0;
  const pw = erlangC(agents, a);
  return 1 - pw * Math.exp((-(agents - a) * targetSeconds) / load.ahtSeconds);
}

/** Average speed of answer (seconds) with `agents`; Infinity when the queue grows without bound. */
export function averageSpeedOfAnswer(agents: number, load: IntervalLoad): number {
  const a = trafficErlangs(load);
  if (a === 0) return 0;
  if (agents <= a) return Infinity;
  return (erlangC(agents, a) * load.ahtSeconds) / (agents - a);
}

export interface StaffingTarget {
  /** e.g. 0.8 for 80 % */
  serviceLevel: number;
  /** e.g. 15 (GB/T 33358-2016: answered within 15 s) */
  targetSeconds: number;
  /** highest share of time an agent is on calls (optional cap, e.g. 0.85) */
  maxOccupancy?: number;
}

export interface StaffingAnswer {
  agents: number;
  erlangs: number;
  serviceLevel: number;
  waitProbability: number;
  averageSpeedOfAnswer: number;
  occupancy: number;
}

/** The fewest agents that meet the target for the interval's load (0 when no calls are expected). */
export function agentsNeeded(load: IntervalLoad, target: StaffingTarget): StaffingAnswer {
  const a = trafficErlangs(load);
  if (a === 0 || load.calls <= 0)
    return { agents: 0, erlangs: 0, serviceLevel: 1, waitProbability: 0, averageSpeedOfAnswer: 0, occupancy: 0 };
  let n = Math.max(1, Math.floor(a) + 1);
  if (target.maxOccupancy && target.maxOccupancy > 0) n = Math.max(n, Math.ceil(a / target.maxOccupancy));
  // The service level rises with every agent added; the loop ends within a few steps of the traffic.
  while (serviceLevel(n, load, target.targetSeconds) < target.serviceLevel) n++;
  return {
    agents: n,
    erlangs: a,
    serviceLevel: serviceLevel(n, load, target.targetSeconds),
    waitProbability: erlangC(n, a),
    averageSpeedOfAnswer: averageSpeedOfAnswer(n, load),
    occupancy: a / n,
  };
}
