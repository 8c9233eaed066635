/**
 * What makes a unit, a dispatch-catalogue entry (派单目录) or a user acceptable: one set of rules for the
 * administrator's forms and for a bulk import, checked against what the database holds plus what the same
 * file adds (a file may name a parent unit defined a few rows further down).
 */
import { DISTRICT_UNIT_KINDS, ROLES, UNIT_KINDS, type UnitKind } from '@liandong/domain';
import type { ErrorCode } from '../errors.ts';
import { passwordProblem, type PasswordRules } from '../auth/password-policy.ts';

/** One problem with one field; `code` is the error the form's endpoint answers with. */
export interface Issue {
  field: string;
  message: string;
  code: ErrorCode;
}

export interface UnitInput {
  id: string;
  name: string;
  kind: string;
  districtCode: string | null;
  streetCode: string | null;
  parentId: string | null;
}
export interface CategoryInput {
  code: string;
  name: string;
  parentCode: string | null;
  defaultFunction: string | null;
  defaultUnitKind: string | null;
}
export interface UserInput {
  username: string;
  displayName: string;
  role: string;
  unitId: string | null;
  districtCode: string | null;
  password: string | null;
}

/** What the rules look things up in: the database's rows, with the file's rows added as they are read. */
export interface Known {
  units: Map<string, { name: string; kind: string; district_code: string | null }>;
  unitNames: Map<string, string>;
  districts: Set<string>;
  streets: Map<string, string>;
  categories: Set<string>;
}

export const UNIT_ID_PATTERN = /^[a-z0-9][a-z0-9_.-]{1,63}$/;
export const CATEGORY_CODE_PATTERN = /^[A-Z][A-Z0-9]{1,15}$/;
export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9_.-]{2,31}$/;
const FUNCTION_PATTERN = /^[a-z-]{2,20}$/;
/** The kinds of unit a catalogue entry may name as its usual lead (the table's CHECK). */
export const LEAD_UNIT_KINDS = ['city_department', 'district_department', 'street_office', 'district_agency'] as const;

/** `existing`: the unit is being changed, not created (its id is taken by itself, its kind stays). */
export function checkUnit(u: UnitInput, known: Known, existing: { kind: string } | null): Issue[] {
  const out: Issue[] = [];
  const bad = (field: string, message: string, code: ErrorCode = 'UNIT_INVALID') => out.push({ field, message, code });
  if (!UNIT_ID_PATTERN.test(u.id)) bad('id', '单位编码须为2～64位小写字母、数字或 . _ -');
  else if (!existing && known.units.has(u.id)) bad('id', `单位编码已存在：${u.id}`, 'UNIT_ID_TAKEN');
  if (!u.name || u.name.length > 100) bad('name', '单位名称须为1～100个字');
  else {
    const holder = known.unitNames.get(u.name);
    if (holder && holder !== u.id) bad('name', `单位名称已被“${holder}”使用`, 'UNIT_NAME_TAKEN');
  }
  if (!(UNIT_KINDS as readonly string[]).includes(u.kind)) {
    bad('kind', `单位类型无效：${u.kind}`);
    return out;
  }
  if (existing && existing.kind !== u.kind) bad('kind', '单位类型不能修改（可停用后新建）');
  const kind = u.kind as UnitKind;
  if (u.districtCode && !known.districts.has(u.districtCode))
    bad('districtCode', `区县不存在：${u.districtCode}`, 'REFERENCE_NOT_FOUND');
  else if (DISTRICT_UNIT_KINDS.has(kind) && !u.districtCode) bad('districtCode', '该类型的单位须指定所属区县');
  if (kind === 'street_office' && !u.streetCode) bad('streetCode', '街道（镇、乡）须指定所在街道');
  if (u.streetCode) {
    const district = known.streets.get(u.streetCode);
    if (!district) bad('streetCode', `街道不存在：${u.streetCode}`, 'REFERENCE_NOT_FOUND');
    else if (u.districtCode && district !== u.districtCode)
      bad('streetCode', '街道（镇）不属于所选区县', 'STREET_NOT_IN_DISTRICT');
  }
  if (u.parentId) {
    if (u.parentId === u.id) bad('parentId', '上级单位不能是本单位');
    else if (!known.units.has(u.parentId)) bad('parentId', `上级单位不存在：${u.parentId}`, 'REFERENCE_NOT_FOUND');
  }
  return out;
}

export function checkCategory(c: CategoryInput, known: Known, existing: boolean): Issue[] {
  const out: Issue[] = [];
  const bad = (field: string, message: string, code: ErrorCode = 'CATEGORY_INVALID') =>
    out.push({ field, message, code });
  if (!CATEGORY_CODE_PATTERN.test(c.code)) bad('code', '目录编码须为大写字母开头的2～16位大写字母或数字');
  else if (!existing && known.categories.has(c.code)) bad('code', `目录编码已存在：${c.code}`, 'CATEGORY_CODE_TAKEN');
  if (!c.name || c.name.length > 100) bad('name', '目录名称须为1～100个字');
  if (c.parentCode) {
    if (c.parentCode === c.code) bad('parentCode', '上级目录不能是本目录');
    else if (!known.categories.has(c.parentCode))
      bad('parentCode', `上级目录不存在：${c.parentCode}`, 'REFERENCE_NOT_FOUND');
  }
  if (c.defaultUnitKind && !(LEAD_UNIT_KINDS as readonly string[]).includes(c.defaultUnitKind))
    bad('defaultUnitKind', '主办单位类型须为市级部门、区县部门、街道（镇、乡）或区县热线机构');
  if (c.defaultFunction && !FUNCTION_PATTERN.test(c.defaultFunction))
    bad('defaultFunction', '职能代码须为2～20位小写字母或 -');
  return out;
}

/** A user's fields and scope (a department handler belongs to a unit; a district agency to a district). */
export function checkUser(u: UserInput, known: Known, existing: boolean, rules: PasswordRules): Issue[] {
  const out: Issue[] = [];
  const bad = (field: string, message: string, code: ErrorCode = 'ROLE_SCOPE_INVALID') =>
    out.push({ field, message, code });
  if (!USERNAME_PATTERN.test(u.username))
    bad('username', '用户名须为3～32位小写字母、数字或 . _ -', 'VALIDATION_FAILED');
  if (!u.displayName || u.displayName.length > 50) bad('displayName', '姓名须为1～50个字', 'VALIDATION_FAILED');
  if (!existing && !u.password) bad('password', '新用户须有初始密码', 'VALIDATION_FAILED');
  const weak = u.password ? passwordProblem(u.password, u.username, rules) : null;
  if (weak) bad('password', weak.message, weak.code);
  if (!(ROLES as readonly string[]).includes(u.role)) {
    bad('role', `角色无效：${u.role}`, 'VALIDATION_FAILED');
    return out;
  }
  if (u.districtCode && !known.districts.has(u.districtCode))
    bad('districtCode', `区县不存在：${u.districtCode}`, 'REFERENCE_NOT_FOUND');
  const unit = u.unitId ? known.units.get(u.unitId) : undefined;
  if (u.unitId && !unit) bad('unitId', `单位不存在：${u.unitId}`, 'REFERENCE_NOT_FOUND');
  if (u.role === 'department_handler' && !u.unitId) bad('unitId', '承办单位经办人须指定所属单位');
  if (u.role === 'district_agency') {
    if (!u.districtCode) bad('districtCode', '区县热线机构用户须指定区县');
    else if (unit && (unit.kind !== 'district_agency' || unit.district_code !== u.districtCode))
      bad('unitId', '区县热线机构用户的单位须为该区县的热线机构');
  }
  return out;
}
