/**
 * The working calendar and time limits, read from the database (editable by administrators) and
 * cached; reloaded on edit in this process and every minute for the others.
 */
import {
  FALLBACK_TIME_LIMIT,
  WorkingCalendar,
  dueAt,
  findTimeLimit,
  type CalendarDay,
  type TimeLimitRule,
  type WorkOrderType,
} from '@liandong/domain';
import type { Db } from '../db/pool.ts';

const RELOAD_MS = 60_000;

export class DeadlinePolicy {
  private calendar: WorkingCalendar | null = null;
  private limits: TimeLimitRule[] = [];
  private loadedAt = 0;
  constructor(private readonly db: Db) {}

  async reload(): Promise<void> {
    const days = await this.db.query<{ day: string; kind: 'holiday' | 'workday'; name: string }>(
      'SELECT day, kind, name FROM calendar_days',
    );
    const limits = await this.db.query<{
      order_type: WorkOrderType | '*';
      urgent: boolean;
      amount: number;
      unit: 'hours' | 'working_days';
    }>('SELECT * FROM time_limits');
    this.calendar = new WorkingCalendar(
      days.rows.map((d): CalendarDay => ({ date: d.day, kind: d.kind, name: d.name })),
    );
    this.limits = limits.rows.map((l) => ({
      orderType: l.order_type,
      urgent: l.urgent,
      amount: l.amount,
      unit: l.unit,
    }));
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (!this.calendar || Date.now() - this.loadedAt > RELOAD_MS) await this.reload();
  }

  async getCalendar(): Promise<WorkingCalendar> {
    await this.fresh();
    return this.calendar!;
  }

  async dueAt(orderType: WorkOrderType, urgent: boolean, from: Date): Promise<Date> {
    await this.fresh();
    const limit = findTimeLimit(this.limits, orderType, urgent);
    return dueAt(from, limit ?? FALLBACK_TIME_LIMIT, this.calendar!);
  }
}
