/**
 * Test database server: the machine's PostgreSQL when TEST_DATABASE_URL is set, else an embedded
 * server in a temporary folder. One template database is migrated and seeded once; each test file
 * clones it (CREATE DATABASE … TEMPLATE), so every file starts from a fresh, clean database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { loadKeyring } from '../src/crypto/pii.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/db/embedded.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPool } from '../src/db/pool.ts';
import { seedReference } from '../src/reference/seed-reference.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminUrl: string;
    templateDb: string;
    dbPrefix: string;
    testServer: 'embedded' | 'external';
  }
}

function withDatabase(url: string, db: string): string {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
}

export default async function setup(project: TestProject) {
  let embedded: EmbeddedServer | null = null;
  let tmp: string | null = null;
  let adminUrl = process.env.TEST_DATABASE_URL?.trim();
  if (!adminUrl) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-test-'));
    embedded = await startEmbeddedPostgres({ dataDir: tmp });
    adminUrl = embedded.adminUrl;
  }
  // the keys of personal data at rest, the way a fresh clone gets them: a key file made on first use
  // (0600), here in a folder of the run's own (the workers inherit PII_KEY_FILE)
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-test-keys-'));
  if (!process.env.PII_KEYS) process.env.PII_KEY_FILE = path.join(keyDir, 'pii-keys.json');
  loadKeyring();
  const prefix = `lt${process.pid}_`;
  const templateDb = `${prefix}template`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDb}`);
  await admin.query(`CREATE DATABASE ${templateDb}`);
  const pool = createPool(withDatabase(adminUrl, templateDb), 2);
  await migrate(pool);
  await seedReference(pool);
  await pool.end();
  await admin.query(`ALTER DATABASE ${templateDb} WITH IS_TEMPLATE true`);

  project.provide('adminUrl', adminUrl);
  project.provide('templateDb', templateDb);
  project.provide('dbPrefix', prefix);
  project.provide('testServer', embedded ? 'embedded' : 'external');

  return async () => {
    const dbs = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${prefix}%`,
    ]);
    for (const { datname } of dbs.rows) {
      await admin.query(`ALTER DATABASE ${datname} WITH IS_TEMPLATE false`).catch(() => undefined);
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
    await embedded?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    fs.rmSync(keyDir, { recursive: true, force: true });
  };
}
