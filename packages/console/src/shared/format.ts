import dayjs from 'dayjs';

export const fmtTime = (iso: string | null | undefined) => (iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '—');
export const fmtShort = (iso: string | null | undefined) => (iso ? dayjs(iso).format('MM-DD HH:mm') : '—');

/** "2小时5分" from seconds; negative means overdue. */
export function fmtDuration(seconds: number): string {
  const s = Math.abs(Math.round(seconds));
  const d = Math.floor(s / 86400),
    h = Math.floor((s % 86400) / 3600),
    m = Math.floor((s % 3600) / 60),
    sec = s % 60;
  if (d) return `${d}天${h}小时`;
  if (h) return `${h}小时${m}分`;
  if (m >= 10) return `${m}分`;
  if (m) return `${m}分${String(sec).padStart(2, '0')}秒`;
  return `${sec}秒`;
}

export const fmtSize = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`;

/**
 * A triage reason as a person reads it: the rules cite each catalogue entry by name, code and version
 * (无照经营〔H-GOVSERVICE·清单第3版〕：“…”); the code is for the audit trail, not for the screen, so it is dropped
 * (无照经营〔清单第3版〕：“…”). A bracket holding only a code goes altogether.
 */
export const readableReason = (reason: string) =>
  reason.replace(/〔[A-Z][A-Z0-9_-]*〕/g, '').replace(/〔[A-Z][A-Z0-9_-]*·/g, '〔');

/** A mainland mobile number as the desk texts it (+86 or 0086 before it allowed), as the server reads it. */
export const isMobileNumber = (phone: string | null | undefined) =>
  Boolean(phone) && /^1[3-9]\d{9}$/.test(phone!.replace(/[\s()-]/g, '').replace(/^(\+86|0086)/, ''));
