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
  '杨先生 孩子 生孩子 生病 有人 打架 打人 打我 电话 他们 现在 正在 昨晚 每天 一旦 着火 没有 受伤 人员 流血 医院 门口 男子 抢走 手机 小偷 偷走 盗走 两名 香烟 店里 楼道 杂物 堆满 政策 互相 招生 邻居 纠纷 无 酒瓶 滋事 车位 几个月 挡住 车库 出口 请问 如何 报警 希望 领导 解决 小区 垃圾 清运 堆积 撬门 撬锁 民警 到场 带回 处理 秩序 恢复 天然气 漏气 管道 撞 刮蹭 逃逸 相撞 交通 事故 找谁 是不是 上周三 滋事 关于 求助 讨个说法 灶台 油烟 机上 饭馆 楼下 停在 等人 举报 前几天 放学 加强 管理 学校 社区 建议 防范 问题 不想活 想不开 药店 关门 真的 嘴唇 发紫 喘不上气 医保 报销 还有就是 另外 楼上 吵得 排解 心里 自己 女儿 路灯 坏了';
const segmenter = new DictionarySegmenter(WORDS.split(' ').map((w) => [w, 1000] as [string, number]));
const segment = (s: string) => segmenter.cut(s);

const lexicon: Lexicon = {
  dialect: [['遭人', '被人']],
  typos: [['打加', '打架']],
  negators: ['没有', '无', '不', '没', '不是'],
  past: ['昨晚', '昨天', '上个月', '上周三', '前几天', '过去', '曾'],
  present: ['现在', '正在', '还在', '刚刚'],
  today: ['今天'],
  hypothetical: ['担心', '一旦', '万一'],
  habitual: ['每天', '经常', '几个月'],
  completed: ['跑了', '逃逸'],
  consult: ['请问', '如何'],
  redress: ['找谁', '谁来赔', '要不要报警'],
  request: ['希望', '请'],
  outcome: ['民警到场后'],
  resolved: ['带回', '秩序恢复'],
  figurative: ['政策…打架', '打…电话', '偷偷', '油烟', '油烟机'],
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
    v2({
      code: 'D-THEFT',
      kind: 'danger',
      route: '110',
      terms: ['偷走', '盗走', '撬门', '撬锁', '被…偷'],
      harm: 'property',
    }),
    v2({ code: 'D-CRASH', kind: 'danger', route: '110', terms: ['相撞', '逃逸'], harm: 'public', calmIf: ['受伤'] }),
    v2({
      code: 'D-FIRE',
      kind: 'danger',
      route: '119',
      terms: ['着火', '烟很大'],
      harm: 'public',
      linked: ['110'],
      exclude: ['油烟'],
    }),
    v2({ code: 'D-GAS', kind: 'danger', route: '119', terms: ['漏气'], harm: 'public', linked: ['utility'] }),
    v2({ code: 'D-SELF', kind: 'danger', route: '110', terms: ['想不开', '不想活'], harm: 'person', linked: ['120'] }),
    v2({ code: 'D-ILL', kind: 'danger', route: '120', terms: ['嘴唇发紫', '喘不上气'], harm: 'person' }),
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

  it('"过去" after a verb is a motion or a faint, not the past; "曾" before 先生 or a mask is a surname', () => {
    expect(run('过去有人在门口打人')).toMatchObject({ route: '110', emergency: false });
    expect(run('他们冲过去打人')).toMatchObject({ route: '110', emergency: true });
    expect(run('曾有人在门口打人')).toMatchObject({ route: '110', emergency: false });
    expect(run('曾先生家门口有人打人')).toMatchObject({ route: '110', emergency: true });
    expect(run('曾XX家门口有人打人')).toMatchObject({ route: '110', emergency: true });
  });

  it('a negator reaches over a verb of smelling: "没闻到有漏气" denies the leak', () => {
    expect(run('厨房里没闻到有漏气')).toMatchObject({ emergency: false });
    expect(run('厨房里闻到有漏气')).toMatchObject({ route: '119', emergency: true });
  });

  it('a record that says the matter is resolved tells a past event', () => {
    expect(run('有人在店里滋事，民警到场后将其带回，秩序恢复')).toMatchObject({ route: '110', emergency: false });
  });

  it('a negator reaches over a verb of intention: "不是来滋事的" denies the event', () => {
    expect(run('我们不是来滋事的，只想讨个说法')).toMatchObject({ emergency: false });
    expect(run('他们是来滋事的')).toMatchObject({ route: '110', emergency: true });
  });

  it('an A-not-A question asks and does not deny: 是不是漏气 is a question, 有没有人受伤 clears nothing', () => {
    const asked = run('厨房里是不是漏气了');
    expect(asked.emergency).toBe(false);
    expect(asked.reasons.join('')).toContain('为咨询');
    expect(run('厨房里没有漏气')).toMatchObject({ emergency: false });
    // "有没有人受伤" is not "没有人受伤": the collision is not calmed by it.
    expect(run('两车相撞，有没有人受伤')).toMatchObject({ route: '110', emergency: true });
  });

  it('a figure inside a longer one is part of it: 油烟 in 油烟机 does not undo a fire told beside it', () => {
    expect(run('灶台着火了，火窜到抽油烟机上了')).toMatchObject({ route: '119', emergency: true });
    expect(run('楼下饭馆的油烟，烟很大')).toMatchObject({ emergency: false });
  });

  it('an A-not-A question asks in its own clause only', () => {
    expect(run('不知道是不是真的，有人在门口打架')).toMatchObject({ route: '110', emergency: true });
  });

  it('a composite whose event word lies inside a figure of speech is hidden ("被…偷" in "偷偷")', () => {
    expect(run('手机被他拿去了，他偷偷看我的照片').reasons.join('')).not.toContain('D-THEFT');
    expect(run('手机被人偷了').reasons.join('')).toContain('D-THEFT');
  });

  it('a question about redress afterwards tells the event as over, unless it is said to be going on', () => {
    const after = run('有人在门口打人，这个该谁来赔');
    expect(after).toMatchObject({ route: '110', emergency: false });
    expect(after.reasons.join('')).toContain('事后的责任或去向');
    expect(run('有人打我，鼻子流血了，谁来赔')).toMatchObject({ emergency: false });
    expect(run('有人正在打我，我要不要报警')).toMatchObject({ route: '110', emergency: true });
    // Asking only who handles it does not say it is over (round 7): someone beating people at the door
    // while the caller asks whom to call is a danger.
    expect(run('有人在门口打人，这个该找谁')).toMatchObject({ route: '110', emergency: true });
  });

  it('a title sums a letter up: its danger is one now only when the title or the body says now', () => {
    const body = '我儿子在学校读书，他说同学打他，班主任说会处理，一直没有改善，希望学校重视。';
    expect(
      run(body.replace('他说同学打他', '他说同学欺负他'), { title: '孩子在学校被同学打人', channel: 'web' }),
    ).toMatchObject({
      emergency: false,
    });
    expect(run(`${body}现在他又被堵在校门口`, { title: '孩子被人打人', channel: 'web' })).toMatchObject({
      route: '110',
      emergency: true,
    });
    expect(run(body, { title: '孩子正在被人打我', channel: 'web' })).toMatchObject({ emergency: true });
  });

  it('a heading line in the body ("关于…的求助") reads as a title', () => {
    const heading = '关于楼下有人滋事的求助\n我们楼下烧烤摊老是吵，老板态度差，希望城管管一下。';
    expect(run(heading)).toMatchObject({ emergency: false });
  });

  it('who an event is about may be named in the sentence before (a pronoun carries it on)', () => {
    expect(run('我的车停在楼下。有人挡住了').route).toBe('vehicle_moving');
    expect(run('我在楼下等人。有人挡住了').route).not.toBe('vehicle_moving');
  });

  it('a weekday of last week is the past', () => {
    expect(run('上周三有人在门口打人')).toMatchObject({ route: '110', emergency: false });
  });

  it('a long letter is judged by its title, its request and what it says is going on now', () => {
    const story = `${'我们小区的情况是这样的，前些年有人在门口打架，后来好了，'.repeat(8)}希望领导解决垃圾清运的问题。`;
    expect(story.length).toBeGreaterThan(200);
    expect(run(story, { channel: 'web' })).toMatchObject({ route: '12345', emergency: false, category: 'CSGL03' });
    expect(run(`${story}现在有人正在门口打架。`, { channel: 'web' })).toMatchObject({ route: '110', emergency: true });
  });
});

