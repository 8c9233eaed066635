import { beijingYear, type Envelope, type LinkageKind, type LinkageStatus } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import { NONCE_TTL_MS } from './signing.ts';

export interface ItemRow {
  item_id: string;
  kind: LinkageKind;
  side: 'originator' | 'receiver';
  peer: string;
  status: LinkageStatus;
  kept_by_first_receiver: boolean;
  opening: Record<string, unknown>;
  local_ref: string | null;
  local_no: string | null;
  /** A drill (应急演练): its messages carry `exercise`, no report counts it. */
  exercise: boolean;
  peer_ref: string | null;
  district_code: string | null;
  accept_deadline: Date | null;
  negotiation_deadline: Date | null;
  accept_overdue: boolean;
  accepted_at: Date | null;
  feedback_at: Date | null;
  closed_at: Date | null;
  next_out_seq: number;
  last_in_seq: number;
  created_at: Date;
  updated_at: Date;
}

/** A new item id on this desk: `cq-12345:LK-2026-000123` (desk id, Beijing year, the desk's running number). */
export async function newItemId(db: Queryable, deskId: string, at: Date = new Date()): Promise<string> {
  const n = (await db.query<{ n: number }>("SELECT nextval('linkage_no_seq')::int AS n")).rows[0]!.n;
  return `${deskId}:LK-${beijingYear(at)}-${String(n).padStart(6, '0')}`;
}

export async function insertItem(
  db: Queryable,
  r: Pick<
    ItemRow,
    | 'item_id'
    | 'kind'
    | 'side'
    | 'peer'
    | 'status'
    | 'opening'
    | 'local_ref'
    | 'local_no'
    | 'district_code'
    | 'accept_deadline'
  > & { last_in_seq?: number; exercise?: boolean },
): Promise<ItemRow> {
  const q = await db.query<ItemRow>(
    `INSERT INTO linkage_items (item_id, kind, side, peer, status, opening, local_ref, local_no, district_code, accept_deadline, last_in_seq, exercise)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING *`,
    [
      r.item_id,
      r.kind,
      r.side,
      r.peer,
      r.status,
      JSON.stringify(r.opening),
      r.local_ref,
      r.local_no,
      r.district_code,
      r.accept_deadline,
      r.last_in_seq ?? 0,
      r.exercise ?? false,
    ],
  );
  await db.query("SELECT pg_notify('linkage_changed', $1)", [r.item_id]);
  return q.rows[0]!;
}

export async function findItem(db: Queryable, itemId: string, forUpdate = false): Promise<ItemRow | null> {
  return (
    (
      await db.query<ItemRow>(`SELECT * FROM linkage_items WHERE item_id = $1${forUpdate ? ' FOR UPDATE' : ''}`, [
        itemId,
      ])
    ).rows[0] ?? null
  );
}

const ITEM_FIELDS = [
  'status',
  'kept_by_first_receiver',
  'local_ref',
  'local_no',
  'peer_ref',
  'negotiation_deadline',
  'accept_overdue',
  'accepted_at',
  'feedback_at',
  'closed_at',
  'next_out_seq',
  'last_in_seq',
] as const;
export async function updateItem(
  db: Queryable,
  itemId: string,
  fields: Partial<Pick<ItemRow, (typeof ITEM_FIELDS)[number]>>,
): Promise<ItemRow> {
  const keys = ITEM_FIELDS.filter((k) => fields[k] !== undefined);
  const sets = keys.map((k, i) => `${k} = $${i + 2}`).join(', ');
  const q = await db.query<ItemRow>(
    `UPDATE linkage_items SET ${sets}${sets ? ', ' : ''}updated_at = now() WHERE item_id = $1 RETURNING *`,
    [itemId, ...keys.map((k) => fields[k])],
  );
  await db.query("SELECT pg_notify('linkage_changed', $1)", [itemId]);
  return q.rows[0]!;
}

