import type { CatalogueEntry } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export interface CatalogueDraft {
  id: string;
  basedOn: number;
  effectiveFrom: string;
  source: string;
  note: string | null;
  entries: CatalogueEntry[];
  createdBy: string | null;
  createdByName: string | null;
  createdAt: string;
  updatedByName: string | null;
  updatedAt: string;
}

const COLUMNS = `d.id, d.based_on AS "basedOn", to_char(d.effective_from, 'YYYY-MM-DD') AS "effectiveFrom", d.source, d.note,
  d.created_by AS "createdBy", c.display_name AS "createdByName", d.created_at AS "createdAt",
  u.display_name AS "updatedByName", d.updated_at AS "updatedAt"`;
const FROM = `triage_catalogue_drafts d LEFT JOIN users c ON c.id = d.created_by LEFT JOIN users u ON u.id = d.updated_by`;

type Row = Omit<CatalogueDraft, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date };
const present = (r: Row): CatalogueDraft => ({
  ...r,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export async function listCatalogueDrafts(db: Queryable) {
  const r = await db.query<Omit<Row, 'entries'> & { entryCount: number }>(
    `SELECT ${COLUMNS}, jsonb_array_length(d.entries)::int AS "entryCount" FROM ${FROM} ORDER BY d.updated_at DESC`,
  );
  return r.rows.map((row) => ({
    ...row,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  }));
}

/** The draft, locked for update when `lock` (inside a transaction). */
export async function findCatalogueDraft(db: Queryable, id: string, lock = false): Promise<CatalogueDraft | null> {
  const r = await db.query<Row>(
    `SELECT ${COLUMNS}, d.entries FROM ${FROM} WHERE d.id = $1${lock ? ' FOR UPDATE OF d' : ''}`,
    [id],
  );
  return r.rows[0] ? present(r.rows[0]) : null;
}

/** A draft copied from a published version's entries; returns its id. */
export async function insertCatalogueDraft(
  db: Queryable,
  d: { basedOn: number; effectiveFrom: string; source: string; note: string | null },
  by: string | null,
): Promise<string> {
  const r = await db.query<{ id: string }>(
    `INSERT INTO triage_catalogue_drafts (based_on, effective_from, source, note, entries, created_by, updated_by)
    SELECT v.version, $2, $3, $4, v.entries, $5, $5 FROM triage_catalogue_versions v WHERE v.version = $1 RETURNING id`,
    [d.basedOn, d.effectiveFrom, d.source, d.note, by],
  );
  return r.rows[0]!.id;
}

export async function updateCatalogueDraft(
  db: Queryable,
  id: string,
  d: { effectiveFrom: string; source: string; note: string | null; entries: CatalogueEntry[] },
  by: string | null,
): Promise<void> {
  await db.query(
    `UPDATE triage_catalogue_drafts SET effective_from = $2, source = $3, note = $4, entries = $5, updated_by = $6, updated_at = now()
    WHERE id = $1`,
    [id, d.effectiveFrom, d.source, d.note, JSON.stringify(d.entries), by],
  );
}

export async function deleteCatalogueDraft(db: Queryable, id: string): Promise<boolean> {
  const r = await db.query('DELETE FROM triage_catalogue_drafts WHERE id = $1', [id]);
  return (r.rowCount ?? 0) > 0;
}

export async function newestCatalogueVersion(db: Queryable): Promise<number | null> {
  const r = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM triage_catalogue_versions');
  return r.rows[0]?.v ?? null;
}
