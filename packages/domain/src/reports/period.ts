/**
 * Report periods (统计周期), in Beijing time: a month `2026-10`, a quarter `2026-Q4`, a year `2026`, an
 * ISO week `2026-W48`, or a range of days `2026-10-01..2026-10-15` (both days included). Each has the
 * period before it (of the same length) and the same period a year earlier, for the changes a 通报 reports.
 */
import { fail, ok, type Result } from '../shared/result.ts';

export const PERIOD_KINDS = ['month', 'quarter', 'year', 'week', 'range'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

export interface Period {
  kind: PeriodKind;
  /** as written: `2026-10`, `2026-Q4`, `2026`, `2026-W48`, `2026-10-01..2026-10-15` */
  key: string;
  /** Chinese name for titles: 2026年10月, 2026年第四季度, 2026年, 2026年第48周, 2026年10月1日至10月15日 */
  label: string;
  /** first instant, inclusive */
  from: Date;
  /** first instant after the period */
  to: Date;
}

const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
/** midnight Beijing time of a calendar day */
const bj = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - OFFSET_MS);
const pad = (n: number) => String(n).padStart(2, '0');
const QUARTER_NAMES = ['一', '二', '三', '四'];

/** Monday of ISO week 1: the week holding 4 January. */
function isoWeekOne(year: number): Date {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const dow = (jan4.getUTCDay() + 6) % 7; // Monday 0
  return new Date(jan4.getTime() - dow * DAY_MS - OFFSET_MS);
}
const isoWeeksIn = (year: number) =>
  Math.round((isoWeekOne(year + 1).getTime() - isoWeekOne(year).getTime()) / (7 * DAY_MS));

