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
  desk: 'hotline' | 'dispatch' | 'both';
  deskId: string;
  bridge: BridgeConfig | null;
  /** `both` only: the port of the 110 desk (the 12345 desk listens on PORT). */
  dispatchPort: number;
  /** The desk's switch (SIP on UDP and TCP); null: telephony is off. */
  sip: SipConfig | null;
  /** A city's own geocoding service for the public channel (the shipped reference data otherwise). */
  geocoderUrl: string | null;
}

/** SIP_PORT (UDP and TCP, on SIP_HOST or HOST); in `both` the 110 desk on SIP_PORT+1; SIP_PEER the peer desk's host:port. */
export interface SipConfig {
  host: string;
  port: number;
  peer: { host: string; port: number; protocol: 'UDP' | 'TCP' } | null;
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
    sessionTtlHours: int(env, 'SESSION_TTL_HOURS', 12, 1, 24 * 30),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 64 * 1024 * 1024),
    poolSize: int(env, 'DATABASE_POOL_SIZE', 20, 1, 500),
    geocoderUrl: env.GEOCODER_URL?.trim() || null,
    ...desk(env),
    bridge: loadBridge(env),
    dispatchPort: int(env, 'DISPATCH_PORT', env.PORT && env.PORT !== '0' ? Number(env.PORT) + 1 : 3001, 0, 65535),
    sip: loadSip(env),
  };
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
  return { host: env.SIP_HOST?.trim() || env.HOST?.trim() || '127.0.0.1', port, peer };
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
