import { fail, ok, type DomainError, type Result } from '../../shared/result.ts';
import type { WorkOrderStatus } from './status.ts';
import { OPEN_WORK_ORDER_STATUSES } from './status.ts';
import type { ReplyResult, ReturnReason, Satisfaction } from './work-order.ts';

export const WORK_ORDER_ACTIONS = [
  'assign', // 派单
  'reassign', // 改派
  'sign', // 签收
  'return', // 退单
  'start', // 开始办理
  'reply', // 办结答复
  'answer_directly', // 直接答复 (call-taker answers at intake, e.g. from the knowledge base)
  'request_extension', // 申请延期
  'approve_extension', // 同意延期
  'refuse_extension', // 驳回延期
  'follow_up', // 回访
  'reopen', // 重办 after an unsatisfied follow-up
  'archive', // 归档
  'merge', // 并单
  'supervise', // 督办
  'mark_overdue', // 超期 (recorded by the deadline worker)
] as const;
export type WorkOrderAction = (typeof WORK_ORDER_ACTIONS)[number];

export const WORK_ORDER_ACTION_LABELS: Record<WorkOrderAction, string> = {
  assign: '派单',
  reassign: '改派',
  sign: '签收',
  return: '退单',
  start: '办理',
  reply: '办结',
  answer_directly: '直接答复',
  request_extension: '申请延期',
  approve_extension: '同意延期',
  refuse_extension: '驳回延期',
  follow_up: '回访',
  reopen: '重办',
  archive: '归档',
  merge: '并单',
  supervise: '督办',
  mark_overdue: '超期',
};

const SAME = 'same' as const;
const OPEN_ANNOTATIONS = { supervise: SAME, mark_overdue: SAME } as const;

/**
 * The allowed moves: status → action → next status ('same' keeps the status).
 * Anything not in the table is WORK_ORDER_TRANSITION_NOT_ALLOWED.
 */
export const WORK_ORDER_TRANSITIONS = {
  received: { assign: 'assigned', answer_directly: 'replied', merge: 'merged', ...OPEN_ANNOTATIONS },
  assigned: { sign: 'signed', return: 'returned', reassign: 'assigned', merge: 'merged', ...OPEN_ANNOTATIONS },
  returned: { reassign: 'assigned', answer_directly: 'replied', merge: 'merged', ...OPEN_ANNOTATIONS },
  signed: {
    start: 'in_progress',
    reply: 'replied',
    return: 'returned',
    request_extension: SAME,
    approve_extension: SAME,
    refuse_extension: SAME,
    ...OPEN_ANNOTATIONS,
  },
  in_progress: {
    reply: 'replied',
    return: 'returned',
    request_extension: SAME,
    approve_extension: SAME,
    refuse_extension: SAME,
    ...OPEN_ANNOTATIONS,
  },
  replied: { follow_up: 'followed_up', archive: 'archived', supervise: SAME },
  followed_up: { reopen: 'assigned', archive: 'archived', supervise: SAME },
  archived: {},
  merged: {},
} as const satisfies Record<WorkOrderStatus, Partial<Record<WorkOrderAction, WorkOrderStatus | typeof SAME>>>;

export function allowedWorkOrderActions(status: WorkOrderStatus): WorkOrderAction[] {
  return Object.keys(WORK_ORDER_TRANSITIONS[status]) as WorkOrderAction[];
}

/** The part of a work order that the state machine reads and writes. */
export interface WorkOrderState {
  id: string;
  status: WorkOrderStatus;
  leadUnitId: string | null;
  assistUnitIds: string[];
  dueAt: Date;
  overdue: boolean;
  supervised: boolean;
  pendingExtension: { requestedDueAt: string; reason: string } | null;
  satisfaction: Satisfaction | null;
  reopenCount: number;
  mergedIntoId: string | null;
}

/** The knowledge-base article (and the version of it) an answer was taken from. */
export interface KnowledgeCitation {
  articleId: string;
  version: number;
  title: string;
}

