/** Stored dispatch models (dispatch_models) and the archive they are trained from. */
import type { HistoryRecord, SavedDispatchModel } from '@liandong/domain';
import type { Queryable } from '../../db/pool.ts';

export interface HeldOutComparison {
  samples: number;
  candidate: { top1: number; top3: number; macroF1: number };
  current: { version: string; top1: number; top3: number; macroF1: number };
}

export interface DispatchModelRow {
  version: string;
  variant: string;
  trained_by: string;
  trained_at: Date;
  source: string;
  labels: string[];
  scores: SavedDispatchModel['scores'];
  held_out: HeldOutComparison | null;
  active: boolean;
  decision: 'activated' | 'kept_current' | 'activated_by_admin';
  uploaded_by: string | null;
  uploaded_by_name: string | null;
  uploaded_at: Date;
  bytes: number;
}

const COLUMNS = `m.version, m.variant, m.trained_by, m.trained_at, m.source, m.labels, m.scores, m.held_out, m.active,
  m.decision, m.uploaded_by, u.display_name AS uploaded_by_name, m.uploaded_at, m.bytes`;

export async function listDispatchModels(db: Queryable, limit = 50): Promise<DispatchModelRow[]> {
  return (
    await db.query<DispatchModelRow>(
      `SELECT ${COLUMNS} FROM dispatch_models m LEFT JOIN users u ON u.id = m.uploaded_by
       ORDER BY m.uploaded_at DESC, m.version DESC LIMIT $1`,
      [limit],
    )
  ).rows;
}

export async function findDispatchModel(db: Queryable, version: string): Promise<DispatchModelRow | null> {
  const { rows } = await db.query<DispatchModelRow>(
    `SELECT ${COLUMNS} FROM dispatch_models m LEFT JOIN users u ON u.id = m.uploaded_by WHERE m.version = $1`,
    [version],
  );
  return rows[0] ?? null;
}

/** The active model's version (a cheap check before each suggestion; the model itself is loaded once). */
export async function findActiveVersion(db: Queryable): Promise<string | null> {
  const { rows } = await db.query<{ version: string }>('SELECT version FROM dispatch_models WHERE active');
  return rows[0]?.version ?? null;
}

export async function loadStoredModel(db: Queryable, version: string): Promise<SavedDispatchModel | null> {
  const { rows } = await db.query<{ model: SavedDispatchModel }>(
    'SELECT model FROM dispatch_models WHERE version = $1',
    [version],
  );
  return rows[0]?.model ?? null;
}

export async function insertDispatchModel(
  db: Queryable,
  m: {
    saved: SavedDispatchModel;
    json: string;
    heldOut: HeldOutComparison | null;
    active: boolean;
    decision: DispatchModelRow['decision'];
    uploadedBy: string | null;
  },
): Promise<void> {
  if (m.active) await db.query('UPDATE dispatch_models SET active = false WHERE active');
  await db.query(
    `INSERT INTO dispatch_models (version, model, variant, trained_by, trained_at, source, labels, scores, held_out,
       active, decision, uploaded_by, bytes)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      m.saved.version,
      m.json,
      m.saved.variant,
      m.saved.trainedBy,
      m.saved.trainedAt,
      m.saved.source,
      m.saved.head.classes,
      JSON.stringify(m.saved.scores),
      m.heldOut && JSON.stringify(m.heldOut),
      m.active,
      m.decision,
      m.uploadedBy,
      Buffer.byteLength(m.json),
    ],
  );
}

export async function activateDispatchModel(db: Queryable, version: string): Promise<void> {
  await db.query('UPDATE dispatch_models SET active = false WHERE active AND version <> $1', [version]);
  await db.query(`UPDATE dispatch_models SET active = true, decision = 'activated_by_admin' WHERE version = $1`, [
    version,
  ]);
}

/** No stored version is active: the shipped default answers. */
export async function deactivateDispatchModels(db: Queryable): Promise<void> {
  await db.query('UPDATE dispatch_models SET active = false WHERE active');
}

export interface ArchivedRecord extends HistoryRecord {
  closedAt: Date;
}

/**
 * The platform's archived orders as a history: the final lead unit is the label (the unit that handled
 * it, after any 退单 and 改派), oldest first; a title the intake made from the text itself is left out.
 */
export async function listArchivedForTraining(db: Queryable, limit: number): Promise<ArchivedRecord[]> {
  const { rows } = await db.query<{
    text: string;
    title: string;
    label: string;
    district: string | null;
    closed_at: Date;
  }>(
    `SELECT r.content AS text, w.title, w.lead_unit_id AS label, d.name AS district, w.closed_at
       FROM work_orders w JOIN requests r ON r.id = w.request_id LEFT JOIN districts d ON d.code = w.district_code
      WHERE w.status = 'archived' AND w.lead_unit_id IS NOT NULL AND w.closed_at IS NOT NULL
      ORDER BY w.closed_at DESC, w.id LIMIT $1`,
    [limit],
  );
  return rows.reverse().map((r) => {
    const summary = r.text.replace(/\s+/g, ' ').slice(0, 40);
    return {
      text: r.text,
      title: r.title && r.title !== summary ? r.title : null,
      label: r.label,
      district: r.district,
      closedAt: r.closed_at,
    };
  });
}

/** Units by code and by name, for labels that name a unit either way. */
export async function listUnitNames(
  db: Queryable,
): Promise<{ id: string; name: string; kind: string; active: boolean; district_code: string | null }[]> {
  return (await db.query('SELECT id, name, kind, active, district_code FROM units')).rows;
}

/** What a suggestion reads of an order: its text, title, district and catalogue category. */
export async function findOrderForDispatch(
  db: Queryable,
  id: string,
): Promise<{
  text: string;
  title: string;
  district: string | null;
  category_code: string;
  category_name: string;
} | null> {
  const { rows } = await db.query(
    `SELECT r.content AS text, w.title, d.name AS district, w.category_code, c.name AS category_name
       FROM work_orders w JOIN requests r ON r.id = w.request_id
       LEFT JOIN districts d ON d.code = w.district_code
       JOIN catalogue_categories c ON c.code = w.category_code
      WHERE w.id = $1`,
    [id],
  );
  return rows[0] ?? null;
}
