import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, type LabelledCase, type TriageOutcome } from '@liandong/domain';
import { CORPUS_PATH, createTriageEngine, loadModel } from '../../src/triage/triage-engine.ts';

const engine = createTriageEngine();
const rulesOnly = createTriageEngine({ model: null });
const run = (text: string, channel?: string) => {
  const o = engine.triage({ id: 't', text, channel });
  if ('error' in o) throw new Error(o.error.code);
  return o as TriageOutcome;
};
const readJsonl = (f: string) =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LabelledCase & { group?: number });
// The dev set lives beside the repository (../shared), as in CI; a bare clone elsewhere skips the checks that need it.
const DEV =
  process.env.TRIAGE_DEV_FILE ?? path.resolve(import.meta.dirname, '../../../../../shared/data/triage-dev.jsonl');
const HAS_DEV = fs.existsSync(DEV);

describe('the plan’s policy', () => {
  it.each([
    [
      'violence now → 110, emergency, 120 linked for the injury',
      '我被人打了，鼻子在流血，打我的人还没走',
      '110',
      true,
      ['120'],
    ],
    ['a past theft is police business, not an emergency', '昨晚家里被盗，丢了金项链和现金', '110', false, []],
    [
      'negation: no one hurt, but a lorry across the road is still a danger',
      '一辆货车侧翻在路中间，货物撒了一地，没有人受伤',
      '110',
      true,
      [],
    ],
    ['fire → 119', '楼下仓库起火了，烟很大', '119', true, ['110']],
    ['gas leak → 119 with the gas company', '家里天然气管道在漏气', '119', true, ['utility']],
    ['collapse with a seizure → 120', '有人在公交车上突然抽搐口吐白沫', '120', true, []],
    ['a worry is not an event', '楼道里堆满了杂物，担心发生火灾', '12345', false, []],
    ['a blocking car → vehicle moving', '有辆车挡住了我的车，车上没有留电话', 'vehicle_moving', false, []],
    ['a pet → guidance', '报警人称家里猫跑丢了', 'guidance', false, []],
  ] as const)('%s', (_l, text, route, emergency, linked) => {
    const o = run(text);
    expect(o.route).toBe(route);
    expect(o.emergency).toBe(emergency);
    for (const l of linked) expect(o.linked).toContain(l);
    expect(o.reasons.length).toBeGreaterThan(0);
    expect(o.catalogueVersion).toBe(1);
  });

  it('a dispute without violence: called in to 110 it goes to the governance centre, to 12345 it stays there', () => {
    expect(run('报警人称与朋友之间有借款纠纷，对方不还钱', '110').route).toBe('governance_center');
    expect(run('和邻居因为借款纠纷闹矛盾，他不还钱', '12345')).toMatchObject({
      route: '12345',
      linked: ['governance_center'],
    });
  });

  it('12345’s urgent channel: critical care, childbirth, relief', () => {
    expect(run('孩子要做化疗，我们小区封控了出不去')).toMatchObject({
      route: '12345',
      urgent: true,
      urgentKind: 'critical_care',
      emergency: false,
    });
    expect(run('老婆怀孕七个月要去产检，但是封路了')).toMatchObject({
      urgent: true,
      urgentKind: 'pregnancy_childbirth',
    });
    expect(run('地震后村民没地方住，急需帐篷和吃的')).toMatchObject({
      route: '12345',
      urgent: true,
      urgentKind: 'emergency_rescue',
      emergency: false,
    });
  });

  it('boundary matters open a consultation', () => {
    expect(run('楼上半夜还在唱歌，太吵了')).toMatchObject({ route: '12345', needsConsultation: true, linked: ['110'] });
  });

  it('Chongqing dialect, traditional characters and full-width text are understood', () => {
    expect(run('遭人打了，脑壳都打破了')).toMatchObject({ route: '110', emergency: true });
    expect(run('他們在樓下打架，有人受傷了')).toMatchObject({ route: '110', emergency: true });
    expect(run('ＡＢＣ小区门口有人在打架')).toMatchObject({ route: '110', emergency: true });
    expect(run('娃儿走丢了，莫得人看到')).toMatchObject({ route: '110', emergency: true });
  });

  it('the model may raise an emergency but never clears one a danger rule found', () => {
    const o = run('有人拿着刀在小区门口追人');
    expect(o.emergency).toBe(true);
    expect(rulesOnly.triage({ text: '有人拿着刀在小区门口追人' })).toMatchObject({ emergency: true, route: '110' });
  });

  it.each([
    ['empty', '', 'TEXT_EMPTY'],
    ['only punctuation', '？？！！。。', 'TEXT_NO_CONTENT'],
    ['only emoji', '😡😡😭', 'TEXT_NO_CONTENT'],
    ['100 KB', '打'.repeat(100_000), 'TEXT_TOO_LONG'],
    ['not a string', 42, 'TEXT_MISSING'],
  ] as const)('bad text (%s) gets an error with the id', (_l, text, code) => {
    expect(engine.triage({ id: 'bad-1', text })).toEqual({ id: 'bad-1', error: { code, message: expect.any(String) } });
  });

  it('emoji around words are ignored, not refused', () => {
    expect(run('😭😭有人在打我，快来')).toMatchObject({ route: '110', emergency: true });
  });
});

describe('targets on labelled sets (rules + saved model)', () => {
  it.each([
    ...(HAS_DEV ? [['the dev set', DEV]] : []),
    [
      'fresh cases written after the rules (test/triage/unseen.jsonl)',
      path.resolve(import.meta.dirname, 'unseen.jsonl'),
    ],
  ])('%s', (_l, file) => {
    const cases = readJsonl(file);
    const r = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    expect(r.errors).toBe(0);
    expect(r.routeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.emergencyRecall).toBe(1);
    expect(r.falseAlarmRate!).toBeLessThanOrEqual(0.1);
    expect(r.urgentRecall!).toBeGreaterThanOrEqual(0.9);
    expect(r.emergenciesInNonEmergencyQueue).toBe(0);
  });
});

describe('the corpus and the model', () => {
  const corpus = readJsonl(CORPUS_PATH);
  it('has at least 1,500 requests over every route, in several voices, with dialect', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1500);
    expect(new Set(corpus.map((c) => c.route![0]))).toEqual(
      new Set(['110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance']),
    );
    expect(corpus.some((c) => c.text.startsWith('来电人反映'))).toBe(true);
    expect(corpus.some((c) => c.text.startsWith('报警人称'))).toBe(true);
    expect(corpus.some((c) => /啷个|莫得|娃儿|遭/.test(c.text))).toBe(true);
  });
  it.skipIf(!HAS_DEV)('holds none of the dev cases (dev is for checking, never for training)', () => {
    const norm = (s: string) => engine.normaliseText(s).replace(/[\s\p{P}]/gu, '');
    const dev = new Set(readJsonl(DEV).map((c) => norm(c.text)));
    expect(corpus.filter((c) => dev.has(norm(c.text)))).toEqual([]);
  });
  it('the saved model loads and was trained on this corpus', () => {
    const model = loadModel();
    expect(model).not.toBeNull();
    expect(model!.saved.samples).toBe(corpus.length);
  });
});
