/**
 * A calibrated linear classifier over hashed sparse features: multinomial logistic regression trained
 * with AdaGrad, a pruned vocabulary (features seen in at least `minDf` documents), temperature scaling
 * for calibration and the expected calibration error (ECE) to report it. Nothing here knows about
 * triage: the same learner can be trained on routes, departments or any other label set.
 *
 * A sample may name several acceptable classes (the preferred first); training then maximises the
 * probability of the set (the marginal likelihood), so "110 or 120" does not teach that 120 is wrong.
 */
import { fromBase64, toBase64 } from './hashing.ts';

export interface SparseDoc {
  ids: Uint32Array;
  values: Float32Array;
  /** How many of `ids` to read (defaults to all). */
  length?: number;
}
export interface LabelledDoc extends SparseDoc {
  /** Indices into the class list of the acceptable answers, the preferred first. */
  labels: number[];
  /** Importance of the sample in training (default 1). */
  weight?: number;
}

/** The features a model knows: sorted ids and an open-addressing table for lookups. */
export class FeatureVocabulary {
  readonly keys: Uint32Array;
  private readonly table: Int32Array;
  private readonly tableKeys: Uint32Array;
  private readonly mask: number;

  constructor(keys: Uint32Array) {
    this.keys = keys;
    let size = 16;
    while (size < keys.length * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size).fill(-1);
    this.tableKeys = new Uint32Array(size);
    for (let r = 0; r < keys.length; r++) {
      let h = Math.imul(keys[r]!, 0x9e3779b1) >>> 0;
      for (;;) {
        const slot = h & this.mask;
        if (this.table[slot] === -1) {
          this.table[slot] = r;
          this.tableKeys[slot] = keys[r]!;
          break;
        }
        h += 1;
      }
    }
  }
  get size(): number {
    return this.keys.length;
  }
  /** The row of feature `id`, or -1 when the vocabulary does not hold it. */
  row(id: number): number {
    let h = Math.imul(id, 0x9e3779b1) >>> 0;
    for (;;) {
      const slot = h & this.mask;
      const r = this.table[slot]!;
      if (r === -1) return -1;
      if (this.tableKeys[slot] === id) return r;
      h += 1;
    }
  }
  /** Keeps the features present in at least `minDf` documents, the most frequent `max` of them. */
  static fromDocs(docs: SparseDoc[], minDf: number, max: number): FeatureVocabulary {
    const df = new Map<number, number>();
    const seen = new Set<number>();
    for (const d of docs) {
      seen.clear();
      const n = d.length ?? d.ids.length;
      for (let i = 0; i < n; i++) {
        const id = d.ids[i]!;
        if (seen.has(id)) continue;
        seen.add(id);
        df.set(id, (df.get(id) ?? 0) + 1);
      }
    }
    let kept = [...df].filter(([, n]) => n >= minDf);
    if (kept.length > max) kept = kept.sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, max);
    return new FeatureVocabulary(Uint32Array.from(kept.map(([id]) => id)).sort());
  }
}

export interface SavedHead {
  classes: string[];
  /** int8 weights, row-major [feature][class], base64. */
  weights: string;
  /** Per-class scale of the int8 weights. */
  scales: number[];
  bias: number[];
  /** Softmax temperature fitted on held-out documents (1 = uncalibrated). */
  temperature: number;
}

export interface Prediction {
  probs: Float64Array;
  /** Index of the most probable class. */
  best: number;
  /** Share of the document's feature mass the vocabulary knows (0–1): low means out of distribution. */
  coverage: number;
}

/** One classifier (a "head") over a vocabulary. */
export class LinearHead {
  private readonly logitsBuf: Float64Array;
  readonly scales: Float64Array;
  constructor(
    readonly vocab: FeatureVocabulary,
    readonly classes: string[],
    /** [feature][class]: float while training, int8 (times `scales`) once loaded. */
    readonly weights: Float32Array | Int8Array,
    readonly bias: Float64Array,
    public temperature = 1,
    scales?: Float64Array,
  ) {
    this.logitsBuf = new Float64Array(classes.length);
    this.scales = scales ?? new Float64Array(classes.length).fill(1);
  }

  /** The vocabulary rows of a document's features (−1 for unknown ones), into `rows`. */
  rowsOf(doc: SparseDoc, rows: Int32Array): Int32Array {
    const n = doc.length ?? doc.ids.length;
    for (let i = 0; i < n; i++) rows[i] = this.vocab.row(doc.ids[i]!);
    return rows;
  }

