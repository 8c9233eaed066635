/**
 * The database dies and comes back (issue 17): `liandong serve` (both desks, the embedded PostgreSQL)
 * under a write load of work orders and transfers to 110; the postmaster is killed with SIGKILL, as the
 * OOM killer would. The Node process must stay up, answer 503 with Retry-After meanwhile, restart the
 * database by itself, serve again within 30 s, and have every acknowledged write — including every
 * acknowledged transfer, delivered to the 110 desk — with the live stream (LISTEN) working again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { sampleOrder } from '../helpers.ts';
import { freePort } from '../ports.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const PASSWORD = 'kill-test-password-1';
let dataDir: string;
let extDir: string;
let external: EmbeddedServer | null = null;
let child: ChildProcess | null = null;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const postmaster = () => fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n');
const dbUrl = (db: string) =>
  `postgres://liandong:${encodeURIComponent(fs.readFileSync(path.join(dataDir, 'pg-secret'), 'utf8').trim())}@127.0.0.1:${postmaster()[3]}/${db}`;
const withDb = (url: string, db: string) => Object.assign(new URL(url), { pathname: `/${db}` }).toString();

async function health(
  port: number,
): Promise<{ status: number; body: Record<string, unknown>; retryAfter: string | null }> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return {
    status: res.status,
    body: (await res.json()) as Record<string, unknown>,
    retryAfter: res.headers.get('retry-after'),
  };
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-pgkill-'));
  extDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-pgext-'));
});
async function stopServe(): Promise<void> {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child!.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(20_000)]);
  }
  child = null;
}
afterAll(async () => {
  await stopServe();
  await external?.stop();
  fs.rmSync(extDir, { recursive: true, force: true });
  try {
    const pid = Number(postmaster()[0]);
    process.kill(pid, 'SIGQUIT');
  } catch {
    /* stopped */
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface Outage {
  name: string;
  /** The data folder of `serve` (its embedded server, or only its lock with an external one). */
  serveDir: string;
  databaseUrl?: string;
  url(db: string): string;
  /** Takes the database away; resolves when it has been brought back (by serve, or by the test). */
  kill(): Promise<void>;
  /** What /health says meanwhile. */
  downState: 'restarting' | 'unreachable';
}

/**
 * `serve` (both desks) under a write load of work orders and transfers to 110 while the database is
 * taken away: the process stays up, answers 503 with Retry-After meanwhile, serves again within 30 s by
 * itself, and has every acknowledged write — every acknowledged transfer delivered to the 110 desk —
 * with its live stream (LISTEN) working again.
 */
