/** The JSON shape of work orders in the API: camelCase, with Chinese labels for the console. */
import {
  linkageLogLabel,
  WORK_ORDER_ACTION_LABELS,
  WORK_ORDER_STATUS_LABELS,
  WORK_ORDER_TYPE_LABELS,
  URGENT_KIND_LABELS,
  SATISFACTION_LABELS,
  type UrgentKind,
  type WorkOrderAction,
  type WorkOrderType,
} from '@liandong/domain';

/** Entries of an order's log that are no transition: the conversation a citizen handed over (转人工). */
const RECORD_NOTE_LABELS: Record<string, string> = { chat_transcript: '市民在线咨询记录' };
import type { WorkOrderService } from './work-orders.service.ts';
import type { WorkOrderRow } from './work-orders.repo.ts';
import { presentRecordContext, presentTimes } from '../shared/request.present.ts';

export function presentWorkOrder(
  r: WorkOrderRow,
  names: { leadUnitName?: string | null; districtName?: string | null } = {},
) {
  return {
    id: r.id,
    no: r.no,
    requestId: r.request_id,
    orderType: r.order_type,
    orderTypeLabel: WORK_ORDER_TYPE_LABELS[r.order_type as WorkOrderType],
    categoryCode: r.category_code,
    title: r.title,
    urgent: r.urgent,
    /** 应急演练: handled as any order, counted in no report. */
    exercise: r.exercise,
    urgentKind: r.urgent_kind,
    urgentKindLabel: r.urgent_kind ? URGENT_KIND_LABELS[r.urgent_kind as UrgentKind] : null,
    status: r.status,
    statusLabel: WORK_ORDER_STATUS_LABELS[r.status],
    districtCode: r.district_code,
    ...(names.districtName !== undefined ? { districtName: names.districtName } : {}),
    leadUnitId: r.lead_unit_id,
    ...(names.leadUnitName !== undefined ? { leadUnitName: names.leadUnitName } : {}),
    assistUnitIds: r.assist_unit_ids,
    dueAt: r.due_at.toISOString(),
    overdue: r.overdue,
    supervised: r.supervised,
    pendingExtension: r.pending_extension,
    satisfaction: r.satisfaction,
    satisfactionLabel: r.satisfaction ? SATISFACTION_LABELS[r.satisfaction] : null,
    reopenCount: r.reopen_count,
    mergedIntoId: r.merged_into_id,
    reply: r.reply,
    ...presentTimes(r),
    repliedAt: r.replied_at?.toISOString() ?? null,
  };
}

export function presentWorkOrderDetail(d: Awaited<ReturnType<WorkOrderService['get']>>) {
  return {
    ...presentWorkOrder(d.row),
    units: d.units.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind,
      role: u.id === d.row.lead_unit_id ? 'lead' : 'assist',
    })),
    ...presentRecordContext(
      d,
      (a) => WORK_ORDER_ACTION_LABELS[a as WorkOrderAction] ?? RECORD_NOTE_LABELS[a] ?? linkageLogLabel(a),
      '受理',
    ),
  };
}
