import { describe, expect, it } from 'vitest';
import { DictionarySegmenter } from '../learn/segment.ts';
import { TriageModel, trainTriageModel, type TrainingSample } from './model.ts';
import { Reader } from './reading.ts';
import type { Lexicon, Route } from './types.ts';

const lexicon: Lexicon = { dialect: [], typos: [], negators: [], past: [], present: [], words: [] };
const seg = new DictionarySegmenter(
  '打架 受伤 流血 邻居 纠纷 借钱 不还 垃圾 清运 路灯 不亮 小区 门口 楼下 昨天 今天'
    .split(' ')
    .map((w) => [w, 100] as [string, number]),
);
const reader = new Reader(lexicon, (s) => seg.cut(s));
const TEMPLATES: [string, Route, boolean][] = [
  ['{p}有人打架，有人受伤流血', '110', true],
  ['{p}和邻居有纠纷，借钱不还', 'governance_center', false],
  ['{p}垃圾没人清运', '12345', false],
  ['{p}路灯不亮好几天了', '12345', false],
];
const PLACES = ['小区门口', '楼下', '菜市场', '学校旁边', '公园里', '车站', '路口', '广场上', '江边', '商场'];
const samples: TrainingSample[] = TEMPLATES.flatMap(([t, route, emergency], k) =>
  PLACES.flatMap((p, i) =>
    ['', '昨天', '今天'].map((when, j) => ({
      reading: reader.read(t.replace('{p}', when + p), null),
      routes: [route],
      emergency,
      group: `${k}-${i}-${j}`,
    })),
  ),
);

describe('the triage model', () => {
  const report = trainTriageModel(samples, 'test-1', { epochs: 10 });
  const model = new TriageModel(report.model);
  it('learns routes and danger, with held-out accuracy and calibration reported', () => {
    expect(report.heldOut.route.documents).toBeGreaterThan(0);
    expect(report.heldOut.route.accuracy).toBeGreaterThan(0.9);
    expect(report.heldOut.route.ece).toBeGreaterThanOrEqual(0);
    const p = model.predict(reader.read('体育馆门口有人打架，有人流血', null));
    expect(p.route).toBe('110');
    expect(p.emergencyP).toBeGreaterThan(0.5);
    expect(p.inDistribution).toBe(true);
  });
  it('knows a text it has never seen the like of is out of its distribution', () => {
    const p = model.predict(reader.read('量子计算机的退相干时间', null));
    expect(p.coverage).toBeLessThan(report.model.minCoverage);
    expect(p.inDistribution).toBe(false);
  });
  it('saves to JSON and loads back with the same answers', () => {
    const again = new TriageModel(JSON.parse(JSON.stringify(report.model)));
    const r = reader.read('楼下垃圾没人清运', null);
    expect(again.predict(r).route).toBe(model.predict(r).route);
    expect(() => new TriageModel({ ...report.model, format: 'other' as never })).toThrow();
  });
});
