import { fail, ok, type Result } from '../../shared/result.ts';
import type { CloseKind, IncidentStatus } from './status.ts';
import type { DispatchTier, Disposition, DiversionTarget, IncidentCategory, InvalidKind } from './incident.ts';

export const INCIDENT_ACTIONS = [
  'dispatch', // 派警
  'redispatch', // 改派 (another unit or tier)
  'arrive', // 到场
  'handle', // 处置
  'feedback', // 反馈
  'close', // 结警
  'mark_invalid', // 无效/骚扰报警
  'divert', // 非警务分流
  'reclassify', // 修改警情类别
] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];
export const INCIDENT_ACTION_LABELS: Record<IncidentAction, string> = {
  dispatch: '派警',
  redispatch: '改派',
  arrive: '到场',
  handle: '处置',
  feedback: '反馈',
  close: '结警',
  mark_invalid: '无效报警',
  divert: '分流',
  reclassify: '修改类别',
};

const SAME = 'same' as const;

export const INCIDENT_TRANSITIONS = {
  received: { dispatch: 'dispatched', mark_invalid: 'closed', divert: 'closed', reclassify: SAME },
  dispatched: { redispatch: 'dispatched', arrive: 'on_scene', reclassify: SAME },
  on_scene: { handle: 'handling', feedback: 'feedback_given', reclassify: SAME },
  handling: { feedback: 'feedback_given', reclassify: SAME },
  feedback_given: { close: 'closed', reclassify: SAME },
  closed: {},
} as const satisfies Record<IncidentStatus, Partial<Record<IncidentAction, IncidentStatus | typeof SAME>>>;

export function allowedIncidentActions(status: IncidentStatus): IncidentAction[] {
  return Object.keys(INCIDENT_TRANSITIONS[status]) as IncidentAction[];
}

export interface IncidentState {
  status: IncidentStatus;
  category: IncidentCategory;
  tier: DispatchTier | null;
  unitId: string | null;
  disposition: Disposition | null;
  closeKind: CloseKind | null;
}

export type IncidentCommand =
  | { action: 'dispatch'; tier: DispatchTier; unitId: string; note?: string }
  | { action: 'redispatch'; tier: DispatchTier; unitId: string; note: string }
  | { action: 'arrive'; note?: string }
  | { action: 'handle'; note?: string }
  | { action: 'feedback'; disposition: Disposition; summary: string }
  | { action: 'close'; note?: string }
  | { action: 'mark_invalid'; kind: InvalidKind; note?: string }
  | { action: 'divert'; target: DiversionTarget; note?: string }
  | { action: 'reclassify'; category: IncidentCategory; note?: string };

export interface IncidentTransition {
  next: IncidentState;
  from: IncidentStatus;
  to: IncidentStatus;
  details: Record<string, unknown>;
}

export function applyIncidentAction(state: IncidentState, cmd: IncidentCommand): Result<IncidentTransition> {
  const row: Partial<Record<IncidentAction, IncidentStatus | typeof SAME>> = INCIDENT_TRANSITIONS[state.status];
  const target = row[cmd.action];
  if (!target) {
    return fail(
      'INCIDENT_TRANSITION_NOT_ALLOWED',
      `警情当前状态不允许执行“${INCIDENT_ACTION_LABELS[cmd.action]}”操作`,
      {
        status: state.status,
        action: cmd.action,
        allowed: allowedIncidentActions(state.status),
      },
    );
  }
  const to: IncidentStatus = target === SAME ? state.status : target;
  const next: IncidentState = { ...state, status: to };
  let details: Record<string, unknown> = {};
  switch (cmd.action) {
    case 'dispatch':
    case 'redispatch':
      if (cmd.action === 'redispatch' && cmd.unitId === state.unitId && cmd.tier === state.tier) {
        return fail('INCIDENT_REDISPATCH_SAME_UNIT', '改派须指定不同的处警单位或层级');
      }
      next.tier = cmd.tier;
      next.unitId = cmd.unitId;
      details = { tier: cmd.tier, unitId: cmd.unitId, previousUnitId: state.unitId, note: cmd.note ?? null };
      break;
    case 'feedback':
      next.disposition = cmd.disposition;
      details = { disposition: cmd.disposition, summary: cmd.summary };
      break;
    case 'close':
      next.closeKind = 'handled';
      details = { note: cmd.note ?? null, disposition: state.disposition };
      break;
    case 'mark_invalid':
      // Invalid and harassing calls are recorded as such (保障措施: 打击恶意骚扰12345和110).
      next.category = 'invalid';
      next.closeKind = cmd.kind;
      details = { kind: cmd.kind, note: cmd.note ?? null, previousCategory: state.category };
      break;
    case 'divert':
      // Plan task 10: non-police matters go to the body that handles them.
      next.category = 'non_police';
      next.closeKind = 'diverted';
      next.disposition = 'referred_to_partner_agency';
      details = { target: cmd.target, note: cmd.note ?? null, previousCategory: state.category };
      break;
    case 'reclassify':
      if (cmd.category === state.category) return fail('INCIDENT_CATEGORY_UNCHANGED', '警情类别未变化');
      next.category = cmd.category;
      details = { category: cmd.category, previousCategory: state.category, note: cmd.note ?? null };
      break;
    case 'arrive':
    case 'handle':
      details = { note: cmd.note ?? null };
      break;
  }
  return ok({ next, from: state.status, to, details });
}
