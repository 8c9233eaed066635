/** Deployment settings: environment variables, parsed once at start (business knobs live in the database). */
import path from 'node:path';
import { ROLES, type Role } from '@liandong/domain';
import { RETENTION_DEFAULTS, type RetentionPolicy } from './crypto/retention-policy.ts';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | null;
  dataDir: string;
  embeddedPgPort: number | null;
  logLevel: string;
  deadlineSweepMs: number;
  /** How often the audit chain is sealed (AUDIT_SEAL_SECONDS). */
  auditSealMs: number;
  /** How often the report deltas are folded into the day summaries (REPORT_FOLD_SECONDS). */
  reportFoldMs: number;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  poolSize: number;
  desk: 'hotline' | 'dispatch' | 'both';
  deskId: string;
  bridge: BridgeConfig | null;
  /** `both` only: the port of the 110 desk (the 12345 desk listens on PORT). */
  dispatchPort: number;
  /** The desk's switch (SIP on UDP and TCP); null: telephony is off. */
  sip: SipConfig | null;
  /** A city's own geocoding service for the public channel (the shipped reference data otherwise). */
  geocoderUrl: string | null;
  /** Log-in hardening: lock-out, rate limit, idle timeout, second factor, password policy (docs/security.md). */
  auth: AuthConfig;
  /** Who may read /metrics and /docs, and which proxy's X-Forwarded-For to trust. */
  exposure: ExposureConfig;
  /** How long personal data is kept once its matter is over, and how often the purge runs (docs/security.md). */
  retention: RetentionPolicy & { purgeMs: number };
  /** Hours after which an unanswered 回访 survey is reminded of, once (SURVEY_REMINDER_HOURS; 0: never). */
  surveyReminderHours: number;
}

/**
 * Authentication settings. The defaults suit a deployment and keep the demo and the tests working
 * (a lock-out takes several wrong passwords of one account; TOTP is offered, not required).
 */
export interface AuthConfig {
  /** Wrong passwords (or codes) of one account name within lockoutMinutes that lock it; 0: never. */
  lockoutThreshold: number;
  /** How long a lock-out lasts, and the window the failures are counted in. */
  lockoutMinutes: number;
  /** Failed log-ins from one client address within lockoutMinutes that lock the address; 0: never. */
  addressLockoutThreshold: number;
  /** Log-in attempts (right or wrong) from one address per minute; 0: no limit. */
  loginRatePerMinute: number;
  /** A session unused this long ends (besides SESSION_TTL_HOURS); 0: no idle timeout. */
  idleMinutes: number;
  /** `required`: the roles in totpRoles must enrol and give a code at log-in; `optional`: whoever enrolled gives one. */
  totp: 'optional' | 'required';
  totpRoles: Role[];
  passwordMinLength: number;
  /** Of lower-case letters, upper-case letters, digits and other characters, how many a password must mix. */
  passwordMinClasses: number;
}

export const AUTH_DEFAULTS: AuthConfig = {
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  addressLockoutThreshold: 50,
  loginRatePerMinute: 60,
  idleMinutes: 30,
  totp: 'optional',
  totpRoles: ['supervisor', 'admin'],
  passwordMinLength: 10,
  passwordMinClasses: 3,
};

/** `open`: anyone; `login`: a session of an administrator or supervisor (Bearer); `off`: not served. */
export type Access = 'open' | 'login' | 'off';
export interface ExposureConfig {
  metrics: Access;
  docs: 'open' | 'off';
  /** Fastify's trustProxy: the reverse proxies (addresses or CIDRs, comma-separated) whose X-Forwarded-For is believed. */
  trustProxy: string | boolean;
}
export const EXPOSURE_DEFAULTS: ExposureConfig = { metrics: 'open', docs: 'open', trustProxy: false };

/**
 * SIP_PORT (UDP and TCP, on SIP_HOST or HOST); in `both` the 110 desk on SIP_PORT+1; SIP_PEER the peer desk's host:port;
 * SIP_TRANSFER_RING_SECONDS how long a transfer rings (5–300, 30).
 */
export interface SipConfig {
  host: string;
  port: number;
  peer: { host: string; port: number; protocol: 'UDP' | 'TCP' } | null;
  /** How long a transfer rings the target before it is given up and the call stays with the seat (30 s). */
  transferRingSeconds?: number;
}

/** The peer desk and the keys of each direction (bridge-protocol.md: keys per peer pair and direction). */
export interface BridgeConfig {
  peerUrl: string;
  peerId: string;
  keyId: string;
  key: string;
  inboundKeys: Map<string, string>;
  alg: 'hmac-sha256' | 'hmac-sm3';
  acceptMinutes: number;
  negotiationMinutes: number;
  timeoutMs: number;
  /**
   * The sharing key (BRIDGE_SHARE_KEY) both desks hold for the analysis feed's pseudonyms alone
   * (`callerKey`, `placeKey`: HMAC-SM3, bridge-protocol.md, rotated yearly); absent: the feed carries none.
   */
  shareKey?: string | null;
}

