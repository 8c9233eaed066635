import { describe, expect, it } from 'vitest';
import { createKnowledgeAnalyzer, replacer, type KnowledgeLexicon } from './analyze.ts';
import { createSpellingCorrector } from './spelling.ts';
import { answers, phrasingSimilarity, planQuery, scoreCandidate, type Vocabulary } from './query.ts';
import { escapeHtml, makeSnippet } from './snippet.ts';
import { bodyText, checkBody } from './html.ts';
import { appliesTo, checkArticle, inEffect, type ArticleContent } from './article.ts';

const lexicon: KnowledgeLexicon = {
  synonyms: [
    ['社保卡', '社会保障卡'],
    ['公积金', '住房公积金'],
  ],
  dialect: [['啷个', '怎么']],
  typos: [['社宝', '社保']],
  stopwords: ['的', '了', '怎么', '办'],
  words: [],
};
// A stub segmenter: each known word, else one character at a time.
const WORDS = ['社保卡', '社保', '公积金', '补办', '丢', '提取', '材料', '医保', '怎么'];
const segment = (s: string) => {
  const out: string[] = [];
  for (let i = 0; i < s.length;) {
    const w = WORDS.filter((x) => s.startsWith(x, i)).sort((a, b) => b.length - a.length)[0] ?? s[i]!;
    out.push(w);
    i += w.length;
  }
  return out;
};
const analyzer = createKnowledgeAnalyzer({ lexicon, segment });

describe('knowledge text analysis', () => {
  it('folds full width, dialect, typos and synonyms into one canonical text', () => {
    expect(analyzer.normalise('社会保障卡丢了啷个补办？ＡＢ')).toBe('社保卡丢了怎么补办?ab');
    expect(analyzer.normalise('社宝卡')).toBe('社保卡');
    expect(analyzer.normalise('住房公积金提取')).toBe('公积金提取');
  });
  it('keeps only word tokens, without punctuation or stop words', () => {
    expect(analyzer.tokens('社保卡，丢了！怎么补办？')).toEqual(['社保卡', '丢', '补办']);
  });
  it('replaces the longest match first', () => {
    expect(
      replacer([
        ['遭', '被'],
        ['遭人', '被人'],
      ])('遭人打了，遭了'),
    ).toBe('被人打了，被了');
  });
  it('highlights the words that mean the same as a canonical token', () => {
    expect(analyzer.surfaces('社保卡')).toEqual(['社保卡', '社会保障卡']);
  });
});

describe('homophone typos', () => {
  const vocab = new Map([
    ['社保', 30],
    ['公积金', 40],
    ['事业', 0],
  ]);
  const sound: Record<string, string> = { 社: 'she', 保: 'bao', 宝: 'bao', 公: 'gong', 积: 'ji', 基: 'ji', 金: 'jin' };
  const corrector = createSpellingCorrector(vocab, {
    pinyin: (s) => [...s].map((c) => sound[c] ?? c),
    cut: (s) => {
      const out: string[] = [];
      for (let i = 0; i < s.length;) {
        const w = ['基金', '社保', '公积金'].find((x) => s.startsWith(x, i)) ?? s[i]!;
        out.push(w);
        i += w.length;
      }
      return out;
    },
  });
  it('reads a span of lone characters that sounds like a known word as that word', () => {
    expect(corrector.correct('社宝卡').text).toBe('社保卡');
    expect(corrector.correct('公基金').corrections).toEqual([['公基金', '公积金']]);
  });
  it('leaves known words alone', () => {
    expect(corrector.correct('社保卡').corrections).toEqual([]);
  });
});

