import { describe, expect, it } from 'vitest';
import { minimise, validateEnvelope } from './envelope.ts';

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
