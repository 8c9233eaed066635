/**
 * SQL of the analysis share feed: this desk's records in change order (migration 20261206120000), the
 * peer's records as pulled, the cursor, and the audit of every page served and pulled.
 */
import type { ShareKind, ShareRecord } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import { openColumns } from '../crypto/pii.ts';

/** A position in the feed: the change's transaction id and change number; `0.0` is the start. */
export interface ShareCursor {
  xid: string;
  seq: string;
}

export const START: ShareCursor = { xid: '0', seq: '0' };

export function parseCursor(s: string | undefined): ShareCursor | null {
  if (s === undefined || s === '' || s === '0') return START;
  const m = /^(\d{1,19})\.(\d{1,19})$/.exec(s);
  return m ? { xid: m[1]!, seq: m[2]! } : null;
}

export const cursorText = (c: ShareCursor) => `${c.xid}.${c.seq}`;

export interface ShareRow {
  share_xid: string;
  share_seq: string;
  record_id: string;
  kind: ShareKind;
  received_at: Date;
  district_code: string | null;
  street_code: string | null;
  lat: number | null;
  lng: number | null;
  type: string;
  category: string | null;
  channel: string;
  status: string;
  outcome: string | null;
  satisfaction: string | null;
  urgent: boolean;
  overdue: boolean;
  unit_id: string | null;
  tier: string | null;
  to_dispatch_s: number | null;
  to_arrive_s: number | null;
  to_reply_s: number | null;
  to_close_s: number | null;
  content: string;
  caller_name: string | null;
  caller_phone: string | null;
  address: string;
  exercise: boolean;
  changed_at: Date;
}

const secs = (a: string, b: string) => `extract(epoch FROM ${a} - ${b})::int`;

const WORK_ORDERS = `
  SELECT w.share_xid::text AS share_xid, w.share_seq::text AS share_seq, w.id AS record_id, 'work_order' AS kind,
    r.received_at, w.district_code, r.street_code, r.lat, r.lng, w.order_type AS type, w.category_code AS category,
    r.channel, w.status,
    CASE WHEN w.status = 'merged' THEN 'merged' WHEN w.status = 'archived' THEN 'archived'
         WHEN w.replied_at IS NOT NULL THEN 'replied' END AS outcome,
    w.satisfaction, w.urgent, w.overdue, w.lead_unit_id AS unit_id, NULL::text AS tier,
    ${secs("(SELECT min(a.at) FROM work_order_actions a WHERE a.work_order_id = w.id AND a.action = 'assign')", 'r.received_at')} AS to_dispatch_s,
    NULL::int AS to_arrive_s, ${secs('w.replied_at', 'r.received_at')} AS to_reply_s, ${secs('w.closed_at', 'r.received_at')} AS to_close_s,
    r.content, c.name_sealed AS caller_name, c.phone_sealed AS caller_phone, r.address, r.exercise, w.updated_at AS changed_at
  FROM work_orders w JOIN requests r ON r.id = w.request_id LEFT JOIN callers c ON c.id = r.caller_id
  WHERE (w.share_xid, w.share_seq) > ($1::xid8, $2::bigint) AND w.share_xid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY w.share_xid, w.share_seq LIMIT $3`;

const INCIDENTS = `
  SELECT i.share_xid::text AS share_xid, i.share_seq::text AS share_seq, i.id AS record_id, 'incident' AS kind,
    r.received_at, i.district_code, r.street_code, r.lat, r.lng, i.category AS type, NULL::text AS category,
    r.channel, i.status,
    CASE WHEN i.close_kind IS NOT NULL AND i.disposition IS NOT NULL THEN i.close_kind || ':' || i.disposition
         ELSE COALESCE(i.close_kind, i.disposition) END AS outcome,
    NULL::text AS satisfaction, i.priority = 1 AS urgent, false AS overdue, i.unit_id, i.tier,
    ${secs('i.dispatched_at', 'r.received_at')} AS to_dispatch_s, ${secs('i.arrived_at', 'r.received_at')} AS to_arrive_s,
    NULL::int AS to_reply_s, ${secs('i.closed_at', 'r.received_at')} AS to_close_s,
    r.content, c.name_sealed AS caller_name, c.phone_sealed AS caller_phone, r.address, r.exercise, i.updated_at AS changed_at
  FROM incidents i JOIN requests r ON r.id = i.request_id LEFT JOIN callers c ON c.id = r.caller_id
  WHERE (i.share_xid, i.share_seq) > ($1::xid8, $2::bigint) AND i.share_xid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY i.share_xid, i.share_seq LIMIT $3`;