async function survives(o: Outage): Promise<void> {
  const serveDir = o.serveDir;
  const [port, dispatchPort] = [await freePort(), await freePort()];
  child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      DISPATCH_PORT: String(dispatchPort),
      HOST: '127.0.0.1',
      LIANDONG_DATA_DIR: serveDir,
      LIANDONG_DESK: 'both',
      DATABASE_URL: o.databaseUrl ?? '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`serve exited: ${out}`);
    if (i > 600) throw new Error(`serve did not start: ${out}`);
    if ((await health(port).catch(() => null))?.status === 200) break;
    await sleep(200);
  }

  // A call-taker and a seat on the 12345 desk.
  const admin = new pg.Client({ connectionString: o.url('liandong') });
  await admin.connect();
  const hash = await hashPassword(PASSWORD);
  for (const [u, role] of [
    ['kill_ct', 'call_taker'],
    ['kill_seat', 'specialist_seat'],
  ])
    await admin.query('INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, $4)', [
      u,
      '测试',
      hash,
      role,
    ]);
  await admin.end();
  const login = async (username: string) => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return {
      'content-type': 'application/json',
      authorization: `Bearer ${((await res.json()) as { token: string }).token}`,
    };
  };
  const ct = await login('kill_ct');
  const seat = await login('kill_seat');

  // The live linkage stream, open across the crash.
  let streamEnded = false;
  const stream = new AbortController();
  void fetch(`http://127.0.0.1:${port}/api/linkage/stream?access_token=${seat.authorization.slice(7)}`, {
    signal: stream.signal,
  })
    .then(async (res) => {
      for await (const chunk of res.body!) void chunk;
      streamEnded = true;
    })
    .catch(() => undefined);

  // The write load: two writers, each creating a work order and transferring every other one to 110.
  const acked: string[] = [];
  const transferred: string[] = [];
  const statuses = new Map<number, number>();
  let refusedWithRetryAfter = 0;
  let stop = false;
  let n = 0;
  const writer = async () => {
    while (!stop) {
      const i = n++;
      try {
        const res = await fetch(`http://127.0.0.1:${port}/api/work-orders`, {
          method: 'POST',
          headers: ct,
          body: JSON.stringify(sampleOrder({ clientRef: `${o.name}-${i}` })),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 503 && res.headers.get('retry-after')) refusedWithRetryAfter++;
        const body = (await res.json()) as { id?: string };
        if (res.status !== 201) {
          await sleep(100);
          continue;
        }
        acked.push(body.id!);
        if (i % 2) continue;
        const t = await fetch(`http://127.0.0.1:${port}/api/linkage/items`, {
          method: 'POST',
          headers: seat,
          body: JSON.stringify({ kind: 'transfer', workOrderId: body.id }),
        });
        const tb = (await t.json()) as { itemId?: string };
        if (t.status === 201) transferred.push(tb.itemId!);
      } catch {
        await sleep(100); // a connection refused while the server is busy: try again
      }
    }
  };
  const writers = [writer(), writer()];
  while (acked.length < 20) await sleep(100);

  const killedAt = Date.now();
  let sawDown = false;
  let backAt = 0;
  let back = false;
  const outage = o.kill().then(() => (back = true));
  while (Date.now() - killedAt < 30_000) {
    const h = await health(port).catch(() => null);
    expect(child.exitCode).toBeNull();
    if (h?.status === 503 && h.body.database === o.downState) {
      sawDown = true;
      expect(h.retryAfter).toBeTruthy();
    }
    if (h?.status === 200 && sawDown && back) {
      backAt = Date.now();
      break;
    }
    await sleep(100);
  }
  await outage;
  expect(backAt, `the API did not come back within 30 s: ${out}`).toBeGreaterThan(0);
  const ackedBefore = acked.length;
  // Writes succeed again, by themselves.
  const until = Date.now() + 20_000;
  while (acked.length < ackedBefore + 10 && Date.now() < until) await sleep(100);
  stop = true;
  await Promise.all(writers);
  const ended = Date.now() + 15_000;
  while (!streamEnded && Date.now() < ended) await sleep(100);
  stream.abort();

  expect(child.exitCode).toBeNull();
  expect(sawDown).toBe(true);
  expect(refusedWithRetryAfter).toBeGreaterThan(0);
  expect(acked.length).toBeGreaterThanOrEqual(ackedBefore + 10);
  expect(statuses.get(500) ?? 0).toBe(0);

  // Every acknowledged work order is stored …
  const h = new pg.Client({ connectionString: o.url('liandong') });
  await h.connect();
  const stored = await h.query<{ n: number }>('SELECT count(*)::int AS n FROM work_orders WHERE id = ANY($1)', [acked]);
  expect(stored.rows[0]!.n).toBe(acked.length);
  await h.end();
  // … and every acknowledged transfer reaches the 110 desk (the outbox survived and delivers again).
  const d = new pg.Client({ connectionString: o.url('liandong_110') });
  await d.connect();
  let arrived = 0;
  for (let i = 0; i < 100 && arrived < transferred.length; i++) {
    arrived = (
      await d.query<{ n: number }>('SELECT count(*)::int AS n FROM linkage_items WHERE item_id = ANY($1)', [
        transferred,
      ])
    ).rows[0]!.n;
    if (arrived < transferred.length) await sleep(200);
  }
  await d.end();
  expect(transferred.length).toBeGreaterThan(0);
  expect(arrived).toBe(transferred.length);

  // LISTEN is back: the stream was ended when it was re-established (the console reconnects and
  // reloads), and a fresh stream pushes a change made now.
  const fresh = await fetch(`http://127.0.0.1:${port}/api/linkage/stream?access_token=${seat.authorization.slice(7)}`);
  const reader = fresh.body!.getReader();
  const order = await fetch(`http://127.0.0.1:${port}/api/work-orders`, {
    method: 'POST',
    headers: ct,
    body: JSON.stringify(sampleOrder({ clientRef: `${o.name}-after` })),
  });
  const { id } = (await order.json()) as { id: string };
  await fetch(`http://127.0.0.1:${port}/api/linkage/items`, {
    method: 'POST',
    headers: seat,
    body: JSON.stringify({ kind: 'transfer', workOrderId: id }),
  });
  let text = '';
  const deadline = Date.now() + 10_000;
  while (!text.includes('event: item') && Date.now() < deadline) {
    const r = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
    if (!r || r.done) break;
    text += Buffer.from(r.value).toString();
  }
  await reader.cancel();
  expect(streamEnded).toBe(true);
  expect(text).toContain('event: item');
  expect(out).not.toMatch(/unhandled|Unhandled/);
}

describe.skipIf(inject('testServer') === 'external')('the database dies under load', () => {
  it('serve survives SIGKILL of its embedded postmaster under write load: 503 with Retry-After meanwhile, back by itself within 30 s, every acknowledged write present', async () => {
    await survives({
      name: 'kill',
      serveDir: dataDir,
      url: dbUrl,
      downState: 'restarting',
      async kill() {
        const old = Number(postmaster()[0]);
        process.kill(old, 'SIGKILL');
        // serve's supervisor starts a new postmaster by itself.
        while (!fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) || Number(postmaster()[0]) === old)
          await sleep(100);
      },
    });
    await stopServe();
  }, 180_000);

  it('serve rides out an external PostgreSQL restarting under write load: 503 with Retry-After meanwhile, reconnects by itself, every acknowledged write present', async () => {
    external = await startEmbeddedPostgres({ dataDir: extDir });
    const { port } = external;
    const base = external.url;
    await survives({
      name: 'ext',
      serveDir: fs.mkdtempSync(path.join(extDir, 'serve-')),
      databaseUrl: base,
      url: (db) => withDb(base, db),
      downState: 'unreachable',
      async kill() {
        // An operator restarts the server (fast shutdown: every session is ended), 3 s down.
        await external!.stop();
        await sleep(3000);
        external = await startEmbeddedPostgres({ dataDir: extDir, port });
      },
    });
    await stopServe();
  }, 180_000);
});
