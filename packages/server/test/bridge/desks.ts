/** Two real desks for bridge tests: `liandong serve` processes with their own databases, talking over loopback HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createTestDatabase, insertUsers, PASSWORD, USERS } from '../helpers.ts';
import { freePort } from '../ports.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');

export { freePort } from '../ports.ts';

export interface Desk {
  name: 'hotline' | 'dispatch';
  port: number;
  db: Awaited<ReturnType<typeof createTestDatabase>>;
  env: NodeJS.ProcessEnv;
  child: ChildProcess | null;
  output: string;
  start(): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: JSON answers are checked field by field
  api<T = any>(
    who: keyof typeof USERS,
    method: string,
    url: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }>;
}

export const KEYS = {
  h2d: ['h2d-1', 'hotline-to-dispatch-secret-0001'],
  d2h: ['d2h-1', 'dispatch-to-hotline-secret-0001'],
} as const;

export async function makeDesks(
  alg: 'hmac-sha256' | 'hmac-sm3' = 'hmac-sha256',
): Promise<{ hotline: Desk; dispatch: Desk; close(): Promise<void> }> {
  const [hp, dp] = [await freePort(), await freePort()];
  const make = async (name: 'hotline' | 'dispatch', port: number, peerPort: number): Promise<Desk> => {
    const db = await createTestDatabase();
    await insertUsers(db.db);
    const [outId, outKey] = name === 'hotline' ? KEYS.h2d : KEYS.d2h;
    const [inId, inKey] = name === 'hotline' ? KEYS.d2h : KEYS.h2d;
    const tokens = new Map<string, string>();
    const desk: Desk = {
      name,
      port,
      db,
      child: null,
      output: '',
      env: {
        ...process.env,
        DATABASE_URL: db.url,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        LIANDONG_DESK: name,
        LIANDONG_DESK_ID: name === 'hotline' ? 'cq-12345' : 'cq-110',
        BRIDGE_PEER_URL: `http://127.0.0.1:${peerPort}`,
        BRIDGE_PEER_ID: name === 'hotline' ? 'cq-110' : 'cq-12345',
        BRIDGE_KEY_ID: outId,
        BRIDGE_KEY: outKey,
        BRIDGE_INBOUND_KEYS: `${inId}=${inKey}`,
        BRIDGE_SIGNATURE: alg,
        BRIDGE_TIMEOUT_MS: '15000',
        DEADLINE_SWEEP_SECONDS: '1',
      },
      async start() {
        const child = spawn(process.execPath, [BIN, 'serve'], { env: desk.env, stdio: ['ignore', 'pipe', 'pipe'] });
        desk.child = child;
        child.stdout!.on('data', (c: Buffer) => (desk.output += c));
        child.stderr!.on('data', (c: Buffer) => (desk.output += c));
        for (let i = 0; i < 300; i++) {
          try {
            if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) return;
          } catch {
            /* starting */
          }
          if (child.exitCode !== null) throw new Error(`${name} exited: ${desk.output}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        throw new Error(`${name} did not start: ${desk.output}`);
      },
      async stop(signal = 'SIGTERM') {
        const c = desk.child;
        if (!c || c.exitCode !== null) return;
        const exited = new Promise((r) => c.once('exit', r));
        c.kill(signal);
        await exited;
        desk.child = null;
      },
      async api(who, method, url, body) {
        // A desk that died must fail here, not let a later server on its port answer for it.
        if (desk.child && desk.child.exitCode !== null)
          throw new Error(`${name} desk exited (${desk.child.exitCode}): ${desk.output.slice(-2000)}`);
        let token = tokens.get(who);
        if (!token) {
          const r = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: USERS[who].username, password: PASSWORD }),
          });
          token = ((await r.json()) as { token: string }).token;
          tokens.set(who, token);
        }
        const res = await fetch(`http://127.0.0.1:${port}${url}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const text = await res.text();
        return { status: res.status, json: text ? JSON.parse(text) : null };
      },
    };
    return desk;
  };
  const hotline = await make('hotline', hp, dp);
  const dispatch = await make('dispatch', dp, hp);
  await Promise.all([hotline.start(), dispatch.start()]);
  return {
    hotline,
    dispatch,
    async close() {
      await Promise.all([hotline.stop(), dispatch.stop()]);
      await hotline.db.drop();
      await dispatch.db.drop();
    },
  };
}

/** Polls until `check` passes (the other desk sees the message), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  let last: unknown;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`condition not met within ${ms} ms${last ? `: ${String(last)}` : ''}`);
}
