import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  DISPATCH_TIERS,
  DISPOSITIONS,
  DIVERSION_TARGETS,
  INCIDENT_CATEGORIES,
  INCIDENT_STATUSES,
  INVALID_KINDS,
  REQUEST_CHANNELS,
  CLOSE_KINDS,
  type IncidentAction,
  type IncidentCommand,
} from '@liandong/domain';
import {
  DateTime,
  DistrictCode,
  IdParams,
  Note,
  PageQuery,
  StreetCode,
  UnitId,
  enumOf,
  errorResponses,
  paged,
} from '../http/schemas.ts';
import { presentIncident, presentIncidentDetail } from './incidents.present.ts';
import type { IncidentService } from './incidents.service.ts';

const IncidentJson = Type.Object({}, { additionalProperties: true, description: '警情' });
const strict = <T extends Parameters<typeof Type.Object>[0]>(props: T) =>
  Type.Object(props, { additionalProperties: false });

const ACTION_BODIES = {
  dispatch: strict({ tier: enumOf(DISPATCH_TIERS, '处警层级'), unitId: UnitId, note: Type.Optional(Note) }),
  redispatch: strict({ tier: enumOf(DISPATCH_TIERS), unitId: UnitId, note: Note }),
  arrive: strict({ note: Type.Optional(Note) }),
  handle: strict({ note: Type.Optional(Note) }),
  feedback: strict({
    disposition: enumOf(DISPOSITIONS, '处置结果'),
    summary: Type.String({ minLength: 1, maxLength: 5000 }),
  }),
  close: strict({ note: Type.Optional(Note) }),
  mark_invalid: strict({ kind: enumOf(INVALID_KINDS, '无效报警或骚扰报警'), note: Type.Optional(Note) }),
  divert: strict({ target: enumOf(DIVERSION_TARGETS, '分流去向'), note: Type.Optional(Note) }),
  reclassify: strict({ category: enumOf(INCIDENT_CATEGORIES), note: Type.Optional(Note) }),
} as const satisfies Record<IncidentAction, unknown>;

const ACTION_SUMMARY: Record<IncidentAction, string> = {
  dispatch: '派警（层级与单位）',
  redispatch: '改派',
  arrive: '到场',
  handle: '开始处置',
  feedback: '处置反馈',
  close: '结警',
  mark_invalid: '记为无效或骚扰报警',
  divert: '非警务分流（12345、综治中心、挪车等）',
  reclassify: '修改警情类别',
};

export const incidentRoutes =
  (
    service: IncidentService,
    opts: { linkageFor?: (incidentId: string) => Promise<unknown> } = {},
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/api/incidents',
      {
        schema: {
          tags: ['dispatch'],
          summary: '接警登记',
          body: strict({
            channel: Type.Optional(enumOf(REQUEST_CHANNELS)),
            caller: Type.Optional(
              strict({
                name: Type.Optional(Type.String({ maxLength: 50 })),
                phone: Type.Optional(Type.String({ pattern: '^[0-9+\\-() ]{3,20}$' })),
              }),
            ),
            content: Type.String({ minLength: 1, maxLength: 5000 }),
            address: Type.Optional(Type.String({ maxLength: 200 })),
            districtCode: Type.Optional(DistrictCode),
            streetCode: Type.Optional(StreetCode),
            lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
            lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
            receivedAt: Type.Optional(DateTime),
            clientRef: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            category: enumOf(INCIDENT_CATEGORIES, '警情类别'),
            priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: '1 最紧急' })),
          }),
          response: { 200: IncidentJson, 201: IncidentJson, ...errorResponses },
        },
      },
      async (req, reply) => {
        const { incident, created } = await service.create(req.actor, req.body);
        return reply.code(created ? 201 : 200).send(presentIncident(incident));
      },
    );

    app.get(
      '/api/incidents',
      {
        schema: {
          tags: ['dispatch'],
          summary: '警情列表（分页、筛选）',
          querystring: strict({
            ...PageQuery,
            status: Type.Optional(Type.Array(enumOf(INCIDENT_STATUSES), { maxItems: 6 })),
            category: Type.Optional(enumOf(INCIDENT_CATEGORIES)),
            districtCode: Type.Optional(DistrictCode),
            unitId: Type.Optional(UnitId),
            tier: Type.Optional(enumOf(DISPATCH_TIERS)),
            priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3 })),
            closeKind: Type.Optional(enumOf(CLOSE_KINDS)),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
            createdFrom: Type.Optional(DateTime),
            createdTo: Type.Optional(DateTime),
            order: Type.Optional(enumOf(['asc', 'desc'] as const)),
          }),
          response: { 200: paged(IncidentJson), ...errorResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const page = q.page ?? 1;
        const pageSize = q.pageSize ?? 20;
        const { rows, total } = await service.list(req.actor, {
          status: q.status,
          category: q.category,
          districtCode: q.districtCode,
          unitId: q.unitId,
          tier: q.tier,
          priority: q.priority,
          closeKind: q.closeKind,
          q: q.q,
          createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
          createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
          order: q.order ?? 'desc',
          limit: pageSize,
          offset: (page - 1) * pageSize,
        });
        return {
          items: rows.map((r) => ({
            ...presentIncident(r),
            unitName: r.unit_name,
            districtName: r.district_name,
            content: r.content,
            address: r.address,
          })),
          total,
          page,
          pageSize,
        };
      },
    );

    app.get(
      '/api/incidents/:id',
      {
        schema: {
          tags: ['dispatch'],
          summary: '警情详情与处警记录',
          params: IdParams,
          response: { 200: IncidentJson, ...errorResponses },
        },
      },
      async (req) => presentIncidentDetail(await service.get(req.actor, req.params.id)),
    );

    for (const action of Object.keys(ACTION_BODIES) as IncidentAction[]) {
      app.post(
        `/api/incidents/:id/${action.replace(/_/g, '-')}`,
        {
          schema: {
            tags: ['dispatch'],
            summary: ACTION_SUMMARY[action],
            params: IdParams,
            body: ACTION_BODIES[action],
            response: { 200: IncidentJson, ...errorResponses },
          },
        },
        async (req) => {
          const incident = presentIncident(
            await service.act(req.actor, req.params.id, { ...(req.body as object), action } as IncidentCommand),
          );
          // A diversion says where the matter went: the linkage item opened in the same transaction, if any.
          if (action !== 'divert' || !opts.linkageFor) return incident;
          return { ...incident, linkage: await opts.linkageFor(incident.id) };
        },
      );
    }
  };
