/** The JSON of linkage items in the seats' API: camelCase, Chinese labels, the steps open to this side. */
import {
  LINKAGE_KIND_LABELS,
  LINKAGE_STATUS_LABELS,
  allowedLinkageMessages,
  maskName,
  maskPhone,
  redactText,
  seesCallerUnmasked,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { ItemRow, listEvents } from './bridge.repo.ts';

/** Whether this reader sees the caller in an item: the seats and supervisors do, an analyst does not. */
export function seesItemCaller(viewer: Pick<Actor, 'role'>): boolean {
  return viewer.role === 'system' || seesCallerUnmasked(viewer.role, false);
}

/** The free-text fields of a message that may quote the caller (bridge-protocol §3). */
const TEXT_FIELDS = ['reason', 'summary', 'danger', 'need', 'note', 'reply', 'result', 'content', 'address'] as const;

/**
 * A message's payload as a reader who may not see the caller reads it: the callback masked, and the
 * caller's name, phone and ID numbers and plates taken out of its text (the request's content too).
 */
export function maskPayload(payload: unknown, names: readonly string[]): unknown {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return payload;
  const p = { ...(payload as Record<string, unknown>) };
  const cb = p.callback as { name?: unknown; phone?: unknown } | undefined;
  if (cb && typeof cb === 'object')
    p.callback = {
      ...cb,
      ...(typeof cb.name === 'string' ? { name: maskName(cb.name) } : {}),
      ...(typeof cb.phone === 'string' ? { phone: maskPhone(cb.phone) } : {}),
    };
  for (const f of TEXT_FIELDS) if (typeof p[f] === 'string') p[f] = redactText(p[f] as string, names);
  if (p.request && typeof p.request === 'object') p.request = maskPayload(p.request, names);
  if (p.location && typeof p.location === 'object') p.location = maskPayload(p.location, names);
  return p;
}

/** The caller's name as the item's opening carries it (to take it out of every text of the item). */
function callerNames(opening: unknown): string[] {
  const cb = (opening as { callback?: { name?: unknown } } | null)?.callback;
  return typeof cb?.name === 'string' ? [cb.name] : [];
}

const seconds = (from: Date, to: Date | null) => (to ? Math.round((to.getTime() - from.getTime()) / 1000) : null);

export function presentItem(i: ItemRow, viewer: Pick<Actor, 'role'>) {
  const unmasked = seesItemCaller(viewer);
  return {
    itemId: i.item_id,
    kind: i.kind,
    kindLabel: LINKAGE_KIND_LABELS[i.kind],
    side: i.side,
    peer: i.peer,
    status: i.status,
    statusLabel: LINKAGE_STATUS_LABELS[i.status],
    keptByFirstReceiver: i.kept_by_first_receiver,
    opening: unmasked ? i.opening : maskPayload(i.opening, callerNames(i.opening)),
    callerMasked: !unmasked,
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
export function presentItemDetail(
  d: { item: ItemRow; events: Awaited<ReturnType<typeof listEvents>> },
  viewer: Pick<Actor, 'role'>,
) {
  const unmasked = seesItemCaller(viewer);
  const names = callerNames(d.item.opening);
  return {
    ...presentItem(d.item, viewer),
    timeline: d.events.map((e) => ({
      ...e,
      payload: unmasked ? e.payload : maskPayload(e.payload, names),
      note: unmasked || !e.note ? e.note : redactText(e.note, names),
      at: e.at.toISOString(),
    })),
  };
}
