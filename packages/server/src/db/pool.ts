import pg from 'pg';

// timestamptz and dates come back as JS Date / ISO strings; bigint counts as numbers (they fit).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.DATE, (v) => v);

export type Db = pg.Pool;
export type Tx = pg.PoolClient;
export type Queryable = pg.Pool | pg.PoolClient;

/**
 * A pool that survives its server dying: a lost connection is never an unhandled `error` event (which
 * would end the process), whether the client is idle in the pool (the pool drops it) or checked out for
 * a transaction (its query fails with the connection error, and the pool drops it when it is released).
 * New connections are made on demand, so the pool reconnects by itself once the server is back; a
 * connection attempt gives up after `connectTimeoutMs`, so a request waits a bounded time (and answers
 * 503) rather than for ever.
 */
export function createPool(url: string, max = 20, connectTimeoutMs = 10_000): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: connectTimeoutMs,
  });
  pool.on('error', () => undefined); // an idle client's error: the pool has already dropped it
  pool.on('connect', (client) => {
    // A checked-out client has no pool listener: its error also fails its query, which reports it.
    client.on('error', () => undefined);
  });
  return pool;
}

/** Runs `fn` in one transaction: everything it writes commits together or not at all. */
export async function inTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await db.connect();
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
