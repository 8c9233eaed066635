/**
 * Browser tests run against the real thing: the console is built (if stale) and `liandong serve --demo`
 * starts both desks (12345 and 110) on free loopback ports with their own embedded PostgreSQL in a
 * temporary folder, exactly as `npm start` does. Chromium comes from Debian (/usr/bin/chromium).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { freeSipPort, sipPortFree } from '../../server/test/telephony/sipp.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    hotlineUrl: string;
    dispatchUrl: string;
    chromium: string;
    shotsDir: string;
    /** the 12345 desk's SIP port (the 110 desk's is one more) */
    sipPort: number;
  }
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

async function healthy(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const until = Date.now() + 180_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`liandong exited (${child.exitCode}):\n${log()}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`no /health at ${url} after 180 s:\n${log()}`);
}

export default async function setup(project: TestProject) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium))
    throw new Error(`Chromium not found at ${chromium}: apt-get install -y chromium (.ci/run does this)`);
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-console.mjs')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('console build failed');

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-browser-'));
  // Two consecutive free ports: the 110 desk listens on PORT+1 unless DISPATCH_PORT says otherwise.
  const [port, dport] = [await freePort(), await freePort()];
  // The desks' switches: 12345 on SIP_PORT, 110 on SIP_PORT+1 (both free for UDP and TCP).
  let sipPort = await freeSipPort();
  while (!(await sipPortFree(sipPort + 1))) sipPort = await freeSipPort();
  let out = '';
  const child = spawn(process.execPath, [path.join(root, 'packages/server/bin/liandong.mjs'), 'serve', '--demo'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      DISPATCH_PORT: String(dport),
      SIP_PORT: String(sipPort),
      HOST: '127.0.0.1',
      LIANDONG_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const hotlineUrl = `http://127.0.0.1:${port}`,
    dispatchUrl = `http://127.0.0.1:${dport}`;
  await healthy(hotlineUrl, child, () => out);
  await healthy(dispatchUrl, child, () => out);

  const shotsDir = path.join(root, 'test-output/browser');
  fs.mkdirSync(shotsDir, { recursive: true });
  project.provide('hotlineUrl', hotlineUrl);
  project.provide('dispatchUrl', dispatchUrl);
  project.provide('chromium', chromium);
  project.provide('shotsDir', shotsDir);
  project.provide('sipPort', sipPort);

  return async () => {
    child.kill('SIGTERM');
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, 20_000);
      child.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
}
