import { describe, expect, it } from 'vitest';
import { FeatureBag, fromBase64, hashString, toBase64 } from './hashing.ts';
import {
  LinearHead,
  FeatureVocabulary,
  calibration,
  fitTemperature,
  loadVocabulary,
  rng,
  saveVocabulary,
  trainHead,
  type LabelledDoc,
} from './linear.ts';

const CLASSES = ['fruit', 'tool', 'animal'];
const WORDS = [
  ['apple', 'pear', 'plum', 'peach', 'sweet', 'ripe'],
  ['hammer', 'saw', 'drill', 'nail', 'steel', 'sharp'],
  ['cat', 'dog', 'horse', 'fur', 'bark', 'paws'],
];
const NOISE = ['the', 'a', 'big', 'old', 'red', 'new', 'my', 'one'];

function doc(words: string[], labels: number[]): LabelledDoc {
  const bag = new FeatureBag();
  for (const w of words) bag.add(hashString(1, w));
  return { ...bag.snapshot(), labels };
}
function sample(random: () => number, n: number): LabelledDoc[] {
  return Array.from({ length: n }, () => {
    const c = Math.floor(random() * 3);
    const pick = (l: string[]) => l[Math.floor(random() * l.length)]!;
    // One word in five is from another class: the task is learnable but not trivial.
    const words = Array.from({ length: 5 }, () =>
      random() < 0.2 ? pick(WORDS[(c + 1) % 3]!) : random() < 0.5 ? pick(NOISE) : pick(WORDS[c]!),
    );
    return doc(words, [c]);
  });
}

describe('the linear learner', () => {
  const random = rng(7);
  const train = sample(random, 600);
  const held = sample(random, 300);
  const vocab = FeatureVocabulary.fromDocs(train, 2, 10_000);
  const head = trainHead(vocab, CLASSES, train, { epochs: 8 });

  it('learns a separable task and knows unseen features are unknown', () => {
    // About one document in twelve holds no word of its own class, so the best possible is near 0.9.
    expect(calibration(head, held).accuracy).toBeGreaterThan(0.8);
    const p = head.predict(doc(['hammer', 'nail'], [1]));
    expect(CLASSES[p.best]).toBe('tool');
    expect(p.coverage).toBe(1);
    expect(head.predict(doc(['zebra', 'quokka', 'nail'], [1])).coverage).toBeCloseTo(1 / 3);
    expect(head.predict(doc(['zebra'], [1])).coverage).toBe(0);
  });

  it('fits a temperature that lowers the calibration error, and reports ECE', () => {
    const before = calibration(head, held, 1);
    const t = fitTemperature(head, held);
    const after = calibration(head, held, t);
    expect(t).toBeGreaterThan(0);
    expect(after.ece).toBeLessThanOrEqual(before.ece + 1e-9);
    expect(after.ece).toBeLessThan(0.1);
  });

  it('a sample with several acceptable classes does not teach that the second is wrong', () => {
    const both = Array.from({ length: 200 }, (_, i) => doc(['ambiguous', NOISE[i % NOISE.length]!], [0, 2]));
    const v = FeatureVocabulary.fromDocs([...train, ...both], 2, 10_000);
    const h = trainHead(v, CLASSES, [...train, ...both], { epochs: 8 });
    const p = h.predict(doc(['ambiguous'], [0]));
    expect(p.probs[0]! + p.probs[2]!).toBeGreaterThan(0.9);
    expect(p.probs[1]!).toBeLessThan(0.1);
  });

  it('saves and loads (int8 weights, base64) with the same answers', () => {
    const loaded = LinearHead.load(loadVocabulary(saveVocabulary(vocab)), head.save());
    for (const d of held.slice(0, 50)) {
      const a = head.predict(d);
      const b = loaded.predict(d);
      expect(b.best).toBe(a.best);
      expect(Math.abs(b.probs[b.best]! - a.probs[a.best]!)).toBeLessThan(0.02);
    }
  });

  it('base64 round-trips any length', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 1000]) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37) & 255);
      expect(Array.from(fromBase64(toBase64(bytes)))).toEqual(Array.from(bytes));
      expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }
  });
});
