import type { Queryable } from '../db/pool.ts';

export interface ReminderRow {
  id: string;
  work_order_id: string | null;
  linkage_item_id: string | null;
  subject: string;
  target_unit_id: string | null;
  target_unit_name: string | null;
  target_role: string | null;
  message: string;
  sent_by: string;
  sender_name: string | null;
  sent_at: Date;
  read_at: Date | null;
  reader_name: string | null;
}

const SELECT = `SELECT r.id, r.work_order_id, r.linkage_item_id, r.subject, r.target_unit_id, tu.name AS target_unit_name, r.target_role, r.message,
  r.sent_by, s.display_name AS sender_name, r.sent_at, r.read_at, rd.display_name AS reader_name
  FROM reminders r LEFT JOIN units tu ON tu.id = r.target_unit_id LEFT JOIN users s ON s.id = r.sent_by LEFT JOIN users rd ON rd.id = r.read_by`;

/** Stores the reminder and NOTIFYs it; the notification leaves at commit, with the row. */
export async function insertReminder(
  db: Queryable,
  r: {
    workOrderId?: string;
    linkageItemId?: string;
    subject: string;
    targetUnitId?: string;
    targetRole?: string;
    message: string;
    sentBy: string;
  },
): Promise<ReminderRow> {
  const ins = await db.query<{ id: string }>(
    `INSERT INTO reminders (work_order_id, linkage_item_id, subject, target_unit_id, target_role, message, sent_by)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [
      r.workOrderId ?? null,
      r.linkageItemId ?? null,
      r.subject,
      r.targetUnitId ?? null,
      r.targetRole ?? null,
      r.message,
      r.sentBy,
    ],
  );
  const id = ins.rows[0]!.id;
  await db.query("SELECT pg_notify('reminder_sent', $1)", [id]);
  return (await findReminder(db, id))!;
}

export async function findReminder(db: Queryable, id: string): Promise<ReminderRow | null> {
  return (await db.query<ReminderRow>(`${SELECT} WHERE r.id = $1`, [id])).rows[0] ?? null;
}

/** Reminders addressed to a unit or a role, newest first, and how many are unread. */
export async function listAddressed(
  db: Queryable,
  to: { unitId: string | null; role: string },
  limit: number,
): Promise<{ rows: ReminderRow[]; unread: number }> {
  const where = `(r.target_unit_id = $1 OR r.target_role = $2)`;
  const rows = (
    await db.query<ReminderRow>(`${SELECT} WHERE ${where} ORDER BY r.sent_at DESC, r.id LIMIT $3`, [
      to.unitId,
      to.role,
      limit,
    ])
  ).rows;
  const unread = (
    await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM reminders r WHERE ${where} AND r.read_at IS NULL`, [
      to.unitId,
      to.role,
    ])
  ).rows[0]!.n;
  return { rows, unread };
}

export async function listSentBy(db: Queryable, userId: string, limit: number): Promise<ReminderRow[]> {
  return (
    await db.query<ReminderRow>(`${SELECT} WHERE r.sent_by = $1 ORDER BY r.sent_at DESC, r.id LIMIT $2`, [
      userId,
      limit,
    ])
  ).rows;
}

export async function listForWorkOrder(db: Queryable, workOrderId: string): Promise<ReminderRow[]> {
  return (
    await db.query<ReminderRow>(`${SELECT} WHERE r.work_order_id = $1 ORDER BY r.sent_at DESC, r.id`, [workOrderId])
  ).rows;
}

/** Marks a reminder read, only if it is addressed to the reader; the first reading is kept. */
export async function markRead(
  db: Queryable,
  id: string,
  reader: { id: string; unitId: string | null; role: string },
): Promise<boolean> {
  const r = await db.query(
    `UPDATE reminders SET read_at = COALESCE(read_at, now()), read_by = COALESCE(read_by, $2)
    WHERE id = $1 AND (target_unit_id = $3 OR target_role = $4)`,
    [id, reader.id, reader.unitId, reader.role],
  );
  return (r.rowCount ?? 0) > 0;
}
