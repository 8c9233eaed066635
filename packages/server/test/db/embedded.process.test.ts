/**
 * The embedded PostgreSQL in real life, with real processes: `liandong serve` killed with SIGKILL,
 * two servers on one data folder, running as root, and an acknowledged write surviving a crash.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { sampleOrder } from '../helpers.ts';
import { freePort } from '../ports.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
let dataDir: string;
const children: ChildProcess[] = [];

function start(args: string[], port: number) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LIANDONG_DATA_DIR: dataDir,
      DATABASE_URL: '',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitHealthy(port: number, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no /health on ${port}`);
}

function postmasterPid(): number {
  return Number(fs.readFileSync(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z');
  } catch {
    return false;
  }
};

async function login(port: number): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'hotline01', password: 'Liandong@2026' }),
  });
  return ((await res.json()) as { token: string }).token;
}

beforeAll(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-proc-'));
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  try {
    const pid = postmasterPid();
    if (alive(pid)) process.kill(pid, 'SIGQUIT');
  } catch {
    /* stopped */
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

// These start the embedded server themselves; they run once, in the embedded pass of the suite.
describe.skipIf(inject('testServer') === 'external')('embedded PostgreSQL survives real life', () => {
  it('serve starts on a fresh folder, a second serve on the same folder is refused, SIGKILL then restart recovers, and an acknowledged write survives a crash', async () => {
    const port = await freePort();
    const first = start(['serve', '--demo'], port);
    await waitHealthy(port);
    const pg1 = postmasterPid();

    // Running as root, PostgreSQL runs as an unprivileged user.
    if (process.getuid?.() === 0) {
      const uid = Number(fs.readFileSync(`/proc/${pg1}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)![1]);
      expect(uid).not.toBe(0);
    }

    // A second Liandong on the same data folder gets a clear error and leaves the first alone.
    const second = start(['serve'], await freePort());
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('DATA_DIR_IN_USE');
    expect((await fetch(`http://127.0.0.1:${port}/health`)).ok).toBe(true);

    // An acknowledged work order …
    const token = await login(port);
    const created = await fetch(`http://127.0.0.1:${port}/api/work-orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(sampleOrder({ clientRef: 'crash-test-1' })),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // … then Liandong is killed with SIGKILL: its PostgreSQL is orphaned, still running.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(alive(pg1)).toBe(true);
    // and the orphan crashes too (power-cut-like: no shutdown checkpoint)
    process.kill(pg1, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));

    // The next start recovers without manual steps, and the acknowledged order is there.
    const port2 = await freePort();
    const third = start(['serve'], port2);
    // Crash recovery on a loaded CI machine (the suite's other files running beside it) has taken over 90 s;
    // what is asserted is that it recovers by itself, so it gets longer, and a failure shows what it printed.
    await waitHealthy(port2, 180_000).catch((err: Error) => {
      throw new Error(`${err.message}; the restarted serve printed:\n${third.output().slice(-4000)}`);
    });
    expect(postmasterPid()).not.toBe(pg1);
    const token2 = await login(port2);
    const got = await fetch(`http://127.0.0.1:${port2}/api/work-orders/${id}`, {
      headers: { authorization: `Bearer ${token2}` },
    });
    expect(got.status).toBe(200);

    // SIGKILL again, leaving the orphan running this time: the next start stops and replaces it.
    const pg2 = postmasterPid();
    third.child.kill('SIGKILL');
    await third.exited;
    expect(alive(pg2)).toBe(true);
    const port3 = await freePort();
    const fourth = start(['serve'], port3);
    await waitHealthy(port3, 180_000).catch((err: Error) => {
      throw new Error(`${err.message}; the restarted serve printed:\n${fourth.output().slice(-4000)}`);
    });
    expect(alive(pg2)).toBe(false);
    expect(fourth.output()).toContain('orphaned PostgreSQL');

    // A clean stop stops PostgreSQL and releases the folder.
    const pg3 = postmasterPid();
    fourth.child.kill('SIGTERM');
    const said = () => `the stopped serve printed:\n${fourth.output().slice(-4000)}`;
    expect(await fourth.exited, said()).toBe(0);
    expect(alive(pg3), said()).toBe(false);
    const lock = path.join(dataDir, 'liandong.lock');
    // (CI once saw the lock still there after a clean exit: say whose it is)
    const lockSays = () => (fs.existsSync(lock) ? fs.readFileSync(lock, 'utf8') : '');
    expect(fs.existsSync(lock), `lock ${lockSays()} (serve pid ${fourth.child.pid}); ${said()}`).toBe(false);
  }, 600_000);
});

describe('the CLI', () => {
  const run = (args: string[]) =>
    new Promise<{ code: number | null; out: string }>((resolve) => {
      const c = spawn(process.execPath, [BIN, ...args], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, LIANDONG_DATA_DIR: dataDir },
      });
      let out = '';
      c.stdout.on('data', (d: Buffer) => (out += d));
      c.stderr.on('data', (d: Buffer) => (out += d));
      c.on('exit', (code) => resolve({ code, out }));
    });
  it('prints help in Chinese', async () => {
    const r = await run(['help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('用法：npx liandong');
  });
  it('refuses an unknown command and bad options with a code', async () => {
    expect((await run(['frobnicate'])).code).toBe(2);
    const bad = await run(['seed-demo', '--orders', 'many']);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('CONFIG_INVALID');
    const unknown = await run(['serve', '--colour']);
    expect(unknown.code).toBe(1);
    expect(unknown.out).toContain('ERR_PARSE_ARGS_UNKNOWN_OPTION');
  });
});
