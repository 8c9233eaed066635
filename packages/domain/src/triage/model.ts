/**
 * The learned part of triage: multinomial naive Bayes over words (from the injected segmenter) and
 * character bigrams, one classifier for the route and one for "danger now". Small, fast, and its
 * saved form is plain JSON. Rules stay the safety net (engine.ts).
 */
import { ROUTES, type Route } from './types.ts';

export interface TrainingSample {
  text: string;
  route: Route;
  emergency: boolean;
}
export type Featurizer = (normalisedText: string) => string[];

interface NbClassifier {
  classes: string[];
  priors: number[];
  vocab: Record<string, number[]>;
  unseen: number[];
}
export interface SavedModel {
  format: 'liandong-triage-nb/1';
  version: string;
  trainedAt: string;
  samples: number;
  route: NbClassifier;
  emergency: NbClassifier;
}

const PUNCT = /[\s\p{P}\p{S}]+/gu;

/** Words (when a segmenter is given) and character bigrams. */
export function makeFeaturizer(tokenize?: (s: string) => string[]): Featurizer {
  return (text) => {
    const clean = text.replace(PUNCT, ' ');
    const feats: string[] = [];
    if (tokenize) for (const w of tokenize(clean)) if (w.trim()) feats.push(`w:${w}`);
    for (const part of clean.split(' ')) for (let i = 0; i + 1 < part.length; i++) feats.push(part.slice(i, i + 2));
    return feats;
  };
}

function trainNb(docs: string[][], labels: string[], classes: string[], alpha = 0.5): NbClassifier {
  const counts = new Map<string, number[]>();
  const totals = classes.map(() => 0);
  const docCounts = classes.map(() => 0);
  docs.forEach((feats, i) => {
    const c = classes.indexOf(labels[i]!);
    docCounts[c]! += 1;
    for (const f of feats) {
      let row = counts.get(f);
      if (!row) counts.set(f, (row = classes.map(() => 0)));
      row[c]! += 1;
      totals[c]! += 1;
    }
  });
  const v = counts.size;
  const denom = totals.map((t) => Math.log(t + alpha * v));
  const vocab: Record<string, number[]> = {};
  for (const [f, row] of counts) vocab[f] = row.map((n, c) => +(Math.log(n + alpha) - denom[c]!).toFixed(4));
  const n = docs.length;
  return {
    classes,
    priors: docCounts.map((d) => +Math.log((d + 1) / (n + classes.length)).toFixed(4)),
    vocab,
    unseen: denom.map((d) => +(Math.log(alpha) - d).toFixed(4)),
  };
}

function predictNb(m: NbClassifier, feats: string[]): number[] {
  const scores = [...m.priors];
  let known = 0;
  for (const f of feats) {
    const row = m.vocab[f];
    if (!row) continue; // unseen features carry no evidence either way
    known += 1;
    for (let c = 0; c < scores.length; c++) scores[c]! += row[c]!;
  }
  if (known === 0) return m.priors.map((p) => Math.exp(p));
  const max = Math.max(...scores);
  const exps = scores.map((s) => Math.exp(s - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

export function trainModel(samples: TrainingSample[], featurize: Featurizer, version: string): SavedModel {
  const docs = samples.map((s) => featurize(s.text));
  return {
    format: 'liandong-triage-nb/1',
    version,
    trainedAt: new Date().toISOString(),
    samples: samples.length,
    route: trainNb(
      docs,
      samples.map((s) => s.route),
      [...ROUTES],
    ),
    emergency: trainNb(
      docs,
      samples.map((s) => (s.emergency ? 'yes' : 'no')),
      ['no', 'yes'],
    ),
  };
}

export interface ModelPrediction {
  route: Route;
  routeP: number;
  ranked: { route: Route; p: number }[];
  emergencyP: number;
}

export class TriageModel {
  constructor(
    readonly saved: SavedModel,
    private readonly featurize: Featurizer,
  ) {
    if (saved.format !== 'liandong-triage-nb/1') throw new Error(`unknown model format ${String(saved.format)}`);
  }
  get version(): string {
    return this.saved.version;
  }
  predict(normalisedText: string): ModelPrediction {
    const feats = this.featurize(normalisedText);
    const rp = predictNb(this.saved.route, feats);
    const ranked = rp.map((p, i) => ({ route: this.saved.route.classes[i] as Route, p })).sort((a, b) => b.p - a.p);
    const ep = predictNb(this.saved.emergency, feats);
    return { route: ranked[0]!.route, routeP: ranked[0]!.p, ranked, emergencyP: ep[1]! };
  }
}
