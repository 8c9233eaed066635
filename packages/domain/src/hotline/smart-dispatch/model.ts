/**
 * Smart dispatch (智能派单): which unit handles an order, learned from a city's history. One head of the
 * calibrated linear learner (learn/linear.ts) over hashed features (features.ts); the softmax
 * temperature is fitted on the cross-validation folds, so a score of 0.8 is right about 80 % of the time.
 */
import { FeatureBag } from '../../learn/hashing.ts';
import {
  FeatureVocabulary,
  LinearHead,
  calibration,
  fitTemperature,
  loadVocabulary,
  rng,
  saveVocabulary,
  trainHead,
  type LabelledDoc,
  type SavedHead,
} from '../../learn/linear.ts';
import { FEATURE_VARIANTS, normaliseOrderText, orderFeatures, type FeatureSet, type WordCutter } from './features.ts';
import type { HistoryRecord } from './history.ts';

export const DISPATCH_MODEL_FORMAT = 'liandong-dispatch-linear/1';

/** The figures `dispatch train` prints (the contract: exactly these keys). */
export interface DispatchScores {
  samples: number;
  labels: number;
  folds: number;
  top1: number;
  top3: number;
  macroF1: number;
  seconds: number;
}

export interface SavedDispatchModel {
  format: typeof DISPATCH_MODEL_FORMAT;
  version: string;
  trainedAt: string;
  /** Who trained it (a user's name or id, or "cli"). */
  trainedBy: string;
  /** What it was trained on: a file, or the platform's archived orders. */
  source: string;
  variant: string;
  features: FeatureSet;
  vocabulary: string;
  head: SavedHead;
  /** Cross-validated figures and the expected calibration error of the scores. */
  scores: DispatchScores & { ece: number };
}

export interface Suggestion {
  label: string;
  score: number;
}

export interface DispatchOrder {
  text: string;
  title?: string | null;
  district?: string | null;
}

export interface DispatchEnv {
  cut: WordCutter;
  toSimplified?: (s: string) => string;
}

export class DispatchModel {
  private readonly head: LinearHead;
  private readonly bag = new FeatureBag(1024);
  private rows = new Int32Array(1024);
  private readonly z: Float64Array;
  constructor(
    readonly saved: SavedDispatchModel,
    private readonly env: DispatchEnv,
  ) {
    if (saved.format !== DISPATCH_MODEL_FORMAT) throw new Error(`unknown model format ${String(saved.format)}`);
    this.head = LinearHead.load(loadVocabulary(saved.vocabulary), saved.head);
    this.z = new Float64Array(this.head.classes.length);
  }
  get version(): string {
    return this.saved.version;
  }
  get labels(): string[] {
    return this.head.classes;
  }
  /** The `k` most probable units, best first, with calibrated probabilities. */
  suggest(o: DispatchOrder, k = 3): Suggestion[] {
    const bag = orderFeatures(
      normaliseOrderText(o.text, this.env.toSimplified),
      o.title ? normaliseOrderText(o.title, this.env.toSimplified) : null,
      o.district ?? null,
      this.saved.features,
      this.env.cut,
      this.bag,
    );
    if (this.rows.length < bag.length) this.rows = new Int32Array(bag.ids.length);
    const coverage = this.head.scoreRows(this.head.rowsOf(bag, this.rows), bag.values, bag.length, this.z);
    const probs = this.head.fromScores(this.z, coverage).probs;
    return topK(probs, k).map((c) => ({ label: this.head.classes[c]!, score: Math.round(probs[c]! * 10000) / 10000 }));
  }
}

function topK(p: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: p.length }, (_, i) => i);
  idx.sort((a, b) => p[b]! - p[a]! || a - b);
  return idx.slice(0, k);
}

