/** Reads of the reference data: districts, streets, units, the dispatch catalogue. */
import type { Queryable } from '../db/pool.ts';

export async function listDistricts(db: Queryable) {
  return (
    await db.query(
      'SELECT d.code, d.name, d.kind, count(s.code)::int AS "streetCount" FROM districts d LEFT JOIN streets s ON s.district_code = d.code GROUP BY d.code ORDER BY d.code',
    )
  ).rows;
}

export async function listStreets(db: Queryable, districtCode: string) {
  return (await db.query('SELECT code, name, kind FROM streets WHERE district_code = $1 ORDER BY code', [districtCode]))
    .rows;
}

export async function listUnits(
  db: Queryable,
  f: { kind?: string; desk?: string; districtCode?: string; q?: string; limit: number },
) {
  return (
    await db.query(
      `SELECT id, name, kind, desk, district_code AS "districtCode", street_code AS "streetCode", parent_id AS "parentId"
    FROM units WHERE active AND ($1::text IS NULL OR kind = $1) AND ($2::text IS NULL OR desk = $2) AND ($3::text IS NULL OR district_code = $3)
    AND ($4::text IS NULL OR name LIKE '%' || $4 || '%') ORDER BY kind, id LIMIT $5`,
      [f.kind ?? null, f.desk ?? null, f.districtCode ?? null, f.q ?? null, f.limit],
    )
  ).rows;
}

export async function listCategories(db: Queryable) {
  return (
    await db.query(`SELECT code, name, parent_code AS "parentCode", default_function AS "defaultFunction", default_unit_kind AS "defaultUnitKind"
    FROM catalogue_categories WHERE active ORDER BY code`)
  ).rows;
}
