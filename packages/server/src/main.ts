/**
 * `liandong serve`: opens the database(s), builds the app(s), starts workers, listens; shuts down cleanly.
 *
 * LIANDONG_DESK=hotline or dispatch runs one desk, talking to its peer over HTTP (BRIDGE_*).
 * LIANDONG_DESK=both (the default, the demo) runs the 12345 desk on PORT and the 110 desk on
 * DISPATCH_PORT in one process, each with its own database (`liandong` and `liandong_110`), linked by
 * the same outbox → channel → inbox path as two deployments; the channel is in-process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BRIDGE_DEFAULTS, DEFAULT_DESK_IDS, loadConfig, type BridgeConfig, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase, siblingDatabase } from './db/database.ts';
import { isConnectionError } from './db/pg-errors.ts';
import type { Db } from './db/pool.ts';
import { DESK_LABELS, defaultDesks } from '@liandong/domain';
import { DEMO_PASSWORD, DEMO_USERS, ensureDemoUsers, seedDemo } from './demo/seed-demo.ts';
import { seedDemoLinkage } from './demo/seed-linkage.ts';
import { seedDemoKnowledge } from './knowledge/seed-knowledge.ts';
import { startDeadlineWorker } from './workers/deadline.worker.ts';
import { startAuditSealWorker } from './workers/audit-seal.worker.ts';
import { startReportFoldWorker } from './workers/report-fold.worker.ts';
import { startRetentionWorker } from './crypto/retention.ts';
import { startPeriodic } from './workers/periodic.ts';
import { KNOWLEDGE_TASK_SYNC_MS, startKnowledgeTaskWorker } from './knowledge/tasks.service.ts';
import { startShareKeyWorker } from './analytics/share-keys.ts';
import { OutboxSender } from './bridge/outbox.worker.ts';
import { startSharePull } from './analytics/share.service.ts';
import { registerInProcessPeer } from './bridge/inproc.ts';
import { upsertConnector } from './bridge/connectors.repo.ts';
import { piiKeyring } from './crypto/pii.ts';

type App = Awaited<ReturnType<typeof buildApp>>;

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/liandong.mjs');
const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

/**
 * The demo's partner agencies: a reference connector receiver per line (119, 120), each its own
 * process, configured as connectors on every desk, answering like the real line would (--auto); and the
 * 12345 desk's service connectors (a reference SMS gateway, receivers for 互联网+督查 and 好差评).
 */
