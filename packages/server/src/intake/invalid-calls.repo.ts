/** SQL of 无效来电 / 骚扰来电 (migration 20261219100000): a request with no work order, and its mark. */
import type { InvalidKind } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/pool.ts';
import { REQUEST_CTES, requestParams, type NewRequest } from '../shared/requests.repo.ts';

export interface InvalidCallRow {
  id: string;
  request_id: string;
  kind: InvalidKind;
  note: string | null;
  marked_at: Date;
  received_at: Date;
}

/** The request (with its caller) and its mark, in one statement. */
export async function insertInvalidCall(
  db: Queryable,
  actor: Actor,
  request: NewRequest,
  mark: { kind: InvalidKind; note: string | null },
): Promise<InvalidCallRow> {
  const r = await db.query<InvalidCallRow>(
    `WITH ${REQUEST_CTES}, v AS (
       INSERT INTO invalid_calls (request_id, kind, note, marked_by) SELECT r.id, $17, $18, $12 FROM r
       RETURNING id, request_id, kind, note, marked_at
     ) SELECT v.*, $11::timestamptz AS received_at FROM v`,
    [...requestParams(request, actor), mark.kind, mark.note],
  );
  return r.rows[0]!;
}

/** The marked call made from the request with this client reference (a retried recording). */
export async function findInvalidCallByClientRef(db: Queryable, clientRef: string): Promise<InvalidCallRow | null> {
  const r = await db.query<InvalidCallRow>(
    `SELECT v.id, v.request_id, v.kind, v.note, v.marked_at, r.received_at
     FROM invalid_calls v JOIN requests r ON r.id = v.request_id WHERE r.client_ref = $1`,
    [clientRef],
  );
  return r.rows[0] ?? null;
}
