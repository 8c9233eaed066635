/**
 * The engine's decision steps on a small catalogue and lexicon written here, with a stub segmenter (a
 * dictionary of a few dozen words): what the steps decide does not depend on the shipped data.
 */
import { describe, expect, it } from 'vitest';
import { DictionarySegmenter } from '../learn/segment.ts';
import { riskyPattern } from './catalogue.ts';
import { TriageEngine } from './engine.ts';
import type { Catalogue, CatalogueEntryV1, CatalogueEntryV2, Lexicon, TriageOutcome } from './types.ts';

const WORDS =
  '杨先生 孩子 生孩子 生病 有人 打架 打人 打我 电话 他们 现在 正在 昨晚 每天 一旦 着火 没有 受伤 人员 流血 医院 门口 男子 抢走 手机 小偷 偷走 盗走 两名 香烟 店里 楼道 杂物 堆满 政策 互相 招生 邻居 纠纷 无 酒瓶 滋事 车位 几个月 挡住 车库 出口 请问 如何 报警 希望 领导 解决 小区 垃圾 清运 堆积 撬门 撬锁 民警 到场 带回 处理 秩序 恢复 天然气 漏气 管道 撞 刮蹭 逃逸 相撞 交通 事故';
const segmenter = new DictionarySegmenter(WORDS.split(' ').map((w) => [w, 1000] as [string, number]));
const segment = (s: string) => segmenter.cut(s);

const lexicon: Lexicon = {
  dialect: [['遭人', '被人']],
  typos: [['打加', '打架']],
  negators: ['没有', '无', '不', '没'],
  past: ['昨晚', '昨天', '上个月'],
  present: ['现在', '正在', '还在', '刚刚'],
  today: ['今天'],
  hypothetical: ['担心', '一旦', '万一'],
  habitual: ['每天', '经常', '几个月'],
  completed: ['跑了', '逃逸'],
  consult: ['请问', '如何'],
  request: ['希望', '请'],
  outcome: ['民警到场后'],
  resolved: ['带回', '秩序恢复'],
  figurative: ['政策…打架', '打…电话'],
  intake: ['来电人称', '市民来电反映'],
  policeHeaders: ['我队工作发现'],
  surnames: '杨王张李',
  words: [],
};

const v2 = (
  e: Partial<CatalogueEntryV2> & Pick<CatalogueEntryV2, 'code' | 'kind' | 'route' | 'terms'>,
): CatalogueEntryV2 => ({
  name: e.code,
  category: 'C',
  ...e,
});
const catalogue: Catalogue = {
  version: 7,
  effectiveFrom: '2026-12-01',
  source: 'test',
  entries: [
    v2({
      code: 'D-FIGHT',
      kind: 'danger',
      route: '110',
      terms: ['打架', '打人', '打我', '滋事'],
      harm: 'person',
      linkedIf: [[['流血', '受伤'], '120']],
    }),
    v2({ code: 'D-ROB', kind: 'danger', route: '110', terms: ['抢走'], harm: 'person' }),
    v2({ code: 'D-THEFT', kind: 'danger', route: '110', terms: ['偷走', '盗走', '撬门', '撬锁'], harm: 'property' }),
    v2({ code: 'D-CRASH', kind: 'danger', route: '110', terms: ['相撞', '逃逸'], harm: 'public', calmIf: ['受伤'] }),
    v2({ code: 'D-FIRE', kind: 'danger', route: '119', terms: ['着火'], harm: 'public', linked: ['110'] }),
    v2({ code: 'D-GAS', kind: 'danger', route: '119', terms: ['漏气'], harm: 'public', linked: ['utility'] }),
    v2({ code: 'P-MINOR', kind: 'police', route: '110', terms: ['刮蹭'] }),
    v2({ code: 'U-BIRTH', kind: 'urgent', route: '12345', terms: ['生孩子'], urgentKind: 'pregnancy_childbirth' }),
    v2({
      code: 'G-DISPUTE',
      kind: 'diversion',
      route: 'governance_center',
      terms: ['纠纷'],
      channelRoute: { '12345': '12345' },
    }),
    v2({
      code: 'V-CAR',
      kind: 'diversion',
      route: 'vehicle_moving',
      terms: ['挡住'],
      nowOnly: true,
      context: ['车', '车库'],
    }),
    v2({ code: 'H-MEDICAL', kind: 'hotline', route: '12345', category: 'YLWS01', terms: ['看病难'], cues: ['医院'] }),
    v2({ code: 'H-PARKING', kind: 'hotline', route: '12345', category: 'ZFJS01', terms: ['车位…占'], cues: ['车位'] }),
    v2({ code: 'H-HAZARD', kind: 'hotline', route: '12345', category: 'CSGL06', terms: ['堆满', '一旦…着火'] }),
    v2({ code: 'H-POLICY', kind: 'hotline', route: '12345', category: 'ZWFW02', terms: ['政策'] }),
    v2({
      code: 'H-SANITATION',
      kind: 'hotline',
      route: '12345',
      category: 'CSGL03',
      terms: ['垃圾…清运', '堆积'],
      cues: ['垃圾'],
    }),
  ],
};
const engine = new TriageEngine({ catalogue, lexicon, segment });
const run = (
  text: string,
  opts: { channel?: string; title?: string; desk?: 'hotline' | 'dispatch' } = {},
): TriageOutcome => {
  const r = engine.triage({ id: 'x', text, channel: opts.channel, title: opts.title }, { desk: opts.desk });
  if (!r.ok) throw new Error(r.code);
  return r.value;
};