async function startDemoConnectors(
  desks: { app: App; db: Db; cfg: Config; url?: string }[],
  deskUrls: Map<string, string>,
  say: (m: string) => void,
): Promise<ChildProcess[]> {
  const lines = [
    ['fire-119', 'fire', '重庆市消防救援总队119指挥中心'],
    ['medical-120', 'medical', '重庆市急救医疗中心120'],
  ] as const;
  const children: ChildProcess[] = [];
  type DemoDesk = (typeof desks)[number];
  /**
   * One reference process for a connector of desk `d`: its port, both keys made here, the process (which
   * stops with this one) and the connector row that points at it. Gives the address.
   */
  const reference = async (
    d: DemoDesk,
    c: { id: string; kind: string; name: string },
    args: (keys: string[]) => string[],
  ) => {
    const port = await freePort();
    const out: [string, string] = [`${d.cfg.deskId}-to-${c.id}`, randomBytes(24).toString('base64url')];
    const back: [string, string] = [`${c.id}-to-${d.cfg.deskId}`, randomBytes(24).toString('base64url')];
    const keys = ['--key-id', back[0], '--key', back[1], '--desk-key-id', out[0], '--desk-key', out[1]];
    const child = spawn(
      process.execPath,
      [BIN, ...args(keys), '--port', String(port), '--parent-pid', String(process.pid)],
      { stdio: 'ignore' },
    );
    children.push(child);
    await upsertConnector(d.db, {
      ...c,
      endpointUrl: `http://127.0.0.1:${port}`,
      keyId: out[0],
      key: out[1],
      inboundKeyId: back[0],
      inboundKey: back[1],
    });
    return `http://127.0.0.1:${port}`;
  };
  const receiver = (d: DemoDesk, id: string, keys: string[]) => [
    'connector-receiver',
    ...['--id', id, '--desk-url', deskUrls.get(d.cfg.deskId)!, '--desk-id', d.cfg.deskId],
    ...keys,
  ];
  for (const d of desks) {
    for (const [id, kind, name] of lines)
      await reference(d, { id, kind, name }, (keys) => [
        ...receiver(d, id, keys),
        ...['--auto', '--feedback-after-ms', '20000'],
      ]);
    await d.app.services.peers.reload();
  }
  say('演示联动单位（119、120）参考接收端已启动，可在对接事项中选择 fire-119 / medical-120');
  // The 12345 desk's service connectors (docs/sms.md): a reference SMS gateway, and reference receivers
  // standing for 互联网+督查 and 好差评.
  for (const d of desks) {
    if (d.cfg.desk !== 'hotline') continue;
    const services = [
      ['cq-sms', 'sms_gateway', '重庆市政务短信平台（演示参考网关）'],
      ['cq-duchao', 'supervision_platform', '重庆市互联网+督查平台（演示参考接收端）'],
      ['cq-haochaping', 'evaluation_platform', '重庆市政务服务好差评系统（演示参考接收端）'],
      // 社保、医保、公积金 (docs/business-lookup.md): reference systems over a few fictional people
      ['cq-shebao', 'social_security', '重庆市社会保险业务系统（演示参考系统）'],
      ['cq-yibao', 'medical_insurance', '重庆市医疗保障信息平台（演示参考系统）'],
      ['cq-gongjijin', 'housing_fund', '重庆市住房公积金业务系统（演示参考系统）'],
    ] as const;
    const ports: string[] = [];
    for (const [id, kind, name] of services) {
      const url = await reference(d, { id, kind, name }, (keys) =>
        kind === 'sms_gateway'
          ? ['sms-gateway', '--desk-url', deskUrls.get(d.cfg.deskId)!, ...keys]
          : kind === 'social_security' || kind === 'medical_insurance' || kind === 'housing_fund'
            ? // it only answers: it needs the key the desk signs with, not one of its own
              ['business-system', '--system', kind, ...keys.slice(4)]
            : receiver(d, id, keys),
      );
      ports.push(`${id} ${url}`);
    }
    await d.app.services.peers.reload();
    say(
      `演示短信网关、上报平台参考接收端与社保/医保/公积金参考系统已启动（短信：GET /messages；上报：GET /reports）：${ports.join('，')}`,
    );
  }
  return children;
}

/** The demo's seat phones (extensions), registered with the desk's realm and the demo password. */
const DEMO_SEATS = { hotline: ['8001', '8002', '8003', '8004'], dispatch: ['9001', '9002', '9003', '9004'] } as const;

/** The address a desk's peer reaches it on when both run here (a wildcard listener is reached on loopback). */
const sipHost = (host: string) => (host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host);

function inProcessBridge(peerId: string, outKey: [string, string], inKey: [string, string]): BridgeConfig {
  return {
    peerUrl: `inproc://${peerId}`,
    peerId,
    keyId: outKey[0],
    key: outKey[1],
    inboundKeys: new Map([inKey]),
    alg: 'hmac-sha256',
    ...BRIDGE_DEFAULTS,
    // the demo's two desks share one pseudonym key, so the joint analysis matches callers and places
    shareKey: 'liandong-demo-share-pseudonyms',
  };
}

