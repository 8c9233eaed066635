/** 110 incident (警情): categories, dispatch tiers, dispositions. */
export const INCIDENT_CATEGORIES = [
  'criminal',
  'public_order',
  'traffic',
  'mass_incident',
  'emergency_help',
  'public_help',
  'police_complaint',
  'tip_off',
  'social_linkage',
  'non_police',
  'invalid',
] as const;
export type IncidentCategory = (typeof INCIDENT_CATEGORIES)[number];
export const INCIDENT_CATEGORY_LABELS: Record<IncidentCategory, string> = {
  criminal: '刑事',
  public_order: '治安',
  traffic: '交通',
  mass_incident: '群体事件',
  emergency_help: '紧急求助',
  public_help: '群众求助',
  police_complaint: '投诉监督',
  tip_off: '举报线索',
  social_linkage: '社会联动',
  non_police: '非警务',
  invalid: '无效',
};

/** Tiered dispatch, plan task 9: 指挥中心 / 业务警种 / 派出所. */
export const DISPATCH_TIERS = ['command_center', 'specialized_police', 'police_station'] as const;
export type DispatchTier = (typeof DISPATCH_TIERS)[number];
export const DISPATCH_TIER_LABELS: Record<DispatchTier, string> = {
  command_center: '指挥中心',
  specialized_police: '业务警种',
  police_station: '派出所',
};

/** Dispositions after NENA's common codes (bridge-protocol.md). */
export const DISPOSITIONS = [
  'report_taken',
  'resolved_on_scene',
  'settled_by_phone',
  'referred_to_partner_agency',
  'mediated',
  'no_action_needed',
  'unable_to_locate',
  'duplicate',
  'cancelled',
  'arrest',
] as const;
export type Disposition = (typeof DISPOSITIONS)[number];
export const DISPOSITION_LABELS: Record<Disposition, string> = {
  report_taken: '已受案登记',
  resolved_on_scene: '现场处置完毕',
  settled_by_phone: '电话处置',
  referred_to_partner_agency: '移交相关部门',
  mediated: '调解处理',
  no_action_needed: '无需处置',
  unable_to_locate: '未找到报警人或现场',
  duplicate: '重复报警',
  cancelled: '报警人撤警',
  arrest: '抓获嫌疑人',
};

/** Non-police matters that 110 diverts (plan task 10). */
export const DIVERSION_TARGETS = [
  'hotline_12345',
  'governance_center',
  'vehicle_moving',
  'utility',
  'fire_119',
  'medical_120',
] as const;
export type DiversionTarget = (typeof DIVERSION_TARGETS)[number];
export const DIVERSION_TARGET_LABELS: Record<DiversionTarget, string> = {
  hotline_12345: '12345热线',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务平台',
  utility: '水电气公共事业热线',
  fire_119: '119消防',
  medical_120: '120急救',
};

export const INVALID_KINDS = ['invalid', 'harassment'] as const;
export type InvalidKind = (typeof INVALID_KINDS)[number];
export const INVALID_KIND_LABELS: Record<InvalidKind, string> = { invalid: '无效报警', harassment: '骚扰报警' };
/** The same marks on a 12345 call (a request with no work order, migration 20261219100000). */
export const INVALID_CALL_LABELS: Record<InvalidKind, string> = { invalid: '无效来电', harassment: '骚扰来电' };