describe('step 3: a danger now, and only now', () => {
  it.each([
    ['happening now → 110, emergency, 120 linked for the injury', '有人在门口打架，有人流血了', '110', true, ['120']],
    ['told in the past → police business, not an emergency', '昨晚有人在门口打人', '110', false, []],
    ['habitual → not an emergency', '每天都有人在楼道打架', '110', false, []],
    ['a worry → not an emergency (a hazard for 12345)', '楼道堆满杂物，一旦着火跑不出去', '12345', false, []],
    ['negated → no emergency', '没有人打架', '12345', false, []],
    ['a question → not an emergency', '请问有人打我如何报警', '110', false, []],
    ['fire → 119 with 110 linked', '店里着火了', '119', true, ['110']],
  ] as const)('%s', (_l, text, route, emergency, linked) => {
    const o = run(text);
    expect(o.route).toBe(route);
    expect(o.emergency).toBe(emergency);
    expect(o.linked).toEqual(linked);
    expect(o.catalogueVersion).toBe(7);
  });

  it('a property-only event that is over is police business, not an emergency; one going on is', () => {
    expect(run('店里两名男子盗走香烟')).toMatchObject({ route: '110', emergency: false });
    expect(run('有人正在撬门')).toMatchObject({ route: '110', emergency: true });
  });

  it('a collision nobody was hurt in is not an emergency; someone hurt keeps it one even when the driver fled', () => {
    expect(run('两车相撞，没有人员受伤')).toMatchObject({ route: '110', emergency: false });
    expect(run('两车相撞，有人受伤')).toMatchObject({ route: '110', emergency: true });
    expect(run('撞了我就逃逸了，我在流血')).toMatchObject({ emergency: true });
  });

  it('a record that says the matter is resolved tells a past event', () => {
    expect(run('有人在店里滋事，民警到场后将其带回，秩序恢复')).toMatchObject({ route: '110', emergency: false });
  });

  it('a long letter is judged by its title, its request and what it says is going on now', () => {
    const story = `${'我们小区的情况是这样的，前些年有人在门口打架，后来好了，'.repeat(8)}希望领导解决垃圾清运的问题。`;
    expect(story.length).toBeGreaterThan(200);
    expect(run(story, { channel: 'web' })).toMatchObject({ route: '12345', emergency: false, category: 'CSGL03' });
    expect(run(`${story}现在有人正在门口打架。`, { channel: 'web' })).toMatchObject({ route: '110', emergency: true });
  });
});

describe('reading: words, clauses, figures of speech, intake boilerplate', () => {
  it('a pattern matches whole words: 杨先生孩子 is not 生孩子', () => {
    expect(run('杨先生孩子生病了').urgent).toBe(false);
    expect(run('老婆要生孩子了').urgent).toBe(true);
  });
  it('figures of speech are masked: 政策互相打架, 打我电话', () => {
    expect(run('招生政策互相打架，希望领导回复')).toMatchObject({ route: '12345', emergency: false });
    expect(run('他一直打我电话')).toMatchObject({ emergency: false });
  });
  it('intake boilerplate and masked names are not read as content', () => {
    expect(engine.normaliseText('来电人称杨先生家里漏水')).toBe('某人家里漏水');
    expect(engine.normaliseText('市民来电反映：张某称其手机138****1234丢了')).toBe('某人称其手机丢了');
  });
  it('dialect and typos are normalised before reading', () => {
    expect(run('遭人打加了，在流血')).toMatchObject({ route: '110', emergency: true });
  });
});

