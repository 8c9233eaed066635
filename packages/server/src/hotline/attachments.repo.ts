import type { Queryable } from '../db/pool.ts';
import type { Actor } from '../auth/actor.ts';

export interface AttachmentRow {
  id: string;
  work_order_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  uploader_name: string | null;
  uploader_role: string;
  uploader_unit_id: string | null;
  uploaded_at: Date;
}

const COLUMNS = `a.id, a.work_order_id, a.file_name, a.content_type, a.size_bytes, a.sha256, a.uploaded_by, u.display_name AS uploader_name,
  a.uploader_role, a.uploader_unit_id, a.uploaded_at`;

export async function insertAttachment(
  db: Queryable,
  workOrderId: string,
  file: { name: string; contentType: string; data: Buffer; sha256: string },
  actor: Actor,
): Promise<AttachmentRow> {
  const r = await db.query<AttachmentRow>(
    `
    WITH a AS (
      INSERT INTO work_order_attachments (work_order_id, file_name, content_type, size_bytes, sha256, data, uploaded_by, uploader_role, uploader_unit_id)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *
    ) SELECT ${COLUMNS} FROM a LEFT JOIN users u ON u.id = a.uploaded_by`,
    [
      workOrderId,
      file.name,
      file.contentType,
      file.data.length,
      file.sha256,
      file.data,
      actor.id,
      actor.role,
      actor.unitId,
    ],
  );
  return r.rows[0]!;
}

export async function listAttachments(db: Queryable, workOrderId: string): Promise<AttachmentRow[]> {
  const r = await db.query<AttachmentRow>(
    `SELECT ${COLUMNS} FROM work_order_attachments a LEFT JOIN users u ON u.id = a.uploaded_by
    WHERE a.work_order_id = $1 ORDER BY a.uploaded_at, a.id`,
    [workOrderId],
  );
  return r.rows;
}

export async function findAttachmentContent(
  db: Queryable,
  id: string,
): Promise<(AttachmentRow & { data: Buffer }) | null> {
  const r = await db.query<AttachmentRow & { data: Buffer }>(
    `SELECT ${COLUMNS}, a.data FROM work_order_attachments a LEFT JOIN users u ON u.id = a.uploaded_by WHERE a.id = $1`,
    [id],
  );
  return r.rows[0] ?? null;
}
