import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { createTestDatabase } from '../helpers.ts';

let app: Awaited<ReturnType<typeof buildApp>>;
let drop: () => Promise<void>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-console-'));

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>联动工作台</title>');
  fs.writeFileSync(path.join(dir, 'assets/app-1a2b.js'), 'console.log(1)');
  const d = await createTestDatabase();
  drop = d.drop;
  app = await buildApp({
    db: d.db,
    config: { sessionTtlHours: 1, bodyLimitBytes: 1 << 20, logLevel: 'warn' },
    logger: false,
    consoleDir: dir,
  });
});
afterAll(async () => {
  await app?.close();
  await drop?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('the built console is served by the server', () => {
  it("at / and at the console's own paths (a reload of /linkage), revalidated; hashed assets are cached for good", async () => {
    for (const url of ['/', '/linkage', '/work-orders?page=2']) {
      const res = await app.inject({ url, headers: { accept: 'text/html,application/xhtml+xml' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('联动工作台');
    }
    const index = await app.inject({ url: '/' });
    expect(index.headers['cache-control']).toBe('no-cache');
    const asset = await app.inject({ url: '/assets/app-1a2b.js' });
    expect(asset.headers['cache-control']).toContain('immutable');
  });

  it('API, wire and missing files stay 404s in JSON', async () => {
    expect((await app.inject({ url: '/assets/missing.js', headers: { accept: 'text/html' } })).statusCode).toBe(404);
    expect((await app.inject({ url: '/bridge/v2/nothing', headers: { accept: 'text/html' } })).json().code).toBe(
      'ROUTE_NOT_FOUND',
    );
    expect((await app.inject({ url: '/linkage', headers: { accept: 'application/json' } })).json().code).toBe(
      'ROUTE_NOT_FOUND',
    );
  });

  it('the desk endpoint is public: the log-in page shows which desk it is', async () => {
    expect((await app.inject({ url: '/api/desk' })).json()).toMatchObject({ desk: 'both' });
  });
});

describe('the console bundle is sent compressed', () => {
  it('to a browser that accepts gzip', async () => {
    fs.writeFileSync(path.join(dir, 'assets/big-9f8e.js'), 'export const x = 1;\n'.repeat(2000));
    const res = await app.inject({ url: '/assets/big-9f8e.js', headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
  });
});
