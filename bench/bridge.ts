/**
 * Bridge benchmark: a 12345 desk and a 110 desk as two `liandong serve` processes, each on its own
 * embedded PostgreSQL, on loopback. Opens N transfers on the 12345 desk at a fixed rate and measures,
 * per transfer, the time from the request to the item being stored on the 110 desk (both servers on
 * this machine's clock). Prints one JSON line.
 *   npm run bench:bridge -- [--transfers 10000] [--rate 100] [--restart-receiver]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../packages/server/src/auth/passwords.ts';
import { startEmbeddedPostgres } from '../packages/server/src/db/embedded.ts';
import { migrate } from '../packages/server/src/db/migrate.ts';
import { createPool } from '../packages/server/src/db/pool.ts';
import { seedReference } from '../packages/server/src/reference/seed-reference.ts';

const { values } = parseArgs({
  options: {
    transfers: { type: 'string', default: '10000' },
    rate: { type: 'string', default: '100' },
    'restart-receiver': { type: 'boolean', default: false },
  },
});
const N = Number(values.transfers),
  RATE = Number(values.rate);
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-bridge-'));
  const pgH = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'h') });
  const pgD = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'd') });
  const dbH = createPool(pgH.url, 4),
    dbD = createPool(pgD.url, 4);
  const hash = await hashPassword('bench-password');
  for (const db of [dbH, dbD]) {
    await migrate(db);
    await seedReference(db);
    await db.query(
      `INSERT INTO users (username, display_name, password_hash, role) VALUES ('seat', '专席', $1, 'specialist_seat')`,
      [hash],
    );
  }
  const [hp, dp] = [await freePort(), await freePort()];
  const env = (desk: 'hotline' | 'dispatch', url: string, port: number, peer: number): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: url,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    LIANDONG_DESK: desk,
    LIANDONG_DESK_ID: desk === 'hotline' ? 'cq-12345' : 'cq-110',
    BRIDGE_PEER_URL: `http://127.0.0.1:${peer}`,
    BRIDGE_PEER_ID: desk === 'hotline' ? 'cq-110' : 'cq-12345',
    BRIDGE_KEY_ID: desk === 'hotline' ? 'h2d' : 'd2h',
    BRIDGE_KEY: desk === 'hotline' ? 'k-h2d-bench-secret' : 'k-d2h-bench-secret',
    BRIDGE_INBOUND_KEYS: desk === 'hotline' ? 'd2h=k-d2h-bench-secret' : 'h2d=k-h2d-bench-secret',
    DEADLINE_SWEEP_SECONDS: '3600',
    BRIDGE_ACCEPT_MINUTES: '600',
  });
  const procs: ChildProcess[] = [];
  const start = async (e: NodeJS.ProcessEnv, port: number) => {
    const c = spawn(process.execPath, ['packages/server/bin/liandong.mjs', 'serve'], {
      env: e,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    procs.push(c);
    for (let i = 0; i < 600; i++) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return c;
      } catch {
        /* starting */
      }
      await sleep(100);
    }
    throw new Error('desk did not start');
  };
  const stop = async (c: ChildProcess) => {
    if (c.exitCode !== null) return;
    const ex = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    await ex;
  };
  try {
    await start(env('hotline', pgH.url, hp, dp), hp);
    let receiver = await start(env('dispatch', pgD.url, dp, hp), dp);
    const token = (
      (await (
        await fetch(`http://127.0.0.1:${hp}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'seat', password: 'bench-password' }),
        })
      ).json()) as { token: string }
    ).token;
    const H = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    // The work orders the transfers come from, made in bulk beforehand.
    await dbH
      .query(
        `INSERT INTO work_orders (no, request_id, order_type, category_code, title, status, due_at, created_at, updated_at)
      SELECT 'GD' || lpad(g::text, 8, '0'), r.id, 'complaint', 'CSGL01', '压测', 'received', now() + interval '15 days', now(), now()
      FROM generate_series(1, $1) g, LATERAL (INSERT INTO requests (channel, content, received_at) VALUES ('phone_12345', '来电人反映小区里有人打架 #' || g, now()) RETURNING id) r`,
        [N],
      )
      .catch(async () => {
        for (let g = 1; g <= N; g++) {
          const r = await dbH.query<{ id: string }>(
            `INSERT INTO requests (channel, content, received_at) VALUES ('phone_12345', $1, now()) RETURNING id`,
            [`来电人反映小区里有人打架 #${g}`],
          );
          await dbH.query(
            `INSERT INTO work_orders (no, request_id, order_type, category_code, title, status, due_at, created_at, updated_at) VALUES ($1, $2, 'complaint', 'CSGL01', '压测', 'received', now() + interval '15 days', now(), now())`,
            [`GD${String(g).padStart(8, '0')}`, r.rows[0]!.id],
          );
        }
      });
    const orders = (await dbH.query<{ id: string }>('SELECT id FROM work_orders ORDER BY no')).rows.map((r) => r.id);
    let sent = 0,
      failed = 0,
      restarted = false;
    const t0 = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < N; i++) {
      const due = t0 + (i * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      if (values['restart-receiver'] && !restarted && i === Math.floor(N / 2)) {
        restarted = true;
        void (async () => {
          await stop(receiver);
          receiver = await start(env('dispatch', pgD.url, dp, hp), dp);
        })();
      }
      inflight.push(
        fetch(`http://127.0.0.1:${hp}/api/linkage/items`, {
          method: 'POST',
          headers: H,
          body: JSON.stringify({ kind: 'transfer', workOrderId: orders[i] }),
        }).then(
          async (r) => {
            if (r.status === 201) sent++;
            else failed++;
            await r.arrayBuffer();
          },
          () => {
            failed++;
          },
        ),
      );
    }
    await Promise.all(inflight);
    const sendSeconds = (performance.now() - t0) / 1000;
    // Wait for everything to land (bounded).
    for (let i = 0; i < 1200; i++) {
      const n = (await dbD.query<{ n: number }>('SELECT count(*)::int AS n FROM linkage_items')).rows[0]!.n;
      if (n >= sent) break;
      await sleep(250);
    }
    const created = new Map(
      (
        await dbH.query<{ item_id: string; t: number }>(
          'SELECT item_id, extract(epoch FROM created_at) * 1000 AS t FROM linkage_items',
        )
      ).rows.map((r) => [r.item_id, Number(r.t)]),
    );
    const arrived = (
      await dbD.query<{ item_id: string; t: number; n: number }>(
        `SELECT item_id, extract(epoch FROM min(received_at)) * 1000 AS t, count(*)::int AS n FROM bridge_inbox GROUP BY item_id`,
      )
    ).rows;
    const applied = (
      await dbD.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM (SELECT item_id FROM linkage_events WHERE direction = 'received' AND type = 'transfer.request' GROUP BY item_id HAVING count(*) > 1) x",
      )
    ).rows[0]!.n;
    const lat = arrived.map((a) => a.t - (created.get(a.item_id) ?? a.t)).sort((a, b) => a - b);
    const q = (p: number) => +(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(1);
    console.log(
      JSON.stringify({
        benchmark: 'bridge.transfer',
        transfers: N,
        target_rate: RATE,
        restart_receiver: values['restart-receiver'],
        sent,
        failed_requests: failed,
        delivered: arrived.length,
        lost: sent - arrived.length,
        duplicated: arrived.filter((a) => a.n > 1).length + applied,
        p50_ms: q(0.5),
        p99_ms: q(0.99),
        max_ms: q(1),
        per_second: +(sent / sendSeconds).toFixed(1),
        database: 'embedded x2',
        cpus: os.cpus().length,
      }),
    );
  } finally {
    for (const c of procs) await stop(c);
    await dbH.end();
    await dbD.end();
    await pgH.stop();
    await pgD.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
main().catch((err) => {
  console.error(err);
  process.exit(1);
});
