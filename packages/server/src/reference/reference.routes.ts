import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import * as domain from '@liandong/domain';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { DistrictCode, errorResponses } from '../http/schemas.ts';

const Any = Type.Unknown();

/** Labels of every enumeration, so the console shows exactly the values the server accepts. */
const ENUMS = {
  requestChannels: domain.REQUEST_CHANNEL_LABELS, roles: domain.ROLE_LABELS, workOrderTypes: domain.WORK_ORDER_TYPE_LABELS,
  workOrderStatuses: domain.WORK_ORDER_STATUS_LABELS, workOrderActions: domain.WORK_ORDER_ACTION_LABELS,
  urgentKinds: domain.URGENT_KIND_LABELS, satisfaction: domain.SATISFACTION_LABELS, returnReasons: domain.RETURN_REASON_LABELS,
  replyResults: domain.REPLY_RESULT_LABELS, incidentCategories: domain.INCIDENT_CATEGORY_LABELS,
  incidentStatuses: domain.INCIDENT_STATUS_LABELS, incidentActions: domain.INCIDENT_ACTION_LABELS, dispatchTiers: domain.DISPATCH_TIER_LABELS,
  dispositions: domain.DISPOSITION_LABELS, diversionTargets: domain.DIVERSION_TARGET_LABELS, invalidKinds: domain.INVALID_KIND_LABELS,
};

export const referenceRoutes = (db: Db): FastifyPluginAsyncTypebox => async (app) => {
  app.get('/api/reference/enums', { schema: { tags: ['reference'], summary: '各枚举值及中文名称', response: { 200: Any } } }, async (req) => {
    requirePermission(req.actor, 'reference.read');
    return ENUMS;
  });

  app.get('/api/reference/districts', { schema: { tags: ['reference'], summary: '重庆市38个区县', response: { 200: Any } } }, async (req) => {
    requirePermission(req.actor, 'reference.read');
    const r = await db.query('SELECT d.code, d.name, d.kind, count(s.code)::int AS "streetCount" FROM districts d LEFT JOIN streets s ON s.district_code = d.code GROUP BY d.code ORDER BY d.code');
    return r.rows;
  });

  app.get('/api/reference/districts/:code/streets', {
    schema: { tags: ['reference'], summary: '区县下辖街道（镇、乡）', params: Type.Object({ code: DistrictCode }), response: { 200: Any, ...errorResponses } },
  }, async (req) => {
    requirePermission(req.actor, 'reference.read');
    const r = await db.query('SELECT code, name, kind FROM streets WHERE district_code = $1 ORDER BY code', [req.params.code]);
    return r.rows;
  });

  app.get('/api/reference/units', {
    schema: {
      tags: ['reference'], summary: '承办单位与处警单位',
      querystring: Type.Object({
        kind: Type.Optional(Type.String({ pattern: '^[a-z_]{3,30}$' })), desk: Type.Optional(Type.String({ enum: ['hotline', 'dispatch', 'external'] })),
        districtCode: Type.Optional(DistrictCode), q: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
      }, { additionalProperties: false }),
      response: { 200: Any, ...errorResponses },
    },
  }, async (req) => {
    requirePermission(req.actor, 'reference.read');
    const q = req.query;
    const r = await db.query(`SELECT id, name, kind, desk, district_code AS "districtCode", street_code AS "streetCode", parent_id AS "parentId"
      FROM units WHERE active AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR desk = $2) AND ($3::text IS NULL OR district_code = $3)
      AND ($4::text IS NULL OR name LIKE '%' || $4 || '%') ORDER BY kind, id LIMIT $5`,
    [q.kind ?? null, q.desk ?? null, q.districtCode ?? null, q.q ?? null, q.limit ?? 100]);
    return r.rows;
  });

  app.get('/api/reference/categories', { schema: { tags: ['reference'], summary: '12345派单目录', response: { 200: Any } } }, async (req) => {
    requirePermission(req.actor, 'reference.read');
    const r = await db.query(`SELECT code, name, parent_code AS "parentCode", default_function AS "defaultFunction", default_unit_kind AS "defaultUnitKind"
      FROM catalogue_categories WHERE active ORDER BY code`);
    return r.rows;
  });
};
