/**
 * Hostile input (issue 17, "Crashes and 5xx"): each case that answered 500 now answers 4xx with a code
 * from the catalogue and changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translatePgError } from '../../src/db/pg-errors.ts';
import type { AppError } from '../../src/errors.ts';
import { findBadText, isBadText } from '../../src/http/input-guard.ts';
import { isDate, isDateTime, isUuid } from '../../src/http/formats.ts';
import { createTestApp, PASSWORD, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const LONE = '\uD800';

describe('the input guard', () => {
  it('tells bad text from good', () => {
    expect(isBadText('正常文本 😀')).toBe(false);
    expect(isBadText('a\u0000b')).toBe(true);
    expect(isBadText(`a${LONE}b`)).toBe(true);
    expect(isBadText('\uDC00')).toBe(true);
    expect(isBadText('😀'.slice(0, 1))).toBe(true);
    expect(findBadText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] }, 'body')).toBe('body.a[1].c');
    expect(findBadText({ ['k\u0000']: 1 }, 'body')).toBe('body（字段名）');
  });

  it('refuses U+0000 in the unauthenticated log-in with TEXT_INVALID, not 500', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ad1\u0000', password: PASSWORD },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'TEXT_INVALID', details: { field: 'body.username' } });
  });

  it('refuses U+0000 in a query string, a path and a header value', async () => {
    const q = await t.app.inject({ method: 'GET', url: '/api/work-orders?q=%00', headers: t.as('admin') });
    expect(q.statusCode).toBe(400);
    expect(q.json().code).toBe('TEXT_INVALID');
    const p = await t.app.inject({ method: 'GET', url: '/api/reference/districts/50%0001/streets' });
    expect(p.statusCode).toBe(400);
    expect(p.json().code).toBe('TEXT_INVALID');
    const h = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${t.tokens.admin}\u0000` },
    });
    expect(h.statusCode).toBe(400);
    expect(h.json()).toMatchObject({ code: 'TEXT_INVALID', details: { field: 'headers.authorization' } });
  });

  it('refuses a lone surrogate in a work order and a linkage text, writing nothing', async () => {
    const before = await rowCounts(t.db);
    const wo = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ content: `来电人反映路灯不亮${LONE}，请尽快处理，已经持续一周了。` }),
    });
    expect(wo.statusCode).toBe(400);
    expect(wo.json()).toMatchObject({ code: 'TEXT_INVALID', details: { field: 'body.content' } });
    const li = await t.app.inject({
      method: 'POST',
      url: '/api/linkage/items',
      headers: t.as('callTaker'),
      payload: { kind: 'transfer', reason: `需要警方${LONE}处置` },
    });
    expect(li.statusCode).toBe(400);
    expect(li.json().code).toBe('TEXT_INVALID');
    expect(await rowCounts(t.db)).toEqual(before);
  });

  it('leaves the bridge wire to its protocol: a message with U+0000 is refused in its shape, never 5xx', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/bridge/v1/messages',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ v: 1, type: 'transfer.request', payload: { summary: 'a\u0000' } }),
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.json()).toHaveProperty('error');
  });
});

describe('strict formats', () => {
  it('knows a canonical uuid, a real date-time and a real date', () => {
    expect(isUuid('6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isUuid('urn:uuid:6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b')).toBe(false);
    expect(isDateTime('2026-12-01T08:30:00+08:00')).toBe(true);
    expect(isDateTime('2016-12-31T23:59:60Z')).toBe(false);
    expect(isDateTime('0000-01-01T00:00:00Z')).toBe(false);
    expect(isDateTime('2026-02-30T00:00:00Z')).toBe(false);
    expect(isDate('2026-12-01')).toBe(true);
    expect(isDate('0000-12-01')).toBe(false);
  });

  it('refuses a urn:uuid: id at the schema, naming the parameter', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/work-orders/urn:uuid:6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
      headers: t.as('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });

  it('refuses a leap-second and a year-0 receipt time at the schema', async () => {
    for (const receivedAt of ['2016-12-31T23:59:60Z', '0000-06-01T10:00:00Z']) {
      const before = await rowCounts(t.db);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ receivedAt }),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('受理时间') });
      expect(await rowCounts(t.db)).toEqual(before);
    }
  });

  it('refuses a leap second in a list filter', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/work-orders?createdFrom=2016-12-31T23:59:60Z',
      headers: t.as('admin'),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
  });
});

describe('database errors in the catalogue', () => {
  const connector = (id: string, inboundKeyId: string) => ({
    method: 'PUT' as const,
    url: `/api/admin/connectors/${id}`,
    headers: t.as('admin'),
    payload: {
      name: `测试联动单位${id}`,
      kind: 'water',
      endpointUrl: 'http://127.0.0.1:9/',
      keyId: `${id}-out`,
      key: 'k'.repeat(24),
      inboundKeyId,
      inboundKey: 'i'.repeat(24),
    },
  });

  it('answers a duplicate connector key id with 409 CONNECTOR_KEY_ID_TAKEN', async () => {
    expect((await t.app.inject(connector('water-a', 'shared-key'))).statusCode).toBe(200);
    const res = await t.app.inject(connector('water-b', 'shared-key'));
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('CONNECTOR_KEY_ID_TAKEN');
    const { rows } = await t.db.query("SELECT id FROM connectors WHERE id = 'water-b'");
    expect(rows).toEqual([]);
  });

  it('maps SQLSTATEs that bad input causes to 4xx codes, and a lost server to 503', () => {
    const code = (e: unknown) => (translatePgError(e) as AppError).code;
    expect(code({ code: '22021' })).toBe('TEXT_INVALID');
    expect(code({ code: '22P05' })).toBe('TEXT_INVALID');
    expect(code({ code: '22P02' })).toBe('VALIDATION_FAILED');
    expect(code({ code: '22008' })).toBe('VALIDATION_FAILED');
    expect(code({ code: '23505', constraint: 'some_table_key' })).toBe('ALREADY_EXISTS');
    expect(code({ code: '57P01' })).toBe('SERVICE_UNAVAILABLE');
    expect(code(new Error('Connection terminated unexpectedly'))).toBe('SERVICE_UNAVAILABLE');
    const other = new Error('a bug');
    expect(translatePgError(other)).toBe(other);
  });

  it('maps a database refusal on a path whose service does not translate it (the error handler is the net)', async () => {
    // A NUL that slipped past the guard (a route registered without it) still answers 400, not 500.
    const { default: Fastify } = await import('fastify');
    const { mapErrors } = await import('../../src/http/error-handler.ts');
    const bare = Fastify();
    mapErrors(bare);
    bare.get('/x', async () => t.db.query('SELECT $1::text AS v', ['a\u0000b']));
    const res = await bare.inject({ method: 'GET', url: '/x' });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('TEXT_INVALID');
    await bare.close();
  });
});
