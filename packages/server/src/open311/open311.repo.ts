/** Open311 clients, tokens, inbound updates, and the requests an Open311 reader may see. */
import type { Queryable } from '../db/pool.ts';
import { openColumns } from '../crypto/pii.ts';

export interface ClientRow {
  id: string;
  name: string;
  key_hash: string;
  unit_id: string | null;
  batch: boolean;
  active: boolean;
  unit_kind: string | null;
  unit_district: string | null;
}

export async function findClientByKeyHash(db: Queryable, keyHash: string): Promise<ClientRow | null> {
  const r = await db.query<ClientRow>(
    `SELECT c.*, u.kind AS unit_kind, u.district_code AS unit_district FROM open311_clients c
     LEFT JOIN units u ON u.id = c.unit_id WHERE c.key_hash = $1`,
    [keyHash],
  );
  return r.rows[0] ?? null;
}

export async function listClients(db: Queryable) {
  const r = await db.query(
    `SELECT id, name, unit_id AS "unitId", batch, active, created_at AS "createdAt", updated_at AS "updatedAt"
     FROM open311_clients ORDER BY id`,
  );
  return r.rows;
}

export async function upsertClient(
  db: Queryable,
  c: {
    id: string;
    name: string;
    keyHash: string | null;
    unitId: string | null;
    batch: boolean;
    active: boolean;
    by: string | null;
  },
): Promise<boolean> {
  const r = await db.query<{ inserted: boolean }>(
    `INSERT INTO open311_clients (id, name, key_hash, unit_id, batch, active, created_by)
     VALUES ($1, $2, COALESCE($3, encode(sha256(gen_random_uuid()::text::bytea), 'hex')), $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, key_hash = COALESCE($3, open311_clients.key_hash),
       unit_id = EXCLUDED.unit_id, batch = EXCLUDED.batch, active = EXCLUDED.active, updated_at = now()
     RETURNING (xmax = 0) AS inserted`,
    [c.id, c.name, c.keyHash, c.unitId, c.batch, c.active, c.by],
  );
  return r.rows[0]!.inserted;
}

export async function insertToken(db: Queryable, token: string, clientId: string, workOrderId: string) {
  await db.query('INSERT INTO open311_tokens (token, client_id, work_order_id) VALUES ($1, $2, $3)', [
    token,
    clientId,
    workOrderId,
  ]);
}

export async function findToken(db: Queryable, token: string) {
  const r = await db.query<{ token: string; no: string | null }>(
    `SELECT t.token, w.no FROM open311_tokens t LEFT JOIN work_orders w ON w.id = t.work_order_id WHERE t.token = $1`,
    [token],
  );
  return r.rows[0] ?? null;
}

export interface VisibleRequestRow {
  id: string;
  no: string;
  status: string;
  reply_result: string | null;
  category_code: string;
  category_name: string;
  content: string;
  caller_name: string | null;
  lead_unit_name: string | null;
  received_at: Date;
  updated_at: Date;
  due_at: Date;
  address: string;
  district_code: string | null;
  street_code: string | null;
  district_name: string | null;
  street_name: string | null;
  lat: number | null;
  lng: number | null;
}

/**
 * What GeoReport's GET methods show (they need no key): requests filed through Open311, and web
 * requests the citizen agreed to publish and the centre published; never a confidential one.
 */
const VISIBLE = `FROM public_requests p JOIN work_orders w ON w.id = p.work_order_id JOIN requests r ON r.id = w.request_id
  JOIN catalogue_categories cc ON cc.code = w.category_code LEFT JOIN callers c ON c.id = r.caller_id
  LEFT JOIN units u ON u.id = w.lead_unit_id LEFT JOIN districts d ON d.code = r.district_code
  LEFT JOIN streets s ON s.code = r.street_code
  WHERE (p.source = 'open311' OR p.disclosure_status = 'published') AND NOT r.confidential`;

