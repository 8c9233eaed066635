/** Incident lifecycle: 接警 → 派警 → 到场 → 处置 → 反馈 → 结警. */
export const INCIDENT_STATUSES = [
  'received',
  'dispatched',
  'on_scene',
  'handling',
  'feedback_given',
  'closed',
] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  received: '已接警',
  dispatched: '已派警',
  on_scene: '已到场',
  handling: '处置中',
  feedback_given: '已反馈',
  closed: '已结警',
};
export const CLOSE_KINDS = ['handled', 'invalid', 'harassment', 'diverted'] as const;
export type CloseKind = (typeof CLOSE_KINDS)[number];
