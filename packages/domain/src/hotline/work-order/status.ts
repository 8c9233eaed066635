/** Work-order lifecycle: 受理 → 派单 → 签收 → 办理 → 办结 → 回访 → 归档, with 退单, 并单. */
export const WORK_ORDER_STATUSES = [
  'received', // 已受理
  'assigned', // 已派单, awaiting 签收
  'returned', // 已退单, awaiting 改派 by the centre
  'signed', // 已签收
  'in_progress', // 办理中
  'replied', // 已办结 (reply given), awaiting 回访
  'followed_up', // 已回访
  'archived', // 已归档
  'merged', // 已并单 into another order
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const WORK_ORDER_STATUS_LABELS: Record<WorkOrderStatus, string> = {
  received: '已受理',
  assigned: '已派单',
  returned: '已退单',
  signed: '已签收',
  in_progress: '办理中',
  replied: '已办结',
  followed_up: '已回访',
  archived: '已归档',
  merged: '已并单',
};

export const TERMINAL_WORK_ORDER_STATUSES: ReadonlySet<WorkOrderStatus> = new Set(['archived', 'merged']);
/** Statuses in which the handling deadline runs (a reply stops the clock). */
export const OPEN_WORK_ORDER_STATUSES: ReadonlySet<WorkOrderStatus> = new Set([
  'received',
  'assigned',
  'returned',
  'signed',
  'in_progress',
]);
