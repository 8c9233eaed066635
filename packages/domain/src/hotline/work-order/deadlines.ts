import type { TimeLimit } from '../../calendar/working-time.ts';
import type { WorkOrderType } from './work-order.ts';

export interface TimeLimitRule extends TimeLimit {
  orderType: WorkOrderType | '*';
  urgent: boolean;
}

/**
 * Default time limits, editable per deployment: urgent work orders within 2 hours (plan task 7);
 * consultation 2 working days; help and suggestions 10; complaints and reports 15 (design §7, the
 * Guangdong practice). Praise needs no handling beyond recording: 2 working days to acknowledge.
 */
export const DEFAULT_TIME_LIMITS: readonly TimeLimitRule[] = [
  { orderType: '*', urgent: true, amount: 2, unit: 'hours' },
  { orderType: 'consultation', urgent: false, amount: 2, unit: 'working_days' },
  { orderType: 'help', urgent: false, amount: 10, unit: 'working_days' },
  { orderType: 'suggestion', urgent: false, amount: 10, unit: 'working_days' },
  { orderType: 'complaint', urgent: false, amount: 15, unit: 'working_days' },
  { orderType: 'report', urgent: false, amount: 15, unit: 'working_days' },
  { orderType: 'praise', urgent: false, amount: 2, unit: 'working_days' },
];

/**
 * The limit of an order whose type has no rule configured: the longest default (complaints and reports,
 * 15 working days), so an order never goes without a deadline.
 */
export const FALLBACK_TIME_LIMIT: TimeLimit = DEFAULT_TIME_LIMITS.filter((r) => r.unit === 'working_days')
  .map(({ amount, unit }) => ({ amount, unit }))
  .reduce((longest, r) => (r.amount > longest.amount ? r : longest));

/** The most specific rule: exact type before '*'. */
export function findTimeLimit(
  rules: readonly TimeLimitRule[],
  orderType: WorkOrderType,
  urgent: boolean,
): TimeLimitRule | undefined {
  return (
    rules.find((r) => r.urgent === urgent && r.orderType === orderType) ??
    rules.find((r) => r.urgent === urgent && r.orderType === '*')
  );
}
