import { describe, expect, it } from 'vitest';
import { MESSAGE_TYPES, validateEnvelope, minimise, type MessageType } from './envelope.ts';
import {
  LINKAGE_STATUSES,
  LINKAGE_TRANSITIONS,
  applyLinkageMessage,
  type LinkageState,
  type LinkageStatus,
} from './linkage.ts';

const payloadFor = (t: MessageType): Record<string, unknown> =>
  t === 'negotiation.resolve' ? { outcome: 'receiver_takes' } : {};

describe('linkage item: every (status, message) pair, from each side', () => {
  const rows = LINKAGE_STATUSES.flatMap((status) =>
    MESSAGE_TYPES.flatMap((type) => (['originator', 'receiver'] as const).map((by) => ({ status, type, by }))),
  );
  it.each(rows)('$status + $type by $by', ({ status, type, by }) => {
    const rule = LINKAGE_TRANSITIONS[status][type];
    const r = applyLinkageMessage({ kind: 'transfer', status, keptByFirstReceiver: false }, type, payloadFor(type), by);
    if (!rule) return expect(r).toMatchObject({ ok: false, code: 'LINKAGE_TRANSITION_NOT_ALLOWED' });
    const [sender, target] = rule;
    const mayBy =
      sender === 'either' ||
      sender === by ||
      (sender === 'handler' && by === 'receiver') ||
      (sender === 'non_handler' && by === 'originator');
    if (!mayBy) return expect(r).toMatchObject({ ok: false, code: 'LINKAGE_WRONG_SIDE' });
    const expected: LinkageStatus = type === 'negotiation.resolve' ? 'accepted' : target === 'same' ? status : target;
    expect(r).toMatchObject({ ok: true, value: { status: expected } });
  });
});

describe('the plan’s rules', () => {
  it('reject → negotiate → undecided: the first receiver keeps it and handles it, the other side confirms', () => {
    let s: LinkageState = { kind: 'transfer', status: 'requested', keptByFirstReceiver: false };
    for (const [type, by, payload] of [
      ['transfer.reject', 'receiver', {}],
      ['negotiation.open', 'originator', {}],
      ['negotiation.resolve', 'originator', { outcome: 'first_receiver_keeps' }],
    ] as const) {
      const r = applyLinkageMessage(s, type, payload, by);
      expect(r.ok).toBe(true);
      if (r.ok) s = r.value;
    }
    expect(s).toMatchObject({ status: 'kept_by_first_receiver', keptByFirstReceiver: true });
    expect(applyLinkageMessage(s, 'feedback', {}, 'receiver')).toMatchObject({ ok: false, code: 'LINKAGE_WRONG_SIDE' });
    const fb = applyLinkageMessage(s, 'feedback', {}, 'originator');
    expect(fb).toMatchObject({ ok: true, value: { status: 'feedback_given' } });
    if (fb.ok)
      expect(applyLinkageMessage(fb.value, 'closure.confirm', {}, 'receiver')).toMatchObject({
        ok: true,
        value: { status: 'closed' },
      });
  });
  it('an emergency escalation cannot be rejected', () => {
    expect(
      applyLinkageMessage(
        { kind: 'emergency', status: 'requested', keptByFirstReceiver: false },
        'transfer.reject',
        {},
        'receiver',
      ),
    ).toMatchObject({ ok: false, code: 'LINKAGE_EMERGENCY_NOT_REJECTABLE' });
  });
  it('a dispute reopens, and the handler gives feedback again', () => {
    const r = applyLinkageMessage(
      { kind: 'mediation', status: 'feedback_given', keptByFirstReceiver: false },
      'closure.dispute',
      { reason: '未解决' },
      'originator',
    );
    expect(r).toMatchObject({ ok: true, value: { status: 'reopened' } });
  });
});

describe('envelope validation and the allow-list', () => {
  const base = {
    v: 1,
    id: '0193f1c2-0000-7000-8000-000000000001',
    type: 'transfer.accept',
    itemId: 'cq-12345:LK-1',
    seq: 2,
    from: 'cq-110',
    to: 'cq-12345',
    sentAt: '2026-11-28T14:03:11.201+08:00',
    payload: { receiverRef: 'JQ1', acceptedBy: 'seat-3' },
  };
  it('accepts a well-formed envelope', () => expect(validateEnvelope(base).ok).toBe(true));
  it.each([
    ['an unknown type', { ...base, type: 'transfer.teleport' }, 'unknown_type'],
    [
      'a payload field outside the allow-list',
      { ...base, payload: { ...base.payload, callerHistory: ['x'] } },
      'field_not_allowed',
    ],
    [
      'a nested field outside the allow-list',
      { ...base, type: 'transfer.request', payload: { request: { content: 'x', idNumber: '500103…' } } },
      'field_not_allowed',
    ],
    ['an extra top-level field', { ...base, secret: 1 }, 'field_not_allowed'],
    ['seq 0', { ...base, seq: 0 }, 'schema_invalid'],
    ['a bad time', { ...base, sentAt: 'yesterday' }, 'schema_invalid'],
    ['a reject without reason code', { ...base, type: 'transfer.reject', payload: { note: 'x' } }, 'schema_invalid'],
    ['an unknown reason code', { ...base, type: 'transfer.reject', payload: { reasonCode: 'lazy' } }, 'schema_invalid'],
    ['a wrong field type', { ...base, payload: { receiverRef: 42 } }, 'schema_invalid'],
  ])('refuses %s', (_l, env, code) => expect(validateEnvelope(env)).toMatchObject({ ok: false, code }));
  it('the sender minimises: only allowed fields leave the desk', () => {
    expect(
      minimise('transfer.request', {
        kind: 'transfer',
        request: { content: 'x', callerHistory: [1], location: { address: 'a', idNo: 'b' } },
        internalNote: 'y',
      }),
    ).toEqual({ kind: 'transfer', request: { content: 'x', location: { address: 'a' } } });
  });
});
