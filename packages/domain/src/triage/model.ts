/**
 * The learned part of triage: two heads of the calibrated linear learner (learn/linear.ts) over one
 * vocabulary of hashed features — the request's words (from the segmenter), the title's words apart,
 * and character bigrams within clauses (trigrams were tried: a model twice the size, no better). One head gives the route, one whether it is a
 * danger now. The model knows what it does not know: a text whose features it mostly never saw is out
 * of its distribution, and then the rules decide (engine.ts).
 */
import { FeatureBag, hashCodes, hashRange } from '../learn/hashing.ts';
import {
  LinearHead,
  FeatureVocabulary,
  calibration,
  fitTemperature,
  loadVocabulary,
  saveVocabulary,
  trainHead,
  type Calibration,
  type LabelledDoc,
  type SavedHead,
} from '../learn/linear.ts';
import type { Reading } from './reading.ts';
import { ROUTES, type Route } from './types.ts';

export const MODEL_FORMAT = 'liandong-triage-linear/1';
const NS_WORD = 1,
  NS_TITLE = 2,
  NS_BIGRAM = 3;
/** Han, Latin letters and digits: what features are made of (punctuation and spaces are not). */
function meaningful(c: number): boolean {
  return (
    (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)
  );
}

/** A long text is read by the model at its title, its opening and its end (where the request is). */
const HEAD_CHARS = 200,
  TAIL_CHARS = 300;

/** The features of a read request, into `bag` (cleared first). */
export function featuresOf(r: Reading, bag: FeatureBag): FeatureBag {
  bag.clear();
  const s = r.text;
  const headEnd = r.titleEnd + HEAD_CHARS;
  const tailStart = s.length - TAIL_CHARS;
  let start = 0;
  for (let w = 0; w < r.wordEnds.length; w++) {
    const end = r.wordEnds[w]!;
    if (end > start && meaningful(s.charCodeAt(start)) && (start < headEnd || end > tailStart))
      bag.add(hashRange(start < r.titleEnd ? NS_TITLE : NS_WORD, s, start, end), 1);
    start = end;
  }
  for (const cl of r.clauses) {
    if (!(cl.start < headEnd || cl.end > tailStart)) continue;
    let b = -1;
    for (let i = cl.start; i < cl.end; i++) {
      const ch = s.charCodeAt(i);
      if (!meaningful(ch)) {
        b = -1;
        continue;
      }
      if (b >= 0) bag.add(hashCodes(NS_BIGRAM, b, ch), 0.5);
      b = ch;
    }
  }
  return bag;
}

export interface SavedModel {
  format: typeof MODEL_FORMAT;
  version: string;
  trainedAt: string;
  samples: number;
  vocabulary: string;
  route: SavedHead;
  emergency: SavedHead;
  /** Below this share of known feature mass, a text is out of the model's distribution. */
  minCoverage: number;
  calibration?: { route: Calibration & { eceBefore: number }; emergency: Calibration & { eceBefore: number } };
}

export interface ModelPrediction {
  route: Route;
  routeP: number;
  /** Every route with its probability. */
  probs: { route: Route; p: number }[];
  emergencyP: number;
  coverage: number;
  inDistribution: boolean;
}

export class TriageModel {
  private readonly routeHead: LinearHead;
  private readonly emergencyHead: LinearHead;
  private readonly bag = new FeatureBag(1024);
  private rows = new Int32Array(1024);
  private readonly z1: Float64Array;
  private readonly z2: Float64Array;
  constructor(readonly saved: SavedModel) {
    if (saved.format !== MODEL_FORMAT) throw new Error(`unknown model format ${String(saved.format)}`);
    const vocab = loadVocabulary(saved.vocabulary);
    this.routeHead = LinearHead.load(vocab, saved.route);
    this.emergencyHead = LinearHead.load(vocab, saved.emergency);
    this.z1 = new Float64Array(this.routeHead.classes.length);
    this.z2 = new Float64Array(this.emergencyHead.classes.length);
  }
  get version(): string {
    return this.saved.version;
  }
  predict(r: Reading): ModelPrediction {
    const bag = featuresOf(r, this.bag);
    if (this.rows.length < bag.length) this.rows = new Int32Array(bag.ids.length);
    // One vocabulary lookup for both heads.
    const rows = this.routeHead.rowsOf(bag, this.rows);
    const coverage = this.routeHead.scoreRows(rows, bag.values, bag.length, this.z1);
    this.emergencyHead.scoreRows(rows, bag.values, bag.length, this.z2);
    const rp = this.routeHead.fromScores(this.z1, coverage);
    const ep = this.emergencyHead.fromScores(this.z2, coverage);
    const classes = this.routeHead.classes;
    const probs: { route: Route; p: number }[] = [];
    for (let i = 0; i < classes.length; i++) probs.push({ route: classes[i] as Route, p: rp.probs[i]! });
    return {
      route: classes[rp.best] as Route,
      routeP: rp.probs[rp.best]!,
      probs,
      emergencyP: ep.probs[this.emergencyHead.classes.indexOf('yes')]!,
      coverage: rp.coverage,
      inDistribution: rp.coverage >= this.saved.minCoverage,
    };
  }
}

