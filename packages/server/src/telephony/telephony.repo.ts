/** SQL of the telephony module: seats, queues, agents, calls and their events, call-backs, imports, training. */
import type { AgentState, CallRecord } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';
import { openColumns, phoneHash, seal } from '../crypto/pii.ts';

export interface SeatRow {
  extension: string;
  label: string;
  ha1: string;
}

export interface QueueRow {
  id: string;
  name: string;
  number: string;
  overflow_to: string | null;
  overflow_after_seconds: number;
  ring_seconds: number;
  surge: boolean;
  surge_since: Date | null;
}

export interface AgentRow {
  user_id: string;
  extension: string | null;
  queues: string[];
  state: AgentState;
  state_since: Date;
  display_name: string;
  role: string;
}

export interface CallRow {
  id: string;
  call_ref: string;
  source: 'switch' | 'import';
  line: string;
  queue: string | null;
  caller: string | null;
  caller_name: string | null;
  agent_id: string | null;
  agent_name: string | null;
  agent_label: string | null;
  extension: string | null;
  offered_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  end_reason: string | null;
  ended_by: string | null;
  peer_call_ref: string | null;
  transferred_to: string | null;
  linkage_item_id: string | null;
  request_id: string | null;
  recording_ref: string | null;
}

export interface CallEventRow {
  id: number;
  call_id: string;
  type: string;
  extension: string | null;
  agent_id: string | null;
  agent_name: string | null;
  detail: Record<string, unknown>;
  at: Date;
}

export async function listSeats(db: Queryable): Promise<SeatRow[]> {
  return (await db.query<SeatRow>('SELECT extension, label, ha1 FROM telephony_seats ORDER BY extension')).rows;
}

export async function upsertSeat(db: Queryable, s: SeatRow): Promise<void> {
  await db.query(
    `INSERT INTO telephony_seats (extension, label, ha1) VALUES ($1, $2, $3)
     ON CONFLICT (extension) DO UPDATE SET label = EXCLUDED.label, ha1 = EXCLUDED.ha1`,
    [s.extension, s.label, s.ha1],
  );
}

export async function ensureQueues(
  db: Queryable,
  queues: readonly { id: string; name: string; number: string; overflowTo: string | null }[],
): Promise<void> {
  // The standby group is inserted first: the others overflow to it.
  for (const q of [...queues].sort((a, b) => Number(a.overflowTo !== null) - Number(b.overflowTo !== null)))
    await db.query(
      `INSERT INTO telephony_queues (id, name, number, overflow_to) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [q.id, q.name, q.number, q.overflowTo],
    );
}

export async function listQueues(db: Queryable): Promise<QueueRow[]> {
  return (await db.query<QueueRow>('SELECT * FROM telephony_queues ORDER BY id')).rows;
}

export async function setSurge(db: Queryable, queueId: string, surge: boolean, by: string, note: string | null) {
  const { rows } = await db.query<QueueRow>(
    `UPDATE telephony_queues SET surge = $2, surge_since = CASE WHEN $2 THEN now() ELSE NULL END
     WHERE id = $1 RETURNING *`,
    [queueId, surge],
  );
  if (rows[0])
    await db.query('INSERT INTO telephony_surge_log (queue_id, surge, note, by_user) VALUES ($1, $2, $3, $4)', [
      queueId,
      surge,
      note,
      by,
    ]);
  return rows[0] ?? null;
}

export async function listAgents(db: Queryable): Promise<AgentRow[]> {
  return (
    await db.query<AgentRow>(
      `SELECT a.*, u.display_name, u.role FROM telephony_agents a JOIN users u ON u.id = a.user_id ORDER BY u.display_name`,
    )
  ).rows;
}

export async function saveAgentState(
  db: Queryable,
  a: { userId: string; extension: string | null; queues: string[]; state: AgentState; reason: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO telephony_agents (user_id, extension, queues, state, state_since) VALUES ($1, $2, $3, $4, now())
     ON CONFLICT (user_id) DO UPDATE SET extension = EXCLUDED.extension, queues = EXCLUDED.queues,
       state = EXCLUDED.state, state_since = now()`,
    [a.userId, a.extension, a.queues, a.state],
  );
  await db.query('INSERT INTO telephony_agent_log (user_id, state, extension, reason) VALUES ($1, $2, $3, $4)', [
    a.userId,
    a.state,
    a.extension,
    a.reason,
  ]);
}

