/**
 * TOTP as a second factor (docs/security.md): enrolment and verification through the API, the log-in's
 * second step, codes never accepted twice, AUTH_TOTP=required for supervisors and administrators with
 * enrolment at log-in, an administrator's reset. A second app on the same database runs with
 * AUTH_TOTP=required (the demo's default is optional).
 */
import { generateSync } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
let required: Awaited<ReturnType<typeof buildApp>>;
const GOOD = 'Rain-on-Jialing7';
const codeAt = (secret: string, offsetSteps = 0) =>
  generateSync({ secret, epoch: Math.floor(Date.now() / 1000) + offsetSteps * 30 });

beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
  required = await buildApp({
    db: t.db,
    config: {
      sessionTtlHours: 1,
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'warn',
      desk: 'hotline',
      auth: { totp: 'required', totpRoles: ['supervisor', 'admin'] },
    },
    logger: false,
  });
  const hash = await hashPassword(GOOD);
  for (const [u, role] of [
    ['totp1', 'supervisor'],
    ['totp2', 'admin'],
    ['totp3', 'supervisor'],
    ['totp4', 'call_taker'],
    ['totp5', 'analyst'],
  ])
    await t.db.query('INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $1, $2, $3)', [
      u,
      hash,
      role,
    ]);
});
afterAll(async () => {
  await required?.close();
  await t?.close();
});

type App = typeof required;
const login = (app: App, username: string, extra: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: GOOD, ...extra } });
const second = (app: App, challenge: string, code: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login/totp', payload: { challenge, code } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('enrolment and log-in with a code (AUTH_TOTP=optional)', () => {
  it('a supervisor enrols: a secret and otpauth address, confirmed by a code; then the log-in asks for one', async () => {
    const token = (await login(t.app, 'totp1')).json().token as string;
    const start = await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: bearer(token) });
    expect(start.statusCode, start.body).toBe(200);
    const { secret, otpauthUrl } = start.json();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*totp1\?.*secret=/);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: codeAt(secret, 5) },
    });
    expect(wrong.json().code).toBe('AUTH_TOTP_INVALID');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: codeAt(secret) },
    });
    expect(ok.statusCode, ok.body).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: bearer(token) })).json().totp).toEqual({
      enabled: true,
      required: false,
    });

    const first = await login(t.app, 'totp1');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ secondFactor: 'totp', challenge: expect.any(String) });
    expect(first.json().token).toBeUndefined();
    expect(first.json().enrol).toBeUndefined();
    // the code just used to confirm is not accepted again
    const replay = await second(t.app, first.json().challenge, codeAt(secret));
    expect(replay.json().code).toBe('AUTH_TOTP_INVALID');
    const done = await second(t.app, first.json().challenge, codeAt(secret, 1));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().user.username).toBe('totp1');
    // a challenge is used once
    expect((await second(t.app, first.json().challenge, codeAt(secret, 1))).json().code).toBe('AUTH_CHALLENGE_INVALID');
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'totp1'")).rows[0].id;
    const trail = await t.db.query<{ action: string; details: { reason?: string; secondFactor?: boolean } }>(
      "SELECT action, details FROM admin_audit WHERE target IN ('totp1', $1) ORDER BY id",
      [id],
    );
    expect(trail.rows.map((r) => [r.action, r.details.reason ?? r.details.secondFactor ?? null])).toEqual([
      ['auth.login', false],
      ['auth.login_failed', 'totp'],
      ['auth.totp_enabled', null],
      ['auth.login_failed', 'totp'],
      ['auth.login', true],
    ]);
  });

  it('the code may come with the password in one request; a wrong one counts toward the lock-out', async () => {
    const token = (await login(t.app, 'totp3')).json().token as string;
    const { secret } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: bearer(token) })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: codeAt(secret, -1) },
    });
    const bad = await login(t.app, 'totp3', { code: '000000' === codeAt(secret) ? '111111' : '000000' });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().code).toBe('AUTH_TOTP_INVALID');
    const failures = await t.db.query("SELECT failures FROM auth_throttle WHERE key = 'account:totp3'");
    expect(failures.rows[0].failures).toBe(1);
    const good = await login(t.app, 'totp3', { code: codeAt(secret) });
    expect(good.statusCode, good.body).toBe(200);
    expect(good.json().token).toEqual(expect.any(String));
    // turning it off takes a current code, and is audited
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/disable',
      headers: bearer(good.json().token),
      payload: { code: codeAt(secret, 1) },
    });
    expect(off.statusCode, off.body).toBe(204);
    expect((await login(t.app, 'totp3')).json().token).toEqual(expect.any(String));
  });

  it('a challenge allows five tries, then the log-in starts again', async () => {
    const token = (await login(t.app, 'totp5')).json().token as string;
    const { secret } = (
      await t.app.inject({ method: 'POST', url: '/api/auth/totp/enrol', headers: bearer(token) })
    ).json();
    await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: codeAt(secret) },
    });
    await t.db.query("DELETE FROM auth_throttle WHERE key LIKE 'account:totp5'");
    const { challenge } = (await login(t.app, 'totp5')).json();
    const wrong = codeAt(secret, 10);
    for (let i = 0; i < 5; i++) await second(t.app, challenge, wrong);
    expect((await second(t.app, challenge, codeAt(secret, 1))).json().code).toBe('AUTH_CHALLENGE_INVALID');
  });

  it('refuses a malformed code at the schema, and enrolment steps out of order', async () => {
    const token = (await login(t.app, 'totp4')).json().token as string;
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: '12ab56' },
    });
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    const early = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/confirm',
      headers: bearer(token),
      payload: { code: '123456' },
    });
    expect(early.json().code).toBe('TOTP_NOT_ENROLLING');
    const off = await t.app.inject({
      method: 'POST',
      url: '/api/auth/totp/disable',
      headers: bearer(token),
      payload: { code: '123456' },
    });
    expect(off.json().code).toBe('TOTP_NOT_ENABLED');
  });
});

