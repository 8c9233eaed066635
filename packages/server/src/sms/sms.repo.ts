/** SMS messages' SQL. The number and the text are sealed here and opened only to be sent. */
import { open, phoneHash, seal } from '../crypto/pii.ts';
import type { Queryable } from '../db/pool.ts';
import type { OutgoingSms, SmsPurpose } from './sms-gateway.ts';

export interface SmsRow {
  id: string;
  work_order_id: string;
  purpose: SmsPurpose;
  /** null once erased (the retention purge) */
  phone_sealed: string | null;
  phone_hash: string | null;
  gateway: string | null;
  answer_ref: string | null;
  answered_at: Date | null;
}

export async function insertSms(
  db: Queryable,
  m: {
    id: string;
    workOrderId: string;
    purpose: SmsPurpose;
    phone: string;
    text: string;
    gateway: string | null;
    reminderOf?: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO sms_messages (id, work_order_id, purpose, phone_sealed, phone_hash, text_sealed, gateway, reminder_of)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      m.id,
      m.workOrderId,
      m.purpose,
      seal(m.phone, 'caller.phone'),
      phoneHash(m.phone),
      seal(m.text, 'sms.text'),
      m.gateway,
      m.reminderOf ?? null,
    ],
  );
}

/** The number the order's texts go to: the one its last text went to (the receipt's, given on the form). */
export async function orderPhone(db: Queryable, workOrderId: string): Promise<string | null> {
  const r = await db.query<{ phone_sealed: string | null }>(
    'SELECT phone_sealed FROM sms_messages WHERE work_order_id = $1 ORDER BY created_at DESC, id DESC LIMIT 1',
    [workOrderId],
  );
  return r.rows[0] ? open(r.rows[0].phone_sealed, 'caller.phone') : null;
}

/** One message opened for the gateway (the outbox worker, at send time). */
export async function loadOutgoing(db: Queryable, id: string): Promise<OutgoingSms | null> {
  const r = await db.query<{
    id: string;
    purpose: SmsPurpose;
    phone_sealed: string | null;
    text_sealed: string | null;
  }>('SELECT id, purpose, phone_sealed, text_sealed FROM sms_messages WHERE id = $1', [id]);
  const row = r.rows[0];
  // erased (past its retention): nothing left to send
  if (!row?.phone_sealed || !row.text_sealed) return null;
  return {
    id: row.id,
    to: open(row.phone_sealed, 'caller.phone')!,
    text: open(row.text_sealed, 'sms.text')!,
    purpose: row.purpose,
    replyExpected: row.purpose === 'survey',
  };
}

export async function markSmsSent(db: Queryable, id: string, gatewayRef: string): Promise<void> {
  await db.query('UPDATE sms_messages SET gateway_ref = $2, sent_at = coalesce(sent_at, now()) WHERE id = $1', [
    id,
    gatewayRef,
  ]);
}

export async function findSurvey(db: Queryable, id: string): Promise<SmsRow | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) return null;
  const r = await db.query<SmsRow>(
    `SELECT id, work_order_id, purpose, phone_sealed, phone_hash, gateway, answer_ref, answered_at
    FROM sms_messages WHERE id = $1 AND purpose = 'survey' FOR UPDATE`,
    [id],
  );
  return r.rows[0] ?? null;
}

export async function latestSurveyId(db: Queryable, workOrderId: string): Promise<string | null> {
  const r = await db.query<{ id: string }>(
    `SELECT id FROM sms_messages WHERE work_order_id = $1 AND purpose = 'survey' ORDER BY created_at DESC, id DESC LIMIT 1`,
    [workOrderId],
  );
  return r.rows[0]?.id ?? null;
}

/** Whether `surveyId` is the order's survey in force: the newest, or the one the newest reminds of. */
export async function isCurrentSurvey(db: Queryable, workOrderId: string, surveyId: string): Promise<boolean> {
  const r = await db.query<{ id: string; reminder_of: string | null }>(
    `SELECT id, reminder_of FROM sms_messages WHERE work_order_id = $1 AND purpose = 'survey'
      ORDER BY created_at DESC, id DESC LIMIT 1`,
    [workOrderId],
  );
  const latest = r.rows[0];
  return !!latest && (latest.id === surveyId || latest.reminder_of === surveyId);
}

