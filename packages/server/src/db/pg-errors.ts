import { AppError } from '../errors.ts';

interface PgError {
  code?: string;
  constraint?: string;
  detail?: string;
}

/** Bad input the database refused: no input should get this far (the schema and the input guard are first). */
const DATA_ERRORS = new Set([
  '22001', // string too long
  '22003', // numeric value out of range
  '22007', // invalid datetime format
  '22008', // datetime field overflow
  '22021', // character not in repertoire (U+0000, bad UTF-8)
  '22P02', // invalid text representation (a uuid, an integer)
  '22P05', // untranslatable character (U+0000 in jsonb)
  '2201B', // invalid regular expression
  '22019', // invalid escape character
  '22025', // invalid escape sequence
  '23502', // not null
  '23514', // check constraint
  '54000', // program limit exceeded (an index row too large)
]);

/** The server is going away or cannot take the connection: try again later. */
const UNAVAILABLE = new Set([
  '40001',
  '40P01',
  '57014',
  '57P01',
  '57P02',
  '57P03',
  '53300',
  '08000',
  '08003',
  '08006',
  '08001',
  '08004',
]);
const NODE_CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND']);

/** Specific codes for unique keys a client can act on; any other unique key answers ALREADY_EXISTS. */
const UNIQUE_CODES: Record<string, 'USERNAME_TAKEN' | 'CONNECTOR_KEY_ID_TAKEN' | 'CONNECTOR_ID_TAKEN'> = {
  users_username_key: 'USERNAME_TAKEN',
  connectors_inbound_key_id_key: 'CONNECTOR_KEY_ID_TAKEN',
  connectors_pkey: 'CONNECTOR_ID_TAKEN',
};

/** A lost connection, as pg reports it (no SQLSTATE): the pool's client died with the server, or no connection
 * could be had in time (an overloaded or unreachable server): either way, try again later. */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string' && (UNAVAILABLE.has(e.code) || NODE_CONNECTION_ERRORS.has(e.code))) return true;
  return (
    typeof e.message === 'string' &&
    /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed|Cannot use a pool after calling end/i.test(
      e.message,
    )
  );
}

/**
 * Maps a database failure to an error code the client can act on; other errors pass through. Used by the
 * services and, for every path, by the HTTP error handler (http/error-handler.ts).
 */
export function translatePgError(err: unknown): unknown {
  if (err instanceof AppError) return err;
  if (isConnectionError(err)) return new AppError('SERVICE_UNAVAILABLE', '数据库暂不可用，请稍后重试');
  const e = err as PgError;
  if (!e || typeof e !== 'object' || typeof e.code !== 'string' || !/^[0-9A-Z]{5}$/.test(e.code)) return err;
  if (e.code === '23503') {
    if (e.constraint?.includes('district_code_street_code')) return new AppError('STREET_NOT_IN_DISTRICT');
    const field = e.detail?.match(/Key \(([^)]+)\)/)?.[1] ?? e.constraint ?? '';
    return new AppError('REFERENCE_NOT_FOUND', `引用的数据不存在：${field}`, { field, constraint: e.constraint });
  }
  if (e.code === '23505') {
    const specific = e.constraint ? UNIQUE_CODES[e.constraint] : undefined;
    if (specific) return new AppError(specific);
    return new AppError('ALREADY_EXISTS', undefined, { constraint: e.constraint });
  }
  if (e.code === '22021' || e.code === '22P05') return new AppError('TEXT_INVALID');
  if (DATA_ERRORS.has(e.code)) {
    return new AppError('VALIDATION_FAILED', `数据不符合约束：${e.constraint ?? e.code}`, {
      constraint: e.constraint,
      sqlstate: e.code,
    });
  }
  return err;
}