describe('step 4: a police matter that is over, asked about on a citizen line', () => {
  it('a caller asking where to take it is told to go to the police (guidance), not sent a car', () => {
    const o = run('前几天有人在门口打人，这个该找谁', { channel: '12345' });
    expect(o).toMatchObject({ route: 'guidance', emergency: false });
    expect(o.guidance).toContain('派出所');
    // On the 110 line the caller is already at the police.
    expect(run('前几天有人在门口打人，这个该找谁', { channel: '110' })).toMatchObject({ route: '110' });
    // A tip-off asks the police to act.
    expect(run('我要举报，前几天有人在门口打人，这个该找谁', { channel: '12345' })).toMatchObject({ route: '110' });
  });

  it('police words in a title that names a topic or a suggestion are its subject, not an event', () => {
    const body = '我们小区的孩子放学路上不太安全，希望学校和社区加强管理。';
    expect(run(body, { channel: 'web', title: '关于防范打人问题的建议' }).route).toBe('12345');
    expect(run(body, { channel: 'web', title: '小区门口有人打人' }).route).toBe('110');
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

describe('a request addressed to another body', () => {
  const story = '前几天有人撬锁偷走了快递，小区垃圾也没人清运';
  it('a citizen who asks a non-police body to act tells police words as back-story', () => {
    expect(run(`${story}，希望社区管理一下`, { channel: '12345' })).toMatchObject({ route: '12345', emergency: false });
    expect(run(`${story}，请物业来处理`, { channel: 'web' })).toMatchObject({ route: '12345' });
  });
  it('without that request, or with a request to the police, it stays police business', () => {
    expect(run(story, { channel: '12345' }).route).toBe('110');
    expect(run(`${story}，希望民警处理`, { channel: '12345' }).route).toBe('110');
    expect(run(`${story}，希望社区和派出所管理一下`, { channel: '12345' }).route).toBe('110');
  });
  it('with nothing of 12345 in the story, the request still decides; not in a police record, nor when it is the accused', () => {
    const police = '前几天有人撬锁偷走了快递';
    const asks = run(`${police}，希望社区管理一下`, { channel: '12345' });
    expect(asks).toMatchObject({ route: '12345', emergency: false });
    expect(asks.reasons.join('')).toContain('来电人请社区处理');
    expect(run(`${police}，民警已到场，希望社区管理一下`, { channel: '12345' }).route).toBe('110');
    expect(run(`${police}，要求追究物业的责任`, { channel: '12345' }).route).toBe('110');
    expect(run(`${police}，希望社区去查一下是谁`, { channel: '12345' }).route).toBe('110');
  });
  it('a body asked with 能不能让 is asked too', () => {
    expect(run('前几天有人撬锁偷走了快递，能不能让社区管一下', { channel: '12345' }).route).toBe('12345');
  });
  it('a caller who asks the police to investigate brings police business, whatever the story names', () => {
    const story = '小区垃圾一直没人清运，有人在群里发我家门口的照片';
    expect(run(story, { channel: 'web' }).route).toBe('12345');
    const asks = run(`${story}，请警方帮忙查一下这个人`, { channel: 'web' });
    expect(asks).toMatchObject({ route: '110', emergency: false });
    // asking the police to manage something is not asking them to investigate
    expect(run(`${story}，希望民警加强管理`, { channel: 'web' }).route).toBe('12345');
  });
  it('on the 110 line it is a record of an event, and a danger now is an emergency whoever is asked', () => {
    expect(run(`${story}，希望社区管理一下`, { channel: '110' }).route).toBe('110');
    expect(run('有人正在撬门，希望社区管理一下', { channel: '12345' })).toMatchObject({
      route: '110',
      emergency: true,
    });
  });
});

describe('who is now in danger is not the question or the complaint told before', () => {
  it.each([
    ["the caller's own intent after a question", '请问药店几点关门，我真的想不开了', '110'],
    ["a child's state after a question about something else", '想问一下医保如何报销，女儿嘴唇发紫喘不上气', '120'],
    ['a pronoun opens the clause', '请问，他说自己不想活了', '110'],
  ] as const)('%s is a danger now', (_l, text, route) => {
    expect(run(text, { channel: '12345' })).toMatchObject({ route, emergency: true });
  });
  it('the question itself, or a clause that names nobody, is still a question', () => {
    expect(run('请问想不开如何排解', { channel: '12345' }).emergency).toBe(false);
    expect(run('请问，想不开的人如何排解', { channel: '12345' }).emergency).toBe(false);
  });
  it("a new matter after a complaint does not take the complaint's habit", () => {
    expect(run('楼上每天吵得很。还有就是邻居家着火了')).toMatchObject({ route: '119', emergency: true });
    expect(run('楼上每天吵得很。另外路灯坏了，邻居家漏气')).toMatchObject({ route: '119', emergency: true });
    // Without the turn to a new matter the habit still carries: a nuisance, not an emergency.
    expect(run('楼上每天吵得很。邻居家着火').emergency).toBe(false);
  });
});
