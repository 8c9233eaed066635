/**
 * Stricter string formats than ajv-formats' for what the handlers and PostgreSQL accept:
 * - `uuid`: the canonical 8-4-4-4-12 form only (ajv-formats also takes `urn:uuid:…`, which uuid columns refuse);
 * - `date-time`: RFC 3339 without leap seconds (`…T23:59:60Z` is not a JavaScript or PostgreSQL time), a
 *   real calendar day, and a year in [MIN_YEAR, MAX_YEAR] (a receipt time in year 0 is a typing error);
 * - `date`: a real calendar day in the same years.
 * Registered on the validator (app.ts, ajv.onCreate), after ajv-formats, so they replace its definitions.
 */
import type { FastifyServerOptions } from 'fastify';

type Ajv = Parameters<NonNullable<NonNullable<FastifyServerOptions['ajv']>['onCreate']>>[0];

export const MIN_YEAR = 1900;
export const MAX_YEAR = 2100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):?(\d{2}))$/;

function validDay(y: number, m: number, d: number): boolean {
  if (y < MIN_YEAR || y > MAX_YEAR || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  return d <= days;
}

export function isDate(s: string): boolean {
  const m = DATE.exec(s);
  return !!m && validDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

export function isDateTime(s: string): boolean {
  const m = DATE_TIME.exec(s);
  if (!m || !validDay(Number(m[1]), Number(m[2]), Number(m[3]))) return false;
  if (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 59) return false;
  if (m[9] !== undefined && (Number(m[9]) > 23 || Number(m[10]) > 59)) return false;
  return Number.isFinite(Date.parse(s.replace(' ', 'T').toUpperCase()));
}

export function isUuid(s: string): boolean {
  return UUID.test(s);
}

export function strictFormats(ajv: Ajv): void {
  ajv.addFormat('uuid', { type: 'string', validate: isUuid });
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime });
  ajv.addFormat('date', { type: 'string', validate: isDate });
}
