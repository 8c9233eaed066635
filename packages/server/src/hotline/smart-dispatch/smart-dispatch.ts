/**
 * Smart dispatch on the server: the domain's DispatchModel with the triage segmenter (jieba's dictionary
 * method over the shipped dictionary) and traditional → simplified conversion; the shipped default model,
 * trained on the project's own synthetic history (synthetic-history.ts), used while a city has none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DispatchModel, trainDispatchModel, type DispatchEnv, type SavedDispatchModel } from '@liandong/domain';
import { getSegmenter, toSimplified } from '../../triage/triage-engine.ts';
import { syntheticHistory } from './synthetic-history.ts';

export const DISPATCH_MODEL_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dispatch-model');
export const DEFAULT_DISPATCH_MODEL_PATH = path.join(DISPATCH_MODEL_DIR, 'default.json');
/** How many synthetic orders the shipped default is trained on (and their seed). */
export const DEFAULT_CORPUS_SIZE = 20_000;
export const DEFAULT_CORPUS_SEED = 20261205;

let env: DispatchEnv | null = null;
export function dispatchEnv(): DispatchEnv {
  if (!env) env = { cut: getSegmenter(), toSimplified: toSimplified() };
  return env;
}

export function loadDispatchModel(file: string): DispatchModel {
  return new DispatchModel(JSON.parse(fs.readFileSync(file, 'utf8')) as SavedDispatchModel, dispatchEnv());
}

let shipped: DispatchModel | null = null;
/** The shipped default model (from the project's own corpus). */
export function defaultDispatchModel(): DispatchModel {
  shipped ??= loadDispatchModel(DEFAULT_DISPATCH_MODEL_PATH);
  return shipped;
}

/** The project's own corpus as history records. */
export function projectCorpus(n = DEFAULT_CORPUS_SIZE, seed = DEFAULT_CORPUS_SEED) {
  return syntheticHistory(n, seed).map((r) => ({
    text: r.text,
    title: r.title ?? null,
    label: r.label,
    district: r.district,
  }));
}

/** Retrains the shipped default from the project's corpus. */
export function trainDefaultModel(folds = 5) {
  return trainDispatchModel(projectCorpus(), dispatchEnv(), {
    folds,
    version: `default-${DEFAULT_CORPUS_SIZE}`,
    trainedBy: 'liandong',
    source: `synthetic-history:${DEFAULT_CORPUS_SIZE}:seed=${DEFAULT_CORPUS_SEED}`,
    now: new Date('2026-12-05T00:00:00Z'),
  });
}
