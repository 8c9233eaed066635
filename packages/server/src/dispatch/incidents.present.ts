import {
  linkedLines,
  linkageLogLabel,
  DISPATCH_TIER_LABELS,
  DISPOSITION_LABELS,
  INCIDENT_ACTION_LABELS,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_STATUS_LABELS,
  type IncidentAction,
} from '@liandong/domain';
import type { IncidentRow, ListedIncident } from './incidents.repo.ts';
import { presentRecordContext, presentTimes } from '../shared/request.present.ts';
import type { IncidentService } from './incidents.service.ts';

export function presentIncident(r: IncidentRow) {
  return {
    id: r.id,
    no: r.no,
    category: r.category,
    categoryLabel: INCIDENT_CATEGORY_LABELS[r.category],
    priority: r.priority,
    /** 应急演练: handled as any incident, counted in no report. */
    exercise: r.exercise,
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
    ...presentTimes(r),
    dispatchedAt: r.dispatched_at?.toISOString() ?? null,
    arrivedAt: r.arrived_at?.toISOString() ?? null,
  };
}

/** An incident in a queue: what the dispatcher needs to act at once, with how long it has waited. */
export function presentListedIncident(r: ListedIncident) {
  const callback = (r.linkage_callback ?? null) as { name?: string; phone?: string } | null;
  return {
    ...presentIncident(r),
    unitName: r.unit_name,
    districtName: r.district_name,
    content: r.content,
    address: r.address,
    emergency: r.emergency,
    // Seconds since the alarm was received, until it was dispatched (or now).
    waitingSeconds: Math.max(
      0,
      Math.round(((r.dispatched_at ?? new Date()).getTime() - r.created_at.getTime()) / 1000),
    ),
    linkage: r.linkage_item_id
      ? {
          itemId: r.linkage_item_id,
          kind: r.linkage_kind,
          peer: r.linkage_peer,
          linked: linkedLines({ linked: r.linkage_linked }),
          callback: callback && (callback.name || callback.phone) ? callback : null,
        }
      : null,
  };
}

export function presentIncidentDetail(d: Awaited<ReturnType<IncidentService['get']>>) {
  return {
    ...presentIncident(d.row),
    // The other desk's item it came in on, and the lines that desk notified with it (同时联动).
    linkage: d.linkage && {
      itemId: d.linkage.item_id,
      kind: d.linkage.kind,
      peer: d.linkage.peer,
      status: d.linkage.status,
      linked: linkedLines({ linked: d.linkage.linked }),
    },
    unit: d.unit && { id: d.unit.id, name: d.unit.name, kind: d.unit.kind },
    ...presentRecordContext(d, (a) => INCIDENT_ACTION_LABELS[a as IncidentAction] ?? linkageLogLabel(a), '接警'),
  };
}
