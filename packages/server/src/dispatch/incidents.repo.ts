import type { IncidentState, IncidentStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../auth/actor.ts';
import { SqlFilter, likeTerm, pageOf, recordNoSql } from '../db/sql.ts';
import { REQUEST_CTES, actionCte, actionParams, requestParams } from '../shared/requests.repo.ts';
import type { ActionEntry, NewRequest, RecordRow } from '../shared/requests.repo.ts';

export interface IncidentRow extends RecordRow {
  category: IncidentState['category'];
  priority: number;
  status: IncidentStatus;
  tier: IncidentState['tier'];
  unit_id: string | null;
  disposition: IncidentState['disposition'];
  close_kind: IncidentState['closeKind'];
  diverted_to: string | null;
  dispatched_at: Date | null;
  arrived_at: Date | null;
}

export interface NewIncident extends NewRequest {
  category: string;
  priority: number;
}

/** Caller, request, triage outcome, incident and its first action-log entry, in one statement. */
export async function insertIncident(db: Queryable, i: NewIncident, actor: Actor): Promise<IncidentRow> {
  const r = await db.query<IncidentRow>(
    `
    WITH ${REQUEST_CTES}, i AS (
      INSERT INTO incidents (no, request_id, category, priority, status, district_code, created_by, created_at, updated_at)
      SELECT ${recordNoSql('JQ', 'incident_no_seq')},
             r.id, $17, $18, 'received', r.district_code, r.received_by, now(), now() FROM r RETURNING *
    ), a AS (
      INSERT INTO incident_actions (incident_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT i.id, 'create', NULL, 'received', r.received_by, r.receiver_role, r.receiver_unit_id,
             jsonb_build_object('channel', r.channel, 'category', $17::text) FROM i, r
    ) SELECT * FROM i`,
    [...requestParams(i, actor), i.category, i.priority],
  );
  return r.rows[0]!;
}

/** The linkage item an incident was accepted from (the other desk's transfer or escalation), if any. */
export interface IncidentLinkageRow {
  item_id: string;
  kind: string;
  peer: string;
  status: string;
  linked: unknown;
}
export async function findIncidentLinkage(db: Queryable, incidentId: string): Promise<IncidentLinkageRow | null> {
  const r = await db.query<IncidentLinkageRow>(
    `SELECT item_id, kind, peer, status, opening -> 'linked' AS linked FROM linkage_items
    WHERE local_ref = $1 AND side = 'receiver' ORDER BY created_at LIMIT 1`,
    [incidentId],
  );
  return r.rows[0] ?? null;
}

export async function findIncident(db: Queryable, id: string, forUpdate = false): Promise<IncidentRow | null> {
  const r = await db.query<IncidentRow>(`SELECT * FROM incidents WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return r.rows[0] ?? null;
}

/** The state a transition writes, in the order of the UPDATE's parameters ($2–$7). */
const SAVED_STATE = [
  'status',
  'category',
  'tier',
  'unitId',
  'disposition',
  'closeKind',
] as const satisfies readonly (keyof IncidentState)[];

/** Saves a transition: the row's new state and its action-log entry ($9 is the action), in one statement. */
export async function saveIncidentTransition(
  db: Queryable,
  prev: IncidentRow,
  next: IncidentState,
  extra: ActionEntry & { divertedTo?: string | null },
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
    ), ${actionCte('incident', 9)} SELECT * FROM u`,
    [prev.id, ...SAVED_STATE.map((k) => next[k]), extra.divertedTo ?? null, ...actionParams(prev.status, extra)],
  );
  return r.rows[0]!;
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
  /** ISO 8601 date-times, checked by the route's schema */
  createdFrom?: string;
  createdTo?: string;
  order: 'asc' | 'desc';
  /**
   * `urgency`: the 待派警 order (issue 11): emergencies first (the triage found a danger now, or the 12345
   * desk escalated it), then by level (一级 first), then the longest waiting first. Otherwise by time.
   */
  sort?: 'time' | 'urgency';
  limit: number;
  offset: number;
}

/** An incident in a queue: with its unit, district, text, place, and the linkage item it was accepted from. */
export interface ListedIncident extends IncidentRow {
  unit_name: string | null;
  district_name: string | null;
  content: string;
  address: string;
  emergency: boolean;
  linkage_item_id: string | null;
  linkage_kind: string | null;
  linkage_peer: string | null;
  /** The lines the sending desk notified together with the item (its opening's `linked`). */
  linkage_linked: unknown;
  /** The caller's name and number as the sending desk gave them, with the caller's consent. */
  linkage_callback: unknown;
}

export async function listIncidents(db: Queryable, f: IncidentFilter) {
  const w = new SqlFilter();
  if (f.status?.length) w.where(`i.status = ANY(${w.p(f.status)})`);
  if (f.category) w.where(`i.category = ${w.p(f.category)}`);
  if (f.districtCode) w.where(`i.district_code = ${w.p(f.districtCode)}`);
  if (f.unitId) w.where(`i.unit_id = ${w.p(f.unitId)}`);
  if (f.tier) w.where(`i.tier = ${w.p(f.tier)}`);
  if (f.priority) w.where(`i.priority = ${w.p(f.priority)}`);
  if (f.closeKind) w.where(`i.close_kind = ${w.p(f.closeKind)}`);
  if (f.q) w.where(`(i.no = ${w.p(f.q)} OR r.content ILIKE ${w.p(likeTerm(f.q))})`);
  if (f.createdFrom) w.where(`i.created_at >= ${w.p(f.createdFrom)}::timestamptz`);
  if (f.createdTo) w.where(`i.created_at < ${w.p(f.createdTo)}::timestamptz`);
  return pageOf<ListedIncident>(db, {
    select: `i.*, u.name AS unit_name, d.name AS district_name, r.content, r.address,
      (COALESCE(t.emergency, false) OR COALESCE(li.kind = 'emergency', false)) AS emergency,
      li.item_id AS linkage_item_id, li.kind AS linkage_kind, li.peer AS linkage_peer,
      li.opening -> 'linked' AS linkage_linked, li.opening -> 'callback' AS linkage_callback`,
    from: `FROM incidents i JOIN requests r ON r.id = i.request_id LEFT JOIN units u ON u.id = i.unit_id
      LEFT JOIN districts d ON d.code = i.district_code LEFT JOIN triage_outcomes t ON t.request_id = i.request_id
      LEFT JOIN LATERAL (SELECT item_id, kind, peer, opening FROM linkage_items
        WHERE local_ref = i.id::text AND side = 'receiver' ORDER BY created_at LIMIT 1) li ON true`,
    filter: w,
    orderBy:
      f.sort === 'urgency'
        ? 'emergency DESC, i.priority ASC, i.created_at ASC, i.id'
        : `i.created_at ${f.order}, i.id ${f.order}`,
    limit: f.limit,
    offset: f.offset,
  });
}