/** The calendar date (Beijing) of an instant. */
function ymd(at: Date): { y: number; m: number; d: number } {
  const t = new Date(at.getTime() + OFFSET_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}
const dayKey = (at: Date) => {
  const { y, m, d } = ymd(at);
  return `${y}-${pad(m)}-${pad(d)}`;
};

function validDay(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

const MIN_YEAR = 2000,
  MAX_YEAR = 2100;
const BAD = (message: string) => fail('REPORT_PERIOD_INVALID', message, { field: 'period' });

export function month(y: number, m: number): Period {
  return {
    kind: 'month',
    key: `${y}-${pad(m)}`,
    label: `${y}年${m}月`,
    from: bj(y, m, 1),
    to: bj(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1),
  };
}

export function parsePeriod(s: string): Result<Period> {
  const t = s.trim();
  let m: RegExpExecArray | null;
  const yearOk = (y: number) => y >= MIN_YEAR && y <= MAX_YEAR;
  if ((m = /^(\d{4})-(\d{2})$/.exec(t))) {
    const y = Number(m[1]),
      mo = Number(m[2]);
    if (!yearOk(y) || mo < 1 || mo > 12) return BAD(`统计周期不合法：${s}`);
    return ok(month(y, mo));
  }
  if ((m = /^(\d{4})-Q([1-4])$/.exec(t))) {
    const y = Number(m[1]),
      q = Number(m[2]);
    if (!yearOk(y)) return BAD(`统计周期不合法：${s}`);
    return ok({
      kind: 'quarter',
      key: t,
      label: `${y}年第${QUARTER_NAMES[q - 1]}季度`,
      from: bj(y, (q - 1) * 3 + 1, 1),
      to: q === 4 ? bj(y + 1, 1, 1) : bj(y, q * 3 + 1, 1),
    });
  }
  if ((m = /^(\d{4})$/.exec(t))) {
    const y = Number(m[1]);
    if (!yearOk(y)) return BAD(`统计周期不合法：${s}`);
    return ok({ kind: 'year', key: t, label: `${y}年`, from: bj(y, 1, 1), to: bj(y + 1, 1, 1) });
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(t))) {
    const y = Number(m[1]),
      w = Number(m[2]);
    if (!yearOk(y) || w < 1 || w > isoWeeksIn(y)) return BAD(`统计周期不合法：${s}（${y}年共${isoWeeksIn(y)}周）`);
    const from = new Date(isoWeekOne(y).getTime() + (w - 1) * 7 * DAY_MS);
    return ok({ kind: 'week', key: t, label: `${y}年第${w}周`, from, to: new Date(from.getTime() + 7 * DAY_MS) });
  }
  if ((m = /^(\d{4})-(\d{2})-(\d{2})\.\.(\d{4})-(\d{2})-(\d{2})$/.exec(t))) {
    const [y1, m1, d1, y2, m2, d2] = m.slice(1).map(Number) as [number, number, number, number, number, number];
    if (!yearOk(y1) || !yearOk(y2) || !validDay(y1, m1, d1) || !validDay(y2, m2, d2))
      return BAD(`统计周期不合法：${s}`);
    const from = bj(y1, m1, d1),
      to = new Date(bj(y2, m2, d2).getTime() + DAY_MS);
    if (to <= from) return BAD(`统计周期的结束日期早于开始日期：${s}`);
    if (to.getTime() - from.getTime() > 366 * DAY_MS) return BAD(`自定义统计周期最长一年：${s}`);
    return ok(range(from, to));
  }
  return BAD(`统计周期的写法为 2026-10、2026-Q4、2026、2026-W48 或 2026-10-01..2026-10-15：${s}`);
}

function range(from: Date, to: Date): Period {
  const a = ymd(from),
    b = ymd(new Date(to.getTime() - DAY_MS));
  const label =
    a.y === b.y ? `${a.y}年${a.m}月${a.d}日至${b.m}月${b.d}日` : `${a.y}年${a.m}月${a.d}日至${b.y}年${b.m}月${b.d}日`;
  return { kind: 'range', key: `${dayKey(from)}..${dayKey(new Date(to.getTime() - DAY_MS))}`, label, from, to };
}

const must = (r: Result<Period>): Period => {
  if (!r.ok) throw new Error(r.message);
  return r.value;
};

/** The period just before (环比): the previous month, quarter, year, ISO week, or range of the same length. */
export function previousPeriod(p: Period): Period {
  const { y, m } = ymd(p.from);
  switch (p.kind) {
    case 'month':
      return m === 1 ? month(y - 1, 12) : month(y, m - 1);
    case 'quarter': {
      const q = Math.floor((m - 1) / 3) + 1;
      return must(parsePeriod(q === 1 ? `${y - 1}-Q4` : `${y}-Q${q - 1}`));
    }
    case 'year':
      return must(parsePeriod(String(y - 1)));
    case 'week': {
      const from = new Date(p.from.getTime() - 7 * DAY_MS);
      return { ...weekOf(from) };
    }
    case 'range':
      return range(new Date(p.from.getTime() - (p.to.getTime() - p.from.getTime())), p.from);
  }
}

function weekOf(monday: Date): Period {
  const { y } = ymd(new Date(monday.getTime() + 3 * DAY_MS)); // the ISO year is the Thursday's
  const w = Math.round((monday.getTime() - isoWeekOne(y).getTime()) / (7 * DAY_MS)) + 1;
  return must(parsePeriod(`${y}-W${pad(w)}`));
}

/** The same period a year earlier (同比); for a week, the same ISO week number (or the last week when it has none). */
export function sameLastYear(p: Period): Period {
  const [first] = p.key.split(/-|\.\./);
  const y = Number(first) - 1;
  switch (p.kind) {
    case 'month':
      return month(y, ymd(p.from).m);
    case 'quarter':
      return must(parsePeriod(`${y}${p.key.slice(4)}`));
    case 'year':
      return must(parsePeriod(String(y)));
    case 'week': {
      const w = Math.min(Number(p.key.slice(6)), isoWeeksIn(y));
      return must(parsePeriod(`${y}-W${pad(w)}`));
    }
    case 'range': {
      const a = ymd(p.from),
        b = ymd(new Date(p.to.getTime() - DAY_MS));
      // 29 February a year earlier is the 28th
      const d1 = validDay(a.y - 1, a.m, a.d) ? a.d : a.d - 1,
        d2 = validDay(b.y - 1, b.m, b.d) ? b.d : b.d - 1;
      return range(bj(a.y - 1, a.m, d1), new Date(bj(b.y - 1, b.m, d2).getTime() + DAY_MS));
    }
  }
}

/** The ISO week (in Beijing time) an instant falls in. */
export function weekContaining(at: Date): Period {
  const { y, m, d } = ymd(at);
  const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7; // Monday 0
  return weekOf(new Date(bj(y, m, d).getTime() - weekday * DAY_MS));
}
