import { AppError } from '../errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Maps a constraint violation to an error code the client can act on; other errors pass through. */
export function translatePgError(err: unknown): unknown {
  const e = err as PgError;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string') return err;
  if (e.code === '23503') {
    if (e.constraint?.includes('district_code_street_code')) return new AppError('STREET_NOT_IN_DISTRICT');
    const field = e.detail?.match(/Key \(([^)]+)\)/)?.[1] ?? e.constraint ?? '';
    return new AppError('REFERENCE_NOT_FOUND', `引用的数据不存在：${field}`, { field, constraint: e.constraint });
  }
  if (e.code === '23514' || e.code === '22001' || e.code === '22P02' || e.code === '22007' || e.code === '22008') {
    return new AppError('VALIDATION_FAILED', `数据不符合约束：${e.constraint ?? e.code}`, { constraint: e.constraint });
  }
  return err;
}
