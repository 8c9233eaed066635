/** Opens Liandong's database: the embedded server unless DATABASE_URL names one; migrated and seeded. */
import type { Config } from '../config.ts';
import { seedReference } from '../reference/seed-reference.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.ts';
import { migrate } from './migrate.ts';
import { createPool, type Db } from './pool.ts';

export interface Database {
  db: Db;
  url: string;
  embedded: EmbeddedServer | null;
  close(): Promise<void>;
}

export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'embeddedPgPort' | 'poolSize'>, log: (m: string) => void): Promise<Database> {
  const embedded = config.databaseUrl ? null : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPgPort, log });
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
    async close() {
      await db.end().catch(() => undefined);
      await embedded?.stop();
    },
  };
}
