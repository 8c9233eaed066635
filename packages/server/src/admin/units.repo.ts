/** SQL of the reference data an administrator edits: units and the dispatch catalogue (派单目录). */
import type { Queryable } from '../db/pool.ts';

export interface UnitAdminView {
  id: string;
  name: string;
  kind: string;
  desk: string;
  districtCode: string | null;
  districtName: string | null;
  streetCode: string | null;
  streetName: string | null;
  parentId: string | null;
  parentName: string | null;
  active: boolean;
  userCount: number;
}
export interface UnitWrite {
  id: string;
  name: string;
  kind: string;
  desk: string;
  districtCode: string | null;
  streetCode: string | null;
  parentId: string | null;
  active: boolean;
}
export interface CategoryAdminView {
  code: string;
  name: string;
  parentCode: string | null;
  defaultFunction: string | null;
  defaultUnitKind: string | null;
  active: boolean;
}

const UNIT_SELECT = `SELECT u.id, u.name, u.kind, u.desk, u.district_code AS "districtCode", d.name AS "districtName",
    u.street_code AS "streetCode", s.name AS "streetName", u.parent_id AS "parentId", p.name AS "parentName", u.active,
    (SELECT count(*)::int FROM users x WHERE x.unit_id = u.id AND x.active) AS "userCount"
  FROM units u LEFT JOIN districts d ON d.code = u.district_code LEFT JOIN streets s ON s.code = u.street_code
  LEFT JOIN units p ON p.id = u.parent_id`;

export async function searchUnits(
  db: Queryable,
  f: { q?: string; kind?: string; districtCode?: string; active?: boolean; page: number; pageSize: number },
): Promise<{ items: UnitAdminView[]; total: number }> {
  const where = `WHERE ($1::text IS NULL OR u.name LIKE '%' || $1 || '%' OR u.id LIKE '%' || lower($1) || '%')
    AND ($2::text IS NULL OR u.kind = $2) AND ($3::text IS NULL OR u.district_code = $3) AND ($4::boolean IS NULL OR u.active = $4)`;
  const args = [f.q ?? null, f.kind ?? null, f.districtCode ?? null, f.active ?? null];
  const [items, total] = await Promise.all([
    db.query<UnitAdminView>(`${UNIT_SELECT} ${where} ORDER BY u.kind, u.id LIMIT $5 OFFSET $6`, [
      ...args,
      f.pageSize,
      (f.page - 1) * f.pageSize,
    ]),
    db.query<{ n: number }>(`SELECT count(*)::int AS n FROM units u ${where}`, args),
  ]);
  return { items: items.rows, total: total.rows[0]!.n };
}

export async function findUnitView(db: Queryable, id: string): Promise<UnitAdminView | null> {
  return (await db.query<UnitAdminView>(`${UNIT_SELECT} WHERE u.id = $1`, [id])).rows[0] ?? null;
}

export async function insertUnit(db: Queryable, u: UnitWrite): Promise<void> {
  await db.query(
    `INSERT INTO units (id, name, kind, desk, district_code, street_code, parent_id, active) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [u.id, u.name, u.kind, u.desk, u.districtCode, u.streetCode, u.parentId, u.active],
  );
}

export async function updateUnit(db: Queryable, u: UnitWrite): Promise<void> {
  await db.query(
    `UPDATE units SET name = $2, kind = $3, desk = $4, district_code = $5, street_code = $6, parent_id = $7, active = $8 WHERE id = $1`,
    [u.id, u.name, u.kind, u.desk, u.districtCode, u.streetCode, u.parentId, u.active],
  );
}

/** Every unit's id, name, kind and district: what an import checks its rows against. */
export async function allUnits(
  db: Queryable,
): Promise<{ id: string; name: string; kind: string; district_code: string | null; active: boolean }[]> {
  return (await db.query('SELECT id, name, kind, district_code, active FROM units')).rows;
}

export async function allStreets(db: Queryable): Promise<{ code: string; name: string; district_code: string }[]> {
  return (await db.query('SELECT code, name, district_code FROM streets')).rows;
}

export async function allDistricts(db: Queryable): Promise<{ code: string; name: string }[]> {
  return (await db.query('SELECT code, name FROM districts')).rows;
}

const CATEGORY_COLUMNS = `code, name, parent_code AS "parentCode", default_function AS "defaultFunction", default_unit_kind AS "defaultUnitKind", active`;

export async function listAllCategories(db: Queryable): Promise<CategoryAdminView[]> {
  return (await db.query<CategoryAdminView>(`SELECT ${CATEGORY_COLUMNS} FROM catalogue_categories ORDER BY code`)).rows;
}

export async function findCategory(db: Queryable, code: string): Promise<CategoryAdminView | null> {
  return (
    (await db.query<CategoryAdminView>(`SELECT ${CATEGORY_COLUMNS} FROM catalogue_categories WHERE code = $1`, [code]))
      .rows[0] ?? null
  );
}

export async function upsertCategory(db: Queryable, c: CategoryAdminView): Promise<void> {
  await db.query(
    `INSERT INTO catalogue_categories (code, name, parent_code, default_function, default_unit_kind, active) VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, parent_code = EXCLUDED.parent_code, default_function = EXCLUDED.default_function,
      default_unit_kind = EXCLUDED.default_unit_kind, active = EXCLUDED.active`,
    [c.code, c.name, c.parentCode, c.defaultFunction, c.defaultUnitKind, c.active],
  );
}