/** Top-1, top-3 accuracy and macro-F1 (over the labels in the truth) of ranked answers. */
export function rankScores(
  truth: number[],
  ranked: number[][],
  classes: number,
): Omit<DispatchScores, 'samples' | 'labels' | 'folds' | 'seconds'> {
  let t1 = 0,
    t3 = 0;
  const tp = new Float64Array(classes),
    fp = new Float64Array(classes),
    fn = new Float64Array(classes);
  for (let i = 0; i < truth.length; i++) {
    const y = truth[i]!;
    const r = ranked[i]!;
    if (r[0] === y) {
      t1++;
      tp[y]!++;
    } else {
      fn[y]!++;
      if (r[0] !== undefined && r[0] >= 0) fp[r[0]]!++;
    }
    if (r.slice(0, 3).includes(y)) t3++;
  }
  let f1 = 0,
    present = 0;
  for (let c = 0; c < classes; c++) {
    if (tp[c]! + fn[c]! === 0) continue;
    present++;
    const denom = 2 * tp[c]! + fp[c]! + fn[c]!;
    f1 += denom ? (2 * tp[c]!) / denom : 0;
  }
  const n = truth.length || 1;
  return { top1: round4(t1 / n), top3: round4(t3 / n), macroF1: round4(present ? f1 / present : 0) };
}
const round4 = (x: number) => Math.round(x * 10000) / 10000;

/** Fold of each sample: shuffled within each label, then dealt round-robin (stratified k-fold). */
export function stratifiedFolds(labels: number[], folds: number, seed = 7): Int32Array {
  const random = rng(seed);
  const byLabel = new Map<number, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  const out = new Int32Array(labels.length);
  let next = 0;
  for (const [, list] of [...byLabel].sort((a, b) => a[0] - b[0])) {
    for (let i = list.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [list[i], list[j]] = [list[j]!, list[i]!];
    }
    for (const i of list) out[i] = next++ % folds;
  }
  return out;
}

export interface Encoded {
  classes: string[];
  /** Label index of each record. */
  y: number[];
}
export function encodeLabels(records: HistoryRecord[]): Encoded {
  const counts = new Map<string, number>();
  for (const r of records) counts.set(r.label, (counts.get(r.label) ?? 0) + 1);
  const classes = [...counts.keys()].sort();
  const index = new Map(classes.map((c, i) => [c, i]));
  return { classes, y: records.map((r) => index.get(r.label)!) };
}

/** One way of learning: fit on some documents, rank the classes of others. */
export interface Learner {
  fit(train: number[]): {
    rank(i: number): number[];
    temperature?: (test: number[]) => number;
    ece?: (test: number[]) => number;
  };
}

/** Every k-th item, so that at most `max` are kept (the temperature needs no more). */
function thin<T>(list: T[], max: number): T[] {
  if (list.length <= max) return list;
  const step = list.length / max;
  return Array.from({ length: max }, (_, i) => list[Math.floor(i * step)]!);
}

const MIN_DF = 2;
const MAX_FEATURES = 400_000;

/** The dispatch model's learner over featurised records. */
export function linearLearner(
  docs: { ids: Uint32Array; values: Float32Array }[],
  y: number[],
  classes: string[],
  epochs = 3,
): Learner & { head(train: number[]): LinearHead } {
  const labelled = (i: number): LabelledDoc => ({ ...docs[i]!, labels: [y[i]!] });
  const head = (train: number[]) => {
    const part = train.map(labelled);
    const vocab = FeatureVocabulary.fromDocs(part, MIN_DF, MAX_FEATURES);
    return trainHead(vocab, classes, part, { epochs, learningRate: 0.5, l2: 1e-6, skipBelow: 1e-3 });
  };
  return {
    head,
    fit(train) {
      const h = head(train);
      const z = new Float64Array(classes.length);
      return {
        rank: (i) => {
          h.scores(docs[i]!, z);
          return topK(z, 3);
        },
        temperature: (test) => {
          const t = fitTemperature(h, thin(test, 5000).map(labelled));
          h.temperature = t;
          return t;
        },
        ece: (test) => calibration(h, thin(test, 5000).map(labelled)).ece,
      };
    },
  };
}

export interface CrossValidation extends Omit<DispatchScores, 'seconds'> {
  /** Mean fitted temperature and ECE over the folds (when the learner gives them). */
  temperature: number;
  ece: number;
}

/** What one cross-validation fold gives: the ranked classes of its held-out part, its temperature and ECE. */
export interface FoldResult {
  fold: number;
  test: number[];
  ranked: number[][];
  temperature: number;
  ece: number;
}

/** Runs fold `f` of `folds` (the stratified assignment of `y`): fits on the rest, ranks its own part. */
export function runFold(learner: Learner, y: number[], folds: number, f: number): FoldResult {
  const fold = stratifiedFolds(y, folds);
  const train: number[] = [],
    test: number[] = [];
  for (let i = 0; i < y.length; i++) (fold[i] === f ? test : train).push(i);
  if (!test.length) return { fold: f, test, ranked: [], temperature: 0, ece: 0 };
  const m = learner.fit(train);
  const ranked = test.map((i) => m.rank(i));
  const temperature = m.temperature?.(test) ?? 1;
  const ece = m.ece?.(test) ?? 0;
  return { fold: f, test, ranked, temperature, ece };
}

