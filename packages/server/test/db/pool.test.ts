/**
 * The pool under trouble: no connection to be had in time answers SERVICE_UNAVAILABLE (503 with
 * Retry-After), not a 500; a connection lost while checked out is not an unhandled `error` event.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { translatePgError } from '../../src/db/pg-errors.ts';
import { createPool, type Db } from '../../src/db/pool.ts';
import { AppError } from '../../src/errors.ts';
import { createTestDatabase } from '../helpers.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let pool: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  pool = createPool(database.url, 1, 300);
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('the pool', () => {
  it('answers SERVICE_UNAVAILABLE when no connection is free within its connect timeout', async () => {
    const held = await pool.connect();
    try {
      const err = await pool.query('SELECT 1').catch((e: unknown) => e);
      const mapped = translatePgError(err);
      expect(mapped).toBeInstanceOf(AppError);
      expect((mapped as AppError).code).toBe('SERVICE_UNAVAILABLE');
      expect((mapped as AppError).status).toBe(503);
    } finally {
      held.release();
    }
    expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n).toBe(1);
  });

  it('survives a checked-out connection killed by the server: the query fails, the process does not, the pool reconnects', async () => {
    const client = await pool.connect();
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const killer = createPool(database.url, 1);
    await killer.query('SELECT pg_terminate_backend($1)', [pid]);
    await killer.end();
    const err = await client.query('SELECT 1').catch((e: unknown) => e);
    expect((translatePgError(err) as AppError).code).toBe('SERVICE_UNAVAILABLE');
    client.release(err as Error);
    expect((await pool.query<{ n: number }>('SELECT 1 AS n')).rows[0]!.n).toBe(1);
  });
});
