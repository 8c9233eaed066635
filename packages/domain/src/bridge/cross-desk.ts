/**
 * The rules that cross from one desk to the other (and to the partner lines): one table per mapping,
 * used by both desks' servers and, through the reference API, by the console. Only domain/bridge knows
 * both desks, so these live here.
 */
import { fail, ok, type Result } from '../shared/result.ts';
import { beijingIso } from '../shared/beijing-time.ts';
import { isDistrictCode } from '../shared/request.ts';
import type { ReplyResult, WorkOrderType } from '../hotline/work-order/work-order.ts';
import { INCIDENT_CATEGORIES, type DiversionTarget, type IncidentCategory } from '../dispatch/incident/incident.ts';
import type { Route } from '../triage/types.ts';
import type { BridgeDisposition, MessageType } from './envelope.ts';
import { OPENING_TYPE, type LinkageKind } from './linkage.ts';

// ---- Partner lines: 119, 120, the utilities, 综治中心, the vehicle-moving service -------------------

/** Kinds of connector (对接联动单位), as administered in `connectors` (plan task 10: 水电气, 综治, 挪车; 119, 120). */
export const CONNECTOR_KINDS = [
  'fire',
  'medical',
  'water',
  'power',
  'gas',
  'governance_center',
  'vehicle_moving',
] as const;
export type ConnectorKind = (typeof CONNECTOR_KINDS)[number];

/**
 * Each partner line once: the triage route that sends a matter there, the 110's diversion target for it,
 * and the connector kinds that answer it. (One utility route stands for three lines: water, power, gas.)
 */
export const PARTNER_LINES = [
  { route: '119', diversionTarget: 'fire_119', connectorKinds: ['fire'] },
  { route: '120', diversionTarget: 'medical_120', connectorKinds: ['medical'] },
  { route: 'utility', diversionTarget: 'utility', connectorKinds: ['water', 'power', 'gas'] },
  { route: 'governance_center', diversionTarget: 'governance_center', connectorKinds: ['governance_center'] },
  { route: 'vehicle_moving', diversionTarget: 'vehicle_moving', connectorKinds: ['vehicle_moving'] },
] as const satisfies readonly {
  route: Route;
  diversionTarget: DiversionTarget;
  connectorKinds: readonly ConnectorKind[];
}[];

/** The connector kinds that answer a 110 diversion target; none for 12345 (the peer desk, not a connector). */
export function connectorKindsForDiversion(target: DiversionTarget): readonly ConnectorKind[] {
  return PARTNER_LINES.find((l) => l.diversionTarget === target)?.connectorKinds ?? [];
}

/** The connector kinds that answer a triage route (the call-taker's partner buttons). */
export function connectorKindsForRoute(route: string): readonly ConnectorKind[] {
  return PARTNER_LINES.find((l) => l.route === route)?.connectorKinds ?? [];
}

/** Connector kind → the triage route it answers (a transfer to it records that route as chosen). */
export const CONNECTOR_KIND_ROUTES = Object.fromEntries(
  PARTNER_LINES.flatMap((l) => l.connectorKinds.map((k) => [k, l.route])),
) as Record<ConnectorKind, Route>;

// ---- Feedback: the loop closes with a disposition (plan 二(五)11 受理反馈闭环) -------------------------

/** A 12345 reply's result as the disposition the originator receives. */
export const REPLY_DISPOSITIONS: Record<ReplyResult, BridgeDisposition> = {
  resolved: 'resolved_on_scene',
  explained: 'settled_by_phone',
  unresolvable: 'referred_to_partner_agency',
};

/** The disposition of a 12345 reply on an item: a resolved joint mediation (联合调处) is `mediated`. */
export function dispositionForReply(result: ReplyResult, kind: LinkageKind): BridgeDisposition {
  return result === 'resolved' && kind === 'mediation' ? 'mediated' : REPLY_DISPOSITIONS[result];
}

// ---- Opening an item: the message a seat's one click sends ---------------------------------------

/** The request behind the local record, as the opening message carries it. */
export interface OpeningRequest {
  content: string;
  channel: string;
  receivedAt: Date;
  address: string;
  districtCode: string | null;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
  callerName: string | null;
  callerPhone: string | null;
  triage: { route: string; emergency: boolean; urgent: boolean; category: string; reasons: string[] } | null;
}

export interface OpeningInput {
  kind: LinkageKind;
  /** The local record's number (工单号 or 警情号), quoted to the peer. */
  localNo: string;
  reason?: string;
  need?: string;
  danger?: string;
  summary?: string;
  callbackConsent?: boolean;
}

