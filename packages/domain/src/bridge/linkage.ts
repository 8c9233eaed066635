/**
 * Linkage item (对接事项): one per cross-desk matter. Both desks keep the same view by applying the
 * same messages (bridge-protocol.md, "Item states"). Plan clauses: 二(二)1 分流转办 (transfer, negotiate,
 * first receiver keeps, danger to 110 first), 2 协作配合 (joint mediation with feedback, police assistance),
 * 二(五)11 受理反馈闭环 (feedback closes the loop, the originator confirms or disputes).
 */
import { fail, ok, type Result } from '../shared/result.ts';
import type { MessageType } from './envelope.ts';

export const LINKAGE_KINDS = ['transfer', 'emergency', 'assist', 'mediation', 'diversion'] as const;
export type LinkageKind = (typeof LINKAGE_KINDS)[number];
export const LINKAGE_KIND_LABELS: Record<LinkageKind, string> = {
  transfer: '一键转接',
  emergency: '紧急移交',
  assist: '联动处置（请求警方协助）',
  mediation: '联合调处',
  diversion: '分流',
};

export const LINKAGE_STATUSES = [
  'requested',
  'accepted',
  'rejected',
  'negotiating',
  'kept_by_first_receiver',
  'in_progress',
  'feedback_given',
  'closed',
  'reopened',
] as const;
export type LinkageStatus = (typeof LINKAGE_STATUSES)[number];
export const LINKAGE_STATUS_LABELS: Record<LinkageStatus, string> = {
  requested: '待签收',
  accepted: '已签收',
  rejected: '已拒收',
  negotiating: '协商中',
  kept_by_first_receiver: '首接负责',
  in_progress: '处置中',
  feedback_given: '已反馈',
  closed: '已闭环',
  reopened: '已重启',
};

/** The message that opens an item of each kind (bridge-protocol.md, message types). */
export const OPENING_TYPE: Record<LinkageKind, MessageType> = {
  transfer: 'transfer.request',
  emergency: 'emergency.escalate',
  assist: 'assist.request',
  mediation: 'mediation.request',
  diversion: 'transfer.request',
};
export const OPENING_TYPES: ReadonlySet<MessageType> = new Set(Object.values(OPENING_TYPE));

/** The kind of an item opened by a received message: by its type, and a transfer's `kind` field. */
export function kindOfOpening(type: MessageType, payload: Record<string, unknown>): LinkageKind {
  const kinds = (Object.keys(OPENING_TYPE) as LinkageKind[]).filter((k) => OPENING_TYPE[k] === type);
  return kinds.length === 1 ? kinds[0]! : payload.kind === 'diversion' ? 'diversion' : 'transfer';
}

/** Which side sends a message: the originator, the side handling the matter, the other side, or either. */
type Sender = 'originator' | 'receiver' | 'handler' | 'non_handler' | 'either';
const SAME = 'same' as const;

/** status → message → [who may send it, next status]. */
export const LINKAGE_TRANSITIONS: Record<
  LinkageStatus,
  Partial<Record<MessageType, [Sender, LinkageStatus | typeof SAME]>>
> = {
  requested: {
    'transfer.accept': ['receiver', 'accepted'],
    'transfer.reject': ['receiver', 'rejected'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  rejected: { 'negotiation.open': ['either', 'negotiating'], 'info.copy': ['either', SAME], link: ['either', SAME] },
  negotiating: { 'negotiation.resolve': ['either', SAME], 'info.copy': ['either', SAME], link: ['either', SAME] },
  accepted: {
    'status.update': ['handler', 'in_progress'],
    feedback: ['handler', 'feedback_given'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  kept_by_first_receiver: {
    'status.update': ['handler', 'in_progress'],
    feedback: ['handler', 'feedback_given'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  in_progress: {
    'status.update': ['handler', SAME],
    feedback: ['handler', 'feedback_given'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  feedback_given: {
    'closure.confirm': ['non_handler', 'closed'],
    'closure.dispute': ['non_handler', 'reopened'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  reopened: {
    'status.update': ['handler', 'in_progress'],
    feedback: ['handler', 'feedback_given'],
    'info.copy': ['either', SAME],
    link: ['either', SAME],
  },
  closed: { 'info.copy': ['either', SAME], link: ['either', SAME] },
};

export interface LinkageState {
  kind: LinkageKind;
  status: LinkageStatus;
  keptByFirstReceiver: boolean;
}

/** Applies a message to an item; `by` is the side that sent it. */
export function applyLinkageMessage(
  state: LinkageState,
  type: MessageType,
  payload: Record<string, unknown>,
  by: 'originator' | 'receiver',
): Result<LinkageState> {
  // Danger goes to 110 first and is never negotiated: an emergency escalation cannot be rejected (in any
  // state: it is accepted on receipt, so a seat's rejection finds it accepted already).
  if (state.kind === 'emergency' && type === 'transfer.reject')
    return fail('LINKAGE_EMERGENCY_NOT_REJECTABLE', '紧急移交不能拒收，只能在处置后反馈');
  const rule = LINKAGE_TRANSITIONS[state.status][type];
  if (!rule)
    return fail(
      'LINKAGE_TRANSITION_NOT_ALLOWED',
      `对接事项当前状态（${LINKAGE_STATUS_LABELS[state.status]}）不接受“${type}”`,
      { status: state.status, type },
    );
  const [sender, target] = rule;
  const handler = state.keptByFirstReceiver ? 'originator' : 'receiver';
  const allowed =
    sender === 'either' ||
    sender === by ||
    (sender === 'handler' && by === handler) ||
    (sender === 'non_handler' && by !== handler);
  if (!allowed)
    return fail('LINKAGE_WRONG_SIDE', `“${type}”不能由${by === 'originator' ? '发起方' : '接收方'}发送`, { type, by });
  let next: LinkageState = { ...state, status: target === SAME ? state.status : target };
  if (type === 'negotiation.resolve') {
    // 协商后仍无法确定的，由首先接到诉求的平台先行受理.
    next =
      payload.outcome === 'first_receiver_keeps'
        ? { ...state, status: 'kept_by_first_receiver', keptByFirstReceiver: true }
        : { ...state, status: 'accepted', keptByFirstReceiver: false };
  }
  return ok(next);
}

export function allowedLinkageMessages(state: LinkageState, side: 'originator' | 'receiver'): MessageType[] {
  return (Object.keys(LINKAGE_TRANSITIONS[state.status]) as MessageType[]).filter(
    (t) => applyLinkageMessage(state, t, { outcome: 'receiver_takes' }, side).ok,
  );
}
