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
 * Kinds of service connector (docs/sms.md): not partner lines a matter is transferred to, but links the
 * desk itself sends through — the SMS gateway (短信网关), the city's 互联网+督查 platform (urgent and
 * supervised orders reported upward) and the 好差评 evaluation system (satisfaction reported upward).
 * They never take part in linkage: no item is opened to them and their keys are not accepted on the wire.
 */
export const SERVICE_CONNECTOR_KINDS = [
  'sms_gateway',
  'supervision_platform',
  'evaluation_platform',
  // the business systems a call-taker looks a caller's own record up in (docs/business-lookup.md)
  'social_security',
  'medical_insurance',
  'housing_fund',
] as const;
export type ServiceConnectorKind = (typeof SERVICE_CONNECTOR_KINDS)[number];
/** Every kind an administrator may give a connector. */
export const ALL_CONNECTOR_KINDS = [...CONNECTOR_KINDS, ...SERVICE_CONNECTOR_KINDS] as const;
export type AnyConnectorKind = ConnectorKind | ServiceConnectorKind;
export const isServiceConnectorKind = (k: string): k is ServiceConnectorKind =>
  (SERVICE_CONNECTOR_KINDS as readonly string[]).includes(k);

/** Each connector kind as the administrators' pages name it (the one list: 外部接口 and the reference data). */
export const CONNECTOR_KIND_LABELS: Record<AnyConnectorKind, string> = {
  fire: '119 消防救援',
  medical: '120 急救',
  water: '供水抢修',
  power: '供电抢修',
  gas: '燃气抢修',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务',
  sms_gateway: '短信网关',
  supervision_platform: '互联网+督查平台',
  evaluation_platform: '政务服务好差评系统',
  social_security: '社保业务系统',
  medical_insurance: '医保业务系统',
  housing_fund: '住房公积金业务系统',
};

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
  /** The live call a transfer or escalation moves with it (bridge-protocol 1.1 `callRef`). */
  callRef?: string;
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
      ...(input.callRef ? { callRef: input.callRef } : {}),
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

export type LocalRecordDraft = {
  content: string;
  address?: string;
  districtCode?: string;
  /** The caller's name and number, sent only when the caller agreed to be called back. */
  caller?: { name?: string; phone?: string };
} & (
  | { desk: 'hotline'; orderType: WorkOrderType; categoryCode: string; urgent: boolean }
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
  const cb = (opening.callback ?? {}) as Record<string, unknown>;
  const caller = {
    ...(typeof cb.name === 'string' && cb.name ? { name: cb.name.slice(0, 50) } : {}),
    ...(typeof cb.phone === 'string' && cb.phone ? { phone: cb.phone.slice(0, 30) } : {}),
  };
  const place = {
    content,
    address: address?.slice(0, 200),
    districtCode,
    ...(caller.name || caller.phone ? { caller } : {}),
  };
  const category = typeof triage.category === 'string' ? triage.category : '';
  // A matter the sender's triage found a danger now is 一级 whatever way it came (issue 11: not 二级 by default).
  const danger = kind === 'emergency' || triage.emergency === true;
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
      priority: danger ? 1 : 2,
    };
  return {
    ...place,
    desk,
    orderType: kind === 'mediation' ? 'help' : 'complaint',
    categoryCode: HOTLINE_LEAF_CATEGORY.test(category) ? category : FALLBACK_HOTLINE_CATEGORY,
    urgent: triage.urgent === true,
  };
}

/**
 * Whether the receiving desk accepts an opening on receipt, in the transaction that stores it, without
 * waiting for a seat (`transfer.accept` with `acceptedBy: "system"`, bridge-protocol.md 1.1): an emergency
 * escalation at the 110 desk (plan 二(二)1: danger is handled by 110 first, never negotiated), and at
 * the 12345 desk an item its sender's triage found urgent (plan task 7: 紧急工单 go to the district at once).
 */
export function acceptedOnReceipt(desk: 'hotline' | 'dispatch', type: MessageType, opening: Record<string, unknown>) {
  if (type === 'emergency.escalate') return desk === 'dispatch';
  const req = (opening.request ?? {}) as Record<string, unknown>;
  const triage = (req.triage ?? {}) as Record<string, unknown>;
  return desk === 'hotline' && type === 'transfer.request' && triage.urgent === true;
}

/** One line notified together with an item (the opening's `linked`, revision 1.1). */
export interface LinkedLine {
  to: string;
  itemId: string;
}

/** The other lines an opening says its sender notified at the same time (malformed entries are left out). */
export function linkedLines(opening: Record<string, unknown>): LinkedLine[] {
  const raw = opening.linked;
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((l: unknown) => {
    const x = (l ?? {}) as Record<string, unknown>;
    return typeof x.to === 'string' && typeof x.itemId === 'string' ? [{ to: x.to, itemId: x.itemId }] : [];
  });
}

/**
 * The partner lines a triage names to notify together with a transfer (design §5 `linked`): those with
 * a connector (119, 120, the utilities …), never the desks themselves or guidance.
 */
export function partnerRoutes(linked: readonly string[]): Route[] {
  return PARTNER_LINES.filter((l) => linked.includes(l.route)).map((l) => l.route);
}

/**
 * A linkage message as an entry of the local record's own history (the work order's or the incident's
 * action log): every transfer, acceptance, rejection and feedback (issue 11 item 3).
 */
export const LINKAGE_LOG_ACTIONS: Partial<Record<MessageType, string>> = {
  'transfer.request': '对接：发起转接',
  'emergency.escalate': '对接：紧急移交',
  'assist.request': '对接：请求警方协助',
  'mediation.request': '对接：联合调处',
  'transfer.accept': '对接：签收',
  'transfer.reject': '对接：拒收',
  'negotiation.open': '对接：发起协商',
  'negotiation.resolve': '对接：协商结果',
  feedback: '对接：处置反馈',
  'closure.confirm': '对接：确认闭环',
  'closure.dispute': '对接：异议重启',
};
/** The action-log action of a linkage message: `linkage.<type>`. */
export const linkageLogAction = (type: MessageType) => `linkage.${type}`;
/** The label of an action-log entry written for a linkage message, or undefined for any other action. */
export function linkageLogLabel(action: string): string | undefined {
  return action.startsWith('linkage.') ? LINKAGE_LOG_ACTIONS[action.slice(8) as MessageType] : undefined;
}
