/**
 * The bridge wire contract (shared/docs/bridge-protocol.md, version 1): envelope, message types, and the
 * field allow-list per type, so each desk receives only what the shared matter needs.
 */
import { fail, ok, type Result } from '../shared/result.ts';
import { DISPOSITIONS, type Disposition } from '../dispatch/incident/incident.ts';

export const MESSAGE_TYPES = [
  'transfer.request',
  'emergency.escalate',
  'assist.request',
  'mediation.request',
  'transfer.accept',
  'transfer.reject',
  'negotiation.open',
  'negotiation.resolve',
  'status.update',
  'feedback',
  'closure.confirm',
  'closure.dispute',
  'info.copy',
  'link',
  // revision 1.1: a jurisdiction catalogue agreed at a 会商, from one desk to the other
  'catalogue.publish',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

export interface Envelope {
  v: 1;
  id: string;
  type: MessageType;
  itemId: string;
  seq: number;
  from: string;
  to: string;
  sentAt: string;
  payload: Record<string, unknown>;
  /** A drill (应急演练, revision 1.1): handled end to end, kept out of every statistic. */
  exercise?: boolean;
}

export const REJECT_REASONS = [
  'not_our_jurisdiction',
  'insufficient_information',
  'duplicate',
  'already_handled',
  'wrong_district',
  'needs_emergency_service',
] as const;
export const REJECT_REASON_LABELS: Record<(typeof REJECT_REASONS)[number], string> = {
  not_our_jurisdiction: '不属于本平台职责',
  insufficient_information: '信息不全',
  duplicate: '重复转接',
  already_handled: '已在处理',
  wrong_district: '属地不符',
  needs_emergency_service: '应由119/120等应急力量处置',
};
export const NEGOTIATION_OUTCOMES = ['receiver_takes', 'first_receiver_keeps'] as const;
export const NEGOTIATION_OUTCOME_LABELS: Record<(typeof NEGOTIATION_OUTCOMES)[number], string> = {
  receiver_takes: '对方受理',
  first_receiver_keeps: '首接负责',
};
export const STATUS_VALUES = ['accepted', 'dispatched', 'on_scene', 'in_progress', 'resolved'] as const;
export const STATUS_VALUE_LABELS: Record<(typeof STATUS_VALUES)[number], string> = {
  accepted: '已受理',
  dispatched: '已派警',
  on_scene: '已到场',
  in_progress: '处置中',
  resolved: '已处置',
};
/** The wire's dispositions are the 110 incident's (after NENA's common codes): one list, so a police feedback goes out as recorded. */
export const BRIDGE_DISPOSITIONS = DISPOSITIONS;
export type BridgeDisposition = Disposition;
/** How the bridge names a disposition to both desks' seats (the 110's own wording is DISPOSITION_LABELS). */
export const BRIDGE_DISPOSITION_LABELS: Record<BridgeDisposition, string> = {
  report_taken: '已受案',
  resolved_on_scene: '现场处置完毕',
  settled_by_phone: '电话答复解决',
  referred_to_partner_agency: '转交其他单位',
  mediated: '调解完毕',
  no_action_needed: '无需处置',
  unable_to_locate: '无法找到当事人',
  duplicate: '重复事项',
  cancelled: '已撤销',
  arrest: '已抓获',
};
export const LINK_RELATIONS = ['duplicate_of', 'related', 'merged_into'] as const;

/**
 * A field's rule: a scalar type, a list of strings, a nested object, a list of objects (`[shape]`), or
 * `records`: a list of at most MAX_RECORDS objects whose form another contract defines (a catalogue's
 * entries: the receiver checks them against its catalogue format before it takes any).
 */
type Rule = 'string' | 'number' | 'boolean' | 'strings' | 'records' | Shape | readonly [Shape];
type Shape = { [field: string]: Rule };
/** At most this many objects in a list field (`linked`): a matter is linked to a few lines, not hundreds. */
const MAX_LIST = 10;
/** At most this many records in a `records` field: a catalogue's entries (the admin API's limit too). */
export const MAX_RECORDS = 2000;
const LOCATION: Shape = { address: 'string', district: 'string', street: 'string', lat: 'number', lng: 'number' };
const REQUEST: Shape = {
  content: 'string',
  channel: 'string',
  receivedAt: 'string',
  location: LOCATION,
  triage: { route: 'string', emergency: 'boolean', urgent: 'boolean', category: 'string', reasons: 'strings' },
};
const TRANSFER: Shape = {
  kind: 'string',
  reason: 'string',
  request: REQUEST,
  callback: { name: 'string', phone: 'string' },
  deadline: 'string',
  // revision 1.1: the live call this transfer moves (the sending desk's `<desk>:<call id>`)
  callRef: 'string',
  // revision 1.1: the other lines the sending desk notified at the same time (the receiver opens no second item to them)
  linked: [{ to: 'string', itemId: 'string' }],
};

/** Allowed fields per type; anything else is refused with field_not_allowed. */
export const ALLOWED_FIELDS: Record<MessageType, Shape> = {
  'transfer.request': TRANSFER,
  'emergency.escalate': { ...TRANSFER, danger: 'string' },
  'assist.request': { workOrderRef: 'string', need: 'string', location: LOCATION, deadline: 'string' },
  'mediation.request': {
    incidentRef: 'string',
    summary: 'string',
    parties: 'strings',
    location: LOCATION,
    deadline: 'string',
  },
  'transfer.accept': { receiverRef: 'string', acceptedBy: 'string' },
  'transfer.reject': { reasonCode: 'string', note: 'string' },
  'negotiation.open': { deadline: 'string', note: 'string' },
  'negotiation.resolve': { outcome: 'string', decidedBy: 'string', note: 'string' },
  'status.update': { status: 'string', note: 'string', at: 'string' },
  feedback: { disposition: 'string', summary: 'string', handledBy: 'string', at: 'string' },
  'closure.confirm': { note: 'string' },
  'closure.dispute': { reason: 'string' },
  'info.copy': { summary: 'string', ref: 'string' },
  link: { relatedItemId: 'string', relation: 'string' },
  'catalogue.publish': { version: 'number', effectiveFrom: 'string', source: 'string', entries: 'records' },
};

/** Required payload fields and enumerations per type (beyond the allow-list). */
const REQUIRED: Partial<Record<MessageType, string[]>> = {
  'transfer.request': ['request'],
  'emergency.escalate': ['request', 'danger'],
  'assist.request': ['need'],
  'mediation.request': ['summary'],
  'transfer.reject': ['reasonCode'],
  'negotiation.resolve': ['outcome'],
  'status.update': ['status'],
  feedback: ['disposition', 'summary'],
  'closure.dispute': ['reason'],
  link: ['relatedItemId', 'relation'],
  'catalogue.publish': ['version', 'effectiveFrom', 'source', 'entries'],
};
const ENUMS: Partial<Record<MessageType, Record<string, readonly string[]>>> = {
  'transfer.reject': { reasonCode: REJECT_REASONS },
  'negotiation.resolve': { outcome: NEGOTIATION_OUTCOMES },
  'status.update': { status: STATUS_VALUES },
  feedback: { disposition: BRIDGE_DISPOSITIONS },
  link: { relation: LINK_RELATIONS },
};

function checkShape(value: unknown, shape: Shape, path: string): Result<true> {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return fail('schema_invalid', `${path || 'payload'} must be an object`);
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    // Own fields only: `toString` or `__proto__` must not find a rule on Object.prototype.
    const rule = Object.hasOwn(shape, k) ? shape[k] : undefined;
    const here = path ? `${path}.${k}` : k;
    if (!rule) return fail('field_not_allowed', `field ${here} is not allowed`, { field: here });
    if (v === null) continue;
    if (Array.isArray(rule)) {
      if (!Array.isArray(v) || v.length > MAX_LIST)
        return fail('schema_invalid', `${here} must be a list of at most ${MAX_LIST} objects`);
      for (const [i, el] of v.entries()) {
        const r = checkShape(el, (rule as readonly [Shape])[0], `${here}.${i}`);
        if (!r.ok) return r;
      }
    } else if (typeof rule === 'object') {
      const r = checkShape(v, rule as Shape, here);
      if (!r.ok) return r;
    } else if (rule === 'records') {
      if (!Array.isArray(v) || v.length > MAX_RECORDS || v.some((x) => !x || typeof x !== 'object' || Array.isArray(x)))
        return fail('schema_invalid', `${here} must be a list of at most ${MAX_RECORDS} objects`);
    } else if (rule === 'strings') {
      if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
        return fail('schema_invalid', `${here} must be a list of strings`);
    } else if (typeof v !== rule) {
      return fail('schema_invalid', `${here} must be a ${rule}`);
    }
    if (typeof v === 'string' && v.length > 5000) return fail('schema_invalid', `${here} is too long`);
  }
  return ok(true);
}

