/**
 * The HTTP application, built by a factory so tests run it in process with inject().
 * Request lifecycle: onRequest (timer) → authenticate (all /api routes but login) → schema validation →
 * handler (route → service → repository) → error handler (one catalogue of codes) → onResponse (metrics).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { LogController, type FastifyError, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Actor } from './auth/actor.ts';
import { adminRoutes } from './admin/admin.routes.ts';
import { AdminService } from './admin/admin.service.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import type { Config } from './config.ts';
import type { Db } from './db/pool.ts';
import { incidentRoutes } from './dispatch/incidents.routes.ts';
import { IncidentService } from './dispatch/incidents.service.ts';
import { AppError, ERROR_CATALOGUE } from './errors.ts';
import { DeadlinePolicy } from './hotline/deadline-policy.ts';
import { workOrderRoutes } from './hotline/work-orders.routes.ts';
import { WorkOrderService } from './hotline/work-orders.service.ts';
import { ErrorResponse } from './http/schemas.ts';
import { validationMessage } from './http/validation-message.ts';
import { Metrics } from './observability/metrics.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { triageRoutes } from './triage/triage.routes.ts';
import { bridgeWireRoutes, linkageRoutes, presentItem } from './bridge/bridge.routes.ts';
import { findLatestItemForLocal } from './bridge/bridge.repo.ts';
import { BridgeService } from './bridge/bridge.service.ts';
import { localRecords } from './bridge/local-records.ts';
import { PeerDirectory } from './bridge/peers.ts';
import { NotifyStream } from './shared/notify-stream.ts';
import { attachmentRoutes } from './hotline/attachments.routes.ts';
import { AttachmentService } from './hotline/attachments.service.ts';
import { reminderRoutes } from './supervision/reminders.routes.ts';
import { ReminderService } from './supervision/reminders.service.ts';
import { analyticsRoutes } from './analytics/analytics.routes.ts';
import { AnalyticsService } from './analytics/analytics.service.ts';
import { connectorRoutes } from './bridge/connectors.routes.ts';
import { TriageService } from './triage/triage.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    token: string | null;
    startedAt: bigint;
  }
  interface FastifyContextConfig {
    public?: boolean;
  }
}

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'sessionTtlHours' | 'bodyLimitBytes' | 'logLevel'> &
    Partial<Pick<Config, 'desk' | 'deskId' | 'bridge'>>;
  logger?: boolean;
  consoleDir?: string;
}

export interface AppServices {
  peers: PeerDirectory;
  triage: TriageService;
  bridge: BridgeService;
  workOrders: WorkOrderService;
  incidents: IncidentService;
  deadlines: DeadlinePolicy;
  auth: AuthService;
  metrics: Metrics;
}

const DEFAULT_CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../console/dist');

export async function buildApp(opts: AppOptions): Promise<FastifyInstance & { services: AppServices }> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: opts.config.logLevel },
    bodyLimit: opts.config.bodyLimitBytes,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    logController: new LogController({ disableRequestLogging: opts.config.logLevel !== 'debug' }),
  }).withTypeProvider<TypeBoxTypeProvider>();

  const metrics = new Metrics();
  const deadlines = new DeadlinePolicy(opts.db);
  const auth = new AuthService(opts.db, opts.config.sessionTtlHours);
  const triage = new TriageService(opts.db);
  await triage.current(); // load segmenter, catalogue and model before the first request
  const workOrders = new WorkOrderService(opts.db, deadlines, triage, () =>
    metrics.counter('liandong_work_orders_created_total', 'Work orders created'),
  );
  const incidents = new IncidentService(opts.db, triage);
  const records = localRecords(opts.db, opts.config.desk ?? 'both', workOrders, incidents);
  const peers = new PeerDirectory(opts.db, opts.config.bridge ?? null);
  await peers.reload();
  const bridge = new BridgeService(
    opts.db,
    { deskId: opts.config.deskId ?? 'cq-12345', bridge: opts.config.bridge ?? null },
    records,
    peers,
  );
  // Close the loop: a concluded local record answers the linkage item it came from.
  workOrders.onTransition = async (tx, actor, row, cmd) => {
    if (cmd.action !== 'reply') return;
    const disposition = (kind: string) =>
      cmd.result === 'resolved'
        ? kind === 'mediation'
          ? 'mediated'
          : 'resolved_on_scene'
        : cmd.result === 'explained'
          ? 'settled_by_phone'
          : 'referred_to_partner_agency';
    await bridge.onLocalConclusion(tx, actor, row.id, {
      disposition,
      summary: cmd.reply,
      handledBy: row.lead_unit_id ?? row.no,
    });
  };
  incidents.onTransition = async (tx, actor, row, cmd) => {
    if (cmd.action === 'feedback')
      await bridge.onLocalConclusion(tx, actor, row.id, {
        disposition: () => cmd.disposition,
        summary: cmd.summary,
        handledBy: row.unit_id ?? row.no,
      });
    if (cmd.action === 'divert') await bridge.onDiversion(tx, actor, row, cmd.target, cmd.note);
  };
  metrics.gauge('liandong_db_pool_total', 'Database connections open', () => opts.db.totalCount);
  metrics.gauge('liandong_db_pool_waiting', 'Queries waiting for a connection', () => opts.db.waitingCount);

  // gzip/brotli for the console's bundle and large JSON lists; server-sent events are written raw and never compressed.
  await app.register(compress, { global: true, threshold: 2048, encodings: ['br', 'gzip'] });
  app.addSchema(ErrorResponse);
  await app.register(swagger, {
    openapi: {
      info: {
        title: '联动 Liandong API',
        version: '0.1.0',
        description: '12345政务服务便民热线与110报警服务台对接联动平台。错误码见 docs/errors.md。',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'bridge', description: '12345与110对接联动' },
        { name: 'triage', description: '分流研判与职责清单' },
        { name: 'auth' },
        { name: 'hotline', description: '12345工单' },
        { name: 'dispatch', description: '110警情' },
        { name: 'reference' },
        { name: 'analytics', description: '统计分析' },
        { name: 'admin' },
        { name: 'ops' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.decorateRequest('actor', null as unknown as Actor);
  app.decorateRequest('token', null);
  app.decorateRequest('startedAt', 0n);

  app.addHook('onRequest', async (req) => {
    req.startedAt = process.hrtime.bigint();
    if (!req.url.startsWith('/api/') || req.routeOptions.config.public) return;
    const header = req.headers.authorization;
    const queryToken =
      req.url.startsWith('/api/linkage/stream') || req.url.startsWith('/api/reminders/stream')
        ? new URL(req.url, 'http://x').searchParams.get('access_token')
        : null;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : queryToken;
    if (!token) throw new AppError('AUTH_REQUIRED');
    req.token = token;
    req.actor = await auth.authenticate(token);
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

  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      return reply
        .code(err.status)
        .send({ code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const first = fe.validation[0];
      return reply.code(400).send({
        code: 'VALIDATION_FAILED',
        message: `请求参数不合法：${validationMessage(first, fe.validationContext ?? 'body')}`,
        details: fe.validation,
      });
    }
    const map: Record<string, keyof typeof ERROR_CATALOGUE> = {
      FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
      FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
      FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
      FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
      FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
    };
    const code = (fe.code && map[fe.code]) || (fe instanceof SyntaxError ? 'INVALID_JSON' : undefined);
    if (code) return reply.code(ERROR_CATALOGUE[code].status).send({ code, message: ERROR_CATALOGUE[code].message });
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return reply
        .code(fe.statusCode)
        .send({ code: 'VALIDATION_FAILED', message: `${ERROR_CATALOGUE.VALIDATION_FAILED.message}：${fe.message}` });
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send({ code: 'INTERNAL_ERROR', message: ERROR_CATALOGUE.INTERNAL_ERROR.message });
  });

  const consoleDir = opts.consoleDir ?? DEFAULT_CONSOLE_DIR;
  const hasConsole = fs.existsSync(path.join(consoleDir, 'index.html'));
  app.setNotFoundHandler((req, reply) => {
    // The console routes in the browser (/intake, /linkage …): a page load of such a path gets the console.
    const pathname = req.url.split('?')[0]!;
    if (
      hasConsole &&
      req.method === 'GET' &&
      !/^\/(api|bridge|docs|health|metrics)(\/|$)/.test(pathname) &&
      !path.extname(pathname) &&
      (req.headers.accept ?? '').includes('text/html')
    ) {
      return reply.type('text/html; charset=utf-8').sendFile('index.html');
    }
    reply.code(404).send({
      code: 'ROUTE_NOT_FOUND',
      message: `${ERROR_CATALOGUE.ROUTE_NOT_FOUND.message}：${req.method} ${req.url.split('?')[0]}`,
    });
  });

  app.get('/health', { schema: { tags: ['ops'], summary: '健康检查（含数据库）' } }, async (_req, reply) => {
    try {
      await opts.db.query('SELECT 1');
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
  const desk = opts.config.desk ?? 'both';
  app.get(
    '/api/desk',
    { config: { public: true }, schema: { tags: ['ops'], summary: '本平台是哪一方（12345或110），供工作台显示' } },
    async () => ({
      desk,
      deskId: opts.config.deskId ?? 'cq-12345',
      name:
        desk === 'hotline' ? '12345政务服务便民热线' : desk === 'dispatch' ? '110报警服务台' : '12345与110对接联动平台',
    }),
  );
  app.get('/metrics', { schema: { tags: ['ops'], summary: 'Prometheus 指标', hide: false } }, async (_req, reply) => {
    reply.type('text/plain; version=0.0.4');
    return metrics.render();
  });

  await app.register(authRoutes(auth));
  await app.register(referenceRoutes(opts.db));
  // A desk serves its own business: 12345 work orders, or 110 incidents (`both` in one app serves both, for tests and tools).
  const reminderStream = new NotifyStream(opts.db, 'reminder_sent');
  if (opts.config.desk !== 'dispatch') {
    await app.register(workOrderRoutes(workOrders));
    await app.register(attachmentRoutes(new AttachmentService(opts.db, workOrders)));
  }
  await app.register(reminderRoutes(opts.db, new ReminderService(opts.db, workOrders), reminderStream));
  await app.register(analyticsRoutes(new AnalyticsService(opts.db)));
  if (opts.config.desk !== 'hotline') {
    await app.register(
      incidentRoutes(incidents, {
        linkageFor: async (id) => {
          const item = await findLatestItemForLocal(opts.db, id);
          return item ? presentItem(item) : null;
        },
      }),
    );
  }
  await app.register(adminRoutes(new AdminService(opts.db, deadlines, auth)));
  await app.register(triageRoutes(opts.db, triage));
  const linkageStream = new NotifyStream(opts.db, 'linkage_changed');
  app.addHook('preClose', async () => {
    linkageStream.endAll();
    reminderStream.endAll();
  });
  app.addHook('onClose', async () => {
    await linkageStream.close();
    await reminderStream.close();
  });
  await app.register(linkageRoutes(opts.db, bridge, records, linkageStream));
  await app.register(bridgeWireRoutes(opts.db, peers, bridge));
  await app.register(connectorRoutes(opts.db, peers));

  // The built console (packages/console/dist) is served at / once it exists; until then / is not found.
  if (hasConsole) {
    await app.register(fastifyStatic, {
      root: consoleDir,
      prefix: '/',
      cacheControl: false,
      // Hashed assets are immutable; index.html must be revalidated so a new build is picked up.
      setHeaders: (res, file) => {
        res.setHeader(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  return Object.assign(app, {
    services: { workOrders, incidents, deadlines, auth, metrics, triage, bridge, peers },
  }) as FastifyInstance & { services: AppServices };
}
