import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
  await seedDemoKnowledge(t.db);
  // A second reviewer (the author of a version does not review it) and a 市人力社保局 handler.
  const hash = (await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'sv1'"))
    .rows[0]!.password_hash;
  await t.db.query(
    `INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code) VALUES
     ('sv2', '测试sv2', $1, 'supervisor', NULL, NULL), ('hr1', '测试hr1', $1, 'department_handler', 'city.hr', NULL)`,
    [hash],
  );
  for (const u of ['sv2', 'hr1']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: 'test-password-1' },
    });
    tokens[u] = res.json<{ token: string }>().token;
  }
});
afterAll(async () => {
  await t?.close();
});

const tokens: Record<string, string> = {};
const as = (who: string) => ({ authorization: `Bearer ${tokens[who] ?? t.tokens[who as keyof TestApp['tokens']]}` });
const post = (who: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: as(who), payload });
const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: as(who) });
const search = async (q: string) =>
  (await t.app.inject({ method: 'GET', url: '/api/knowledge/search', query: { q }, headers: as('callTaker') })).json<{
    items: { articleId: string; version: number }[];
  }>().items;

const article = (over: Record<string, unknown> = {}) => ({
  title: '犬只登记和养犬证办理',
  topic: '城市管理',
  department: '市城市管理局',
  districts: ['*'],
  effectiveFrom: '2024-01-01',
  expiresAt: null,
  sourceRef: null,
  questions: ['养狗要办狗证吗', '犬证在哪里办理'],
  answer: '在城区饲养犬只须办理养犬登记，可在“渝快办”线上申请或到所在街道办理，登记费用〔示例：每年若干元〕。',
  body: '<h3>办理条件</h3><p>饲养人须年满十八周岁，犬只须接种狂犬病疫苗。</p><ul><li>身份证</li><li>免疫证明</li></ul>',
  changeNote: '新增养犬登记口径',
  ...over,
});