export async function insertEvent(
  db: Queryable,
  e: {
    itemId: string;
    messageId: string | null;
    direction: 'sent' | 'received' | 'local';
    type: string;
    from: string | null;
    to: string | null;
    payload: unknown;
    actorId: string | null;
    note?: string | null;
    at?: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO linkage_events (item_id, message_id, direction, type, from_status, to_status, payload, actor_id, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, COALESCE($10, now()))`,
    [
      e.itemId,
      e.messageId,
      e.direction,
      e.type,
      e.from,
      e.to,
      JSON.stringify(e.payload ?? {}),
      e.actorId,
      e.note ?? null,
      e.at ?? null,
    ],
  );
}

/** Writes a message to the outbox in the caller's transaction; delivery is woken at commit. */
export async function insertOutbox(db: Queryable, env: Envelope): Promise<void> {
  await db.query(`INSERT INTO bridge_outbox (id, item_id, seq, peer, type, envelope) VALUES ($1, $2, $3, $4, $5, $6)`, [
    env.id,
    env.itemId,
    env.seq,
    env.to,
    env.type,
    JSON.stringify(env),
  ]);
  await db.query("SELECT pg_notify('bridge_outbox', $1)", [env.itemId]);
}

/**
 * A message to a service connector (SMS gateway, 互联网+督查, 好差评) in the caller's transaction: a
 * one-message item of its own (`sms:<id>`, `report:<id>`), so one that fails never holds up another;
 * `body` is what the worker needs (never a phone number). Delivery is woken at commit.
 */
export async function insertServiceOutbox(
  db: Queryable,
  m: { id: string; itemId: string; peer: string; type: string; body: Record<string, unknown> },
): Promise<void> {
  await db.query(`INSERT INTO bridge_outbox (id, item_id, seq, peer, type, envelope) VALUES ($1, $2, 1, $3, $4, $5)`, [
    m.id,
    m.itemId,
    m.peer,
    m.type,
    JSON.stringify(m.body),
  ]);
  await db.query("SELECT pg_notify('bridge_outbox', $1)", [m.itemId]);
}

export interface OutboxRow {
  id: string;
  out_no: number;
  item_id: string;
  seq: number;
  peer: string;
  type: string;
  /** the signed envelope of a bridge message; a service message's body (`sms.*`, `report.*`) otherwise */
  envelope: Envelope;
  status: string;
  attempts: number;
  created_at: Date;
}

/** Due messages whose predecessors of the same item are delivered, claimed so several senders never send one twice. */
export async function claimDue(db: Queryable, limit: number): Promise<OutboxRow[]> {
  return (
    await db.query<OutboxRow>(
      `SELECT o.* FROM bridge_outbox o
    WHERE o.status = 'pending' AND o.next_attempt_at <= now()
      AND NOT EXISTS (SELECT 1 FROM bridge_outbox p WHERE p.item_id = o.item_id AND p.seq < o.seq AND p.status <> 'delivered')
    ORDER BY o.out_no LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [limit],
    )
  ).rows;
}

export async function markDelivered(db: Queryable, ids: string[]): Promise<void> {
  await db.query(
    `UPDATE bridge_outbox SET status = 'delivered', delivered_at = now(), attempts = attempts + 1, last_error = NULL WHERE id = ANY($1)`,
    [ids],
  );
}
/** Exponential back-off: 1 s doubling to 5 min; dead after 24 h of failures. */
export async function markRetry(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(
    `UPDATE bridge_outbox SET attempts = attempts + 1, last_error = $2,
      status = CASE WHEN created_at < now() - interval '24 hours' THEN 'dead' ELSE 'pending' END,
      next_attempt_at = now() + least(interval '1 second' * power(2, least(attempts, 20)), interval '5 minutes')
    WHERE id = $1`,
    [id, error.slice(0, 500)],
  );
}
export async function markDead(db: Queryable, id: string, error: string): Promise<void> {
  await db.query(`UPDATE bridge_outbox SET status = 'dead', attempts = attempts + 1, last_error = $2 WHERE id = $1`, [
    id,
    error.slice(0, 500),
  ]);
}
/** The peer lacks an earlier message of the item: send again from `seq`. */
export async function resendFrom(db: Queryable, itemId: string, seq: number): Promise<void> {
  await db.query(
    `UPDATE bridge_outbox SET status = 'pending', next_attempt_at = now() WHERE item_id = $1 AND seq >= $2 AND status <> 'dead'`,
    [itemId, seq],
  );
}
/** A dead letter sent again from now (24 h of retries anew); null when there is no such dead letter. */
export async function retryDeadLetter(
  db: Queryable,
  id: string,
): Promise<{ itemId: string; type: string; peer: string; lastError: string | null } | null> {
  const r = await db.query<{ itemId: string; type: string; peer: string; lastError: string | null }>(
    `UPDATE bridge_outbox SET status = 'pending', next_attempt_at = now(), attempts = 0, created_at = now()
    WHERE id = $1 AND status = 'dead' RETURNING item_id AS "itemId", type, peer, last_error AS "lastError"`,
    [id],
  );
  if (r.rows[0]) await db.query("SELECT pg_notify('bridge_outbox', $1)", [id]);
  return r.rows[0] ?? null;
}

