import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as domain from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { listCategories, listDistricts, listStreets, listUnits } from './reference.repo.ts';
import { DistrictCode, errorResponses } from '../http/schemas.ts';

const Any = Type.Unknown();

/** Labels of every enumeration, so the console shows exactly the values the server accepts; and one cross-desk table. */
const ENUMS = {
  requestChannels: domain.REQUEST_CHANNEL_LABELS,
  roles: domain.ROLE_LABELS,
  unitKinds: domain.UNIT_KIND_LABELS,
  workOrderTypes: domain.WORK_ORDER_TYPE_LABELS,
  workOrderStatuses: domain.WORK_ORDER_STATUS_LABELS,
  workOrderActions: domain.WORK_ORDER_ACTION_LABELS,
  urgentKinds: domain.URGENT_KIND_LABELS,
  satisfaction: domain.SATISFACTION_LABELS,
  returnReasons: domain.RETURN_REASON_LABELS,
  replyResults: domain.REPLY_RESULT_LABELS,
  incidentCategories: domain.INCIDENT_CATEGORY_LABELS,
  incidentStatuses: domain.INCIDENT_STATUS_LABELS,
  incidentActions: domain.INCIDENT_ACTION_LABELS,
  dispatchTiers: domain.DISPATCH_TIER_LABELS,
  dispositions: domain.DISPOSITION_LABELS,
  diversionTargets: domain.DIVERSION_TARGET_LABELS,
  invalidKinds: domain.INVALID_KIND_LABELS,
  linkageKinds: domain.LINKAGE_KIND_LABELS,
  linkageStatuses: domain.LINKAGE_STATUS_LABELS,
  rejectReasons: domain.REJECT_REASON_LABELS,
  negotiationOutcomes: domain.NEGOTIATION_OUTCOME_LABELS,
  bridgeStatusValues: domain.STATUS_VALUE_LABELS,
  bridgeDispositions: domain.BRIDGE_DISPOSITION_LABELS,
  triageRoutes: domain.ROUTE_LABELS,
  /** The lines by their short names (导航流程's transfers: 转119, 转水电气抢修 …). */
  routeNames: domain.ROUTE_NAMES,
  connectorKinds: domain.CONNECTOR_KIND_LABELS,
  catalogueEntryKinds: domain.ENTRY_KIND_LABELS,
  knowledgeTopics: Object.fromEntries(domain.KNOWLEDGE_TOPICS.map((t) => [t, t])),
  knowledgeStatuses: domain.KNOWLEDGE_STATUS_LABELS,
  knowledgeTaskStatuses: domain.KNOWLEDGE_TASK_STATUS_LABELS,
  /** Not labels: each connector kind → the triage route it answers (the call-taker's partner buttons). */
  connectorKindRoutes: domain.CONNECTOR_KIND_ROUTES,
};

export const referenceRoutes =
  (db: Db): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/reference/enums',
      { schema: { tags: ['reference'], summary: '各枚举值及中文名称', response: { 200: Any } } },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return ENUMS;
      },
    );

    app.get(
      '/api/reference/districts',
      { schema: { tags: ['reference'], summary: '重庆市38个区县', response: { 200: Any } } },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return listDistricts(db);
      },
    );

    app.get(
      '/api/reference/districts/:code/streets',
      {
        schema: {
          tags: ['reference'],
          summary: '区县下辖街道（镇、乡）',
          params: Type.Object({ code: DistrictCode }),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return listStreets(db, req.params.code);
      },
    );

    app.get(
      '/api/reference/units',
      {
        schema: {
          tags: ['reference'],
          summary: '承办单位与处警单位',
          querystring: Type.Object(
            {
              kind: Type.Optional(Type.String({ pattern: '^[a-z_]{3,30}$' })),
              desk: Type.Optional(Type.String({ enum: ['hotline', 'dispatch', 'external'] })),
              districtCode: Type.Optional(DistrictCode),
              q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        const q = req.query;
        return listUnits(db, {
          kind: q.kind,
          desk: q.desk,
          districtCode: q.districtCode,
          q: q.q,
          limit: q.limit ?? 100,
        });
      },
    );

    app.get(
      '/api/reference/categories',
      { schema: { tags: ['reference'], summary: '12345派单目录', response: { 200: Any } } },
      async (req) => {
        requirePermission(req.actor, 'reference.read');
        return listCategories(db);
      },
    );
  };
