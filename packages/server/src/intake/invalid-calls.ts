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
import { inTransaction, type Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { createOnce } from '../shared/create-once.ts';
import { checkRequestInput, newRequest, type RequestInput } from '../shared/request-input.ts';
import { REQUEST_CTES, requestParams } from '../shared/requests.repo.ts';
import type { IntakeCalls } from './intake.service.ts';

export interface InvalidCallInput extends Omit<RequestInput, 'content'> {
  kind: InvalidKind;
  /** what the call was (无声, 误拨, 辱骂话务员 …); the request's text when nothing else was said */
  note?: string;
  /** what the caller said, if anything */
  content?: string;
  /** the live call the call-taker is on: linked to the request */
  callId?: string;
}

export interface InvalidCallRow {
  id: string;
  request_id: string;
  kind: InvalidKind;
  note: string | null;
  marked_at: Date;
  received_at: Date;
}

const INSERT = `WITH ${REQUEST_CTES}, v AS (
    INSERT INTO invalid_calls (request_id, kind, note, marked_by) SELECT r.id, $17, $18, $12 FROM r
    RETURNING id, request_id, kind, note, marked_at
  ) SELECT v.*, $11::timestamptz AS received_at FROM v`;

const BY_CLIENT_REF = `SELECT v.id, v.request_id, v.kind, v.note, v.marked_at, r.received_at
  FROM invalid_calls v JOIN requests r ON r.id = v.request_id WHERE r.client_ref = $1`;

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
      () =>
        inTransaction(this.db, async (tx) => {
          const r = await tx.query<InvalidCallRow>(INSERT, [...requestParams(request, actor), input.kind, note]);
          return r.rows[0]!;
        }),
      async (ref) => (await this.db.query<InvalidCallRow>(BY_CLIENT_REF, [ref])).rows[0] ?? null,
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
