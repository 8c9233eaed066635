/** Public requests, rate-limit events, challenges and the disclosure list. */
import type { Queryable } from '../db/pool.ts';
import { openColumns } from '../crypto/pii.ts';

export interface PublicRequestRow {
  work_order_id: string;
  source: 'web' | 'open311';
  query_code_hash: string;
  disclosure_consent: boolean;
  disclosure_status: 'none' | 'pending' | 'published' | 'withheld';
  public_title: string | null;
  public_reply: string | null;
  emergency: boolean;
  linkage_item_id: string | null;
  open311_client_id: string | null;
  created_at: Date;
}

/** Counts a bucket's events in each window and, when none is full, records one more. */
/**
 * The conversation with the public page's self-service answering a citizen handed over with the request
 * (转人工), as an entry of the order's action log: staff read it beside the request.
 */
export async function insertChatTranscript(
  db: Queryable,
  workOrderId: string,
  turns: readonly { from: string; text: string; articleTitle?: string }[],
  note: string,
): Promise<void> {
  await db.query(
    `INSERT INTO work_order_actions (work_order_id, action, from_status, to_status, actor_id, actor_role, details)
     SELECT id, 'chat_transcript', status, status, NULL, 'system', $2 FROM work_orders WHERE id = $1`,
    [workOrderId, JSON.stringify({ note, turns })],
  );
}

export async function takeRate(
  db: Queryable,
  bucket: string,
  limits: readonly { max: number; seconds: number }[],
): Promise<{ ok: true } | { ok: false; retryAfter: number }> {
  const longest = Math.max(...limits.map((l) => l.seconds));
  const r = await db.query<{ at: Date }>(
    `SELECT at FROM public_rate_events WHERE bucket = $1 AND at > now() - make_interval(secs => $2) ORDER BY at DESC`,
    [bucket, longest],
  );
  const now = Date.now();
  for (const l of limits) {
    const inWindow = r.rows.filter((x) => now - x.at.getTime() < l.seconds * 1000);
    if (inWindow.length >= l.max) {
      const oldest = inWindow[inWindow.length - 1]!.at.getTime();
      return { ok: false, retryAfter: Math.max(1, Math.ceil((oldest + l.seconds * 1000 - now) / 1000)) };
    }
  }
  await db.query('INSERT INTO public_rate_events (bucket) VALUES ($1)', [bucket]);
  // Old events are pruned as we go (a day is the longest window).
  if (Math.random() < 0.02) await db.query(`DELETE FROM public_rate_events WHERE at < now() - interval '2 days'`);
  return { ok: true };
}

export async function insertChallenge(db: Queryable, answerHash: string): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO public_challenges (answer_hash, expires_at) VALUES ($1, now() + interval '10 minutes') RETURNING id`,
    [answerHash],
  );
  return r.rows[0]!.id;
}

/** Marks the challenge used (once, before it expires) and returns its answer hash. */
export async function useChallenge(db: Queryable, id: string): Promise<string | null> {
  const r = await db.query<{ answer_hash: string }>(
    `UPDATE public_challenges SET used_at = now() WHERE id = $1 AND used_at IS NULL AND expires_at > now() RETURNING answer_hash`,
    [id],
  );
  return r.rows[0]?.answer_hash ?? null;
}

export async function insertPublicRequest(
  db: Queryable,
  p: {
    workOrderId: string;
    source: 'web' | 'open311';
    queryCodeHash: string;
    consent: boolean;
    emergency: boolean;
    linkageItemId: string | null;
    clientId: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO public_requests (work_order_id, source, query_code_hash, disclosure_consent, disclosure_status, emergency, linkage_item_id, open311_client_id)
     VALUES ($1, $2, $3, $4, CASE WHEN $4 THEN 'pending' ELSE 'none' END, $5, $6, $7) ON CONFLICT (work_order_id) DO NOTHING`,
    [p.workOrderId, p.source, p.queryCodeHash, p.consent, p.emergency, p.linkageItemId, p.clientId],
  );
}

export async function findPublicByNo(db: Queryable, no: string) {
  const r = await db.query<
    PublicRequestRow & {
      no: string;
      status: string;
      category_code: string;
      category_name: string;
      order_type: string;
      reply: string | null;
      replied_at: Date | null;
      satisfaction: string | null;
      due_at: Date;
      request_content: string;
      received_at: Date;
      address: string;
      district_name: string | null;
      street_name: string | null;
      caller_name: string | null;
    }
  >(
    `SELECT p.*, w.no, w.status, w.category_code, cc.name AS category_name, w.order_type, w.reply, w.replied_at,
            w.satisfaction, w.due_at, r.content AS request_content, r.received_at, r.address,
            d.name AS district_name, s.name AS street_name, c.name_sealed AS caller_name
     FROM work_orders w JOIN public_requests p ON p.work_order_id = w.id JOIN requests r ON r.id = w.request_id
     JOIN catalogue_categories cc ON cc.code = w.category_code
     LEFT JOIN callers c ON c.id = r.caller_id LEFT JOIN districts d ON d.code = r.district_code
     LEFT JOIN streets s ON s.code = r.street_code WHERE w.no = $1`,
    [no],
  );
  return openColumns(r.rows, { caller_name: 'caller.name' })[0] ?? null;
}

