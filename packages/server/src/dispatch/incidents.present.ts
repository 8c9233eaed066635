import {
  DISPATCH_TIER_LABELS,
  DISPOSITION_LABELS,
  INCIDENT_ACTION_LABELS,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_STATUS_LABELS,
  REQUEST_CHANNEL_LABELS,
  type IncidentAction,
  type RequestChannel,
} from '@liandong/domain';
import type { IncidentRow } from './incidents.repo.ts';
import { presentTriage } from '../triage/triage.present.ts';
import type { IncidentService } from './incidents.service.ts';

export function presentIncident(r: IncidentRow) {
  return {
    id: r.id,
    no: r.no,
    category: r.category,
    categoryLabel: INCIDENT_CATEGORY_LABELS[r.category],
    priority: r.priority,
    status: r.status,
    statusLabel: INCIDENT_STATUS_LABELS[r.status],
    districtCode: r.district_code,
    tier: r.tier,
    tierLabel: r.tier ? DISPATCH_TIER_LABELS[r.tier] : null,
    unitId: r.unit_id,
    disposition: r.disposition,
    dispositionLabel: r.disposition ? DISPOSITION_LABELS[r.disposition] : null,
    closeKind: r.close_kind,
    divertedTo: r.diverted_to,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    dispatchedAt: r.dispatched_at?.toISOString() ?? null,
    arrivedAt: r.arrived_at?.toISOString() ?? null,
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

export function presentIncidentDetail(d: Awaited<ReturnType<IncidentService['get']>>) {
  const q = d.request;
  return {
    ...presentIncident(d.row),
    unit: d.unit && { id: d.unit.id, name: d.unit.name, kind: d.unit.kind },
    request: q && {
      channel: q.channel,
      channelLabel: REQUEST_CHANNEL_LABELS[q.channel as RequestChannel],
      content: q.content,
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
      actionLabel: a.action === 'create' ? '接警' : (INCIDENT_ACTION_LABELS[a.action as IncidentAction] ?? a.action),
      fromStatus: a.from_status,
      toStatus: a.to_status,
      actor: { id: a.actor_id, name: a.actor_name ?? '系统', role: a.actor_role },
      details: a.details,
      at: a.at.toISOString(),
    })),
    triage: d.triage && presentTriage(d.triage),
    allowedActions: d.allowedActions,
  };
}