export async function listOutbox(db: Queryable, status: 'pending' | 'delivered' | 'dead') {
  return (
    await db.query(
      `SELECT id, item_id AS "itemId", seq, type, status, attempts, last_error AS "lastError", next_attempt_at AS "nextAttemptAt", created_at AS "createdAt"
    FROM bridge_outbox WHERE status = $1 ORDER BY out_no DESC LIMIT 200`,
      [status],
    )
  ).rows;
}

export async function findInbox(db: Queryable, messageId: string): Promise<boolean> {
  return ((await db.query('SELECT 1 FROM bridge_inbox WHERE message_id = $1', [messageId])).rowCount ?? 0) > 0;
}
/** Whether the sender's message `seq` of an item is here already (under any message id). */
export async function findInboxStep(db: Queryable, itemId: string, sender: string, seq: number): Promise<boolean> {
  const r = await db.query('SELECT 1 FROM bridge_inbox WHERE item_id = $1 AND sender = $2 AND seq = $3', [
    itemId,
    sender,
    seq,
  ]);
  return (r.rowCount ?? 0) > 0;
}
export async function insertInbox(db: Queryable, env: Envelope, outcome: string): Promise<void> {
  await db.query(
    `INSERT INTO bridge_inbox (message_id, item_id, seq, type, sender, envelope, outcome) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [env.id, env.itemId, env.seq, env.type, env.from, JSON.stringify(env), outcome],
  );
}

let lastNonceCleanup = 0;
/** True when the nonce is new; seen nonces are kept NONCE_TTL_MS (older ones are cleared once a minute). */
export async function rememberNonce(db: Queryable, keyId: string, nonce: string): Promise<boolean> {
  if (Date.now() - lastNonceCleanup > 60_000) {
    lastNonceCleanup = Date.now();
    await db.query('DELETE FROM bridge_nonces WHERE seen_at < now() - make_interval(secs => $1)', [
      NONCE_TTL_MS / 1000,
    ]);
  }
  // Asynchronous commit: a nonce lost in a crash can at most let a replay through to the inbox, which
  // already refuses to apply a message id twice; it saves a disk flush on every message received.
  const r = await db.query(
    `WITH s AS (SELECT set_config('synchronous_commit', 'off', true))
    INSERT INTO bridge_nonces (key_id, nonce) SELECT $1, $2 FROM s ON CONFLICT DO NOTHING`,
    [keyId, nonce],
  );
  return (r.rowCount ?? 0) > 0;
}
/** Text from a refused message made storable: no U+0000, no lone surrogate (shown as U+FFFD), bounded. */
const storable = (v: string | null, max: number) =>
  v === null
    ? null
    : v
        .replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
        .slice(0, max);

/** A refusal of an authenticated sender (it is accountable): one row each, with the peer and the item. */
export async function insertRefusal(
  db: Queryable,
  r: {
    reason: string;
    keyId: string | null;
    peer: string;
    messageId: string | null;
    itemId: string | null;
    detail: string;
  },
): Promise<void> {
  await db.query(
    'INSERT INTO bridge_refusals (reason, key_id, peer, message_id, item_id, detail) VALUES ($1, $2, $3, $4, $5, $6)',
    [r.reason, r.keyId, r.peer, storable(r.messageId, 200), storable(r.itemId, 200), storable(r.detail, 1000)],
  );
}
/**
 * A refusal before the sender is authenticated: counted in one row per hour, reason and key id (only a
 * key id this desk knows; any other is counted as none), so storage stays bounded whoever calls.
 */
export async function countUnauthenticatedRefusal(
  db: Queryable,
  r: { reason: string; knownKeyId: string | null; detail: string; n?: number },
): Promise<void> {
  await db.query(
    `INSERT INTO bridge_refusals (reason, key_id, detail, hour, count) VALUES ($1, $2, $3, date_trunc('hour', now()), $4)
    ON CONFLICT (hour, reason, (coalesce(key_id, ''))) WHERE hour IS NOT NULL
    DO UPDATE SET count = bridge_refusals.count + EXCLUDED.count, last_at = now(), detail = EXCLUDED.detail`,
    [r.reason, r.knownKeyId, storable(r.detail, 200), r.n ?? 1],
  );
}

export async function replayAfter(
  db: Queryable,
  peer: string,
  after: number,
  limit: number,
): Promise<{ out_no: number; envelope: Envelope }[]> {
  return (
    await db.query<{ out_no: number; envelope: Envelope }>(
      'SELECT out_no, envelope FROM bridge_outbox WHERE peer = $1 AND out_no > $2 ORDER BY out_no LIMIT $3',
      [peer, after, limit],
    )
  ).rows;
}
export async function getCursor(db: Queryable, peer: string): Promise<number> {
  return (
    (await db.query<{ after: number }>('SELECT after FROM bridge_cursors WHERE peer = $1', [peer])).rows[0]?.after ?? 0
  );
}
export async function setCursor(db: Queryable, peer: string, after: number): Promise<void> {
  await db.query(
    'INSERT INTO bridge_cursors (peer, after) VALUES ($1, $2) ON CONFLICT (peer) DO UPDATE SET after = greatest(bridge_cursors.after, EXCLUDED.after), updated_at = now()',
    [peer, after],
  );
}

/** An item that cannot wait: an emergency escalation, or a matter its opener's triage found urgent or a danger. */
const URGENT_ITEM = `(kind = 'emergency' OR (opening #>> '{request,triage,urgent}') = 'true' OR (opening #>> '{request,triage,emergency}') = 'true')`;

export async function listItems(
  db: Queryable,
  f: {
    status?: string[];
    side?: string;
    kind?: string;
    overdue?: boolean;
    districtCode?: string;
    dueWithinMinutes?: number;
    /** `urgency`: emergencies and urgent items first (issue 11: they are at the top of the seat's queue), then newest. */
    sort?: 'time' | 'urgency';
    limit: number;
    offset: number;
  },
) {
  const where: string[] = [];
  const args: unknown[] = [];
  const p = (v: unknown) => {
    args.push(v);
    return `$${args.length}`;
  };
  if (f.status?.length) where.push(`status = ANY(${p(f.status)})`);
  if (f.side) where.push(`side = ${p(f.side)}`);
  if (f.kind) where.push(`kind = ${p(f.kind)}`);
  if (f.overdue !== undefined) where.push(`accept_overdue = ${p(f.overdue)}`);
  if (f.districtCode) where.push(`district_code = ${p(f.districtCode)}`);
  // About to be overdue: still awaiting acceptance, its accept-by time within the next N minutes.
  if (f.dueWithinMinutes !== undefined)
    where.push(
      `status = 'requested' AND accept_deadline >= now() AND accept_deadline < now() + make_interval(mins => ${p(f.dueWithinMinutes)})`,
    );
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM linkage_items ${w}`, args)).rows[0]!.n;
  const rows = (
    await db.query<ItemRow>(
      `SELECT * FROM linkage_items ${w} ORDER BY ${f.sort === 'urgency' ? `${URGENT_ITEM} DESC, ` : ''}created_at DESC, item_id LIMIT ${p(f.limit)} OFFSET ${p(f.offset)}`,
      args,
    )
  ).rows;
  return { rows, total };
}

export async function listEvents(db: Queryable, itemId: string) {
  return (
    await db.query<{
      id: number;
      message_id: string | null;
      direction: string;
      type: string;
      from_status: string | null;
      to_status: string | null;
      payload: unknown;
      actor_name: string | null;
      note: string | null;
      at: Date;
    }>(
      `SELECT e.id, e.message_id, e.direction, e.type, e.from_status, e.to_status, e.payload, u.display_name AS actor_name, e.note, e.at
     FROM linkage_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.item_id = $1 ORDER BY e.id`,
      [itemId],
    )
  ).rows;
}

/** Items past their accept-by time still unanswered: flagged for supervision once. */
export async function claimAcceptOverdue(db: Queryable): Promise<ItemRow[]> {
  return (
    await db.query<ItemRow>(
      `SELECT * FROM linkage_items WHERE status = 'requested' AND NOT accept_overdue AND accept_deadline < now() FOR UPDATE SKIP LOCKED LIMIT 100`,
    )
  ).rows;
}
/** Negotiations past their deadline that this desk opened the matter for (the first receiver decides). */
export async function claimNegotiationExpired(db: Queryable): Promise<ItemRow[]> {
  return (
    await db.query<ItemRow>(
      `SELECT * FROM linkage_items WHERE status = 'negotiating' AND side = 'originator' AND negotiation_deadline < now() FOR UPDATE SKIP LOCKED LIMIT 100`,
    )
  ).rows;
}

/** Items this desk received and accepted onto the local record, still waiting for its conclusion. */
export async function findItemsAwaitingConclusion(
  db: Queryable,
  localRef: string,
): Promise<Pick<ItemRow, 'item_id' | 'kind'>[]> {
  const r = await db.query<Pick<ItemRow, 'item_id' | 'kind'>>(
    `SELECT item_id, kind FROM linkage_items WHERE local_ref = $1 AND side = 'receiver' AND NOT kept_by_first_receiver
      AND status IN ('accepted', 'in_progress', 'reopened')`,
    [localRef],
  );
  return r.rows;
}

/** The newest item opened from a local record (the console shows where a diversion went). */
export async function findLatestItemForLocal(db: Queryable, localRef: string): Promise<ItemRow | null> {
  return (
    (
      await db.query<ItemRow>('SELECT * FROM linkage_items WHERE local_ref = $1 ORDER BY created_at DESC LIMIT 1', [
        localRef,
      ])
    ).rows[0] ?? null
  );
}

/** Dead letters, newest first (the administrators' 死信 list). */
export async function listDeadLetters(db: Queryable, w: { limit: number; offset: number }) {
  const total = (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM bridge_outbox WHERE status = 'dead'"))
    .rows[0]!.n;
  const rows = (
    await db.query(
      `SELECT id, item_id AS "itemId", seq, type, peer, attempts, last_error AS "lastError", created_at AS "createdAt"
    FROM bridge_outbox WHERE status = 'dead' ORDER BY out_no DESC LIMIT $1 OFFSET $2`,
      [w.limit, w.offset],
    )
  ).rows;
  return { rows, total };
}

export interface RefusalFilter {
  code?: string;
  peer?: string;
  limit: number;
  offset: number;
}
/** Refusals, the latest first: one row per authenticated refusal, one per hour and code before authentication. */
export async function listRefusals(db: Queryable, f: RefusalFilter) {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.code) where.push(`reason = $${args.push(f.code)}`);
  if (f.peer) where.push(`peer = $${args.push(f.peer)}`);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const total = (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM bridge_refusals ${w}`, args)).rows[0]!.n;
  const rows = (
    await db.query(
      `SELECT id::text AS id, reason AS code, peer, key_id AS "keyId", message_id AS "messageId", item_id AS "itemId",
        detail, count, at AS "firstAt", last_at AS "lastAt"
      FROM bridge_refusals ${w} ORDER BY last_at DESC, id DESC LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
      args,
    )
  ).rows;
  return { rows, total };
}

/** Every item of a local record (opened from it, or accepted onto it), newest first. */
export async function listItemsForLocal(db: Queryable, localRef: string): Promise<ItemRow[]> {
  return (
    await db.query<ItemRow>('SELECT * FROM linkage_items WHERE local_ref = $1 ORDER BY created_at DESC, item_id', [
      localRef,
    ])
  ).rows;
}

/**
 * Serialises the openings of one local record until the transaction ends, so two clicks at once cannot
 * both find no open item and open two (one matter, one item).
 */
export async function lockLocalRecord(db: Queryable, localRef: string): Promise<void> {
  await db.query("SELECT pg_advisory_xact_lock(hashtext('linkage-local:' || $1))", [localRef]);
}

/**
 * A linkage message as an entry of the local record's own action log: the work order's on the 12345
 * desk, the incident's on the 110 desk (a `both` desk has either), its status unchanged.
 */
export async function logOnLocalRecord(
  db: Queryable,
  localRef: string,
  e: {
    action: string;
    actor: { id: string | null; role: string; unitId: string | null };
    details: Record<string, unknown>;
  },
): Promise<void> {
  const insert = (of: 'work_order' | 'incident') =>
    `INSERT INTO ${of}_actions (${of}_id, action, from_status, to_status, actor_id, actor_role, actor_unit_id, details)
      SELECT id, $2, status, status, $3, $4, $5, $6 FROM ${of}s WHERE id = $1::uuid`;
  await db.query(`WITH w AS (${insert('work_order')}), i AS (${insert('incident')}) SELECT 1`, [
    localRef,
    e.action,
    e.actor.id,
    e.actor.role,
    e.actor.unitId,
    JSON.stringify(e.details),
  ]);
}
