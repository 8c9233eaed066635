/** SQL fragments built from the domain's constants (never from input), so a rule is written once. */
import type { QueryResultRow } from 'pg';
import { BEIJING_TZ } from '@liandong/domain';
import type { Queryable } from './pool.ts';

/** The Beijing local time of a timestamptz expression. */
export const beijingSql = (expr: string) => `(${expr} AT TIME ZONE '${BEIJING_TZ}')`;

/** A record number: the prefix, the Beijing date, a six-digit running number (工单 GD…, 警情 JQ…). */
export const recordNoSql = (prefix: 'GD' | 'JQ', sequence: string, at = 'now()') =>
  `'${prefix}' || to_char(${beijingSql(at)}, 'YYYYMMDD') || lpad(nextval('${sequence}')::text, 6, '0')`;

/** A list of the domain's codes as SQL literals, e.g. `('received', 'assigned')`. */
export const sqlList = (codes: Iterable<string>) =>
  `(${[...codes].map((c) => `'${c.replace(/'/g, "''")}'`).join(', ')})`;

/** A WHERE clause grown from optional filters, with numbered parameters. */
export class SqlFilter {
  readonly args: unknown[] = [];
  private readonly conditions: string[] = [];

  /** The placeholder of a new parameter. */
  p(value: unknown): string {
    this.args.push(value);
    return `$${this.args.length}`;
  }
  /** The placeholder of the parameter added last (to use one value twice). */
  get again(): string {
    return `$${this.args.length}`;
  }
  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }
  get sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}

/** A search term for ILIKE: the term anywhere, with the pattern characters taken literally. */
export const likeTerm = (q: string) => `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;

/** One page of a filtered list and the total count: the same FROM and WHERE, two statements. */
export async function pageOf<T extends QueryResultRow>(
  db: Queryable,
  q: { select: string; from: string; filter: SqlFilter; orderBy: string; limit: number; offset: number },
): Promise<{ rows: T[]; total: number }> {
  const f = q.filter;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${q.from} ${f.sql}`, [...f.args]);
  const where = f.sql;
  const rows = await db.query<T>(
    `SELECT ${q.select} ${q.from} ${where} ORDER BY ${q.orderBy} LIMIT ${f.p(q.limit)} OFFSET ${f.p(q.offset)}`,
    f.args,
  );
  return { rows: rows.rows, total: total.rows[0]!.n };
}
