/**
 * The HTTP application, built by a factory so tests run it in process with inject(). This file only
 * composes: the services (each module's use cases, wired to each other here), then the HTTP concerns
 * from http/ and each module's routes.
 * Request lifecycle: onRequest (timer, then authenticate: http/authenticate.ts) → schema validation →
 * handler (route → service → repository) → error handler (http/error-handler.ts) → onResponse (metrics).
 */
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { adminRoutes } from './admin/admin.routes.ts';
import { AdminService } from './admin/admin.service.ts';
import { ImportService } from './admin/import.service.ts';
import { referenceAdminRoutes } from './admin/reference-admin.routes.ts';
import { ReferenceAdminService } from './admin/reference-admin.service.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { AuthService } from './auth/auth.service.ts';
import {
  BRIDGE_DEFAULTS,
  DEFAULT_DESK_IDS,
  EXPOSURE_DEFAULTS,
  type AuthConfig,
  type Config,
  type ExposureConfig,
} from './config.ts';
import type { DatabaseState } from './db/database.ts';
import type { Db } from './db/pool.ts';
import { incidentRoutes } from './dispatch/incidents.routes.ts';
import { IncidentService } from './dispatch/incidents.service.ts';
import { DeadlinePolicy } from './hotline/deadline-policy.ts';
import { workOrderRoutes } from './hotline/work-orders.routes.ts';
import { followUpRoutes } from './hotline/follow-up.ts';
import { WorkOrderService } from './hotline/work-orders.service.ts';
import { authenticate } from './http/authenticate.ts';
import { enforceRouteRules } from './auth/route-rules.ts';
import { DEFAULT_CONSOLE_DIR, serveConsole } from './http/console.ts';
import { mapErrors } from './http/error-handler.ts';
import { strictFormats } from './http/formats.ts';
import { partAwareValidators } from './http/validators.ts';
import { guardInput } from './http/input-guard.ts';
import { observeRequests, opsRoutes, refuseWhileDatabaseRestarts } from './http/ops.routes.ts';
import { securityHeaders } from './http/security-headers.ts';
import { ErrorResponse } from './http/schemas.ts';
import { Metrics } from './observability/metrics.ts';
import { referenceRoutes } from './reference/reference.routes.ts';
import { callerRoutes } from './shared/callers.ts';
import { triageRoutes } from './triage/triage.routes.ts';
import { BridgeService } from './bridge/bridge.service.ts';
import { bridgeDeskEvents } from './bridge/desk-events.ts';
import { linkageRoutes, linkageSummaryFor } from './bridge/linkage.routes.ts';
import { LinkageService } from './bridge/linkage.service.ts';
import { localRecords } from './bridge/local-records.ts';
import { PeerDirectory } from './bridge/peers.ts';
import { WireService } from './bridge/wire.service.ts';
import { bridgeWireRoutes } from './bridge/wire.routes.ts';
import { BridgeAdminService } from './bridge/bridge-admin.service.ts';
import { bridgeAdminRoutes } from './bridge/bridge-admin.routes.ts';
import { ConnectorService } from './bridge/connectors.service.ts';
import { connectorRoutes } from './bridge/connectors.routes.ts';
import { NotifyStream } from './shared/notify-stream.ts';
import { attachmentRoutes } from './hotline/attachments.routes.ts';
import { AttachmentService } from './hotline/attachments.service.ts';
import { reminderRoutes } from './supervision/reminders.routes.ts';
import { ReminderService } from './supervision/reminders.service.ts';
import { analyticsRoutes } from './analytics/analytics.routes.ts';
import { AnalyticsService } from './analytics/analytics.service.ts';
import { TriageService } from './triage/triage.service.ts';
import { knowledgeRoutes } from './knowledge/knowledge.routes.ts';
import { guideRoutes } from './knowledge/guide.routes.ts';
import { ivrRoutes } from './knowledge/ivr.routes.ts';
import { IvrService } from './knowledge/ivr.service.ts';
import { KnowledgeService } from './knowledge/knowledge.service.ts';
import { KnowledgeTasks } from './knowledge/tasks.service.ts';
import { lookupRoutes } from './lookup/lookup.routes.ts';
import { LookupService } from './lookup/lookup.service.ts';
import { KnowledgeSearch } from './knowledge/search.service.ts';
import { telephonyRoutes } from './telephony/telephony.routes.ts';
import { TelephonyService } from './telephony/telephony.service.ts';
import { startTelephony, type Telephony } from './telephony/telephony.start.ts';
import { citizenRoutes } from './citizen/citizen.routes.ts';
import { PublicChat } from './citizen/chat.service.ts';
import { SmsService } from './sms/sms.service.ts';
import { smsRoutes, smsTextRoutes } from './sms/sms.routes.ts';
import { UpwardReports } from './bridge/upward-reports.ts';
import type { AfterTransition } from './shared/after-transition.ts';
import type { WorkOrderRow } from './hotline/work-orders.repo.ts';
import type { WorkOrderCommand } from '@liandong/domain';
import { CitizenService } from './citizen/citizen.service.ts';
import { HttpGeocoder, ReferenceGeocoder, type Geocoder } from './citizen/geocoder.ts';
import { open311Routes } from './open311/open311.routes.ts';
import { Open311Service } from './open311/open311.service.ts';
import { eidoRoutes } from './dispatch/eido.routes.ts';
import { shareRoutes } from './analytics/share.routes.ts';
import { ShareService } from './analytics/share.service.ts';
import { reportRoutes } from './reports/reports.routes.ts';
import { HarassmentWatchList } from './reports/harassment.ts';
import { ReportService } from './reports/reports.service.ts';
import { intakeRoutes } from './intake/intake.routes.ts';
import { InvalidCalls } from './intake/invalid-calls.ts';
import { phraseRoutes } from './intake/phrases.routes.ts';
import { PhraseService } from './intake/phrases.service.ts';
import { IntakeService } from './intake/intake.service.ts';
import { dispatchModelRoutes } from './hotline/smart-dispatch/dispatch-models.routes.ts';
import { DispatchModelService } from './hotline/smart-dispatch/dispatch-models.service.ts';
import { mergeCandidateRoutes } from './hotline/merge-candidates.routes.ts';