export interface TrainingSample {
  reading: Reading;
  /** Acceptable routes, the preferred first. */
  routes: Route[];
  emergency: boolean | null;
  weight?: number;
  /** Samples of one group (one situation told several ways) are held out together. */
  group: string;
}

export interface TrainReport {
  model: SavedModel;
  heldOut: { route: Calibration & { eceBefore: number }; emergency: Calibration & { eceBefore: number } };
  features: number;
}

const MIN_DF = 2;
const MAX_FEATURES = 150_000;

/**
 * Trains on `samples`: first on four fifths of the groups, to fit the temperatures and measure
 * accuracy and calibration (ECE) on the fifth held out, then on everything with those temperatures.
 */
export function trainTriageModel(
  samples: TrainingSample[],
  version: string,
  opts: { epochs?: number } = {},
): TrainReport {
  const bag = new FeatureBag(1024);
  const docs = samples.map((s) => ({ ...featuresOf(s.reading, bag).snapshot(), s }));
  const routeClasses = [...ROUTES] as string[];
  const toRoute = (d: (typeof docs)[number]): LabelledDoc => ({
    ids: d.ids,
    values: d.values,
    labels: d.s.routes.map((r) => routeClasses.indexOf(r)).filter((i) => i >= 0),
    weight: d.s.weight ?? 1,
  });
  const toEmergency = (d: (typeof docs)[number]): LabelledDoc => ({
    ids: d.ids,
    values: d.values,
    labels: [d.s.emergency ? 1 : 0],
    weight: d.s.weight ?? 1,
  });
  const heldOutGroup = (g: string) => {
    let h = 0;
    for (let i = 0; i < g.length; i++) h = (Math.imul(h, 31) + g.charCodeAt(i)) | 0;
    return (h >>> 0) % 5 === 0;
  };
  const trainPart = docs.filter((d) => !heldOutGroup(d.s.group));
  const testPart = docs.filter((d) => heldOutGroup(d.s.group));
  const withEmergency = (list: typeof docs) => list.filter((d) => d.s.emergency !== null);

  const fit = (part: typeof docs) => {
    const vocab = FeatureVocabulary.fromDocs(part, MIN_DF, MAX_FEATURES);
    const route = trainHead(vocab, routeClasses, part.map(toRoute), { epochs: opts.epochs });
    const emergency = trainHead(vocab, ['no', 'yes'], withEmergency(part).map(toEmergency), { epochs: opts.epochs });
    return { vocab, route, emergency };
  };
  const check = fit(trainPart);
  const routeTest = testPart.map(toRoute);
  const emergencyTest = withEmergency(testPart).map(toEmergency);
  const routeBefore = calibration(check.route, routeTest, 1);
  const emergencyBefore = calibration(check.emergency, emergencyTest, 1);
  check.route.temperature = fitTemperature(check.route, routeTest);
  check.emergency.temperature = fitTemperature(check.emergency, emergencyTest);
  const heldOut = {
    route: { ...calibration(check.route, routeTest), eceBefore: routeBefore.ece },
    emergency: { ...calibration(check.emergency, emergencyTest), eceBefore: emergencyBefore.ece },
  };
  // Coverage of held-out texts: the out-of-distribution line is set below nearly all of them.
  const coverages = testPart.map((d) => check.route.predict(d).coverage).sort((a, b) => a - b);
  const minCoverage = +Math.min(
    0.6,
    Math.max(0.2, (coverages[Math.floor(coverages.length * 0.02)] ?? 0.5) - 0.05),
  ).toFixed(3);

  const final = fit(docs);
  final.route.temperature = check.route.temperature;
  final.emergency.temperature = check.emergency.temperature;
  const round = (c: Calibration & { eceBefore: number }) => ({
    documents: c.documents,
    accuracy: +c.accuracy.toFixed(4),
    ece: +c.ece.toFixed(4),
    eceBefore: +c.eceBefore.toFixed(4),
    meanConfidence: +c.meanConfidence.toFixed(4),
  });
  const model: SavedModel = {
    format: MODEL_FORMAT,
    version,
    trainedAt: new Date().toISOString(),
    samples: samples.length,
    vocabulary: saveVocabulary(final.vocab),
    route: final.route.save(),
    emergency: final.emergency.save(),
    minCoverage,
    calibration: { route: round(heldOut.route), emergency: round(heldOut.emergency) },
  };
  return { model, heldOut: model.calibration!, features: final.vocab.size };
}
