/** Kinds of units (承办单位, 处警单位, outside bodies) and the desk each kind works on. */
export const UNIT_KINDS = [
  'city_department',
  'district_agency',
  'district_department',
  'street_office',
  'police_command',
  'police_bureau',
  'police_specialized',
  'police_station',
  'external',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  city_department: '市级部门',
  district_agency: '区县热线机构',
  district_department: '区县部门',
  street_office: '街道（镇、乡）',
  police_command: '公安指挥中心',
  police_bureau: '公安分局',
  police_specialized: '警种部门',
  police_station: '派出所',
  external: '联动单位',
};

/** The 12345 desk's units receive work orders; the 110 desk's, incidents; outside bodies, through connectors. */
export function unitDesk(kind: UnitKind): 'hotline' | 'dispatch' | 'external' {
  if (kind === 'external') return 'external';
  return kind.startsWith('police_') ? 'dispatch' : 'hotline';
}

/** Kinds whose units sit in one district (and a street office in one street). */
export const DISTRICT_UNIT_KINDS: ReadonlySet<UnitKind> = new Set([
  'district_agency',
  'district_department',
  'street_office',
  'police_bureau',
  'police_station',
]);