export async function insertCall(
  db: Queryable,
  c: {
    id: string;
    callRef: string;
    line: string;
    queue: string | null;
    caller: string | null;
    callerName: string | null;
    peerCallRef: string | null;
    offeredAt: Date;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO calls (id, call_ref, source, line, queue, caller_sealed, caller_hash, caller_name_sealed, peer_call_ref, offered_at)
     VALUES ($1, $2, 'switch', $3, $4, $5, $6, $7, $8, $9)`,
    [
      c.id,
      c.callRef,
      c.line,
      c.queue,
      seal(c.caller, 'caller.phone'),
      phoneHash(c.caller),
      seal(c.callerName, 'caller.name'),
      c.peerCallRef,
      c.offeredAt,
    ],
  );
}

export async function updateCall(
  db: Queryable,
  id: string,
  set: Partial<{
    queue: string | null;
    agent_id: string | null;
    extension: string | null;
    answered_at: Date;
    ended_at: Date;
    end_reason: string;
    ended_by: string;
    transferred_to: string;
    linkage_item_id: string;
    request_id: string;
    recording_ref: string | null;
  }>,
): Promise<void> {
  const keys = Object.keys(set) as (keyof typeof set)[];
  if (!keys.length) return;
  await db.query(`UPDATE calls SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')} WHERE id = $1`, [
    id,
    ...keys.map((k) => set[k]),
  ]);
}

export async function insertCallEvent(
  db: Queryable,
  e: { callId: string; type: string; extension: string | null; agentId: string | null; detail: object; at: Date },
): Promise<void> {
  await db.query(
    'INSERT INTO call_events (call_id, type, extension, agent_id, detail, at) VALUES ($1, $2, $3, $4, $5, $6)',
    [e.callId, e.type, e.extension, e.agentId, JSON.stringify(e.detail), e.at],
  );
}

/** The call's columns, its number and name still sealed (opened by `opened`, crypto/pii.ts). */
const CALL_SELECT = `SELECT c.id, c.call_ref, c.source, c.line, c.queue, c.caller_sealed AS caller, c.caller_name_sealed AS caller_name,
  c.agent_id, u.display_name AS agent_name, c.agent_label, c.extension, c.offered_at, c.answered_at, c.ended_at, c.end_reason,
  c.ended_by, c.peer_call_ref, c.transferred_to, c.linkage_item_id, c.request_id, c.recording_ref
  FROM calls c LEFT JOIN users u ON u.id = c.agent_id`;
const opened = (rows: CallRow[]) => openColumns(rows, { caller: 'caller.phone', caller_name: 'caller.name' });

export async function findCall(db: Queryable, id: string): Promise<CallRow | null> {
  return opened((await db.query<CallRow>(`${CALL_SELECT} WHERE c.id = $1`, [id])).rows)[0] ?? null;
}

export async function findCallByRef(db: Queryable, ref: string): Promise<CallRow | null> {
  return opened((await db.query<CallRow>(`${CALL_SELECT} WHERE c.call_ref = $1`, [ref])).rows)[0] ?? null;
}

export async function callEvents(db: Queryable, callIds: string[]): Promise<CallEventRow[]> {
  if (!callIds.length) return [];
  return (
    await db.query<CallEventRow>(
      `SELECT e.*, u.display_name AS agent_name FROM call_events e LEFT JOIN users u ON u.id = e.agent_id
       WHERE e.call_id = ANY($1::uuid[]) ORDER BY e.at, e.id`,
      [callIds],
    )
  ).rows;
}

export async function callsForRequest(db: Queryable, requestId: string): Promise<CallRow[]> {
  return opened(
    (await db.query<CallRow>(`${CALL_SELECT} WHERE c.request_id = $1 ORDER BY c.offered_at`, [requestId])).rows,
  );
}

/** This desk's calls that were moved in from the peer's call `peerRef`, or that the peer names. */
export async function callsByPeerRef(db: Queryable, peerRef: string): Promise<CallRow[]> {
  return opened(
    (await db.query<CallRow>(`${CALL_SELECT} WHERE c.peer_call_ref = $1 ORDER BY c.offered_at`, [peerRef])).rows,
  );
}

