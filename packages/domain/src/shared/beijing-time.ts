/**
 * Beijing time (UTC+8 all year: China keeps no daylight saving), the time both desks record, show and
 * send on the wire (bridge-protocol.md writes `sentAt` as `…+08:00`). The one place that knows the zone.
 */
export const BEIJING_TZ = 'Asia/Shanghai';
export const BEIJING_OFFSET_MS = 8 * 3600_000;

/** An instant as ISO 8601 in Beijing time, e.g. `2026-11-28T14:03:11.201+08:00`. */
export function beijingIso(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** The Beijing calendar date of an instant, as YYYY-MM-DD. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Beijing calendar year of an instant (a record number's year). */
export function beijingYear(at: Date): number {
  return new Date(at.getTime() + BEIJING_OFFSET_MS).getUTCFullYear();
}
