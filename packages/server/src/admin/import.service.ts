/**
 * Bulk import of a city's units, users and dispatch catalogue (派单目录), how a city moves in from its old
 * system. Every row is checked first (against the database and the rest of the file); one bad row and
 * nothing is written, the answer listing each row's problems. A good file is written in one transaction,
 * with one audit entry. A row whose code or username exists already updates that record.
 */
import { ROLE_LABELS, UNIT_KIND_LABELS, defaultDesks, unitDesk, type Role, type UnitKind } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import type { AuthService } from '../auth/auth.service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import { ensureAnAdministratorRemains, revokeUserSessions } from './admin.repo.ts';
import { audit } from './audit.repo.ts';
import { readTable, type Column } from './import-file.ts';
import { loadKnown } from './reference-admin.service.ts';
import {
  checkCategory,
  checkUnit,
  checkUser,
  LEAD_UNIT_KINDS,
  type CategoryInput,
  type Issue,
  type UnitInput,
  type UserInput,
} from './reference-rules.ts';
import { allDistricts, allStreets, insertUnit, listAllCategories, updateUnit, upsertCategory } from './units.repo.ts';

export const IMPORT_KINDS = ['units', 'users', 'categories'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_TITLES: Record<ImportKind, string> = { units: '单位', users: '用户', categories: '派单目录' };

const kindList = Object.values(UNIT_KIND_LABELS).join('、');
export const IMPORT_COLUMNS: Record<ImportKind, Column[]> = {
  units: [
    {
      key: 'id',
      header: '单位编码',
      required: true,
      note: '2～64位小写字母、数字或 . _ -，全市唯一，导入后不可修改',
      example: 'd500103.sports',
    },
    { key: 'name', header: '单位名称', required: true, note: '全市唯一', example: '渝中区体育局' },
    { key: 'kind', header: '单位类型', required: true, note: `以下之一：${kindList}`, example: '区县部门' },
    {
      key: 'district',
      header: '区县',
      required: false,
      note: '区县名称或6位代码；区县部门、街道、公安分局、派出所必填',
      example: '渝中区',
    },
    { key: 'street', header: '街道', required: false, note: '街道（镇、乡）名称或9位代码；街道单位必填', example: '' },
    {
      key: 'parent',
      header: '上级单位',
      required: false,
      note: '上级单位的编码或名称（可为本文件中的单位）',
      example: 'd500103.agency',
    },
  ],
  users: [
    {
      key: 'username',
      header: '用户名',
      required: true,
      note: '3～32位小写字母、数字或 . _ -，登录时使用',
      example: 'tiyu01',
    },
    { key: 'displayName', header: '姓名', required: true, note: '1～50个字', example: '周敏' },
    {
      key: 'role',
      header: '角色',
      required: true,
      note: `以下之一：${Object.values(ROLE_LABELS).join('、')}`,
      example: '承办单位经办人',
    },
    {
      key: 'unit',
      header: '所属单位',
      required: false,
      note: '单位编码或名称；承办单位经办人必填',
      example: '渝中区体育局',
    },
    { key: 'district', header: '区县', required: false, note: '区县名称或代码；区县热线机构用户必填', example: '' },
    {
      key: 'password',
      header: '初始密码',
      required: false,
      note: '至少10位，含大写字母、小写字母、数字、其他字符中的3类，不含用户名，不用常见密码；新用户必填；已有用户填写则重置密码',
      example: 'Chongqing@2026',
    },
  ],
  categories: [
    { key: 'code', header: '目录编码', required: true, note: '大写字母开头的2～16位大写字母或数字', example: 'CSGL08' },
    { key: 'name', header: '目录名称', required: true, note: '1～100个字', example: '共享单车停放' },
    {
      key: 'parent',
      header: '上级编码',
      required: false,
      note: '上级目录的编码（可为本文件中的目录）；一级目录留空',
      example: 'CSGL',
    },
    {
      key: 'unitKind',
      header: '主办单位类型',
      required: false,
      note: '市级部门、区县部门、街道（镇、乡）或区县热线机构',
      example: '区县部门',
    },
    {
      key: 'function',
      header: '职能代码',
      required: false,
      note: '2～20位小写字母或 -，与单位编码的职能部分一致',
      example: 'urban-mgmt',
    },
  ],
};

export interface RowError {
  row: number;
  column: string;
  message: string;
}
export interface ImportResult {
  kind: ImportKind;
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
}

const MAX_REPORTED = 500;

/** A checked file: what it will create and update, and the writing itself. */
interface Plan {
  created: number;
  updated: number;
  prepare?: () => Promise<void>;
  /** Writes the rows; answers the users whose cached sessions must be forgotten. */
  apply: (tx: Queryable) => Promise<string[]>;
}

/** A label, a code, or a name → the code; undefined when the text names nothing. */
const lookup = (text: string, byCode: Iterable<string>, byLabel: Map<string, string>): string | undefined => {
  for (const c of byCode) if (c === text) return c;
  return byLabel.get(text);
};
const invert = (labels: Record<string, string>) => new Map(Object.entries(labels).map(([k, v]) => [v, k]));

export class ImportService {
  constructor(
    private readonly db: Db,
    private readonly auth: AuthService,
  ) {}

  async run(actor: Actor, kind: ImportKind, body: Buffer, dryRun: boolean): Promise<ImportResult> {
    const columns = IMPORT_COLUMNS[kind];
    const rows = await readTable(body, columns);
    const header = new Map(columns.map((c) => [c.key, c.header]));
    const errors: RowError[] = [];
    const report = (row: number, issues: Issue[], fieldColumn: Record<string, string>) => {
      for (const i of issues)
        errors.push({ row, column: header.get(fieldColumn[i.field] ?? i.field) ?? '', message: i.message });
    };
    const plan: Plan =
      kind === 'units'
        ? await this.planUnits(rows, report)
        : kind === 'users'
          ? await this.planUsers(rows, report)
          : await this.planCategories(rows, report);
    if (errors.length) {
      const badRows = new Set(errors.map((e) => e.row)).size;
      throw new AppError('IMPORT_ROWS_INVALID', `共${rows.length}行，其中${badRows}行有错误，未导入任何数据`, {
        errors: errors.slice(0, MAX_REPORTED),
        errorCount: errors.length,
      });
    }
    const result: ImportResult = { kind, dryRun, rows: rows.length, created: plan.created, updated: plan.updated };
    if (dryRun) return result;
    await plan.prepare?.();
    const touched = await inTransaction(this.db, async (tx) => {
      const t = await plan.apply(tx);
      await audit(tx, actor.id, `import.${kind}`, IMPORT_TITLES[kind], {
        rows: rows.length,
        created: plan.created,
        updated: plan.updated,
      });
      return t;
    }).catch((err) => {
      throw translatePgError(err);
    });
    for (const id of touched) this.auth.forgetUser(id);
    return result;
  }

  private async planUnits(
    rows: { row: number; values: Record<string, string> }[],
    report: (row: number, issues: Issue[], fieldColumn: Record<string, string>) => void,
  ) {
    const known = await loadKnown(this.db);
    const [districts, streets] = await Promise.all([allDistricts(this.db), allStreets(this.db)]);
    const districtByName = new Map(districts.map((d) => [d.name, d.code]));
    const kinds = invert(UNIT_KIND_LABELS);
    const dbUnits = new Map(known.units);
    const fieldColumn = {
      id: 'id',
      name: 'name',
      kind: 'kind',
      districtCode: 'district',
      streetCode: 'street',
      parentId: 'parent',
    };
    // First every id and name the file brings, so a row may name a parent further down.
    const firstRow = new Map<string, number>();
    const inputs: { row: number; u: UnitInput; existing: { kind: string } | null }[] = [];
    for (const { row, values: v } of rows) {
      if (v.id && firstRow.has(v.id)) {
        report(
          row,
          [{ field: 'id', message: `单位编码与第${firstRow.get(v.id)}行重复`, code: 'UNIT_INVALID' }],
          fieldColumn,
        );
        continue;
      }
      if (v.id) firstRow.set(v.id, row);
      const kind = lookup(v.kind ?? '', Object.keys(UNIT_KIND_LABELS), kinds) ?? v.kind ?? '';
      const districtCode = v.district ? (lookup(v.district, known.districts, districtByName) ?? v.district) : null;
      let streetCode: string | null = null;
      if (v.street) {
        const s = streets.find(
          (x) => x.code === v.street || (x.name === v.street && (!districtCode || x.district_code === districtCode)),
        );
        streetCode = s?.code ?? v.street;
      }
      const parentId = v.parent ? (known.unitNames.get(v.parent) ?? v.parent) : null;
      const existing = dbUnits.get(v.id ?? '');
      inputs.push({
        row,
        u: { id: v.id ?? '', name: v.name ?? '', kind, districtCode, streetCode, parentId },
        existing: existing ? { kind: existing.kind } : null,
      });
    }
    for (const { u } of inputs) {
      known.units.set(u.id, { name: u.name, kind: u.kind, district_code: u.districtCode });
      if (u.name) {
        const old = dbUnits.get(u.id);
        if (old && known.unitNames.get(old.name) === u.id) known.unitNames.delete(old.name);
      }
    }
    for (const { u } of inputs) if (u.name && !known.unitNames.has(u.name)) known.unitNames.set(u.name, u.id);
    // A parent named by name in the file, resolved now that the file's names are known.
    for (const i of inputs)
      if (i.u.parentId && !known.units.has(i.u.parentId))
        i.u.parentId = known.unitNames.get(i.u.parentId) ?? i.u.parentId;
    // The file's own ids are known now (for parents): each row is checked as that id's record, its kind kept
    // when the database has it already.
    for (const { row, u, existing } of inputs)
      report(row, checkUnit(u, known, existing ?? { kind: u.kind }), fieldColumn);
    const ordered = parentsFirst(
      inputs,
      (i) => i.u.id,
      (i) => i.u.parentId,
    );
    return {
      created: inputs.filter((i) => !i.existing).length,
      updated: inputs.filter((i) => i.existing).length,
      apply: async (tx: Queryable) => {
        for (const { u, existing } of ordered) {
          const w = { ...u, desk: unitDesk(u.kind as UnitKind), active: true };
          if (existing) await updateUnit(tx, w);
          else await insertUnit(tx, w);
        }
        return [] as string[];
      },
    };
  }

  private async planCategories(
    rows: { row: number; values: Record<string, string> }[],
    report: (row: number, issues: Issue[], fieldColumn: Record<string, string>) => void,
  ) {
    const known = await loadKnown(this.db);
    const existingCodes = new Set((await listAllCategories(this.db)).map((c) => c.code));
    const leadKinds = new Map(LEAD_UNIT_KINDS.map((k) => [UNIT_KIND_LABELS[k], k as string]));
    const fieldColumn = {
      code: 'code',
      name: 'name',
      parentCode: 'parent',
      defaultUnitKind: 'unitKind',
      defaultFunction: 'function',
    };
    const firstRow = new Map<string, number>();
    const inputs: { row: number; c: CategoryInput; existing: boolean }[] = [];
    for (const { row, values: v } of rows) {
      const code = (v.code ?? '').toUpperCase();
      if (code && firstRow.has(code)) {
        report(
          row,
          [{ field: 'code', message: `目录编码与第${firstRow.get(code)}行重复`, code: 'CATEGORY_INVALID' }],
          fieldColumn,
        );
        continue;
      }
      if (code) firstRow.set(code, row);
      inputs.push({
        row,
        c: {
          code,
          name: v.name ?? '',
          parentCode: v.parent ? v.parent.toUpperCase() : null,
          defaultUnitKind: v.unitKind ? (lookup(v.unitKind, LEAD_UNIT_KINDS, leadKinds) ?? v.unitKind) : null,
          defaultFunction: v.function || null,
        },
        existing: existingCodes.has(code),
      });
    }
    for (const { c } of inputs) known.categories.add(c.code);
    for (const { row, c } of inputs) report(row, checkCategory(c, known, true), fieldColumn);
    const ordered = parentsFirst(
      inputs,
      (i) => i.c.code,
      (i) => i.c.parentCode,
    );
    return {
      created: inputs.filter((i) => !i.existing).length,
      updated: inputs.filter((i) => i.existing).length,
      apply: async (tx: Queryable) => {
        for (const { c } of ordered) await upsertCategory(tx, { ...c, active: true });
        return [] as string[];
      },
    };
  }

  private async planUsers(
    rows: { row: number; values: Record<string, string> }[],
    report: (row: number, issues: Issue[], fieldColumn: Record<string, string>) => void,
  ) {
    const known = await loadKnown(this.db);
    const districts = await allDistricts(this.db);
    const districtByName = new Map(districts.map((d) => [d.name, d.code]));
    const roles = invert(ROLE_LABELS);
    const existing = new Map(
      (await this.db.query<{ id: string; username: string }>('SELECT id, username FROM users')).rows.map((u) => [
        u.username,
        u.id,
      ]),
    );
    const fieldColumn = {
      username: 'username',
      displayName: 'displayName',
      role: 'role',
      unitId: 'unit',
      districtCode: 'district',
      password: 'password',
    };
    const firstRow = new Map<string, number>();
    const inputs: { row: number; u: UserInput; id: string | null }[] = [];
    for (const { row, values: v } of rows) {
      const username = (v.username ?? '').toLowerCase();
      if (username && firstRow.has(username)) {
        report(
          row,
          [{ field: 'username', message: `用户名与第${firstRow.get(username)}行重复`, code: 'VALIDATION_FAILED' }],
          fieldColumn,
        );
        continue;
      }
      if (username) firstRow.set(username, row);
      const u: UserInput = {
        username,
        displayName: v.displayName ?? '',
        role: lookup(v.role ?? '', Object.keys(ROLE_LABELS), roles) ?? v.role ?? '',
        unitId: v.unit ? (known.units.has(v.unit) ? v.unit : (known.unitNames.get(v.unit) ?? v.unit)) : null,
        districtCode: v.district ? (lookup(v.district, known.districts, districtByName) ?? v.district) : null,
        password: v.password || null,
      };
      const id = existing.get(username) ?? null;
      report(row, checkUser(u, known, id !== null, this.auth.settings), fieldColumn);
      inputs.push({ row, u, id });
    }
    const hashes = new Map<string, string>();
    return {
      created: inputs.filter((i) => !i.id).length,
      updated: inputs.filter((i) => i.id).length,
      // Hashing is slow by design: done once the file is known good, before the transaction.
      prepare: async () => {
        for (const { u } of inputs) if (u.password) hashes.set(u.username, await hashPassword(u.password));
      },
      apply: async (tx: Queryable) => {
        const touched: string[] = [];
        for (const { u, id } of inputs) {
          const hash = hashes.get(u.username) ?? null;
          if (id) {
            await tx.query(
              `UPDATE users SET display_name = $2, role = $3, unit_id = $4, district_code = $5, password_hash = COALESCE($6, password_hash) WHERE id = $1`,
              [id, u.displayName, u.role, u.unitId, u.districtCode, hash],
            );
            if (hash) await revokeUserSessions(tx, id);
            touched.push(id);
          } else {
            await tx.query(
              'INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code, desks) VALUES ($1, $2, $3, $4, $5, $6, $7)',
              [u.username, u.displayName, hash, u.role, u.unitId, u.districtCode, defaultDesks(u.role as Role)],
            );
          }
        }
        // a file cannot demote the last administrator either
        if (touched.length && !(await ensureAnAdministratorRemains(tx, this.auth.desk)))
          throw new AppError('LAST_ADMIN_PROTECTED');
        return touched;
      },
    };
  }
}

/** The rows ordered so that a parent defined in the file is written before its children. */
function parentsFirst<T>(items: T[], key: (t: T) => string, parent: (t: T) => string | null): T[] {
  const byKey = new Map(items.map((i) => [key(i), i]));
  const out: T[] = [];
  const done = new Set<string>();
  const visit = (i: T, depth: number) => {
    const k = key(i);
    if (done.has(k) || depth > items.length) return;
    const p = parent(i);
    const pi = p ? byKey.get(p) : undefined;
    if (pi && pi !== i) visit(pi, depth + 1);
    done.add(k);
    out.push(i);
  };
  for (const i of items) visit(i, 0);
  return out;
}
