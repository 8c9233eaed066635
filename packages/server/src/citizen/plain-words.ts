/** A work order's status and history told to the citizen in plain words (no codes, no staff names). */
import type { WorkOrderStatus } from '@liandong/domain';

export const PUBLIC_STATUS_WORDS: Record<WorkOrderStatus, string> = {
  received: '已受理，等待派单',
  assigned: '已派送承办单位',
  returned: '重新确定承办单位中',
  signed: '承办单位已签收',
  in_progress: '承办单位办理中',
  replied: '已办结答复',
  followed_up: '已回访',
  archived: '已办结',
  merged: '已与相同诉求合并办理',
};

/** One history line per action the public may see; internal steps (超期 marks, refused extensions) are left out. */
export function historyLine(
  action: string,
  details: Record<string, unknown>,
  unitName: (id: unknown) => string | null,
): string | null {
  switch (action) {
    case 'create':
      return '您的诉求已受理';
    case 'assign':
      return `已派送${unitName(details.leadUnitId) ?? '承办单位'}办理`;
    case 'reassign':
      return `已改派${unitName(details.leadUnitId) ?? '其他承办单位'}办理`;
    case 'return':
      return '原承办单位申请退回，热线中心重新派单';
    case 'sign':
      return '承办单位已签收';
    case 'start':
      return '承办单位开始办理';
    case 'request_extension':
      return '承办单位申请延长办理期限';
    case 'approve_extension':
      return '延期申请已获批准';
    case 'reply':
    case 'answer_directly':
      return '已答复办理结果';
    case 'follow_up':
      return '热线中心已回访';
    case 'reopen':
      return '根据回访意见重新办理';
    case 'supervise':
      return '热线中心已督办';
    case 'merge':
      return '与相同诉求合并办理';
    case 'archive':
      return '办理完毕，已归档';
    default:
      return null;
  }
}