/** Keys no message may carry anywhere (bridge-protocol.md, Trust rules): they reach object prototypes. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
// U+0000, or a surrogate without its partner (not representable in UTF-8, refused by PostgreSQL).
const BAD_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The text rules of bridge-protocol.md (Trust rules) over a whole parsed message, keys and values at any
 * depth: no U+0000, no lone surrogate (schema_invalid), no key named __proto__/constructor/prototype
 * (field_not_allowed). Checked before the allow-list so no such value is ever stored or applied.
 */
export function checkWireText(raw: unknown, path = ''): Result<true> {
  if (typeof raw === 'string')
    return BAD_TEXT.test(raw)
      ? fail('schema_invalid', `${path || 'value'} holds U+0000 or a lone surrogate`, { field: path })
      : ok(true);
  if (!raw || typeof raw !== 'object') return ok(true);
  const entries = Array.isArray(raw) ? raw.map((v, i) => [String(i), v] as const) : Object.entries(raw);
  for (const [k, v] of entries) {
    const here = path ? `${path}.${k}` : k;
    if (!Array.isArray(raw)) {
      if (FORBIDDEN_KEYS.has(k)) return fail('field_not_allowed', `field ${here} is not allowed`, { field: here });
      if (BAD_TEXT.test(k)) return fail('schema_invalid', `a field name holds U+0000 or a lone surrogate`);
    }
    const r = checkWireText(v, here);
    if (!r.ok) return r;
  }
  return ok(true);
}

