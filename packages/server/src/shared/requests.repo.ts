/** Requests, callers, action logs and units: what both desks' records share, written once. */
import type { TriageOutcome } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { Queryable } from '../db/pool.ts';
import { openColumns, phoneHash, seal } from '../crypto/pii.ts';
import { triageJson, triageOutcomeCte } from '../triage/catalogue.repo.ts';

/** The columns every desk record has (a work order, an incident): made from one request, numbered, logged. */
export interface RecordRow {
  id: string;
  /** 工单号 GD… or 警情号 JQ… */
  no: string;
  request_id: string;
  district_code: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  /** A drill (应急演练), copied from its request (migration 20261213020000). */
  exercise: boolean;
}

/** A request as either desk takes it in. */
export interface NewRequest {
  channel: string;
  callerName: string | null;
  callerPhone: string | null;
  confidential: boolean;
  content: string;
  address: string;
  districtCode: string | null;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
  receivedAt: Date;
  clientRef: string | null;
  triage: TriageOutcome | null;
}

/**
 * The parameters $1–$16 of REQUEST_CTES; a desk's own parameters follow from $17. The caller's name and
 * number are sealed here (crypto/pii.ts): $1 the sealed name, $2 the sealed number and its look-up hash.
 */
export function requestParams(r: NewRequest, actor: Actor): unknown[] {
  return [
    seal(r.callerName, 'caller.name'),
    r.callerPhone === null ? null : [seal(r.callerPhone, 'caller.phone'), phoneHash(r.callerPhone)],
    r.channel,
    r.confidential,
    r.content,
    r.address,
    r.districtCode,
    r.streetCode,
    r.lat,
    r.lng,
    r.receivedAt,
    actor.id,
    r.clientRef,
    actor.role,
    actor.unitId,
    triageJson(r.triage),
  ];
}

/**
 * The first CTEs of a desk's intake statement: the caller (when named; one record per number, which
 * keeps the latest name given), the request and its triage
 * outcome. `r` also returns who received it and the channel, for the record's first action-log entry.
 */
export const REQUEST_CTES = `c AS (
      INSERT INTO callers (name_sealed, phone_sealed, phone_hash) SELECT $1, ($2::text[])[1], ($2::text[])[2]
      WHERE $1::text IS NOT NULL OR $2::text[] IS NOT NULL
      ON CONFLICT (phone_hash) WHERE phone_hash IS NOT NULL
      DO UPDATE SET name_sealed = coalesce(EXCLUDED.name_sealed, callers.name_sealed), phone_sealed = EXCLUDED.phone_sealed
      RETURNING id
    ), r AS (
      INSERT INTO requests (channel, caller_id, confidential, content, address, district_code, street_code, lat, lng, received_at, received_by, client_ref)
      VALUES ($3, (SELECT id FROM c), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
      RETURNING id, channel, district_code, received_by, $14::text AS receiver_role, $15::text AS receiver_unit_id
    ), ${triageOutcomeCte(16)}`;

/** The work order or incident made from the request with this client reference (a retried intake). */
export async function findByClientRef<T extends { id: string }>(
  db: Queryable,
  table: 'work_orders' | 'incidents',
  clientRef: string,
): Promise<T | null> {
  const r = await db.query<T>(
    `SELECT x.* FROM ${table} x JOIN requests r ON r.id = x.request_id WHERE r.client_ref = $1`,
    [clientRef],
  );
  return r.rows[0] ?? null;
}

/** What a transition writes to the record's action log besides the new status. */
export interface ActionEntry {
  action: string;
  details: Record<string, unknown>;
  actor: Actor;
}

/**
 * The action-log entry of a transition, a CTE after `u` (the updated row): its parameters are
 * `actionParams()`, placed from `$first` on.
 */
export function actionCte(of: 'work_order' | 'incident', first: number): string {
  const $ = (i: number) => `$${first + i}`;
  return `a AS (
      INSERT INTO ${of}_actions (${of}_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT u.id, ${$(0)}, ${$(1)}, u.status, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)} FROM u
    )`;
}
export function actionParams(fromStatus: string, e: ActionEntry): unknown[] {
  return [e.action, fromStatus, e.actor.id, e.actor.role, e.actor.unitId, JSON.stringify(e.details)];
}