/** The opening message of an item: its type and payload (before the allow-list trims it). */
export function buildOpening(
  input: OpeningInput,
  req: OpeningRequest,
  acceptBy: Date,
): Result<{ type: MessageType; payload: Record<string, unknown> }> {
  // Danger goes to 110 first and says what is at risk; an assistance request says what police should do.
  if (input.kind === 'emergency' && !input.danger) return fail('VALIDATION_FAILED', '紧急移交须说明危险情形（danger）');
  if (input.kind === 'assist' && !input.need)
    return fail('VALIDATION_FAILED', '请求警方协助须说明需要警方做什么（need）');
  const location = {
    address: req.address,
    district: req.districtCode ?? undefined,
    street: req.streetCode ?? undefined,
    lat: req.lat ?? undefined,
    lng: req.lng ?? undefined,
  };
  const deadline = beijingIso(acceptBy);
  const type = OPENING_TYPE[input.kind];
  if (input.kind === 'assist')
    return ok({ type, payload: { workOrderRef: input.localNo, need: input.need, location, deadline } });
  if (input.kind === 'mediation')
    return ok({
      type,
      payload: {
        incidentRef: input.localNo,
        summary: input.summary ?? req.content,
        parties: ['当事双方'],
        location,
        deadline,
      },
    });
  const t = req.triage;
  const request = {
    content: req.content,
    channel: req.channel,
    receivedAt: beijingIso(req.receivedAt),
    location,
    triage: t
      ? { route: t.route, emergency: t.emergency, urgent: t.urgent, category: t.category, reasons: t.reasons }
      : undefined,
  };
  // The caller's name and number leave the desk only when the caller agreed (data minimisation).
  const callback =
    input.callbackConsent && (req.callerName || req.callerPhone)
      ? { name: req.callerName ?? undefined, phone: req.callerPhone ?? undefined }
      : undefined;
  return ok({
    type,
    payload: {
      kind: input.kind,
      reason: input.reason ?? '',
      request,
      callback,
      deadline,
      ...(input.kind === 'emergency' ? { danger: input.danger } : {}),
    },
  });
}

/** Where an opening message places the matter: its address and its district, when it is a Chongqing one. */
export function openingLocation(opening: Record<string, unknown>): { address?: string; districtCode?: string } {
  const req = (opening.request ?? {}) as Record<string, unknown>;
  const loc = (req.location ?? opening.location ?? {}) as Record<string, unknown>;
  return {
    ...(typeof loc.address === 'string' ? { address: loc.address } : {}),
    ...(isDistrictCode(loc.district) ? { districtCode: loc.district } : {}),
  };
}

/** The accept-by time an opening message names, if it names a valid one. */
export function openingDeadline(opening: Record<string, unknown>): Date | null {
  return typeof opening.deadline === 'string' && !Number.isNaN(Date.parse(opening.deadline))
    ? new Date(opening.deadline)
    : null;
}

// ---- Accepting an item: what the receiving desk makes of it --------------------------------------

/** The 12345 category a transferred matter is filed under when it carries none of ours: 其他事项 / 其他. */
export const FALLBACK_HOTLINE_CATEGORY = 'QTSX01';
const HOTLINE_LEAF_CATEGORY = /^[A-Z]{4}\d{2}$/;

export type LocalRecordDraft = { content: string; address?: string; districtCode?: string } & (
  | { desk: 'hotline'; orderType: WorkOrderType; categoryCode: string }
  | { desk: 'dispatch'; category: IncidentCategory; priority: 1 | 2 }
);

/**
 * The work order (12345) or incident (110) an accepted item becomes: the matter's text and place, and
 * the triage category when it is one of the receiving desk's own. An emergency escalation is an
 * 紧急求助 at the top priority (plan 二(二)1: danger is handled by 110 first).
 */
export function localRecordDraft(
  desk: 'hotline' | 'dispatch',
  kind: LinkageKind,
  opening: Record<string, unknown>,
): LocalRecordDraft {
  const req = (opening.request ?? {}) as Record<string, unknown>;
  const triage = (req.triage ?? {}) as Record<string, unknown>;
  const content = String(req.content ?? opening.summary ?? opening.need ?? '对方平台转来的事项').slice(0, 5000);
  const { address, districtCode } = openingLocation(opening);
  const place = { content, address: address?.slice(0, 200), districtCode };
  const category = typeof triage.category === 'string' ? triage.category : '';
  if (desk === 'dispatch')
    return {
      ...place,
      desk,
      category:
        kind === 'emergency'
          ? 'emergency_help'
          : (INCIDENT_CATEGORIES as readonly string[]).includes(category)
            ? (category as IncidentCategory)
            : 'public_help',
      priority: kind === 'emergency' ? 1 : 2,
    };
  return {
    ...place,
    desk,
    orderType: kind === 'mediation' ? 'help' : 'complaint',
    categoryCode: HOTLINE_LEAF_CATEGORY.test(category) ? category : FALLBACK_HOTLINE_CATEGORY,
  };
}
