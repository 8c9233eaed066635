/**
 * The plain baseline the dispatch model must beat, kept as the issue asks: TF-IDF over the segmenter's
 * words (raw counts × smoothed idf, L2-normalised, every word of the training part — scikit-learn's
 * TfidfVectorizer defaults) and a one-vs-rest linear SVM (hinge loss, L2, SGD with a decaying step).
 * No hashing, no character n-grams, no calibration.
 */
import { rng } from '../../learn/linear.ts';
import { looksSegmented, normaliseOrderText, type WordCutter } from './features.ts';
import type { HistoryRecord } from './history.ts';
import type { Learner } from './model.ts';

function meaningful(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)
  );
}

/** The words of a record (its title's and text's), as strings. */
export function baselineTokens(r: HistoryRecord, cut: WordCutter, toSimplified?: (s: string) => string): string[] {
  const out: string[] = [];
  for (const raw of [r.title, r.text]) {
    if (!raw) continue;
    const s = normaliseOrderText(raw, toSimplified);
    if (looksSegmented(s)) {
      for (const w of s.split(/\s+/)) if (w && meaningful(w.charCodeAt(0))) out.push(w);
      continue;
    }
    let start = 0;
    for (const end of Array.from(cut(s))) {
      if (end > start && meaningful(s.charCodeAt(start))) out.push(s.slice(start, end));
      start = end;
    }
  }
  return out;
}

/** TF-IDF + linear SVM over pre-tokenised documents, as a Learner for crossValidate. */
export function baselineLearner(tokens: string[][], y: number[], classes: number, epochs = 8, lambda = 1e-5): Learner {
  return {
    fit(train) {
      const vocab = new Map<string, number>();
      const df: number[] = [];
      for (const i of train) {
        const seen = new Set<number>();
        for (const w of tokens[i]!) {
          let id = vocab.get(w);
          if (id === undefined) {
            id = vocab.size;
            vocab.set(w, id);
            df.push(0);
          }
          if (!seen.has(id)) {
            seen.add(id);
            df[id]!++;
          }
        }
      }
      const n = train.length;
      const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
      const vec = (i: number): [Int32Array, Float64Array] => {
        const tf = new Map<number, number>();
        for (const w of tokens[i]!) {
          const id = vocab.get(w);
          if (id !== undefined) tf.set(id, (tf.get(id) ?? 0) + 1);
        }
        const ids = Int32Array.from(tf.keys());
        const vals = Float64Array.from(ids, (id) => tf.get(id)! * idf[id]!);
        let norm = 0;
        for (const v of vals) norm += v * v;
        norm = Math.sqrt(norm) || 1;
        for (let k = 0; k < vals.length; k++) vals[k]! /= norm;
        return [ids, vals];
      };
      const C = classes;
      const W = new Float64Array(vocab.size * C);
      const b = new Float64Array(C);
      const data = train.map(vec);
      const order = Int32Array.from(data.keys());
      const random = rng(5);
      const z = new Float64Array(C);
      let t = 0;
      // Pegasos-style: w ← (1 − ηλ) w + η y x on a margin violation, with a global scale for the decay.
      let scale = 1;
      for (let e = 0; e < epochs; e++) {
        for (let i = order.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [order[i], order[j]] = [order[j]!, order[i]!];
        }
        for (const k of order) {
          t++;
          const eta = 1 / (lambda * (t + 1e4));
          const [ids, vals] = data[k]!;
          const label = y[train[k]!]!;
          for (let c = 0; c < C; c++) z[c] = b[c]!;
          for (let q = 0; q < ids.length; q++) {
            const base = ids[q]! * C;
            for (let c = 0; c < C; c++) z[c]! += W[base + c]! * vals[q]! * scale;
          }
          scale *= 1 - eta * lambda;
          if (scale < 1e-6) {
            for (let q = 0; q < W.length; q++) W[q]! *= scale;
            scale = 1;
          }
          for (let c = 0; c < C; c++) {
            const yc = c === label ? 1 : -1;
            if (yc * z[c]! >= 1) continue;
            const step = (eta * yc) / scale;
            for (let q = 0; q < ids.length; q++) W[ids[q]! * C + c]! += step * vals[q]!;
            b[c]! += eta * yc * 0.01;
          }
        }
      }
      return {
        rank(i) {
          const [ids, vals] = vec(i);
          for (let c = 0; c < C; c++) z[c] = b[c]!;
          for (let q = 0; q < ids.length; q++) {
            const base = ids[q]! * C;
            for (let c = 0; c < C; c++) z[c]! += W[base + c]! * vals[q]! * scale;
          }
          const idx = Array.from({ length: C }, (_, c) => c).sort((p, q) => z[q]! - z[p]! || p - q);
          return idx.slice(0, 3);
        },
      };
    },
  };
}
