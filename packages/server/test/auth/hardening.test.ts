/**
 * Authentication fit for 等保 level 3 (docs/security.md): lock-out per account and per address, the
 * log-in rate limit, the audit of every log-in, failure and lock-out, the password policy, users bound
 * to their desk, the last administrator, the idle timeout. These tests use their own users and client
 * addresses, so the shared users' log-ins are never locked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../src/auth/passwords.ts';
import { passwordProblem } from '../../src/auth/password-policy.ts';
import { AUTH_DEFAULTS } from '../../src/config.ts';
import { createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
const GOOD = 'Rain-on-Jialing7';
beforeAll(async () => {
  t = await createTestApp({
    desk: 'hotline',
    auth: {
      lockoutThreshold: 3,
      lockoutMinutes: 15,
      addressLockoutThreshold: 8,
      loginRatePerMinute: 12,
      idleMinutes: 30,
    },
  });
  const hash = await hashPassword(GOOD);
  for (const u of ['lock1', 'lock2', 'lock3', 'addr1', 'rate1', 'pw1', 'idle1'])
    await t.db.query(
      "INSERT INTO users (username, display_name, password_hash, role, desks) VALUES ($1, $1, $2, 'analyst', '{hotline}')",
      [u, hash],
    );
});
afterAll(async () => {
  await t?.close();
});

const login = (username: string, password: string, ip: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });
const auditOf = async (target: string) =>
  (
    await t.db.query<{ action: string; details: Record<string, unknown> }>(
      'SELECT action, details FROM admin_audit WHERE target = $1 ORDER BY id',
      [target],
    )
  ).rows;
const userId = async (username: string) =>
  (await t.db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [username])).rows[0]!.id;

describe('lock-out after repeated failures, per account and per address', () => {
  it('three wrong passwords lock the account: the right one is then refused (423, Retry-After) until an administrator unlocks it', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login('lock1', 'wrong-password', '10.0.1.1')).json().code).toBe('AUTH_INVALID_CREDENTIALS');
    const locked = await login('lock1', GOOD, '10.0.1.2');
    expect(locked.statusCode).toBe(423);
    expect(locked.json().code).toBe('AUTH_ACCOUNT_LOCKED');
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
    const listed = (await t.app.inject({ url: '/api/admin/users', headers: t.as('admin') })).json();
    expect(listed.find((u: { username: string }) => u.username === 'lock1').lockedUntil).not.toBeNull();

    const unlock = await t.app.inject({
      method: 'POST',
      url: `/api/admin/users/${await userId('lock1')}/unlock`,
      headers: t.as('admin'),
    });
    expect(unlock.json()).toEqual({ wasLocked: true });
    expect((await login('lock1', GOOD, '10.0.1.2')).statusCode).toBe(200);

    const trail = await auditOf('lock1');
    expect(trail.map((a) => [a.action, a.details.reason ?? null])).toEqual([
      ['auth.login_failed', 'password'],
      ['auth.login_failed', 'password'],
      ['auth.login_failed', 'password'],
      ['auth.login_failed', 'locked'],
      ['auth.login', null],
    ]);
    expect(trail[0]!.details.address).toBe('10.0.1.1');
    expect(await auditOf('account:lock1')).toMatchObject([{ action: 'auth.lockout', details: { failures: 3 } }]);
    expect(JSON.stringify(trail)).not.toContain('wrong-password');
    // the administrator reads log-ins apart from the administration's changes
    const auth = (await t.app.inject({ url: '/api/admin/audit?kind=auth', headers: t.as('admin') })).json();
    expect(auth.length).toBeGreaterThan(5);
    expect(auth.every((a: { action: string }) => a.action.startsWith('auth.'))).toBe(true);
    expect(auth.find((a: { target: string }) => a.target === 'lock1')).toMatchObject({ targetName: 'lock1' });
    const changes = (await t.app.inject({ url: '/api/admin/audit?kind=admin', headers: t.as('admin') })).json();
    expect(changes.map((a: { action: string }) => a.action)).toContain('user.unlock');
    expect(changes.some((a: { action: string }) => a.action.startsWith('auth.'))).toBe(false);
  });

  it('the lock passes by itself; a successful log-in clears the count', async () => {
    for (let i = 0; i < 3; i++) await login('lock2', 'wrong-password', '10.0.2.1');
    expect((await login('lock2', GOOD, '10.0.2.1')).statusCode).toBe(423);
    await t.db.query("UPDATE auth_throttle SET locked_until = now() - interval '1 second' WHERE key = 'account:lock2'");
    expect((await login('lock2', GOOD, '10.0.2.1')).statusCode).toBe(200);
    // two failures, a success, two failures: not locked
    for (const p of ['x-wrong-1', 'x-wrong-2', GOOD, 'x-wrong-3', 'x-wrong-4']) await login('lock2', p, '10.0.2.1');
    expect((await login('lock2', GOOD, '10.0.2.1')).statusCode).toBe(200);
  });

  it('an unknown account name locks the same way, so the answers do not tell which names exist', async () => {
    const codes = [];
    for (let i = 0; i < 4; i++) codes.push((await login('nobody7', 'wrong-password', '10.0.3.1')).json().code);
    expect(codes).toEqual([
      'AUTH_INVALID_CREDENTIALS',
      'AUTH_INVALID_CREDENTIALS',
      'AUTH_INVALID_CREDENTIALS',
      'AUTH_ACCOUNT_LOCKED',
    ]);
    expect((await auditOf('nobody7'))[0]!.details.reason).toBe('unknown_user');
  });

  it('an address guessing many names is locked (429) while other addresses log in', async () => {
    for (let i = 0; i < 8; i++) await login(`guess${i}`, 'wrong-password', '10.0.4.1');
    const res = await login('addr1', GOOD, '10.0.4.1');
    expect(res.statusCode).toBe(429);
    expect(res.json().code).toBe('AUTH_ADDRESS_LOCKED');
    expect(res.headers['retry-after']).toBeDefined();
    expect((await login('addr1', GOOD, '10.0.4.2')).statusCode).toBe(200);
    expect(await auditOf('address:10.0.4.1')).toMatchObject([{ action: 'auth.lockout', details: { failures: 8 } }]);
  });

  it('more than AUTH_LOGIN_RATE_PER_MINUTE attempts from one address at once: the rest get 429 with Retry-After before any password is checked', async () => {
    const burst = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(`burst${i}`, 'wrong-password', '10.0.5.1')),
    );
    const limited = burst.filter((r) => r.json().code === 'AUTH_RATE_LIMITED');
    expect(limited).toHaveLength(8);
    expect(limited.every((r) => r.statusCode === 429 && Number(r.headers['retry-after']) > 0)).toBe(true);
    // only the 12 that went through were checked and audited
    const audited = await t.db.query(
      "SELECT count(*)::int AS n FROM admin_audit WHERE action = 'auth.login_failed' AND target LIKE 'burst%'",
    );
    expect(audited.rows[0].n).toBe(12);
  });

  it('successful log-ins give their slot back: a shift logging in through one NAT address is not held up', async () => {
    for (let i = 0; i < 15; i++) expect((await login('rate1', GOOD, '10.0.5.2')).statusCode).toBe(200);
  });
});

describe('password policy', () => {
  const rules = AUTH_DEFAULTS;
  it.each([
    ['Short1!', 'PASSWORD_TOO_SHORT'],
    ['alllowercaseletters', 'PASSWORD_TOO_SIMPLE'],
    ['lowercase12345', 'PASSWORD_TOO_SIMPLE'],
    ['Zhouping-2026', 'PASSWORD_CONTAINS_USERNAME'],
    ['Gnipuohz-2026', 'PASSWORD_CONTAINS_USERNAME'],
    ['Password@2026', 'PASSWORD_COMMON'],
    ['P@ssw0rd2026!', 'PASSWORD_COMMON'],
    ['1qaz2wsx3EDC', 'PASSWORD_COMMON'],
    ['Woaini1314!!', 'PASSWORD_COMMON'],
    ['Qwerty123456', 'PASSWORD_COMMON'],
    ['Liandong@2026', 'PASSWORD_COMMON'],
    ['Aa1!Aa1!Aa1!', null],
    ['Rain-on-Jialing7', null],
    ['Chongqing@12345', null],
    ['山城夜景Hongyadong8', null],
  ])('%s → %s', (pw, code) => {
    expect(passwordProblem(pw, 'zhouping', rules)?.code ?? null).toBe(code);
  });

  it('an administrator creating a user with a weak password is refused with the rule, nothing written', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    for (const [password, code] of [
      ['password', 'PASSWORD_TOO_SHORT'],
      ['abcdefghijk', 'PASSWORD_TOO_SIMPLE'],
      ['Newuser01-xyz', 'PASSWORD_CONTAINS_USERNAME'],
      ['Password@123', 'PASSWORD_COMMON'],
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/admin/users',
        headers: t.as('admin'),
        payload: { username: 'newuser01', displayName: '新用户', password, role: 'analyst' },
      });
      expect(res.statusCode, password).toBe(422);
      expect(res.json().code).toBe(code);
      expect(res.json().message).toMatch(/[\u4e00-\u9fff]/);
    }
    expect((await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
  });

  it('a user changes their own password: the current one is checked, the policy applies, their other sessions end', async () => {
    const a = (await login('pw1', GOOD, '10.0.6.1')).json().token;
    const b = (await login('pw1', GOOD, '10.0.6.1')).json().token;
    const change = (token: string, currentPassword: string, newPassword: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { authorization: `Bearer ${token}` },
        payload: { currentPassword, newPassword },
        remoteAddress: '10.0.6.1',
      });
    expect((await change(a, 'not-the-password', 'Fresh-Start-88')).json().code).toBe('PASSWORD_CURRENT_INVALID');
    expect((await change(a, GOOD, GOOD)).json().code).toBe('PASSWORD_UNCHANGED');
    expect((await change(a, GOOD, 'short')).json().code).toBe('PASSWORD_TOO_SHORT');
    expect((await change(a, GOOD, 'Fresh-Start-88')).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${a}` } })).statusCode).toBe(
      200,
    );
    expect((await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${b}` } })).statusCode).toBe(
      401,
    );
    expect((await login('pw1', 'Fresh-Start-88', '10.0.6.1')).statusCode).toBe(200);
    expect((await auditOf(await userId('pw1'))).map((x) => x.action)).toEqual(['auth.password_change']);
  });
});

describe('users are bound to their desk (this app is the 12345 desk)', () => {
  it('a new 110 dispatcher gets the 110 desk and cannot log in on 12345 (said only after the right password)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: t.as('admin'),
      payload: {
        username: 'jiejing01',
        displayName: '接警员',
        password: GOOD,
        role: 'dispatcher',
        unitId: 'police.command',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().desks).toEqual(['dispatch']);
    expect((await login('jiejing01', 'wrong-password', '10.0.7.1')).json().code).toBe('AUTH_INVALID_CREDENTIALS');
    const wrong = await login('jiejing01', GOOD, '10.0.7.1');
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ code: 'AUTH_WRONG_DESK', message: '该账号不属于12345热线，请在所属平台登录' });
    expect((await auditOf('jiejing01')).at(-1)).toMatchObject({ details: { reason: 'wrong_desk' } });
  });

  it('moving a user off this desk ends their sessions here; the desks are listed for the administrator', async () => {
    const id = await userId('cg1');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${id}`,
      headers: t.as('admin'),
      payload: { desks: ['dispatch'] },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json().desks).toEqual(['dispatch']);
    const me = await t.app.inject({ url: '/api/auth/me', headers: t.as('chengguan') });
    expect(me.json().code).toBe('AUTH_WRONG_DESK');
    const users = (await t.app.inject({ url: '/api/admin/users', headers: t.as('admin') })).json();
    expect(users.find((u: { username: string }) => u.username === 'cg1').desks).toEqual(['dispatch']);
  });

  it.each([
    ['an unknown desk', { desks: ['moon'] }],
    ['no desk', { desks: [] }],
    ['a desk twice', { desks: ['hotline', 'hotline'] }],
  ])('refuses %s (VALIDATION_FAILED)', async (_l, payload) => {
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${await userId('an1')}`,
      headers: t.as('admin'),
      payload,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('the last administrator', () => {
  it('cannot be disabled, demoted or moved off this desk; with a second administrator they can', async () => {
    const id = await userId('ad1');
    const patch = (payload: object, who: 'admin' | 'other' = 'admin') =>
      t.app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${id}`,
        headers: who === 'admin' ? t.as('admin') : { authorization: `Bearer ${other}` },
        payload,
      });
    let other = '';
    for (const payload of [{ active: false }, { role: 'analyst' }, { desks: ['dispatch'] }]) {
      const res = await patch(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(409);
      expect(res.json().code).toBe('LAST_ADMIN_PROTECTED');
    }
    const row = (await t.db.query("SELECT role, active, desks FROM users WHERE username = 'ad1'")).rows[0];
    expect(row).toEqual({ role: 'admin', active: true, desks: ['hotline', 'dispatch'] });

    const created = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: t.as('admin'),
      payload: { username: 'admin2', displayName: '第二管理员', password: GOOD, role: 'admin' },
    });
    expect(created.statusCode, created.body).toBe(201);
    other = (await login('admin2', GOOD, '10.0.8.1')).json().token;
    expect((await patch({ role: 'supervisor' }, 'other')).statusCode).toBe(200);
    // now admin2 is the last one: it cannot disable itself
    const self = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${await userId('admin2')}`,
      headers: { authorization: `Bearer ${other}` },
      payload: { active: false },
    });
    expect(self.json().code).toBe('LAST_ADMIN_PROTECTED');
    expect((await patch({ role: 'admin' }, 'other')).statusCode).toBe(200);
  });
});

describe('session idle timeout', () => {
  it('a session unused for SESSION_IDLE_MINUTES ends (AUTH_SESSION_IDLE), one in use goes on', async () => {
    const idle = (await login('idle1', GOOD, '10.0.9.1')).json().token;
    const busy = (await login('idle1', GOOD, '10.0.9.1')).json().token;
    const id = await userId('idle1');
    await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1", [id]);
    t.app.services.auth.forgetUser(id);
    const me = (token: string) => t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    const r = await me(idle);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('AUTH_SESSION_IDLE');
    expect((await me(idle)).json().code).toBe('AUTH_REQUIRED'); // it was revoked
    // the other one was last used two minutes ago: it goes on, and its use is recorded
    await t.db.query(
      "UPDATE sessions SET last_seen_at = now() - interval '2 minutes' WHERE user_id = $1 AND revoked_at IS NULL",
      [id],
    );
    const ok = await me(busy);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().idleMinutes).toBe(30);
    const seen = (
      await t.db.query<{ age: number }>(
        'SELECT extract(epoch FROM now() - last_seen_at)::int AS age FROM sessions WHERE user_id = $1 AND revoked_at IS NULL',
        [id],
      )
    ).rows[0]!.age;
    expect(seen).toBeLessThan(5);
  });

  it('继续工作 (POST /api/auth/renew) writes the use at once, so a session about to idle out goes on; an ended one is refused', async () => {
    const token = (await login('idle1', GOOD, '10.0.9.2')).json().token;
    const id = await userId('idle1');
    const hash = (
      await t.db.query<{ token_hash: string }>(
        'SELECT token_hash FROM sessions WHERE user_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC LIMIT 1',
        [id],
      )
    ).rows[0]!.token_hash;
    // 29 minutes unused, and the cached use is forgotten: one minute left
    await t.db.query("UPDATE sessions SET last_seen_at = now() - interval '29 minutes' WHERE token_hash = $1", [hash]);
    t.app.services.auth.forgetUser(id);
    const auth = { authorization: `Bearer ${token}` };
    const r = await t.app.inject({ method: 'POST', url: '/api/auth/renew', headers: auth });
    expect(r.statusCode).toBe(200);
    expect(r.json().idleMinutes).toBe(30);
    expect(Date.parse(r.json().expiresAt)).toBeGreaterThan(Date.now());
    const age = (
      await t.db.query<{ age: number }>(
        'SELECT extract(epoch FROM now() - last_seen_at)::int AS age FROM sessions WHERE token_hash = $1',
        [hash],
      )
    ).rows[0]!.age;
    expect(age).toBeLessThan(5);
    // another process of the desk (no cache) still counts it as in use two minutes later
    await t.db.query("UPDATE sessions SET last_seen_at = last_seen_at - interval '2 minutes' WHERE token_hash = $1", [
      hash,
    ]);
    t.app.services.auth.forgetUser(id);
    expect((await t.app.inject({ url: '/api/auth/me', headers: auth })).statusCode).toBe(200);

    await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: auth });
    const after = await t.app.inject({ method: 'POST', url: '/api/auth/renew', headers: auth });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('AUTH_REQUIRED');
  });

  it('GET /api/auth/me says how long the session lives at most; 继续工作 does not lengthen it', async () => {
    const token = (await login('idle1', GOOD, '10.0.9.3')).json().token;
    const id = await userId('idle1');
    const auth = { authorization: `Bearer ${token}` };
    const me = async () => (await t.app.inject({ url: '/api/auth/me', headers: auth })).json();
    const first = await me();
    // the test app's SESSION_TTL_HOURS is 1
    expect(first.sessionHours).toBe(1);
    expect(first.sessionSecondsLeft).toBeGreaterThan(3600 - 10);
    expect(first.sessionSecondsLeft).toBeLessThanOrEqual(3600);
    // ten minutes of its life are left (as after 50 minutes' work)
    await t.db.query(
      "UPDATE sessions SET expires_at = now() + interval '10 minutes' WHERE user_id = $1 AND revoked_at IS NULL",
      [id],
    );
    t.app.services.auth.forgetUser(id);
    const left = (await me()).sessionSecondsLeft;
    expect(left).toBeGreaterThan(600 - 10);
    expect(left).toBeLessThanOrEqual(600);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/renew', headers: auth })).statusCode).toBe(200);
    expect((await me()).sessionSecondsLeft).toBeLessThanOrEqual(600);
  });
});
