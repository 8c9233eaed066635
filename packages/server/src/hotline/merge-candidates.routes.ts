/** GET /api/work-orders/:id/merge-candidates: the open orders most like this one, for 并单. */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePermission } from '../auth/permissions.ts';
import type { Db } from '../db/pool.ts';
import { AppError } from '../errors.ts';
import { IdParams, errorResponses, strict } from '../http/schemas.ts';
import { mergeCandidates } from './merge-candidates.ts';
import type { WorkOrderService } from './work-orders.service.ts';

const Candidate = Type.Object(
  {
    id: Type.String(),
    no: Type.String(),
    title: Type.String(),
    channel: Type.String(),
    channelLabel: Type.String(),
    similarity: Type.Number({ description: '相似度（0–1）：内容、地点、时间加权' }),
    parts: Type.Object({ text: Type.Number(), place: Type.Number(), time: Type.Number() }),
    sameCategory: Type.Boolean(),
  },
  { additionalProperties: true },
);

export const mergeCandidateRoutes =
  (db: Db, workOrders: WorkOrderService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/api/work-orders/:id/merge-candidates',
      {
        schema: {
          tags: ['hotline'],
          summary: '并单候选：与该工单内容相近、地点与时间接近的未办结工单（不限渠道），按相似度排序',
          params: IdParams,
          querystring: strict({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })) }),
          response: { 200: Type.Array(Candidate), ...errorResponses },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'work_order.merge');
        await workOrders.getReadable(req.actor, req.params.id);
        const list = await mergeCandidates(db, req.params.id, req.query.limit ?? 5);
        if (!list) throw new AppError('WORK_ORDER_NOT_FOUND');
        return list;
      },
    );
  };