describe('step 4: what happened outranks where', () => {
  it('an event beats a place: a robbery at a hospital is police business', () => {
    expect(run('在医院门口，一名男子抢走了我的手机')).toMatchObject({ route: '110' });
    expect(run('医院看病难')).toMatchObject({ route: '12345', category: 'YLWS01' });
  });
  it('a diversion applies by channel; a dispute turned violent is police business', () => {
    expect(run('和邻居有纠纷', { channel: '110' })).toMatchObject({ route: 'governance_center' });
    expect(run('和邻居有纠纷', { channel: '12345' })).toMatchObject({ route: '12345' });
    expect(run('和邻居有纠纷，现在他拿着酒瓶滋事', { channel: '110' })).toMatchObject({
      route: '110',
      emergency: true,
    });
    expect(run('双方无纠纷', { channel: '110' }).route).not.toBe('governance_center');
  });
  it('a situation now, not for months: a car blocking the garage, not a parking space taken', () => {
    expect(run('有辆车挡住了车库出口')).toMatchObject({ route: 'vehicle_moving' });
    expect(run('我的车位被占了几个月')).toMatchObject({ route: '12345', category: 'ZFJS01' });
  });
  it('the best-scoring entry wins and its evidence is in the reasons, citing the catalogue version', () => {
    const o = run('店里两名男子盗走香烟');
    expect(o.reasons.join('\n')).toContain('D-THEFT·清单第7版');
    expect(o.reasons.join('\n')).toContain('“盗走”');
  });
});

describe('steps 8 and 9: review and the desk', () => {
  it('with no rule and no model, 12345 takes it and a person must review', () => {
    expect(run('一段与任何条目都无关的话')).toMatchObject({ route: '12345', review: true, confidence: 0.3 });
    expect(run('有人在门口打架').review).toBe(false);
  });
  it('a dispatcher is told to dispatch or divert, a call-taker where to transfer', () => {
    const hotline = run('有人在门口打架');
    const dispatch = run('有人在门口打架', { desk: 'dispatch' });
    expect(hotline.reasons.at(-1)).toContain('应立即转110');
    expect(dispatch.reasons.at(-1)).toContain('派警');
    expect(dispatch.reasons.join('')).not.toContain('转110');
    expect(run('和邻居有纠纷', { channel: '110', desk: 'dispatch' }).reasons.at(-1)).toContain('分流');
  });
});

describe('errors are a Result, with the id', () => {
  it.each([
    ['empty', '', 'TEXT_EMPTY'],
    ['only punctuation', '？？！！。。', 'TEXT_NO_CONTENT'],
    ['100 KB', '打'.repeat(100_000), 'TEXT_TOO_LONG'],
    ['not a string', 42, 'TEXT_MISSING'],
  ] as const)('%s', (_l, text, code) => {
    expect(engine.triage({ id: 'bad-1', text })).toMatchObject({
      ok: false,
      code,
      id: 'bad-1',
      message: expect.any(String),
    });
  });
});

describe('the catalogue', () => {
  it('format 1 (regular expressions) still loads and matches within a clause, on word boundaries', () => {
    const v1: CatalogueEntryV1 = {
      code: 'D-V1',
      name: '旧版条目',
      kind: 'danger',
      route: '110',
      category: 'public_order',
      patterns: ['打架|打人'],
      negatable: true,
      pastSensitive: true,
    };
    const old = new TriageEngine({ catalogue: { ...catalogue, version: 1, entries: [v1] }, lexicon, segment });
    const now = old.triage({ text: '有人在门口打架' });
    expect(now.ok && now.value).toMatchObject({ route: '110', emergency: true, catalogueVersion: 1 });
    const past = old.triage({ text: '昨晚有人打架' });
    expect(past.ok && past.value).toMatchObject({ route: '110', emergency: false });
  });

  it.each([
    ['nested repetition', '(打+)+'],
    ['repeated alternation', '(打|打人)*'],
    ['a back-reference', '(打)\\1'],
  ])('refuses a pattern that could backtrack catastrophically: %s', (_l, p) => {
    expect(riskyPattern(p)).not.toBeNull();
    expect(
      () =>
        new TriageEngine({
          catalogue: {
            ...catalogue,
            entries: [{ code: 'X-1', name: 'x', kind: 'hotline', route: '12345', category: 'Q', patterns: [p] }],
          },
          lexicon,
          segment,
        }),
    ).toThrow(/回溯|反向引用/);
  });
  it('accepts ordinary patterns', () => {
    for (const p of ['打架|打人', '(孩子|小孩).{0,6}锁在车', '电梯.*(卡|停)', '[一二三]号'])
      expect(riskyPattern(p)).toBeNull();
  });

  it.each([
    ['an unknown route', { route: 'mars' }],
    ['an unknown kind', { kind: 'odd' }],
    ['a term of three parts', { terms: ['一…二…三'] }],
    ['no terms', { terms: [] }],
    ['a weight out of range', { weight: 9 }],
  ])('refuses an entry with %s', (_l, change) => {
    const bad = { ...catalogue.entries[0]!, ...change } as CatalogueEntryV2;
    expect(() => new TriageEngine({ catalogue: { ...catalogue, entries: [bad] }, lexicon, segment })).toThrow();
  });
});