  /** Raw scores (before temperature) from looked-up rows; returns the known feature mass share. */
  scoreRows(rows: Int32Array, values: Float32Array, n: number, out: Float64Array): number {
    const C = this.classes.length;
    let total = 0;
    for (let i = 0; i < n; i++) total += values[i]!;
    const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
    for (let c = 0; c < C; c++) out[c] = 0;
    let known = 0;
    const w = this.weights;
    for (let i = 0; i < n; i++) {
      const r = rows[i]!;
      if (r < 0) continue;
      const v = values[i]!;
      known += v;
      const base = r * C;
      for (let c = 0; c < C; c++) out[c]! += w[base + c]! * v;
    }
    for (let c = 0; c < C; c++) out[c] = this.bias[c]! + out[c]! * scale * this.scales[c]!;
    return total > 0 ? known / total : 0;
  }

  /** Raw scores (before temperature) of a document; returns the known feature mass share. */
  scores(doc: SparseDoc, out: Float64Array): number {
    const n = doc.length ?? doc.ids.length;
    const rows = new Int32Array(n);
    return this.scoreRows(this.rowsOf(doc, rows), doc.values, n, out);
  }

  /** Probabilities from scores. */
  fromScores(z: Float64Array, coverage: number, temperature = this.temperature): Prediction {
    const probs = softmax(z, temperature);
    let best = 0;
    for (let c = 1; c < probs.length; c++) if (probs[c]! > probs[best]!) best = c;
    return { probs, best, coverage };
  }

  predict(doc: SparseDoc, temperature = this.temperature): Prediction {
    const z = this.logitsBuf;
    const coverage = this.scores(doc, z);
    return this.fromScores(z, coverage, temperature);
  }

  save(): SavedHead {
    const C = this.classes.length;
    const F = this.vocab.size;
    const w = this.weights;
    const scales = this.classes.map((_, c) => {
      let m = 0;
      for (let r = 0; r < F; r++) m = Math.max(m, Math.abs(w[r * C + c]! * this.scales[c]!));
      return m > 0 ? m / 127 : 1;
    });
    const q = new Int8Array(F * C);
    for (let r = 0; r < F; r++)
      for (let c = 0; c < C; c++) q[r * C + c] = Math.round((w[r * C + c]! * this.scales[c]!) / scales[c]!);
    return {
      classes: [...this.classes],
      weights: toBase64(new Uint8Array(q.buffer)),
      scales: scales.map((s) => +s.toPrecision(6)),
      bias: Array.from(this.bias, (b) => +b.toFixed(5)),
      temperature: +this.temperature.toFixed(4),
    };
  }

  static load(vocab: FeatureVocabulary, s: SavedHead): LinearHead {
    const C = s.classes.length;
    const bytes = fromBase64(s.weights);
    if (bytes.length !== vocab.size * C) throw new Error('model weights do not match the vocabulary');
    const q = new Int8Array(bytes.length);
    q.set(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    return new LinearHead(vocab, s.classes, q, Float64Array.from(s.bias), s.temperature, Float64Array.from(s.scales));
  }
}

export function softmax(z: Float64Array, temperature = 1): Float64Array {
  const p = new Float64Array(z.length);
  let max = -Infinity;
  for (let c = 0; c < z.length; c++) max = Math.max(max, z[c]! / temperature);
  let sum = 0;
  for (let c = 0; c < z.length; c++) sum += p[c] = Math.exp(z[c]! / temperature - max);
  for (let c = 0; c < z.length; c++) p[c]! /= sum;
  return p;
}

export function saveVocabulary(v: FeatureVocabulary): string {
  return toBase64(new Uint8Array(v.keys.buffer, v.keys.byteOffset, v.keys.byteLength));
}
export function loadVocabulary(b64: string): FeatureVocabulary {
  const bytes = fromBase64(b64);
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new FeatureVocabulary(new Uint32Array(copy.buffer));
}

export interface TrainOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  seed?: number;
  /**
   * Skip a class's weight update when its gradient is below this (0 = never skip). With many classes
   * most have a near-zero probability for a given document; skipping them makes an epoch several times
   * faster at no measurable cost in accuracy (the L2 decay of those weights is skipped with them).
   */
  skipBelow?: number;
}