/** 12345 calls marked invalid or harassing (migration 20261219100000): a request with no work order. */
const INVALID_CALLS = `
  SELECT v.share_xid::text AS share_xid, v.share_seq::text AS share_seq, v.id AS record_id, 'request' AS kind,
    r.received_at, r.district_code, r.street_code, r.lat, r.lng, 'call' AS type, NULL::text AS category,
    r.channel, 'closed' AS status, v.kind AS outcome, NULL::text AS satisfaction, false AS urgent, false AS overdue,
    NULL::text AS unit_id, NULL::text AS tier, NULL::int AS to_dispatch_s, NULL::int AS to_arrive_s,
    NULL::int AS to_reply_s, ${secs('v.marked_at', 'r.received_at')} AS to_close_s,
    r.content, c.name_sealed AS caller_name, c.phone_sealed AS caller_phone, r.address, r.exercise, v.marked_at AS changed_at
  FROM invalid_calls v JOIN requests r ON r.id = v.request_id LEFT JOIN callers c ON c.id = r.caller_id
  WHERE (v.share_xid, v.share_seq) > ($1::xid8, $2::bigint) AND v.share_xid < pg_snapshot_xmin(pg_current_snapshot())
  ORDER BY v.share_xid, v.share_seq LIMIT $3`;

/** This desk's changed records after the cursor, oldest change first; only transactions no longer running. */
export async function changesAfter(
  db: Queryable,
  kinds: readonly ShareKind[],
  after: ShareCursor,
  limit: number,
): Promise<ShareRow[]> {
  const parts = [
    ...(kinds.includes('work_order') ? [WORK_ORDERS] : []),
    ...(kinds.includes('incident') ? [INCIDENTS] : []),
    ...(kinds.includes('request') ? [INVALID_CALLS] : []),
  ];
  if (!parts.length) return [];
  const sql = `SELECT * FROM (${parts.map((p) => `(${p})`).join(' UNION ALL ')}) x
    ORDER BY share_xid::xid8, share_seq::bigint LIMIT $3`;
  return openColumns((await db.query<ShareRow>(sql, [after.xid, after.seq, limit])).rows, {
    caller_name: 'caller.name',
    caller_phone: 'caller.phone',
  });
}

export async function insertSharePull(
  db: Queryable,
  p: {
    direction: 'served' | 'pulled';
    peer: string;
    keyId: string | null;
    after: string;
    next: string;
    records: number;
    /** records of a kind this desk does not know, held in shared_held (a pulled page only) */
    held?: number;
  },
): Promise<void> {
  await db.query(
    'INSERT INTO share_pulls (direction, peer, key_id, after, next, records, held) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [p.direction, p.peer, p.keyId, p.after, p.next, p.records, p.held ?? 0],
  );
}

export async function getShareCursor(db: Queryable, peer: string): Promise<string> {
  const r = await db.query<{ after: string }>('SELECT after FROM share_cursors WHERE peer = $1', [peer]);
  return r.rows[0]?.after ?? '0';
}

export async function setShareCursor(db: Queryable, peer: string, after: string): Promise<void> {
  await db.query(
    `INSERT INTO share_cursors (peer, after) VALUES ($1, $2)
     ON CONFLICT (peer) DO UPDATE SET after = EXCLUDED.after, updated_at = now()`,
    [peer, after],
  );
}

