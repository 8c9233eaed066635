import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError } from '../errors.ts';
import { DateTime, DistrictCode, enumOf, errorResponses } from '../http/schemas.ts';
import type { AnalyticsService } from './analytics.service.ts';

const Any = Type.Unknown();
const SORTS = {
  returns: 'returns',
  overdue: 'overdue',
  repliedLate: 'replied_late',
  assigned: 'assigned',
  extensionRefusals: 'extension_refusals',
  reopened: 'reopened',
} as const;

export const analyticsRoutes =
  (service: AnalyticsService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/analytics/overview',
      {
        schema: {
          tags: ['analytics'],
          summary: '总览：今日与本月受理量、双向转接、签收与反馈用时、拒收原因、各区县分布、分类趋势',
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => service.overview(req.actor),
    );

    app.get(
      '/api/analytics/units',
      {
        schema: {
          tags: ['analytics'],
          summary: '各承办单位退单、延期驳回、重办、超期与逾期办结情况',
          querystring: Type.Object(
            {
              from: Type.Optional(DateTime),
              to: Type.Optional(DateTime),
              districtCode: Type.Optional(DistrictCode),
              sort: Type.Optional(enumOf(Object.keys(SORTS) as (keyof typeof SORTS)[])),
              limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any, ...errorResponses },
        },
      },
      async (req) => {
        const q = req.query;
        const to = q.to ? new Date(q.to) : new Date();
        const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
        if (from >= to) throw new AppError('VALIDATION_FAILED', '开始时间须早于结束时间');
        return service.units(req.actor, {
          from,
          to,
          districtCode: q.districtCode,
          sort: SORTS[q.sort ?? 'overdue'],
          limit: q.limit ?? 100,
        });
      },
    );
  };
