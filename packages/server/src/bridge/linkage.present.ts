/** The JSON of linkage items in the seats' API: camelCase, Chinese labels, the steps open to this side. */
import { LINKAGE_KIND_LABELS, LINKAGE_STATUS_LABELS, allowedLinkageMessages } from '@liandong/domain';
import type { ItemRow, listEvents } from './bridge.repo.ts';

const seconds = (from: Date, to: Date | null) => (to ? Math.round((to.getTime() - from.getTime()) / 1000) : null);

export function presentItem(i: ItemRow) {
  return {
    itemId: i.item_id,
    kind: i.kind,
    kindLabel: LINKAGE_KIND_LABELS[i.kind],
    side: i.side,
    peer: i.peer,
    status: i.status,
    statusLabel: LINKAGE_STATUS_LABELS[i.status],
    keptByFirstReceiver: i.kept_by_first_receiver,
    opening: i.opening,
    localRef: i.local_ref,
    localNo: i.local_no,
    peerRef: i.peer_ref,
    districtCode: i.district_code,
    acceptDeadline: i.accept_deadline?.toISOString() ?? null,
    negotiationDeadline: i.negotiation_deadline?.toISOString() ?? null,
    acceptOverdue:
      i.accept_overdue || (i.status === 'requested' && !!i.accept_deadline && i.accept_deadline.getTime() < Date.now()),
    acceptedAt: i.accepted_at?.toISOString() ?? null,
    feedbackAt: i.feedback_at?.toISOString() ?? null,
    closedAt: i.closed_at?.toISOString() ?? null,
    secondsToAccept: seconds(i.created_at, i.accepted_at),
    secondsToFeedback: seconds(i.created_at, i.feedback_at),
    createdAt: i.created_at.toISOString(),
    updatedAt: i.updated_at.toISOString(),
    allowedSteps: allowedLinkageMessages(
      { kind: i.kind, status: i.status, keptByFirstReceiver: i.kept_by_first_receiver },
      i.side,
    ),
  };
}

/** An item with its timeline: every message sent and received, and the local events (overdue). */
export function presentItemDetail(d: { item: ItemRow; events: Awaited<ReturnType<typeof listEvents>> }) {
  return { ...presentItem(d.item), timeline: d.events.map((e) => ({ ...e, at: e.at.toISOString() })) };
}
