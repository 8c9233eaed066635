import { describe, expect, it } from 'vitest';
import { DIVERSION_TARGETS, DISPOSITIONS } from '../dispatch/incident/incident.ts';
import { REPLY_RESULTS } from '../hotline/work-order/work-order.ts';
import { BRIDGE_DISPOSITIONS, validateEnvelope } from './envelope.ts';
import { LINKAGE_KINDS, OPENING_TYPE, kindOfOpening } from './linkage.ts';
import {
  CONNECTOR_KINDS,
  CONNECTOR_KIND_ROUTES,
  FALLBACK_HOTLINE_CATEGORY,
  buildOpening,
  connectorKindsForDiversion,
  connectorKindsForRoute,
  dispositionForReply,
  localRecordDraft,
  openingLocation,
  type OpeningRequest,
} from './cross-desk.ts';

const request: OpeningRequest = {
  content: '两人在小区门口打架，有人流血',
  channel: 'phone_12345',
  receivedAt: new Date('2026-11-28T06:03:11.201Z'),
  address: '渝中区八一路',
  districtCode: '500103',
  streetCode: null,
  lat: null,
  lng: null,
  callerName: '张三',
  callerPhone: '13812345678',
  triage: { route: '110', emergency: true, urgent: false, category: 'public_order', reasons: ['打架'] },
};
const acceptBy = new Date('2026-11-28T06:33:11.201Z');

describe('one table per cross-desk mapping', () => {
  it('the wire and the 110 incident share one list of dispositions', () => {
    expect(BRIDGE_DISPOSITIONS).toBe(DISPOSITIONS);
  });

  it.each([
    ['resolved', 'transfer', 'resolved_on_scene'],
    ['resolved', 'mediation', 'mediated'],
    ['explained', 'transfer', 'settled_by_phone'],
    ['explained', 'mediation', 'settled_by_phone'],
    ['unresolvable', 'transfer', 'referred_to_partner_agency'],
  ] as const)('a 12345 reply "%s" on a %s item is fed back as %s', (result, kind, disposition) => {
    expect(dispositionForReply(result, kind)).toBe(disposition);
  });

  it('every reply result has a disposition of the wire', () => {
    for (const r of REPLY_RESULTS) expect(BRIDGE_DISPOSITIONS).toContain(dispositionForReply(r, 'transfer'));
  });

  it('every 110 diversion target but 12345 is answered by connectors, and each connector kind answers one route', () => {
    for (const t of DIVERSION_TARGETS) expect(connectorKindsForDiversion(t).length > 0).toBe(t !== 'hotline_12345');
    expect(Object.keys(CONNECTOR_KIND_ROUTES).sort()).toEqual([...CONNECTOR_KINDS].sort());
    expect(connectorKindsForRoute('utility')).toEqual(['water', 'power', 'gas']);
    expect(connectorKindsForRoute('110')).toEqual([]);
  });

  it('the kind of a received opening message is the kind it was sent as', () => {
    for (const kind of LINKAGE_KINDS) {
      const payload = kind === 'diversion' || kind === 'transfer' ? { kind } : {};
      expect(kindOfOpening(OPENING_TYPE[kind], payload)).toBe(kind);
    }
  });
});

describe('the opening message', () => {
  it('an emergency escalation carries the danger; the caller only with consent; it passes the receiver’s checks', () => {
    const r = buildOpening({ kind: 'emergency', localNo: 'GD20261128000001', danger: '有人流血' }, request, acceptBy);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.type).toBe('emergency.escalate');
    expect(r.value.payload).toMatchObject({
      kind: 'emergency',
      danger: '有人流血',
      deadline: '2026-11-28T14:33:11.201+08:00',
      request: { receivedAt: '2026-11-28T14:03:11.201+08:00', location: { district: '500103' } },
    });
    expect(r.value.payload.callback).toBeUndefined();
    const consented = buildOpening({ kind: 'transfer', localNo: 'x', callbackConsent: true }, request, acceptBy);
    expect(consented.ok && consented.value.payload.callback).toEqual({ name: '张三', phone: '13812345678' });
    const env = {
      v: 1,
      id: '0193a0c1-0000-7000-8000-000000000001',
      type: r.value.type,
      itemId: 'cq-12345:LK-2026-000001',
      seq: 1,
      from: 'cq-12345',
      to: 'cq-110',
      sentAt: '2026-11-28T14:03:11.201+08:00',
      payload: JSON.parse(JSON.stringify(r.value.payload)),
    };
    expect(validateEnvelope(env).ok).toBe(true);
  });

  it('a transfer that moves the live call names it (bridge-protocol 1.1 callRef); one that does not, does not', () => {
    const moved = buildOpening(
      { kind: 'emergency', localNo: 'x', danger: '有人流血', callRef: 'cq-12345:0193f1c2-aaaa' },
      request,
      acceptBy,
    );
    expect(moved.ok && moved.value.payload.callRef).toBe('cq-12345:0193f1c2-aaaa');
    const plain = buildOpening({ kind: 'transfer', localNo: 'x' }, request, acceptBy);
    expect(plain.ok && 'callRef' in plain.value.payload).toBe(false);
  });

  it.each([
    ['emergency', { danger: undefined }, '紧急移交须说明危险情形（danger）'],
    ['assist', { need: undefined }, '请求警方协助须说明需要警方做什么（need）'],
  ] as const)('a %s without what it must say is refused', (kind, extra, message) => {
    expect(buildOpening({ kind, localNo: 'x', ...extra }, request, acceptBy)).toMatchObject({
      ok: false,
      code: 'VALIDATION_FAILED',
      message,
    });
  });

  it('a place outside Chongqing’s district codes is kept as an address only', () => {
    expect(openingLocation({ request: { location: { address: '北京', district: '110101' } } })).toEqual({
      address: '北京',
    });
  });
});

describe('what an accepted item becomes', () => {
  const opening = (category: string) => ({ request: { content: '内容', triage: { category } } });
  it.each([
    ['dispatch', 'emergency', 'traffic', { category: 'emergency_help', priority: 1 }],
    ['dispatch', 'transfer', 'traffic', { category: 'traffic', priority: 2 }],
    ['dispatch', 'transfer', 'CSGL01', { category: 'public_help', priority: 2 }],
    ['hotline', 'diversion', 'CSGL01', { categoryCode: 'CSGL01', orderType: 'complaint' }],
    ['hotline', 'mediation', 'public_order', { categoryCode: FALLBACK_HOTLINE_CATEGORY, orderType: 'help' }],
  ] as const)('at %s, a %s with category %s', (desk, kind, category, expected) => {
    expect(localRecordDraft(desk, kind, opening(category))).toMatchObject({ desk, content: '内容', ...expected });
  });
});
