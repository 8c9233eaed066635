/**
 * Keeping the knowledge base current (issue 15 item 7): the weekly high-frequency consultation list links
 * each cluster to the article that answered it or to none; a cluster with none becomes a draft-article
 * task (待补知识) for the owning department, with a deadline, visible to the supervisors; the department
 * drafts the article from the task and publishing it closes the task.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkingCalendar } from '@liandong/domain';
import { createTestApp, type TestApp } from '../helpers.ts';
import { docxText, workOrder } from '../reports/fixtures.ts';
import { lastWeek } from '../../src/knowledge/tasks.service.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
const as = (who: string) => ({ authorization: `Bearer ${tokens[who] ?? t.tokens[who as keyof TestApp['tokens']]}` });
const post = (who: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: as(who), payload });
const get = (who: string, url: string) => t.app.inject({ method: 'GET', url, headers: as(who) });

const article = (over: Record<string, unknown> = {}) => ({
  title: '住房公积金提取条件和办理方式',
  topic: '公积金',
  department: '市住房公积金管理中心',
  districts: ['*'],
  effectiveFrom: '2024-01-01',
  expiresAt: null,
  sourceRef: null,
  questions: ['公积金提取需要什么条件', '公积金怎么提取', '公积金提取多久到账'],
  answer: '购房、租房、退休等情形可申请提取住房公积金，可在“渝快办”线上申请，材料齐全的〔示例：3个工作日〕内到账。',
  body: '<p>提取住房公积金须符合规定情形。</p>',
  changeNote: '新增公积金提取口径',
  ...over,
});

type Task = {
  id: string;
  period: string;
  label: string;
  count: number;
  examples: string[];
  owner: { id: string; name: string } | null;
  ownerName: string;
  dueAt: string;
  overdue: boolean;
  status: string;
  statusLabel: string;
  article: { id: string; title: string | null } | null;
  note: string | null;
};
type Faq = {
  linked: boolean;
  answered: number;
  clusters: {
    label: string;
    terms: string[];
    count: number;
    answer: { articleId: string; via: string; uses: number } | null;
    task: { id: string; status: string; owner: string } | null;
  }[];
};

const faq = async (period: string) => {
  const r = await get('supervisor', `/api/reports/weekly-faq?period=${period}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<Faq>();
};
const tasks = async (who: string, query = '') => {
  const r = await get(who, `/api/knowledge/tasks${query}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<{ items: Task[] }>().items;
};
const count = async (table: string) =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

let fundArticle: string;
let usedOrders: string[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoKnowledge(t.db);
  const hash = (await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'sv1'"))
    .rows[0]!.password_hash;
  // a second reviewer, a 市人力社保局 handler and a 市住房公积金管理中心 handler
  await t.db.query(
    `INSERT INTO users (username, display_name, password_hash, role, unit_id, district_code) VALUES
     ('sv2', '测试sv2', $1, 'supervisor', NULL, NULL),
     ('hr1', '测试hr1', $1, 'department_handler', 'city.hr', NULL),
     ('gjj1', '测试gjj1', $1, 'department_handler', 'city.housing-fund', NULL)`,
    [hash],
  );
  for (const u of ['sv2', 'hr1', 'gjj1']) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u, password: 'test-password-1' },
    });
    tokens[u] = res.json<{ token: string }>().token;
  }
  // the demo knowledge base's published 公积金 article
  const hit = await get('callTaker', `/api/knowledge/search?q=${encodeURIComponent('公积金提取需要什么条件')}`);
  fundArticle = hit.json<{ items: { articleId: string }[] }>().items[0]!.articleId;
  // ISO week 48 of 2026 is 23–29 November
  const c = (at: string, content: string, category: string) =>
    workOrder(t.db, { at, content, type: 'consultation', category });
  await c('2026-11-23T09:00:00+08:00', '高温补贴发放标准是多少', 'LDSB01');
  await c('2026-11-24T09:00:00+08:00', '高温补贴什么时候发放', 'LDSB01');
  await c('2026-11-24T15:00:00+08:00', '单位不发高温补贴怎么办', 'LDSB01');
  await c('2026-11-23T11:00:00+08:00', '公积金提取需要什么条件', 'ZWFW03');
  await c('2026-11-25T11:00:00+08:00', '公积金怎么提取出来', 'ZWFW03');
  // the call-takers answered these two from an article (the article that answered the cluster)
  usedOrders = [
    await c('2026-11-25T10:00:00+08:00', '装修押金退还找哪个部门', 'ZFJS01'),
    await c('2026-11-26T10:00:00+08:00', '装修押金物业不退', 'ZFJS01'),
  ];
  for (const id of usedOrders)
    await t.db.query(
      `INSERT INTO knowledge_answer_uses (article_id, version, channel, work_order_id) VALUES ($1, 1, 'intake', $2)`,
      [fundArticle, id],
    );
  // week 47: two clusters that no article answers
  await c('2026-11-16T09:00:00+08:00', '共享单车押金怎么退', 'JTYS01');
  await c('2026-11-17T09:00:00+08:00', '共享单车押金一直退不了', 'JTYS01');
  await c('2026-11-18T09:00:00+08:00', '无人机飞行要不要报备', 'QTSX01');
  await c('2026-11-19T09:00:00+08:00', '无人机飞行报备去哪里', 'QTSX01');
});
afterAll(async () => {
  await t?.close();
});

describe('待补知识: the weekly consultation list linked to the knowledge base', () => {
  it('links each cluster to the article that answered it, to one the search finds, or to none', async () => {
    const r = await faq('2026-W48');
    expect(r.linked).toBe(true);
    const heat = r.clusters.find((c) => c.terms.includes('高温'))!;
    const fund = r.clusters.find((c) => c.terms.includes('公积金'))!;
    const deposit = r.clusters.find((c) => c.terms.includes('押金'))!;
    expect(heat.answer).toBeNull();
    expect(heat.task).toBeNull();
    expect(fund.answer).toMatchObject({ articleId: fundArticle, via: 'search' });
    expect(deposit.answer).toMatchObject({ articleId: fundArticle, via: 'used', uses: 2 });
    expect(r.answered).toBe(2);
  });

  it('makes a task, once, for each cluster with none: owned by its category’s department, due in 5 working days', async () => {
    const before = Date.now();
    const first = await post('supervisor', '/api/knowledge/tasks', { period: '2026-W48' });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ period: '2026-W48', clusters: 3, answered: 2, created: 1, existing: 0 });
    const again = await post('supervisor', '/api/knowledge/tasks', { period: '2026-W48' });
    expect(again.json()).toMatchObject({ created: 0, existing: 1 });
    const [task, ...rest] = await tasks('supervisor', '?period=2026-W48');
    expect(rest).toEqual([]);
    expect(task).toMatchObject({
      period: '2026-W48',
      count: 3,
      owner: { id: 'city.hr', name: '市人力社保局' },
      status: 'open',
      statusLabel: '待起草',
      overdue: false,
      article: null,
    });
    expect(task!.label).toContain('高温');
    // 5 working days on the desk's calendar (weekends and holidays not counted)
    const days = (
      await t.db.query<{ day: string; kind: 'holiday' | 'workday'; name: string }>('SELECT * FROM calendar_days')
    ).rows.map((d) => ({ date: d.day, kind: d.kind, name: d.name }));
    const due = new WorkingCalendar(days).addWorkingDays(new Date(before), 5);
    expect(Math.abs(new Date(task!.dueAt).getTime() - due.getTime())).toBeLessThan(60_000);
    // the weekly list names the task
    const r = await faq('2026-W48');
    expect(r.clusters.find((c) => c.terms.includes('高温'))!.task).toMatchObject({
      status: 'open',
      owner: '市人力社保局',
    });
  });

  it('refuses a bad period or a caller who is not an editor, and writes nothing', async () => {
    const n = await count('knowledge_tasks');
    for (const period of ['2026-11', '2026-W54', 'W48']) {
      const r = await post('supervisor', '/api/knowledge/tasks', { period });
      expect(r.statusCode, period).toBe(400);
      expect(['VALIDATION_FAILED', 'REPORT_PERIOD_INVALID']).toContain(r.json().code);
    }
    const dept = await post('hr1', '/api/knowledge/tasks', { period: '2026-W47' });
    expect(dept.statusCode).toBe(403);
    expect((await get('callTaker', '/api/knowledge/tasks')).statusCode).toBe(403);
    expect((await get('supervisor', '/api/knowledge/tasks?status=late')).statusCode).toBe(400);
    expect(await count('knowledge_tasks')).toBe(n);
  });

  it('the department sees its own tasks, another department none', async () => {
    expect((await tasks('hr1')).map((x) => x.owner?.id)).toEqual(['city.hr']);
    expect(await tasks('gjj1')).toEqual([]);
    expect(await tasks('housing')).toEqual([]);
  });

  it('another department cannot draft it; its own drafts the article, owned by it, and cannot draft twice', async () => {
    const [task] = await tasks('hr1');
    const articles = await count('knowledge_articles');
    const other = await post('gjj1', `/api/knowledge/tasks/${task!.id}/draft`, article({ title: '高温补贴' }));
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('OUT_OF_SCOPE');
    const bad = await post('hr1', `/api/knowledge/tasks/${task!.id}/draft`, article({ title: '' }));
    expect(bad.statusCode).toBe(400);
    expect(await count('knowledge_articles')).toBe(articles);
    expect((await post('hr1', '/api/knowledge/tasks/99999/draft', article())).json().code).toBe(
      'KNOWLEDGE_TASK_NOT_FOUND',
    );

    const made = await post(
      'hr1',
      `/api/knowledge/tasks/${task!.id}/draft`,
      article({
        title: '高温津贴发放标准和时间',
        topic: '就业创业',
        department: '市人力社保局',
        questions: ['高温补贴发放标准是多少', '高温补贴什么时候发', '单位不发高温补贴怎么办'],
        answer:
          '用人单位安排劳动者在高温天气下露天作业的，应按月发放高温津贴，标准〔示例：每人每月若干元〕；单位不发放的，可向当地劳动保障监察机构投诉。',
        changeNote: '按每周高频咨询补充',
      }),
    );
    expect(made.statusCode, made.body).toBe(201);
    const { article: a, task: after } = made.json<{ article: { id: string; version: number }; task: Task }>();
    expect(after).toMatchObject({ status: 'drafted', statusLabel: '已起草待发布', article: { id: a.id } });
    const owner = await t.db.query('SELECT owner_unit_id FROM knowledge_articles WHERE id = $1', [a.id]);
    expect(owner.rows[0].owner_unit_id).toBe('city.hr');
    const twice = await post('hr1', `/api/knowledge/tasks/${task!.id}/draft`, article({ title: '高温补贴2' }));
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({ code: 'KNOWLEDGE_TASK_CLOSED', details: { articleId: a.id } });
    expect(await count('knowledge_articles')).toBe(articles + 1);
  });

  it('publishing the drafted article closes the task; the weekly list then links the article', async () => {
    const [task] = await tasks('supervisor', '?period=2026-W48');
    const id = task!.article!.id;
    expect((await post('sv2', `/api/knowledge/articles/${id}/versions/1/review`)).statusCode).toBe(200);
    expect((await post('sv2', `/api/knowledge/articles/${id}/versions/1/publish`)).statusCode).toBe(200);
    const [done] = await tasks('supervisor', '?period=2026-W48');
    expect(done).toMatchObject({
      status: 'done',
      statusLabel: '已补充',
      article: { id, title: '高温津贴发放标准和时间' },
    });
    expect(await tasks('hr1', '?status=active')).toEqual([]);
    const r = await faq('2026-W48');
    const heat = r.clusters.find((c) => c.terms.includes('高温'))!;
    expect(heat.answer).toMatchObject({ articleId: id, via: 'search' });
    const doc = await docxText(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/reports/weekly-faq?period=2026-W48&format=docx',
          headers: as('supervisor'),
        })
      ).rawPayload,
    );
    expect(doc.text).toContain('3个主题有知识库中的知识答复，0个主题无对应知识');
  });

  it('an editor links an existing article or dismisses a task with a reason; a closed task takes no more steps', async () => {
    expect((await post('supervisor', '/api/knowledge/tasks', { period: '2026-W47' })).json()).toMatchObject({
      created: 2,
    });
    const open = await tasks('supervisor', '?period=2026-W47&status=open');
    expect(open).toHaveLength(2);
    const bikes = open.find((x) => x.label.includes('押金'))!;
    const bus = open.find((x) => x.label.includes('无人机'))!;
    // 交通运输 leads to the city's transport commission; 其他事项 has no city department: the centre's editors
    expect(bus.owner).toBeNull();
    expect(bus.ownerName).toBe('12345热线知识库编辑');
    expect(bikes.owner).toEqual({ id: 'city.transport', name: '市交通运输委' });

    // a department cannot link or dismiss; an editor must give a reason
    expect((await post('hr1', `/api/knowledge/tasks/${bus.id}/dismiss`, { note: '不需要' })).statusCode).toBe(403);
    expect((await post('supervisor', `/api/knowledge/tasks/${bus.id}/dismiss`, { note: '  ' })).statusCode).toBe(400);
    expect((await post('supervisor', `/api/knowledge/tasks/${bus.id}/dismiss`, {})).statusCode).toBe(400);
    const dismissed = await post('supervisor', `/api/knowledge/tasks/${bus.id}/dismiss`, {
      note: '属民航和公安管理事项，已告知来电人向有关部门咨询',
    });
    expect(dismissed.json()).toMatchObject({
      status: 'dismissed',
      note: '属民航和公安管理事项，已告知来电人向有关部门咨询',
    });
    const late = await post('supervisor', `/api/knowledge/tasks/${bus.id}/link`, { articleId: fundArticle });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('KNOWLEDGE_TASK_CLOSED');

    // linking needs a published article
    const draft = (await post('supervisor', '/api/knowledge/articles', article({ title: '共享单车押金退还' }))).json()
      .id;
    const unpublished = await post('supervisor', `/api/knowledge/tasks/${bikes.id}/link`, { articleId: draft });
    expect(unpublished.statusCode).toBe(409);
    expect(unpublished.json().code).toBe('KNOWLEDGE_NOT_CITABLE');
    const missing = await post('supervisor', `/api/knowledge/tasks/${bikes.id}/link`, { articleId: 'no-such-one' });
    expect(missing.json().code).toBe('KNOWLEDGE_ARTICLE_NOT_FOUND');
    const linked = await post('supervisor', `/api/knowledge/tasks/${bikes.id}/link`, { articleId: fundArticle });
    expect(linked.json()).toMatchObject({ status: 'done', article: { id: fundArticle } });
  });

  it('an overdue task says so; the worker’s week is the last complete one', async () => {
    await post('supervisor', '/api/knowledge/tasks', { period: '2026-W48' });
    await t.db.query(
      `INSERT INTO knowledge_tasks (period, label, terms, request_count, examples, owner_unit_id, due_at)
       VALUES ('2026-W46', '测试·逾期', '{测试}', 2, '{测试一,测试二}', 'city.hr', now() - interval '1 day')`,
    );
    const [late] = await tasks('hr1', '?status=active');
    expect(late).toMatchObject({ period: '2026-W46', overdue: true });
    expect(lastWeek(new Date('2026-12-04T12:00:00+08:00'))).toBe('2026-W48');
    expect(lastWeek(new Date('2026-11-30T00:10:00+08:00'))).toBe('2026-W48');
  });
});