export type WorkOrderCommand =
  | { action: 'assign'; leadUnitId: string; assistUnitIds?: string[]; note?: string }
  | { action: 'reassign'; leadUnitId: string; assistUnitIds?: string[]; note: string }
  | { action: 'sign'; note?: string }
  | { action: 'return'; reasonCode: ReturnReason; note: string }
  | { action: 'start'; note?: string }
  | { action: 'reply'; reply: string; result: ReplyResult }
  | { action: 'answer_directly'; reply: string; knowledge?: KnowledgeCitation }
  | { action: 'request_extension'; requestedDueAt: string; reason: string }
  | { action: 'approve_extension'; note?: string }
  | { action: 'refuse_extension'; note: string }
  | {
      action: 'follow_up';
      satisfaction: Satisfaction;
      note?: string;
      /** the survey (回访问卷): did the unit contact the caller, is the matter solved */
      contacted?: boolean;
      resolved?: boolean;
    }
  | { action: 'reopen'; note: string; dueAt: string }
  | { action: 'archive'; note?: string }
  | { action: 'merge'; intoWorkOrderId: string; note?: string }
  | { action: 'supervise'; note: string }
  | { action: 'mark_overdue' };

/** What `applyWorkOrderAction` decided: the new state and the action-log entry's details. */
export interface WorkOrderTransition {
  next: WorkOrderState;
  from: WorkOrderStatus;
  to: WorkOrderStatus;
  details: Record<string, unknown>;
}

/**
 * Whether an action can be taken on the order as it stands, before its command is read: the status
 * table, then the state it needs (one extension request at a time; approving or refusing needs one).
 * The console offers only the actions that pass; applyWorkOrderAction checks the same first.
 */
export function workOrderActionBlocked(
  state: Pick<WorkOrderState, 'status' | 'pendingExtension'>,
  action: WorkOrderAction,
): DomainError | null {
  const row: Partial<Record<WorkOrderAction, WorkOrderStatus | typeof SAME>> = WORK_ORDER_TRANSITIONS[state.status];
  if (!row[action])
    return fail(
      'WORK_ORDER_TRANSITION_NOT_ALLOWED',
      `工单当前状态不允许执行“${WORK_ORDER_ACTION_LABELS[action]}”操作`,
      { status: state.status, action, allowed: allowedWorkOrderActions(state.status) },
    );
  if (action === 'request_extension' && state.pendingExtension)
    return fail('WORK_ORDER_EXTENSION_PENDING', '已有待审批的延期申请');
  if ((action === 'approve_extension' || action === 'refuse_extension') && !state.pendingExtension)
    return fail('WORK_ORDER_NO_PENDING_EXTENSION', '没有待审批的延期申请');
  return null;
}

/**
 * Applies one command to a work order: pure, so the service can save the row and the action-log
 * entry in one transaction, and the console can offer exactly the actions the server accepts.
 */