/**
 * The refusals of the wire (bridge-protocol.md, Answers and Trust rules), with their HTTP status: all
 * answered as `{"error": code}`. docs/errors.md lists them (a test checks that the two agree).
 */
export const WIRE_ERRORS = {
  payload_too_large: 413,
  schema_invalid: 400,
  field_not_allowed: 400,
  unknown_type: 400,
  wrong_recipient: 400,
  item_not_senders: 400,
  signature_invalid: 401,
  unknown_key: 401,
  stale_timestamp: 401,
  replayed_nonce: 401,
  not_item_peer: 403,
  sequence_gap: 409,
} as const;
export type WireError = keyof typeof WIRE_ERRORS;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Validates an envelope as received: structure, type, allow-list, required fields, enumerations. */
export function validateEnvelope(raw: unknown): Result<Envelope> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    return fail('schema_invalid', 'envelope must be an object');
  const text = checkWireText(raw);
  if (!text.ok) return text;
  const e = raw as Record<string, unknown>;
  const allowedTop = new Set(['v', 'id', 'type', 'itemId', 'seq', 'from', 'to', 'sentAt', 'payload', 'exercise']);
  for (const k of Object.keys(e))
    if (!allowedTop.has(k)) return fail('field_not_allowed', `field ${k} is not allowed`, { field: k });
  if (e.v !== 1) return fail('schema_invalid', 'v must be 1');
  if (e.exercise !== undefined && typeof e.exercise !== 'boolean')
    return fail('schema_invalid', 'exercise must be a boolean', { field: 'exercise' });
  if (typeof e.type !== 'string') return fail('schema_invalid', 'type missing');
  if (!(MESSAGE_TYPES as readonly string[]).includes(e.type)) return fail('unknown_type', `unknown type ${e.type}`);
  for (const k of ['id', 'itemId', 'from', 'to', 'sentAt'] as const) {
    if (typeof e[k] !== 'string' || !(e[k] as string).length || (e[k] as string).length > 200)
      return fail('schema_invalid', `${k} must be a non-empty string`);
  }
  if (!ISO.test(e.sentAt as string)) return fail('schema_invalid', 'sentAt must be an ISO 8601 time');
  if (!Number.isInteger(e.seq) || (e.seq as number) < 1)
    return fail('schema_invalid', 'seq must be a positive integer');
  const type = e.type as MessageType;
  const shape = checkShape(e.payload ?? {}, ALLOWED_FIELDS[type], '');
  if (!shape.ok) return shape;
  const payload = (e.payload ?? {}) as Record<string, unknown>;
  for (const f of REQUIRED[type] ?? [])
    if (payload[f] === undefined || payload[f] === null || payload[f] === '')
      return fail('schema_invalid', `payload.${f} is required`);
  for (const [f, values] of Object.entries(ENUMS[type] ?? {})) {
    if (payload[f] !== undefined && !values.includes(payload[f] as string))
      return fail('schema_invalid', `payload.${f} must be one of ${values.join(', ')}`);
  }
  return ok({ ...(e as unknown as Envelope), payload });
}

/**
 * A catalogue version sent to the other desk is an item of one message (bridge-protocol.md 1.1 names no
 * item for it; Liandong settles it so every rule of the envelope holds unchanged): the item is the
 * sender's `<desk>:CAT-<version>`, its only message has `seq` 1, and a second message of it is a duplicate.
 */
export const catalogueItemId = (desk: string, version: number) => `${desk}:CAT-${version}`;

/** Keeps only allowed fields: what the sender applies before writing to its outbox (data minimisation). */
export function minimise(type: MessageType, payload: Record<string, unknown>): Record<string, unknown> {
  const prune = (v: unknown, shape: Shape): unknown => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return v;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const rule = Object.hasOwn(shape, k) ? shape[k] : undefined;
      if (!rule || x === undefined) continue;
      out[k] = Array.isArray(rule)
        ? Array.isArray(x)
          ? x.map((el) => prune(el, (rule as readonly [Shape])[0]))
          : x
        : typeof rule === 'object'
          ? prune(x, rule as Shape)
          : x;
    }
    return out;
  };
  return prune(payload, ALLOWED_FIELDS[type]) as Record<string, unknown>;
}
