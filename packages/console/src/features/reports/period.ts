/**
 * The period a user picks, written as the report API takes it (`2026-W48`, `2026-10`, `2026-Q4`, `2026`,
 * `2026-10-01..2026-10-15`); the server parses and checks it (REPORT_PERIOD_INVALID), this only writes it.
 */
import dayjs, { type Dayjs } from 'dayjs';

export const PERIOD_KINDS = ['week', 'month', 'quarter', 'year', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export const PERIOD_KIND_LABELS: Record<PeriodKind, string> = {
  week: '周',
  month: '月',
  quarter: '季度',
  year: '年',
  range: '自定义',
};

const pad = (n: number) => String(n).padStart(2, '0');

/** The ISO week (Monday first; week 1 holds 4 January) of a day: [ISO year, week]. */
export function isoWeek(d: Dayjs): [number, number] {
  const dow = (d.day() + 6) % 7;
  const thursday = d.startOf('day').subtract(dow, 'day').add(3, 'day');
  const year = thursday.year();
  const jan1 = dayjs(new Date(year, 0, 1));
  return [year, Math.floor(thursday.diff(jan1, 'day') / 7) + 1];
}

export function periodKey(kind: PeriodKind, d: Dayjs, end?: Dayjs): string {
  switch (kind) {
    case 'week': {
      const [y, w] = isoWeek(d);
      return `${y}-W${pad(w)}`;
    }
    case 'month':
      return d.format('YYYY-MM');
    case 'quarter':
      return `${d.year()}-Q${Math.floor(d.month() / 3) + 1}`;
    case 'year':
      return String(d.year());
    case 'range':
      return `${d.format('YYYY-MM-DD')}..${(end ?? d).format('YYYY-MM-DD')}`;
  }
}

/** A period's name for the page: 2026年第48周, 2026年10月, 2026年第4季度, 2026年, 10月1日至10月15日. */
export function periodLabel(kind: PeriodKind, d: Dayjs, end?: Dayjs): string {
  switch (kind) {
    case 'week': {
      const [y, w] = isoWeek(d);
      return `${y}年第${w}周`;
    }
    case 'month':
      return d.format('YYYY年M月');
    case 'quarter':
      return `${d.year()}年第${Math.floor(d.month() / 3) + 1}季度`;
    case 'year':
      return `${d.year()}年`;
    case 'range':
      return `${d.format('YYYY年M月D日')}至${(end ?? d).format('YYYY年M月D日')}`;
  }
}
