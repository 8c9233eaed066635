/**
 * Folds the report deltas into the day summaries every few seconds (REPORT_FOLD_SECONDS; docs/reports.md
 * "Scale"). The writes' triggers only append deltas; each fold is one call of report_fold_deltas()
 * (migration 20261214130000): one transaction that deletes the deltas it takes and upserts their sums, so a
 * crash part-way leaves everything as it was. Several processes may run the worker at once: the function
 * holds an advisory lock for its transaction, and a process that finds it taken leaves the fold to the
 * other. The reports read summaries and unfolded deltas together, so they are exact whether it has run or not.
 */
import type { Db } from '../db/pool.ts';
import { startPeriodic } from './periodic.ts';

/** Deltas folded per transaction, of each delta table. */
export const FOLD_BATCH = 50_000;

/**
 * Folds every delta committed so far, a batch per transaction. The number folded, or null when another
 * process was folding (it folds the rest).
 */
export async function foldReportDeltas(db: Db, batch = FOLD_BATCH): Promise<number | null> {
  let total = 0;
  for (;;) {
    const r = await db.query<{ n: number | null }>('SELECT report_fold_deltas($1) AS n', [batch]);
    const n = r.rows[0]!.n;
    if (n === null) return total === 0 ? null : total;
    total += n;
    // both tables gave fewer than a batch: nothing was left behind
    if (n < batch) return total;
  }
}

export function startReportFoldWorker(
  db: Db,
  everyMs: number,
  log: { error(o: object, m: string): void },
): () => Promise<void> {
  return startPeriodic(() => foldReportDeltas(db), everyMs, log, 'folding the report deltas failed');
}