export interface AppOptions {
  db: Db;
  config: Pick<Config, 'sessionTtlHours' | 'bodyLimitBytes' | 'logLevel'> &
    Partial<Pick<Config, 'desk' | 'deskId' | 'bridge' | 'sip' | 'geocoderUrl'>> & {
      auth?: Partial<AuthConfig>;
      exposure?: Partial<ExposureConfig>;
    };
  logger?: boolean;
  consoleDir?: string;
  /** Whether the database is being restarted (db/database.ts); requests then get 503 at once. */
  databaseState?: () => DatabaseState;
}

export interface AppServices {
  peers: PeerDirectory;
  triage: TriageService;
  bridge: BridgeService;
  linkage: LinkageService;
  workOrders: WorkOrderService;
  incidents: IncidentService;
  deadlines: DeadlinePolicy;
  auth: AuthService;
  metrics: Metrics;
  telephony: TelephonyService;
  knowledge: KnowledgeService;
  knowledgeTasks: KnowledgeTasks | null;
  sms: SmsService;
  share: ShareService;
  dispatchModels: DispatchModelService;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance & { services: AppServices }> {
  const exposure: ExposureConfig = { ...EXPOSURE_DEFAULTS, ...opts.config.exposure };
  const app = Fastify({
    trustProxy: exposure.trustProxy,
    logger: opts.logger === false ? false : { level: opts.config.logLevel },
    bodyLimit: opts.config.bodyLimitBytes,
    ajv: {
      customOptions: { removeAdditional: false, allErrors: false },
      onCreate: strictFormats,
    },
    // Bodies are validated with strict types, query strings and path parameters with coercion (validators.ts).
    schemaController: { compilersFactory: { buildValidator: partAwareValidators() } },
    logController: new LogController({ disableRequestLogging: opts.config.logLevel !== 'debug' }),
  }).withTypeProvider<TypeBoxTypeProvider>();
  const desk = opts.config.desk ?? 'both';
  const deskId = opts.config.deskId ?? DEFAULT_DESK_IDS.hotline;
  // Every route has a rule in the authorisation table (auth/route-rules.ts), or the app does not start.
  enforceRouteRules(app, desk);

  // The services. The bridge is built first: each desk is given, in its constructor, the bridge's
  // after-transition port (desk-events.ts), which it calls inside every transition's transaction.
  const metrics = new Metrics();
  const deadlines = new DeadlinePolicy(opts.db);
  const auth = new AuthService(opts.db, { ttlHours: opts.config.sessionTtlHours, desk, auth: opts.config.auth });
  // A version published here goes to the peer desk through the bridge, in the publishing transaction.
  const triage: TriageService = new TriageService(opts.db, opts.config.desk ?? 'both', {
    sendIn: (tx, c): Promise<void> => bridge.shareCatalogueIn(tx, c),
  });
  await triage.current(); // load segmenter, catalogue and model before the first request
  const peers = new PeerDirectory(opts.db, opts.config.bridge ?? null);
  await peers.reload();
  const bridge: BridgeService = new BridgeService(
    opts.db,
    { deskId, bridge: opts.config.bridge ?? null },
    peers,
    app.log,
    triage,
  );
  const deskEvents = bridgeDeskEvents(bridge);
  // Texts to citizens and the upward reports (docs/sms.md) hang on the same port, after the bridge.
  const sms = new SmsService(opts.db, peers);
  const upward = new UpwardReports(peers, deskId);
  const afterWorkOrderTransition: AfterTransition<WorkOrderRow, WorkOrderCommand> = async (tx, actor, row, cmd) => {
    await deskEvents.afterWorkOrderTransition(tx, actor, row, cmd);
    await sms.afterWorkOrderTransition(tx, actor, row, cmd);
    await upward.afterWorkOrderTransition(tx, actor, row, cmd);
  };
  const workOrders = new WorkOrderService(opts.db, deadlines, triage, afterWorkOrderTransition, () =>
    metrics.counter('liandong_work_orders_created_total', 'Work orders created'),
  );
  sms.attachWorkOrders(workOrders);
  const dispatchModels = new DispatchModelService(opts.db);
  const incidents = new IncidentService(opts.db, triage, deskEvents.afterIncidentTransition);
  const local = localRecords(opts.db, desk, workOrders, incidents);
  bridge.attachLocalRecords(local);
  const linkage = new LinkageService(opts.db, bridge, local);
  metrics.gauge('liandong_db_pool_total', 'Database connections open', () => opts.db.totalCount);
  metrics.gauge('liandong_db_pool_waiting', 'Queries waiting for a connection', () => opts.db.waitingCount);

  // HTTP concerns, written once for every route.
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
        { name: 'callers', description: '来电人与历史诉求' },
        { name: 'reference' },
        { name: 'analytics', description: '统计分析' },
        { name: 'telephony', description: '话务：坐席、通话、话单、接话能力与培训' },
        { name: 'knowledge', description: '政策知识库与智能应答' },
        { name: 'citizen', description: '市民网上诉求、进度查询与办理情况公开' },
        { name: 'open311', description: 'Open311 GeoReport v2' },
        { name: 'sms', description: '短信网关：受理、答复与回访短信' },
        { name: 'admin' },
        { name: 'ops' },
      ],
    },
  });
  // The API's pages for developers: off in production unless DOCS_ACCESS=open (docs/security.md).
  if (exposure.docs === 'open')
    await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });
  securityHeaders(app);
  observeRequests(app, metrics);
  const databaseState = opts.databaseState ?? (() => 'up' as const);
  refuseWhileDatabaseRestarts(app, databaseState);
  guardInput(app);
  authenticate(app, auth);
  mapErrors(app);

  // The modules' routes. A desk serves its own business: 12345 work orders, or 110 incidents (`both` in
  // one app serves both, for tests and tools).
  await app.register(
    opsRoutes(opts.db, metrics, { desk, deskId, peerId: opts.config.bridge?.peerId ?? null }, databaseState, {
      metrics: exposure.metrics,
      auth,
    }),
  );
  await app.register(authRoutes(auth));
  await app.register(referenceRoutes(opts.db));
  await app.register(callerRoutes(opts.db));
  const reminderStream = new NotifyStream(opts.db, 'reminder_sent', app.log);
  const linkageStream = new NotifyStream(opts.db, 'linkage_changed', app.log);
  app.addHook('preClose', async () => {
    linkageStream.endAll();
    reminderStream.endAll();
  });
  app.addHook('onClose', async () => {
    await linkageStream.close();
    await reminderStream.close();
  });
  const watchList = new HarassmentWatchList(opts.db);
  // Telephony (话务): the desk's switch runs in this process when SIP_PORT is set.
  let phone: Telephony | null = null;
  if (opts.config.sip) {
    phone = await startTelephony(opts.db, {
      desk: desk === 'dispatch' ? 'dispatch' : 'hotline',
      deskId,
      sip: opts.config.sip,
      log: app.log,
    });
    app.addHook('onClose', async () => phone?.close());
  }
  const telephony = new TelephonyService(
    opts.db,
    phone,
    {
      deskId,
      realm: deskId,
      sipPort: phone?.sip.port ?? null,
      peerSip: opts.config.sip?.peer ? `${opts.config.sip.peer.host}:${opts.config.sip.peer.port}` : null,
    },
    watchList,
  );
  const knowledge = new KnowledgeService(opts.db, new KnowledgeSearch(opts.db));
  if (desk !== 'dispatch') {
    const attachments = new AttachmentService(opts.db, workOrders);
    await app.register(followUpRoutes(opts.db));
    await app.register(workOrderRoutes(workOrders));
    await app.register(dispatchModelRoutes(dispatchModels, workOrders));
    await app.register(mergeCandidateRoutes(opts.db, workOrders));
    await app.register(
      intakeRoutes(
        new IntakeService(opts.db, workOrders, triage, bridge, knowledge, telephony, sms),
        dispatchModels,
        new InvalidCalls(opts.db, telephony),
      ),
    );
    await app.register(attachmentRoutes(attachments));
    // The citizen side of the 12345 desk: the public web channel, status page, disclosure, Open311.
    const reference = new ReferenceGeocoder(opts.db);
    const geocoder: Geocoder = opts.config.geocoderUrl
      ? new HttpGeocoder(opts.config.geocoderUrl, reference)
      : reference;
    const citizen = new CitizenService(opts.db, workOrders, attachments, triage, bridge, geocoder, app.log, sms);
    await app.register(citizenRoutes(opts.db, citizen, new PublicChat(opts.db, knowledge, triage, citizen)));
    await app.register(smsRoutes(sms));
    await app.register(smsTextRoutes(sms));
    await app.register(open311Routes(new Open311Service(opts.db, citizen, workOrders, deskId)));
  }
  await app.register(reminderRoutes(opts.db, new ReminderService(opts.db, workOrders), reminderStream));
  await app.register(analyticsRoutes(new AnalyticsService(opts.db)));
  if (desk !== 'hotline') {
    await app.register(incidentRoutes(incidents, { linkageFor: linkageSummaryFor(linkage) }));
    await app.register(
      eidoRoutes(opts.db, incidents, { deskId: desk === 'both' ? DEFAULT_DESK_IDS.dispatch : deskId }),
    );
  }
  await app.register(adminRoutes(new AdminService(opts.db, deadlines, auth)));
  await app.register(referenceAdminRoutes(new ReferenceAdminService(opts.db), new ImportService(opts.db, auth)));
  await app.register(triageRoutes(opts.db, triage));
  await app.register(linkageRoutes(linkage, linkageStream));
  const wire = new WireService(opts.db, peers, bridge, app.log, metrics);
  await app.register(bridgeWireRoutes(wire));
  const share = new ShareService(
    opts.db,
    wire,
    peers,
    { desk, peerId: opts.config.bridge?.peerId ?? null, shareKey: opts.config.bridge?.shareKey ?? null },
    app.log,
  );
  await app.register(shareRoutes(share));
  const reportDesk = { desk, deskId, shareKey: opts.config.bridge?.shareKey ?? null };
  // 待补知识: the weekly consultation list's clusters no article answers (the 12345 desk's knowledge base)
  const knowledgeTasks = desk !== 'dispatch' ? new KnowledgeTasks(opts.db, knowledge, deadlines, reportDesk) : null;
  await app.register(
    reportRoutes(new ReportService(opts.db, reportDesk, knowledgeTasks ?? undefined), opts.db, watchList),
  );
  await app.register(connectorRoutes(new ConnectorService(opts.db, peers)));
  await app.register(bridgeAdminRoutes(new BridgeAdminService(opts.db)));
  await app.register(telephonyRoutes(telephony));
  if (desk !== 'dispatch') await app.register(knowledgeRoutes(knowledge, knowledgeTasks));
  if (desk !== 'dispatch') await app.register(phraseRoutes(new PhraseService(opts.db)));
  // 社保/医保/公积金 look-ups, with the caller's consent (docs/business-lookup.md)
  if (desk !== 'dispatch')
    await app.register(
      lookupRoutes(new LookupService(opts.db, peers, opts.config.bridge?.timeoutMs ?? BRIDGE_DEFAULTS.timeoutMs)),
    );
  if (desk !== 'dispatch') await app.register(guideRoutes(opts.db));
  if (desk !== 'dispatch') await app.register(ivrRoutes(new IvrService(opts.db)));
  await serveConsole(app, opts.consoleDir ?? DEFAULT_CONSOLE_DIR);

  return Object.assign(app, {
    services: {
      workOrders,
      incidents,
      deadlines,
      auth,
      metrics,
      triage,
      bridge,
      linkage,
      peers,
      telephony,
      knowledge,
      knowledgeTasks,
      sms,
      share,
      dispatchModels,
    },
  }) as FastifyInstance & { services: AppServices };
}