/**
 * Stores the peer's records (a record seen again replaces its earlier version): requests (calls marked
 * invalid or harassing) apart, in `shared_calls`, out of every count of records.
 */
export async function upsertSharedRecords(db: Queryable, source: string, records: ShareRecord[]): Promise<void> {
  const calls = records.filter((r) => r.kind === 'request');
  const others = records.filter((r) => r.kind !== 'request');
  await upsertInto(db, 'shared_records', source, others);
  await upsertInto(db, 'shared_calls', source, calls);
}

async function upsertInto(
  db: Queryable,
  table: 'shared_records' | 'shared_calls',
  source: string,
  records: ShareRecord[],
): Promise<void> {
  if (!records.length) return;
  await db.query(
    `INSERT INTO ${table} (source, record_id, kind, received_at, district_code, street_code, grid_cell, type,
       category, channel, status, outcome, satisfaction, urgent, overdue, unit_id, tier, to_dispatch_s, to_arrive_s,
       to_reply_s, to_close_s, text, exercise, caller_key, place_key, changed_at)
     SELECT $1, x."recordId", x.kind, x."receivedAt", x."districtCode", x."streetCode", x."gridCell", x.type,
       x.category, x.channel, x.status, x.outcome, x.satisfaction, x.urgent, x.overdue, x."unitId", x.tier,
       (x.durations->>'toDispatch')::int, (x.durations->>'toArrive')::int, (x.durations->>'toReply')::int,
       (x.durations->>'toClose')::int, x.text, COALESCE(x.exercise, false), x."callerKey", x."placeKey", x."changedAt"
     FROM jsonb_to_recordset($2::jsonb) AS x("recordId" uuid, kind text, "receivedAt" timestamptz, "districtCode" text,
       "streetCode" text, "gridCell" text, type text, category text, channel text, status text, outcome text,
       satisfaction text, urgent boolean, overdue boolean, "unitId" text, tier text, durations jsonb, text text,
       exercise boolean, "callerKey" text, "placeKey" text, "changedAt" timestamptz)
     ON CONFLICT (source, record_id) DO UPDATE SET kind = EXCLUDED.kind, received_at = EXCLUDED.received_at,
       district_code = EXCLUDED.district_code, street_code = EXCLUDED.street_code, grid_cell = EXCLUDED.grid_cell,
       type = EXCLUDED.type, category = EXCLUDED.category, channel = EXCLUDED.channel, status = EXCLUDED.status,
       outcome = EXCLUDED.outcome, satisfaction = EXCLUDED.satisfaction, urgent = EXCLUDED.urgent,
       overdue = EXCLUDED.overdue, unit_id = EXCLUDED.unit_id, tier = EXCLUDED.tier,
       to_dispatch_s = EXCLUDED.to_dispatch_s, to_arrive_s = EXCLUDED.to_arrive_s, to_reply_s = EXCLUDED.to_reply_s,
       to_close_s = EXCLUDED.to_close_s, text = EXCLUDED.text, exercise = EXCLUDED.exercise,
       caller_key = EXCLUDED.caller_key, place_key = EXCLUDED.place_key, changed_at = EXCLUDED.changed_at, pulled_at = now()`,
    [source, JSON.stringify(records)],
  );
}

/**
 * Holds the peer's records of a kind this desk does not know, as they came (a record seen again replaces
 * its earlier copy): counted in no report, kept so that a later version of this desk can read them.
 */
export async function holdSharedRecords(db: Queryable, source: string, records: ShareRecord[]): Promise<void> {
  if (!records.length) return;
  await db.query(
    `INSERT INTO shared_held (source, record_id, kind, record)
     SELECT $1, x->>'recordId', x->>'kind', x FROM jsonb_array_elements($2::jsonb) x
     ON CONFLICT (source, record_id) DO UPDATE SET kind = EXCLUDED.kind, record = EXCLUDED.record, pulled_at = now()`,
    [source, JSON.stringify(records)],
  );
}
