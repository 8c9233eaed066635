import { OPEN_WORK_ORDER_STATUSES, type WorkOrderState, type WorkOrderStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../auth/actor.ts';
import { SqlFilter, likeTerm, pageOf, recordNoSql, sqlList } from '../db/sql.ts';
import { REQUEST_CTES, actionCte, actionParams, requestParams } from '../shared/requests.repo.ts';
import type { ActionEntry, NewRequest, RecordRow } from '../shared/requests.repo.ts';
import { phoneHash } from '../crypto/pii.ts';

export interface WorkOrderRow extends RecordRow {
  order_type: string;
  category_code: string;
  title: string;
  urgent: boolean;
  urgent_kind: string | null;
  status: WorkOrderStatus;
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
  replied_at: Date | null;
}

export interface NewWorkOrder extends NewRequest {
  orderType: string;
  categoryCode: string;
  title: string;
  urgentKind: string | null;
  dueAt: Date;
}

/**
 * Caller, request, triage outcome, work order and its first action-log entry, in one statement (one
 * round trip, one implicit transaction).
 */
export async function insertWorkOrder(db: Queryable, o: NewWorkOrder, actor: Actor): Promise<WorkOrderRow> {
  const r = await db.query<WorkOrderRow>(
    `
    WITH ${REQUEST_CTES}, w AS (
      INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status, district_code, due_at, created_by, created_at, updated_at)
      SELECT ${recordNoSql('GD', 'work_order_no_seq')},
             r.id, $17, $18, $19, $20::text IS NOT NULL, $20, 'received', r.district_code, $21, r.received_by, now(), now()
      FROM r RETURNING *
    ), a AS (
      INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT w.id, 'create', NULL, 'received', r.received_by, r.receiver_role, r.receiver_unit_id,
             jsonb_build_object('channel', r.channel, 'urgentKind', $20::text) FROM w, r
    )
    SELECT * FROM w`,
    [...requestParams(o, actor), o.orderType, o.categoryCode, o.title, o.urgentKind, o.dueAt],
  );
  return r.rows[0]!;
}

export async function findWorkOrder(db: Queryable, id: string, forUpdate = false): Promise<WorkOrderRow | null> {
  const r = await db.query<WorkOrderRow>(`SELECT * FROM work_orders WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
    id,
  ]);
  return r.rows[0] ?? null;
}

/** An order by its number (GD + date + sequence). */
export async function findWorkOrderByNo(db: Queryable, no: string): Promise<WorkOrderRow | null> {
  const r = await db.query<WorkOrderRow>(`SELECT * FROM work_orders WHERE no = $1`, [no]);
  return r.rows[0] ?? null;
}

/** The state a transition writes, in the order of the UPDATE's parameters ($2–$11; objects go as JSON). */
const SAVED_STATE = [
  'status',
  'leadUnitId',
  'assistUnitIds',
  'dueAt',
  'overdue',
  'supervised',
  'pendingExtension',
  'satisfaction',
  'reopenCount',
  'mergedIntoId',
] as const satisfies readonly (keyof WorkOrderState)[];

/** Saves a transition: the row's new state and its action-log entry, in one statement. */
export async function saveWorkOrderTransition(
  db: Queryable,
  prev: WorkOrderRow,
  next: WorkOrderState,
  extra: ActionEntry & { reply?: string | null; repliedAt?: boolean; closed?: boolean },
): Promise<WorkOrderRow> {
  const r = await db.query<WorkOrderRow>(
    `
    WITH u AS (
      UPDATE work_orders SET status = $2, lead_unit_id = $3, assist_unit_ids = $4, due_at = $5, overdue = $6, supervised = $7,
        pending_extension = $8, satisfaction = $9, reopen_count = $10, merged_into_id = $11,
        reply = COALESCE($12, reply), replied_at = CASE WHEN $13 THEN now() ELSE replied_at END,
        closed_at = CASE WHEN $14 THEN now() ELSE closed_at END, updated_at = now()
      WHERE id = $1 RETURNING *
    ), ${actionCte('work_order', 15)} SELECT * FROM u`,
    [
      prev.id,
      ...SAVED_STATE.map((k) => next[k]),
      extra.reply ?? null,
      extra.repliedAt ?? false,
      extra.closed ?? false,
      ...actionParams(prev.status, extra),
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
  /** in a status whose deadline runs (OPEN_WORK_ORDER_STATUSES), or not */
  open?: boolean;
  supervised?: boolean;
  satisfaction?: string;
  q?: string;
  /** the caller's number, exactly; `phoneSkipsConfidential` for readers who may not link a 保密 caller to it */
  phone?: string;
  phoneSkipsConfidential?: boolean;
  /** part of the address, of the request's content or the reply */
  address?: string;
  text?: string;
  /** ISO 8601 date-times, checked by the route's schema */
  createdFrom?: string;
  createdTo?: string;
  dueBefore?: string;
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
  const w = new SqlFilter();
  if (f.status?.length) w.where(`w.status = ANY(${w.p(f.status)})`);
  if (f.orderType) w.where(`w.order_type = ${w.p(f.orderType)}`);
  if (f.categoryCode)
    w.where(
      `(w.category_code = ${w.p(f.categoryCode)} OR w.category_code IN (SELECT code FROM catalogue_categories WHERE parent_code = ${w.again}))`,
    );
  if (f.districtCode) w.where(`w.district_code = ${w.p(f.districtCode)}`);
  if (f.leadUnitId) w.where(`w.lead_unit_id = ${w.p(f.leadUnitId)}`);
  if (f.urgent !== undefined) w.where(`w.urgent = ${w.p(f.urgent)}`);
  if (f.overdue !== undefined) w.where(`w.overdue = ${w.p(f.overdue)}`);
  if (f.open !== undefined) w.where(`${f.open ? '' : 'NOT '}(w.status = ANY(${w.p([...OPEN_WORK_ORDER_STATUSES])}))`);
  if (f.supervised !== undefined) w.where(`w.supervised = ${w.p(f.supervised)}`);
  if (f.satisfaction) w.where(`w.satisfaction = ${w.p(f.satisfaction)}`);
  if (f.q) w.where(`(w.no = ${w.p(f.q)} OR w.title ILIKE ${w.p(likeTerm(f.q))})`);
  if (f.phone)
    w.where(
      `w.request_id IN (SELECT r.id FROM requests r JOIN callers c ON c.id = r.caller_id WHERE c.phone_hash = ${w.p(phoneHash(f.phone))}${f.phoneSkipsConfidential ? ' AND NOT r.confidential' : ''})`,
    );
  if (f.address)
    w.where(`w.request_id IN (SELECT r.id FROM requests r WHERE r.address ILIKE ${w.p(likeTerm(f.address))})`);
  if (f.text)
    w.where(
      `(w.reply ILIKE ${w.p(likeTerm(f.text))} OR w.request_id IN (SELECT r.id FROM requests r WHERE r.content ILIKE ${w.again}))`,
    );
  if (f.createdFrom) w.where(`w.created_at >= ${w.p(f.createdFrom)}::timestamptz`);
  if (f.createdTo) w.where(`w.created_at < ${w.p(f.createdTo)}::timestamptz`);
  if (f.dueBefore) w.where(`w.due_at < ${w.p(f.dueBefore)}::timestamptz`);
  if (f.scope.unitId) w.where(`(w.lead_unit_id = ${w.p(f.scope.unitId)} OR ${w.again} = ANY(w.assist_unit_ids))`);
  if (f.scope.districtCode)
    w.where(`(w.district_code = ${w.p(f.scope.districtCode)} OR lu.district_code = ${w.again})`);
  return pageOf(db, {
    select: 'w.*, lu.name AS lead_unit_name, d.name AS district_name',
    from: 'FROM work_orders w LEFT JOIN units lu ON lu.id = w.lead_unit_id LEFT JOIN districts d ON d.code = w.district_code',
    filter: w,
    orderBy: `w.${f.sort} ${f.order}, w.id ${f.order}`,
    limit: f.limit,
    offset: f.offset,
  });
}

/** Open orders past their due time and not yet marked, claimed so that several workers can sweep. */
export async function claimOverdue(db: Queryable, limit: number): Promise<WorkOrderRow[]> {
  const r = await db.query<WorkOrderRow>(
    `
    SELECT * FROM work_orders
    WHERE NOT overdue AND due_at < now() AND status IN ${sqlList(OPEN_WORK_ORDER_STATUSES)}
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