/**
 * Surveys sent before `before` that nobody answered, whose order still waits for its 回访 and has no newer
 * survey, not yet reminded of, sent through a gateway (at most `limit`, oldest first; locked).
 */
export async function unansweredSurveys(db: Queryable, before: Date, limit: number) {
  const r = await db.query<{ id: string; work_order_id: string; no: string; phone_sealed: string | null }>(
    `SELECT s.id, s.work_order_id, w.no, s.phone_sealed
       FROM sms_messages s JOIN work_orders w ON w.id = s.work_order_id
      WHERE s.purpose = 'survey' AND s.reminder_of IS NULL AND s.answered_at IS NULL AND s.erased_at IS NULL
        AND s.gateway IS NOT NULL AND s.created_at < $1 AND w.status = 'replied'
        AND NOT EXISTS (SELECT 1 FROM sms_messages n WHERE n.work_order_id = s.work_order_id AND n.purpose = 'survey'
                          AND (n.created_at > s.created_at OR n.reminder_of = s.id))
      ORDER BY s.created_at, s.id
      LIMIT $2
      FOR UPDATE OF s SKIP LOCKED`,
    [before, limit],
  );
  return r.rows;
}

export async function recordAnswer(
  db: Queryable,
  id: string,
  a: { ref: string; rating: number; satisfaction: string },
): Promise<void> {
  await db.query(
    `UPDATE sms_messages SET answer_ref = $2, answer_rating = $3, answer_satisfaction = $4, answered_at = now() WHERE id = $1`,
    [id, a.ref, a.rating, a.satisfaction],
  );
}

/** The rating a survey answered in this very transaction gave (now() is the transaction's start). */
export async function ratingAnsweredNow(db: Queryable, workOrderId: string): Promise<number | null> {
  const r = await db.query<{ answer_rating: number }>(
    `SELECT answer_rating FROM sms_messages WHERE work_order_id = $1 AND purpose = 'survey' AND answered_at = now() LIMIT 1`,
    [workOrderId],
  );
  return r.rows[0]?.answer_rating ?? null;
}

/** An order's texts as staff see them: what and when, never the number or the words (a receipt holds the query code). */
export interface SmsListRow {
  id: string;
  purpose: SmsPurpose;
  gateway: string | null;
  outbox_status: 'pending' | 'delivered' | 'dead' | null;
  sent_at: Date | null;
  delivered_at: Date | null;
  undelivered_at: Date | null;
  created_at: Date;
  answer_rating: number | null;
  answered_at: Date | null;
}

export async function listOrderTexts(db: Queryable, workOrderId: string): Promise<SmsListRow[]> {
  const r = await db.query<SmsListRow>(
    `SELECT s.id, s.purpose, s.gateway, o.status AS outbox_status, s.sent_at, s.delivered_at, s.undelivered_at,
            s.created_at, s.answer_rating, s.answered_at
       FROM sms_messages s LEFT JOIN bridge_outbox o ON o.id = s.id::text
      WHERE s.work_order_id = $1
      ORDER BY s.created_at, array_position(ARRAY['receipt', 'reply', 'survey'], s.purpose), s.id`,
    [workOrderId],
  );
  return r.rows;
}

/** A text as a delivery report finds it: which gateway it went through, and what is known of it already. */
export async function findForReport(db: Queryable, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const r = await db.query<{
    gateway: string | null;
    sent_at: Date | null;
    delivered_at: Date | null;
    report_ref: string | null;
  }>('SELECT gateway, sent_at, delivered_at, report_ref FROM sms_messages WHERE id = $1 FOR UPDATE', [id]);
  return r.rows[0] ?? null;
}

export async function recordDeliveryReport(
  db: Queryable,
  id: string,
  r: { ref: string; delivered: boolean; error: string | null; at: Date },
): Promise<void> {
  await db.query(
    r.delivered
      ? `UPDATE sms_messages SET delivered_at = $3, undelivered_at = NULL, delivery_error = NULL, report_ref = $2,
           sent_at = coalesce(sent_at, $3) WHERE id = $1`
      : `UPDATE sms_messages SET undelivered_at = $3, delivery_error = $4, report_ref = $2 WHERE id = $1`,
    r.delivered ? [id, r.ref, r.at] : [id, r.ref, r.at, r.error],
  );
}
