/**
 * 无效来电 and 骚扰来电 on the 12345 desk (plan 保障措施: 打击恶意骚扰12345和110). A call that asks for
 * nothing — silence, a misdial, a prank — or that abuses the call-taker is recorded as a request with no
 * work order and a mark (`invalid_calls`): it counts in no figure of orders, and the harassment report
 * finds the number that does it again, on this desk and, through the analysis feed (kind `request`), on
 * the 110 desk, as 12345 already finds the numbers 110 closes as invalid or harassing.
 */
import { INVALID_CALL_LABELS, type InvalidKind } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { createOnce } from '../shared/create-once.ts';
import { checkRequestInput, newRequest, type RequestInput } from '../shared/request-input.ts';
import type { IntakeCalls } from './intake.service.ts';
import { findInvalidCallByClientRef, insertInvalidCall, type InvalidCallRow } from './invalid-calls.repo.ts';

export interface InvalidCallInput extends Omit<RequestInput, 'content'> {
  kind: InvalidKind;
  /** what the call was (无声, 误拨, 辱骂话务员 …); the request's text when nothing else was said */
  note?: string;
  /** what the caller said, if anything */
  content?: string;
  /** the live call the call-taker is on: linked to the request */
  callId?: string;
}

export class InvalidCalls {
  constructor(
    private readonly db: Db,
    private readonly calls: IntakeCalls | null = null,
  ) {}

  /** Records the call and its mark in one statement; a retry with the same clientRef answers with the first. */
  async record(actor: Actor, input: InvalidCallInput) {
    requirePermission(actor, 'work_order.create');
    const note = input.note?.trim() || null;
    const said = input.content?.trim() ?? '';
    // a silent call has no text: the mark and its note stand for it
    const content = said || [INVALID_CALL_LABELS[input.kind], note].filter(Boolean).join('：');
    const checked = checkRequestInput({ ...input, content }, '诉求');
    if (input.callId) {
      if (!this.calls) throw new AppError('TELEPHONY_OFF');
      this.calls.liveCall(actor, input.callId);
    }
    const request = newRequest({ ...input, content }, checked, 'phone_12345', null);
    const made = await createOnce(
      input.clientRef,
      () => insertInvalidCall(this.db, actor, request, { kind: input.kind, note }),
      (ref) => findInvalidCallByClientRef(this.db, ref),
    );
    if (made.created && input.callId) await this.calls!.linkRequest(actor, input.callId, made.record.request_id);
    return { record: made.record, created: made.created };
  }
}

export function presentInvalidCall(r: InvalidCallRow) {
  return {
    id: r.id,
    requestId: r.request_id,
    kind: r.kind,
    label: INVALID_CALL_LABELS[r.kind],
    note: r.note,
    receivedAt: r.received_at.toISOString(),
    markedAt: r.marked_at.toISOString(),
  };
}
