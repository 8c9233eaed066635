/** What every report has: its period in JSON, the issuing lines, and the note that drills were left out. */
import { beijingDate, type Period } from '@liandong/domain';
import type { Db } from '../db/pool.ts';
import { SUMMARIES, type DrillCounts, type FigureSource } from './monthly.repo.ts';
import { ownKinds, type ReportDesk } from './monthly.service.ts';

export const ISSUER = '12345政务服务便民热线与110报警服务台对接联动工作专班';

export const periodJson = (p: Period) => ({
  kind: p.kind,
  key: p.key,
  label: p.label,
  from: p.from.toISOString(),
  to: p.to.toISOString(),
});
export type PeriodJson = ReturnType<typeof periodJson>;

/** 2026年12月6日, the date under a document (Beijing). */
export const chineseDate = (iso: string) =>
  beijingDate(new Date(iso)).replace(
    /^(\d{4})-(\d{2})-(\d{2})$/,
    (_m, y: string, mo: string, d: string) => `${y}年${Number(mo)}月${Number(d)}日`,
  );

/** Drill traffic (应急演练) of the period: never counted; every report says how much it left out. */
export interface ExerciseNote {
  excluded: true;
  drills: DrillCounts;
  note: string;
}

export async function exerciseNote(
  db: Db,
  desk: ReportDesk,
  p: { from: Date; to: Date },
  source: Pick<FigureSource, 'drillCounts'> = SUMMARIES,
): Promise<ExerciseNote> {
  const drills = await source.drillCounts(db, p, ownKinds(desk.desk));
  return {
    excluded: true,
    drills,
    note: `本报表不含应急演练数据（本期已剔除演练工单${drills.workOrders}件、演练警情${drills.incidents}起、演练对接事项${drills.linkageItems}件）。`,
  };
}

/** 文号: 联动<kind>〔year〕N号, N the month, week or quarter number (1 for a year or a range of days). */
export function docNumber(prefix: string, period: PeriodJson): string {
  const year = period.key.slice(0, 4);
  const n =
    period.kind === 'month'
      ? Number(period.key.slice(5))
      : period.kind === 'quarter' || period.kind === 'week'
        ? Number(period.key.slice(6))
        : 1;
  return `${prefix}〔${year}〕${n}号`;
}