describe('AUTH_TOTP=required for supervisors and administrators', () => {
  it('an administrator without TOTP enrols at log-in: the secret comes with the challenge, the first code opens the session', async () => {
    const first = await login(required, 'totp2');
    expect(first.json()).toMatchObject({
      secondFactor: 'totp',
      enrol: { secret: expect.stringMatching(/^[A-Z2-7]+$/), otpauthUrl: expect.stringContaining('otpauth://totp/') },
    });
    const done = await second(required, first.json().challenge, codeAt(first.json().enrol.secret));
    expect(done.statusCode, done.body).toBe(200);
    const me = await required.inject({ url: '/api/auth/me', headers: bearer(done.json().token) });
    expect(me.json().totp).toEqual({ enabled: true, required: true });
    const off = await required.inject({
      method: 'POST',
      url: '/api/auth/totp/disable',
      headers: bearer(done.json().token),
      payload: { code: codeAt(first.json().enrol.secret, 1) },
    });
    expect(off.json().code).toBe('TOTP_REQUIRED_FOR_ROLE');
    // the next log-in asks for a code of the enrolled secret, no new secret
    const again = await login(required, 'totp2');
    expect(again.json().enrol).toBeUndefined();
  });

  it('a call-taker logs in with the password alone', async () => {
    const r = await login(required, 'totp4');
    expect(r.json().token).toEqual(expect.any(String));
  });

  it('an administrator resets a lost authenticator: the user enrols again and their sessions end', async () => {
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'totp2'")).rows[0].id;
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${id}/totp/reset`,
      headers: t.as('admin'),
    });
    expect(reset.statusCode, reset.body).toBe(204);
    const r = (await t.db.query('SELECT totp_secret, totp_enabled_at FROM users WHERE id = $1', [id])).rows[0];
    expect(r).toEqual({ totp_secret: null, totp_enabled_at: null });
    expect((await login(required, 'totp2')).json().enrol).toBeDefined();
    const denied = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${id}/totp/reset`,
      headers: t.as('supervisor'),
    });
    expect(denied.json().code).toBe('FORBIDDEN');
  });
});
