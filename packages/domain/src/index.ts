export * from './shared/result.ts';
export * from './shared/masking.ts';
export * from './shared/request.ts';
export * from './shared/roles.ts';
export * from './shared/desks.ts';
export * from './shared/units.ts';
export * from './shared/beijing-time.ts';
export * from './calendar/working-time.ts';
export * from './hotline/work-order/work-order.ts';
export * from './hotline/work-order/status.ts';
export * from './hotline/work-order/transitions.ts';
export * from './hotline/work-order/deadlines.ts';
export * from './dispatch/incident/incident.ts';
export * from './dispatch/incident/status.ts';
export * from './dispatch/incident/transitions.ts';
export * from './learn/hashing.ts';
export * from './learn/linear.ts';
export * from './learn/segment.ts';
export {
  ROUTES,
  ROUTE_LABELS,
  ROUTE_NAMES,
  EMERGENCY_ROUTES,
  EMERGENCY_PRECEDENCE,
  ENTRY_KINDS,
  ENTRY_KIND_LABELS,
  TRIAGE_CHANNELS,
  TRIAGE_DESKS,
  HARMS,
  TRIAGE_TEXT_ERRORS,
  isV2Entry,
} from './triage/types.ts';
export type * from './triage/types.ts';
export * from './triage/normalize.ts';
export * from './triage/clean.ts';
export * from './triage/reading.ts';
export * from './triage/catalogue.ts';
export * from './triage/model.ts';
export * from './triage/engine.ts';
export * from './triage/evaluate.ts';
export * from './bridge/envelope.ts';
export * from './bridge/linkage.ts';
export * from './bridge/cross-desk.ts';
export * from './telephony/index.ts';
export * from './knowledge/index.ts';
export * from './hotline/smart-dispatch/history.ts';
export * from './hotline/smart-dispatch/features.ts';
export * from './hotline/smart-dispatch/model.ts';
export * from './hotline/smart-dispatch/baseline.ts';
export * from './bridge/share.ts';
export * from './reports/period.ts';
export { STATE_MACHINES, stateDiagram, stateMachinesSection, withStateMachines } from './state-machines.ts';
export * from './reports/topics.ts';
export * from './hotline/merge/merge-candidates.ts';
