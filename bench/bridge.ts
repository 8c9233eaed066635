/**
 * Bridge benchmark: a 12345 desk and a 110 desk as two `liandong serve` processes, each on its own
 * embedded PostgreSQL, on loopback. Opens transfers on the 12345 desk at a fixed offered rate and
 * measures, per transfer, the time from sending the request to the item being stored on the 110 desk
 * (the bench and both servers on this machine's clock). Failed requests are counted by reason.
 * Prints one JSON line.
 *   npm run bench:bridge -- [--transfers 10000] [--rate 100] [--restart-receiver]
 *   npm run bench:bridge -- --find-max [--seconds 30] [--rates 25,50,75,100,150,200,300,400]
 *   --logs DIR keeps the two servers' logs (hotline.log, dispatch.log) there, to see why requests fail;
 *   --profile DIR writes their CPU profiles (.cpuprofile) there.
 * --find-max offers each rate in turn for --seconds on the same two desks (draining between steps) and
 * reports the highest rate sustained: achieved ≥ 95 % of offered, no failed request, nothing lost, and
 * p99 from request to stored on the other desk ≤ 1 s.
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
    'find-max': { type: 'boolean', default: false },
    seconds: { type: 'string', default: '30' },
    rates: { type: 'string', default: '25,50,75,100,150,200,300,400' },
    logs: { type: 'string' },
    profile: { type: 'string' },
  },
});
const RATE = Number(values.rate);
const STEPS = values['find-max']
  ? values.rates.split(',').map((r) => ({ rate: Number(r), transfers: Math.round(Number(r) * Number(values.seconds)) }))
  : [{ rate: RATE, transfers: Number(values.transfers) }];
const N = STEPS.reduce((a, s) => a + s.transfers, 0);
const P99_LIMIT_MS = 1000;
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU time (ms) used so far by a process and, with `tree`, its children (a postmaster's backends),
 * from /proc: a figure that, unlike latency, does not depend on how busy the rest of the machine is.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuMs(pid: number, tree = false): number {
  const stat = (p: number | string) => {
    try {
      const s = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
    } catch {
      return null;
    }
  };
  const me = stat(pid);
  if (!me) return 0;
  let ticks = me.own + (tree ? me.reaped : 0);
  if (tree)
    for (const d of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      const c = stat(d);
      if (c?.ppid === pid) ticks += c.own;
    }
  return ticks * TICK_MS;
}

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
    const logFd = values.logs ? fs.openSync(path.join(values.logs, `${e.LIANDONG_DESK}.log`), 'a') : 'ignore';
    const prof = values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [];
    const c = spawn(process.execPath, [...prof, 'packages/server/bin/liandong.mjs', 'serve'], {
      env: e,
      stdio: ['ignore', logFd, values.logs ? logFd : 'inherit'],
    });
    if (typeof logFd === 'number') fs.closeSync(logFd);
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
    const sender = await start(env('hotline', pgH.url, hp, dp), hp);
    let receiver = await start(env('dispatch', pgD.url, dp, hp), dp);
    const cpu = () => ({
      hotline_node: cpuMs(sender.pid!),
      dispatch_node: cpuMs(receiver.pid!),
      hotline_pg: cpuMs(pgH.pid, true),
      dispatch_pg: cpuMs(pgD.pid, true),
    });
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
    // The work orders the transfers come from, made in bulk beforehand: one statement, the requests
    // in a data-modifying CTE (an INSERT cannot stand in a LATERAL subquery).
    await dbH.query(
      `WITH g AS (SELECT g, gen_random_uuid() AS rid FROM generate_series(1, $1) g),
        r AS (INSERT INTO requests (id, channel, content, received_at)
              SELECT rid, 'phone_12345', '来电人反映小区里有人打架 #' || g, now() FROM g)
      INSERT INTO work_orders (no, request_id, order_type, category_code, title, status, due_at, created_at, updated_at)
      SELECT 'GD' || lpad(g::text, 8, '0'), rid, 'complaint', 'CSGL01', '压测', 'received', now() + interval '15 days', now(), now()
      FROM g`,
      [N],
    );
    const orders = (await dbH.query<{ id: string }>('SELECT id FROM work_orders ORDER BY no')).rows.map((r) => r.id);
    const deliveredCount = async (ids: string[]) =>
      (
        await dbD.query<{ n: number }>(
          'SELECT count(DISTINCT item_id)::int AS n FROM bridge_inbox WHERE item_id = ANY($1)',
          [ids],
        )
      ).rows[0]!.n;

    /** Offers `count` transfers at `rate` per second, waits for them to land, and measures. */
    const runStep = async (rate: number, count: number, offset: number) => {
      let sent = 0,
        failed = 0,
        restarted = false;
      const failures: Record<string, number> = {};
      const fail = (why: string) => {
        failed++;
        failures[why] = (failures[why] ?? 0) + 1;
      };
      const sentAt = new Map<string, number>();
      const answered: number[] = [];
      const cpu0 = cpu();
      const t0 = performance.now();
      const inflight: Promise<void>[] = [];
      for (let i = 0; i < count; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        if (values['restart-receiver'] && !restarted && i === Math.floor(count / 2)) {
          restarted = true;
          void (async () => {
            await stop(receiver);
            receiver = await start(env('dispatch', pgD.url, dp, hp), dp);
          })();
        }
        const at = Date.now();
        inflight.push(
          fetch(`http://127.0.0.1:${hp}/api/linkage/items`, {
            method: 'POST',
            headers: H,
            body: JSON.stringify({ kind: 'transfer', workOrderId: orders[offset + i] }),
          }).then(
            async (r) => {
              const body = (await r.json().catch(() => ({}))) as { itemId?: string; code?: string };
              if (r.status === 201 && body.itemId) {
                sent++;
                sentAt.set(body.itemId, at);
                answered.push(Date.now() - at);
              } else fail(`${r.status} ${body.code ?? ''}`.trim());
            },
            (err: Error & { cause?: { code?: string } }) => fail(`no answer: ${err.cause?.code ?? err.message}`),
          ),
        );
      }
      await Promise.all(inflight);
      const sendSeconds = (performance.now() - t0) / 1000;
      const ids = [...sentAt.keys()];
      // Wait for everything to land (bounded).
      for (let i = 0; i < 1200; i++) {
        if ((await deliveredCount(ids)) >= ids.length) break;
        await sleep(250);
      }
      const arrived = (
        await dbD.query<{ item_id: string; t: number; n: number }>(
          `SELECT item_id, extract(epoch FROM min(received_at)) * 1000 AS t, count(*)::int AS n
          FROM bridge_inbox WHERE item_id = ANY($1) AND type = 'transfer.request' GROUP BY item_id`,
          [ids],
        )
      ).rows;
      const applied = (
        await dbD.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM (SELECT item_id FROM linkage_events WHERE item_id = ANY($1) AND direction = 'received' AND type = 'transfer.request' GROUP BY item_id HAVING count(*) > 1) x",
          [ids],
        )
      ).rows[0]!.n;
      const cpu1 = cpu();
      const perTransfer = (k: keyof typeof cpu0) => +((cpu1[k] - cpu0[k]) / Math.max(1, arrived.length)).toFixed(2);
      const cpuPerTransfer = {
        hotline_node: perTransfer('hotline_node'),
        dispatch_node: perTransfer('dispatch_node'),
        hotline_pg: perTransfer('hotline_pg'),
        dispatch_pg: perTransfer('dispatch_pg'),
      };
      const lat = arrived.map((a) => Number(a.t) - (sentAt.get(a.item_id) ?? Number(a.t))).sort((a, b) => a - b);
      const q = (p: number) => +(lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? 0).toFixed(1);
      const perSecond = +(sent / sendSeconds).toFixed(1);
      const result = {
        target_rate: rate,
        transfers: count,
        sent,
        failed_requests: failed,
        failures,
        delivered: arrived.length,
        lost: sent - arrived.length,
        duplicated: arrived.filter((a) => a.n > 1).length + applied,
        p50_ms: q(0.5),
        p99_ms: q(0.99),
        max_ms: q(1),
        // The request's own answer time on the 12345 desk (the rest of the latency is the delivery).
        request_p50_ms: +(answered.sort((a, b) => a - b)[Math.floor(answered.length * 0.5)] ?? 0).toFixed(1),
        request_p99_ms: +(answered[Math.min(answered.length - 1, Math.floor(answered.length * 0.99))] ?? 0).toFixed(1),
        per_second: perSecond,
        // CPU ms per delivered transfer, by process (the capacity of a quiet machine: cores × 1000 / total).
        cpu_ms_per_transfer: cpuPerTransfer,
        cpu_ms_per_transfer_total: +Object.values(cpuPerTransfer)
          .reduce((a, b) => a + b, 0)
          .toFixed(2),
      };
      const sustained = failed === 0 && result.lost === 0 && result.p99_ms <= P99_LIMIT_MS && perSecond >= 0.95 * rate;
      return { ...result, sustained };
    };

    const steps = [];
    let offset = 0;
    for (const step of STEPS) {
      const r = await runStep(step.rate, step.transfers, offset);
      offset += step.transfers;
      steps.push(r);
      if (values['find-max']) process.stderr.write(`${JSON.stringify(r)}\n`);
      if (!r.sustained) break;
    }
    const load = os.loadavg().map((l) => +l.toFixed(2));
    if (values['find-max']) {
      const best = steps.filter((s) => s.sustained).at(-1);
      console.log(
        JSON.stringify({
          benchmark: 'bridge.transfer.max',
          seconds_per_step: Number(values.seconds),
          p99_limit_ms: P99_LIMIT_MS,
          max_sustained_rate: best?.target_rate ?? 0,
          max_sustained_per_second: best?.per_second ?? 0,
          steps,
          database: 'embedded x2',
          cpus: os.cpus().length,
          loadavg: load,
        }),
      );
    } else {
      const { sustained, ...r } = steps[0]!;
      console.log(
        JSON.stringify({
          benchmark: 'bridge.transfer',
          restart_receiver: values['restart-receiver'],
          ...r,
          keeps_up: sustained,
          database: 'embedded x2',
          cpus: os.cpus().length,
          loadavg: load,
        }),
      );
    }
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
