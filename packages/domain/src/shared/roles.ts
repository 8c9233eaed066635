/** Roles of Liandong's users (design §1). */
export const ROLES = [
  'call_taker', // 12345 话务员
  'dispatcher', // 110 接警员/指挥调度
  'specialist_seat', // 专席 (110专席 in 12345, 12345专席 in 110)
  'district_agency', // 区县热线机构
  'department_handler', // 承办单位
  'supervisor', // 督办
  'analyst',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  call_taker: '12345话务员',
  dispatcher: '110接警调度员',
  specialist_seat: '专席坐席',
  district_agency: '区县热线机构',
  department_handler: '承办单位经办人',
  supervisor: '督办员',
  analyst: '数据分析员',
  admin: '系统管理员',
};

/** Roles that see caller name and phone unmasked (they call back or dispatch). */
const SEES_CALLER: ReadonlySet<Role> = new Set(['call_taker', 'dispatcher', 'specialist_seat', 'supervisor', 'admin']);
/** Handlers see the caller to call back, unless the caller asked for confidentiality. */
const SEES_CALLER_UNLESS_CONFIDENTIAL: ReadonlySet<Role> = new Set(['district_agency', 'department_handler']);

export function seesCallerUnmasked(role: Role, confidential: boolean): boolean {
  if (SEES_CALLER.has(role)) return true;
  return SEES_CALLER_UNLESS_CONFIDENTIAL.has(role) && !confidential;
}
