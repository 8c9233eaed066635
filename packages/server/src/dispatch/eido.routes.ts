import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  INCIDENT_CATEGORIES,
  maskName,
  maskPhone,
  seesCallerUnmasked,
  type IncidentCategory,
  type Role,
} from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import { findItem, findLatestItemForLocal } from '../bridge/bridge.repo.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { IdParams, errorResponses } from '../http/schemas.ts';
import { presentTriage } from '../triage/triage.present.ts';
import { findTriage } from '../triage/catalogue.repo.ts';
import { buildEido, checkEido, readEido } from './eido.ts';
import { presentIncident } from './incidents.present.ts';
import type { IncidentService } from './incidents.service.ts';

const Any = Type.Object({}, { additionalProperties: true });

export const eidoRoutes =
  (db: Db, incidents: IncidentService, opts: { deskId: string }): FastifyPluginAsyncTypebox =>
  async (app) => {
    const peerName = async (peer: string) =>
      (
        await db
          .query<{ name: string }>('SELECT name FROM connectors WHERE id = $1', [peer])
          .catch(() => ({ rows: [] as { name: string }[] }))
      ).rows[0]?.name ?? (peer.includes('12345') ? '12345政务服务便民热线' : peer);

    const exportIncident = async (actor: Parameters<IncidentService['get']>[0], id: string) => {
      const d = await incidents.get(actor, id);
      const item = await findLatestItemForLocal(db, id);
      const names = await db.query<{ id: string; display_name: string }>('SELECT id, display_name FROM users');
      const who = new Map(names.rows.map((u) => [u.id, u.display_name]));
      return buildEido({
        deskId: opts.deskId,
        incident: {
          id: d.row.id,
          no: d.row.no,
          category: d.row.category,
          priority: d.row.priority,
          status: d.row.status,
          disposition: d.row.disposition,
          unitId: d.row.unit_id,
          unitName: d.unit?.name ?? null,
          createdAt: d.row.created_at,
          updatedAt: d.row.updated_at,
        },
        request: {
          id: d.row.request_id,
          channel: d.request?.channel ?? 'phone_110',
          content: d.request?.content ?? '',
          address: d.request?.address ?? '',
          district: d.request?.district_name ?? null,
          street: d.request?.street_name ?? null,
          lat: d.request?.lat ?? null,
          lng: d.request?.lng ?? null,
          receivedAt: d.request?.received_at ?? d.row.created_at,
          // The caller leaves masked unless this reader sees callers unmasked (data minimisation).
          callerName: d.request?.caller_name ?? null,
          callerPhone: d.request?.caller_phone ?? null,
        },
        actions: (
          d.actions as {
            id: string | number;
            action: string;
            at: Date;
            details: Record<string, unknown>;
            actor_id?: string | null;
          }[]
        ).map((a) => ({
          id: String(a.id),
          action: a.action,
          at: a.at,
          details: a.details ?? {},
          actorName: a.actor_id ? (who.get(a.actor_id) ?? null) : null,
        })),
        linkage: item
          ? {
              itemId: item.item_id,
              kind: item.kind,
              side: item.side,
              peer: item.peer,
              peerName: await peerName(item.peer),
            }
          : null,
      });
    };

    app.get(
      '/api/incidents/:id/eido',
      {
        schema: {
          tags: ['dispatch'],
          summary: '导出警情为 NENA EIDO（JSON）',
          params: IdParams,
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        reply.type('application/json; charset=utf-8');
        return exportIncident(req.actor, req.params.id);
      },
    );

    app.get(
      '/api/linkage/items/:itemId/eido',
      {
        schema: {
          tags: ['dispatch'],
          summary: '导出涉及警方的对接事项为 NENA EIDO（已签收的按其警情导出）',
          params: Type.Object({ itemId: Type.String({ minLength: 1, maxLength: 100 }) }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'incident.read');
        const item = await findItem(db, req.params.itemId);
        if (!item) throw new AppError('LINKAGE_ITEM_NOT_FOUND');
        const local = item.local_ref
          ? (await db.query<{ id: string }>('SELECT id FROM incidents WHERE id = $1', [item.local_ref])).rows[0]
          : undefined;
        if (local) return exportIncident(req.actor, local.id);
        // Not yet accepted here: the EIDO is built from what the other desk sent.
        const o = item.opening as Record<string, unknown>;
        const r = (o.request ?? {}) as Record<string, unknown>;
        const loc = (r.location ?? o.location ?? {}) as Record<string, unknown>;
        const cb = (o.callback ?? {}) as Record<string, unknown>;
        const triage = (r.triage ?? {}) as Record<string, unknown>;
        const unmasked = seesCallerUnmasked(req.actor.role as Role, false);
        const name = typeof cb.name === 'string' ? cb.name : null;
        const phone = typeof cb.phone === 'string' ? cb.phone : null;
        const districtName =
          typeof loc.district === 'string'
            ? ((await db.query<{ name: string }>('SELECT name FROM districts WHERE code = $1', [loc.district])).rows[0]
                ?.name ?? null)
            : null;
        return buildEido({
          deskId: opts.deskId,
          incident: {
            id: item.item_id,
            no: item.item_id.replace(/[^A-Za-z0-9-]/g, '-'),
            category: (INCIDENT_CATEGORIES as readonly string[]).includes(String(triage.category))
              ? (triage.category as IncidentCategory)
              : item.kind === 'emergency'
                ? 'emergency_help'
                : 'public_help',
            priority: item.kind === 'emergency' ? 1 : 2,
            status: 'received',
            disposition: null,
            unitId: null,
            unitName: null,
            createdAt: item.created_at,
            updatedAt: item.updated_at,
          },
          request: {
            id: item.item_id.replace(/[^A-Za-z0-9-]/g, '-'),
            channel: String(r.channel ?? 'transferred_in'),
            content: String(r.content ?? o.summary ?? o.need ?? ''),
            address: typeof loc.address === 'string' ? loc.address : '',
            district: districtName,
            street: null,
            lat: typeof loc.lat === 'number' ? loc.lat : null,
            lng: typeof loc.lng === 'number' ? loc.lng : null,
            receivedAt: typeof r.receivedAt === 'string' ? new Date(r.receivedAt) : item.created_at,
            callerName: name && (unmasked ? name : maskName(name)),
            callerPhone: phone && (unmasked ? phone : maskPhone(phone)),
          },
          actions: [],
          linkage: {
            itemId: item.item_id,
            kind: item.kind,
            side: item.side,
            peer: item.peer,
            peerName: await peerName(item.peer),
          },
        });
      },
    );

    app.post(
      '/api/eido',
      {
        bodyLimit: 2 * 1024 * 1024,
        schema: {
          tags: ['dispatch'],
          summary: '接收 NENA EIDO 并生成警情（同时分流研判）',
          body: Type.Object({}, { additionalProperties: true }),
          response: { 200: Any, 201: Any, ...errorResponses },
        },
      },
      async (req, reply) => {
        requirePermission(req.actor, 'incident.create');
        const check = checkEido(req.body);
        if (!check.ok)
          throw new AppError(
            'EIDO_INVALID',
            `EIDO内容不符合规范：${check.errors[0]?.path} ${check.errors[0]?.message}`,
            { errors: check.errors },
          );
        const e = readEido(req.body as Record<string, unknown>);
        const district = e.districtName
          ? (await db.query<{ code: string }>('SELECT code FROM districts WHERE name = $1', [e.districtName])).rows[0]
              ?.code
          : undefined;
        const { record: incident, created } = await incidents.create(req.actor, {
          channel: 'transferred_in',
          content: e.content.slice(0, 5000),
          address: e.address || undefined,
          districtCode: district,
          ...(e.lat !== undefined && e.lng !== undefined && Math.abs(e.lat) <= 90 && Math.abs(e.lng) <= 180
            ? { lat: e.lat, lng: e.lng }
            : {}),
          ...(e.callerName || e.callerPhone
            ? {
                caller: {
                  ...(e.callerName ? { name: e.callerName } : {}),
                  ...(e.callerPhone ? { phone: e.callerPhone } : {}),
                },
              }
            : {}),
          category: e.category ?? 'public_help',
          priority: e.priority ?? 2,
          clientRef: `eido:${e.id}`.slice(0, 100),
        });
        const triage = await findTriage(db, incident.request_id);
        return reply
          .code(created ? 201 : 200)
          .send({ ...presentIncident(incident), triage: triage ? presentTriage(triage) : null });
      },
    );
  };
