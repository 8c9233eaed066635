/**
 * Headers and exposure (docs/security.md): the security headers on every kind of answer, /metrics and
 * /docs behind METRICS_ACCESS / DOCS_ACCESS, and the settings' parsing (NODE_ENV=production closes them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
let closed: Awaited<ReturnType<typeof buildApp>>;
let off: Awaited<ReturnType<typeof buildApp>>;
const base = { sessionTtlHours: 1, bodyLimitBytes: 1024 * 1024, logLevel: 'warn' };
beforeAll(async () => {
  t = await createTestApp();
  closed = await buildApp({
    db: t.db,
    config: { ...base, exposure: { metrics: 'login', docs: 'off' } },
    logger: false,
  });
  off = await buildApp({ db: t.db, config: { ...base, exposure: { metrics: 'off', docs: 'off' } }, logger: false });
});
afterAll(async () => {
  await closed?.close();
  await off?.close();
  await t?.close();
});

describe('security headers on every answer', () => {
  it.each([
    ['the API', '/api/desk'],
    ['an error', '/api/work-orders'],
    ['an unknown route', '/nowhere'],
    ['health', '/health'],
    ['the API documentation', '/docs/'],
    ['the OpenAPI document', '/docs/json'],
    ['metrics', '/metrics'],
  ])('%s (%s)', async (_l, url) => {
    const res = await t.app.inject({ url });
    expect(res.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it("the policy frames nowhere and runs only this origin's scripts", () => {
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/script-src[^;]*unsafe/);
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });

  it('the Swagger page loads its scripts from this origin (so it works under the policy)', async () => {
    const page = await t.app.inject({ url: '/docs/' });
    expect(page.statusCode).toBe(200);
    const scripts = [...page.body.matchAll(/<script([^>]*)>([^<]*)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\.\/static\//);
      expect(body!.trim()).toBe('');
    }
    const init = await t.app.inject({ url: '/docs/static/swagger-initializer.js' });
    expect(init.statusCode).toBe(200);
  });
});

describe('/metrics and /docs behind a setting', () => {
  it('open (the demo): both answer without a log-in', async () => {
    expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/docs/json' })).statusCode).toBe(200);
  });

  it('METRICS_ACCESS=login: an administrator or supervisor session; DOCS_ACCESS=off: not served', async () => {
    const anon = await closed.inject({ url: '/metrics' });
    expect(anon.statusCode).toBe(401);
    expect(anon.json().code).toBe('AUTH_REQUIRED');
    expect((await closed.inject({ url: '/metrics', headers: t.as('callTaker') })).json().code).toBe('FORBIDDEN');
    const admin = await closed.inject({ url: '/metrics', headers: t.as('admin') });
    expect(admin.statusCode).toBe(200);
    expect(admin.body).toContain('liandong_http_requests_total');
    expect((await closed.inject({ url: '/metrics', headers: t.as('supervisor') })).statusCode).toBe(200);
    for (const url of ['/docs', '/docs/', '/docs/json', '/docs/static/index.html'])
      expect((await closed.inject({ url })).statusCode, url).toBe(404);
  });

  it('METRICS_ACCESS=off: not served at all', async () => {
    expect((await off.inject({ url: '/metrics', headers: t.as('admin') })).statusCode).toBe(404);
  });
});

describe('the settings', () => {
  it('defaults: the demo works (TOTP optional, /metrics and /docs open), production closes them', () => {
    const dev = loadConfig({});
    expect(dev.auth).toMatchObject({ lockoutThreshold: 5, totp: 'optional', idleMinutes: 30, passwordMinLength: 10 });
    expect(dev.exposure).toEqual({ metrics: 'open', docs: 'open', trustProxy: false });
    expect(loadConfig({ NODE_ENV: 'production' }).exposure).toMatchObject({ metrics: 'login', docs: 'off' });
    expect(loadConfig({ NODE_ENV: 'production', DOCS_ACCESS: 'open' }).exposure.docs).toBe('open');
    const set = loadConfig({
      AUTH_LOCKOUT_THRESHOLD: '0',
      AUTH_TOTP: 'required',
      AUTH_TOTP_ROLES: 'admin',
      SESSION_IDLE_MINUTES: '15',
      TRUST_PROXY: '10.0.0.1,10.0.0.2',
    });
    expect(set.auth).toMatchObject({ lockoutThreshold: 0, totp: 'required', totpRoles: ['admin'], idleMinutes: 15 });
    expect(set.exposure.trustProxy).toBe('10.0.0.1,10.0.0.2');
  });

  it('the report fold runs every 5 s unless REPORT_FOLD_SECONDS says otherwise', () => {
    expect(loadConfig({}).reportFoldMs).toBe(5000);
    expect(loadConfig({ REPORT_FOLD_SECONDS: '2' }).reportFoldMs).toBe(2000);
  });

  it.each([
    { AUTH_TOTP: 'always' },
    { AUTH_TOTP_ROLES: 'supervisor,king' },
    { METRICS_ACCESS: 'public' },
    { DOCS_ACCESS: 'login' },
    { PASSWORD_MIN_LENGTH: '4' },
    { AUTH_LOCKOUT_MINUTES: '0' },
    { REPORT_FOLD_SECONDS: '0' },
    { REPORT_FOLD_SECONDS: 'often' },
  ])('refuses %o', (env) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
  });
});
