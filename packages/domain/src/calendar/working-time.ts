/**
 * Working time for work-order deadlines. China has no daylight saving, so local time is UTC+8 all
 * year. Public holidays and make-up workdays (调休) are data, given per deployment; this module only
 * reads them.
 */
import { BEIJING_OFFSET_MS as OFFSET_MS, beijingDate } from '../shared/beijing-time.ts';

const DAY_MS = 24 * 3600_000;

export type CalendarDayKind = 'holiday' | 'workday';
export interface CalendarDay {
  date: string; // YYYY-MM-DD, local (Beijing time)
  kind: CalendarDayKind;
  name: string;
}

/** Local (UTC+8) calendar date of an instant, as YYYY-MM-DD. */
export const localDate = beijingDate;

/** Milliseconds since local midnight. */
function localTimeOfDay(at: Date): number {
  return (at.getTime() + OFFSET_MS) % DAY_MS;
}

/** The instant of local midnight starting `date`. */
export function localMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - OFFSET_MS);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

export class WorkingCalendar {
  private readonly days: Map<string, CalendarDay>;
  /** Start of the working day, local time, for requests that arrive on a rest day. */
  readonly workdayStartMs: number;

  constructor(days: readonly CalendarDay[], options: { workdayStartHour?: number } = {}) {
    this.days = new Map(days.map((d) => [d.date, d]));
    this.workdayStartMs = (options.workdayStartHour ?? 9) * 3600_000;
  }

  isWorkingDay(date: string): boolean {
    const special = this.days.get(date);
    if (special) return special.kind === 'workday';
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    return weekday !== 0 && weekday !== 6;
  }

  dayInfo(date: string): { date: string; working: boolean; name: string | null } {
    const special = this.days.get(date);
    return { date, working: this.isWorkingDay(date), name: special?.name ?? null };
  }

  /**
   * The instant N working days after `from`: the same local clock time on the N-th following
   * working day. A request received on a rest day starts counting at the start of the next
   * working day (its clock time becomes the start of the working day).
   */
  addWorkingDays(from: Date, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError('working days must be a non-negative integer');
    let date = localDate(from);
    let timeOfDay = localTimeOfDay(from);
    if (!this.isWorkingDay(date)) {
      do date = nextDate(date);
      while (!this.isWorkingDay(date));
      timeOfDay = this.workdayStartMs;
    }
    let left = n;
    let guard = 0;
    while (left > 0) {
      date = nextDate(date);
      if (this.isWorkingDay(date)) left -= 1;
      if (++guard > 3660) throw new RangeError('calendar has no working days');
    }
    return new Date(localMidnight(date).getTime() + timeOfDay);
  }

  /** Working days from `from` up to `to`, counted by local dates (0 when `to` is not later). */
  workingDaysBetween(from: Date, to: Date): number {
    let date = localDate(from);
    const end = localDate(to);
    let count = 0;
    while (date < end) {
      date = nextDate(date);
      if (this.isWorkingDay(date)) count += 1;
    }
    return count;
  }
}

/** A time limit: urgent orders count elapsed hours (they do not wait for a workday). */
export interface TimeLimit {
  amount: number;
  unit: 'hours' | 'working_days';
}

export function dueAt(from: Date, limit: TimeLimit, calendar: WorkingCalendar): Date {
  if (limit.unit === 'hours') return new Date(from.getTime() + limit.amount * 3600_000);
  return calendar.addWorkingDays(from, limit.amount);
}
