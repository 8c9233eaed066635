/** The JSON shape of work orders in the API: camelCase, with Chinese labels for the console. */
import {
  WORK_ORDER_ACTION_LABELS,
  WORK_ORDER_STATUS_LABELS,
  WORK_ORDER_TYPE_LABELS,
  URGENT_KIND_LABELS,
  SATISFACTION_LABELS,
  REQUEST_CHANNEL_LABELS,
  type RequestChannel,
  type UrgentKind,
  type WorkOrderAction,
  type WorkOrderType,
} from '@liandong/domain';
import type { WorkOrderService } from './work-orders.service.ts';
import type { WorkOrderRow } from './work-orders.repo.ts';
import { presentTriage } from '../triage/triage.present.ts';

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
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    repliedAt: r.replied_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

export function presentWorkOrderDetail(d: Awaited<ReturnType<WorkOrderService['get']>>) {
  const q = d.request;
  return {
    ...presentWorkOrder(d.row),
    units: d.units.map((u) => ({
      id: u.id,
      name: u.name,
      kind: u.kind,
      role: u.id === d.row.lead_unit_id ? 'lead' : 'assist',
    })),
    request: q && {
      channel: q.channel,
      channelLabel: REQUEST_CHANNEL_LABELS[q.channel as RequestChannel],
      content: q.content,
      confidential: q.confidential,
      location: {
        address: q.address,
        districtCode: q.district_code,
        districtName: q.district_name,
        streetCode: q.street_code,
        streetName: q.street_name,
        lat: q.lat,
        lng: q.lng,
      },
      receivedAt: q.received_at.toISOString(),
      caller: { name: q.caller_name, phone: q.caller_phone, masked: q.callerMasked },
    },
    actions: d.actions.map((a) => ({
      id: a.id,
      action: a.action,
      actionLabel: a.action === 'create' ? '受理' : (WORK_ORDER_ACTION_LABELS[a.action as WorkOrderAction] ?? a.action),
      fromStatus: a.from_status,
      toStatus: a.to_status,
      actor: { id: a.actor_id, name: a.actor_name, role: a.actor_role, unitId: a.actor_unit_id },
      details: a.details,
      at: a.at.toISOString(),
    })),
    triage: d.triage && presentTriage(d.triage),
    allowedActions: d.allowedActions,
  };
}
