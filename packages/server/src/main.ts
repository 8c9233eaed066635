/** `liandong serve`: opens the database, builds the app, starts workers, listens; shuts down cleanly. */
import { loadConfig, type Config } from './config.ts';
import { buildApp } from './app.ts';
import { openDatabase } from './db/database.ts';
import { DEMO_PASSWORD, DEMO_USERS, seedDemo } from './demo/seed-demo.ts';
import { startDeadlineWorker } from './workers/deadline.worker.ts';
import { OutboxSender } from './bridge/outbox.worker.ts';

export async function serve(options: { demo: boolean; config?: Config }): Promise<void> {
  const config = options.config ?? loadConfig();
  const say = (m: string) => process.stdout.write(`[liandong] ${m}\n`);
  const database = await openDatabase(config, say);
  let app: Awaited<ReturnType<typeof buildApp>>;
  try {
    app = await buildApp({ db: database.db, config });
    if (options.demo) {
      const { rows } = await database.db.query<{ n: number }>('SELECT count(*)::int AS n FROM work_orders');
      if (rows[0]!.n === 0) {
        say('首次启动，正在生成演示数据…');
        await seedDemo(database.db, { orders: 2400, incidents: 1200 }, say);
      }
    }
  } catch (err) {
    await database.close(); // never leave the embedded server running behind a failed start
    throw err;
  }
  const stopDeadlines = startDeadlineWorker(database.db, app.services.workOrders, config.deadlineSweepMs, app.log);
  // The sender runs on every desk: it serves the peer desk and the connectors (119, 120, utilities …).
  const sender = new OutboxSender(database.db, database.url, app.services.peers, config.bridge?.peerId ?? null, app.services.bridge, app.log, config.bridge?.timeoutMs ?? 5000);
  await sender.start();
  const stopWorker = async () => { await sender.stop(); await stopDeadlines(); };
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    say(`${signal} received, shutting down`);
    await stopWorker();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await stopWorker();
    await app.close();
    await database.close();
    throw err;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`;
  say(`联动已启动：${url}    API 文档：${url}/docs    健康检查：${url}/health`);
  say(`本平台：${config.desk === 'dispatch' ? '110' : config.desk === 'hotline' ? '12345' : '12345与110（演示）'}（${config.deskId}）${config.bridge ? `，对接 ${config.bridge.peerId}：${config.bridge.peerUrl}` : ''}`);
  say(database.embedded ? `数据库：内置 PostgreSQL（数据目录 ${config.dataDir}）` : '数据库：DATABASE_URL 指定的 PostgreSQL');
  if (options.demo) {
    say(`演示账号（密码均为 ${DEMO_PASSWORD}）：`);
    for (const u of DEMO_USERS) say(`  ${u.username.padEnd(12)} ${u.note}`);
  }
}
