/** Plan 二(三)6: 话务员业务培训，每月不少于5课时. */
export const MIN_TRAINING_PERIODS_PER_MONTH = 5;
/** One 课时 is 45 minutes (the usual teaching period). */
export const MINUTES_PER_PERIOD = 45;

export const periodsFor = (minutes: number): number => Math.round((minutes / MINUTES_PER_PERIOD) * 10) / 10;

export interface TrainingAttendance {
  userId: string;
  month: string; // YYYY-MM
  periods: number;
}

export interface TrainingCheck {
  userId: string;
  month: string;
  periods: number;
  shortBy: number;
  meets: boolean;
}

/** Every call-taker of the month is checked, including those who attended nothing. */
export function checkTraining(
  month: string,
  callTakers: readonly string[],
  attendance: readonly TrainingAttendance[],
): TrainingCheck[] {
  const sum = new Map<string, number>();
  for (const a of attendance) if (a.month === month) sum.set(a.userId, (sum.get(a.userId) ?? 0) + a.periods);
  return callTakers.map((userId) => {
    const periods = Math.round((sum.get(userId) ?? 0) * 10) / 10;
    return {
      userId,
      month,
      periods,
      shortBy: Math.max(0, Math.round((MIN_TRAINING_PERIODS_PER_MONTH - periods) * 10) / 10),
      meets: periods >= MIN_TRAINING_PERIODS_PER_MONTH,
    };
  });
}
