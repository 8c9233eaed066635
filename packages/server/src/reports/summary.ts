/**
 * The report summaries (migration 20261214130000, docs/reports.md "Scale"): per Beijing day, counts and
 * sums of both desks' records (`report_day_records`) and of the linkage items (`report_day_linkage`),
 * with fixed histograms of acceptance and feedback seconds (`report_day_linkage_times`). The writes'
 * triggers append deltas, which a worker folds into them every few seconds; the readers read the `_live`
 * views (summaries plus the deltas not yet folded), exact at every commit. This module holds what the
 * readers share: a period as days, and the percentiles read from a histogram with the precision the
 * reports state.
 */
import { beijingDate } from '@liandong/domain';

const BEIJING_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 86_400_000;

/** Whole seconds are their own bin below this; above it, BINS_PER_OCTAVE bins an octave. */
export const EXACT_BELOW_S = 128;
export const BINS_PER_OCTAVE = 128;
/** The widest bin, relative to its lower edge: 2^(1/128) − 1 ≈ 0.54 %. */
export const RELATIVE_BIN_WIDTH = 2 ** (1 / BINS_PER_OCTAVE) - 1;

/** What the reports say about their P50 and P90 times (and the equality test allows). */
export const TIME_PRECISION_NOTE =
  '签收、反馈用时的中位数与P90由按日汇总的固定分桶直方图计算：128秒以下误差不超过1秒，128秒以上不超过0.6%。';

/**
 * How far a time a report gives may be from the one the raw rows give: one bin (the estimate and the
 * exact percentile share a bin, or the interpolation between two neighbouring ones), plus a second for
 * both being rounded to whole seconds.
 */
export function timeTolerance(exactSeconds: number): number {
  return Math.max(1, Math.abs(exactSeconds) * RELATIVE_BIN_WIDTH) + 1;
}

/** The SQL function report_time_bin, in TypeScript (tests and readers). */
export function timeBin(seconds: number): number {
  return seconds < EXACT_BELOW_S
    ? Math.floor(Math.max(seconds, 0))
    : EXACT_BELOW_S + Math.floor((BINS_PER_OCTAVE * Math.log(seconds / EXACT_BELOW_S)) / Math.log(2));
}

export function binLower(bin: number): number {
  return bin < EXACT_BELOW_S ? bin : EXACT_BELOW_S * 2 ** ((bin - EXACT_BELOW_S) / BINS_PER_OCTAVE);
}

export function binUpper(bin: number): number {
  return binLower(bin + 1);
}

/**
 * percentile_cont(p) over the values a histogram holds (bins ascending, counts > 0, each with the sum of
 * its seconds): the rank p × (N − 1) between two order statistics. A bin's values are placed evenly
 * across it, shifted so that their mean is the bin's mean and kept inside the bin: a value alone in its
 * bin is exact, any other within the bin's width.
 */
export function histogramPercentile(
  bins: readonly { bin: number; n: number; seconds: number }[],
  p: number,
): number | null {
  const total = bins.reduce((a, b) => a + b.n, 0);
  if (total <= 0) return null;
  const at = (k: number) => {
    let seen = 0;
    for (const b of bins) {
      if (b.n <= 0) continue;
      if (k < seen + b.n) {
        const lo = binLower(b.bin),
          hi = binUpper(b.bin),
          mean = b.seconds / b.n;
        if (b.n === 1) return mean;
        const even = lo + ((k - seen + 0.5) / b.n) * (hi - lo);
        return Math.min(hi, Math.max(lo, even + mean - (lo + hi) / 2));
      }
      seen += b.n;
    }
    return binUpper(bins[bins.length - 1]!.bin);
  };
  const rank = p * (total - 1);
  const lo = Math.floor(rank),
    hi = Math.ceil(rank);
  const a = at(lo);
  return lo === hi ? a : a + (rank - lo) * (at(hi) - a);
}

/**
 * A period [from, to) as Beijing days [fromDay, toDay): every period a report takes starts and ends at a
 * Beijing midnight (domain parsePeriod), which is what lets a day table answer it exactly.
 */
export function dayRange(p: { from: Date; to: Date }): { fromDay: string; toDay: string; days: number } {
  for (const t of [p.from, p.to])
    if ((t.getTime() + BEIJING_OFFSET_MS) % DAY_MS !== 0)
      throw new Error(`report period bound ${t.toISOString()} is not a Beijing midnight`);
  return {
    fromDay: beijingDate(p.from),
    toDay: beijingDate(p.to),
    days: Math.round((p.to.getTime() - p.from.getTime()) / DAY_MS),
  };
}

/** The day-table rows of a desk's view: its own kinds from its own tables, the other kinds from the feed. $3: own kinds. */
export const OWN_VIEW = `((source = 'own' AND kind = ANY($3::text[])) OR (source = 'shared' AND NOT (kind = ANY($3::text[]))))`;
