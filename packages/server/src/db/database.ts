/** Opens Liandong's database: the embedded server unless DATABASE_URL names one; migrated and seeded. */
import type { Config } from '../config.ts';
import { seedReference } from '../reference/seed-reference.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { migrate } from './migrate.ts';
import { createPool, type Db } from './pool.ts';

/** `up`: the server should answer (a failing query then means it is unreachable); `restarting`: the
 * supervisor is starting the dead embedded server again (embedded.ts). */
export type DatabaseState = 'up' | 'restarting';

export interface Database {
  db: Db;
  url: string;
  embedded: EmbeddedServer | null;
  state(): DatabaseState;
  close(): Promise<void>;
}

/** The URL of another database on the same server (created when missing): the 110 desk's in `both`. */
export async function siblingDatabase(
  url: string,
  name: string,
  log: (m: string) => void,
): Promise<{ db: Db; url: string }> {
  const u = new URL(url);
  const adminUrl = new URL(url);
  adminUrl.pathname = '/postgres';
  const admin = createPool(adminUrl.toString(), 1);
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) {
      log(`creating database ${name}`);
      await admin.query(`CREATE DATABASE ${name.replace(/[^a-z0-9_]/g, '')}`);
    }
  } finally {
    await admin.end();
  }
  u.pathname = `/${name}`;
  const db = createPool(u.toString(), 10);
  await migrate(db, log);
  await seedReference(db);
  return { db, url: u.toString() };
}

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort' | 'poolSize'>,
  log: (m: string) => void,
): Promise<Database> {
  const embedded = config.databaseUrl
    ? null
    : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
  const url = config.databaseUrl ?? embedded!.url;
  const db = createPool(url, config.poolSize);
  try {
    const version = await db.query<{ v: number }>("SELECT current_setting('server_version_num')::int AS v");
    if ((version.rows[0]?.v ?? 0) < 150000) throw new Error('联动需要 PostgreSQL 15 或更高版本');
    await migrate(db, log);
    await seedReference(db);
  } catch (err) {
    await db.end().catch(() => undefined);
    await embedded?.stop();
    throw err;
  }
  return {
    db,
    url,
    embedded,
    state: () => (embedded?.state === 'restarting' ? 'restarting' : 'up'),
    async close() {
      await db.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
