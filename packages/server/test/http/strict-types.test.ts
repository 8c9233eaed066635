/**
 * Strict types in request bodies (issue 17): a JSON body's null, number or array is never coerced into
 * a boolean or a string (it was: `{"active": null}` disabled a user, `{"urgent": null}` read as false),
 * while query strings and path parameters, text by nature, are still read as their schema's types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, rowCounts, sampleOrder, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t?.close();
});

const refused = (res: { statusCode: number; json(): unknown }, field: string) => {
  expect(res.statusCode).toBe(400);
  const body = res.json() as { code: string; details: { instancePath: string }[] };
  expect(body.code).toBe('VALIDATION_FAILED');
  expect(body.details[0]!.instancePath).toContain(field); // the field is named
};

describe('a JSON body is validated without type coercion', () => {
  it('{"active": null} (or "false", 0, [false]) does not disable a user, and changes nothing', async () => {
    const { rows } = await t.db.query<{ id: string }>("SELECT id FROM users WHERE username = 'ct1'");
    const id = rows[0]!.id;
    const before = await rowCounts(t.db);
    for (const active of [null, 'false', 0, [false]]) {
      const res = await t.app.inject({
        method: 'PATCH',
        url: `/api/admin/users/${id}`,
        headers: t.as('admin'),
        payload: { active },
      });
      refused(res, 'active');
    }
    expect(await rowCounts(t.db)).toEqual(before);
    expect(
      (await t.db.query<{ active: boolean }>('SELECT active FROM users WHERE id = $1', [id])).rows[0]!.active,
    ).toBe(true);
    // A real boolean still works.
    const ok = await t.app.inject({
      method: 'PATCH',
      url: `/api/admin/users/${id}`,
      headers: t.as('admin'),
      payload: { active: true },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('{"urgent": null} is not read as false: the time limit is refused and unchanged', async () => {
    const before = await t.db.query('SELECT * FROM time_limits ORDER BY 1, 2');
    for (const urgent of [null, 'true', 1]) {
      const res = await t.app.inject({
        method: 'PUT',
        url: '/api/admin/time-limits',
        headers: t.as('admin'),
        payload: { orderType: 'complaint', urgent, amount: 3, unit: 'working_days' },
      });
      refused(res, 'urgent');
    }
    // A number where an integer is expected as text is refused too ("3" is not 3 in JSON).
    refused(
      await t.app.inject({
        method: 'PUT',
        url: '/api/admin/time-limits',
        headers: t.as('admin'),
        payload: { orderType: 'complaint', urgent: false, amount: '3', unit: 'working_days' },
      }),
      'amount',
    );
    expect((await t.db.query('SELECT * FROM time_limits ORDER BY 1, 2')).rows).toEqual(before.rows);
  });

  it('a number or an array is not turned into a string, and null is not turned into false', async () => {
    const before = await rowCounts(t.db);
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ title: 12345 }),
      }),
      'title',
    );
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ content: ['来电人反映八一路口有流动摊贩占道经营'] }),
      }),
      'content',
    );
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ confidential: null }),
      }),
      'confidential',
    );
    // A single value where a list is expected is not wrapped into one.
    refused(
      await t.app.inject({
        method: 'POST',
        url: '/api/work-orders',
        headers: t.as('callTaker'),
        payload: sampleOrder({ assistUnitIds: 'd500103.housing' }),
      }),
      'assistUnitIds',
    );
    expect(await rowCounts(t.db)).toEqual(before);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/work-orders',
      headers: t.as('callTaker'),
      payload: sampleOrder({ confidential: false }),
    });
    expect(ok.statusCode).toBe(201);
  });
});

describe('query strings and path parameters keep their types', () => {
  it('reads numbers, booleans and one-item lists from the query string', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/work-orders?page=1&pageSize=5&urgent=false&status=received',
      headers: t.as('callTaker'),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ items: unknown[]; pageSize?: number }>();
    expect(body.items.length).toBeLessThanOrEqual(5);
    refused(
      await t.app.inject({ method: 'GET', url: '/api/work-orders?pageSize=many', headers: t.as('callTaker') }),
      'pageSize',
    );
  });
});
