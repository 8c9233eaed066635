import type { TriageOutcome, WorkOrderState, WorkOrderStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../auth/actor.ts';
import { triageJson, triageOutcomeCte } from '../triage/catalogue.repo.ts';

export interface WorkOrderRow {
  id: string;
  no: string;
  request_id: string;
  order_type: string;
  category_code: string;
  title: string;
  urgent: boolean;
  urgent_kind: string | null;
  status: WorkOrderStatus;
  district_code: string | null;
  lead_unit_id: string | null;
  assist_unit_ids: string[];
  due_at: Date;
  overdue: boolean;
  supervised: boolean;
  pending_extension: { requestedDueAt: string; reason: string } | null;
  satisfaction: WorkOrderState['satisfaction'];
  reopen_count: number;
  merged_into_id: string | null;
  reply: string | null;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  replied_at: Date | null;
  closed_at: Date | null;
}

export interface NewWorkOrder {
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
  orderType: string;
  categoryCode: string;
  title: string;
  urgentKind: string | null;
  dueAt: Date;
  triage: TriageOutcome | null;
}

/**
 * Caller, request, work order and its first action-log entry, in one statement (one round trip,
 * one implicit transaction).
 */
export async function insertWorkOrder(db: Queryable, o: NewWorkOrder, actor: Actor): Promise<WorkOrderRow> {
  const r = await db.query<WorkOrderRow>(
    `
    WITH c AS (
      INSERT INTO callers (name, phone) SELECT $1, $2 WHERE $1::text IS NOT NULL OR $2::text IS NOT NULL RETURNING id
    ), r AS (
      INSERT INTO requests (channel, caller_id, confidential, content, address, district_code, street_code, lat, lng, received_at, received_by, client_ref)
      VALUES ($3, (SELECT id FROM c), $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id, received_at
    ), w AS (
      INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status, district_code, due_at, created_by, created_at, updated_at)
      SELECT 'GD' || to_char(now() AT TIME ZONE 'Asia/Shanghai', 'YYYYMMDD') || lpad(nextval('work_order_no_seq')::text, 6, '0'),
             r.id, $14, $15, $16, $17::text IS NOT NULL, $17, 'received', $7, $18, $12, now(), now()
      FROM r RETURNING *
    ), a AS (
      INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT w.id, 'create', NULL, 'received', $12, $19, $20, jsonb_build_object('channel', $3::text, 'urgentKind', $17::text) FROM w
    ), ${triageOutcomeCte(21)}
    SELECT * FROM w`,
    [
      o.callerName,
      o.callerPhone,
      o.channel,
      o.confidential,
      o.content,
      o.address,
      o.districtCode,
      o.streetCode,
      o.lat,
      o.lng,
      o.receivedAt,
      actor.id,
      o.clientRef,
      o.orderType,
      o.categoryCode,
      o.title,
      o.urgentKind,
      o.dueAt,
      actor.role,
      actor.unitId,
      triageJson(o.triage),
    ],
  );
  return r.rows[0]!;
}

export async function findWorkOrderIdByClientRef(db: Queryable, clientRef: string): Promise<string | null> {
  const r = await db.query<{ id: string }>(
    'SELECT w.id FROM work_orders w JOIN requests r ON r.id = w.request_id WHERE r.client_ref = $1',
    [clientRef],
  );
  return r.rows[0]?.id ?? null;
}

export async function findWorkOrder(db: Queryable, id: string, forUpdate = false): Promise<WorkOrderRow | null> {
  const r = await db.query<WorkOrderRow>(`SELECT * FROM work_orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return r.rows[0] ?? null;
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

export async function listWorkOrderActions(db: Queryable, id: string): Promise<ActionRow[]> {
  const r = await db.query<ActionRow>(
    `
    SELECT a.id, a.action, a.from_status, a.to_status, a.actor_id, COALESCE(u.display_name, CASE WHEN a.actor_id IS NULL THEN '系统' END) AS actor_name,
           a.actor_role, a.actor_unit_id, a.details, a.at
    FROM work_order_actions a LEFT JOIN users u ON u.id = a.actor_id WHERE a.work_order_id = $1 ORDER BY a.id`,
    [id],
  );
  return r.rows;
}

export async function saveWorkOrderTransition(
  db: Queryable,
  prev: WorkOrderRow,
  next: WorkOrderState,
  extra: {
    action: string;
    details: Record<string, unknown>;
    actor: Actor;
    reply?: string | null;
    repliedAt?: boolean;
    closed?: boolean;
  },
): Promise<WorkOrderRow> {
  const r = await db.query<WorkOrderRow>(
    `
    WITH u AS (
      UPDATE work_orders SET status = $2, lead_unit_id = $3, assist_unit_ids = $4, due_at = $5, overdue = $6, supervised = $7,
        pending_extension = $8, satisfaction = $9, reopen_count = $10, merged_into_id = $11,
        reply = COALESCE($12, reply), replied_at = CASE WHEN $13 THEN now() ELSE replied_at END,
        closed_at = CASE WHEN $14 THEN now() ELSE closed_at END, updated_at = now()
      WHERE id = $1 RETURNING *
    ), a AS (
      INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT u.id, $15, $16, u.status, $17, $18, $19, $20 FROM u
    ) SELECT * FROM u`,
    [
      prev.id,
      next.status,
      next.leadUnitId,
      next.assistUnitIds,
      next.dueAt,
      next.overdue,
      next.supervised,
      next.pendingExtension ? JSON.stringify(next.pendingExtension) : null,
      next.satisfaction,
      next.reopenCount,
      next.mergedIntoId,
      extra.reply ?? null,
      extra.repliedAt ?? false,
      extra.closed ?? false,
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

export interface ListFilter {
  status?: string[];
  orderType?: string;
  categoryCode?: string;
  districtCode?: string;
  leadUnitId?: string;
  urgent?: boolean;
  overdue?: boolean;
  supervised?: boolean;
  q?: string;
  createdFrom?: Date;
  createdTo?: Date;
  dueBefore?: Date;
  sort: 'created_at' | 'due_at' | 'updated_at';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
  scope: { unitId?: string; districtCode?: string };
}

export async function listWorkOrders(
  db: Queryable,
  f: ListFilter,
): Promise<{
  rows: (WorkOrderRow & { lead_unit_name: string | null; district_name: string | null })[];
  total: number;
}> {
  const where: string[] = [];
  const args: unknown[] = [];
  const p = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.status?.length) where.push(`w.status = ANY(${p(f.status)})`);
  if (f.orderType) where.push(`w.order_type = ${p(f.orderType)}`);
  if (f.categoryCode)
    where.push(
      `(w.category_code = ${p(f.categoryCode)} OR w.category_code IN (SELECT code FROM catalogue_categories WHERE parent_code = $${args.length}))`,
    );
  if (f.districtCode) where.push(`w.district_code = ${p(f.districtCode)}`);
  if (f.leadUnitId) where.push(`w.lead_unit_id = ${p(f.leadUnitId)}`);
  if (f.urgent !== undefined) where.push(`w.urgent = ${p(f.urgent)}`);
  if (f.overdue !== undefined) where.push(`w.overdue = ${p(f.overdue)}`);
  if (f.supervised !== undefined) where.push(`w.supervised = ${p(f.supervised)}`);
  if (f.q) where.push(`(w.no = ${p(f.q)} OR w.title ILIKE ${p(`%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`)})`);
  if (f.createdFrom) where.push(`w.created_at >= ${p(f.createdFrom)}`);
  if (f.createdTo) where.push(`w.created_at < ${p(f.createdTo)}`);
  if (f.dueBefore) where.push(`w.due_at < ${p(f.dueBefore)}`);
  if (f.scope.unitId) where.push(`(w.lead_unit_id = ${p(f.scope.unitId)} OR $${args.length} = ANY(w.assist_unit_ids))`);
  if (f.scope.districtCode)
    where.push(`(w.district_code = ${p(f.scope.districtCode)} OR lu.district_code = $${args.length})`);
  const whereSql = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const from = `FROM work_orders w LEFT JOIN units lu ON lu.id = w.lead_unit_id LEFT JOIN districts d ON d.code = w.district_code`;
  const total = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${from} ${whereSql}`, args);
  const rows = await db.query<WorkOrderRow & { lead_unit_name: string | null; district_name: string | null }>(
    `SELECT w.*, lu.name AS lead_unit_name, d.name AS district_name ${from} ${whereSql}
     ORDER BY w.${f.sort} ${f.order}, w.id ${f.order} LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
    args,
  );
  return { rows: rows.rows, total: total.rows[0]!.n };
}

/** Open orders past their due time and not yet marked, claimed so that several workers can sweep. */
export async function claimOverdue(db: Queryable, limit: number): Promise<WorkOrderRow[]> {
  const r = await db.query<WorkOrderRow>(
    `
    SELECT * FROM work_orders
    WHERE NOT overdue AND due_at < now() AND status IN ('received', 'assigned', 'returned', 'signed', 'in_progress')
    ORDER BY due_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
    [limit],
  );
  return r.rows;
}

/**
 * Recent orders that may be the same matter (重复诉求): same place (the address, or the street) and the
 * same topic (the category or its parent), newest first. The call-taker merges instead of opening twice.
 */
export async function findSimilarRecent(
  db: Queryable,
  f: {
    address: string | null;
    districtCode: string | null;
    streetCode: string | null;
    categoryCode: string | null;
    since: Date;
    limit: number;
  },
) {
  const r = await db.query<
    WorkOrderRow & { address: string; street_code: string | null; same_address: boolean; same_category: boolean }
  >(
    `
    WITH cat AS (SELECT COALESCE(parent_code, code) AS root FROM catalogue_categories WHERE code = $4)
    SELECT w.*, q.address, q.street_code,
      ($1::text <> '' AND regexp_replace(q.address, '\\s', '', 'g') = $1) AS same_address,
      (c.code = $4 OR COALESCE(c.parent_code, c.code) = (SELECT root FROM cat)) AS same_category
    FROM work_orders w JOIN requests q ON q.id = w.request_id JOIN catalogue_categories c ON c.code = w.category_code
    WHERE w.created_at >= $5 AND w.status <> 'merged'
      AND ( ($1::text <> '' AND regexp_replace(q.address, '\\s', '', 'g') = $1)
         OR (($3::text IS NOT NULL AND q.street_code = $3 OR $3::text IS NULL AND $2::text IS NOT NULL AND q.district_code = $2)
             AND (c.code = $4 OR COALESCE(c.parent_code, c.code) = (SELECT root FROM cat))) )
    ORDER BY same_address DESC, w.created_at DESC LIMIT $6`,
    [(f.address ?? '').replace(/\s/g, ''), f.districtCode, f.streetCode, f.categoryCode, f.since, f.limit],
  );
  return r.rows;
}
