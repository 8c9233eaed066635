import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/liandong.mjs');
const ARGS = [
  'connector-receiver',
  '--id',
  'fire-119',
  '--port',
  '0',
  '--desk-url',
  'http://127.0.0.1:9',
  '--desk-id',
  'cq-110',
  '--key-id',
  'c2d',
  '--key',
  'k'.repeat(32),
  '--desk-key-id',
  'd2c',
  '--desk-key',
  'd'.repeat(32),
];

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function gone(pid: number, ms: number): Promise<boolean> {
  for (const until = Date.now() + ms; Date.now() < until;) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

describe('the reference connector receiver does not outlive its desk', () => {
  it('exits promptly on SIGTERM even while a client holds a connection open mid-request', async () => {
    const child = spawn(process.execPath, [BIN, ...ARGS], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /http:\/\/[\d.]+:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', () => reject(new Error(`receiver exited early: ${out}`)));
    });
    // Half a request: the server holds this connection as active, which would keep a plain close() waiting.
    const sock = net.connect(port, '127.0.0.1');
    await new Promise((r) => sock.once('connect', r));
    sock.write('POST /bridge/v1/messages HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{');
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    expect(await gone(child.pid!, 3000)).toBe(true);
    sock.destroy();
  });

  // The parent names itself (--parent-pid), as `serve --demo` does.
  const spawnFromParent = (killParentAt: 'once-started' | 'at-once') =>
    spawn(
      process.execPath,
      [
        '-e',
        `
    const { spawn } = require('node:child_process');
    const c = spawn(process.execPath, ${JSON.stringify([BIN, ...ARGS, '--parent-pid'])}.concat(String(process.pid)), { stdio: 'ignore' });
    console.log(c.pid);
    ${killParentAt === 'at-once' ? "process.kill(process.pid, 'SIGKILL');" : 'setInterval(() => {}, 1000);'}
  `,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
  const childPid = (parent: ReturnType<typeof spawn>) =>
    new Promise<number>((resolve) => parent.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  const pids: number[] = [];
  afterEach(() => {
    for (const pid of pids.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }); // a failing run leaves nothing behind

  it('with --parent-pid, exits when its parent is killed with SIGKILL', async () => {
    const parent = spawnFromParent('once-started');
    const pid = await childPid(parent);
    pids.push(pid);
    await new Promise((r) => setTimeout(r, 1500)); // let it start
    expect(alive(pid)).toBe(true);
    parent.kill('SIGKILL');
    expect(await gone(pid, 6000)).toBe(true);
  });

  it('with --parent-pid, exits even when the parent was killed before the receiver had started', async () => {
    const parent = spawnFromParent('at-once');
    const pid = await childPid(parent);
    pids.push(pid);
    await new Promise((r) => parent.once('exit', r));
    expect(await gone(pid, 10_000)).toBe(true);
  });
});
