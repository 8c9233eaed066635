/**
 * Seeds the reference tables after migrations. Idempotent: rows that exist are left alone, so an
 * administrator's edits (calendar, time limits, unit names) survive restarts.
 */
import type { Db } from '../db/pool.ts';
import { insertCatalogueVersion } from '../triage/catalogue.repo.ts';
import { loadSeedCatalogues } from '../triage/triage-engine.ts';
import {
  DEFAULT_LIMIT_ROWS,
  buildCategories,
  buildUnits,
  loadDivisions,
  loadHolidays,
  streetKind,
} from './reference-data.ts';

function chunks<T>(rows: T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

async function insertJson(db: Db, table: string, columns: string[], rows: object[], conflict: string): Promise<void> {
  const cols = columns.join(', ');
  for (const part of chunks(rows)) {
    await db.query(
      `INSERT INTO ${table} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${table}, $1::json) ON CONFLICT ${conflict} DO NOTHING`,
      [JSON.stringify(part)],
    );
  }
}

export async function seedReference(db: Db): Promise<void> {
  const divisions = loadDivisions();
  await insertJson(
    db,
    'districts',
    ['code', 'name', 'kind'],
    divisions.map(({ code, name, kind }) => ({ code, name, kind })),
    '(code)',
  );
  await insertJson(
    db,
    'streets',
    ['code', 'district_code', 'name', 'kind'],
    divisions.flatMap((d) =>
      d.streets.map((s) => ({ code: s.code, district_code: d.code, name: s.name, kind: streetKind(s.name) })),
    ),
    '(code)',
  );
  const units = buildUnits(divisions);
  // parents first
  const ordered = [
    ...units.filter((u) => !u.parent_id),
    ...units.filter((u) => u.parent_id && !units.find((p) => p.id === u.parent_id)?.parent_id),
    ...units.filter((u) => u.parent_id && units.find((p) => p.id === u.parent_id)?.parent_id),
  ];
  await insertJson(
    db,
    'units',
    ['id', 'name', 'kind', 'desk', 'district_code', 'street_code', 'parent_id'],
    ordered,
    '(id)',
  );
  const cats = buildCategories();
  await insertJson(
    db,
    'catalogue_categories',
    ['code', 'name', 'parent_code', 'default_function', 'default_unit_kind'],
    [...cats.filter((c) => !c.parent_code), ...cats.filter((c) => c.parent_code)],
    '(code)',
  );
  await insertJson(
    db,
    'calendar_days',
    ['day', 'kind', 'name', 'provisional'],
    loadHolidays().map((h) => ({ day: h.date, kind: h.kind, name: h.name, provisional: h.provisional ?? false })),
    '(day)',
  );
  // Each shipped seed version the database has not yet reached (a city's own later version stays).
  for (const { version, ...catalogue } of loadSeedCatalogues()) {
    const newest = await db.query<{ v: number | null }>('SELECT max(version) AS v FROM triage_catalogue_versions');
    if ((newest.rows[0]?.v ?? 0) < version) await insertCatalogueVersion(db, catalogue, null, version);
  }
  await insertJson(
    db,
    'time_limits',
    ['order_type', 'urgent', 'amount', 'unit'],
    DEFAULT_LIMIT_ROWS,
    '(order_type, urgent)',
  );
}
