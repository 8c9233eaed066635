import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { Role } from '@liandong/domain';
import { buildApp, type AppOptions } from '../src/app.ts';
import { hashPassword } from '../src/auth/passwords.ts';
import { createPool, type Db } from '../src/db/pool.ts';

export const PASSWORD = 'test-password-1';
let passwordHash: Promise<string> | null = null;

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template; dropped by `drop()`. */
export async function createTestDatabase(): Promise<{ db: Db; url: string; name: string; drop(): Promise<void> }> {
  const adminUrl = inject('adminUrl');
  const name = `${inject('dbPrefix')}${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDb')}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const db = createPool(url, 10);
  return {
    db,
    url,
    name,
    async drop() {
      await db.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export interface TestUser {
  username: string;
  role: Role;
  unitId?: string;
  districtCode?: string;
}

export const USERS = {
  callTaker: { username: 'ct1', role: 'call_taker' },
  dispatcher: { username: 'dp1', role: 'dispatcher', unitId: 'police.command' },
  seat: { username: 'seat1', role: 'specialist_seat' },
  yuzhong: { username: 'yz1', role: 'district_agency', unitId: 'd500103.agency', districtCode: '500103' },
  jiangbei: { username: 'jb1', role: 'district_agency', unitId: 'd500105.agency', districtCode: '500105' },
  chengguan: { username: 'cg1', role: 'department_handler', unitId: 'd500103.urban-mgmt', districtCode: '500103' },
  housing: { username: 'zj1', role: 'department_handler', unitId: 'd500103.housing', districtCode: '500103' },
  supervisor: { username: 'sv1', role: 'supervisor' },
  analyst: { username: 'an1', role: 'analyst' },
  admin: { username: 'ad1', role: 'admin' },
} as const satisfies Record<string, TestUser>;

export async function insertUsers(db: Db): Promise<void> {
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  for (const u of Object.values(USERS) as TestUser[]) {
    await db.query(
      'INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code) VALUES ($1, $2, $3, $4, $5, $6)',
      [u.username, `测试${u.username}`, hash, u.role, u.unitId ?? null, u.districtCode ?? null],
    );
  }
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

/** The real app on a fresh database, with one user per role and a token for each (`config`: e.g. a bridge). */
/**
 * A hotline desk's bridge to a peer that is never reached (port 9, discard): what a transfer sends stays in
 * the outbox, for tests of what the desk writes.
 */
export const UNREACHED_PEER_BRIDGE = {
  peerUrl: 'http://127.0.0.1:9',
  peerId: 'cq-110',
  keyId: 'h2d-1',
  key: 'hotline-to-dispatch-secret-0001',
  inboundKeys: new Map([['d2h-1', 'dispatch-to-hotline-secret-0001']]),
  alg: 'hmac-sha256' as const,
  acceptMinutes: 30,
  negotiationMinutes: 120,
  timeoutMs: 1000,
};

export async function createTestApp(config: Partial<AppOptions['config']> = {}) {
  const database = await createTestDatabase();
  await insertUsers(database.db);
  const app = await buildApp({
    db: database.db,
    config: { sessionTtlHours: 1, bodyLimitBytes: 1024 * 1024, logLevel: 'warn', ...config },
    logger: false,
  });
  const tokens = {} as Record<keyof typeof USERS, string>;
  for (const [key, u] of Object.entries(USERS)) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${u.username}: ${res.body}`);
    tokens[key as keyof typeof USERS] = res.json<{ token: string }>().token;
  }
  const as = (who: keyof typeof USERS) => ({ authorization: `Bearer ${tokens[who]}` });
  return {
    app,
    db: database.db,
    url: database.url,
    tokens,
    as,
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

/** Counts rows of the tables a write touches, to prove a refused request changed nothing. */
export async function rowCounts(db: Db): Promise<Record<string, number>> {
  const tables = [
    'callers',
    'requests',
    'work_orders',
    'work_order_actions',
    'incidents',
    'incident_actions',
    'users',
    'calendar_days',
    'time_limits',
    'admin_audit',
    'triage_catalogue_versions',
    'work_order_attachments',
    'reminders',
  ];
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n;
  return out;
}

export const sampleOrder = (over: Record<string, unknown> = {}) => ({
  channel: 'phone_12345',
  caller: { name: '张三', phone: '13812345678' },
  content: '来电人反映渝中区解放碑街道八一路口每天晚上有流动摊贩占道经营，堵塞人行道。',
  address: '渝中区八一路',
  districtCode: '500103',
  streetCode: '500103003',
  orderType: 'complaint',
  categoryCode: 'CSGL01',
  ...over,
});

/** A 110 incident as a dispatcher registers it: a fight with someone hurt. */
export const sampleIncident = (over: Record<string, unknown> = {}) => ({
  caller: { name: '李四', phone: '13900001111' },
  content: '报警人称在解放碑步行街有人打架，有人受伤',
  address: '渝中区解放碑步行街',
  districtCode: '500103',
  streetCode: '500103003',
  category: 'public_order',
  priority: 1,
  ...over,
});