export async function listPublicActions(db: Queryable, workOrderId: string) {
  const r = await db.query<{ action: string; details: Record<string, unknown>; at: Date }>(
    'SELECT action, details, at FROM work_order_actions WHERE work_order_id = $1 ORDER BY id',
    [workOrderId],
  );
  return r.rows;
}

export async function unitNames(db: Queryable): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; name: string }>('SELECT id, name FROM units');
  return new Map(r.rows.map((u) => [u.id, u.name]));
}

export interface DisclosureFilter {
  districtCode?: string;
  categoryCode?: string;
  page: number;
  pageSize: number;
}

export async function listPublished(db: Queryable, f: DisclosureFilter) {
  const where = [`p.disclosure_status = 'published'`];
  const params: unknown[] = [];
  if (f.districtCode) where.push(`r.district_code = $${params.push(f.districtCode)}`);
  if (f.categoryCode)
    where.push(`(w.category_code = $${params.push(f.categoryCode)} OR cc.parent_code = $${params.length})`);
  const sql = `FROM public_requests p JOIN work_orders w ON w.id = p.work_order_id JOIN requests r ON r.id = w.request_id
    JOIN catalogue_categories cc ON cc.code = w.category_code LEFT JOIN districts d ON d.code = r.district_code
    LEFT JOIN streets s ON s.code = r.street_code WHERE ${where.join(' AND ')}`;
  const [rows, total, figures] = await Promise.all([
    db.query<{
      no: string;
      public_title: string;
      public_reply: string;
      category_name: string;
      district_name: string | null;
      street_name: string | null;
      received_at: Date;
      replied_at: Date | null;
      satisfaction: string | null;
      status: string;
    }>(
      `SELECT w.no, p.public_title, p.public_reply, cc.name AS category_name, d.name AS district_name, s.name AS street_name,
              r.received_at, w.replied_at, w.satisfaction, w.status ${sql}
       ORDER BY w.replied_at DESC NULLS LAST, w.no DESC LIMIT ${f.pageSize} OFFSET ${(f.page - 1) * f.pageSize}`,
      params,
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n ${sql}`, params),
    db.query<{ rated: number; satisfied: number; basically: number }>(
      `SELECT count(w.satisfaction)::int AS rated, count(*) FILTER (WHERE w.satisfaction = 'satisfied')::int AS satisfied,
              count(*) FILTER (WHERE w.satisfaction = 'basically_satisfied')::int AS basically ${sql}`,
      params,
    ),
  ]);
  return { rows: rows.rows, total: total.rows[0]!.n, figures: figures.rows[0]! };
}

/** Satisfaction by district over everything published (the list's summary table). */
export async function publishedByDistrict(db: Queryable) {
  const r = await db.query<{
    district_code: string;
    district_name: string;
    handled: number;
    rated: number;
    satisfied: number;
  }>(
    `SELECT r.district_code, d.name AS district_name, count(*)::int AS handled, count(w.satisfaction)::int AS rated,
            count(*) FILTER (WHERE w.satisfaction IN ('satisfied', 'basically_satisfied'))::int AS satisfied
     FROM public_requests p JOIN work_orders w ON w.id = p.work_order_id JOIN requests r ON r.id = w.request_id
     JOIN districts d ON d.code = r.district_code WHERE p.disclosure_status = 'published'
     GROUP BY r.district_code, d.name ORDER BY handled DESC, r.district_code`,
  );
  return r.rows;
}

/** What the 12345 centre moderates: consented requests already answered, not yet decided. */
export async function listPending(db: Queryable, limit: number) {
  const r = await db.query<{
    work_order_id: string;
    no: string;
    title: string;
    content: string;
    reply: string | null;
    status: string;
    category_name: string;
    district_name: string | null;
    caller_name: string | null;
  }>(
    `SELECT p.work_order_id, w.no, w.title, rq.content, w.reply, w.status, cc.name AS category_name, d.name AS district_name,
            c.name_sealed AS caller_name
     FROM public_requests p JOIN work_orders w ON w.id = p.work_order_id JOIN requests rq ON rq.id = w.request_id
     JOIN catalogue_categories cc ON cc.code = w.category_code LEFT JOIN districts d ON d.code = rq.district_code
     LEFT JOIN callers c ON c.id = rq.caller_id
     WHERE p.disclosure_status = 'pending' AND w.reply IS NOT NULL ORDER BY w.replied_at LIMIT $1`,
    [limit],
  );
  return openColumns(r.rows, { caller_name: 'caller.name' });
}

export async function setDisclosure(
  db: Queryable,
  workOrderId: string,
  d: { status: 'published' | 'withheld'; title: string | null; reply: string | null; by: string | null },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE public_requests SET disclosure_status = $2, public_title = $3, public_reply = $4, moderated_by = $5, moderated_at = now()
     WHERE work_order_id = $1 AND disclosure_consent`,
    [workOrderId, d.status, d.title, d.reply, d.by],
  );
  return (r.rowCount ?? 0) > 0;
}
