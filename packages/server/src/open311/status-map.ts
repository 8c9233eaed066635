/**
 * Our work-order statuses in Open311's words, in one table: GeoReport v2 knows only open and closed;
 * mySociety's servicerequestupdates extension has the finer states FixMyStreet shows (investigating,
 * in_progress, action_scheduled, fixed, duplicate, not_councils_responsibility, …).
 */
import type { ReplyResult, WorkOrderStatus } from '@liandong/domain';

export const OPEN311_STATUS: Record<WorkOrderStatus, { georeport: 'open' | 'closed'; update: string }> = {
  received: { georeport: 'open', update: 'open' },
  assigned: { georeport: 'open', update: 'action_scheduled' },
  returned: { georeport: 'open', update: 'internal_referral' },
  signed: { georeport: 'open', update: 'investigating' },
  in_progress: { georeport: 'open', update: 'in_progress' },
  replied: { georeport: 'closed', update: 'fixed' },
  followed_up: { georeport: 'closed', update: 'fixed' },
  archived: { georeport: 'closed', update: 'closed' },
  merged: { georeport: 'closed', update: 'duplicate' },
};

/** A reply's result refines the closed states (resolved → fixed, explained → closed, unresolvable → unable_to_fix). */
export const REPLY_UPDATE_STATUS: Record<ReplyResult, string> = {
  resolved: 'fixed',
  explained: 'closed',
  unresolvable: 'unable_to_fix',
};

/** What a department's own system may push (POST servicerequestupdates), and what it does here. */
export const INBOUND_UPDATE: Record<
  string,
  { to: 'signed' | 'in_progress' } | { to: 'replied'; result: ReplyResult } | { to: 'returned' }
> = {
  investigating: { to: 'signed' },
  action_scheduled: { to: 'signed' },
  in_progress: { to: 'in_progress' },
  fixed: { to: 'replied', result: 'resolved' },
  closed: { to: 'replied', result: 'explained' },
  no_further_action: { to: 'replied', result: 'explained' },
  unable_to_fix: { to: 'replied', result: 'unresolvable' },
  not_councils_responsibility: { to: 'returned' },
  internal_referral: { to: 'returned' },
};
