/**
 * Units and the dispatch catalogue (派单目录) as an administrator keeps them: created, renamed, moved,
 * disabled (never deleted: orders and incidents refer to them). Each change and its audit entry commit together.
 */
import { unitDesk, type UnitKind } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import { audit } from './audit.repo.ts';
import { checkCategory, checkUnit, type Issue, type Known, type UnitInput } from './reference-rules.ts';
import {
  allDistricts,
  allStreets,
  allUnits,
  findCategory,
  findUnitView,
  insertUnit,
  listAllCategories,
  searchUnits,
  updateUnit,
  upsertCategory,
  type CategoryAdminView,
} from './units.repo.ts';

/** Everything the rules look up, read once. */
export async function loadKnown(db: Queryable): Promise<Known> {
  const [units, districts, streets, categories] = await Promise.all([
    allUnits(db),
    allDistricts(db),
    allStreets(db),
    listAllCategories(db),
  ]);
  return {
    units: new Map(units.map((u) => [u.id, u])),
    unitNames: new Map(units.map((u) => [u.name, u.id])),
    districts: new Set(districts.map((d) => d.code)),
    streets: new Map(streets.map((s) => [s.code, s.district_code])),
    categories: new Set(categories.map((c) => c.code)),
  };
}

/** The first issue as the endpoint's error; all of them in details. */
function refuse(issues: Issue[]): never {
  const first = issues[0]!;
  throw new AppError(first.code, first.message, { field: first.field, issues });
}

const fail = (err: unknown): never => {
  throw translatePgError(err);
};

export class ReferenceAdminService {
  constructor(private readonly db: Db) {}

  units(f: { q?: string; kind?: string; districtCode?: string; active?: boolean; page: number; pageSize: number }) {
    return searchUnits(this.db, f);
  }

  async createUnit(actor: Actor, u: UnitInput) {
    const issues = checkUnit(u, await loadKnown(this.db), null);
    if (issues.length) refuse(issues);
    await inTransaction(this.db, async (tx) => {
      await insertUnit(tx, { ...u, desk: unitDesk(u.kind as UnitKind), active: true });
      await audit(tx, actor.id, 'unit.create', u.id, { kind: u.kind, name: u.name });
    }).catch((err) => {
      if ((err as { code?: string }).code === '23505') throw new AppError('UNIT_ID_TAKEN');
      return fail(err);
    });
    return (await findUnitView(this.db, u.id))!;
  }

  async updateUnit(
    actor: Actor,
    id: string,
    b: {
      name?: string;
      districtCode?: string | null;
      streetCode?: string | null;
      parentId?: string | null;
      active?: boolean;
    },
  ) {
    const cur = await findUnitView(this.db, id);
    if (!cur) throw new AppError('UNIT_NOT_FOUND');
    const next = {
      id,
      name: b.name ?? cur.name,
      kind: cur.kind,
      districtCode: b.districtCode !== undefined ? b.districtCode : cur.districtCode,
      streetCode: b.streetCode !== undefined ? b.streetCode : cur.streetCode,
      parentId: b.parentId !== undefined ? b.parentId : cur.parentId,
    };
    const issues = checkUnit(next, await loadKnown(this.db), { kind: cur.kind });
    if (issues.length) refuse(issues);
    await inTransaction(this.db, async (tx) => {
      await updateUnit(tx, { ...next, desk: cur.desk, active: b.active ?? cur.active });
      await audit(tx, actor.id, 'unit.update', id, b);
    }).catch(fail);
    return (await findUnitView(this.db, id))!;
  }

  categories() {
    return listAllCategories(this.db);
  }

  async createCategory(actor: Actor, c: Omit<CategoryAdminView, 'active'>) {
    const issues = checkCategory(c, await loadKnown(this.db), false);
    if (issues.length) refuse(issues);
    await inTransaction(this.db, async (tx) => {
      await upsertCategory(tx, { ...c, active: true });
      await audit(tx, actor.id, 'category.create', c.code, { name: c.name, parentCode: c.parentCode });
    }).catch(fail);
    return (await findCategory(this.db, c.code))!;
  }

  async updateCategory(
    actor: Actor,
    code: string,
    b: {
      name?: string;
      parentCode?: string | null;
      defaultFunction?: string | null;
      defaultUnitKind?: string | null;
      active?: boolean;
    },
  ) {
    const cur = await findCategory(this.db, code);
    if (!cur) throw new AppError('CATEGORY_NOT_FOUND');
    const next: CategoryAdminView = {
      code,
      name: b.name ?? cur.name,
      parentCode: b.parentCode !== undefined ? b.parentCode : cur.parentCode,
      defaultFunction: b.defaultFunction !== undefined ? b.defaultFunction : cur.defaultFunction,
      defaultUnitKind: b.defaultUnitKind !== undefined ? b.defaultUnitKind : cur.defaultUnitKind,
      active: b.active ?? cur.active,
    };
    const issues = checkCategory(next, await loadKnown(this.db), true);
    if (issues.length) refuse(issues);
    await inTransaction(this.db, async (tx) => {
      await upsertCategory(tx, next);
      await audit(tx, actor.id, 'category.update', code, b);
    }).catch(fail);
    return (await findCategory(this.db, code))!;
  }
}