/**
 * The desks' names on the wire (bridge-protocol.md: `from`/`to`), unless LIANDONG_DESK_ID names another.
 * `cq-` is Chongqing (渝); the number is the desk's public line.
 */
export const DEFAULT_DESK_IDS = { hotline: 'cq-12345', dispatch: 'cq-110' } as const;

/**
 * Bridge timing, Liandong's defaults (the plan, 二(二)1, asks for prompt transfer and a negotiated
 * receiver but names no minutes; a deployment sets its own with the BRIDGE_* variables):
 * - acceptMinutes: an item not signed for (签收) within it is flagged for supervision (督办);
 * - negotiationMinutes: a negotiation undecided after it leaves the item with the first receiver (首接负责);
 * - timeoutMs: one delivery attempt to the peer; the outbox retries after it.
 */
export const BRIDGE_DEFAULTS = { acceptMinutes: 30, negotiationMinutes: 120, timeoutMs: 5000 } as const;

/**
 * A partner line (119, 120, the utilities, 综治中心, 挪车) signs for a transfer within this many minutes
 * at most, whatever the desk's own accept-by time: these lines answer danger and blocked exits, where a
 * half-hour queue is not acceptable (Liandong's cap; a deployment may lower BRIDGE_ACCEPT_MINUTES below it).
 */
export const CONNECTOR_ACCEPT_MINUTES_MAX = 10;

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`配置项 ${name} 须为 ${min}–${max} 之间的整数，当前为 “${raw}”`);
  return n;
}

function parseKeys(raw: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean)) {
    const i = part.indexOf('=');
    if (i <= 0 || i === part.length - 1)
      throw new ConfigError('配置项 BRIDGE_INBOUND_KEYS 的格式为 keyId=密钥,keyId2=密钥2');
    keys.set(part.slice(0, i), part.slice(i + 1));
  }
  return keys;
}

function loadBridge(env: NodeJS.ProcessEnv): BridgeConfig | null {
  const peerUrl = env.BRIDGE_PEER_URL?.trim();
  if (!peerUrl) return null;
  if (!/^(https?|inproc):\/\//.test(peerUrl))
    throw new ConfigError('配置项 BRIDGE_PEER_URL 须以 http:// 或 https:// 开头');
  const need = (n: string) => {
    const v = env[n]?.trim();
    if (!v) throw new ConfigError(`已设置 BRIDGE_PEER_URL，还须设置 ${n}`);
    return v;
  };
  const alg = env.BRIDGE_SIGNATURE?.trim() || 'hmac-sha256';
  if (alg !== 'hmac-sha256' && alg !== 'hmac-sm3')
    throw new ConfigError('配置项 BRIDGE_SIGNATURE 须为 hmac-sha256 或 hmac-sm3');
  return {
    peerUrl: peerUrl.replace(/\/$/, ''),
    peerId: need('BRIDGE_PEER_ID'),
    keyId: need('BRIDGE_KEY_ID'),
    key: need('BRIDGE_KEY'),
    inboundKeys: parseKeys(need('BRIDGE_INBOUND_KEYS')),
    alg,
    acceptMinutes: int(env, 'BRIDGE_ACCEPT_MINUTES', BRIDGE_DEFAULTS.acceptMinutes, 1, 10080),
    negotiationMinutes: int(env, 'BRIDGE_NEGOTIATION_MINUTES', BRIDGE_DEFAULTS.negotiationMinutes, 1, 10080),
    timeoutMs: int(env, 'BRIDGE_TIMEOUT_MS', BRIDGE_DEFAULTS.timeoutMs, 100, 120_000),
    shareKey: env.BRIDGE_SHARE_KEY?.trim() || null,
  };
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
    auditSealMs: int(env, 'AUDIT_SEAL_SECONDS', 5, 1, 3600) * 1000,
    reportFoldMs: int(env, 'REPORT_FOLD_SECONDS', 5, 1, 3600) * 1000,
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    poolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    geocoderUrl: env.GEOCODER_URL?.trim() || null,
    ...desk(env),
    bridge: loadBridge(env),
    dispatchPort: int(env, 'DISPATCH_PORT', env.PORT && env.PORT !== '0' ? Number(env.PORT) + 1 : 3001, 0, 65535),
    sip: loadSip(env),
    auth: loadAuth(env),
    exposure: loadExposure(env),
    retention: loadRetention(env),
    surveyReminderHours: int(env, 'SURVEY_REMINDER_HOURS', 48, 0, 24 * 30),
  };
}

export function loadRetention(env: NodeJS.ProcessEnv): RetentionPolicy & { purgeMs: number } {
  const days = (name: string, d: number) => int(env, name, d, 1, 36_500);
  return {
    callerDays: days('RETAIN_CALLER_DAYS', RETENTION_DEFAULTS.callerDays),
    callDays: days('RETAIN_CALL_DAYS', RETENTION_DEFAULTS.callDays),
    smsDays: days('RETAIN_SMS_DAYS', RETENTION_DEFAULTS.smsDays),
    linkageDays: days('RETAIN_LINKAGE_CALLBACK_DAYS', RETENTION_DEFAULTS.linkageDays),
    purgeMs: int(env, 'RETENTION_PURGE_HOURS', 24, 1, 24 * 30) * 3_600_000,
  };
}