export async function listCalls(
  db: Queryable,
  f: { from: Date; to: Date; line?: string; caller?: string; limit: number; offset: number },
): Promise<{ rows: CallRow[]; total: number }> {
  const where = ['c.offered_at >= $1', 'c.offered_at < $2'];
  const args: unknown[] = [f.from, f.to];
  if (f.line) where.push(`c.line = $${args.push(f.line)}`);
  if (f.caller) where.push(`c.caller_hash = $${args.push(phoneHash(f.caller))}`);
  const total = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM calls c WHERE ${where.join(' AND ')}`, args)
  ).rows[0]!.n;
  const rows = (
    await db.query<CallRow>(
      `${CALL_SELECT} WHERE ${where.join(' AND ')} ORDER BY c.offered_at DESC LIMIT $${args.push(f.limit)} OFFSET $${args.push(f.offset)}`,
      args,
    )
  ).rows;
  return { rows: opened(rows), total };
}

/** Records for the measures (wait, answered, abandoned) over a period, optionally one line. */
export async function callRecords(db: Queryable, from: Date, to: Date, line?: string): Promise<CallRecord[]> {
  const { rows } = await db.query<{
    line: string;
    id: string;
    caller: string | null;
    queue: string | null;
    agent: string | null;
    offered_at: Date;
    answered_at: Date | null;
    ended_at: Date;
  }>(
    // the measures need no calling number: it stays sealed (and is not read)
    `SELECT line, id, NULL::text AS caller, queue, coalesce(agent_label, agent_id::text) AS agent, offered_at, answered_at, ended_at
     FROM calls WHERE ended_at IS NOT NULL AND offered_at >= $1 AND offered_at < $2 ${line ? 'AND line = $3' : ''}`,
    line ? [from, to, line] : [from, to],
  );
  return rows.map((r) => ({
    line: r.line,
    callId: r.id,
    caller: r.caller,
    queue: r.queue,
    agent: r.agent,
    offeredAt: r.offered_at,
    answeredAt: r.answered_at,
    endedAt: r.ended_at,
  }));
}

export async function linesWithCalls(db: Queryable, from: Date, to: Date): Promise<string[]> {
  return (
    await db.query<{ line: string }>(
      'SELECT DISTINCT line FROM calls WHERE offered_at >= $1 AND offered_at < $2 ORDER BY line',
      [from, to],
    )
  ).rows.map((r) => r.line);
}

export async function insertImport(db: Queryable, filename: string, rows: number, by: string): Promise<string> {
  return (
    await db.query<{ id: string }>(
      'INSERT INTO call_record_imports (filename, rows, imported_by) VALUES ($1, $2, $3) RETURNING id',
      [filename, rows, by],
    )
  ).rows[0]!.id;
}

/** Imported rows; a row already imported (same line and call id) is kept as it was. Returns how many were new. */
export async function insertImportedCalls(db: Queryable, importId: string, records: CallRecord[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < records.length; i += 1000) {
    const chunk = records.slice(i, i + 1000);
    const r = await db.query(
      `INSERT INTO calls (id, call_ref, source, import_id, external_id, line, queue, caller_sealed, caller_hash, agent_label,
              offered_at, answered_at, ended_at)
       SELECT gen_random_uuid(), 'import:' || x.line || ':' || x.external_id, 'import', $1, x.external_id, x.line, x.queue,
              x.caller_sealed, x.caller_hash, x.agent, x.offered_at, x.answered_at, x.ended_at
       FROM jsonb_to_recordset($2::jsonb) AS x(line text, external_id text, queue text, caller_sealed text, caller_hash text, agent text,
              offered_at timestamptz, answered_at timestamptz, ended_at timestamptz)
       ON CONFLICT DO NOTHING`,
      [
        importId,
        JSON.stringify(
          chunk.map((c) => ({
            line: c.line,
            external_id: c.callId,
            queue: c.queue,
            caller_sealed: seal(c.caller, 'caller.phone'),
            caller_hash: phoneHash(c.caller),
            agent: c.agent,
            offered_at: c.offeredAt.toISOString(),
            answered_at: c.answeredAt?.toISOString() ?? null,
            ended_at: c.endedAt.toISOString(),
          })),
        ),
      ],
    );
    inserted += r.rowCount ?? 0;
  }
  return inserted;
}

export interface CallBackRow {
  call_id: string;
  /** null: erased once the call-back was done and its time passed (docs/security.md, "Retention") */
  caller: string | null;
  reason: 'dropped_in_transfer' | 'abandoned_in_queue';
  created_at: Date;
  done_at: Date | null;
  done_by_name: string | null;
  outcome: string | null;
  note: string | null;
  line: string;
  offered_at: Date;
  request_id: string | null;
}

export async function insertCallBack(db: Queryable, callId: string, caller: string, reason: CallBackRow['reason']) {
  await db.query('INSERT INTO call_backs (call_id, caller_sealed, reason) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
    callId,
    seal(caller, 'caller.phone'),
    reason,
  ]);
}

export async function listCallBacks(db: Queryable, open: boolean): Promise<CallBackRow[]> {
  const rows = (
    await db.query<CallBackRow>(
      `SELECT b.call_id, b.caller_sealed AS caller, b.reason, b.created_at, b.done_at, b.done_by, b.outcome, b.note,
              u.display_name AS done_by_name, c.line, c.offered_at, c.request_id
       FROM call_backs b JOIN calls c ON c.id = b.call_id LEFT JOIN users u ON u.id = b.done_by
       WHERE ${open ? 'b.done_at IS NULL' : 'b.done_at IS NOT NULL'}
       ORDER BY ${open ? 'b.created_at' : 'b.done_at DESC'} LIMIT 200`,
    )
  ).rows;
  return openColumns(rows, { caller: 'caller.phone' });
}

export async function completeCallBack(
  db: Queryable,
  callId: string,
  by: string,
  outcome: string,
  note: string | null,
): Promise<boolean> {
  const r = await db.query(
    `UPDATE call_backs SET done_at = now(), done_by = $2, outcome = $3, note = $4 WHERE call_id = $1 AND done_at IS NULL`,
    [callId, by, outcome, note],
  );
  return (r.rowCount ?? 0) > 0;
}

export async function countOpenCallBacks(db: Queryable): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM call_backs WHERE done_at IS NULL')).rows[0]!.n;
}
