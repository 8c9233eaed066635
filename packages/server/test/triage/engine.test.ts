/**
 * The shipped triage (catalogue, lexicon, corpus, model) on the labelled sets, and what a city gets
 * from training on its own history.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TriageModel, evaluate, type LabelledCase, type TriageOutcome } from '@liandong/domain';
import {
  SEGMENTER_DICT_PATH,
  TRIAGE_DIR,
  buildSegmenterDictionary,
  createTriageEngine,
  loadModel,
  loadSeedCatalogues,
} from '../../src/triage/triage-engine.ts';
import { readShippedCorpus, trainFromCorpus, type CorpusItem } from '../../src/triage/training.ts';
import { cityRecords, heldOut } from './city.ts';

const engine = createTriageEngine();
const run = (text: string, channel?: string) => {
  const o = engine.triage({ id: 't', text, channel });
  if (!o.ok) throw new Error(o.code);
  return o.value as TriageOutcome;
};
const readJsonl = (f: string) =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LabelledCase);
// The shared sets live beside the repository (../shared), as in CI; a bare clone elsewhere skips them.
const SHARED = process.env.TRIAGE_SHARED_DIR ?? path.resolve(import.meta.dirname, '../../../../../shared/data');
const DEV = process.env.TRIAGE_DEV_FILE ?? path.join(SHARED, 'triage-dev.jsonl');
const PROBES = path.join(SHARED, 'triage-probes.jsonl');
const UNSEEN_40 = path.resolve(import.meta.dirname, 'unseen.jsonl');
const UNSEEN_A = path.join(TRIAGE_DIR, 'eval/unseen-a.jsonl');
const EVAL_SETS = [DEV, PROBES, UNSEEN_40, UNSEEN_A].filter((f) => fs.existsSync(f));

describe('the plan’s policy on the shipped catalogue', () => {
  it.each([
    ['violence now → 110, emergency, 120 linked', '我被人打了，鼻子在流血，打我的人还没走', '110', true, ['120']],
    ['a past theft is police business, not an emergency', '昨晚家里被盗，丢了金项链和现金', '110', false, []],
    ['fire → 119 with 110', '楼下仓库起火了，烟很大', '119', true, ['110']],
    ['gas leak → 119 with the gas company', '家里天然气管道在漏气', '119', true, ['utility']],
    ['a worry is not an event', '楼道里堆满了杂物，担心发生火灾', '12345', false, []],
    ['a blocking car → vehicle moving', '有辆车挡住了我的车，车上没有留电话', 'vehicle_moving', false, []],
    ['a pet → guidance', '报警人称家里猫跑丢了', 'guidance', false, []],
  ] as const)('%s', (_l, text, route, emergency, linked) => {
    const o = run(text);
    expect(o.route).toBe(route);
    expect(o.emergency).toBe(emergency);
    for (const l of linked) expect(o.linked).toContain(l);
    expect(o.catalogueVersion).toBe(2);
    expect(o.reasons.join('')).toContain('清单第2版');
  });

  it('Chongqing dialect, traditional characters and full-width text are understood', () => {
    expect(run('遭人打了，脑壳都打破了')).toMatchObject({ route: '110', emergency: true });
    expect(run('他們在樓下打架，有人受傷了')).toMatchObject({ route: '110', emergency: true });
    expect(run('ＡＢＣ小区门口有人在打架')).toMatchObject({ route: '110', emergency: true });
  });

  it('the model may raise an emergency but never clears one a danger rule found', () => {
    const rulesOnly = createTriageEngine({ model: null });
    expect(run('有人拿着刀在小区门口追人').emergency).toBe(true);
    expect(rulesOnly.triage({ text: '有人拿着刀在小区门口追人' })).toMatchObject({
      ok: true,
      value: { emergency: true, route: '110' },
    });
  });

  it('every version shipped stays loadable (outcomes cite them)', () => {
    const versions = loadSeedCatalogues().map(
      (c) => createTriageEngine({ catalogue: c, model: null }).catalogueVersion,
    );
    expect(versions).toEqual([1, 2]);
  });
});

describe('targets on the labelled sets (rules + shipped model)', () => {
  it.skipIf(!fs.existsSync(PROBES))('all 14 probes of real-text faults are right', () => {
    const cases = readJsonl(PROBES);
    const r = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    expect(r.cases).toBe(14);
    expect(r.misses).toEqual([]);
  });

  it.each(EVAL_SETS.filter((f) => f !== PROBES).map((f) => [path.basename(f), f]))('%s', (_l, file) => {
    const cases = readJsonl(file);
    const r = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    expect(r.errors).toBe(0);
    expect(r.routeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.emergencyRecall).toBe(1);
    expect(r.emergenciesInNonEmergencyQueue).toBe(0);
    expect(r.falseAlarmRate!).toBeLessThanOrEqual(0.05);
    if (r.headline?.citizenFlaggedEmergency !== undefined)
      expect(r.headline.citizenFlaggedEmergency).toBeLessThanOrEqual(0.02);
  });
});

describe('the shipped corpus and model', () => {
  const corpus = readShippedCorpus();
  it('holds at least 3,000 requests written one by one, in every voice and route, with dialect and long web messages', () => {
    expect(corpus.filter((c) => c.source !== 'legacy').length).toBeGreaterThanOrEqual(3000);
    expect(new Set(corpus.map((c) => c.routes[0]))).toEqual(
      new Set(['110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance']),
    );
    expect(corpus.filter((c) => c.channel === 'web' && c.title && c.text.length >= 500).length).toBeGreaterThan(50);
    expect(corpus.some((c) => /啷个|莫得|娃儿|遭/.test(c.text))).toBe(true);
    expect(corpus.some((c) => c.text.startsWith('市民来电反映'))).toBe(true);
  });

  it.each(EVAL_SETS.map((f) => [path.basename(f), f]))(
    'holds none of %s (for checking, never for training)',
    (_l, file) => {
      const norm = (s: string) => engine.normaliseText(s).replace(/[\s\p{P}]/gu, '');
      const trained = new Set(corpus.map((c) => norm(c.text)));
      expect(readJsonl(file).filter((c) => trained.has(norm(c.text)))).toEqual([]);
    },
  );

  it('the shipped segmenter dictionary is jieba’s, pruned (`npx liandong triage train` rewrites it)', () => {
    expect(fs.readFileSync(SEGMENTER_DICT_PATH, 'utf8') === buildSegmenterDictionary()).toBe(true);
  });

  it('the saved model loads, was trained on this corpus with its augmented wordings (≥ 10,000 requests), and is small', () => {
    const model = loadModel()!;
    expect(model).toBeInstanceOf(TriageModel);
    expect(model.saved.samples).toBeGreaterThanOrEqual(10_000);
    expect(model.saved.samples).toBeGreaterThan(corpus.length);
    expect(model.saved.calibration!.route.ece).toBeLessThan(0.05);
    expect(fs.statSync(path.join(TRIAGE_DIR, 'model.json')).size).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('a city trains on its own history', () => {
  it('gets better results on its own held-out records than the shipped model, and the rules still hold danger', () => {
    const records = cityRecords();
    const train: CorpusItem[] = records
      .filter((r) => !heldOut(r))
      .map((r) => ({
        text: r.text,
        routes: r.route,
        emergency: r.emergency,
        channel: r.channel,
        group: String(r.template),
        source: 'city',
      }));
    const test = records.filter(heldOut).map((r) => ({ ...r, urgent: null }) as LabelledCase);
    const city = createTriageEngine({
      model: new TriageModel(trainFromCorpus(train, { augmentShipped: false }).model),
    });
    const shipped = evaluate(
      test,
      test.map((c) => engine.triage(c)),
    );
    const own = evaluate(
      test,
      test.map((c) => city.triage(c)),
    );
    expect(own.routeAccuracy).toBeGreaterThan(shipped.routeAccuracy);
    expect(own.routeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(own.emergencyRecall).toBe(1);
    expect(own.emergenciesInNonEmergencyQueue).toBe(0);
  }, 60_000);
});
