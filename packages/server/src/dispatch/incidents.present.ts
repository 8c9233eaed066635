import {
  DISPATCH_TIER_LABELS,
  DISPOSITION_LABELS,
  INCIDENT_ACTION_LABELS,
  INCIDENT_CATEGORY_LABELS,
  INCIDENT_STATUS_LABELS,
  type IncidentAction,
} from '@liandong/domain';
import type { IncidentRow } from './incidents.repo.ts';
import { presentRecordContext, presentTimes } from '../shared/request.present.ts';
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
    ...presentTimes(r),
    dispatchedAt: r.dispatched_at?.toISOString() ?? null,
    arrivedAt: r.arrived_at?.toISOString() ?? null,
  };
}

export function presentIncidentDetail(d: Awaited<ReturnType<IncidentService['get']>>) {
  return {
    ...presentIncident(d.row),
    unit: d.unit && { id: d.unit.id, name: d.unit.name, kind: d.unit.kind },
    ...presentRecordContext(d, (a) => INCIDENT_ACTION_LABELS[a as IncidentAction], '接警'),
  };
}
