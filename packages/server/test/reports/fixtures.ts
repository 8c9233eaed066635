/**
 * Rows for the report tests, written straight into each desk's tables: requests with their work orders
 * or incidents, linkage items as both desks hold them, and their messages. Every figure a test expects
 * is counted by hand from these rows.
 */
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Db } from '../../src/db/pool.ts';
import { USERS } from '../helpers.ts';
import type { makeInprocDesks } from '../analytics/inproc-desks.ts';
import { phoneHash, seal } from '../../src/crypto/pii.ts';

export type Desks = Awaited<ReturnType<typeof makeInprocDesks>>;
let n = 0;

export interface RequestRow {
  at: string;
  district?: string;
  street?: string | null;
  content?: string;
  address?: string;
  phone?: string | null;
  exercise?: boolean;
}

async function request(db: Db, channel: string, o: RequestRow): Promise<string> {
  let callerId: string | null = null;
  if (o.phone) {
    const c = await db.query<{ id: string }>(
      `INSERT INTO callers (phone_sealed, phone_hash) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING id`,
      [seal(o.phone, 'caller.phone'), phoneHash(o.phone)],
    );
    callerId =
      c.rows[0]?.id ??
      (await db.query<{ id: string }>('SELECT id FROM callers WHERE phone_hash = $1', [phoneHash(o.phone)])).rows[0]!
        .id;
  }
  const r = await db.query<{ id: string }>(
    `INSERT INTO requests (channel, content, address, district_code, street_code, caller_id, received_at, exercise)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [
      channel,
      o.content ?? '来电反映噪音扰民',
      o.address ?? '',
      o.district ?? '500103',
      o.street ?? null,
      callerId,
      o.at,
      o.exercise ?? false,
    ],
  );
  return r.rows[0]!.id;
}

export async function workOrder(
  db: Db,
  o: RequestRow & {
    type?: string;
    category?: string;
    unit?: string;
    urgent?: boolean;
    overdue?: boolean;
    satisfaction?: string;
  },
): Promise<string> {
  const req = await request(db, 'phone_12345', o);
  const w = await db.query<{ id: string }>(
    `INSERT INTO work_orders (no, request_id, order_type, category_code, title, urgent, urgent_kind, status, district_code,
       lead_unit_id, due_at, overdue, satisfaction, created_at, updated_at)
     VALUES ($1, $2, $3, $4, '诉求', $5, $6, 'assigned', $7, $8, $9::timestamptz + interval '5 days', $10, $11, $9, $9)
     RETURNING id`,
    [
      `T${++n}`,
      req,
      o.type ?? 'complaint',
      o.category ?? 'CSGL01',
      o.urgent ?? false,
      o.urgent ? 'emergency_rescue' : null,
      o.district ?? '500103',
      o.unit ?? 'd500103.urban-mgmt',
      o.at,
      o.overdue ?? false,
      o.satisfaction ?? null,
    ],
  );
  return w.rows[0]!.id;
}

export async function incident(
  db: Db,
  o: RequestRow & { category?: string; tier?: string | null; closeKind?: string | null; unit?: string },
): Promise<string> {
  const req = await request(db, 'phone_110', { content: '有人打架', ...o });
  const r = await db.query<{ id: string }>(
    `INSERT INTO incidents (no, request_id, category, status, district_code, tier, unit_id, close_kind, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
    [
      `J${++n}`,
      req,
      o.category ?? 'public_order',
      o.closeKind ? 'closed' : 'received',
      o.district ?? '500103',
      o.tier ?? null,
      o.unit ?? 'police.command',
      o.closeKind ?? null,
      o.at,
    ],
  );
  return r.rows[0]!.id;
}

export interface Item {
  id: string;
  kind?: string;
  from: 'hotline' | 'dispatch';
  at: string;
  acceptAfter?: number;
  feedbackAfter?: number;
  kept?: boolean;
  district?: string;
  category?: string;
  content?: string;
  exercise?: boolean;
}

/** One linkage item as both desks hold it: the originator's side on one, the receiver's on the other. */
export async function item(desks: Desks, x: Item): Promise<void> {
  for (const d of ['hotline', 'dispatch'] as const) {
    const plus = (s: number | undefined) => (s === undefined ? null : new Date(Date.parse(x.at) + s * 1000));
    const opening = {
      kind: x.kind ?? 'transfer',
      request: { content: x.content ?? '来电反映', triage: x.category ? { category: x.category } : undefined },
    };
    await desks[d].db.query(
      `INSERT INTO linkage_items (item_id, kind, side, peer, status, kept_by_first_receiver, opening, district_code,
         accepted_at, feedback_at, exercise, created_at, updated_at)
       VALUES ($1, $2, $3, $4, 'in_progress', $5, $6, $7, $8, $9, $10, $11, $11)`,
      [
        x.id,
        x.kind ?? 'transfer',
        x.from === d ? 'originator' : 'receiver',
        d === 'hotline' ? 'cq-110' : 'cq-12345',
        x.kept ?? false,
        opening,
        x.district ?? '500103',
        plus(x.acceptAfter),
        plus(x.feedbackAfter),
        x.exercise ?? false,
        x.at,
      ],
    );
  }
}

/** A message of an item as both desks log it: sent by `by`, received by the other. */
export async function event(
  desks: Desks,
  itemId: string,
  by: 'hotline' | 'dispatch',
  type: string,
  payload: object,
  at: string,
): Promise<void> {
  for (const d of ['hotline', 'dispatch'] as const) {
    const actor =
      d === by
        ? (
            await desks[d].db.query<{ id: string }>('SELECT id FROM users WHERE username = $1', [
              d === 'dispatch' ? USERS.dispatcher.username : USERS.seat.username,
            ])
          ).rows[0]!.id
        : null;
    await desks[d].db.query(
      `INSERT INTO linkage_events (item_id, direction, type, payload, actor_id, at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [itemId, d === by ? 'sent' : 'received', type, payload, actor, at],
    );
  }
}

/** A work order's 退单 by its unit. */
export async function returned(db: Db, orderId: string, reasonCode: string, at: string): Promise<void> {
  await db.query(
    `INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_unit_id, details, at)
     VALUES ($1, 'return', 'assigned', 'returned', 'd500103.urban-mgmt', $2, $3)`,
    [orderId, { reasonCode, unitId: 'd500103.urban-mgmt' }, at],
  );
}

/** The sheets of a workbook, each as its rows of values (ExcelJS's 1-based arrays, without the hole). */
export async function sheets(buf: Buffer | Uint8Array): Promise<Map<string, unknown[][]>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const out = new Map<string, unknown[][]>();
  for (const ws of wb.worksheets) {
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    out.set(ws.name, rows);
  }
  return out;
}

/** The text of a .docx body (its XML without tags), and the number of tables in it. */
export async function docxText(buf: Buffer | Uint8Array): Promise<{ text: string; tables: number }> {
  const zip = await JSZip.loadAsync(buf);
  const xml = await zip.file('word/document.xml')!.async('string');
  return { text: xml.replace(/<[^>]+>/g, ''), tables: (xml.match(/<w:tbl>/g) ?? []).length };
}

/** The harassment report as GET /api/reports/harassment answers it (what the tests read of it). */
export interface HarassmentAnswer {
  total: number;
  source: string;
  numbers: {
    callerRef: string | null;
    number: string | null;
    calls: number;
    harassment: number;
    invalid: number;
    ownCalls: number;
    peerCalls: number;
    history: { desk: string; label: string; category: string; text: string }[];
    onWatchList: boolean;
    confirmable: boolean;
  }[];
}