export async function serve(options: { demo: boolean; config?: Config }): Promise<void> {
  const config = options.config ?? loadConfig();
  const say = (m: string) => process.stdout.write(`[liandong] ${m}\n`);
  // A lost database connection that some background task did not catch must not end the server
  // (issue 17: the database can die and come back); anything else still does, as Node's default.
  process.on('unhandledRejection', (err) => {
    if (isConnectionError(err)) {
      process.stderr.write(`[liandong] database connection lost in a background task: ${String(err)}\n`);
      return;
    }
    process.stderr.write(
      `[liandong] unhandled rejection: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
  // the keys of personal data at rest: a wrong setting stops the start here (a fresh clone gets a key file)
  const keys = piiKeyring();
  say(`个人信息加密密钥：${keys.source}（当前密钥 ${keys.current}）`);
  const database = await openDatabase(config, say);
  const desks: {
    name: 'hotline' | 'dispatch';
    app: App;
    db: Db;
    url: string;
    cfg: Config;
    close?: () => Promise<void>;
  }[] = [];
  const stops: (() => Promise<void>)[] = [];
  try {
    if (config.desk === 'both') {
      // Keys for the in-process channel, new every start: the two desks still sign and verify every message.
      const h2d: [string, string] = ['both-h2d', randomBytes(24).toString('base64url')];
      const d2h: [string, string] = ['both-d2h', randomBytes(24).toString('base64url')];
      const hotlineCfg: Config = {
        ...config,
        desk: 'hotline',
        deskId: DEFAULT_DESK_IDS.hotline,
        bridge: inProcessBridge(DEFAULT_DESK_IDS.dispatch, h2d, d2h),
        // Both switches on one host: the 12345 desk on SIP_PORT, the 110 desk on SIP_PORT+1, each the other's peer.
        sip: config.sip && {
          ...config.sip,
          peer: config.sip.peer ?? { host: sipHost(config.sip.host), port: config.sip.port + 1, protocol: 'UDP' },
        },
      };
      const dispatchCfg: Config = {
        ...config,
        desk: 'dispatch',
        deskId: DEFAULT_DESK_IDS.dispatch,
        bridge: inProcessBridge(DEFAULT_DESK_IDS.hotline, d2h, h2d),
        sip: config.sip && {
          host: config.sip.host,
          port: config.sip.port + 1,
          peer: { host: sipHost(config.sip.host), port: config.sip.port, protocol: 'UDP' },
        },
      };
      const db110 = await siblingDatabase(database.url, `${new URL(database.url).pathname.slice(1)}_110`, say);
      desks.push({
        name: 'hotline',
        app: await buildApp({ db: database.db, config: hotlineCfg, databaseState: database.state }),
        db: database.db,
        url: database.url,
        cfg: hotlineCfg,
      });
      desks.push({
        name: 'dispatch',
        app: await buildApp({ db: db110.db, config: dispatchCfg, databaseState: database.state }),
        db: db110.db,
        url: db110.url,
        cfg: dispatchCfg,
        close: () => db110.db.end(),
      });
      registerInProcessPeer(DEFAULT_DESK_IDS.hotline, (r) => desks[0]!.app.inject(r));
      registerInProcessPeer(DEFAULT_DESK_IDS.dispatch, (r) => desks[1]!.app.inject(r));
    } else {
      desks.push({
        name: config.desk === 'dispatch' ? 'dispatch' : 'hotline',
        app: await buildApp({ db: database.db, config, databaseState: database.state }),
        db: database.db,
        url: database.url,
        cfg: config,
      });
    }
    if (options.demo) {
      let seeded = false;
      for (const d of desks) {
        await ensureDemoUsers(d.db);
        if (d.cfg.sip) await d.app.services.telephony.ensureDemoSeats(DEMO_SEATS[d.name], DEMO_PASSWORD);
        const table = d.name === 'dispatch' && config.desk === 'both' ? 'incidents' : 'work_orders';
        const { rows } = await d.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
        if (rows[0]!.n > 0) continue;
        say(`首次启动，正在生成演示数据（${d.name === 'dispatch' ? '110' : '12345'}）…`);
        const both = config.desk === 'both';
        await seedDemo(
          d.db,
          { orders: both && d.name === 'dispatch' ? 0 : 2400, incidents: both && d.name === 'hotline' ? 0 : 1200 },
          say,
        );
        seeded = true;
      }
      // The demonstration knowledge base (demo content, marked so) on the 12345 desk.
      for (const d of desks) {
        if (d.name === 'dispatch') continue;
        const n = await seedDemoKnowledge(d.db);
        if (n) say(`已载入演示知识库：${n} 篇（示例内容，数字须由各地核实替换）`);
      }
      // Both desks in one process: give them a shared history of transfers and diversions too.
      if (seeded && desks.length === 2) {
        const r = await seedDemoLinkage(desks[0]!.db, desks[1]!.db);
        say(`demo linkage: ${r.transfers} transfers 12345 → 110, ${r.diversions} diversions 110 → 12345`);
      }
    }
    for (const d of desks) {
      const stopDeadlines = startDeadlineWorker(d.db, d.app.services.workOrders, config.deadlineSweepMs, d.app.log);
      const stopAuditSeal = startAuditSealWorker(d.db, config.auditSealMs, d.app.log);
      const stopReportFold = startReportFoldWorker(d.db, config.reportFoldMs, d.app.log);
      const stopRetention = startRetentionWorker(d.db, config.retention, config.retention.purgeMs, d.app.log);
      // one reminder of a 回访 survey nobody answered (docs/sms.md), checked every hour
      const hours = config.surveyReminderHours;
      const stopSurveyReminders =
        d.name !== 'dispatch' && hours > 0
          ? startPeriodic(
              async () => {
                const n = await d.app.services.sms.remindUnanswered(hours);
                if (n) d.app.log.info({ reminders: n }, 'unanswered surveys reminded of');
              },
              3_600_000,
              d.app.log,
              'survey reminders failed',
            )
          : async () => undefined;
      // 待补知识: last week's consultation clusters no article answers become draft-article tasks
      const knowledgeTasks = d.app.services.knowledgeTasks;
      const stopKnowledgeTasks = knowledgeTasks
        ? startKnowledgeTaskWorker(knowledgeTasks, KNOWLEDGE_TASK_SYNC_MS, d.app.log)
        : async () => undefined;
      // the sharing pseudonyms on the desk's own records, for the hot spots' repeat-dispute list
      const shareKey = d.cfg.bridge?.shareKey ?? null;
      const stopShareKeys = shareKey
        ? startShareKeyWorker(d.db, shareKey, config.reportFoldMs, d.app.log)
        : async () => undefined;
      // The sender runs on every desk: it serves the peer desk and the connectors (119, 120, utilities …).
      const sender = new OutboxSender(
        d.db,
        d.url,
        d.app.services.peers,
        d.cfg.bridge?.peerId ?? null,
        d.app.services.bridge,
        d.app.log,
        d.cfg.bridge?.timeoutMs ?? BRIDGE_DEFAULTS.timeoutMs,
      );
      await sender.start();
      // The analysis share feed (docs/data-sharing.md): the peer desk's de-identified records, pulled every few minutes.
      const stopShare = startSharePull(d.app.services.share, d.app.log);
      stops.push(async () => {
        stopShare();
        await sender.stop();
        await stopDeadlines();
        await stopAuditSeal();
        await stopReportFold();
        await stopRetention();
        await stopKnowledgeTasks();
        await stopSurveyReminders();
        await stopShareKeys();
        await d.app.close();
        await d.close?.();
      });
    }
  } catch (err) {
    for (const stop of stops) await stop().catch(() => undefined);
    await database.close(); // never leave the embedded server running behind a failed start
    throw err;
  }

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal} received, shutting down`);
    for (const stop of stops) await stop().catch(() => undefined);
    try {
      await database.close();
    } catch (err) {
      // Say why, and exit non-zero: a shutdown that could not stop the database cleanly is not a clean stop.
      process.stderr.write(`[liandong] stopping the database failed: ${String(err)}\n`);
      process.exit(1);
    }
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));

  const urls: string[] = [];
  try {
    for (const d of desks) {
      const port = d.name === 'dispatch' && config.desk === 'both' ? config.dispatchPort : config.port;
      await d.app.listen({ port, host: config.host });
      const address = d.app.server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${actual}`;
      urls.push(url);
      say(
        `${d.name === 'dispatch' ? '110报警服务台' : '12345热线'}（${d.cfg.deskId}）已启动：${url}    API 文档：${url}/docs    健康检查：${url}/health`,
      );
    }
  } catch (err) {
    for (const stop of stops) await stop().catch(() => undefined);
    await database.close();
    throw err;
  }
  if (options.demo) {
    const deskUrls = new Map(desks.map((d, i) => [d.cfg.deskId, urls[i]!]));
    const children = await startDemoConnectors(desks, deskUrls, say).catch((err) => {
      say(`演示联动单位未能启动：${(err as Error).message}`);
      return [];
    });
    stops.unshift(async () => {
      for (const c of children) c.kill('SIGTERM');
    });
  }
  if (config.desk === 'both')
    say('两个平台各用自己的数据库（liandong、liandong_110），仅通过签名消息对接（进程内通道）');
  else if (config.bridge) say(`对接 ${config.bridge.peerId}：${config.bridge.peerUrl}`);
  say(
    database.embedded
      ? `数据库：内置 PostgreSQL（数据目录 ${config.dataDir}）`
      : '数据库：DATABASE_URL 指定的 PostgreSQL',
  );
  if (options.demo) {
    say(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    // each with the desks they may log in on (users.desks)
    for (const u of DEMO_USERS)
      say(
        `  ${u.username.padEnd(12)} ${u.note}（${defaultDesks(u.role)
          .map((d) => DESK_LABELS[d])
          .join('、')}）`,
      );
    for (const d of desks)
      if (d.cfg.sip)
        say(
          `${d.name === 'dispatch' ? '110' : '12345'}话务：SIP ${d.cfg.sip.host}:${d.app.services.telephony.status().sipPort}（UDP/TCP），坐席分机 ${DEMO_SEATS[d.name].join('、')}，注册域 ${d.cfg.deskId}，密码 ${DEMO_PASSWORD}`,
        );
  }
}