export interface ActionRow {
  id: number;
  action: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  actor_name: string | null;
  actor_role: string | null;
  actor_unit_id: string | null;
  details: Record<string, unknown>;
  at: Date;
}

/** A record's action log, oldest first; an entry without a user is the system's (系统). */
export async function listActions(db: Queryable, of: 'work_order' | 'incident', id: string): Promise<ActionRow[]> {
  const r = await db.query<ActionRow>(
    `
    SELECT a.id, a.action, a.from_status, a.to_status, a.actor_id, COALESCE(u.display_name, CASE WHEN a.actor_id IS NULL THEN '系统' END) AS actor_name,
           a.actor_role, a.actor_unit_id, a.details, a.at
    FROM ${of}_actions a LEFT JOIN users u ON u.id = a.actor_id WHERE a.${of}_id = $1 ORDER BY a.id`,
    [id],
  );
  return r.rows;
}

export interface RequestDetailRow {
  channel: string;
  confidential: boolean;
  /** A drill (应急演练). */
  exercise: boolean;
  content: string;
  address: string;
  district_code: string | null;
  street_code: string | null;
  lat: number | null;
  lng: number | null;
  received_at: Date;
  caller_name: string | null;
  caller_phone: string | null;
  district_name: string | null;
  street_name: string | null;
}

/** Marks a request a drill (应急演练): handled end to end, counted in no report. */
export async function markExercise(db: Queryable, requestId: string): Promise<void> {
  await db.query('UPDATE requests SET exercise = true WHERE id = $1', [requestId]);
}

/** Marks the request of a work order or an incident a drill. */
export async function markExerciseOfRecord(db: Queryable, recordId: string): Promise<void> {
  await db.query(
    `UPDATE requests SET exercise = true WHERE id IN (
       SELECT request_id FROM work_orders WHERE id = $1 UNION ALL SELECT request_id FROM incidents WHERE id = $1)`,
    [recordId],
  );
}

/** Query columns holding a caller's sealed name and number, as `openColumns` opens them. */
export const CALLER_COLUMNS = { caller_name: 'caller.name', caller_phone: 'caller.phone' } as const;

export async function findRequestDetail(db: Queryable, requestId: string): Promise<RequestDetailRow | null> {
  const r = await db.query<RequestDetailRow>(
    `
    SELECT r.channel, r.confidential, r.exercise, r.content, r.address, r.district_code, r.street_code, r.lat, r.lng, r.received_at,
           c.name_sealed AS caller_name, c.phone_sealed AS caller_phone, d.name AS district_name, s.name AS street_name
    FROM requests r LEFT JOIN callers c ON c.id = r.caller_id LEFT JOIN districts d ON d.code = r.district_code
    LEFT JOIN streets s ON s.code = r.street_code WHERE r.id = $1`,
    [requestId],
  );
  return openColumns(r.rows, CALLER_COLUMNS)[0] ?? null;
}

export interface UnitRef {
  id: string;
  name: string;
  kind: string;
  desk: string;
  district_code: string | null;
  active: boolean;
}

export async function findUnits(db: Queryable, ids: string[]): Promise<UnitRef[]> {
  if (ids.length === 0) return [];
  const r = await db.query<UnitRef>(
    'SELECT id, name, kind, desk, district_code, active FROM units WHERE id = ANY($1)',
    [ids],
  );
  return r.rows;
}

/** The callers' names of these requests (to take them out of titles shown to readers who see callers masked). */
export async function callerNamesOf(db: Queryable, requestIds: readonly string[]): Promise<Map<string, string>> {
  if (!requestIds.length) return new Map();
  const r = await db.query<{ id: string; name: string }>(
    `SELECT r.id, c.name_sealed AS name FROM requests r JOIN callers c ON c.id = r.caller_id
     WHERE r.id = ANY($1::uuid[]) AND c.name_sealed IS NOT NULL`,
    [[...new Set(requestIds)]],
  );
  return new Map(openColumns(r.rows, { name: 'caller.name' }).map((x) => [x.id, x.name]));
}
