/** For operators and the console's log-in page: health (with the database), this desk's name, metrics. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AuthService } from '../auth/auth.service.ts';
import type { Access, Config } from '../config.ts';
import type { DatabaseState } from '../db/database.ts';
import type { Db } from '../db/pool.ts';
import { AppError, ERROR_CATALOGUE } from '../errors.ts';
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

/** Seconds a client is told to wait (Retry-After) while the database is away. */
export const DATABASE_RETRY_AFTER_S = 5;
const RESTARTING_MESSAGE = '数据库正在重启，请稍后重试';

/**
 * While the embedded PostgreSQL is being restarted (embedded.ts), the API and the bridge answer 503 with
 * Retry-After at once instead of queueing for a connection; /health says so, the console's static files
 * are still served.
 */
export function refuseWhileDatabaseRestarts(app: FastifyInstance, state: () => DatabaseState): void {
  app.addHook('onRequest', async (req, reply) => {
    if (state() !== 'restarting' || !/^\/(api|bridge)\//.test(req.url)) return;
    return reply
      .code(503)
      .header('retry-after', String(DATABASE_RETRY_AFTER_S))
      .send({ code: 'SERVICE_UNAVAILABLE', message: RESTARTING_MESSAGE });
  });
}

export const opsRoutes =
  (
    db: Db,
    metrics: Metrics,
    desk: { desk: Config['desk']; deskId: string; peerId: string | null },
    databaseState: () => DatabaseState,
    access: { metrics: Access; auth: AuthService },
  ): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get('/health', { schema: { tags: ['ops'], summary: '健康检查（含数据库）' } }, async (_req, reply) => {
      const unavailable = (database: 'restarting' | 'unreachable') =>
        reply
          .code(503)
          .header('retry-after', String(DATABASE_RETRY_AFTER_S))
          .send({
            status: 'unavailable',
            database,
            code: 'SERVICE_UNAVAILABLE',
            message: database === 'restarting' ? RESTARTING_MESSAGE : ERROR_CATALOGUE.SERVICE_UNAVAILABLE.message,
          });
      if (databaseState() === 'restarting') return unavailable('restarting');
      try {
        await db.query('SELECT 1');
        return { status: 'ok', database: 'ok', time: new Date().toISOString() };
      } catch {
        return unavailable('unreachable');
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
    // METRICS_ACCESS: open (the demo), login (an administrator's or supervisor's Bearer session), off.
    if (access.metrics === 'off') return;
    app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus 指标', hide: false } }, async (req, reply) => {
      if (access.metrics === 'login') {
        const header = req.headers.authorization;
        if (!header?.startsWith('Bearer ')) throw new AppError('AUTH_REQUIRED');
        const actor = await access.auth.authenticate(header.slice(7).trim());
        if (actor.role !== 'admin' && actor.role !== 'supervisor') throw new AppError('FORBIDDEN');
      }
      reply.type('text/plain; version=0.0.4');
      return metrics.render();
    });
  };