/** The folds' results as one cross-validation (the same figures whichever order or thread ran them). */
export function combineFolds(results: FoldResult[], y: number[], classes: number, folds: number): CrossValidation {
  const ranked: number[][] = new Array<number[]>(y.length);
  let temperature = 0,
    ece = 0;
  for (const r of [...results].sort((a, b) => a.fold - b.fold)) {
    r.test.forEach((i, k) => (ranked[i] = r.ranked[k]!));
    temperature += r.temperature;
    ece += r.ece;
  }
  return {
    samples: y.length,
    labels: classes,
    folds,
    ...rankScores(y, ranked, classes),
    temperature: +(temperature / folds).toFixed(2),
    ece: round4(ece / folds),
  };
}

/** k-fold cross-validated top-1 / top-3 / macro-F1 of a learner. */
export function crossValidate(learner: Learner, y: number[], classes: number, folds: number): CrossValidation {
  const results: FoldResult[] = [];
  for (let f = 0; f < folds; f++) results.push(runFold(learner, y, folds, f));
  return combineFolds(results, y, classes, folds);
}

export function featurise(records: HistoryRecord[], set: FeatureSet, env: DispatchEnv) {
  const bag = new FeatureBag(1024);
  return records.map((r) =>
    orderFeatures(
      normaliseOrderText(r.text, env.toSimplified),
      r.title ? normaliseOrderText(r.title, env.toSimplified) : null,
      r.district,
      set,
      env.cut,
      bag,
    ).snapshot(),
  );
}

export interface VariantTrial {
  variant: string;
  top1: number;
  top3: number;
  features: number;
}

/**
 * Measures each feature variant on one held-out fifth (of at most `maxSamples` records) and returns
 * them best first: top-1, then top-3, then the smaller vocabulary.
 */
export function compareVariants(
  records: HistoryRecord[],
  env: DispatchEnv,
  variants = Object.keys(FEATURE_VARIANTS),
  maxSamples = 10_000,
): VariantTrial[] {
  const pick = records.length > maxSamples ? sampleOf(records.length, maxSamples) : records.map((_, i) => i);
  const sub = pick.map((i) => records[i]!);
  const { classes, y } = encodeLabels(sub);
  const fold = stratifiedFolds(y, 5, 11);
  const train: number[] = [],
    test: number[] = [];
  for (let i = 0; i < y.length; i++) (fold[i] === 0 ? test : train).push(i);
  const trials: VariantTrial[] = [];
  for (const variant of variants) {
    const docs = featurise(sub, FEATURE_VARIANTS[variant]!, env);
    const learner = linearLearner(docs, y, classes);
    const h = learner.head(train);
    const z = new Float64Array(classes.length);
    const s = rankScores(
      test.map((i) => y[i]!),
      test.map((i) => {
        h.scores(docs[i]!, z);
        return topK(z, 3);
      }),
      classes.length,
    );
    trials.push({ variant, top1: s.top1, top3: s.top3, features: h.vocab.size });
  }
  return trials.sort((a, b) => b.top1 - a.top1 || b.top3 - a.top3 || a.features - b.features);
}

function sampleOf(n: number, k: number): number[] {
  const random = rng(3);
  const idx = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  return idx.slice(0, k).sort((a, b) => a - b);
}

export interface TrainDispatchOptions {
  folds?: number;
  /** A variant's name, or 'auto' (default): measure them and keep the best. */
  variant?: string;
  version: string;
  trainedBy: string;
  source: string;
  now?: Date;
}

export interface DispatchTraining {
  model: SavedDispatchModel;
  scores: DispatchScores;
  variants: VariantTrial[];
}

/** Trains the dispatch model: chooses the features, cross-validates, fits the temperature, trains on all. */
export function trainDispatchModel(
  records: HistoryRecord[],
  env: DispatchEnv,
  opts: TrainDispatchOptions,
): DispatchTraining {
  const started = performance.now();
  const { variants, set, folds, classes, y, learner } = prepareTraining(records, env, opts);
  const cv =
    folds >= 2 ? crossValidate(learner, y, classes.length, folds) : noCrossValidation(y.length, classes.length, folds);
  const head = learner.head(y.map((_, i) => i));
  return finishTraining(head, cv, variants, set, opts, started);
}

