/** The JSON of what both desks' records share: the request behind them and their action log. */
import { REQUEST_CHANNEL_LABELS, type RequestChannel } from '@liandong/domain';
import type { StoredTriage } from '../triage/catalogue.repo.ts';
import { presentTriage } from '../triage/triage.present.ts';
import type { VisibleRequest } from './caller.ts';
import type { ActionRow } from './requests.repo.ts';

/** When a record was made, last changed and closed. */
export function presentTimes(r: { created_at: Date; updated_at: Date; closed_at: Date | null }) {
  return {
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

/** What a record's detail shows besides the record: its request, action log, triage and the actions open to the reader. */
export function presentRecordContext(
  d: { request: VisibleRequest | null; actions: ActionRow[]; triage: StoredTriage | null; allowedActions: string[] },
  actionLabel: (action: string) => string | undefined,
  createdLabel: string,
) {
  return {
    request: d.request && presentRequest(d.request),
    actions: presentActions(d.actions, actionLabel, createdLabel),
    triage: d.triage && presentTriage(d.triage),
    allowedActions: d.allowedActions,
  };
}

export function presentRequest(q: VisibleRequest) {
  return {
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
  };
}

/** The action log; `create` is named by the desk (受理 at 12345, 接警 at 110). */
export function presentActions(rows: ActionRow[], label: (action: string) => string | undefined, created: string) {
  return rows.map((a) => ({
    id: a.id,
    action: a.action,
    actionLabel: a.action === 'create' ? created : (label(a.action) ?? a.action),
    fromStatus: a.from_status,
    toStatus: a.to_status,
    actor: { id: a.actor_id, name: a.actor_name ?? '系统', role: a.actor_role, unitId: a.actor_unit_id },
    details: a.details,
    at: a.at.toISOString(),
  }));
}