/** A small deterministic generator (mulberry32), so training is reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Compact {
  rows: Int32Array;
  values: Float32Array;
  labels: number[];
  weight: number;
}

function compact(vocab: FeatureVocabulary, d: LabelledDoc): Compact {
  const n = d.length ?? d.ids.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += d.values[i]!;
  const scale = total > 0 ? 1 / Math.sqrt(total) : 0;
  const acc = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const r = vocab.row(d.ids[i]!);
    if (r >= 0) acc.set(r, (acc.get(r) ?? 0) + d.values[i]! * scale);
  }
  return {
    rows: Int32Array.from(acc.keys()),
    values: Float32Array.from(acc.values()),
    labels: d.labels,
    weight: d.weight ?? 1,
  };
}

/** Trains one head on labelled documents (AdaGrad on the cross-entropy of the acceptable set, with L2). */
export function trainHead(
  vocab: FeatureVocabulary,
  classes: string[],
  docs: LabelledDoc[],
  opts: TrainOptions = {},
): LinearHead {
  const { epochs = 12, learningRate = 0.4, l2 = 1e-5, seed = 1, skipBelow = 0 } = opts;
  const C = classes.length;
  const F = vocab.size;
  const W = new Float32Array(F * C);
  const G = new Float32Array(F * C).fill(1e-8);
  const b = new Float64Array(C);
  const Gb = new Float64Array(C).fill(1e-8);
  const data = docs.map((d) => compact(vocab, d));
  const order = Int32Array.from(data.keys());
  const random = rng(seed);
  const z = new Float64Array(C);
  const g = new Float64Array(C);
  const live = new Int32Array(C);
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    for (const k of order) {
      const d = data[k]!;
      for (let c = 0; c < C; c++) z[c] = b[c]!;
      for (let i = 0; i < d.rows.length; i++) {
        const base = d.rows[i]! * C;
        const v = d.values[i]!;
        for (let c = 0; c < C; c++) z[c]! += W[base + c]! * v;
      }
      const p = softmax(z);
      let accepted = 0;
      for (const l of d.labels) accepted += p[l]!;
      for (let c = 0; c < C; c++) g[c] = p[c]!;
      for (const l of d.labels) g[l]! -= p[l]! / Math.max(accepted, 1e-12);
      for (let c = 0; c < C; c++) {
        const gc = g[c]! * d.weight;
        Gb[c]! += gc * gc;
        b[c]! -= (learningRate * gc) / Math.sqrt(Gb[c]!);
      }
      let active = C;
      if (skipBelow > 0) {
        active = 0;
        for (let c = 0; c < C; c++) if (Math.abs(g[c]!) >= skipBelow) live[active++] = c;
      } else for (let c = 0; c < C; c++) live[c] = c;
      for (let i = 0; i < d.rows.length; i++) {
        const base = d.rows[i]! * C;
        const v = d.values[i]!;
        for (let a = 0; a < active; a++) {
          const c = live[a]!;
          const idx = base + c;
          const gw = g[c]! * d.weight * v + l2 * W[idx]!;
          G[idx]! += gw * gw;
          W[idx]! -= (learningRate * gw) / Math.sqrt(G[idx]!);
        }
      }
    }
  }
  return new LinearHead(vocab, classes, W, b);
}

export interface Calibration {
  documents: number;
  /** Share whose most probable class is acceptable. */
  accuracy: number;
  /** Expected calibration error over `bins` equal-width confidence bins (0 = perfectly calibrated). */
  ece: number;
  meanConfidence: number;
}

/** Accuracy and expected calibration error of `head` on labelled documents. */
export function calibration(
  head: LinearHead,
  docs: LabelledDoc[],
  temperature = head.temperature,
  bins = 10,
): Calibration {
  const count = new Float64Array(bins),
    conf = new Float64Array(bins),
    correct = new Float64Array(bins);
  let right = 0,
    sumConf = 0;
  for (const d of docs) {
    const p = head.predict(d, temperature);
    const c = p.probs[p.best]!;
    const ok = d.labels.includes(p.best) ? 1 : 0;
    const bin = Math.min(bins - 1, Math.floor(c * bins));
    count[bin]! += 1;
    conf[bin]! += c;
    correct[bin]! += ok;
    right += ok;
    sumConf += c;
  }
  let ece = 0;
  for (let i = 0; i < bins; i++) if (count[i]) ece += Math.abs(correct[i]! - conf[i]!) / docs.length;
  const n = docs.length || 1;
  return { documents: docs.length, accuracy: right / n, ece, meanConfidence: sumConf / n };
}

/** The softmax temperature that minimises the negative log-likelihood of the acceptable sets on `docs`. */
export function fitTemperature(head: LinearHead, docs: LabelledDoc[]): number {
  const z = new Float64Array(head.classes.length);
  const cached = docs.map((d) => {
    head.scores(d, z);
    return { z: Float64Array.from(z), labels: d.labels };
  });
  let best = 1,
    bestNll = Infinity;
  for (let t = 0.3; t <= 6.0001; t += 0.05) {
    let nll = 0;
    for (const d of cached) {
      const p = softmax(d.z, t);
      let acc = 0;
      for (const l of d.labels) acc += p[l]!;
      nll -= Math.log(Math.max(acc, 1e-12));
    }
    if (nll < bestNll) {
      bestNll = nll;
      best = t;
    }
  }
  return +best.toFixed(2);
}