/**
 * The same training with the cross-validation folds run elsewhere (`runFolds`: other threads, each fold
 * from the records, the variant and its index) while this thread makes the final fit: the same figures
 * and the same model as trainDispatchModel, in less wall-clock time on more than one core.
 */
export async function trainDispatchModelConcurrently(
  records: HistoryRecord[],
  env: DispatchEnv,
  opts: TrainDispatchOptions,
  runFolds: (variant: string, folds: number) => Promise<FoldResult[]>,
): Promise<DispatchTraining> {
  const started = performance.now();
  const { variants, set, folds, classes, y, learner } = prepareTraining(records, env, opts);
  const pending = folds >= 2 ? runFolds(variants[0]!.variant, folds) : null;
  const head = learner.head(y.map((_, i) => i));
  const cv = pending
    ? combineFolds(await pending, y, classes.length, folds)
    : noCrossValidation(y.length, classes.length, folds);
  return finishTraining(head, cv, variants, set, opts, started);
}

/** Fold `f` of a training run, from the records (what a thread that runs folds does). */
export function trainingFold(records: HistoryRecord[], env: DispatchEnv, variant: string, folds: number, f: number) {
  const set = FEATURE_VARIANTS[variant];
  if (!set) throw new Error(`unknown feature variant ${variant}`);
  const { classes, y } = encodeLabels(records);
  return runFold(linearLearner(featurise(records, set, env), y, classes), y, folds, f);
}

function prepareTraining(records: HistoryRecord[], env: DispatchEnv, opts: TrainDispatchOptions) {
  const folds = opts.folds ?? 5;
  const variants =
    !opts.variant || opts.variant === 'auto'
      ? compareVariants(records, env)
      : [{ variant: opts.variant, top1: 0, top3: 0, features: 0 }];
  const set = FEATURE_VARIANTS[variants[0]!.variant];
  if (!set) throw new Error(`unknown feature variant ${variants[0]!.variant}`);
  const { classes, y } = encodeLabels(records);
  const learner = linearLearner(featurise(records, set, env), y, classes);
  return { variants, set, folds, classes, y, learner };
}

function noCrossValidation(samples: number, labels: number, folds: number): CrossValidation {
  return { samples, labels, folds, top1: NaN, top3: NaN, macroF1: NaN, temperature: 1, ece: NaN };
}

function finishTraining(
  head: LinearHead,
  cv: CrossValidation,
  variants: VariantTrial[],
  set: FeatureSet,
  opts: TrainDispatchOptions,
  started: number,
): DispatchTraining {
  head.temperature = cv.temperature;
  const seconds = Math.round((performance.now() - started) / 10) / 100;
  const scores: DispatchScores = {
    samples: cv.samples,
    labels: cv.labels,
    folds: cv.folds,
    top1: cv.top1,
    top3: cv.top3,
    macroF1: cv.macroF1,
    seconds,
  };
  const model: SavedDispatchModel = {
    format: DISPATCH_MODEL_FORMAT,
    version: opts.version,
    trainedAt: (opts.now ?? new Date()).toISOString(),
    trainedBy: opts.trainedBy,
    source: opts.source,
    variant: variants[0]!.variant,
    features: set,
    vocabulary: saveVocabulary(head.vocab),
    head: head.save(),
    scores: { ...scores, ece: cv.ece },
  };
  return { model, scores, variants };
}

/** How a trained model scores on labelled records it was not trained on (labels it does not know count as misses). */
export function scoreModel(
  model: DispatchModel,
  records: HistoryRecord[],
  sameLabel = (a: string, b: string) => a === b,
): Omit<DispatchScores, 'seconds' | 'folds'> {
  const labels = [...new Set(records.map((r) => r.label))].sort();
  const index = new Map(labels.map((l, i) => [l, i]));
  const truth: number[] = [];
  const ranked: number[][] = [];
  for (const r of records) {
    truth.push(index.get(r.label)!);
    ranked.push(
      model
        .suggest(r)
        .map((s) => labels.findIndex((l) => sameLabel(s.label, l)))
        .map((i) => (i < 0 ? -1 : i)),
    );
  }
  return { samples: records.length, labels: labels.length, ...rankScores(truth, ranked, labels.length) };
}