describe('ranking and the decision to answer', () => {
  const vocab: Vocabulary = {
    docs: 100,
    df: new Map([
      ['社保卡', 3],
      ['补办', 20],
      ['办理', 90],
    ]),
    dfLead: new Map([
      ['社保卡', 3],
      ['补办', 20],
      ['办理', 90],
    ]),
  };
  const w = (t: string) => ({ word: t, parts: [] });
  it('weighs a rare word more than a common one, and an unknown word against every article', () => {
    const plan = planQuery([w('办理'), w('社保卡'), w('股票')], vocab);
    expect(plan.terms.map((t) => t.term)).toEqual(['社保卡', '办理', '股票']);
    expect(plan.terms[0]!.weight).toBeGreaterThan(plan.terms[1]!.weight);
    expect(plan.match.map((t) => t.term)).toEqual(['社保卡', '办理']);
    expect(plan.totalWeight).toBeGreaterThan(plan.match.reduce((s, t) => s + t.weight, 0));
  });
  it('uses the known parts of a word the index does not have', () => {
    const plan = planQuery([{ word: '社保卡片', parts: ['社保卡', '卡片'] }], vocab);
    expect(plan.terms.map((t) => t.term)).toEqual(['社保卡']);
  });
  it('keeps the unknown parts of a split word against every article', () => {
    const plan = planQuery([{ word: '商标补办', parts: ['商标', '补办'] }], vocab);
    expect(plan.terms.map((t) => t.term)).toEqual(['补办', '商标']);
    expect(plan.match.map((t) => t.term)).toEqual(['补办']);
  });
  it('weighs an unknown noun more than an unknown pronoun or time word', () => {
    const plan = planQuery(
      [
        { word: '社保卡', parts: [], pos: 'n' },
        { word: '狗', parts: [], pos: 'n' },
        { word: '今天', parts: [], pos: 't' },
      ],
      vocab,
    );
    const weight = (term: string) => plan.terms.find((t) => t.term === term)!.weight;
    expect(weight('今天')).toBeLessThan(weight('狗'));
    expect(planQuery([w('今天')], vocab).terms[0]!.weight).toBeGreaterThan(weight('今天'));
  });
  it('answers when the article covers the question in its phrasings, not when it shares one common word', () => {
    const plan = planQuery([w('社保卡'), w('补办')], vocab);
    const good = scoreCandidate(
      plan,
      {
        rank: 5,
        matched: [true, true],
        matchedTitle: [true, true],
        matchedAnswer: [true, false],
        phrasings: [['社保卡', '补办']],
      },
      () => 1,
    );
    expect(answers(good)).toBe(true);
    const weak = planQuery([w('办理'), w('股票')], vocab);
    const bad = scoreCandidate(
      weak,
      { rank: 1, matched: [true], matchedTitle: [true], matchedAnswer: [false], phrasings: [['办理', '居住证']] },
      () => 3,
    );
    expect(answers(bad)).toBe(false);
    expect(good.score).toBeGreaterThan(bad.score);
  });
  it('measures the closest phrasing, not the union of all of them', () => {
    const plan = planQuery([w('社保卡'), w('补办')], vocab);
    const one = phrasingSimilarity(plan, [['社保卡', '补办']], () => 1);
    const spread = phrasingSimilarity(
      plan,
      [
        ['社保卡', '余额'],
        ['补办', '驾照'],
      ],
      () => 3,
    );
    expect(one).toBeCloseTo(1);
    expect(spread).toBeLessThan(0.6);
  });
});

describe('snippets', () => {
  it('marks the hits, escapes the rest, and shows the densest window', () => {
    const text = `${'前言'.repeat(60)}。社保卡丢了可到<窗口>补办，补办社保卡需要身份证。${'后记'.repeat(60)}`;
    const s = makeSnippet(
      text,
      [
        { surfaces: ['社保卡'], weight: 3 },
        { surfaces: ['补办'], weight: 1 },
      ],
      40,
    );
    expect(s).toContain('<mark>社保卡</mark>');
    expect(s).toContain('&lt;窗口&gt;');
    expect(s.startsWith('…')).toBe(true);
    expect(escapeHtml('<a href="x">')).toBe('&lt;a href=&quot;x&quot;&gt;');
  });
});

describe('article bodies (p, h3, ul, ol, li, strong)', () => {
  it.each([
    ['<p>正文</p>', true],
    ['<h3>条件</h3><ul><li><strong>年满</strong>十八周岁</li></ul>', true],
    ['<p onclick="x">正文</p>', false],
    ['<script>alert(1)</script>', false],
    ['<p>未闭合', false],
    ['<li>无列表</li>', false],
    ['<p>a < b</p>', false],
    ['<p>&amp; 已转义</p>', true],
    ['<!-- x --><p>注释</p>', false],
    ['<p></p>', false],
  ])('%s → %s', (html, valid) => {
    expect(checkBody(html).ok).toBe(valid);
  });
  it('gives the plain text with entities decoded', () => {
    expect(bodyText('<h3>一</h3><p>甲&amp;乙&#x4E19;&#99999999;</p>')).toBe('一\n甲&乙丙&#99999999;');
  });
});

describe('article content', () => {
  const a: ArticleContent = {
    title: '社会保障卡补办',
    topic: '社保',
    department: '市人力社保局',
    districts: ['*'],
    effectiveFrom: '2024-01-01',
    expiresAt: '2026-12-31',
    sourceRef: null,
    questions: ['社保卡丢了怎么办'],
    answer: '社保卡丢失后可在线上或窗口补办。',
    body: '<p>正文</p>',
  };
  it('is in effect from its first day to its last day, inclusive', () => {
    expect(inEffect(a, '2023-12-31')).toBe(false);
    expect(inEffect(a, '2024-01-01')).toBe(true);
    expect(inEffect(a, '2026-12-31')).toBe(true);
    expect(inEffect(a, '2027-01-01')).toBe(false);
  });
  it('applies everywhere or in its districts', () => {
    expect(appliesTo(a, '500103')).toBe(true);
    expect(appliesTo({ districts: ['500103'] }, '500105')).toBe(false);
    expect(appliesTo({ districts: ['500103'] }, null)).toBe(true);
  });
  it.each([
    [{ title: '短' }, 'title'],
    [{ topic: '天气' }, 'topic'],
    [{ districts: ['*', '500103'] }, 'districts'],
    [{ districts: ['5001'] }, 'districts'],
    [{ expiresAt: '2020-01-01' }, 'expiresAt'],
    [{ questions: [] }, 'questions'],
    [{ body: '<div>x</div>' }, 'body'],
  ])('refuses %o naming the field %s', (over, field) => {
    const r = checkArticle({ ...a, ...over } as ArticleContent);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.details?.field).toBe(field);
  });
});
