import { describe, expect, it } from 'vitest';
import { rng } from '../../learn/linear.ts';
import { baselineLearner, baselineTokens } from './baseline.ts';
import { looksSegmented } from './features.ts';
import type { HistoryRecord } from './history.ts';
import {
  DispatchModel,
  crossValidate,
  encodeLabels,
  rankScores,
  scoreModel,
  stratifiedFolds,
  trainDispatchModel,
} from './model.ts';

/** Two characters a word (enough for tests; the server uses jieba's dictionary method). */
const cut = (s: string) => {
  const ends: number[] = [];
  for (let i = 2; i < s.length; i += 2) ends.push(i);
  ends.push(s.length);
  return Int32Array.from(ends);
};
const env = { cut };

const TOPICS: Record<string, string[]> = {
  水务: ['停水', '水压', '水管', '水费', '漏水'],
  住建: ['物业', '电梯', '交房', '工地', '维修'],
  人社: ['工资', '社保', '合同', '辞退', '欠薪'],
};
const FILLER = ['我们', '小区', '最近', '希望', '处理', '尽快', '反映', '问题'];
function history(n: number, seed = 1): HistoryRecord[] {
  const r = rng(seed);
  const pick = <T>(l: T[]) => l[Math.floor(r() * l.length)]!;
  const labels = Object.keys(TOPICS);
  return Array.from({ length: n }, () => {
    const label = pick(labels);
    const words = Array.from({ length: 6 }, () => (r() < 0.4 ? pick(TOPICS[label]!) : pick(FILLER)));
    return { text: words.join(''), title: null, label, district: null };
  });
}

describe('smart dispatch model', () => {
  it('scores ranked answers: top-1, top-3 and macro-F1 over the labels in the truth', () => {
    expect(
      rankScores(
        [0, 1, 2, 2],
        [
          [0, 1, 2],
          [2, 1, 0],
          [2, 0, 1],
          [0, 1, 2],
        ],
        3,
      ),
    ).toEqual({
      top1: 0.5,
      top3: 1,
      // F1: class 0 = 2/3, class 1 = 0, class 2 = 1/2 → 0.3889
      macroF1: 0.3889,
    });
  });

  it('deals stratified folds: each label spread evenly over them', () => {
    const y = [...Array(30).fill(0), ...Array(9).fill(1)] as number[];
    const f = stratifiedFolds(y, 3);
    for (let k = 0; k < 3; k++) {
      expect(y.filter((l, i) => l === 0 && f[i] === k)).toHaveLength(10);
      expect(y.filter((l, i) => l === 1 && f[i] === k)).toHaveLength(3);
    }
  });

  it('tells a segmented text from a raw one', () => {
    expect(looksSegmented('小区 停水 两天 了')).toBe(true);
    expect(looksSegmented('小区停水两天了，请处理')).toBe(false);
    expect(looksSegmented('停水 ok')).toBe(false);
  });

  it('trains, saves and loads; suggests three units with calibrated scores, best first', () => {
    const t = trainDispatchModel(history(900), env, { folds: 3, version: 't1', trainedBy: 'test', source: 'test' });
    expect(Object.keys(t.scores)).toEqual(['samples', 'labels', 'folds', 'top1', 'top3', 'macroF1', 'seconds']);
    expect(t.scores).toMatchObject({ samples: 900, labels: 3, folds: 3 });
    expect(t.scores.top1).toBeGreaterThan(0.9);
    expect(t.scores.top3).toBe(1);
    expect(t.variants.length).toBeGreaterThan(1);
    expect(t.model).toMatchObject({
      version: 't1',
      trainedBy: 'test',
      source: 'test',
      variant: t.variants[0]!.variant,
    });
    const m = new DispatchModel(JSON.parse(JSON.stringify(t.model)), env);
    const s = m.suggest({ text: '我们小区停水了希望尽快处理' });
    expect(s).toHaveLength(3);
    expect(s[0]!.label).toBe('水务');
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s.reduce((a, x) => a + x.score, 0)).toBeCloseTo(1, 2);
    // Scored on a history it has not seen, it does as well as its cross-validation said.
    expect(scoreModel(m, history(300, 9)).top1).toBeGreaterThan(0.9);
  });

  it('reads a pre-segmented text as the same words and characters as a raw one', () => {
    const t = trainDispatchModel(history(600), env, {
      folds: 2,
      variant: 'chars1-3',
      version: 't2',
      trainedBy: 'test',
      source: 'test',
    });
    const m = new DispatchModel(t.model, env);
    expect(m.suggest({ text: '工资 社保 我们 合同' })).toEqual(m.suggest({ text: '工资社保我们合同' }));
  });

  it('keeps the baseline (TF-IDF + linear SVM) runnable by the same cross-validation', () => {
    const h = history(600);
    const { classes, y } = encodeLabels(h);
    const cv = crossValidate(
      baselineLearner(
        h.map((r) => baselineTokens(r, cut)),
        y,
        classes.length,
      ),
      y,
      3,
      3,
    );
    expect(cv.top1).toBeGreaterThan(0.85);
    expect(cv.samples).toBe(600);
  });
});
