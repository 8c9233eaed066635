/**
 * The caller panel (来电人): one caller record per number and the requests made from it on this desk,
 * newest first, with the order or incident each became. Only roles that see callers even when they
 * asked for confidentiality (保密) — the seats, supervisors, administrators — may look a number up:
 * anyone else would learn who stands behind a masked number.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  INCIDENT_STATUS_LABELS,
  INVALID_CALL_LABELS,
  REQUEST_CHANNEL_LABELS,
  WORK_ORDER_STATUS_LABELS,
  seesCallerUnmasked,
  type IncidentStatus,
  type InvalidKind,
  type RequestChannel,
  type WorkOrderStatus,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { errorResponses, strict } from '../http/schemas.ts';
import { openColumns, phoneHash } from '../crypto/pii.ts';

export const CALLER_PHONE_PATTERN = '^[0-9+\\-() ]{3,20}$';

interface CallerRequestRow {
  request_id: string;
  received_at: Date;
  channel: string;
  confidential: boolean;
  content: string;
  address: string;
  district_name: string | null;
  wo_id: string | null;
  wo_no: string | null;
  wo_status: string | null;
  wo_title: string | null;
  wo_satisfaction: string | null;
  inc_id: string | null;
  inc_no: string | null;
  inc_status: string | null;
  /** a 12345 call marked 无效 or 骚扰 (no work order) */
  invalid_kind: InvalidKind | null;
}

export function mayLookUpCallers(actor: Actor): boolean {
  return actor.role === 'system' || seesCallerUnmasked(actor.role, true);
}

export async function callerHistory(db: Queryable, actor: Actor, phone: string, limit = 20) {
  if (!mayLookUpCallers(actor)) throw new AppError('FORBIDDEN', '该角色不能按来电号码查询来电人');
  const caller = openColumns(
    (
      await db.query<{ id: string; name: string | null; phone: string; created_at: Date }>(
        'SELECT id, name_sealed AS name, phone_sealed AS phone, created_at FROM callers WHERE phone_hash = $1',
        [phoneHash(phone)],
      )
    ).rows,
    { name: 'caller.name', phone: 'caller.phone' },
  )[0];
  if (!caller) return { phone: phone.trim(), name: null, known: false, requestCount: 0, requests: [] };
  const count = await db.query<{ n: number; confidential: number }>(
    'SELECT count(*)::int AS n, count(*) FILTER (WHERE confidential)::int AS confidential FROM requests WHERE caller_id = $1',
    [caller.id],
  );
  const { rows } = await db.query<CallerRequestRow>(
    `SELECT r.id AS request_id, r.received_at, r.channel, r.confidential, r.content, r.address, d.name AS district_name,
            w.id AS wo_id, w.no AS wo_no, w.status AS wo_status, w.title AS wo_title, w.satisfaction AS wo_satisfaction,
            i.id AS inc_id, i.no AS inc_no, i.status AS inc_status, v.kind AS invalid_kind
     FROM requests r LEFT JOIN districts d ON d.code = r.district_code
     LEFT JOIN work_orders w ON w.request_id = r.id LEFT JOIN incidents i ON i.request_id = r.id
     LEFT JOIN invalid_calls v ON v.request_id = r.id
     WHERE r.caller_id = $1 ORDER BY r.received_at DESC, r.id DESC LIMIT $2`,
    [caller.id, limit],
  );
  return {
    phone: caller.phone,
    name: caller.name,
    known: true,
    requestCount: count.rows[0]!.n,
    confidentialCount: count.rows[0]!.confidential,
    requests: rows.map((r) => ({
      requestId: r.request_id,
      receivedAt: r.received_at.toISOString(),
      channel: r.channel,
      channelLabel: REQUEST_CHANNEL_LABELS[r.channel as RequestChannel] ?? r.channel,
      confidential: r.confidential,
      content: r.content.length > 120 ? `${r.content.slice(0, 120)}…` : r.content,
      address: r.address,
      districtName: r.district_name,
      /** 无效来电 / 骚扰来电: a call recorded with no work order */
      invalidLabel: r.invalid_kind ? INVALID_CALL_LABELS[r.invalid_kind] : null,
      record: r.wo_id
        ? {
            kind: 'work_order' as const,
            id: r.wo_id,
            no: r.wo_no,
            title: r.wo_title,
            status: r.wo_status,
            statusLabel: WORK_ORDER_STATUS_LABELS[r.wo_status as WorkOrderStatus],
          }
        : r.inc_id
          ? {
              kind: 'incident' as const,
              id: r.inc_id,
              no: r.inc_no,
              title: null,
              status: r.inc_status,
              statusLabel: INCIDENT_STATUS_LABELS[r.inc_status as IncidentStatus],
            }
          : null,
    })),
  };
}

export const callerRoutes =
  (db: Queryable): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/callers',
      {
        schema: {
          tags: ['callers'],
          summary: '来电人：按号码查询此前的诉求（一个号码一个来电人；仅坐席、督办、管理员可查）',
          querystring: strict({
            phone: Type.String({ pattern: CALLER_PHONE_PATTERN, description: '来电号码' }),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
          }),
          response: { 200: Type.Unknown(), ...errorResponses },
        },
      },
      async (req) => callerHistory(db, req.actor, req.query.phone, req.query.limit ?? 20),
    );
  };
