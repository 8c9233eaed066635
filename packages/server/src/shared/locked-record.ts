import { inTransaction, type Db, type Tx } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError, type ErrorCode } from '../errors.ts';

/**
 * A use case on one record: one transaction with the row locked (FOR UPDATE), so concurrent actions on
 * it run one after the other; a missing row is `notFound`, a constraint violation its error code.
 */
export async function withLockedRecord<R, T>(
  db: Db,
  lock: (tx: Tx) => Promise<R | null>,
  notFound: ErrorCode,
  fn: (tx: Tx, row: R) => Promise<T>,
): Promise<T> {
  try {
    return await inTransaction(db, async (tx) => {
      const row = await lock(tx);
      if (!row) throw new AppError(notFound);
      return fn(tx, row);
    });
  } catch (err) {
    throw translatePgError(err);
  }
}
