/**
 * Work-order intake benchmark. Starts `liandong serve` as its own process on a fresh database (the
 * embedded PostgreSQL in a temporary folder, or DATABASE_URL), creates work orders through the API
 * with N concurrent keep-alive clients, then measures the database's own rate for the same inserts
 * (the same SQL statement, same concurrency, durable commits) in the same run. Prints one JSON line.
 *
 *   npm run bench:orders -- [--orders 20000] [--concurrency 64]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Actor } from '../packages/server/src/auth/actor.ts';
import { hashPassword } from '../packages/server/src/auth/passwords.ts';
import { openDatabase } from '../packages/server/src/db/database.ts';
import { DeadlinePolicy } from '../packages/server/src/hotline/deadline-policy.ts';
import { insertWorkOrder } from '../packages/server/src/hotline/work-orders.repo.ts';
import { TriageService } from '../packages/server/src/triage/triage.service.ts';

const { values } = parseArgs({
  options: { orders: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' } },
});
const ORDERS = Number(values.orders);
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Math.min(2000, Math.ceil(ORDERS / 10));

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (lat: number[], ms: number) => {
  const s = [...lat].sort((a, b) => a - b);
  return {
    per_second: Math.round((lat.length / ms) * 1000),
    p50_ms: +percentile(s, 50).toFixed(2),
    p99_ms: +percentile(s, 99).toFixed(2),
  };
};
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });

const CONTENTS = [
  '来电人反映渝中区解放碑街道八一路口流动摊贩占道经营，堵塞人行道。',
  '来电人反映小区电梯经常困人，要求检测维修。',
  '咨询居住证办理需要哪些材料。',
  '楼下火锅店油烟直排，家里窗户不敢开。',
];
const body = (i: number) => ({
  channel: 'phone_12345',
  caller: { name: '张三', phone: `138${String(i).padStart(8, '0')}` },
  content: CONTENTS[i % CONTENTS.length],
  address: '渝中区八一路',
  districtCode: '500103',
  streetCode: '500103003',
  orderType: i % 3 === 0 ? 'consultation' : 'complaint',
  categoryCode: i % 3 === 0 ? 'ZWFW01' : 'CSGL01',
});

async function main() {
  const tmp = process.env.DATABASE_URL ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-'));
  // the keys of personal data at rest: a key file of the run's own (this process and the server share it)
  if (tmp && !process.env.PII_KEYS) process.env.PII_KEY_FILE = path.join(tmp, 'pii-keys.json');
  const database = await openDatabase(
    {
      databaseUrl: process.env.DATABASE_URL || null,
      dataDir: tmp ?? 'data',
      embeddedPgPort: null,
      poolSize: CONCURRENCY,
    },
    () => undefined,
  );
  const settings = (
    await database.db.query<{ name: string; setting: string }>(
      "SELECT name, setting FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'server_version')",
    )
  ).rows;
  await database.db.query(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('bench', '压测', $1, 'call_taker') ON CONFLICT DO NOTHING`,
    [await hashPassword('bench-password')],
  );

  const port = await freePort();
  const server = spawn(process.execPath, ['packages/server/bin/liandong.mjs', 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_SIZE: String(Math.min(CONCURRENCY, 32)),
      DEADLINE_SWEEP_SECONDS: '3600',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const request = (method: string, p: string, payload: unknown, token?: string) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const data = payload === undefined ? '' : JSON.stringify(payload);
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          method,
          path: p,
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(data),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          let b = '';
          res.on('data', (c) => (b += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
        },
      );
      req.on('error', reject);
      req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
      req.end(data);
    });
  try {
    for (let i = 0; ; i++) {
      try {
        if ((await request('GET', '/health', undefined)).status === 200) break;
      } catch {
        /* starting */
      }
      if (i > 300) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
    const token = JSON.parse(
      (await request('POST', '/api/auth/login', { username: 'bench', password: 'bench-password' })).body,
    ).token as string;

    const runApi = async (n: number, offset: number) => {
      const lat: number[] = [];
      let next = 0,
        errors = 0;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < n) {
            const i = offset + next++;
            const s = performance.now();
            const res = await request('POST', '/api/work-orders', body(i), token);
            lat.push(performance.now() - s);
            if (res.status !== 201) errors++;
          }
        }),
      );
      return { ms: performance.now() - t0, lat, errors };
    };
    await runApi(WARMUP, 0);
    const api = await runApi(ORDERS, WARMUP);

    // The database's own rate: the same insert statement, same concurrency, straight over the pool.
    const actor: Actor = {
      id: null,
      username: 'bench',
      displayName: '压测',
      role: 'call_taker',
      unitId: null,
      districtCode: null,
    };
    const policy = new DeadlinePolicy(database.db);
    // The same triage outcome the API attaches, computed once per text so the database does the same writes.
    const triageService = new TriageService(database.db);
    const outcomes = await Promise.all(CONTENTS.map((c) => triageService.suggest(c!, '12345')));
    const dbLat: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ORDERS) {
          const i = next++;
          const b = body(i);
          const s = performance.now();
          const receivedAt = new Date();
          await insertWorkOrder(
            database.db,
            {
              channel: b.channel,
              callerName: b.caller.name,
              callerPhone: b.caller.phone,
              confidential: false,
              content: b.content!,
              address: b.address,
              districtCode: b.districtCode,
              streetCode: b.streetCode,
              lat: null,
              lng: null,
              receivedAt,
              clientRef: null,
              orderType: b.orderType,
              categoryCode: b.categoryCode,
              title: b.content!.slice(0, 40),
              urgentKind: null,
              dueAt: await policy.dueAt(b.orderType as 'complaint', false, receivedAt),
              triage: outcomes[i % CONTENTS.length]!,
            },
            actor,
          );
          dbLat.push(performance.now() - s);
        }
      }),
    );
    const dbMs = performance.now() - t0;
    const apiSummary = summary(api.lat, api.ms);
    const dbSummary = summary(dbLat, dbMs);
    console.log(
      JSON.stringify({
        benchmark: 'work-orders.create',
        orders: ORDERS,
        concurrency: CONCURRENCY,
        cpus: os.cpus().length,
        database: process.env.DATABASE_URL ? 'external' : 'embedded',
        pg: Object.fromEntries(settings.map((s) => [s.name, s.setting])),
        api: { ...apiSummary, errors: api.errors },
        database_direct: dbSummary,
        api_vs_database: +(apiSummary.per_second / dbSummary.per_second).toFixed(2),
      }),
    );
  } finally {
    agent.destroy();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await database.close();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
