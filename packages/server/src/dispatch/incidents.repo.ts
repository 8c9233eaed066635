import type { IncidentState, IncidentStatus, TriageOutcome } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../auth/actor.ts';
import { triageJson, triageOutcomeCte } from '../triage/catalogue.repo.ts';

export interface IncidentRow {
  id: string;
  no: string;
  request_id: string;
  category: IncidentState['category'];
  priority: number;
  status: IncidentStatus;
  district_code: string | null;
  tier: IncidentState['tier'];
  unit_id: string | null;
  disposition: IncidentState['disposition'];
  close_kind: IncidentState['closeKind'];
  diverted_to: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  dispatched_at: Date | null;
  arrived_at: Date | null;
  closed_at: Date | null;
}

export interface NewIncident {
  channel: string;
  callerName: string | null;
  callerPhone: string | null;
  content: string;
  address: string;
  districtCode: string | null;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
  receivedAt: Date;
  clientRef: string | null;
  category: string;
  priority: number;
  triage: TriageOutcome | null;
}

export async function insertIncident(db: Queryable, i: NewIncident, actor: Actor): Promise<IncidentRow> {
  const r = await db.query<IncidentRow>(
    `
    WITH c AS (
      INSERT INTO callers (name, phone) SELECT $1, $2 WHERE $1::text IS NOT NULL OR $2::text IS NOT NULL RETURNING id
    ), r AS (
      INSERT INTO requests (channel, caller_id, content, address, district_code, street_code, lat, lng, received_at, received_by, client_ref)
      VALUES ($3, (SELECT id FROM c), $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id
    ), i AS (
      INSERT INTO incidents (no, request_id, category, priority, status, district_code, created_by, created_at, updated_at)
      SELECT 'JQ' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('incident_no_seq')::text, 6, '0'),
             r.id, $13, $14, 'received', $6, $11, now(), now() FROM r RETURNING *
    ), a AS (
      INSERT INTO incident_actions (incident_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT i.id, 'create', NULL, 'received', $11, $15, $16, jsonb_build_object('channel', $3::text, 'category', $13::text) FROM i
    ), ${triageOutcomeCte(17)} SELECT * FROM i`,
    [
      i.callerName,
      i.callerPhone,
      i.channel,
      i.content,
      i.address,
      i.districtCode,
      i.streetCode,
      i.lat,
      i.lng,
      i.receivedAt,
      actor.id,
      i.clientRef,
      i.category,
      i.priority,
      actor.role,
      actor.unitId,
      triageJson(i.triage),
    ],
  );
  return r.rows[0]!;
}

export async function findIncidentIdByClientRef(db: Queryable, clientRef: string): Promise<string | null> {
  const r = await db.query<{ id: string }>(
    'SELECT i.id FROM incidents i JOIN requests r ON r.id = i.request_id WHERE r.client_ref = $1',
    [clientRef],
  );
  return r.rows[0]?.id ?? null;
}

export async function findIncident(db: Queryable, id: string, forUpdate = false): Promise<IncidentRow | null> {
  const r = await db.query<IncidentRow>(`SELECT * FROM incidents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

export async function saveIncidentTransition(
  db: Queryable,
  prev: IncidentRow,
  next: IncidentState,
  extra: {
    action: string;
    details: Record<string, unknown>;
    actor: Actor;
    divertedTo?: string | null;
  },
): Promise<IncidentRow> {
  const r = await db.query<IncidentRow>(
    `
    WITH u AS (
      UPDATE incidents SET status = $2, category = $3, tier = $4, unit_id = $5, disposition = $6, close_kind = $7,
        diverted_to = COALESCE($8, diverted_to), updated_at = now(),
        dispatched_at = CASE WHEN $9 IN ('dispatch', 'redispatch') THEN now() ELSE dispatched_at END,
        arrived_at = CASE WHEN $9 = 'arrive' THEN now() ELSE arrived_at END,
        closed_at = CASE WHEN $2 = 'closed' THEN now() ELSE closed_at END
      WHERE id = $1 RETURNING *
    ), a AS (
      INSERT INTO incident_actions (incident_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT u.id, $9, $10, u.status, $11, $12, $13, $14 FROM u
    ) SELECT * FROM u`,
    [
      prev.id,
      next.status,
      next.category,
      next.tier,
      next.unitId,
      next.disposition,
      next.closeKind,
      extra.divertedTo ?? null,
      extra.action,
      prev.status,
      extra.actor.id,
      extra.actor.role,
      extra.actor.unitId,
      JSON.stringify(extra.details),
    ],
  );
  return r.rows[0]!;
}

export async function listIncidentActions(db: Queryable, id: string) {
  const r = await db.query<{
    id: number;
    action: string;
    from_status: string | null;
    to_status: string;
    actor_id: string | null;
    actor_name: string | null;
    actor_role: string | null;
    details: Record<string, unknown>;
    at: Date;
  }>(
    `
    SELECT a.id, a.action, a.from_status, a.to_status, a.actor_id, u.display_name AS actor_name, a.actor_role, a.details, a.at
    FROM incident_actions a LEFT JOIN users u ON u.id = a.actor_id WHERE a.incident_id = $1 ORDER BY a.id`,
    [id],
  );
  return r.rows;
}

export interface IncidentFilter {
  status?: string[];
  category?: string;
  districtCode?: string;
  unitId?: string;
  tier?: string;
  priority?: number;
  closeKind?: string;
  q?: string;
  createdFrom?: Date;
  createdTo?: Date;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

export async function listIncidents(db: Queryable, f: IncidentFilter) {
  const where: string[] = [];
  const args: unknown[] = [];
  const p = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.status?.length) where.push(`i.status = ANY(${p(f.status)})`);
  if (f.category) where.push(`i.category = ${p(f.category)}`);
  if (f.districtCode) where.push(`i.district_code = ${p(f.districtCode)}`);
  if (f.unitId) where.push(`i.unit_id = ${p(f.unitId)}`);
  if (f.tier) where.push(`i.tier = ${p(f.tier)}`);
  if (f.priority) where.push(`i.priority = ${p(f.priority)}`);
  if (f.closeKind) where.push(`i.close_kind = ${p(f.closeKind)}`);
  if (f.q) where.push(`(i.no = ${p(f.q)} OR r.content ILIKE ${p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)})`);
  if (f.createdFrom) where.push(`i.created_at >= ${p(f.createdFrom)}`);
  if (f.createdTo) where.push(`i.created_at < ${p(f.createdTo)}`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const from =
    'FROM incidents i JOIN requests r ON r.id = i.request_id LEFT JOIN units u ON u.id = i.unit_id LEFT JOIN districts d ON d.code = i.district_code';
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${from} ${whereSql}`, args);
  const rows = await db.query<
    IncidentRow & { unit_name: string | null; district_name: string | null; content: string; address: string }
  >(
    `SELECT i.*, u.name AS unit_name, d.name AS district_name, r.content, r.address ${from} ${whereSql}
     ORDER BY i.created_at ${f.order}, i.id ${f.order} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
    args,
  );
  return { rows: rows.rows, total: total.rows[0]!.n };
}
