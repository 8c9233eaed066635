/**
 * Training runs in worker threads (train.worker.mjs): a whole run off the server's event loop, and the
 * cross-validation folds of a run spread over the cores while the calling thread makes the final fit.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  trainDispatchModel,
  trainDispatchModelConcurrently,
  trainingFold,
  type DispatchTraining,
  type FoldResult,
  type HistoryRecord,
  type TrainDispatchOptions,
} from '@liandong/domain';
import { dispatchEnv } from './smart-dispatch.ts';

export interface TrainJob {
  records: HistoryRecord[];
  options: Omit<TrainDispatchOptions, 'now'>;
}

/** What a worker is asked: a whole training run, or some folds of one. */
export type WorkerJob =
  | ({ kind: 'train' } & TrainJob)
  | { kind: 'folds'; records: HistoryRecord[]; variant: string; folds: number; only: number[] };

/** The worker's side (train.worker.mjs calls it). */
export async function runWorkerJob(job: WorkerJob): Promise<DispatchTraining | FoldResult[]> {
  if (job.kind === 'folds')
    return job.only.map((f) => trainingFold(job.records, dispatchEnv(), job.variant, job.folds, f));
  return trainConcurrently(job);
}

function inWorker<T>(job: WorkerJob): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./train.worker.mjs', import.meta.url), { workerData: job });
    worker.once('message', (m: T) => resolve(m));
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`dispatch training worker exited with code ${code}`));
    });
  });
}

/** Training in this thread, one fold after another (the reference the concurrent run must equal). */
export function trainJob(job: TrainJob): DispatchTraining {
  return trainDispatchModel(job.records, dispatchEnv(), job.options);
}

/**
 * Training with the cross-validation folds in `threads` worker threads (by default one per core less
 * the one this thread uses for the final fit, at least one): the same model and figures as trainJob.
 */
export function trainConcurrently(job: TrainJob, threads = Math.max(1, os.availableParallelism() - 1)) {
  return trainDispatchModelConcurrently(job.records, dispatchEnv(), job.options, async (variant, folds) => {
    const n = Math.min(threads, folds);
    const shares = Array.from({ length: n }, (_, w) =>
      Array.from({ length: folds }, (_, f) => f).filter((f) => f % n === w),
    );
    const parts = await Promise.all(
      shares.map((only) => inWorker<FoldResult[]>({ kind: 'folds', records: job.records, variant, folds, only })),
    );
    return parts.flat();
  });
}

/** A whole training run in a worker thread, so the server keeps answering while it trains. */
export function trainInWorker(job: TrainJob): Promise<DispatchTraining> {
  return inWorker<DispatchTraining>({ kind: 'train', ...job });
}