describe('the review flow: draft → reviewed → published → withdrawn', () => {
  let id: string;

  it('an editor writes a draft; it does not answer until it is published', async () => {
    const res = await post('supervisor', '/api/knowledge/articles', article());
    expect(res.statusCode, res.body).toBe(201);
    id = res.json().id;
    expect(res.json().version).toBe(1);
    expect((await search('养狗办狗证')).map((i) => i.articleId)).not.toContain(id);
  });

  it('the author cannot review their own version; another reviewer can, and then it is published', async () => {
    const self = await post('supervisor', `/api/knowledge/articles/${id}/versions/1/review`);
    expect(self.statusCode).toBe(409);
    expect(self.json().code).toBe('KNOWLEDGE_SELF_REVIEW');
    const early = await post('sv2', `/api/knowledge/articles/${id}/versions/1/publish`);
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('KNOWLEDGE_TRANSITION_NOT_ALLOWED');
    expect((await post('sv2', `/api/knowledge/articles/${id}/versions/1/review`)).json().status).toBe('reviewed');
    expect((await post('sv2', `/api/knowledge/articles/${id}/versions/1/publish`)).json().status).toBe('published');
    const hits = await search('养狗要不要办狗证');
    expect(hits[0]).toMatchObject({ articleId: id, version: 1 });
  });

  it('a change is a new version; the published one answers until the new one is published, then it is superseded', async () => {
    const stale = await post('supervisor', `/api/knowledge/articles/${id}/versions`, { ...article(), basedOn: 0 });
    expect(stale.statusCode).toBe(400);
    const v2 = await post('supervisor', `/api/knowledge/articles/${id}/versions`, {
      ...article({
        answer: '养犬须登记：线上在“渝快办”申请，线下到所在街道办理，登记费〔示例：若干元〕，每年年检一次。',
      }),
      changeNote: '补充年检要求',
      basedOn: 1,
    });
    expect(v2.statusCode, v2.body).toBe(201);
    expect(v2.json().version).toBe(2);
    expect((await search('养狗要不要办狗证'))[0]).toMatchObject({ articleId: id, version: 1 });
    await post('sv2', `/api/knowledge/articles/${id}/versions/2/review`);
    await post('sv2', `/api/knowledge/articles/${id}/versions/2/publish`);
    expect((await search('养狗要不要办狗证'))[0]).toMatchObject({ articleId: id, version: 2 });
    const detail = (await get('callTaker', `/api/knowledge/articles/${id}`)).json();
    expect(detail.publishedVersion).toBe(2);
    expect(detail.versions.map((v: { version: number; status: string }) => [v.version, v.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    // who changed what, when and why
    expect(detail.versions[0]).toMatchObject({ changeNote: '补充年检要求', createdBy: '测试sv1', basedOn: 1 });
    expect(detail.history.map((h: { version: number; action: string }) => `${h.version}:${h.action}`)).toEqual([
      '1:create',
      '1:review',
      '1:publish',
      '2:create',
      '2:review',
      '1:supersede',
      '2:publish',
    ]);
  });

  it('a change based on an old version is refused and changes nothing', async () => {
    const res = await post('supervisor', `/api/knowledge/articles/${id}/versions`, { ...article(), basedOn: 1 });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'KNOWLEDGE_STALE_BASE', details: { latest: 2 } });
    const n = await t.db.query('SELECT count(*)::int AS n FROM knowledge_versions WHERE article_id = $1', [id]);
    expect(n.rows[0].n).toBe(2);
  });

  it('withdrawing needs a reason, and a withdrawn article never answers', async () => {
    const noReason = await post('sv2', `/api/knowledge/articles/${id}/versions/2/withdraw`);
    expect(noReason.statusCode).toBe(400);
    const ok = await post('sv2', `/api/knowledge/articles/${id}/versions/2/withdraw`, { note: '政策已调整' });
    expect(ok.json().status).toBe('withdrawn');
    expect((await search('养狗要不要办狗证')).map((i) => i.articleId)).not.toContain(id);
  });

  it('an article not yet in effect does not answer before its date', async () => {
    const res = await post('supervisor', '/api/knowledge/articles', {
      ...article({ title: '养犬登记新规（2099年起施行）', effectiveFrom: '2099-01-01' }),
    });
    const future = res.json().id;
    await post('sv2', `/api/knowledge/articles/${future}/versions/1/review`);
    await post('sv2', `/api/knowledge/articles/${future}/versions/1/publish`);
    expect((await search('养犬登记新规')).map((i) => i.articleId)).not.toContain(future);
  });
});

describe('the owning department proposes changes', () => {
  it('市人力社保局 proposes a change to a 社保 article; it waits for the centre’s review', async () => {
    const before = (await get('hr1', '/api/knowledge/articles/kb-0051')).json();
    expect(before.mayChange).toBe(true);
    const v = before.versions[0];
    const res = await post('hr1', '/api/knowledge/articles/kb-0051/versions', {
      title: v.title,
      topic: v.topic,
      department: v.department,
      districts: v.districts,
      effectiveFrom: v.effectiveFrom,
      expiresAt: v.expiresAt,
      sourceRef: v.sourceRef,
      questions: [...v.questions, '社保卡消磁了怎么办'],
      answer: v.answer,
      body: v.body,
      changeNote: '增加常见问法：社保卡消磁',
      basedOn: 1,
    });
    expect(res.statusCode, res.body).toBe(201);
    const publish = await post('hr1', '/api/knowledge/articles/kb-0051/versions/2/publish');
    expect(publish.statusCode).toBe(403);
    expect((await post('sv2', '/api/knowledge/articles/kb-0051/versions/2/review')).json().status).toBe('reviewed');
  });

  it('a department cannot change another department’s article', async () => {
    const res = await post('hr1', '/api/knowledge/articles/kb-0065/versions', { ...article(), basedOn: 1 });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('OUT_OF_SCOPE');
  });

  it('a call-taker reads but does not write', async () => {
    expect((await get('callTaker', '/api/knowledge/articles?topic=社保')).json().total).toBeGreaterThan(10);
    const res = await post('callTaker', '/api/knowledge/articles', article());
    expect(res.statusCode).toBe(403);
  });

  it('bad content is refused with the field named, and nothing is written', async () => {
    const count = async () => (await t.db.query('SELECT count(*)::int AS n FROM knowledge_versions')).rows[0].n;
    const before = await count();
    const script = await post('supervisor', '/api/knowledge/articles', article({ body: '<p onclick="x()">hi</p>' }));
    expect(script.statusCode).toBe(422);
    expect(script.json()).toMatchObject({ code: 'KNOWLEDGE_BODY_INVALID', details: { field: 'body' } });
    const tag = await post('supervisor', '/api/knowledge/articles', article({ body: '<script>alert(1)</script>' }));
    expect(tag.json().code).toBe('KNOWLEDGE_BODY_INVALID');
    const source = await post('supervisor', '/api/knowledge/articles', article({ sourceRef: 'P999' }));
    expect(source.statusCode).toBe(422);
    expect(source.json()).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'sourceRef' } });
    const dates = await post('supervisor', '/api/knowledge/articles', article({ expiresAt: '2023-01-01' }));
    expect(dates.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'expiresAt' } });
    const district = await post('supervisor', '/api/knowledge/articles', article({ districts: ['110101'] }));
    expect(district.json()).toMatchObject({ code: 'REFERENCE_NOT_FOUND', details: { field: 'districts' } });
    expect(await count()).toBe(before);
  });

  it('the demonstration articles say they are demonstrations, and cite only listed documents', async () => {
    const list = (await get('callTaker', '/api/knowledge/articles?pageSize=100&status=published')).json();
    expect(list.items.filter((a: { demo: boolean }) => a.demo).length).toBeGreaterThan(90);
    const demo = await t.db.query<{ n: number; cited: number }>(
      `SELECT count(*) FILTER (WHERE demo)::int AS n,
         (SELECT count(*)::int FROM knowledge_versions v WHERE v.source_ref IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM knowledge_sources s WHERE s.ref = v.source_ref)) AS cited
       FROM knowledge_articles`,
    );
    expect(demo.rows[0]!.n).toBeGreaterThanOrEqual(300);
    expect(demo.rows[0]!.cited).toBe(0);
    const sources = (await get('callTaker', '/api/knowledge/sources')).json();
    expect(sources.length).toBeGreaterThan(10);
    for (const s of sources)
      expect(s).toMatchObject({ name: expect.any(String), docNo: expect.any(String), readAt: expect.any(String) });
  });
});