export function applyWorkOrderAction(
  state: WorkOrderState,
  cmd: WorkOrderCommand,
  now: Date,
): Result<WorkOrderTransition> {
  const blocked = workOrderActionBlocked(state, cmd.action);
  if (blocked) return blocked;
  const target = (
    WORK_ORDER_TRANSITIONS[state.status] as Partial<Record<WorkOrderAction, WorkOrderStatus | typeof SAME>>
  )[cmd.action]!;
  const to: WorkOrderStatus = target === SAME ? state.status : target;
  const next: WorkOrderState = { ...state, status: to, assistUnitIds: [...state.assistUnitIds] };
  let details: Record<string, unknown> = {};

  switch (cmd.action) {
    case 'assign':
    case 'reassign': {
      const assist = [...new Set(cmd.assistUnitIds ?? [])];
      if (assist.includes(cmd.leadUnitId)) {
        return fail('WORK_ORDER_UNITS_INVALID', '主办单位不能同时作为协办单位');
      }
      if (cmd.action === 'reassign' && state.status === 'assigned' && cmd.leadUnitId === state.leadUnitId) {
        return fail('WORK_ORDER_UNITS_INVALID', '改派须指定不同的主办单位');
      }
      next.leadUnitId = cmd.leadUnitId;
      next.assistUnitIds = assist;
      details = {
        leadUnitId: cmd.leadUnitId,
        assistUnitIds: assist,
        previousLeadUnitId: state.leadUnitId,
        note: cmd.note ?? null,
      };
      break;
    }
    case 'return':
      details = { reasonCode: cmd.reasonCode, note: cmd.note, unitId: state.leadUnitId };
      next.pendingExtension = null;
      break;
    case 'reply':
      details = { reply: cmd.reply, result: cmd.result };
      next.pendingExtension = null;
      break;
    case 'answer_directly':
      details = { reply: cmd.reply, result: 'explained', ...(cmd.knowledge ? { knowledge: cmd.knowledge } : {}) };
      break;
    case 'request_extension': {
      const requested = new Date(cmd.requestedDueAt);
      if (Number.isNaN(requested.getTime()) || requested.getTime() <= state.dueAt.getTime()) {
        return fail('WORK_ORDER_EXTENSION_INVALID', '申请的办理期限须晚于当前期限');
      }
      next.pendingExtension = { requestedDueAt: requested.toISOString(), reason: cmd.reason };
      details = {
        requestedDueAt: requested.toISOString(),
        reason: cmd.reason,
        currentDueAt: state.dueAt.toISOString(),
      };
      break;
    }
    case 'approve_extension': {
      next.dueAt = new Date(state.pendingExtension!.requestedDueAt);
      next.overdue = next.dueAt.getTime() <= now.getTime() ? state.overdue : false;
      next.pendingExtension = null;
      details = { previousDueAt: state.dueAt.toISOString(), dueAt: next.dueAt.toISOString(), note: cmd.note ?? null };
      break;
    }
    case 'refuse_extension':
      next.pendingExtension = null;
      details = { requestedDueAt: state.pendingExtension!.requestedDueAt, note: cmd.note };
      break;
    case 'follow_up':
      next.satisfaction = cmd.satisfaction;
      if (cmd.satisfaction === 'unsatisfied' && !cmd.note?.trim())
        return fail('VALIDATION_FAILED', '回访不满意须记录来电人不满意的原因');
      details = {
        satisfaction: cmd.satisfaction,
        note: cmd.note ?? null,
        ...(cmd.contacted !== undefined ? { contacted: cmd.contacted } : {}),
        ...(cmd.resolved !== undefined ? { resolved: cmd.resolved } : {}),
      };
      break;
    case 'reopen': {
      // 重办: an unsatisfied follow-up sends the order back to its lead unit with a new deadline.
      if (state.satisfaction !== 'unsatisfied')
        return fail('WORK_ORDER_REOPEN_NOT_ALLOWED', '仅回访不满意的工单可以重办');
      const due = new Date(cmd.dueAt);
      if (Number.isNaN(due.getTime())) return fail('VALIDATION_FAILED', '重办期限无效');
      next.reopenCount = state.reopenCount + 1;
      next.satisfaction = null;
      next.dueAt = due;
      next.overdue = false;
      details = {
        note: cmd.note,
        dueAt: due.toISOString(),
        reopenCount: next.reopenCount,
        leadUnitId: state.leadUnitId,
      };
      break;
    }
    case 'archive':
      if (state.status === 'replied' && !cmd.note) {
        return fail('WORK_ORDER_ARCHIVE_NEEDS_NOTE', '未回访的工单归档须说明原因');
      }
      if (state.satisfaction === 'unsatisfied' && !cmd.note) {
        return fail('WORK_ORDER_ARCHIVE_NEEDS_NOTE', '回访不满意的工单归档须说明审核意见');
      }
      details = { note: cmd.note ?? null, satisfaction: state.satisfaction };
      break;
    case 'merge':
      if (cmd.intoWorkOrderId === state.id) return fail('WORK_ORDER_MERGE_INVALID', '工单不能并入自身');
      next.mergedIntoId = cmd.intoWorkOrderId;
      details = { intoWorkOrderId: cmd.intoWorkOrderId, note: cmd.note ?? null };
      break;
    case 'supervise':
      next.supervised = true;
      details = { note: cmd.note };
      break;
    case 'mark_overdue':
      if (!OPEN_WORK_ORDER_STATUSES.has(state.status))
        return fail('WORK_ORDER_TRANSITION_NOT_ALLOWED', '工单已办结，不再计算超期');
      if (state.overdue) return fail('WORK_ORDER_ALREADY_OVERDUE', '工单已标记超期');
      if (state.dueAt.getTime() > now.getTime()) return fail('WORK_ORDER_NOT_DUE', '工单尚未到期');
      next.overdue = true;
      details = { dueAt: state.dueAt.toISOString() };
      break;
    case 'sign':
    case 'start':
      details = { note: cmd.note ?? null, unitId: state.leadUnitId };
      break;
  }
  return ok({ next, from: state.status, to, details });
}