function loadAuth(env: NodeJS.ProcessEnv): AuthConfig {
  const totp = env.AUTH_TOTP?.trim() || AUTH_DEFAULTS.totp;
  if (totp !== 'optional' && totp !== 'required') throw new ConfigError('配置项 AUTH_TOTP 须为 optional 或 required');
  const rolesRaw = env.AUTH_TOTP_ROLES?.trim();
  const totpRoles = rolesRaw
    ? rolesRaw
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean)
    : AUTH_DEFAULTS.totpRoles;
  for (const r of totpRoles)
    if (!(ROLES as readonly string[]).includes(r))
      throw new ConfigError(`配置项 AUTH_TOTP_ROLES 含未知角色 “${r}”（可用：${ROLES.join(', ')}）`);
  return {
    lockoutThreshold: int(env, 'AUTH_LOCKOUT_THRESHOLD', AUTH_DEFAULTS.lockoutThreshold, 0, 1000),
    lockoutMinutes: int(env, 'AUTH_LOCKOUT_MINUTES', AUTH_DEFAULTS.lockoutMinutes, 1, 24 * 60),
    addressLockoutThreshold: int(
      env,
      'AUTH_ADDRESS_LOCKOUT_THRESHOLD',
      AUTH_DEFAULTS.addressLockoutThreshold,
      0,
      100_000,
    ),
    loginRatePerMinute: int(env, 'AUTH_LOGIN_RATE_PER_MINUTE', AUTH_DEFAULTS.loginRatePerMinute, 0, 100_000),
    idleMinutes: int(env, 'SESSION_IDLE_MINUTES', AUTH_DEFAULTS.idleMinutes, 0, 24 * 60),
    totp,
    totpRoles: totpRoles as Role[],
    passwordMinLength: int(env, 'PASSWORD_MIN_LENGTH', AUTH_DEFAULTS.passwordMinLength, 8, 128),
    passwordMinClasses: int(env, 'PASSWORD_MIN_CLASSES', AUTH_DEFAULTS.passwordMinClasses, 1, 4),
  };
}

/**
 * /metrics and /docs: open by default (the demo, development); with NODE_ENV=production /metrics needs
 * a log-in and /docs is off unless METRICS_ACCESS / DOCS_ACCESS say otherwise.
 */
function loadExposure(env: NodeJS.ProcessEnv): ExposureConfig {
  const production = env.NODE_ENV?.trim() === 'production';
  const metrics = env.METRICS_ACCESS?.trim() || (production ? 'login' : 'open');
  if (metrics !== 'open' && metrics !== 'login' && metrics !== 'off')
    throw new ConfigError('配置项 METRICS_ACCESS 须为 open、login 或 off');
  const docs = env.DOCS_ACCESS?.trim() || (production ? 'off' : 'open');
  if (docs !== 'open' && docs !== 'off') throw new ConfigError('配置项 DOCS_ACCESS 须为 open 或 off');
  const tp = env.TRUST_PROXY?.trim();
  const trustProxy = !tp || tp === 'false' ? false : tp === 'true' ? true : tp;
  return { metrics, docs, trustProxy };
}

function loadSip(env: NodeJS.ProcessEnv): SipConfig | null {
  if (!env.SIP_PORT?.trim()) return null;
  const port = int(env, 'SIP_PORT', 5060, 1, 65534);
  const peerRaw = env.SIP_PEER?.trim();
  let peer: SipConfig['peer'] = null;
  if (peerRaw) {
    const m = /^(?:(udp|tcp):)?([^:\s]+):(\d{1,5})$/i.exec(peerRaw);
    if (!m || Number(m[3]) > 65535) throw new ConfigError('配置项 SIP_PEER 的格式为 主机:端口（可加 tcp: 前缀）');
    peer = { host: m[2]!, port: Number(m[3]), protocol: m[1]?.toLowerCase() === 'tcp' ? 'TCP' : 'UDP' };
  }
  const transferRingSeconds = int(env, 'SIP_TRANSFER_RING_SECONDS', 30, 5, 300);
  return { host: env.SIP_HOST?.trim() || env.HOST?.trim() || '127.0.0.1', port, peer, transferRingSeconds };
}

function desk(env: NodeJS.ProcessEnv): { desk: Config['desk']; deskId: string } {
  const d = env.LIANDONG_DESK?.trim() || 'both';
  if (d !== 'hotline' && d !== 'dispatch' && d !== 'both')
    throw new ConfigError('配置项 LIANDONG_DESK 须为 hotline、dispatch 或 both');
  return {
    desk: d,
    deskId: env.LIANDONG_DESK_ID?.trim() || DEFAULT_DESK_IDS[d === 'dispatch' ? 'dispatch' : 'hotline'],
  };
}