const COLUMNS = `w.id, w.no, w.status, w.category_code, cc.name AS category_name, r.content, c.name_sealed AS caller_name,
  u.name AS lead_unit_name, r.received_at, w.updated_at, w.due_at, r.address, r.district_code, r.street_code,
  d.name AS district_name, s.name AS street_name, r.lat, r.lng,
  (SELECT a.details->>'result' FROM work_order_actions a WHERE a.work_order_id = w.id AND a.action = 'reply' ORDER BY a.id DESC LIMIT 1) AS reply_result`;

export async function listVisible(
  db: Queryable,
  f: {
    nos?: string[];
    serviceCodes?: string[];
    start: Date;
    end: Date;
    statuses?: string[];
    limit: number;
    offset: number;
  },
): Promise<VisibleRequestRow[]> {
  const params: unknown[] = [];
  const where: string[] = [];
  if (f.nos) where.push(`w.no = ANY($${params.push(f.nos)})`);
  else {
    where.push(`r.received_at >= $${params.push(f.start)}`, `r.received_at <= $${params.push(f.end)}`);
    if (f.serviceCodes) where.push(`w.category_code = ANY($${params.push(f.serviceCodes)})`);
    if (f.statuses) where.push(`w.status = ANY($${params.push(f.statuses)})`);
  }
  const r = await db.query<VisibleRequestRow>(
    `SELECT ${COLUMNS} ${VISIBLE} AND ${where.join(' AND ')} ORDER BY r.received_at DESC, w.no DESC
     LIMIT ${f.limit} OFFSET ${f.offset}`,
    params,
  );
  return openColumns(r.rows, { caller_name: 'caller.name' });
}

export async function listVisibleUpdates(db: Queryable, start: Date, end: Date, limit: number) {
  const r = await db.query<{
    action_id: string;
    no: string;
    action: string;
    to_status: string;
    details: Record<string, unknown>;
    at: Date;
    caller_name: string | null;
    reply: string | null;
  }>(
    `SELECT a.id::text AS action_id, w.no, a.action, a.to_status, a.details, a.at, c.name_sealed AS caller_name, w.reply
     ${VISIBLE.replace('FROM public_requests p', 'FROM work_order_actions a JOIN public_requests p ON p.work_order_id = a.work_order_id')}
       AND a.at >= $1 AND a.at <= $2 AND a.action NOT IN ('mark_overdue', 'refuse_extension', 'chat_transcript')
     ORDER BY a.at, a.id LIMIT ${limit}`,
    [start, end],
  );
  return openColumns(r.rows, { caller_name: 'caller.name' });
}

export async function findOrderIdByNo(db: Queryable, no: string) {
  const r = await db.query<{ id: string; status: string; lead_unit_id: string | null }>(
    'SELECT id, status, lead_unit_id FROM work_orders WHERE no = $1',
    [no],
  );
  return r.rows[0] ?? null;
}

export async function findInboundUpdate(db: Queryable, clientId: string, updateId: string) {
  const r = await db.query<{ action_id: string | null }>(
    'SELECT action_id::text FROM open311_inbound_updates WHERE client_id = $1 AND update_id = $2',
    [clientId, updateId],
  );
  return r.rows[0] ?? null;
}

export async function insertInboundUpdate(
  db: Queryable,
  u: { clientId: string; updateId: string; workOrderId: string; status: string },
): Promise<string | null> {
  const r = await db.query<{ action_id: string | null }>(
    `INSERT INTO open311_inbound_updates (client_id, update_id, work_order_id, status, action_id)
     VALUES ($1, $2, $3, $4, (SELECT max(id) FROM work_order_actions WHERE work_order_id = $3))
     ON CONFLICT DO NOTHING RETURNING action_id::text`,
    [u.clientId, u.updateId, u.workOrderId, u.status],
  );
  return r.rows[0]?.action_id ?? null;
}
