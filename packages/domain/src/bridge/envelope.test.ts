import { describe, expect, it } from 'vitest';
import { MAX_RECORDS, catalogueItemId, minimise, validateEnvelope } from './envelope.ts';

const envelope = (payload: Record<string, unknown>) => ({
  v: 1,
  id: '0193f1c2-0000-7000-8000-000000000001',
  type: 'transfer.request',
  itemId: 'cq-12345:LK-2026-000001',
  seq: 1,
  from: 'cq-12345',
  to: 'cq-110',
  sentAt: '2026-12-01T10:00:00.000+08:00',
  payload,
});

describe('callRef (bridge-protocol 1.1: a transfer that moves a live call names the call)', () => {
  it('is allowed on a transfer request and kept when the payload is minimised', () => {
    const request = { content: '有人在楼下打架', channel: 'phone_12345', receivedAt: '2026-12-01T10:00:00+08:00' };
    const payload = { kind: 'transfer', reason: '打架斗殴', request, callRef: 'cq-12345:0193f1c2-aaaa' };
    expect(validateEnvelope(envelope(payload)).ok).toBe(true);
    expect(minimise('transfer.request', payload)).toMatchObject({ callRef: 'cq-12345:0193f1c2-aaaa' });
    expect(minimise('emergency.escalate', { ...payload, danger: '人身' })).toMatchObject({ callRef: payload.callRef });
  });

  it('must be a string', () => {
    const request = { content: '有人在楼下打架', channel: 'phone_12345', receivedAt: '2026-12-01T10:00:00+08:00' };
    expect(validateEnvelope(envelope({ kind: 'transfer', request, callRef: 42 }))).toMatchObject({ ok: false });
  });
});

describe('text and keys (bridge-protocol 1.1, Trust rules)', () => {
  const request = { content: '有人在楼下打架', channel: 'phone_12345' };
  it.each([
    ['a NUL in a nested value', { kind: 'transfer', request: { ...request, content: '打架\u0000' } }, 'schema_invalid'],
    ['a lone high surrogate', { kind: 'transfer', reason: 'a\ud800b', request }, 'schema_invalid'],
    ['a lone low surrogate at the end', { kind: 'transfer', reason: 'ab\udc00', request }, 'schema_invalid'],
    [
      'a NUL in a list of strings',
      { kind: 'transfer', request: { ...request, triage: { reasons: ['\u0000'] } } },
      'schema_invalid',
    ],
    ['a field named toString', { kind: 'transfer', request, toString: 'x' }, 'field_not_allowed'],
    ['a field named constructor', { kind: 'transfer', request: { ...request, constructor: 'x' } }, 'field_not_allowed'],
  ])('refuses %s', (_l, payload, code) => {
    expect(validateEnvelope(envelope(payload))).toMatchObject({ ok: false, code });
  });

  it('refuses a __proto__ key as JSON.parse makes it (an own field), anywhere in the message', () => {
    const raw = JSON.stringify(envelope({ kind: 'transfer', request })).replace('"kind"', '"__proto__":{"x":1},"kind"');
    expect(validateEnvelope(JSON.parse(raw))).toMatchObject({ ok: false, code: 'field_not_allowed' });
    const top = JSON.parse(JSON.stringify(envelope({ kind: 'transfer', request })).replace('"v"', '"prototype":1,"v"'));
    expect(validateEnvelope(top)).toMatchObject({ ok: false, code: 'field_not_allowed' });
  });

  it('carries a drill as `exercise` (revision 1.1): a boolean, nothing else', () => {
    const e = envelope({ kind: 'transfer', request });
    expect(validateEnvelope({ ...e, exercise: true })).toMatchObject({ ok: true, value: { exercise: true } });
    expect(validateEnvelope({ ...e, exercise: false }).ok).toBe(true);
    expect(validateEnvelope({ ...e, exercise: 'yes' })).toMatchObject({
      ok: false,
      code: 'schema_invalid',
      details: { field: 'exercise' },
    });
  });

  it('accepts a well-formed surrogate pair (an emoji) and other Chinese text', () => {
    expect(validateEnvelope(envelope({ kind: 'transfer', reason: '求助😀', request })).ok).toBe(true);
  });
});

describe('catalogue.publish (bridge-protocol 1.1: a catalogue agreed at a 会商, desk to desk)', () => {
  const entry = { code: 'H-DRONE', name: '无人机扰民', kind: 'boundary', route: '12345', terms: ['放无人机'] };
  const catalogue = (payload: Record<string, unknown>) => ({
    ...envelope(payload),
    type: 'catalogue.publish',
    itemId: catalogueItemId('cq-12345', 12),
  });
  const full = { version: 12, effectiveFrom: '2026-12-06', source: '季度会商纪要', entries: [entry] };

  it('is a type of the protocol, an item of one message named by the sender and the version', () => {
    expect(catalogueItemId('cq-12345', 12)).toBe('cq-12345:CAT-12');
    expect(validateEnvelope(catalogue(full))).toMatchObject({ ok: true, value: { payload: full } });
  });

  it.each([
    ['without entries', { ...full, entries: undefined }, 'schema_invalid'],
    ['without a source', { ...full, source: '' }, 'schema_invalid'],
    ['with entries that are not objects', { ...full, entries: ['H-DRONE'] }, 'schema_invalid'],
    ['with entries as one object', { ...full, entries: entry }, 'schema_invalid'],
    [
      'with more entries than a catalogue may have',
      { ...full, entries: Array(MAX_RECORDS + 1).fill(entry) },
      'schema_invalid',
    ],
    ['with a version as text', { ...full, version: '12' }, 'schema_invalid'],
    ['with a note (not in the allow-list)', { ...full, note: '备注' }, 'field_not_allowed'],
  ])('refuses one %s', (_l, payload, code) => {
    expect(validateEnvelope(catalogue(payload))).toMatchObject({ ok: false, code });
  });

  it('keeps entries whole when minimised (their form is the catalogue format’s, checked by the receiver)', () => {
    expect(minimise('catalogue.publish', { ...full, note: '不外发' })).toEqual(full);
  });
});
