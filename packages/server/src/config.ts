/** Deployment settings: environment variables, parsed once at start (business knobs live in the database). */
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number | null;
  logLevel: string;
  deadlineSweepMs: number;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  poolSize: number;
}

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`配置项 ${name} 须为 ${min}–${max} 之间的整数，当前为 “${raw}”`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('配置项 DATABASE_URL 须以 postgres:// 或 postgresql:// 开头');
  }
  return {
    port: int(env, 'PORT', 3000, 0, 65535),
    host: env.HOST?.trim() || '127.0.0.1',
    databaseUrl,
    dataDir: path.resolve(env.LIANDONG_DATA_DIR?.trim() || 'data'),
    embeddedPgPort: env.EMBEDDED_PG_PORT ? int(env, 'EMBEDDED_PG_PORT', 0, 1, 65535) : null,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    deadlineSweepMs: int(env, 'DEADLINE_SWEEP_SECONDS', 30, 1, 86400) * 1000,
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    poolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
  };
}
