import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoKnowledge(t.db);
});
afterAll(async () => {
  await t?.close();
});

interface Item {
  articleId: string;
  title: string;
  snippet: string;
  score: number;
  version: number;
}
const search = async (q: string, district?: string, who: Parameters<TestApp['as']>[0] = 'callTaker') => {
  const res = await t.app.inject({
    method: 'GET',
    url: '/api/knowledge/search',
    query: { q, ...(district ? { district } : {}) },
    headers: t.as(who),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: Item[] }>().items;
};
const ids = (items: Item[]) => items.map((i) => i.articleId);

describe('knowledge search for a call-taker', () => {
  it('answers in the contract shape, ranked, with a highlighted snippet', async () => {
    const items = await search('社保卡丢了怎么补办');
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(5);
    expect(Object.keys(items[0]!).sort()).toEqual(['articleId', 'score', 'snippet', 'title', 'version']);
    expect(items[0]).toMatchObject({ articleId: 'kb-0051', version: 1 });
    expect(items[0]!.snippet).toMatch(/<mark>[^<]+<\/mark>/);
    const scores = items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it('finds the article whatever the words: synonyms, Chongqing dialect, typos', async () => {
    // 社会保障卡 = 社保卡, 啷个 = 怎么, 搞丢 = 丢失
    expect(ids(await search('社会保障卡搞丢了啷个办'))[0]).toBe('kb-0051');
    // 医疗保险 = 医保, 外地看病 = 异地就医
    expect(ids(await search('医疗保险在外地看病怎么报销'))[0]).toBe('kb-0022');
    // 公基金 (a typo) = 公积金, 好多钱 = 多少钱
    expect(ids(await search('公基金贷款最多能贷好多钱'))[0]).toBe('kb-0065');
    // a homophone typo no list holds: 居主证 → 居住证 is in the list, 居注证 is found by its sound
    expect(ids(await search('居注证要准备什么材料'))[0]).toBe('kb-0077');
  });

  it('answers alike on the embedded C-locale cluster and on C.UTF-8: full-width punctuation never joins words', async () => {
    const a = await search('社保卡，丢了，怎么补办？');
    const b = await search('社保卡 丢了 怎么补办');
    expect(ids(a)).toEqual(ids(b));
    const c = await search('ｓｈｅｂａｏ 社保卡（丢了）补办！！');
    expect(ids(c)[0]).toBe('kb-0051');
  });

  it('never answers with an expired article', async () => {
    // kb-0021 (居民医保缴费标准, 2025年度版) expired on 2025-12-31; kb-0020 is in force.
    const items = await search('2025年度城乡居民医保缴费标准交多少钱');
    expect(ids(items)).not.toContain('kb-0021');
  });

  it('filters by the caller’s district: a district’s own article only there, city-wide ones everywhere', async () => {
    // kb-0035 渝中区医保经办服务窗口地址 applies in 渝中区 (500103) only.
    expect(ids(await search('医保经办窗口在哪里', '500103'))).toContain('kb-0035');
    expect(ids(await search('医保经办窗口在哪里', '500105'))).not.toContain('kb-0035');
    expect(ids(await search('社保卡丢了怎么补办', '500105'))[0]).toBe('kb-0051');
  });

  it('gives an empty list when nothing fits', async () => {
    expect(await search('喵喵喵')).toEqual([]);
    expect(await search('！？。')).toEqual([]);
  });

  it('refuses bad input with a clear error and no log-in with 401', async () => {
    const noQ = await t.app.inject({ method: 'GET', url: '/api/knowledge/search', headers: t.as('callTaker') });
    expect(noQ.statusCode).toBe(400);
    expect(noQ.json().code).toBe('VALIDATION_FAILED');
    const badDistrict = await t.app.inject({
      method: 'GET',
      url: '/api/knowledge/search',
      query: { q: '社保卡', district: '5001' },
      headers: t.as('callTaker'),
    });
    expect(badDistrict.statusCode).toBe(400);
    const unknownDistrict = await t.app.inject({
      method: 'GET',
      url: '/api/knowledge/search',
      query: { q: '社保卡', district: '110101' },
      headers: t.as('callTaker'),
    });
    expect(unknownDistrict.statusCode).toBe(422);
    expect(unknownDistrict.json()).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'district' } });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/knowledge/search', query: { q: '社保卡' } });
    expect(anonymous.statusCode).toBe(401);
  });

  it('suggests to the intake screen the spoken answer, its source and whether it answers the call', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/knowledge/suggest',
      query: { q: '打12345能办哪些事' },
      headers: t.as('callTaker'),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.answerable).toBe(true);
    expect(body.items[0]).toMatchObject({ articleId: 'kb-0001', version: 1 });
    expect(body.items[0].answer).toContain('12345');
    expect(body.items[0].source).toMatchObject({ docNo: '渝府办发〔2022〕130号' });
    const unknown = await t.app.inject({
      method: 'GET',
      url: '/api/knowledge/suggest',
      query: { q: '明天重庆天气怎么样' },
      headers: t.as('callTaker'),
    });
    expect(unknown.json().answerable).toBe(false);
  });
});
