/**
 * GET /bridge/v1/share?after=&limit= (docs/data-sharing.md): the analysis share feed, signed like the
 * bridge and answered in the protocol's shape (`{"error": code}`); and the analysts' pull-now.
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requirePermission } from '../auth/permissions.ts';
import { errorResponses } from '../http/schemas.ts';
import type { ShareService } from './share.service.ts';

export const shareRoutes =
  (share: ShareService): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/bridge/v1/share',
      {
        config: { public: true },
        schema: { tags: ['bridge'], summary: '数据共享：去标识化分析数据（签名）', hide: true },
      },
      async (req, reply) => {
        const out = await share.serve(req.headers, req.query as { after?: string; limit?: string });
        if (out.kind === 'refused') return reply.code(out.status).send({ error: out.error });
        return { records: out.records, next: out.next };
      },
    );

    app.post(
      '/api/analytics/share/pull',
      {
        schema: {
          tags: ['analytics'],
          summary: '立即从对方平台拉取去标识化分析数据',
          response: {
            200: Type.Object({ records: Type.Integer(), pages: Type.Integer(), held: Type.Integer() }),
            ...errorResponses,
          },
        },
      },
      async (req) => {
        requirePermission(req.actor, 'analytics.read');
        return share.pull();
      },
    );
  };
