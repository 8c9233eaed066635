/** A domain outcome: domain code never throws HTTP errors; the server maps `code` to a status. */
export type DomainError = { ok: false; code: string; message: string; details?: Record<string, unknown> };
export type Ok<T> = { ok: true; value: T };
export type Result<T> = Ok<T> | DomainError;

export const ok = <T>(value: T): Ok<T> => ({ ok: true, value });
export const fail = (code: string, message: string, details?: Record<string, unknown>): DomainError =>
  details ? { ok: false, code, message, details } : { ok: false, code, message };
