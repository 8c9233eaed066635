/** For operators and the console's log-in page: health (with the database), this desk's name, metrics. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { Db } from '../db/pool.ts';
import { ERROR_CATALOGUE } from '../errors.ts';
import type { Metrics } from '../observability/metrics.ts';

const DESK_NAMES: Record<Config['desk'], string> = {
  hotline: '12345政务服务便民热线',
  dispatch: '110报警服务台',
  both: '12345与110对接联动平台',
};
/** How the seats name the peer desk (the other of 12345 and 110). */
const PEER_NAMES: Record<Config['desk'], string | null> = {
  hotline: '110报警服务台',
  dispatch: '12345热线',
  both: null,
};

/** Request timing and counts by route and status (Prometheus), on every route of the app. */
export function observeRequests(app: FastifyInstance, metrics: Metrics): void {
  app.decorateRequest('startedAt', 0n);
  app.addHook('onRequest', async (req) => {
    req.startedAt = process.hrtime.bigint();
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    const seconds = Number(process.hrtime.bigint() - req.startedAt) / 1e9;
    metrics.observeRequest({ method: req.method, route }, seconds);
    metrics.counter('liandong_http_requests_total', 'HTTP requests by route and status', {
      method: req.method,
      route,
      status: String(reply.statusCode),
    });
  });
}

export const opsRoutes =
  (
    db: Db,
    metrics: Metrics,
    desk: { desk: Config['desk']; deskId: string; peerId: string | null },
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/health', { schema: { tags: ['ops'], summary: '健康检查（含数据库）' } }, async (_req, reply) => {
      try {
        await db.query('SELECT 1');
        return { status: 'ok', database: 'ok', time: new Date().toISOString() };
      } catch {
        return reply.code(503).send({
          status: 'unavailable',
          database: 'unreachable',
          code: 'SERVICE_UNAVAILABLE',
          message: ERROR_CATALOGUE.SERVICE_UNAVAILABLE.message,
        });
      }
    });
    app.get(
      '/api/desk',
      { config: { public: true }, schema: { tags: ['ops'], summary: '本平台是哪一方（12345或110），供工作台显示' } },
      async () => ({
        desk: desk.desk,
        deskId: desk.deskId,
        name: DESK_NAMES[desk.desk],
        peer: desk.peerId && PEER_NAMES[desk.desk] ? { id: desk.peerId, name: PEER_NAMES[desk.desk] } : null,
      }),
    );
    app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus 指标', hide: false } }, async (_req, reply) => {
      reply.type('text/plain; version=0.0.4');
      return metrics.render();
    });
  };
