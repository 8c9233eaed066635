/** Plan 二(四)9: 110 按照不低于日均呼入总量1.5%的标准配备专职接警人员. */
export const MIN_110_STAFF_SHARE_OF_DAILY_INBOUND = 0.015;

export const required110CallTakers = (averageDailyInbound: number): number =>
  Math.ceil(averageDailyInbound * MIN_110_STAFF_SHARE_OF_DAILY_INBOUND);
