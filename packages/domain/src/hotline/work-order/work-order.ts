/** 12345 work order (工单): types, urgency, satisfaction, return reasons. */
export const WORK_ORDER_TYPES = ['consultation', 'help', 'complaint', 'report', 'suggestion', 'praise'] as const;
export type WorkOrderType = (typeof WORK_ORDER_TYPES)[number];
export const WORK_ORDER_TYPE_LABELS: Record<WorkOrderType, string> = {
  consultation: '咨询',
  help: '求助',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  praise: '表扬',
};

/** Urgent work orders (紧急工单), plan task 7: 重症救治, 孕检生产, 应急救援. */
export const URGENT_KINDS = ['critical_care', 'pregnancy_childbirth', 'emergency_rescue'] as const;
export type UrgentKind = (typeof URGENT_KINDS)[number];
export const URGENT_KIND_LABELS: Record<UrgentKind, string> = {
  critical_care: '重症救治',
  pregnancy_childbirth: '孕检生产',
  emergency_rescue: '应急救援',
};

export const SATISFACTION = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];
export const SATISFACTION_LABELS: Record<Satisfaction, string> = {
  satisfied: '满意',
  basically_satisfied: '基本满意',
  unsatisfied: '不满意',
};

/** Why a unit returns (退单) an order; re-dispatch goes through the centre (国办函〔2025〕66号). */
export const RETURN_REASONS = [
  'not_our_duty',
  'wrong_district',
  'insufficient_information',
  'duplicate',
  'other',
] as const;
export type ReturnReason = (typeof RETURN_REASONS)[number];
export const RETURN_REASON_LABELS: Record<ReturnReason, string> = {
  not_our_duty: '非本单位职责',
  wrong_district: '属地错误',
  insufficient_information: '诉求信息不全',
  duplicate: '重复工单',
  other: '其他',
};

export const REPLY_RESULTS = ['resolved', 'explained', 'unresolvable'] as const;
export type ReplyResult = (typeof REPLY_RESULTS)[number];
export const REPLY_RESULT_LABELS: Record<ReplyResult, string> = {
  resolved: '已解决',
  explained: '已解释说明',
  unresolvable: '暂无法解决',
};
