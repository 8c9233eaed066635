import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, createTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const login = (username: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

describe('log-in and sessions', () => {
  it('returns a token and the user with role label and permissions; the password hash is scrypt', async () => {
    const res = await login('cg1', PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      username: 'cg1',
      role: 'department_handler',
      roleLabel: '承办单位经办人',
      unitId: 'd500103.urban-mgmt',
    });
    expect(res.json().user.permissions).toContain('work_order.sign');
    const row = await t.db.query("SELECT password_hash FROM users WHERE username = 'cg1'");
    expect(row.rows[0].password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    const me = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${res.json().token}` } });
    expect(me.json().username).toBe('cg1');
  });

  it.each([
    ['wrong password', 'cg1', 'nope', 401, 'AUTH_INVALID_CREDENTIALS'],
    ['unknown user', 'ghost', PASSWORD, 401, 'AUTH_INVALID_CREDENTIALS'],
  ])('%s', async (_l, u, p, status, code) => {
    const res = await login(u, p);
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('no token, a malformed header or an unknown token: AUTH_REQUIRED', async () => {
    for (const headers of [{}, { authorization: 'Basic abc' }, { authorization: 'Bearer forged-token' }]) {
      const res = await t.app.inject({ url: '/api/work-orders', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('AUTH_REQUIRED');
    }
  });

  it('logout revokes the token', async () => {
    const token = (await login('sv1', PASSWORD)).json().token;
    const h = { authorization: `Bearer ${token}` };
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: h })).statusCode).toBe(204);
    expect((await t.app.inject({ url: '/api/auth/me', headers: h })).statusCode).toBe(401);
  });

  it('an expired session is refused', async () => {
    const token = (await login('an1', PASSWORD)).json().token;
    await t.db.query(
      "UPDATE sessions SET expires_at = now() - interval '1 minute' WHERE user_id = (SELECT id FROM users WHERE username = 'an1')",
    );
    t.app.services.auth.forgetUser((await t.db.query("SELECT id FROM users WHERE username = 'an1'")).rows[0].id);
    const res = await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } });
    expect(res.json().code).toBe('AUTH_SESSION_EXPIRED');
  });

  it('an administrator disables a user: their sessions end and log-in is refused', async () => {
    const token = (await login('zj1', PASSWORD)).json().token;
    const id = (await t.db.query("SELECT id FROM users WHERE username = 'zj1'")).rows[0].id;
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${id}`,
      headers: t.as('admin'),
      payload: { active: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(
      (await t.app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode,
    ).toBe(401);
    expect((await login('zj1', PASSWORD)).json().code).toBe('AUTH_USER_DISABLED');
  });
});

describe('administrators manage users; scope is checked', () => {
  it('creates a department handler for a unit', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/users',
      headers: t.as('admin'),
      payload: {
        username: 'huanbao01',
        displayName: '周洁',
        password: 'Long-enough1',
        role: 'department_handler',
        unitId: 'd500103.environment',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await login('huanbao01', 'Long-enough1')).statusCode).toBe(200);
    const a = await t.db.query("SELECT action, details FROM admin_audit WHERE target = 'huanbao01' ORDER BY id");
    expect(a.rows).toMatchObject([
      {
        action: 'user.create',
        details: { role: 'department_handler', unitId: 'd500103.environment', districtCode: null, desks: ['hotline'] },
      },
      { action: 'auth.login', details: { address: '127.0.0.1' } },
    ]);
    expect(JSON.stringify(a.rows)).not.toContain('Long-enough1');
  });
  it.each([
    [
      'a handler without a unit',
      { username: 'x01', displayName: 'x', password: 'Long-enough1', role: 'department_handler' },
      422,
      'ROLE_SCOPE_INVALID',
    ],
    [
      'a district agency on another district’s agency',
      {
        username: 'x02',
        displayName: 'x',
        password: 'Long-enough1',
        role: 'district_agency',
        districtCode: '500103',
        unitId: 'd500105.agency',
      },
      422,
      'ROLE_SCOPE_INVALID',
    ],
    [
      'a taken username',
      { username: 'cg1', displayName: 'x', password: 'Long-enough1', role: 'analyst' },
      409,
      'USERNAME_TAKEN',
    ],
    [
      'a short password',
      { username: 'x03', displayName: 'x', password: 'short', role: 'analyst' },
      422,
      'PASSWORD_TOO_SHORT',
    ],
    [
      'an unknown role',
      { username: 'x04', displayName: 'x', password: 'Long-enough1', role: 'king' },
      400,
      'VALIDATION_FAILED',
    ],
  ] as const)('refuses %s', async (_l, payload, status, code) => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n;
    const res = await t.app.inject({ method: 'POST', url: '/api/admin/users', headers: t.as('admin'), payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().code).toBe(code);
    expect((await t.db.query('SELECT count(*)::int AS n FROM users')).rows[0].n).toBe(before);
  });
  it('non-administrators may not manage users', async () => {
    expect((await t.app.inject({ url: '/api/admin/users', headers: t.as('supervisor') })).json().code).toBe(
      'FORBIDDEN',
    );
  });
});
